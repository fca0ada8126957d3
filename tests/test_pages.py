"""Every page under AppTest: filter sets and hostile URLs; every number shown (tiles, tables
under the charts, chart data, sentences) equals the table builder's published figure."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from observatory import formatting as fmt
from observatory import indicators, reference, secrecy
from observatory.filters import Filters, from_query
from tests.app_support import (
    FILTER_SETS,
    HOSTILE,
    PAGES,
    assert_tiles,
    assert_yearly_table,
    open_data_panels,
    published,
    run_page,
    shown_tables,
    table_with,
    values_of,
)


@pytest.mark.parametrize("query", FILTER_SETS)
def test_overview_tiles_trends_and_findings_equal_the_builder(data_root, builder, query) -> None:
    app = run_page(PAGES[0], query)
    assert not app.exception
    selection = from_query(query).without_notices()
    assert_tiles(app, builder, selection, ("effectif", "etp", "salaire_median", "postes_non_pourvus", "stagiaires",
                                            "taux_acces"))
    tables = shown_tables(app)
    for code in ("effectif", "salaire_median", "postes_non_pourvus", "taux_acces"):
        assert_yearly_table(tables, builder, selection, code)
    # The headcount sentence quotes the published total.
    try:
        total = published(builder, "effectif", (), selection).iloc[0]
    except secrecy.PopulationTooSmall:
        return
    if total["status"] == secrecy.OK:
        text = " ".join(m.value for m in app.markdown)
        assert f"compte {fmt.number(float(total['value']))} salariés" in text


@pytest.mark.parametrize("query", FILTER_SETS)
def test_salaries_tables_and_charts_equal_the_builder(data_root, builder, query) -> None:
    app = run_page(PAGES[1], query)
    assert not app.exception
    selection = from_query(query).without_notices()
    tables = shown_tables(app)
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    titles = " | ".join(c["layout"]["title"]["text"] for c in charts)
    year = str(selection.effective_year)
    span = f"{reference.YEARS[0]}-{reference.YEARS[-1]}"
    for chart in charts:  # the subtitle states the period: the year, or ten years for lines
        period = span if chart["data"][0]["type"] == "scatter" else year
        assert period in chart["layout"]["title"]["subtitle"]["text"]

    # Distribution by branch: the five published quantiles of each branch.
    try:
        quantiles = {label: published(builder, code, ("branch",), selection)
                     for code, label in (("salaire_d1", "D1"), ("salaire_q1", "Q1"), ("salaire_median", "Médiane"),
                                         ("salaire_q3", "Q3"), ("salaire_d9", "D9"))}
    except secrecy.PopulationTooSmall:
        quantiles = None
    if quantiles is not None:
        shown = table_with(tables, "Branche", "D1", "Médiane", "D9")
        for label, frame in quantiles.items():
            assert shown[label].tolist() == values_of(frame, "eur"), label

    # Evolution: median by year, constant euros from the INSEE index, SMIC from the reference table.
    try:
        median = published(builder, "salaire_median", ("year",), selection)
    except secrecy.PopulationTooSmall:
        median = None
    if median is not None:
        shown = table_with(tables, "Année", "Salaire médian (euros courants)")
        assert shown["Salaire médian (euros courants)"].tolist() == values_of(median, "eur")
        cpi = pd.read_csv(reference.REFERENCE_DIR / "cpi.csv", dtype={"year": int}).set_index("year")["cpi_2015_100"]
        base = int(median["year"].max())
        constant = [None if s == secrecy.SECRET else float(v) * cpi[base] / cpi[int(y)]
                    for y, v, s in zip(median["year"], median["value"], median["status"], strict=True)]
        assert shown[f"Salaire médian (euros de {base})"].tolist() == [fmt.euros(v) for v in constant]
        smic = reference.smic_annual()
        assert shown["SMIC mensuel brut"].tolist() == [fmt.euros(smic[int(y)]) for y in median["year"]]

    # Bars: the table and the plotted bars hold the published values, secret cells as "secret".
    for code, dimension in (("ratio_smic", "branch"), ("part_proche_smic", "branch"), ("temps_partiel", "branch"),
                            ("salaire_median", "region")):
        measure = indicators.MEASURES[code]
        try:
            frame = published(builder, code, (dimension,), selection)
        except secrecy.PopulationTooSmall:
            continue
        header = "Branche" if dimension == "branch" else "Région"
        shown = table_with(tables, header, measure.label)
        assert shown[header].tolist() == frame[f"{dimension}_label"].tolist()
        assert shown[measure.label].tolist() == values_of(frame, measure.unit)
        bars = next(c["data"][0] for c in charts if c["data"][0].get("type") == "bar"
                    and measure.label in c["layout"]["title"]["subtitle"]["text"]
                    and set(c["data"][0]["y"]) == set(frame[f"{dimension}_label"]))
        plotted = dict(zip(bars["y"], bars["text"], strict=True))
        assert plotted == dict(zip(frame[f"{dimension}_label"], values_of(frame, measure.unit), strict=True))
        codes = {data[0] for data in bars["customdata"]}
        assert codes == set(frame[dimension].astype(str)), "each bar carries its code for cross-filtering"
    assert "<script" not in titles


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_urls_are_dropped_with_a_notice(data_root, page, query) -> None:
    app = run_page(page, query, tables=False)
    assert not app.exception
    assert app.warning, "the dropped values are reported"
    shown = " ".join(w.value for w in app.warning)
    assert re.search(r"(?<!\\)[<>\[\]()]", shown) is None, "markup in a notice is escaped, shown as text"
    assert open_data_panels(app).table, "the page still shows its figures"


def test_the_filters_survive_a_change_of_page(data_root) -> None:
    app = run_page(PAGES[0], {"annee": ["2021"], "branche": ["eclat"]})
    app.switch_page(PAGES[1]).run()
    assert not app.exception
    assert app.selectbox(key="filtre_annee").value == "2021"
    assert app.multiselect(key="filtre_branche").value == ["eclat"]
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    assert any("ÉCLAT" in c["layout"]["title"]["subtitle"]["text"] for c in charts)


def test_the_share_link_carries_the_selection(data_root) -> None:
    app = run_page(PAGES[0], {"annee": ["2021"], "branche": ["eclat", "alisfa"], "sexe": ["F"]})
    links = [c.value for c in app.code]
    assert any(link.endswith("?annee=2021&branche=eclat&branche=alisfa&sexe=F") for link in links), links


def test_secret_cells_are_shown_as_secret_never_as_numbers(data_root, builder) -> None:
    label = indicators.MEASURES["temps_partiel"].label
    for region in ("94", "976", "973", "972", "971", "974", "27"):  # small regions first
        query = {"region": [region]}
        frame = published(builder, "temps_partiel", ("branch",), from_query(query))
        secret = frame[frame["status"] == secrecy.SECRET]
        if len(secret) and (frame["status"] == secrecy.OK).any():
            break
    else:
        pytest.fail("no region with both secret and published branches in the test snapshot")
    app = run_page(PAGES[1], query)
    assert not app.exception
    shown = table_with(shown_tables(app), "Branche", label).set_index("Branche")[label]
    assert all(shown[name] == "secret" for name in secret["branch_label"])
    public = frame[frame["status"] == secrecy.OK]
    assert all(shown[name] == fmt.by_unit(float(v), "share") for name, v in zip(
        public["branch_label"], public["value"], strict=True))


def test_warm_up_builds_each_page_default_view_for_every_year(warehouse) -> None:
    """The background warm-up fills the content cache that the pages read: the same objects come
    back, and they equal a build from scratch."""
    from observatory import views
    from observatory.tables import TableBuilder
    from observatory.views import memo

    builder = TableBuilder(warehouse)
    selections = memo.warm_selections()
    assert Filters() in selections and Filters(year=reference.YEARS[0]) in selections
    assert Filters(regions=("84",)) in selections and Filters(sex="F") in selections
    defaults = [s for s in selections if s.year is not None or s.is_empty()]
    assert memo.warm(builder, views.CONTENTS, defaults) == len(views.CONTENTS) * len(reference.YEARS)
    for page, build in views.CONTENTS.items():
        for selection in (Filters(), Filters(year=reference.YEARS[0])):
            cached = views.page_content(page, builder, selection)
            assert views.page_content(page, builder, selection) is cached
            fresh = build(TableBuilder(warehouse), selection)
            assert cached.sentences == fresh.sentences
            assert [c.data.csv() for c in cached.cards if hasattr(c, "data")] == \
                [c.data.csv() for c in fresh.cards if hasattr(c, "data")]


@pytest.mark.parametrize("query", FILTER_SETS[:3])
def test_every_figure_of_every_page_is_valid_plotly(builder, query) -> None:
    """Figures are built without plotly's validation (for speed): validate them all here. A
    misspelt property raises, and the validated figure draws exactly the same thing; the
    figure's dict, made once, is the one plotly makes."""
    import copy

    import plotly.graph_objects as go
    import plotly.io as pio

    from observatory import views

    for page, build in views.CONTENTS.items():
        for card in build(builder, from_query(query).without_notices()).cards:
            if not hasattr(card, "figure"):
                continue
            drawn = json.loads(pio.to_json(card.figure, validate=False))
            validated = json.loads(pio.to_json(go.Figure(drawn), validate=False))
            assert validated == drawn, (page, card.key)
            # Sealed: the dict every rerun sends is made once, and is the figure's own.
            assert card.figure.to_dict() is card.figure.to_dict()
            assert go.Figure.to_dict(card.figure) == card.figure.to_dict(), (page, card.key)
            # A copy draws the same, and copying leaves the figure's dict as it was.
            assert json.loads(pio.to_json(copy.deepcopy(card.figure), validate=False)) == drawn, (page, card.key)
            assert json.loads(pio.to_json(card.figure, validate=False)) == drawn, (page, card.key)


def test_a_data_table_is_sent_only_once_its_panel_is_opened(data_root, builder) -> None:
    """Tables nobody opens cost each rerun and each page load: a card's table is written when
    its "Voir les données" is opened, and stays open through filter changes."""
    from streamlit.testing.v1 import AppTest

    from tests.app_support import APP

    app = AppTest.from_file(str(APP), default_timeout=120).run()
    panels = [e for e in app.expander if e.label == "Voir les données"]
    assert panels and not app.table
    open_data_panels(app)
    assert len(app.table) == len(panels)
    trend = table_with(shown_tables(app), "Année", "Effectif").set_index("Année")["Effectif"]
    expected = published(builder, "effectif", ("year",), Filters())
    assert trend.tolist() == values_of(expected, "count")
    app.query_params["annee"] = "2019"
    assert len(app.run().table) == len(panels)


def test_warm_up_builds_the_first_visitors_views_before_loading_the_tables(warehouse, monkeypatch) -> None:
    """At start the default views come first (what the first visitor waits for), then the
    database is read into memory (1-3 s of both cores), then everything else."""
    from observatory import runtime
    from observatory.tables import TableBuilder
    from observatory.views import memo

    steps: list[str] = []
    builder = TableBuilder(warehouse)
    def warm(_builder, _contents, selections, pause) -> int:
        assert pause == runtime.VISITS.wait_idle, "each prepared view waits for the visitors"
        steps.append("default views" if selections == memo.warm_selections()[:1] else "other views")
        return 1

    monkeypatch.setattr(memo, "warm", warm)
    monkeypatch.setattr(builder, "warm", lambda: steps.append("default tables") or 1)
    monkeypatch.setattr(builder, "load", lambda: steps.append("tables into memory"))
    assert runtime.warm_up(builder) == 3
    assert steps == ["default views", "tables into memory", "default tables", "other views"]


def test_the_warm_up_waits_while_a_visitors_page_is_computed(warehouse, monkeypatch) -> None:
    """On two cores a warm-up computing other pages doubled a fresh server's first visitor's
    wait: it starts no view while a visitor's rerun runs, and goes on once it has ended."""
    import threading
    import time

    from observatory import runtime, views
    from observatory.cards import PageContent
    from observatory.tables import TableBuilder
    from observatory.views import memo

    builder = TableBuilder(warehouse)
    built: list[Filters] = []
    page = {"essai": lambda _builder, selection: built.append(selection) or PageContent((), (), ())}
    monkeypatch.setattr(views, "CONTENTS", page)
    monkeypatch.setattr(memo, "warm_selections", lambda: [Filters(), Filters(sex="F")])
    monkeypatch.setattr(builder, "warm", lambda: 0)
    monkeypatch.setattr(builder, "load", lambda: None)
    warm = threading.Thread(target=runtime.warm_up, args=(builder,))
    with runtime.VISITS.running():
        warm.start()
        time.sleep(0.5)
        assert built == [], "a view was built while a visitor's page ran"
    warm.join(10)
    assert built == [Filters(), Filters(sex="F")]
    assert runtime.VISITS.wait_idle(0.1)


def test_the_warm_up_waits_for_a_quiet_moment_after_a_visitors_rerun() -> None:
    """A visitor who just saw a page often changes a filter again: the warm-up waits until no
    rerun has run for the quiet period, and never longer than its timeout."""
    import time

    from observatory.runtime import Visits

    visits = Visits(quiet_s=0.3)
    assert visits.wait_idle(0.01), "idle before any visitor"
    with visits.running():
        assert not visits.wait_idle(0.2), "a rerun is running"
    assert not visits.wait_idle(0.05), "the quiet period has not passed"
    started = time.monotonic()
    assert visits.wait_idle(2.0)
    assert 0.15 <= time.monotonic() - started <= 1.5


@pytest.mark.parametrize("page", ["app_pages/portrait.py", "app_pages/territoires.py", "app_pages/recrutement.py"])
def test_drawing_a_page_builds_no_plotly_objects(data_root, monkeypatch, page) -> None:
    """A page's figures reach the browser from the dicts they are written as (charts.SealedFigure):
    building plotly's objects for them costs a page 5 ms of Python. Fails if the page, a card's
    renderer or the export reads a figure through plotly's objects."""
    from observatory import charts
    from tests.app_support import run_page

    built: list[str] = []
    materialise = charts.SealedFigure.__getattr__

    def recorded(figure, name: str):
        if "_built" not in figure.__dict__ and not name.startswith("__"):
            built.append(name)
        return materialise(figure, name)
    monkeypatch.setattr(charts.SealedFigure, "__getattr__", recorded)
    app = run_page(page, {"annee": ["2023"], "region": ["84"]})
    assert not app.exception
    assert len(app.get("plotly_chart")) >= 2
    assert built == []


@pytest.mark.parametrize("page", ["portrait", "recruitment", "overview", "training"])
def test_the_tiles_that_follow_are_served_by_those_that_lead(warehouse, page) -> None:
    """Tiles that start a query go first; each of the others is then served by the cells they
    computed (a builder that refuses every query still builds it: the leaders' requests are the
    wider ones, quantiles included), and the page shows its tiles in its own order."""
    import importlib

    from observatory.tables import TableBuilder
    from observatory.tables.requests import Request, start_order
    from observatory.tables.requests import leaders as leading
    from observatory.views import common

    module = importlib.import_module(f"observatory.views.{page}")
    codes = module.TILE_MEASURES
    filters = Filters(year=2023, branches=("eclat",))
    requests = [Request(code, ("year",), filters) for code in codes]
    leaders = leading(requests)
    followers = [i for i in start_order(requests) if i not in leaders]
    assert start_order(requests) == leaders + followers
    assert sorted(leaders + followers) == list(range(len(codes))) and followers
    builder = TableBuilder(warehouse)
    for i in leaders:
        common.tile(builder, codes[i], filters)

    class Refusing:
        def run_named(self, *args, **kwargs):
            raise AssertionError("a follower ran a query")

        def __getattr__(self, name: str):
            return getattr(warehouse, name)
    builder.warehouse = Refusing()
    for i in followers:
        common.tile(builder, codes[i], filters)
    content = module.content(TableBuilder(warehouse), filters)
    assert [tile.code for tile in content.tiles] == list(codes)


def test_a_page_starts_its_findings_after_every_other_piece() -> None:
    """The order of a page's pieces: the leading tiles, the cards in their order, the following
    tiles, the findings last (they read the year's totals out of the tiles' ten-year tables)."""
    from observatory.tables.requests import READS_OTHERS, Request, start_order
    from observatory.tables.requests import leaders as leading
    from observatory.views import common, training

    filters = Filters(year=2023)
    tiles = [Request(code, ("year",), filters) for code in training.TILE_MEASURES]
    requests = [*tiles, None, None, READS_OTHERS]
    leaders = leading(tiles)
    followers = [i for i in range(len(tiles)) if i not in leaders]
    assert followers
    assert start_order(requests) == [*leaders, len(tiles), len(tiles) + 1, *followers, len(tiles) + 2]

    class Recording:
        """A builder that only records the pieces a page hands to it."""
        def gather(self, pieces):
            self.named = [piece[0] if isinstance(piece, tuple) else None for piece in pieces]
            return [()] * len(pieces)

    builder = Recording()
    common.assembled(builder, filters, training.TILE_MEASURES, [lambda: None, lambda: None], lambda: ())
    assert builder.named == requests, "the page's findings name READS_OTHERS, its cards nothing"


def test_a_finding_is_left_out_when_a_figure_it_needs_is_secret() -> None:
    """from_totals: the writer gets the year's totals in order; a secret required one leaves the
    sentence out, a secret optional one reaches the writer as None (its clause left out)."""
    from observatory.views.common import from_totals

    class Totals:
        def __init__(self, values: dict[str, float | None]) -> None:
            self.values, self.asked = values, []

        def total(self, code: str, filters: Filters) -> float | None:
            self.asked.append((code, filters))
            return self.values[code]

    filters = Filters(year=2022)
    def write(a: float, b: float | None) -> str:
        return f"{a} {b}"
    published = Totals({"effectif": 10.0, "etp": None})
    assert from_totals(published, filters, ("effectif",), write, optional=("etp",))() == "10.0 None"
    assert published.asked == [("effectif", filters), ("etp", filters)]
    assert from_totals(Totals({"effectif": None, "etp": 3.0}), filters, ("effectif",), write,
                       optional=("etp",))() is None
    assert from_totals(Totals({"effectif": 1.0, "etp": None}), filters, ("effectif", "etp"), write)() is None
