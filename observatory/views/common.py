"""Pieces every view uses: yearly series, bar cards, and the guard that turns a figure that
cannot be published into a notice instead of an error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from observatory import charts, indicators, secrecy
from observatory.cards import ChartCard, DataTable, Notice, describe_filters, file_stem, rows_of, source_line
from observatory.charts import Frame
from observatory.filters import Filters
from observatory.tables import DIMENSION_LABELS, ProtectedTable, TableBuilder
from observatory.warehouse import QueryError

UNAVAILABLE = "Ce graphique n'a pas pu être calculé ; réessayez dans un instant."


def guarded(key: str, title: str, make: Callable[[], ChartCard]) -> ChartCard | Notice:
    """The card, or a plain French notice when its population is too small or a query failed."""
    try:
        return make()
    except secrecy.PopulationTooSmall as refused:
        return Notice(key, title, refused.message)
    except QueryError:
        return Notice(key, title, UNAVAILABLE)


def value_or_none(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def by_year(builder: TableBuilder, measure_code: str, filters: Filters) -> dict[int, float | None]:
    """Published value of each year (None where secret)."""
    measure = indicators.MEASURES[measure_code]
    table = builder.build(measure.dataset, ("year",), measure_code, filters)
    return {int(y): value_or_none(v) for y, v in zip(table.frame["year"], table.frame["value"], strict=True)}


def by_dimension(builder: TableBuilder, measure_code: str, dimension: str, filters: Filters) -> pd.DataFrame:
    measure = indicators.MEASURES[measure_code]
    return rows_of(builder.build(measure.dataset, (dimension,), measure_code, filters), dimension)


def total(builder: TableBuilder, measure_code: str, filters: Filters) -> float | None:
    """The published total of the filtered population for the selected year (None if secret)."""
    measure = indicators.MEASURES[measure_code]
    table = builder.build(measure.dataset, (), measure_code, filters)
    return value_or_none(table.frame["value"].iloc[0])


def extremes(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """The rows with the lowest and highest published values (None with fewer than two)."""
    published = rows.dropna(subset=["value"])
    if len(published) < 2:
        return None
    ordered = published.sort_values("value")
    return ordered.iloc[0], ordered.iloc[-1]


@dataclass(frozen=True)
class BarSpec:
    key: str
    measure: str
    dimension: str
    title: Callable[[pd.DataFrame], str]  # the finding, written from the published rows
    select: str | None = None


def bar_card(builder: TableBuilder, spec: BarSpec, filters: Filters) -> ChartCard:
    measure = indicators.MEASURES[spec.measure]
    table: ProtectedTable = builder.build(measure.dataset, (spec.dimension,), spec.measure, filters)
    rows = rows_of(table, spec.dimension)
    frame = Frame(spec.title(rows), f"{measure.label} · {describe_filters(filters, table.years)}",
                  source_line(builder.warehouse.snapshot))
    colours = charts.branch_colours() if spec.dimension == "branch" else None
    figure = charts.bar_chart(rows, frame, unit=measure.unit, colours=colours)
    data = DataTable(pd.DataFrame({DIMENSION_LABELS[spec.dimension]: rows["label"], measure.label: rows["value"]}),
                     {measure.label: measure.unit})
    return ChartCard(spec.key, frame, figure, data, file_stem(spec.measure, (spec.dimension,), filters, table.years),
                     _definition(measure, table), spec.select,
                     alt=f"Diagramme en barres : {measure.label} par {DIMENSION_LABELS[spec.dimension].lower()}.")


def _definition(measure: indicators.Measure, table: ProtectedTable) -> str:
    notes = "".join(f"\n\n{note}" for note in table.notes)
    return f"**{measure.label}** : {measure.definition}{notes}"


def definition_of(*codes: str) -> str:
    return "\n\n".join(f"**{indicators.MEASURES[c].label}** : {indicators.MEASURES[c].definition}" for c in codes)


def trend_card(builder: TableBuilder, key: str, measure_code: str, filters: Filters,
               title: Callable[[dict[int, float | None]], str]) -> ChartCard:
    """Ten-year line of one measure under the current filters."""
    measure = indicators.MEASURES[measure_code]
    series = by_year(builder, measure_code, filters)
    years = (min(series), max(series)) if series else (filters.effective_year,) * 2
    frame = Frame(title(series), f"{measure.label} · {describe_filters(filters, years)}",
                  source_line(builder.warehouse.snapshot))
    figure = charts.line_chart([charts.Series(measure.label, list(series), list(series.values()))], frame,
                               unit=measure.unit)
    data = DataTable(pd.DataFrame({"Année": [str(y) for y in series], measure.label: list(series.values())}),
                     {measure.label: measure.unit})
    return ChartCard(key, frame, figure, data, file_stem(measure_code, ("year",), filters, years),
                     definition_of(measure_code), alt=f"Courbe : {measure.label} par année.")


def change_between(series: dict[int, float | None], first: int, last: int) -> float | None:
    """Relative change between two published years (None if either is secret or zero)."""
    start, end = series.get(first), series.get(last)
    if start is None or end is None or start == 0:
        return None
    return end / start - 1


def sentences_from(*writers: Callable[[], str | None]) -> tuple[str, ...]:
    """Key-finding sentences: each writer returns one or None; one whose figures are secret or
    whose query failed is left out rather than written with a hole."""
    written: list[str] = []
    for write in writers:
        try:
            sentence = write()
        except (secrecy.PopulationTooSmall, QueryError):
            continue
        if sentence:
            written.append(sentence)
    return tuple(written)
