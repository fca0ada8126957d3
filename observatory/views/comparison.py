"""Comparer: two branches or two regions side by side on the same indicators, the differences
stated in words. Each side is the global selection with the branch (or region) filter replaced
by that side's code; every figure comes from the table builder."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

import pandas as pd

from observatory import charts, indicators, reference
from observatory import formatting as fmt
from observatory.cards import ChartCard, DataTable, Notice, describe_filters, file_stem, source_line
from observatory.charts import Caption
from observatory.filters import Filters
from observatory.tables import TableBuilder
from observatory.views.common import by_year, definition_of, guarded, published_total

KINDS = {"branche": ("branch", "branches", "Deux branches"), "region": ("region", "regions", "Deux régions")}
DEFAULT_PAIRS = {"branche": ("aide_domicile", "eclat"), "region": ("11", "84")}
MEASURES = ("effectif", "part_femmes", "part_55_plus", "temps_partiel", "salaire_median", "ratio_smic",
            "part_proche_smic", "postes_non_pourvus", "taux_vacance", "part_difficile", "delai_median",
            "taux_acces", "heures_par_stagiaire")
TRENDS = ("effectif", "salaire_median", "part_difficile", "taux_acces")
SMALL_GAP = 0.02  # relative gaps under 2 % (or 1 point for shares) are "proches"


def options(kind: str) -> dict[str, str]:
    return reference.code_lists()[KINDS[kind][0]].labels


def side(filters: Filters, kind: str, code: str) -> Filters:
    return replace(filters, **{KINDS[kind][1]: (code,)})


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    unit: str
    a: float | None
    b: float | None

    @property
    def gap(self) -> float | None:
        """b against a: points for shares, relative change otherwise."""
        if self.a is None or self.b is None:
            return None
        if self.unit == "share":
            return self.b - self.a
        return None if self.a == 0 else self.b / self.a - 1

    def is_close(self) -> bool:
        """Whether the two values are too near to call either higher."""
        gap = self.gap
        return gap is not None and abs(gap) < (0.01 if self.unit == "share" else SMALL_GAP)


@dataclass(frozen=True)
class Comparison:
    kind: str
    a: str
    b: str
    a_label: str
    b_label: str
    lines: tuple[Line, ...]
    sentences: tuple[str, ...]
    cards: tuple[ChartCard | Notice, ...]

    def table(self) -> pd.DataFrame:
        """Indicator, the two values (French), and the larger one named: the highlight column."""
        return pd.DataFrame({
            "Indicateur": [line.label for line in self.lines],
            self.a_label: [fmt.by_unit(line.a, line.unit) for line in self.lines],
            self.b_label: [fmt.by_unit(line.b, line.unit) for line in self.lines],
            f"Écart de {self.b_label} à {self.a_label}": [_gap_text(line) for line in self.lines],
            "Plus élevé": [_higher(line, self.a_label, self.b_label) for line in self.lines],
        })


def _gap_text(line: Line) -> str:
    gap = line.gap
    if gap is None:
        return "secret" if line.a is None or line.b is None else "—"
    if line.unit == "share":
        return f"{gap * 100:+.1f} pt".replace(".", ",").replace("-", "−")
    return ("+" if gap >= 0 else "−") + fmt.percent(abs(gap))


def _higher(line: Line, a_label: str, b_label: str) -> str:
    if line.gap is None:
        return ""
    if line.is_close():
        return "proches"
    return b_label if line.gap > 0 else a_label


def compare(builder: TableBuilder, filters: Filters, kind: str, a: str, b: str) -> Comparison:
    labels = options(kind)
    first, second = side(filters, kind, a), side(filters, kind, b)
    # Side by side (builder.gather), the ten-year lines first: the year's values of the
    # measures they draw are read from them.
    cards = [partial(guarded, f"comparer_{code}", indicators.MEASURES[code].label,
                     partial(_trend_card, builder, code, filters, kind, a, b)) for code in TRENDS]
    values = [partial(published_total, builder, code, half) for code in MEASURES for half in (first, second)]
    pieces: list = builder.gather([*cards, *values])
    found = iter(pieces[len(cards):])
    lines = tuple(Line(code, indicators.MEASURES[code].label, indicators.MEASURES[code].unit, next(found), next(found))
                  for code in MEASURES)
    return Comparison(kind, a, b, labels[a], labels[b], lines, _sentences(lines, labels[a], labels[b]),
                      tuple(pieces[:len(cards)]))


def _sentences(lines: tuple[Line, ...], a_label: str, b_label: str) -> tuple[str, ...]:
    """The widest differences first, in words; close values said once together."""
    apart = sorted((line for line in lines if line.gap is not None and not line.is_close()),
                   key=lambda line: abs(line.gap if line.unit != "share" else line.gap * 5), reverse=True)
    written = []
    for line in apart[:4]:
        higher, lower = (b_label, a_label) if line.gap > 0 else (a_label, b_label)
        high_value, low_value = (line.b, line.a) if line.gap > 0 else (line.a, line.b)
        written.append(f"{line.label} : {fmt.by_unit(high_value, line.unit)} pour {higher} contre "
                       f"{fmt.by_unit(low_value, line.unit)} pour {lower} ({_size(line, high_value, low_value)}).")
    close = [_lowered(line.label) for line in lines if line.is_close()]
    if close:
        written.append(f"Valeurs proches ({', '.join(close)}).")
    secret = [_lowered(line.label) for line in lines if line.a is None or line.b is None]
    if secret:
        written.append(f"Non comparables (secret statistique) : {', '.join(secret)}.")
    return tuple(written)


def _lowered(label: str) -> str:
    """A label inside a sentence: first letter lowered, acronyms (SMIC, EQTP) kept."""
    return label[:1].lower() + label[1:]


def _size(line: Line, high: float, low: float) -> str:
    """How far apart, in the words a reader expects: points, percent, or times."""
    if line.unit == "share":
        return f"{abs(line.gap or 0) * 100:.1f} points d'écart".replace(".", ",")
    if low <= 0:
        return "écart non chiffrable"
    ratio = high / low
    if ratio >= 2:
        return f"{fmt.number(ratio, 1)} fois plus"
    return f"{fmt.percent(ratio - 1)} de plus"


def _trend_card(builder: TableBuilder, code: str, filters: Filters, kind: str, a: str, b: str) -> ChartCard:
    measure = indicators.MEASURES[code]
    labels = options(kind)
    series = {side_code: by_year(builder, code, side(filters, kind, side_code)) for side_code in (a, b)}
    years = sorted(series[a])
    last = years[-1]
    values = [series[c].get(last) for c in (a, b)]
    title = measure.label
    if None not in values:
        title = (f"{measure.label} en {last} : {fmt.by_unit(values[0], measure.unit)} pour {labels[a]}, "
                 f"{fmt.by_unit(values[1], measure.unit)} pour {labels[b]}")
    colours = charts.branch_colours() if kind == "branche" else {a: charts.MAIN, b: charts.SECOND}
    shared = replace(filters, **{KINDS[kind][1]: ()})  # the filters both sides share
    caption = Caption(title, f"{measure.label} · {describe_filters(shared, (years[0], last))}",
                  source_line(builder.warehouse.snapshot))
    figure = charts.line_chart([charts.Series(labels[c], years, [series[c].get(y) for y in years], colour=colours[c])
                                for c in (a, b)], caption, unit=measure.unit)
    data = DataTable(pd.DataFrame({"Année": [str(y) for y in years],
                                   **{labels[c]: [series[c].get(y) for y in years] for c in (a, b)}}),
                     {labels[a]: measure.unit, labels[b]: measure.unit})
    return ChartCard(f"comparer_{code}", caption, figure, data,
                     file_stem(f"{code}_comparaison", ("year",), replace(filters, **{KINDS[kind][1]: (a, b)}),
                               (years[0], last)),
                     definition_of(code), alt=f"Deux courbes : {measure.label}, {labels[a]} et {labels[b]}.")
