"""Formation: trainees, access inequalities, schemes since 2016, hours and costs, certifications."""

from __future__ import annotations

import streamlit as st

from observatory import secrecy_text, views
from observatory.ui import card, resources, shell

selection = shell.selected_filters()
builder = resources.table_builder()
content = views.page_content("formation", builder, selection)

st.title("Formation")
st.caption(f"Actions de formation commencées en {selection.effective_year}, tous financements. Un stagiaire est "
           "une personne distincte, comptée une fois quel que soit le nombre de ses actions. "
           + secrecy_text.secret_cells("personnes", builder.config))
card.page_body(content, wide=2)  # the schemes' ten years (eight lines), the certifications' long names
