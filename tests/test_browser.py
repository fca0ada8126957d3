"""The app in a real browser: Playwright drives Debian's Chromium against the app's server as
`make run` starts it (observatory.ui.serve: `streamlit run` once the landing page is built) on
127.0.0.1, on the session's seeded snapshot. What AppTest cannot see is checked here: the URL
in the address bar, reloads, page changes through the sidebar, clicks on Plotly bars, the CSV
file the browser saves, the figure as Plotly draws (and exports) it, hostile links."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from observatory import formatting as fmt
from observatory import indicators, reference, secrecy
from observatory.filters import Filters
from tests.browser_support import IDLE, serving

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def server(data_root: Path) -> Iterator[str]:
    """The app's server (`make run`'s command) on a free local port; stopped at the end of the module."""
    with serving(data_root) as base:
        yield base


def _open(page, url: str) -> None:
    page.goto(url)
    _settle(page)


def _settle(page) -> None:
    """Wait until the script has run and drawn (metrics or charts are on screen)."""
    page.wait_for_selector("[data-testid='stMetric'], [data-testid='stPlotlyChart']")
    page.wait_for_selector(IDLE)


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _sidebar_widget(page, kind: str, label: str):
    return page.locator(f"[data-testid='stSidebar'] [data-testid='{kind}']").filter(
        has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$")))


def _selectbox_value(page, label: str) -> str:
    return _sidebar_widget(page, "stSelectbox", label).locator("input").input_value()


def _multiselect_labels(page, label: str) -> list[str]:
    chips = _sidebar_widget(page, "stMultiSelect", label).locator(".react-aria-ComboBox [data-tag]")
    return [chips.nth(i).get_attribute("aria-label") or "" for i in range(chips.count())]


def _tiles(page) -> dict[str, str]:
    metrics = page.locator("[data-testid='stMetric']")
    shown = {}
    for i in range(metrics.count()):
        metric = metrics.nth(i)
        label = metric.locator("[data-testid='stMetricLabel']").inner_text().strip()
        shown[label] = metric.locator("[data-testid='stMetricValue']").inner_text().strip()
    return shown


def _expected_tiles(builder, selection: Filters) -> dict[str, str]:
    expected = {}
    for code in ("effectif", "salaire_median", "postes_non_pourvus", "taux_acces"):
        measure = indicators.MEASURES[code]
        row = builder.build(measure.dataset, (), code, selection).frame.iloc[0]
        value = None if row["status"] == secrecy.SECRET else float(row["value"])
        expected[measure.label] = fmt.by_unit(value, measure.unit)
    return expected


def _assert_tiles(page, builder, selection: Filters) -> None:
    shown = _tiles(page)
    for label, text in _expected_tiles(builder, selection).items():
        assert shown[label] == text, label


def test_a_shared_link_opens_the_same_view_and_survives_a_reload(server, page, builder) -> None:
    _open(page, f"{server}/?annee=2021&branche=eclat&branche=alisfa&sexe=F")
    selection = Filters(year=2021, branches=("eclat", "alisfa"), sex="F")
    branch_labels = reference.code_lists()["branch"].labels
    for _ in range(2):  # as opened, then after a reload
        assert _selectbox_value(page, "Année") == "2021"
        assert _selectbox_value(page, "Sexe") == "Femmes"
        assert _multiselect_labels(page, "Branches") == [branch_labels["eclat"], branch_labels["alisfa"]]
        _assert_tiles(page, builder, selection)
        assert _query(page) == {"annee": ["2021"], "branche": ["eclat", "alisfa"], "sexe": ["F"]}
        page.reload()
        _settle(page)
    assert not page.errors


def test_changing_filters_rewrites_the_url_and_a_reload_keeps_the_view(server, page, builder) -> None:
    _open(page, f"{server}/")
    assert _query(page) == {}
    _sidebar_widget(page, "stSelectbox", "Année").click()
    page.get_by_role("option", name="2019", exact=True).click()
    page.wait_for_url(re.compile(r"annee=2019"))
    _settle(page)
    region_label = reference.code_lists()["region"].labels["84"]
    search = _sidebar_widget(page, "stMultiSelect", "Régions").locator("input")
    search.click()
    search.fill(region_label)  # the option list is virtualised: narrow it first
    page.get_by_role("option", name=region_label, exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"region=84"))
    _settle(page)
    assert _query(page) == {"annee": ["2019"], "region": ["84"]}
    selection = Filters(year=2019, regions=("84",))
    _assert_tiles(page, builder, selection)
    page.reload()
    _settle(page)
    assert _selectbox_value(page, "Année") == "2019"
    assert _multiselect_labels(page, "Régions") == [region_label]
    _assert_tiles(page, builder, selection)
    page.get_by_role("button", name="Réinitialiser").click()
    page.wait_for_url(lambda url: urlsplit(url).query == "")
    _settle(page)
    assert _selectbox_value(page, "Année") == str(reference.YEARS[-1])
    assert _multiselect_labels(page, "Régions") == []


def test_filters_are_kept_when_changing_page_through_the_sidebar(server, page) -> None:
    _open(page, f"{server}/?annee=2020&branche=aide_domicile&taille=1-9")
    page.locator("[data-testid='stSidebarNav'] a", has_text="Salaires").click()
    page.wait_for_url(re.compile(r"/salaires\?"))
    _settle(page)
    assert _query(page) == {"annee": ["2020"], "branche": ["aide_domicile"], "taille": ["1-9"]}
    assert _selectbox_value(page, "Année") == "2020"
    link = page.get_by_role("button", name="Copier le lien de cette vue")
    link.click()
    shared = page.locator("[data-testid='stPopoverBody'] code").inner_text().strip()
    assert shared == f"{server}/salaires?annee=2020&branche=aide_domicile&taille=1-9"


def _chart(page, title_start: str, tick: str | None = None):
    """The first chart whose title starts with `title_start` (and with an axis label `tick`)."""
    chart = page.locator("[data-testid='stPlotlyChart']").filter(
        has=page.locator(".gtitle", has_text=re.compile(f"^{re.escape(title_start)}")))
    if tick is not None:
        chart = chart.filter(has=page.locator(".ytick", has_text=tick))
    chart.first.scroll_into_view_if_needed()
    return chart.first


def _card(page, chart):
    """The bordered card holding `chart` (innermost container that has it)."""
    return page.locator("[data-testid='stVerticalBlock']").filter(has=chart).filter(
        has=page.locator("[data-testid='stDownloadButton']")).last


@pytest.mark.parametrize(("path", "title_start", "code"), [
    ("salaires", "Le salaire médian vaut", "ratio_smic"),
    ("formation", "Taux d'accès : ", "taux_acces"),  # by branch: the title names its extremes
])
def test_clicking_a_branch_bar_filters_the_whole_view(server, page, builder, path, title_start, code) -> None:
    _open(page, f"{server}/{path}?annee=2022")
    chart = _chart(page, title_start, tick="ALISFA")  # the chart by branch
    plot = chart.locator(".js-plotly-plot")
    codes = plot.evaluate("gd => gd.data[0].customdata.map(point => point[0])")
    # Bars are sorted by value: the last drawn is the longest, never a secret (zero) bar.
    chart.locator(".barlayer .point path").last.click(force=True)
    page.wait_for_url(re.compile(r"branche="))
    _settle(page)
    clicked = codes[-1]
    assert _query(page) == {"annee": ["2022"], "branche": [clicked]}
    assert _multiselect_labels(page, "Branches") == [reference.code_lists()["branch"].labels[clicked]]
    measure = indicators.MEASURES[code]
    row = builder.build(measure.dataset, ("branch",), code, Filters(year=2022, branches=(clicked,))).frame
    assert row["status"].iloc[0] != secrecy.SECRET
    shown = fmt.by_unit(float(row["value"].iloc[0]), measure.unit)
    # The one bar left carries the builder's figure for that branch alone.
    drawn = [plot.evaluate("gd => gd.data[0].customdata") for plot in page.locator(".js-plotly-plot").all()
             if plot.evaluate("gd => gd.data[0].type") == "bar"
             and plot.evaluate("gd => gd.data[0].customdata.map(p => p[0]).join()") == clicked]
    assert [[clicked, shown]] in drawn


def test_clicking_a_point_of_the_vacancy_chart_filters_the_whole_view(server, page, builder) -> None:
    _open(page, f"{server}/recrutement?annee=2023")
    chart = _chart(page, "Taux de vacance le plus élevé")
    plot = chart.locator(".js-plotly-plot")
    codes = plot.evaluate("gd => gd.data[0].customdata.map(point => point[0])")
    assert len(codes) >= 2
    chart.locator(".scatterlayer .point").nth(0).click(force=True)
    page.wait_for_url(re.compile(r"branche="))
    _settle(page)
    clicked = codes[0]
    assert _query(page) == {"annee": ["2023"], "branche": [clicked]}
    # The tiles now describe that branch alone, as the builder publishes it.
    selection = Filters(year=2023, branches=(clicked,))
    shown = _tiles(page)
    for measure_code in ("postes_ouverts", "taux_vacance"):
        measure = indicators.MEASURES[measure_code]
        row = builder.build(measure.dataset, (), measure_code, selection).frame.iloc[0]
        expected = None if row["status"] == secrecy.SECRET else float(row["value"])
        assert shown[measure.label] == fmt.by_unit(expected, measure.unit), measure_code


def test_clicking_a_region_on_the_map_filters_the_whole_view(server, page, builder) -> None:
    """Without boundaries in the snapshot the map is the tile grid: one clickable tile per region."""
    _open(page, f"{server}/territoires?annee=2023&indicateur=salaire_median")
    chart = _chart(page, "Salaire médian")
    plot = chart.locator(".js-plotly-plot")
    codes = plot.evaluate("gd => gd.data.flatMap(trace => (trace.customdata || []).map(point => point[0]))")
    assert len(codes) == 18
    tiles = chart.locator(".scatterlayer .point")
    tiles.nth(0).click(force=True)
    page.wait_for_url(re.compile(r"region="))
    _settle(page)
    clicked = _query(page)["region"]
    assert len(clicked) == 1 and clicked[0] in codes
    assert _query(page) == {"annee": ["2023"], "indicateur": ["salaire_median"], "region": clicked}
    label = reference.code_lists()["region"].labels[clicked[0]]
    assert _multiselect_labels(page, "Régions") == [label]
    # the region's profile against France appears, titled with the region
    _chart(page, f"{label} face à la France")


def _screen_number(text: str) -> tuple[float, float] | None:
    """`1 234,5 €` -> (1234.5, 0.05): the value and half its last shown digit."""
    digits = re.sub(r"[\s\u202f\u00a0€%]", "", text).replace("\u2212", "-")
    if not re.fullmatch(r"-?\d+(,\d+)?", digits):
        return None
    decimals = len(digits.split(",")[1]) if "," in digits else 0
    return float(digits.replace(",", ".")), 0.5 * 10 ** -decimals


def _shown_table(card) -> list[list[str]]:
    card.locator("[data-testid='stExpander'] summary", has_text="Voir les données").click()
    table = card.locator("[data-testid='stTable'] table")
    table.wait_for()
    return table.evaluate(
        "t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim()))")


@pytest.mark.parametrize(("address", "title_start"), [
    ("/salaires?annee=2023&region=84", "Le salaire médian vaut"),
    ("/salaires?annee=2024&famille=aide_domicile", "Salaire médian :"),
    ("/?annee=2025&sexe=H", "Effectif"),
    ("/formation?annee=2022&region=11", "Taux d'accès : "),
])
def test_a_downloaded_csv_holds_the_numbers_of_the_table_on_screen(server, page, address, title_start) -> None:
    _open(page, server + address)
    chart = _chart(page, title_start)
    card = _card(page, chart)
    shown = _shown_table(card)
    with page.expect_download() as download:
        card.locator("[data-testid='stDownloadButton'] button").click()
    saved = download.value
    assert saved.suggested_filename.endswith(".csv")
    assert re.search(r"_\d{4}(-\d{4})?\.csv$", saved.suggested_filename), "the year is in the file name"
    raw = Path(saved.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == len(shown) and len(rows) > 1
    assert [re.sub(r" \(.*\)$", "", h) for h in rows[0]] == shown[0]
    for line, (written, on_screen) in enumerate(zip(rows[1:], shown[1:], strict=True)):
        for cell, text in zip(written, on_screen, strict=True):
            number = _screen_number(text)
            if number is None:
                assert cell == text, (line, cell, text)
                continue
            value, half_step = number
            assert abs(float(cell.replace(",", ".")) - value) <= half_step + 1e-9, (line, cell, text)


CLIPPED_TEXTS = """p => {
    const box = p.querySelector('.main-svg').getBoundingClientRect();
    return [...p.querySelectorAll('.main-svg text')].filter(t => t.textContent.trim()).filter(t => {
        const r = t.getBoundingClientRect();
        return r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.right > box.right + 1;
    }).map(t => t.textContent);
}"""


def test_the_exported_figure_carries_its_title_filters_and_source(server, page) -> None:
    _open(page, f"{server}/salaires?annee=2021&branche=eclat&branche=alisfa&sexe=F")
    plot = _chart(page, "Le salaire médian va de").locator(".js-plotly-plot")
    # Plotly draws in stacked SVG layers (title and annotations in the top one); the PNG export
    # merges them at the size of the figure.
    texts = plot.evaluate("p => [...p.querySelectorAll('.main-svg text')].map(t => t.textContent)")
    joined = " ".join(texts)
    assert "2021" in joined and "Femmes" in joined and reference.code_lists()["branch"].labels["eclat"] in joined
    assert any(t.startswith("Source : ") for t in texts)


@pytest.mark.parametrize("address", ["/salaires?annee=2024", "/?annee=2024", "/salaires?annee=2019&sexe=H",
                                     "/recrutement?annee=2024", "/formation?annee=2024"])
def test_no_text_of_any_figure_is_clipped(server, page, address) -> None:
    """Titles, filter lines, sources, axis and bar labels all lie inside their figure, on a
    laptop-sized screen: what is clipped on screen is clipped in the exported image too."""
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, server + address)
    # Plotly draws each chart after the script has finished: wait for them rather than race them.
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 4")
    plots = page.locator(".js-plotly-plot")
    for index in range(plots.count()):
        plots.nth(index).scroll_into_view_if_needed()
        assert plots.nth(index).evaluate(CLIPPED_TEXTS) == [], index


LABEL_BOXES = """p => [...p.querySelectorAll('.textpoint text')].filter(t => t.textContent.trim()).map(t => {
    const r = t.getBoundingClientRect();
    return [t.textContent, r.left, r.top, r.right, r.bottom];
})"""


@pytest.mark.parametrize("address", ["/recrutement?annee=2022", "/recrutement?annee=2023"])
def test_no_two_labels_of_the_vacancy_scatter_overlap(server, page, address) -> None:
    """As drawn on a laptop-sized screen (these seeded years overlapped four and three pairs)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, server + address)
    plot = _chart(page, "Taux de vacance le plus élevé").locator(".js-plotly-plot")
    boxes = plot.evaluate(LABEL_BOXES)
    assert len(boxes) >= 5
    assert [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]] == []


HOSTILE = [
    "/?region=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E&annee=2024",
    "/salaires?branche=%27%20OR%201%3D1%3B%20DROP%20TABLE%20employees%3B%20--&sexe=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E",
    "/?annee=" + "9" * 3000 + "&taille=..%2F..%2Fetc%2Fpasswd",
]


@pytest.mark.parametrize("address", HOSTILE)
def test_a_hostile_link_gives_a_notice_and_a_clean_url(server, page, address) -> None:
    _open(page, server + address)
    warnings = page.locator("[data-testid='stAlertContentWarning']")
    assert warnings.count() >= 1
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.locator("body").inner_text()
    # The bad values are gone from the address bar: the link one copies is valid.
    query = _query(page)
    for values in query.values():
        for value in values:
            assert "<" not in value and "DROP" not in value and "passwd" not in value and len(value) < 100
    assert not page.errors


@pytest.mark.parametrize("address", ["/page-inconnue", "/a/b"])
def test_an_unknown_page_is_said_in_french_with_the_navigation(server, page, address) -> None:
    _open(page, server + address)
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Page introuvable" in main and "Vue d'ensemble" in main
    assert "Page not found" not in page.locator("body").inner_text()
    assert page.locator("[data-testid='stSidebarNav'] a").count() >= 10, "the navigation is there"
    assert not page.errors


def test_a_deeper_address_of_a_page_opens_that_page(server, page) -> None:
    _open(page, f"{server}/salaires/x?annee=2024")
    assert page.locator("h1", has_text="Salaires").count() == 1
    assert _query(page).get("annee") == ["2024"]
    assert not page.errors


def test_metrics_are_served_to_this_machine_only(server) -> None:
    import urllib.error
    import urllib.request

    with urllib.request.urlopen(f"{server}/_stcore/metrics", timeout=10) as answer:
        assert answer.status == 200 and b"session" in answer.read()
    forwarded = urllib.request.Request(f"{server}/_stcore/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forwarded, timeout=10)
    assert refused.value.code == 404
