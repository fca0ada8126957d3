"""Recrutement et postes vacants: openings, unfilled posts, tensions, delays, seasonality."""

from __future__ import annotations

import streamlit as st

from observatory import secrecy_text, views
from observatory.ui import card, resources, shell

selection = shell.selected_filters()
builder = resources.table_builder()
content = views.page_content("recrutement", builder, selection)

st.title("Recrutement et postes vacants")
st.caption(f"Postes ouverts (offres publiées) en {selection.effective_year} et leur devenir au 31 décembre. "
           "Les offres ne décrivent pas de personne : les filtres « Sexe » et « Tranche d'âge » ne s'y "
           "appliquent pas. " + secrecy_text.secret_cells("offres", builder.config))
st.page_link("app_pages/besoins.py", icon=":material/groups:",
             label="Données officielles : Besoins en main-d'œuvre (France Travail), par métier et région")
card.page_body(content, wide=1)  # the vacancy rate against headcount, seventeen labelled points
