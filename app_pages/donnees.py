"""Données: build any protected table (dataset, one or two dimensions, a measure) and take it away."""

from __future__ import annotations

import streamlit as st

from observatory.ui import card, resources, shell
from observatory.views import explorer

selection = shell.selected_filters()
st.title("Données")
st.caption("Construisez votre tableau : un jeu de données, un indicateur, une ou deux dimensions ; les filtres de "
           "la barre latérale s'appliquent. Les chiffres sont protégés comme sur les autres pages.")

choice = st.columns(4)
datasets = explorer.datasets()
dataset = choice[0].selectbox("Jeu de données", list(datasets), format_func=datasets.get, key="donnees_jeu")
measures = explorer.measures_of(dataset)
measure = choice[1].selectbox("Indicateur", list(measures), format_func=measures.get, key=f"donnees_mesure_{dataset}")
dimensions = explorer.dimensions_of(measure)
first = choice[2].selectbox("Par", list(dimensions), format_func=dimensions.get, key=f"donnees_par_{measure}")
others = {"": "(aucune)", **{d: label for d, label in dimensions.items() if d != first}}
second = choice[3].selectbox("Et par", list(others), format_func=others.get, key=f"donnees_et_{measure}_{first}")
dims = (first, second) if second else (first,)

# A refused or failed table: the frame's boundary says why (shell.run_page).
exploration = explorer.explore(resources.table_builder(), dataset, dims, measure, selection)

card.chart_card(exploration.card)
stem = exploration.card.file_stem
downloads = st.columns(2)
downloads[0].download_button("Télécharger (XLSX)", data=exploration.xlsx(), file_name=f"{stem}.xlsx",
                             mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             on_click="ignore", key="donnees_xlsx")
downloads[1].download_button("Télécharger (Parquet)", data=exploration.parquet(), file_name=f"{stem}.parquet",
                             mime="application/vnd.apache.parquet", on_click="ignore", key="donnees_parquet")
st.caption("XLSX et Parquet : une ligne par cellule, la valeur en nombre (vide si secrète) et son statut.")
st.markdown("**Le même tableau en ligne de commande**, pour le refaire ou l'automatiser :")
st.code(exploration.command, language="bash")
