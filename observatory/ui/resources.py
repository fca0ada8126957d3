"""What a run of the app serves: the snapshot and its table builder (held by the process's
registry, observatory/runtime.py), looked up once per run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from observatory import runtime, snapshots
from observatory.runtime import Served, served
from observatory.tables import TableBuilder

__all__ = ["Served", "active_snapshot", "run_scope", "serve_this_run", "served", "table_builder"]


_SERVED_KEY = "_observatory_served"


def serve_this_run() -> Served:
    """`served()`, looked up once per run of a page: the frame calls it first, and what the page
    then asks (`table_builder`, `active_snapshot`) is the same snapshot, not a second lookup."""
    state = served()
    st.session_state[_SERVED_KEY] = state
    return state


@contextmanager
def run_scope() -> Iterator[None]:
    """A run of the app: the builder it serves stays open until it ends (a newer snapshot
    published meanwhile replaces it for the next runs), and is no longer held afterwards."""
    with runtime.BUILDERS.scope():
        try:
            yield
        finally:
            st.session_state.pop(_SERVED_KEY, None)


def _this_run() -> Served:
    state = st.session_state.get(_SERVED_KEY)
    return state if isinstance(state, Served) else serve_this_run()


def active_snapshot() -> snapshots.Snapshot | None:
    return _this_run().snapshot


def table_builder() -> TableBuilder | None:
    """The builder over the snapshot served in this run, or None when there is none."""
    return _this_run().builder
