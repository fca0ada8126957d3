"""Observatoire de la cohésion sociale: the library behind the dashboard (no Streamlit here
outside `observatory.ui`). Importing it changes nothing in the process: the entry points call
observatory.runtime.prepare_process()."""
