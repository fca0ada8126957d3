"""Portrait de branche: one branch from every side (who works there, for what pay, which posts
stay empty, who trains), from the same protected tables as the other pages, plus the sentences
a negotiator would quote."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

import numpy as np
import pandas as pd

from observatory import charts, indicators, reference
from observatory import formatting as fmt
from observatory.cards import ChartCard, DataTable, Notice, PageContent, describe_filters, file_stem, source_line
from observatory.charts import Caption
from observatory.filters import Filters
from observatory.tables import TableBuilder, dimension_labels
from observatory.views import salaries
from observatory.views.common import (
    BarSpec,
    assembled,
    bar_piece,
    definition_of,
    extremes_title,
    from_totals,
    guarded,
    sentences_from,
    trend_piece,
)

DEFAULT_BRANCH = "aide_domicile"
RETIREMENT_ASSUMPTION = ("Hypothèse : départ à la retraite entre 62 et 64 ans (âge légal relevé progressivement "
                         "à 64 ans par la réforme de 2023) ; « à 5 ans » compte les 57 ans ou plus, « à 10 ans » "
                         "les 52 ans ou plus, sans départs anticipés ni prolongations.")
TILE_MEASURES = ("effectif", "etp", "part_femmes", "part_55_plus", "departs_5ans", "departs_10ans",
                 "salaire_median", "ratio_smic", "postes_non_pourvus", "taux_acces")
TOP = 10
WIDE_CARDS = 3  # pay by occupation, unfilled posts and tensions by occupation
SENIOR_BANDS = ("55_59", "60_64", "65_plus")


def branch_of(filters: Filters) -> str:
    """The portrayed branch: the one chosen in the filters, else the largest branch."""
    return filters.branches[0] if filters.branches else DEFAULT_BRANCH


def pyramid_card(builder: TableBuilder, filters: Filters) -> ChartCard:
    measure = indicators.MEASURES["effectif"]
    table = builder.build("employees", ("age5", "sex"), "effectif", replace(filters, sex=None))
    frame = table.frame
    # Bands in their order, women and men side by side (a lookup: pivot_table costs a visible part
    # of the card; bench/README.md, section « Ce qui a changé », « Pyramide des âges »).
    value_of = dict(zip(zip(frame["age5"], frame["sex"], strict=True), frame["value"], strict=True))
    labels = dimension_labels("age5")
    order = [code for code in labels if (code, "F") in value_of or (code, "M") in value_of]
    women, men = (np.array([value_of.get((code, sex), np.nan) for code in order], dtype=float) for sex in "FM")
    rows = pd.DataFrame({"label": [labels[c] for c in order], "women": women, "men": men})
    senior = np.array([code in SENIOR_BANDS for code in order], dtype=bool)
    # Over the published cells only.
    older, everyone = np.nansum(women[senior]) + np.nansum(men[senior]), np.nansum(women) + np.nansum(men)
    title = "Pyramide des âges"
    if everyone:
        title = f"Pyramide des âges : {fmt.percent(older / everyone)} des salariés ont 55 ans ou plus"
    years = table.years
    subtitle = f"{measure.label} par âge et sexe · {describe_filters(replace(filters, sex=None), years)}"
    caption = Caption(title, subtitle, source_line(builder.warehouse.snapshot))
    figure = charts.pyramid_chart(rows, caption)
    data = DataTable(pd.DataFrame({"Âge": rows["label"], "Femmes": rows["women"], "Hommes": rows["men"]}),
                     {"Femmes": "count", "Hommes": "count"})
    return ChartCard("pyramide", caption, figure, data,
                     file_stem("pyramide_ages", ("age5", "sex"), filters, years),
                     definition_of("effectif") + "\n\nTranches de 5 ans d'âge au 31 décembre ; chaque case est "
                     "protégée comme les autres (bruit, seuils) : la part des 55 ans ou plus du titre est calculée "
                     "sur les cases publiées.",
                     alt="Pyramide des âges : effectifs par tranche de 5 ans, femmes à droite, hommes à gauche.")


BAR_SPECS = (
    BarSpec("taille", "effectif", "employer_size", extremes_title(
        "Salariés par taille de structure : {high_value} dans les structures de {high}",
        "{label} : {value} salariés", "Salariés par taille de structure", "count"), in_list_order=True),
    BarSpec("contrats", "effectif", "contract", extremes_title(
        "Contrats : {high_value} en {high}", "{label} : {value}", "Salariés par contrat", "count")),
    BarSpec("non_pourvus_metier", "postes_non_pourvus", "occupation", extremes_title(
        "Postes non pourvus : {high} en tête ({high_value})", "{label} : {value} postes non pourvus",
        "Postes non pourvus par métier", "count"), top=TOP, wide=True),
    BarSpec("difficile_metier", "part_difficile", "occupation", extremes_title(
        "Métiers sous tension : {high_value} de recrutements difficiles pour {high}",
        "{label} : {value} de recrutements difficiles", "Recrutements difficiles par métier", "share"),
        top=TOP, wide=True),
    BarSpec("dispositifs", "stagiaires", "scheme", extremes_title(
        "Formation : {high} d'abord ({high_value} stagiaires)", "{label} : {value} stagiaires",
        "Stagiaires par dispositif", "count")),
)
TRENDS = ("effectif", "temps_partiel", "turnover", "taux_acces")


def content(builder: TableBuilder, filters: Filters) -> PageContent:
    branch = branch_of(filters)
    here = replace(filters, branches=(branch,))
    # The full-width cards first (WIDE_CARDS of them: long occupation lists), then two by two.
    cards: list[Callable[[], ChartCard | Notice]] = [
        partial(guarded, "salaires", "Salaires par métier", partial(salaries.distribution_card, builder, "occupation",
                                                                     here))]
    cards += [bar_piece(builder, spec, here) for spec in BAR_SPECS if spec.wide]
    cards.append(partial(guarded, "pyramide", "Pyramide des âges", partial(pyramid_card, builder, here)))
    cards += [bar_piece(builder, spec, here) for spec in BAR_SPECS if not spec.wide]
    cards += [trend_piece(builder, code, here) for code in TRENDS]
    return assembled(builder, here, TILE_MEASURES, cards, partial(_sentences, builder, here))


def _sentences(builder: TableBuilder, filters: Filters) -> tuple[str, ...]:
    label = reference.code_lists()["branch"].label(filters.branches[0])
    year = filters.effective_year

    people = from_totals(builder, filters, ("effectif", "part_femmes"), lambda headcount, women: (
        f"{label} : {fmt.number(headcount)} salariés en {year}, dont {fmt.percent(women)} de femmes."))
    retirements = from_totals(builder, filters, ("part_55_plus", "departs_5ans", "departs_10ans"),
                              lambda older, five, ten: (
        f"{fmt.percent(older)} ont 55 ans ou plus : {fmt.number(five)} départs à la retraite possibles d'ici "
        f"5 ans et {fmt.number(ten)} d'ici 10 ans (départ supposé entre 62 et 64 ans)."))
    pay = from_totals(builder, filters, ("salaire_median", "ratio_smic"), lambda median, ratio: (
        f"Salaire médian brut : {fmt.euros(median)} par mois en équivalent temps plein, {fmt.number(ratio, 2)} SMIC."))
    vacancies = from_totals(builder, filters, ("postes_non_pourvus", "part_difficile"), lambda unfilled, hard: (
        f"{fmt.number(unfilled)} postes non pourvus au 31 décembre ; {fmt.percent(hard)} des recrutements "
        "jugés difficiles."))
    training = from_totals(builder, filters, ("taux_acces",), lambda access: (
        f"Taux d'accès à la formation : {fmt.percent(access)}."))
    return sentences_from(builder, people, retirements, pay, vacancies, training)
