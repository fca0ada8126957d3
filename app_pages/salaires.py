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
card.page_body(content, wide=2)  # the two distributions: up to 27 occupations
