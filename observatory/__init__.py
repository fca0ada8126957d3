"""Observatoire de la cohésion sociale: the library behind the dashboard (no Streamlit here
outside `observatory.ui`)."""
