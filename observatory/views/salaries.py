"""Salaires: distributions by branch and occupation, ten years in current and constant euros
beside the SMIC, closeness to the SMIC, gender gap, part-time and regions."""

from __future__ import annotations

from functools import partial

import pandas as pd

from observatory import charts, frames, reference
from observatory import formatting as fmt
from observatory.cards import ChartCard, DataTable, Notice, PageContent, describe_filters, file_stem, source_line
from observatory.charts import Caption
from observatory.filters import Filters
from observatory.tables import DIMENSION_LABELS, TableBuilder
from observatory.views.common import (
    BarSpec,
    assembled,
    bar_piece,
    by_dimension,
    by_year,
    change_between,
    definition_of,
    extremes,
    extremes_title,
    from_totals,
    guarded,
    sentences_from,
)

QUANTILES = (("salaire_d1", "d1", "D1"), ("salaire_q1", "q1", "Q1"), ("salaire_median", "median", "Médiane"),
             ("salaire_q3", "q3", "Q3"), ("salaire_d9", "d9", "D9"))


def distribution_card(builder: TableBuilder, dimension: str, filters: Filters) -> ChartCard:
    """Boxes D1-Q1-median-Q3-D9 from the published quantiles (one pay query serves all five)."""
    columns = {}
    years = (filters.effective_year,) * 2
    for code, short, _label in QUANTILES:
        rows = by_dimension(builder, code, dimension, filters)
        columns[short] = rows["value"].to_numpy()
    rows = pd.DataFrame({"code": rows["code"], "label": rows["label"], **columns})
    where = DIMENSION_LABELS[dimension].lower()
    published = frames.sort_rows(frames.dropna_rows(rows, "median"), "median")
    if len(published) >= 2:
        low, high = published.iloc[0], published.iloc[-1]
        title = (f"Le salaire médian va de {fmt.euros(low['median'])} ({low['label']}) "
                 f"à {fmt.euros(high['median'])} ({high['label']})")
    elif len(published) == 1:
        only = published.iloc[0]
        title = (f"{only['label']} : la moitié des salariés gagne moins de {fmt.euros(only['median'])}, "
                 f"un sur dix plus de {fmt.euros(only['d9'])}") if pd.notna(only["d9"]) else \
            f"{only['label']} : salaire médian de {fmt.euros(only['median'])}"
    else:
        title = f"Distribution des salaires par {where}"
    smic = reference.smic_annual()[filters.effective_year]
    caption = Caption(title, f"Salaire brut mensuel EQTP : D1, Q1, médiane, Q3, D9 ; pointillés : SMIC · "
                  f"{describe_filters(filters, years)}",
                  source_line(builder.warehouse.snapshot), wide=True)
    figure = charts.quantile_chart(rows, caption, smic=smic)
    table = pd.DataFrame({DIMENSION_LABELS[dimension]: rows["label"],
                          **{label: rows[short] for _c, short, label in QUANTILES}})
    return ChartCard(f"distribution_{dimension}", caption, figure,
                     DataTable(table, {label: "eur" for *_x, label in QUANTILES}),
                     file_stem("salaire_quantiles", (dimension,), filters, years),
                     definition_of(*(c for c, *_x in QUANTILES)) + f"\n\n**SMIC** brut mensuel (35 h) de "
                     f"{filters.effective_year}, moyenne des taux en vigueur : {fmt.euros(smic, 2)}.",
                     alt=f"Boîtes de distribution des salaires par {where}, avec le SMIC en pointillés.")


def evolution_card(builder: TableBuilder, filters: Filters) -> ChartCard:
    """Median in current and constant euros (prices of the last year) beside the SMIC."""
    current = by_year(builder, "salaire_median", filters)
    years = sorted(current)
    base = years[-1]
    cpi, smic = reference.cpi(), reference.smic_annual()
    constant = {y: (v * cpi[base] / cpi[y] if v is not None else None) for y, v in current.items()}
    real = change_between(constant, years[0], base)
    smic_real = smic[base] / smic[years[0]] * cpi[years[0]] / cpi[base] - 1
    if real is None:
        title = "Salaire médian et SMIC depuis " + str(years[0])
    else:
        verb = "progressé" if real >= 0 else "reculé"
        title = (f"En euros constants, le salaire médian a {verb} de {fmt.percent(abs(real))} depuis {years[0]}, "
                 f"le SMIC de {fmt.percent(smic_real)}")
    span = (years[0], base)
    caption = Caption(title, f"Salaire médian brut mensuel EQTP · {describe_filters(filters, span)}",
                  source_line(builder.warehouse.snapshot) + f" Prix : indice INSEE, euros de {base}.")
    figure = charts.line_chart([
        charts.Series("Salaire médian (euros courants)", years, [current[y] for y in years]),
        charts.Series(f"Salaire médian (euros de {base})", years, [constant[y] for y in years],
                      colour=charts.THIRD, dash="dash"),
        charts.Series("SMIC mensuel brut (35 h)", years, [smic[y] for y in years], colour=charts.SECOND,
                      dash="dot"),
    ], caption, unit="eur")
    table = pd.DataFrame({"Année": [str(y) for y in years],
                          "Salaire médian (euros courants)": [current[y] for y in years],
                          f"Salaire médian (euros de {base})": [constant[y] for y in years],
                          "SMIC mensuel brut": [smic[y] for y in years]})
    return ChartCard("evolution", caption, figure, DataTable(table, {c: "eur" for c in table.columns[1:]}),
                     file_stem("salaire_median_smic", ("year",), filters, span),
                     definition_of("salaire_median") + "\n\n**Euros constants** : salaire de chaque année "
                     f"multiplié par le rapport des indices des prix à la consommation (INSEE) de {base} "
                     "et de l'année. **SMIC** : moyenne des taux horaires en vigueur dans l'année, "
                     "pondérée par leur durée, × 151,67 h.",
                     alt="Courbes du salaire médian en euros courants et constants et du SMIC.")


BAR_SPECS = (
    BarSpec("ratio_smic", "ratio_smic", "branch", extremes_title(
        "Le salaire médian vaut {high_value} SMIC en {high}, {low_value} en {low}",
        "Le salaire médian vaut {value} SMIC en {label}",
        "Salaire médian rapporté au SMIC", "ratio"), select="branch"),
    BarSpec("proche_smic", "part_proche_smic", "branch", extremes_title(
        "{high} : {high_value} des salariés payés moins de 1,1 SMIC, contre {low_value} en {low}",
        "{label} : {value} des salariés payés moins de 1,1 SMIC",
        "Part des salariés payés près du SMIC", "share"), select="branch"),
    BarSpec("ecart_fh", "ecart_salarial_fh", "branch", extremes_title(
        "L'écart salarial femmes-hommes atteint {high_value} en {high}, {low_value} en {low}",
        "L'écart salarial femmes-hommes atteint {value} en {label}",
        "Écart salarial femmes-hommes", "share"), select="branch"),
    BarSpec("temps_partiel", "temps_partiel", "branch", extremes_title(
        "{high} : {high_value} des salariés à temps partiel, contre {low_value} en {low}",
        "{label} : {value} des salariés à temps partiel",
        "Part du temps partiel", "share"), select="branch"),
    BarSpec("regions", "salaire_median", "region", extremes_title(
        "Salaire médian : {high_value} en {high}, {low_value} en {low}",
        "Salaire médian : {value} en {label}",
        "Salaire médian par région", "eur"), select="region"),
)


def findings(builder: TableBuilder, filters: Filters) -> tuple[str, ...]:
    year = filters.effective_year

    def spread(median: float, d1: float | None, d9: float | None) -> str:
        text = f"En {year}, la moitié des salariés gagne moins de {fmt.euros(median)} brut par mois en EQTP"
        if d1 is not None and d9 is not None:
            text += (f" ; les 10 % les mieux payés plus de {fmt.euros(d9)}, les 10 % les moins bien payés "
                     f"moins de {fmt.euros(d1)} (rapport D9/D1 : {fmt.number(d9 / d1, 2)})")
        return text + "."

    smic = from_totals(builder, filters, ("ratio_smic", "part_proche_smic"), lambda ratio, near: (
        f"Le salaire médian représente {fmt.number(ratio, 2)} SMIC et {fmt.percent(near)} des "
        "salariés sont payés moins de 1,1 SMIC."))

    gap = from_totals(builder, filters, ("ecart_salarial_fh",), lambda value: (
        f"Le salaire moyen des femmes est {'inférieur' if value >= 0 else 'supérieur'} de "
        f"{fmt.percent(abs(value))} à celui des hommes."))

    def branches() -> str | None:
        pair = extremes(by_dimension(builder, "salaire_median", "branch", filters))
        if pair is None:
            return None
        low, high = pair
        return (f"Parmi les branches affichées, le salaire médian le plus bas, {fmt.euros(low['value'])}, est celui "
                f"de la branche {low['label']} ; le plus élevé, {fmt.euros(high['value'])}, celui de la branche "
                f"{high['label']}.")

    return sentences_from(builder, from_totals(builder, filters, ("salaire_median",), spread,
                                               optional=("salaire_d1", "salaire_d9")), smic, gap, branches)


def content(builder: TableBuilder, filters: Filters) -> PageContent:
    cards = [
        partial(guarded, "distribution_branch", "Distribution des salaires par branche",
                partial(distribution_card, builder, "branch", filters)),
        partial(guarded, "distribution_occupation", "Distribution des salaires par métier",
                partial(distribution_card, builder, "occupation", filters)),
        partial(guarded, "evolution", "Salaire médian et SMIC", partial(evolution_card, builder, filters)),
    ]
    for spec in BAR_SPECS:
        if spec.key == "ecart_fh" and filters.sex:
            cards.append(partial(Notice, spec.key, "Écart salarial femmes-hommes",
                                 "L'écart femmes-hommes demande les deux sexes : retirez le filtre « Sexe » "
                                 "pour le voir."))
        else:
            cards.append(bar_piece(builder, spec, filters))
    return assembled(builder, filters, (), cards, partial(findings, builder, filters))
