"""Vue d'ensemble: the key figures of the selected year, each from the table builder."""

from __future__ import annotations

import streamlit as st

from observatory import indicators, secrecy
from observatory.ui import format as fmt
from observatory.ui import resources, shell
from observatory.warehouse import QueryError

TILES = (
    ("employees", "effectif"), ("employees", "etp"), ("employees", "salaire_median"),
    ("vacancies", "postes_non_pourvus"), ("training", "stagiaires"), ("training", "taux_acces"),
)

selection = shell.selected_filters()
builder = resources.table_builder()
st.title("Observatoire de la cohésion sociale")
st.caption(f"Chiffres de l'année {selection.effective_year}. Les effectifs sont perturbés de "
           "quelques unités (secret statistique) : les totaux peuvent ne pas s'additionner exactement.")

columns = st.columns(len(TILES))
for column, (dataset, code) in zip(columns, TILES, strict=True):
    measure = indicators.MEASURES[code]
    try:
        table = builder.build(dataset, (), code, selection)
    except secrecy.PopulationTooSmall as refused:
        column.metric(measure.label, "secret", help=refused.message)
        continue
    except QueryError:
        column.metric(measure.label, "indisponible", help="Ce chiffre n'a pas pu être calculé ; réessayez "
                      "dans un instant.")
        continue
    row = table.frame.iloc[0]
    value = None if row["status"] == secrecy.SECRET else float(row["value"])
    column.metric(measure.label, fmt.by_unit(value, measure.unit), help=measure.definition)
