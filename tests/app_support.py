"""Helpers of the page tests: open a page under AppTest with a URL, read what it shows, and
the table builder's published figures to compare with."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from observatory import formatting as fmt
from observatory import indicators, secrecy
from observatory.filters import Filters
from observatory.ui.card import DATA_PANEL

APP = Path(__file__).resolve().parent.parent / "dashboard.py"
PAGES = ("app_pages/vue_ensemble.py", "app_pages/salaires.py", "app_pages/recrutement.py",
         "app_pages/formation.py")
FILTER_SETS = [
    {},
    {"annee": ["2019"], "branche": ["aide_domicile", "alisfa"]},
    {"region": ["84"], "sexe": ["F"]},
    {"famille": ["social_educatif"], "age": ["55_plus"], "taille": ["1-9", "10-49"]},
    {"region": ["976"], "metier": ["T2A60"], "age": ["moins_25"]},  # tiny: secrets and notices
    {"annee": ["2024"], "branche": ["aide_domicile", "eclat"], "region": ["11", "84"]},  # unions composed
]
HOSTILE = [
    {"branche": ["' OR 1=1; DROP TABLE employees; --"], "annee": ["2024"]},
    {"region": ["<img src=x onerror=alert(1)>"]},
    {"annee": ["1" * 100000]},
    {"taille": ["$(rm -rf /)", "250+"], "sexe": ["X"]},
    {"metier": ["%00", "T2A60' --"], "zzz": ["1"]},
]


def run_page(page: str, query: dict[str, list[str]], *, tables: bool = True) -> AppTest:
    """Open `page` with `query` in its URL, as a shared link does, then (`tables`) every card's
    data table: a second run, after which the notices of the first are gone, as for a reader."""
    app = AppTest.from_file(str(APP), default_timeout=120)
    if page != PAGES[0]:
        app.run()  # AppTest learns the pages of st.navigation from a first run
        app.switch_page(page)
    for key, values in query.items():
        app.query_params[key] = values
    app.run()
    return open_data_panels(app) if tables else app


def open_data_panels(app: AppTest) -> AppTest:
    """Open every card's "Voir les données" (a table is sent only once its panel is open), as a
    reader comparing figures does; the panels stay open on later runs."""
    closed = [e.key for e in app.expander if e.key and e.key.startswith(DATA_PANEL)
              and not app.session_state.get(e.key)]
    for key in closed:
        app.session_state[key] = True
    return app.run() if closed else app


def url_values(app: AppTest, key: str) -> list[str]:
    """AppTest keeps a single value as a string and repeated ones as a list."""
    value = app.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def expected_text(value: float | None, unit: str) -> str:
    return fmt.by_unit(value, unit)


def published(builder, code: str, dims: tuple[str, ...], selection: Filters) -> pd.DataFrame:
    measure = indicators.MEASURES[code]
    return builder.build(measure.dataset, dims, code, selection).frame


def shown_tables(app: AppTest) -> list[pd.DataFrame]:
    return [table.value for table in app.table]


def table_with(tables: list[pd.DataFrame], *columns: str) -> pd.DataFrame:
    for table in tables:
        if all(c in table.columns for c in columns):
            return table
    raise AssertionError(f"no table with columns {columns}")


def values_of(frame: pd.DataFrame, unit: str) -> list[str]:
    return [expected_text(None if s == secrecy.SECRET else float(v), unit)
            for v, s in zip(frame["value"], frame["status"], strict=True)]


def assert_tiles(app: AppTest, builder, selection: Filters, codes: tuple[str, ...]) -> None:
    """Each tile shows the builder's published value of the selected year ("secret" when the
    whole population is refused)."""
    metrics = {m.label: m for m in app.metric}
    for code in codes:
        measure = indicators.MEASURES[code]
        try:
            frame = published(builder, code, ("year",), selection)
        except secrecy.PopulationTooSmall:
            assert metrics[measure.label].value == "secret", code
            continue
        by_year = dict(zip(frame["year"].astype(int), values_of(frame, measure.unit), strict=True))
        assert metrics[measure.label].value == by_year[selection.effective_year], code


def assert_bar_table(tables: list[pd.DataFrame], builder, selection: Filters, code: str, dimension: str,
                     header: str, *, top: int | None = None, exclude: tuple[str, ...] = (),
                     order: list[str] | None = None) -> None:
    """The table under a bar chart lists the builder's published cells: all of them in code order,
    in `order`, or the `top` largest published ones, largest first."""
    measure = indicators.MEASURES[code]
    try:
        frame = published(builder, code, (dimension,), selection)
    except secrecy.PopulationTooSmall:
        return
    frame = frame[~frame[dimension].astype(str).isin(exclude)]
    if order is not None:
        frame = frame.set_index(frame[dimension].astype(str)).loc[[c for c in order if c in set(
            frame[dimension].astype(str))]]
    if top is not None:
        frame = frame[frame["status"] == secrecy.OK].sort_values("value", ascending=False, kind="stable").head(top)
    shown = table_with(tables, header, measure.label)
    assert shown[header].tolist() == frame[f"{dimension}_label"].tolist(), code
    assert shown[measure.label].tolist() == values_of(frame, measure.unit), code


def assert_yearly_table(tables: list[pd.DataFrame], builder, selection: Filters, code: str) -> None:
    """The table under a ten-year line holds the builder's published value of each year."""
    measure = indicators.MEASURES[code]
    try:
        frame = published(builder, code, ("year",), selection)
    except secrecy.PopulationTooSmall:
        return
    shown = table_with(tables, "Année", measure.label)
    assert shown["Année"].tolist() == [str(y) for y in frame["year"]], code
    assert shown[measure.label].tolist() == values_of(frame, measure.unit), code
