"""Process-wide resources for the app: one warehouse and table builder per active snapshot."""

from __future__ import annotations

import os
import threading

import streamlit as st

from observatory import snapshots
from observatory.tables import TableBuilder
from observatory.warehouse import open_shared


@st.cache_resource(show_spinner=False, max_entries=2)
def _builder_for(snapshot_id: str) -> TableBuilder:
    builder = TableBuilder(open_shared(snapshots.load(snapshot_id)))
    # The 10-year trends take up to a second cold: compute the default views in the background
    # so that the first visitors find them ready (the builder's cache is thread-safe).
    if os.environ.get("OBSERVATORY_WARM", "1") != "0":
        threading.Thread(target=builder.warm, name="observatory-warm", daemon=True).start()
    return builder


def active_snapshot() -> snapshots.Snapshot | None:
    return snapshots.active()


def table_builder() -> TableBuilder | None:
    """The builder over the active snapshot, or None when no snapshot exists yet."""
    snapshot = snapshots.active()
    if snapshot is None:
        return None
    return _builder_for(snapshot.id)
