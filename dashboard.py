"""Entry point of the Streamlit app: navigation, global filters bound to the URL, demo banner."""

from __future__ import annotations

import streamlit as st

from observatory import runtime
from observatory.ui import hardening, resources, shell

runtime.prepare_process()

st.set_page_config(page_title="Observatoire de la cohésion sociale", page_icon="📊", layout="wide")
hardening.french_page_not_found()

# The background warm-up waits meanwhile; the builder served stays open until the run ends.
with runtime.VISITS.running(), resources.run_scope():
    navigation = st.navigation(shell.pages())
    shell.render_frame(navigation.url_path)
    try:
        shell.run_page(navigation)
    finally:
        shell.finish_frame()
runtime.collector().after_rerun()  # the garbage collector's full passes between reruns, not in them
