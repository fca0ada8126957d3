"""Vue d'ensemble: six key figures with their change on a year, ten-year trends, and findings
written from the published figures of the current filters."""

from __future__ import annotations

from dataclasses import dataclass

from observatory import formatting as fmt
from observatory import indicators, reference, secrecy
from observatory.cards import PageContent
from observatory.filters import Filters
from observatory.tables import TableBuilder
from observatory.views.common import (
    by_dimension,
    by_year,
    change_between,
    guarded,
    sentences_from,
    total,
    trend_card,
)
from observatory.warehouse import QueryError

TILE_MEASURES = ("effectif", "etp", "salaire_median", "postes_non_pourvus", "stagiaires", "taux_acces")
TREND_MEASURES = ("effectif", "salaire_median", "postes_non_pourvus", "taux_acces")


@dataclass(frozen=True)
class Tile:
    code: str
    label: str
    value: str
    delta: str | None  # change against the previous year, French, signed
    help: str


def tile(builder: TableBuilder, code: str, filters: Filters) -> Tile:
    measure = indicators.MEASURES[code]
    year = filters.effective_year
    try:
        series = by_year(builder, code, filters)
    except secrecy.PopulationTooSmall as refused:
        return Tile(code, measure.label, "secret", None, refused.message)
    except QueryError:
        return Tile(code, measure.label, "indisponible", None, "Ce chiffre n'a pas pu être calculé.")
    value, previous = series.get(year), series.get(year - 1)
    delta = None
    if value is not None and previous is not None:
        if measure.unit == "share":
            delta = _points(value - previous) + f" par rapport à {year - 1}"
        elif previous:
            delta = fmt.signed_percent(value / previous - 1) + f" par rapport à {year - 1}"
    return Tile(code, measure.label, fmt.by_unit(value, measure.unit), delta, measure.definition)


def _points(difference: float) -> str:
    sign = "+" if difference >= 0 else "\u2212"
    return f"{sign}{fmt.number(abs(difference) * 100, 1)}\u202fpt"


def _trend_title(code: str):
    label = indicators.MEASURES[code].label

    def title(series: dict[int, float | None]) -> str:
        first, last = min(series, default=0), max(series, default=0)
        change = change_between(series, first, last)
        if change is None:
            return f"{label} depuis {first}"
        if indicators.MEASURES[code].unit == "share":
            start, end = series[first], series[last]
            return f"{label} : {fmt.percent(start)} en {first}, {fmt.percent(end)} en {last}"
        verb = "en hausse" if change > 0.005 else "en baisse" if change < -0.005 else "stable"
        return f"{label} : {verb} de {fmt.percent(abs(change))} entre {first} et {last}" if verb != "stable" \
            else f"{label} : stable entre {first} et {last}"
    return title


def findings(builder: TableBuilder, filters: Filters) -> tuple[str, ...]:
    """Three to five sentences on the current view, each skipped when its figures are secret."""
    year = filters.effective_year
    def headcount() -> str | None:
        persons, fte, women = (total(builder, c, filters) for c in ("effectif", "etp", "part_femmes"))
        if persons is None:
            return None
        text = f"En {year}, le champ retenu compte {fmt.number(persons)} salariés"
        if fte is not None:
            text += f" ({fmt.number(fte)} équivalents temps plein)"
        if women is not None and not filters.sex:
            text += f", dont {fmt.percent(women)} de femmes"
        return text + "."

    def pay() -> str | None:
        median, ratio, near = (total(builder, c, filters) for c in ("salaire_median", "ratio_smic",
                                                                     "part_proche_smic"))
        if median is None or ratio is None:
            return None
        smic = reference.smic_annual()[year]
        text = (f"Le salaire médian brut en équivalent temps plein atteint {fmt.euros(median)} par mois, "
                f"soit {fmt.number(ratio, 2)} fois le SMIC ({fmt.euros(smic)})")
        if near is not None:
            text += f" ; {fmt.percent(near)} des salariés sont payés moins de 1,1 SMIC"
        return text + "."

    def unfilled() -> str | None:
        rows = by_dimension(builder, "postes_non_pourvus", "branch", filters).dropna(subset=["value"])
        if len(rows) < 2 or rows["value"].sum() <= 0:
            return None
        top = rows.sort_values("value").iloc[-1]
        share = top["value"] / rows["value"].sum()
        return (f"La branche {top['label']} compte le plus de postes non pourvus au 31 décembre "
                f"({fmt.number(top['value'])}, {fmt.percent(share, 0)} du total des branches affichées).")

    def growth() -> str | None:
        series = by_year(builder, "effectif", filters)
        first = min(series)
        change = change_between(series, first, year)
        if change is None or year == first:
            return None
        direction = "progressé" if change >= 0 else "reculé"
        return f"L'effectif a {direction} de {fmt.percent(abs(change))} entre {first} et {year}."

    def access() -> str | None:
        rows = by_dimension(builder, "taux_acces", "employer_size", filters).dropna(subset=["value"])
        sizes = list(reference.EMPLOYER_SIZES)
        rows = rows[rows["code"].isin(sizes)]
        if len(rows) < 2:
            return None
        rows = rows.assign(order=rows["code"].map(sizes.index)).sort_values("order")
        small, large = rows.iloc[0], rows.iloc[-1]
        return (f"L'accès à la formation dépend de la taille de la structure : {fmt.percent(small['value'])} "
                f"des salariés en ont bénéficié dans les structures de {small['label'].lower()}, contre "
                f"{fmt.percent(large['value'])} dans celles de {large['label'].lower()}.")

    return sentences_from(headcount, pay, unfilled, growth, access)


def content(builder: TableBuilder, filters: Filters) -> PageContent:
    tiles = tuple(tile(builder, code, filters) for code in TILE_MEASURES)
    cards = tuple(
        guarded(f"tendance_{code}", indicators.MEASURES[code].label,
                lambda code=code: trend_card(builder, f"tendance_{code}", code, filters, _trend_title(code)))
        for code in TREND_MEASURES
    )
    return PageContent(findings(builder, filters), cards, tiles)
