"""Comparer: two branches or two regions side by side, the differences in words."""

from __future__ import annotations

import streamlit as st

from observatory import views
from observatory.ui import card, page_choice, resources, shell
from observatory.views import comparison

selection = shell.selected_filters()
st.title("Comparer")
columns = st.columns(3)
kinds = {key: label for key, (_dim, _attr, label) in comparison.KINDS.items()}
kind = page_choice.selectbox(columns[0], "Comparer", "comparer", list(kinds), kinds.get, "branche")
names = comparison.options(kind)
first_default, second_default = comparison.DEFAULT_PAIRS[kind]
first = page_choice.selectbox(columns[1], "Premier terme", "a", list(names), names.get, first_default)
second = page_choice.selectbox(columns[2], "Second terme", "b", [c for c in names if c != first], names.get,
                               second_default if second_default != first else next(c for c in names if c != first))
other = "branches" if kind == "branche" else "régions"
st.caption(f"Année {selection.effective_year}. Les autres filtres s'appliquent aux deux termes ; le filtre de "
           f"{other} de la barre latérale est remplacé par la paire choisie ici. Le lien copié garde la paire.")

result = views.page_content("comparer", resources.table_builder(), selection, kind, first, second)
st.subheader("À retenir")
card.findings(result.sentences)
st.subheader(f"{result.a_label} et {result.b_label}")
st.dataframe(result.table(), hide_index=True, width="stretch")
card.cards_in_grid(result.cards)
