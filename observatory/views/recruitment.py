"""Recrutement et postes vacants: openings and their outcome, vacancy rate against headcount,
the rise of tensions since 2021, the occupations hardest to fill, seasonality by month."""

from __future__ import annotations

from functools import partial

import pandas as pd

from observatory import formatting as fmt
from observatory import frames
from observatory.cards import PageContent
from observatory.filters import Filters
from observatory.tables import TableBuilder
from observatory.views import labour_needs
from observatory.views.common import (
    BarSpec,
    assembled,
    bar_piece,
    by_dimension,
    by_year,
    extremes,
    extremes_title,
    from_totals,
    guarded,
    scatter_card,
    sentences_from,
    trend_piece,
)

TILE_MEASURES = ("postes_ouverts", "postes_non_pourvus", "taux_vacance", "delai_median", "part_difficile",
                 "part_retiree")
TREND_MEASURES = ("postes_non_pourvus", "part_difficile")
TOP_OCCUPATIONS = 10
# Tensions rose after 2021 (France Travail BMO, DARES): the sentences compare with the year before.
BEFORE_TENSIONS = 2020


def _ranking_title(template: str, fallback: str, unit: str):
    """The finding of a top-N chart: the first row and its value."""
    def title(rows: pd.DataFrame) -> str:
        published = frames.dropna_rows(rows, "value")
        if published.empty:
            return fallback
        first = frames.sort_rows(published, "value", ascending=False).iloc[0]
        return template.format(label=first["label"], value=fmt.by_unit(first["value"], unit))
    return title


def _season_title(rows: pd.DataFrame) -> str:
    published = frames.dropna_rows(rows, "value")
    if published["value"].sum() <= 0:
        return "Postes ouverts par mois de publication"
    peak = frames.sort_rows(published, "value").iloc[-1]
    share = peak["value"] / published["value"].sum()
    return f"Les offres culminent en {peak['label']} : {fmt.percent(share)} des postes ouverts de l'année"


BAR_SPECS = (
    BarSpec("non_pourvus_branche", "postes_non_pourvus", "branch", extremes_title(
        "{high} : {high_value} postes non pourvus au 31 décembre, {low} : {low_value}",
        "{label} : {value} postes non pourvus au 31 décembre",
        "Postes non pourvus au 31 décembre par branche", "count"), select="branch"),
    BarSpec("metiers_non_pourvus", "postes_non_pourvus", "occupation", _ranking_title(
        "Le plus de postes non pourvus : {label} ({value})", "Métiers aux postes non pourvus", "count"),
        select="occupation", top=TOP_OCCUPATIONS),
    BarSpec("metiers_delai", "delai_median", "occupation", _ranking_title(
        "Le recrutement le plus long : {label}, {value} de délai médian", "Délai médian de recrutement",
        "days"), select="occupation", top=TOP_OCCUPATIONS),
    BarSpec("saisonnalite", "postes_ouverts", "month", _season_title, in_list_order=True),
    BarSpec("vacance_region", "taux_vacance", "region", extremes_title(
        "Taux de vacance : {high_value} en {high}, {low_value} en {low}", "Taux de vacance : {value} en {label}",
        "Taux de vacance par région", "share"), select="region"),
    BarSpec("difficile_branche", "part_difficile", "branch", extremes_title(
        "{high} : {high_value} des recrutements jugés difficiles, contre {low_value} en {low}",
        "{label} : {value} des recrutements jugés difficiles", "Recrutements jugés difficiles par branche",
        "share"), select="branch"),
)


def _vacancy_against_headcount_title(rows: pd.DataFrame) -> str:
    published = rows.dropna(subset=["x", "y"])
    if len(published) < 2:
        return "Taux de vacance et effectif par branche"
    highest = frames.sort_rows(published, "y").iloc[-1]
    largest = frames.sort_rows(published, "x").iloc[-1]
    if highest["code"] == largest["code"]:
        return f"{highest['label']}, la plus grande branche, a aussi le taux de vacance le plus élevé " \
               f"({fmt.percent(highest['y'])})"
    return (f"Taux de vacance le plus élevé : {highest['label']} ({fmt.percent(highest['y'])}) ; "
            f"la plus grande branche, {largest['label']}, est à {fmt.percent(largest['y'])}")


def findings(builder: TableBuilder, filters: Filters) -> tuple[str, ...]:
    year = filters.effective_year

    def unfilled() -> str | None:
        opened, open_at_end, rate = (builder.total(c, filters) for c in
                                     ("postes_ouverts", "postes_non_pourvus", "taux_vacance"))
        if opened is None or open_at_end is None:
            return None
        text = (f"En {year}, sur {fmt.number(opened)} postes ouverts, {fmt.number(open_at_end)} restaient "
                "non pourvus au 31 décembre")
        if rate is not None:
            text += f" : un taux de vacance de {fmt.percent(rate)} rapporté à l'effectif"
        return text + "."

    def tensions() -> str | None:
        series = by_year(builder, "part_difficile", filters)
        base = BEFORE_TENSIONS if year > BEFORE_TENSIONS else min(series)
        start, end = series.get(base), series.get(year)
        if start is None or end is None or base == year:
            return None
        text = (f"La part des recrutements jugés difficiles est passée de {fmt.percent(start)} en {base} "
                f"à {fmt.percent(end)} en {year}")
        after = {y: v for y, v in series.items() if base < y <= year and v is not None}
        peak_year = max(after, key=lambda y: after[y]) if after else year
        if peak_year != year and after[peak_year] - end >= 0.005:
            text += f" (sommet : {fmt.percent(after[peak_year])} en {peak_year})"
        return text + "."

    def occupations() -> str | None:
        unfilled_rows = frames.dropna_rows(by_dimension(builder, "postes_non_pourvus", "occupation", filters), "value")
        if unfilled_rows.empty or unfilled_rows["value"].max() <= 0:
            return None
        top = frames.sort_rows(unfilled_rows, "value").iloc[-1]
        text = f"Le métier qui compte le plus de postes non pourvus est {top['label']} ({fmt.number(top['value'])})"
        delays = frames.dropna_rows(by_dimension(builder, "delai_median", "occupation", filters), "value")
        if len(delays) >= 2:
            slow = frames.sort_rows(delays, "value").iloc[-1]
            text += (f" ; le délai médian de recrutement le plus long, {fmt.by_unit(slow['value'], 'days')}, "
                     f"est celui du métier {slow['label']}")
        return text + "."

    def branches() -> str | None:
        pair = extremes(by_dimension(builder, "taux_vacance", "branch", filters))
        if pair is None:
            return None
        low, high = pair
        return (f"Le taux de vacance va de {fmt.percent(low['value'])} dans la branche {low['label']} à "
                f"{fmt.percent(high['value'])} dans la branche {high['label']}.")

    withdrawn = from_totals(builder, filters, ("part_retiree", "delai_median"), lambda share, delay: (
        f"{fmt.percent(share)} des offres ont été retirées faute de candidat ; un poste pourvu l'a été "
        f"en {fmt.by_unit(delay, 'days')} (délai médian)."))
    return sentences_from(builder, unfilled, tensions, occupations, branches, withdrawn)


def content(builder: TableBuilder, filters: Filters) -> PageContent:
    cards = [partial(guarded, "vacance_effectif", "Taux de vacance et effectif par branche",  # wide, first
                     partial(scatter_card, builder, "vacance_effectif", "effectif", "taux_vacance", "branch", filters,
                             _vacancy_against_headcount_title, select="branch", wide=True))]
    cards += [trend_piece(builder, code, filters) for code in TREND_MEASURES]
    cards += [bar_piece(builder, spec, filters) for spec in BAR_SPECS]
    if labour_needs.available(builder.warehouse.snapshot):
        cards.append(partial(labour_needs.comparison_card, builder, filters))
    return assembled(builder, filters, TILE_MEASURES, cards, partial(findings, builder, filters))
