"""Pieces every view uses: key-figure tiles, yearly series, bar and trend cards, and the guard
that turns a figure that cannot be published into a notice instead of an error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from observatory import charts, frames, indicators, secrecy
from observatory import formatting as fmt
from observatory.cards import (
    ChartCard,
    DataTable,
    Notice,
    PageContent,
    Tile,
    describe_filters,
    file_stem,
    rows_of,
    source_line,
)
from observatory.charts import Caption
from observatory.filters import Filters
from observatory.tables import DIMENSION_LABELS, ProtectedTable, TableBuilder, dimension_labels
from observatory.tables.requests import READS_OTHERS, Request
from observatory.warehouse import QueryError

UNAVAILABLE = "Ce graphique n'a pas pu être calculé ; réessayez dans un instant."


def assembled(builder: TableBuilder, filters: Filters, tile_codes: Sequence[str],
              cards: Sequence[Callable[[], ChartCard | Notice]],
              sentences: Callable[[], tuple[str, ...]]) -> PageContent:
    """A page's content, its pieces computed side by side by the builder: each tile names the
    ten-year table it reads, the cards compute theirs, the findings read the tiles' tables."""
    tiles = [(Request(code, ("year",), filters), partial(tile, builder, code, filters)) for code in tile_codes]
    pieces: list = builder.gather([*tiles, *cards, (READS_OTHERS, sentences)])
    return PageContent(pieces[-1], tuple(pieces[len(tiles):-1]), tuple(pieces[:len(tiles)]))


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
    return _values_by_year(builder.build(measure.dataset, ("year",), measure_code, filters))


def _values_by_year(table: ProtectedTable) -> dict[int, float | None]:
    return {int(y): value_or_none(v) for y, v in zip(table.frame["year"], table.frame["value"], strict=True)}


def by_dimension(builder: TableBuilder, measure_code: str, dimension: str, filters: Filters) -> pd.DataFrame:
    measure = indicators.MEASURES[measure_code]
    return rows_of(builder.build(measure.dataset, (dimension,), measure_code, filters), dimension)


def extremes(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """The rows with the lowest and highest published values (None with fewer than two)."""
    values = rows["value"].to_numpy(dtype=float)
    published = np.flatnonzero(~np.isnan(values))
    if len(published) < 2:
        return None
    # Positions of `rows.dropna(subset=["value"]).sort_values("value")`, without the two frames.
    order = published[frames.sort_order(values[published])]
    return rows.iloc[order[0]], rows.iloc[order[-1]]


def in_list_order(rows: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Rows in the natural order of the dimension's code list (sizes, age bands, months); codes
    outside the list last (as `sort_values` on their rank would put them)."""
    order = {code: i for i, code in enumerate(dimension_labels(dimension))}
    ranks = [order.get(code) for code in rows["code"].tolist()]
    known = None not in ranks
    values = np.array(ranks if known else [np.nan if r is None else r for r in ranks],
                      dtype=np.int64 if known else float)
    return rows.take(frames.sort_order(values))


def extremes_title(template: str, single: str, fallback: str, unit: str) -> Callable[[pd.DataFrame], str]:
    """The finding of a bar chart: highest against lowest; the one figure when a single row is
    published; `fallback` when none is."""
    def title(rows: pd.DataFrame) -> str:
        pair = extremes(rows)
        if pair is None:
            published = frames.dropna_rows(rows, "value")
            if len(published) == 1:
                only = published.iloc[0]
                return single.format(label=only["label"], value=fmt.by_unit(only["value"], unit))
            return fallback
        low, high = pair
        return template.format(high=high["label"], high_value=fmt.by_unit(high["value"], unit),
                               low=low["label"], low_value=fmt.by_unit(low["value"], unit))
    return title


@dataclass(frozen=True)
class BarSpec:
    key: str
    measure: str
    dimension: str
    title: Callable[[pd.DataFrame], str]  # the finding, written from the published rows
    select: str | None = None
    in_list_order: bool = False  # ordered sizes, age bands, months: not sorted by value
    top: int | None = None  # only the `top` largest published values (long lists: occupations)
    exclude: tuple[str, ...] = ()  # codes left out of the chart (a "none" category)
    wide: bool = False  # drawn at full width (long labels)
    note: str = ""  # added to the definition (a glossary of the categories)


def bar_card(builder: TableBuilder, spec: BarSpec, filters: Filters) -> ChartCard:
    measure = indicators.MEASURES[spec.measure]
    table: ProtectedTable = builder.build(measure.dataset, (spec.dimension,), spec.measure, filters)
    rows = rows_of(table, spec.dimension)
    if spec.exclude:
        rows = rows[~rows["code"].isin(spec.exclude)]
    if spec.in_list_order:
        rows = in_list_order(rows, spec.dimension)
    if spec.top:
        rows = frames.sort_rows(frames.dropna_rows(rows, "value"), "value", ascending=False, kind="stable"
                                ).head(spec.top)
    caption = Caption(spec.title(rows), f"{measure.label} · {describe_filters(filters, table.years)}",
                  source_line(builder.warehouse.snapshot), wide=spec.wide)
    colours = charts.branch_colours() if spec.dimension == "branch" else None
    figure = charts.bar_chart(rows, caption, unit=measure.unit, colours=colours, sort=not spec.in_list_order)
    data = DataTable(pd.DataFrame({DIMENSION_LABELS[spec.dimension]: rows["label"].array,
                                   measure.label: rows["value"].to_numpy()}, index=rows.index),
                     {measure.label: measure.unit})
    return ChartCard(spec.key, caption, figure, data, file_stem(spec.measure, (spec.dimension,), filters, table.years),
                     _definition(measure, table) + (f"\n\n{spec.note}" if spec.note else ""), spec.select,
                     alt=f"Diagramme en barres : {measure.label} par {DIMENSION_LABELS[spec.dimension].lower()}.")


def bar_piece(builder: TableBuilder, spec: BarSpec, filters: Filters) -> Callable[[], ChartCard | Notice]:
    """The bar card of `spec`, to compute with the page's other pieces (`assembled`)."""
    return partial(guarded, spec.key, indicators.MEASURES[spec.measure].label,
                   partial(bar_card, builder, spec, filters))


def trend_piece(builder: TableBuilder, code: str, filters: Filters) -> Callable[[], ChartCard | Notice]:
    """The ten-year line of `code`, to compute with the page's other pieces (`assembled`)."""
    return partial(guarded, f"tendance_{code}", indicators.MEASURES[code].label,
                   partial(trend_card, builder, f"tendance_{code}", code, filters, trend_title(code)))


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
    caption = Caption(title(series), f"{measure.label} · {describe_filters(filters, years)}",
                  source_line(builder.warehouse.snapshot))
    figure = charts.line_chart([charts.Series(measure.label, list(series), list(series.values()))], caption,
                               unit=measure.unit)
    data = DataTable(pd.DataFrame({"Année": [str(y) for y in series], measure.label: list(series.values())}),
                     {measure.label: measure.unit})
    return ChartCard(key, caption, figure, data, file_stem(measure_code, ("year",), filters, years),
                     definition_of(measure_code), alt=f"Courbe : {measure.label} par année.")


def trend_title(code: str) -> Callable[[dict[int, float | None]], str]:
    """The finding of a ten-year line: first and last level of a share, else the change."""
    measure = indicators.MEASURES[code]

    def title(series: dict[int, float | None]) -> str:
        first, last = min(series, default=0), max(series, default=0)
        change = change_between(series, first, last)
        if change is None:
            return f"{measure.label} depuis {first}"
        if measure.unit == "share":
            return f"{measure.label} : {fmt.percent(series[first])} en {first}, {fmt.percent(series[last])} en {last}"
        if abs(change) <= 0.005:
            return f"{measure.label} : stable entre {first} et {last}"
        verb = "en hausse" if change > 0 else "en baisse"
        return f"{measure.label} : {verb} de {fmt.percent(abs(change))} entre {first} et {last}"
    return title


def change_between(series: dict[int, float | None], first: int, last: int) -> float | None:
    """Relative change between two published years (None if either is secret or zero)."""
    start, end = series.get(first), series.get(last)
    if start is None or end is None or start == 0:
        return None
    return end / start - 1


def sentences_from(builder: TableBuilder, *writers: Callable[[], str | None]) -> tuple[str, ...]:
    """Key-finding sentences: each writer returns one or None; one whose figures are secret or
    whose query failed is left out rather than written with a hole."""
    return tuple(sentence for sentence in builder.gather([partial(_written, write) for write in writers]) if sentence)


def from_totals(builder: TableBuilder, filters: Filters, codes: Sequence[str], write: Callable[..., str], *,
                optional: Sequence[str] = ()) -> Callable[[], str | None]:
    """A finding written from the year's published totals of `codes` then of `optional`, given in
    that order; None (left out) when one of `codes` is secret, an optional one None when secret
    (its clause left out)."""
    def written() -> str | None:
        values = [builder.total(code, filters) for code in (*codes, *optional)]
        return None if any(value is None for value in values[:len(codes)]) else write(*values)
    return written


def published_total(builder: TableBuilder, code: str, filters: Filters) -> float | None:
    """The year's total, None when it is secret or could not be computed (the card or table that
    shows it says "secret")."""
    try:
        return builder.total(code, filters)
    except (secrecy.PopulationTooSmall, QueryError):
        return None


def _written(write: Callable[[], str | None]) -> str | None:
    try:
        return write()
    except (secrecy.PopulationTooSmall, QueryError):
        return None


def tile(builder: TableBuilder, code: str, filters: Filters) -> Tile:
    """A key figure of the selected year with its change on the previous year (in points for a
    share); "secret" when the population cannot be published."""
    measure = indicators.MEASURES[code]
    year = filters.effective_year
    try:
        series = by_year(builder, code, filters)
    except secrecy.PopulationTooSmall as refused:
        return Tile(code, measure.label, "secret", None, refused.message)
    except QueryError:
        return Tile(code, measure.label, "indisponible", None, "Ce chiffre n'a pas pu être calculé.")
    value, previous = series.get(year), series.get(year - 1)
    # A secret figure says why when the table does (a selection of several values).
    notes = builder.build(measure.dataset, ("year",), code, filters).notes if value is None else ()
    delta, trend = None, 0
    if value is not None and previous is not None and (previous or measure.unit == "share"):
        # Both written in hundredths with one decimal: points of a share, percent of a change.
        change = value - previous if measure.unit == "share" else value / previous - 1
        text = points(change) if measure.unit == "share" else fmt.signed_percent(change)
        delta, trend = f"{text} par rapport à {year - 1}", fmt.sign_as_written(change * 100, 1)
    return Tile(code, measure.label, fmt.by_unit(value, measure.unit), delta,
                "\n\n".join((measure.definition, *notes)), trend)


def points(difference: float) -> str:
    """A difference of two shares in percentage points: `+1,2 pt`."""
    sign = "+" if difference >= 0 else "\u2212"
    return f"{sign}{fmt.number(abs(difference) * 100, 1)}\u202fpt"


def scatter_card(builder: TableBuilder, key: str, x_code: str, y_code: str, dimension: str, filters: Filters,
                 title: Callable[[pd.DataFrame], str], select: str | None = None, wide: bool = False) -> ChartCard:
    """Two measures of the same cells against each other (rows code, label, x, y; secret rows
    listed in the table, not drawn)."""
    x_measure, y_measure = indicators.MEASURES[x_code], indicators.MEASURES[y_code]
    xs = by_dimension(builder, x_code, dimension, filters)
    ys = by_dimension(builder, y_code, dimension, filters)
    # Outer: a cell may exist on one side only (the two measures need not honour the same filters).
    rows = xs.rename(columns={"value": "x"})[["code", "label", "x"]].merge(
        ys.rename(columns={"value": "y"})[["code", "label", "y"]], on=["code", "label"], how="outer")
    years = (filters.effective_year,) * 2
    caption = Caption(title(rows), f"{y_measure.label} et {x_measure.label.lower()} par "
                  f"{DIMENSION_LABELS[dimension].lower()} · {describe_filters(filters, years)}",
                  source_line(builder.warehouse.snapshot), wide=wide)
    colours = charts.branch_colours() if dimension == "branch" else None
    figure = charts.scatter_chart(frames.dropna_rows(rows, "x", "y"), caption,
                                  charts.Axis(x_measure.label, x_measure.unit),
                                  charts.Axis(y_measure.label, y_measure.unit), colours)
    data = DataTable(pd.DataFrame({DIMENSION_LABELS[dimension]: rows["label"], x_measure.label: rows["x"],
                                   y_measure.label: rows["y"]}),
                     {x_measure.label: x_measure.unit, y_measure.label: y_measure.unit})
    return ChartCard(key, caption, figure, data, file_stem(f"{y_code}_{x_code}", (dimension,), filters, years),
                     definition_of(y_code, x_code), select,
                     alt=f"Nuage de points : {y_measure.label} selon {x_measure.label.lower()}, "
                         f"un point par {DIMENSION_LABELS[dimension].lower()}.")


def yearly_lines_card(builder: TableBuilder, key: str, measure_code: str, dimension: str, filters: Filters,
                      title: Callable[[pd.DataFrame], str], note: str = "") -> ChartCard:
    """Ten years of one measure, one line per code of `dimension` (a year x dimension table;
    `title` reads its published rows: year, code, label, value)."""
    measure = indicators.MEASURES[measure_code]
    table = builder.build(measure.dataset, ("year", dimension), measure_code, filters)
    rows = pd.DataFrame({"year": table.frame["year"].astype(int), "code": table.frame[dimension].astype(str),
                         "label": table.frame[f"{dimension}_label"], "value": table.frame["value"].astype(float)})
    years = list(range(table.years[0], table.years[1] + 1))
    labels = dimension_labels(dimension)
    present = [code for code in labels if code in set(rows["code"])]
    wide = rows.pivot(index="year", columns="code", values="value").reindex(index=years, columns=present)
    palette = charts.TEMPLATE.layout.colorway
    series = [charts.Series(labels[code], years, wide[code].tolist(), colour=palette[i % len(palette)])
              for i, code in enumerate(present)]
    caption = Caption(title(rows), f"{measure.label} par {DIMENSION_LABELS[dimension].lower()} · "
                  f"{describe_filters(filters, table.years)}", source_line(builder.warehouse.snapshot), wide=True)
    figure = charts.line_chart(series, caption, unit=measure.unit, log_scale=True)
    data = DataTable(pd.DataFrame({"Année": [str(y) for y in years],
                                   **{labels[code]: wide[code].to_numpy() for code in present}}),
                     {labels[code]: measure.unit for code in present})
    return ChartCard(key, caption, figure, data, file_stem(measure_code, ("year", dimension), filters, table.years),
                     definition_of(measure_code) + (f"\n\n{note}" if note else ""),
                     alt=f"Courbes : {measure.label} par année, une par {DIMENSION_LABELS[dimension].lower()}.")


def access_by_size_sentence(builder: TableBuilder, filters: Filters) -> str | None:
    """Training access in the smallest structures against the largest (the classic inequality)."""
    rows = in_list_order(by_dimension(builder, "taux_acces", "employer_size", filters), "employer_size")
    rows = frames.dropna_rows(rows, "value")
    if len(rows) < 2:
        return None
    small, large = rows.iloc[0], rows.iloc[-1]
    return (f"L'accès à la formation dépend de la taille de la structure : {fmt.percent(small['value'])} "
            f"des salariés en ont bénéficié dans les structures de {small['label'].lower()}, contre "
            f"{fmt.percent(large['value'])} dans celles de {large['label'].lower()}.")
