"""Page contents built from protected tables, without streamlit (pages only draw them)."""
