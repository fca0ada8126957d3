"""Recrutement et postes vacants: openings, unfilled posts, tensions, delays, seasonality."""

from __future__ import annotations

import streamlit as st

from observatory import views
from observatory.ui import card, resources, shell

selection = shell.selected_filters()
content = views.page_content("recrutement", resources.table_builder(), selection)

st.title("Recrutement et postes vacants")
st.caption(f"Postes ouverts (offres publiées) en {selection.effective_year} et leur devenir au 31 décembre. "
           "Les offres ne décrivent pas de personne : les filtres « Sexe » et « Tranche d'âge » ne s'y "
           "appliquent pas. Cellules de moins de 11 offres ou 3 structures : secret.")
st.page_link("app_pages/besoins.py", icon=":material/groups:",
             label="Données officielles : Besoins en main-d'œuvre (France Travail), par métier et région")
card.page_body(content, wide=1)  # the vacancy rate against headcount, seventeen labelled points
