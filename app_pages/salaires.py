"""Salaires: distributions, ten years against the SMIC, gender gap, part-time, regions."""

from __future__ import annotations

import streamlit as st

from observatory import secrecy_text, views
from observatory.ui import card, resources, shell

selection = shell.selected_filters()
builder = resources.table_builder()
content = views.page_content("salaires", builder, selection)

st.title("Salaires")
st.caption(f"Salaires bruts mensuels en équivalent temps plein, année {selection.effective_year} ; apprentis et "
           "contrats de professionnalisation exclus. " + secrecy_text.secret_cells("salariés", builder.config))
card.page_body(content, wide=2)  # the two distributions: up to 27 occupations
