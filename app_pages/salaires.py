"""Salaires: distributions, ten years against the SMIC, gender gap, part-time, regions."""

from __future__ import annotations

import streamlit as st

from observatory import views
from observatory.ui import card, resources, shell

selection = shell.selected_filters()
content = views.page_content("salaires", resources.table_builder(), selection)

st.title("Salaires")
st.caption(f"Salaires bruts mensuels en équivalent temps plein, année {selection.effective_year} ; apprentis et "
           "contrats de professionnalisation exclus. Cellules de moins de 11 salariés ou 3 structures : secret.")
st.subheader("À retenir")
card.findings(content.sentences)
for distribution in content.cards[:2]:  # wide: up to 27 occupations
    card.chart_card(distribution)
card.cards_in_grid(content.cards[2:])
