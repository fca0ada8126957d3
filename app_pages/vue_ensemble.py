"""Vue d'ensemble: key figures with their change on a year, findings, ten-year trends."""

from __future__ import annotations

import streamlit as st

from observatory import views
from observatory.ui import card, resources, shell

selection = shell.selected_filters()
content = views.page_content("vue_ensemble", resources.table_builder(), selection)

st.title("Vue d'ensemble")
st.caption(f"Chiffres de l'année {selection.effective_year}. Les effectifs sont perturbés de quelques unités "
           "(secret statistique) : les totaux peuvent ne pas s'additionner exactement ; une sélection de plusieurs "
           "valeurs est la somme des chiffres publiés de chacune.")
card.page_body(content, cards_heading="Dix ans d'évolution")
