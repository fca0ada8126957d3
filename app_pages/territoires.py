"""Territoires: an indicator on the map of the regions, the ranking against France, a region's profile."""

from __future__ import annotations

import streamlit as st

from observatory import views
from observatory.ui import card, page_choice, resources, shell
from observatory.views import territories

selection = shell.selected_filters()
st.title("Territoires")
measures = territories.map_measures()
measure = page_choice.selectbox(st, "Indicateur affiché sur la carte", "indicateur", list(measures), measures.get,
                                territories.DEFAULT_MEASURE)
st.caption(f"Année {selection.effective_year}. Toutes les régions restent sur la carte : le filtre de région les met "
           "en évidence et ouvre la comparaison de la région avec la France. Cliquez sur une région pour la "
           "choisir. Régions grises : secret statistique.")
content = views.page_content("territoires", resources.table_builder(), selection, measure)
card.page_body(content, wide=2)
