"""Every page under AppTest: filter sets and hostile URLs; every number shown (tiles, tables
under the charts, chart data, sentences) equals the table builder's published figure."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from observatory import formatting as fmt
from observatory import indicators, reference, secrecy
from observatory.filters import Filters, from_query

APP = Path(__file__).resolve().parent.parent / "dashboard.py"
PAGES = ("app_pages/vue_ensemble.py", "app_pages/salaires.py")
FILTER_SETS = [
    {},
    {"annee": ["2019"], "branche": ["aide_domicile", "alisfa"]},
    {"region": ["84"], "sexe": ["F"]},
    {"famille": ["social_educatif"], "age": ["55_plus"], "taille": ["1-9", "10-49"]},
    {"region": ["976"], "metier": ["T2A60"], "age": ["moins_25"]},  # tiny: secrets and notices
]
HOSTILE = [
    {"branche": ["' OR 1=1; DROP TABLE employees; --"], "annee": ["2024"]},
    {"region": ["<img src=x onerror=alert(1)>"]},
    {"annee": ["1" * 100000]},
    {"taille": ["$(rm -rf /)", "250+"], "sexe": ["X"]},
    {"metier": ["%00", "T2A60' --"], "zzz": ["1"]},
]


def _run(page: str, query: dict[str, list[str]]) -> AppTest:
    """Open `page` with `query` in its URL, as a shared link does."""
    app = AppTest.from_file(str(APP), default_timeout=120)
    if page != PAGES[0]:
        app.run()  # AppTest learns the pages of st.navigation from a first run
        app.switch_page(page)
    for key, values in query.items():
        app.query_params[key] = values
    return app.run()


def _expected_text(value: float | None, unit: str) -> str:
    return fmt.by_unit(value, unit)


def _published(builder, code: str, dims: tuple[str, ...], selection: Filters) -> pd.DataFrame:
    measure = indicators.MEASURES[code]
    return builder.build(measure.dataset, dims, code, selection).frame


def _shown_tables(app: AppTest) -> list[pd.DataFrame]:
    return [table.value for table in app.table]


def _table_with(tables: list[pd.DataFrame], *columns: str) -> pd.DataFrame:
    for table in tables:
        if all(c in table.columns for c in columns):
            return table
    raise AssertionError(f"no table with columns {columns}")


def _values(frame: pd.DataFrame, unit: str) -> list[str]:
    return [_expected_text(None if s == secrecy.SECRET else float(v), unit)
            for v, s in zip(frame["value"], frame["status"], strict=True)]


@pytest.mark.parametrize("query", FILTER_SETS)
def test_overview_tiles_trends_and_findings_equal_the_builder(data_root, builder, query) -> None:
    app = _run(PAGES[0], query)
    assert not app.exception
    selection = from_query(query).without_notices()
    year = selection.effective_year
    metrics = {m.label: m for m in app.metric}
    for code in ("effectif", "etp", "salaire_median", "postes_non_pourvus", "stagiaires", "taux_acces"):
        measure = indicators.MEASURES[code]
        try:
            frame = _published(builder, code, ("year",), selection)
        except secrecy.PopulationTooSmall:
            assert metrics[measure.label].value == "secret"
            continue
        by_year = dict(zip(frame["year"].astype(int), _values(frame, measure.unit), strict=True))
        assert metrics[measure.label].value == by_year[year], code
    tables = _shown_tables(app)
    for code in ("effectif", "salaire_median", "postes_non_pourvus", "taux_acces"):
        measure = indicators.MEASURES[code]
        try:
            frame = _published(builder, code, ("year",), selection)
        except secrecy.PopulationTooSmall:
            continue
        shown = _table_with(tables, "Année", measure.label)
        assert shown["Année"].tolist() == [str(y) for y in frame["year"]]
        assert shown[measure.label].tolist() == _values(frame, measure.unit)
    # The headcount sentence quotes the published total.
    try:
        total = _published(builder, "effectif", (), selection).iloc[0]
    except secrecy.PopulationTooSmall:
        return
    if total["status"] == secrecy.OK:
        text = " ".join(m.value for m in app.markdown)
        assert f"compte {fmt.number(float(total['value']))} salariés" in text


@pytest.mark.parametrize("query", FILTER_SETS)
def test_salaries_tables_and_charts_equal_the_builder(data_root, builder, query) -> None:
    app = _run(PAGES[1], query)
    assert not app.exception
    selection = from_query(query).without_notices()
    tables = _shown_tables(app)
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    titles = " | ".join(c["layout"]["title"]["text"] for c in charts)
    year = str(selection.effective_year)
    span = f"{reference.YEARS[0]}-{reference.YEARS[-1]}"
    for chart in charts:  # the subtitle states the period: the year, or ten years for lines
        period = span if chart["data"][0]["type"] == "scatter" else year
        assert period in chart["layout"]["title"]["subtitle"]["text"]

    # Distribution by branch: the five published quantiles of each branch.
    try:
        quantiles = {label: _published(builder, code, ("branch",), selection)
                     for code, label in (("salaire_d1", "D1"), ("salaire_q1", "Q1"), ("salaire_median", "Médiane"),
                                         ("salaire_q3", "Q3"), ("salaire_d9", "D9"))}
    except secrecy.PopulationTooSmall:
        quantiles = None
    if quantiles is not None:
        shown = _table_with(tables, "Branche", "D1", "Médiane", "D9")
        for label, frame in quantiles.items():
            assert shown[label].tolist() == _values(frame, "eur"), label

    # Evolution: median by year, constant euros from the INSEE index, SMIC from the reference table.
    try:
        median = _published(builder, "salaire_median", ("year",), selection)
    except secrecy.PopulationTooSmall:
        median = None
    if median is not None:
        shown = _table_with(tables, "Année", "Salaire médian (euros courants)")
        assert shown["Salaire médian (euros courants)"].tolist() == _values(median, "eur")
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
            frame = _published(builder, code, (dimension,), selection)
        except secrecy.PopulationTooSmall:
            continue
        header = "Branche" if dimension == "branch" else "Région"
        shown = _table_with(tables, header, measure.label)
        assert shown[header].tolist() == frame[f"{dimension}_label"].tolist()
        assert shown[measure.label].tolist() == _values(frame, measure.unit)
        bars = next(c["data"][0] for c in charts if c["data"][0].get("type") == "bar"
                    and measure.label in c["layout"]["title"]["subtitle"]["text"]
                    and set(c["data"][0]["y"]) == set(frame[f"{dimension}_label"]))
        plotted = dict(zip(bars["y"], bars["text"], strict=True))
        assert plotted == dict(zip(frame[f"{dimension}_label"], _values(frame, measure.unit), strict=True))
        codes = {data[0] for data in bars["customdata"]}
        assert codes == set(frame[dimension].astype(str)), "each bar carries its code for cross-filtering"
    assert "<script" not in titles


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_urls_are_dropped_with_a_notice(data_root, page, query) -> None:
    app = _run(page, query)
    assert not app.exception
    assert app.warning, "the dropped values are reported"
    shown = " ".join(w.value for w in app.warning)
    assert re.search(r"(?<!\\)[<>\[\]()]", shown) is None, "markup in a notice is escaped, shown as text"
    assert app.table, "the page still shows its figures"


def test_the_filters_survive_a_change_of_page(data_root) -> None:
    app = _run(PAGES[0], {"annee": ["2021"], "branche": ["eclat"]})
    app.switch_page(PAGES[1]).run()
    assert not app.exception
    assert app.selectbox(key="filtre_annee").value == "2021"
    assert app.multiselect(key="filtre_branche").value == ["eclat"]
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    assert any("ÉCLAT" in c["layout"]["title"]["subtitle"]["text"] for c in charts)


def test_the_share_link_carries_the_selection(data_root) -> None:
    app = _run(PAGES[0], {"annee": ["2021"], "branche": ["eclat", "alisfa"], "sexe": ["F"]})
    links = [c.value for c in app.code]
    assert any(link.endswith("?annee=2021&branche=eclat&branche=alisfa&sexe=F") for link in links), links


def test_secret_cells_are_shown_as_secret_never_as_numbers(data_root, builder) -> None:
    label = indicators.MEASURES["temps_partiel"].label
    for region in ("94", "976", "973", "972", "971", "974", "27"):  # small regions first
        query = {"region": [region]}
        frame = _published(builder, "temps_partiel", ("branch",), from_query(query))
        secret = frame[frame["status"] == secrecy.SECRET]
        if len(secret) and (frame["status"] == secrecy.OK).any():
            break
    else:
        pytest.fail("no region with both secret and published branches in the test snapshot")
    app = _run(PAGES[1], query)
    assert not app.exception
    shown = _table_with(_shown_tables(app), "Branche", label).set_index("Branche")[label]
    assert all(shown[name] == "secret" for name in secret["branch_label"])
    published = frame[frame["status"] == secrecy.OK]
    assert all(shown[name] == fmt.by_unit(float(v), "share") for name, v in zip(
        published["branch_label"], published["value"], strict=True))


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
