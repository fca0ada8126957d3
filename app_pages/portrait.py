"""Portrait de branche: one branch from every side, exportable as one offline HTML file."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from observatory import cards, export, reference, secrecy_text, views
from observatory.ui import card, filter_bar, resources, shell
from observatory.views import portrait

selection = shell.selected_filters()
branches = reference.code_lists()["branch"].labels
branch = portrait.branch_of(selection)


def _choose() -> None:
    """The branch chosen here becomes the branch filter: in the URL, kept across pages."""
    filter_bar.set_selection(replace(selection, branches=(st.session_state["portrait_branche"],)))


st.session_state["portrait_branche"] = branch
st.title(f"Portrait de branche : {branches[branch]}")
st.selectbox("Branche", list(branches), format_func=branches.get, key="portrait_branche", on_change=_choose)
if len(selection.branches) > 1:
    st.info(f"Plusieurs branches sont filtrées : le portrait montre la première, {branches[branch]}.")
st.caption(f"Année {selection.effective_year} ; les autres filtres s'appliquent. {portrait.RETIREMENT_ASSUMPTION}")

builder = resources.table_builder()
content = views.page_content("portrait", builder, selection)
here = replace(selection, branches=(branch,))
snapshot = resources.active_snapshot()
subtitle = cards.describe_filters(here, (here.effective_year, here.effective_year))
notes = [cards.source_line(snapshot), portrait.RETIREMENT_ASSUMPTION, secrecy_text.export_note(builder.config)]
st.download_button("Exporter le portrait (HTML)", icon=":material/download:", on_click="ignore",
                   data=lambda: export.page_html(f"Portrait de branche : {branches[branch]}", subtitle, content,
                                                 notes, dt.datetime.now()).encode("utf-8"),
                   file_name=f"portrait_{branch}_{here.effective_year}.html", mime="text/html",
                   help="Un seul fichier, graphiques compris, qui s'ouvre sans connexion ; à envoyer ou imprimer.")
card.page_body(content, wide=portrait.WIDE_CARDS)
