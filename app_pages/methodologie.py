"""Méthodologie et sources: definitions, secrecy rules, sources, contracts, accessibility."""

from __future__ import annotations

import streamlit as st

from observatory.ui import resources
from observatory.views import methodology

st.title("Méthodologie et sources")
snapshot = resources.active_snapshot()
for section in methodology.sections(snapshot):
    with st.expander(section.title, expanded=section.title == "Indicateurs"):
        st.markdown(section.markdown)
