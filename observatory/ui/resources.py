"""Process-wide resources for the app: one warehouse and table builder per active snapshot."""

from __future__ import annotations

import os
import threading

import streamlit as st

from observatory import snapshots, views
from observatory.collector import COLLECTOR
from observatory.tables import TableBuilder
from observatory.views import memo
from observatory.warehouse import open_shared


@st.cache_resource(show_spinner=False, max_entries=2)
def _builder_for(snapshot_id: str) -> TableBuilder:
    builder = TableBuilder(open_shared(snapshots.load(snapshot_id)))
    # The process's long-lived objects (Streamlit, Plotly and pandas modules, the warehouse: about
    # 140 000) out of the collector's automatic passes from now on (observatory/collector.py).
    COLLECTOR.collect()
    # Cold pay views take up to a second (exact quantiles over a million rows a year): load the
    # database and build the default views of every page and year in the background, so that
    # the first visitors find them ready (the builder's and the contents' caches are thread-safe).
    if os.environ.get("OBSERVATORY_WARM", "1") != "0":
        threading.Thread(target=warm_up, args=(builder,), name="observatory-warm", daemon=True).start()
    return builder


def warm_up(builder: TableBuilder) -> int:
    """The pages' default views first (what the first visitor opens: a visitor asking for a
    query the warm-up is running waits for it instead of running it again), then the database's
    tables into memory (1-3 s; before the first views, they slowed the first visitor's by 2-3 s
    on two cores), then the default tables, then the other prepared views. Returns how many
    views were built."""
    first, *others = memo.warm_selections()
    built = memo.warm(builder, views.CONTENTS, [first])
    builder.warehouse.load_tables()
    built += builder.warm() + memo.warm(builder, views.CONTENTS, others)
    COLLECTOR.collect()  # and the 300 000 of the prepared views
    return built


def table_builder_for(snapshot: snapshots.Snapshot) -> TableBuilder:
    return _builder_for(snapshot.id)


def active_snapshot() -> snapshots.Snapshot | None:
    return snapshots.active()


def table_builder() -> TableBuilder | None:
    """The builder over the active snapshot, or None when no snapshot exists yet."""
    snapshot = snapshots.active()
    return None if snapshot is None else table_builder_for(snapshot)
