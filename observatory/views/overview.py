"""Vue d'ensemble: six key figures with their change on a year, ten-year trends, and findings
written from the published figures of the current filters."""

from __future__ import annotations

from functools import partial

from observatory import formatting as fmt
from observatory import frames, reference
from observatory.cards import PageContent
from observatory.filters import Filters
from observatory.tables import TableBuilder
from observatory.views.common import (
    access_by_size_sentence,
    assembled,
    by_dimension,
    by_year,
    change_between,
    from_totals,
    sentences_from,
    trend_piece,
)

TILE_MEASURES = ("effectif", "etp", "salaire_median", "postes_non_pourvus", "stagiaires", "taux_acces")
TREND_MEASURES = ("effectif", "salaire_median", "postes_non_pourvus", "taux_acces")


def findings(builder: TableBuilder, filters: Filters) -> tuple[str, ...]:
    """Three to five sentences on the current view, each skipped when its figures are secret."""
    year = filters.effective_year
    def headcount(persons: float, fte: float | None, women: float | None) -> str:
        text = f"En {year}, le champ retenu compte {fmt.number(persons)} salariés"
        if fte is not None:
            text += f" ({fmt.number(fte)} équivalents temps plein)"
        if women is not None and not filters.sex:
            text += f", dont {fmt.percent(women)} de femmes"
        return text + "."

    def pay(median: float, ratio: float, near: float | None) -> str:
        text = (f"Le salaire médian brut en équivalent temps plein atteint {fmt.euros(median)} par mois, "
                f"soit {fmt.number(ratio, 2)} fois le SMIC ({fmt.euros(reference.smic_annual()[year])})")
        if near is not None:
            text += f" ; {fmt.percent(near)} des salariés sont payés moins de 1,1 SMIC"
        return text + "."

    def unfilled() -> str | None:
        rows = frames.dropna_rows(by_dimension(builder, "postes_non_pourvus", "branch", filters), "value")
        if len(rows) < 2 or rows["value"].sum() <= 0:
            return None
        top = frames.sort_rows(rows, "value").iloc[-1]
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

    return sentences_from(builder,
                          from_totals(builder, filters, ("effectif",), headcount, optional=("etp", "part_femmes")),
                          from_totals(builder, filters, ("salaire_median", "ratio_smic"), pay,
                                      optional=("part_proche_smic",)), unfilled, growth,
                          lambda: access_by_size_sentence(builder, filters))


def content(builder: TableBuilder, filters: Filters) -> PageContent:
    return assembled(builder, filters, TILE_MEASURES, [trend_piece(builder, code, filters) for code in TREND_MEASURES],
                     partial(findings, builder, filters))
