"""Streamlit helpers (the only part of the library that imports streamlit)."""
