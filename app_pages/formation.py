"""Formation: trainees, access inequalities, schemes since 2016, hours and costs, certifications."""

from __future__ import annotations

import streamlit as st

from observatory import views
from observatory.ui import card, resources, shell

selection = shell.selected_filters()
content = views.page_content("formation", resources.table_builder(), selection)

st.title("Formation")
st.caption(f"Actions de formation commencées en {selection.effective_year}, tous financements. Un stagiaire est "
           "une personne distincte, comptée une fois quel que soit le nombre de ses actions. Cellules de "
           "moins de 11 personnes ou 3 structures : secret.")
card.page_body(content, wide=2)  # the schemes' ten years (eight lines), the certifications' long names
