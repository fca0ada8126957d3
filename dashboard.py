"""Entry point of the Streamlit app: navigation, global filters bound to the URL, demo banner."""

from __future__ import annotations

import streamlit as st

from observatory.collector import COLLECTOR
from observatory.ui import hardening, resources, shell

st.set_page_config(page_title="Observatoire de la cohésion sociale", page_icon="📊", layout="wide")
hardening.french_page_not_found()

with resources.VISITS.running():  # the background warm-up waits meanwhile
    navigation = st.navigation(shell.pages())
    shell.render_frame(navigation.url_path)
    try:
        shell.run_page(navigation)
    finally:
        shell.finish_frame()
COLLECTOR.after_rerun()  # the garbage collector's full passes between reruns, not in them
