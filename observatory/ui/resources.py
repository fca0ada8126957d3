"""Process-wide resources for the app: one warehouse and table builder per active snapshot."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st

from observatory import snapshots, views
from observatory.collector import COLLECTOR
from observatory.tables import TableBuilder
from observatory.views import memo
from observatory.warehouse import QueryError, open_shared


@st.cache_resource(show_spinner=False, max_entries=2)
def _builder_for(folder: str) -> TableBuilder:
    path = Path(folder)
    builder = TableBuilder(open_shared(snapshots.load(path.name, path.parent.parent)))
    # The process's long-lived objects (Streamlit, Plotly and pandas modules, the warehouse: about
    # 140 000) out of the collector's automatic passes from now on (observatory/collector.py).
    COLLECTOR.collect()
    # Cold pay views take up to a second (exact quantiles over a million rows a year): load the
    # database and build the default views of every page and year in the background, so that
    # the first visitors find them ready (the builder's and the contents' caches are thread-safe).
    if os.environ.get("OBSERVATORY_WARM", "1") != "0":
        threading.Thread(target=_warm_in_background, args=(builder,), name="observatory-warm", daemon=True).start()
    return builder


class Visits:
    """Visitors' reruns, so that the warm-up gives way to them: on two cores, a warm-up computing
    other pages beside a fresh server's first visitor doubled that visitor's wait."""

    def __init__(self, quiet_s: float = 2.0) -> None:
        self.quiet_s = quiet_s  # after a rerun, a visitor often changes a filter again soon
        self._running = 0
        self._last = -float("inf")  # monotonic time of the last rerun's end
        self._changed = threading.Condition()

    @contextmanager
    def running(self) -> Iterator[None]:
        with self._changed:
            self._running += 1
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._last = time.monotonic()
                self._changed.notify_all()

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Wait until no visitor's rerun has run for `quiet_s` (at most `timeout_s`: under
        constant traffic the warm-up still moves on). Whether it is idle."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                now = time.monotonic()
                quiet_at = self._last + self.quiet_s
                if self._running == 0 and now >= quiet_at:
                    return True
                if now >= deadline:
                    return False
                wake = min(deadline, quiet_at) if self._running == 0 else deadline  # else: notified
                self._changed.wait(wake - now)


VISITS = Visits()


def _warm_in_background(builder: TableBuilder) -> None:
    try:
        warm_up(builder)
    except Exception as error:  # a process stopping mid warm-up (its pools shut), a broken snapshot
        logging.getLogger(__name__).warning("préchauffage interrompu : %s", error)


def warm_up(builder: TableBuilder) -> int:
    """The pages' default views first (what the first visitor opens: a visitor asking for a
    query the warm-up is running waits for it instead of running it again), then the database's
    tables into memory with what else a process reads once (TableBuilder.load, 1-3 s; before
    the first views, it slowed the first visitor's by 2-3 s on two cores), then the default
    tables, then the other prepared views; before each step it waits while visitors' pages are
    computed. Returns how many views were built."""
    first, *others = memo.warm_selections()
    built = memo.warm(builder, views.CONTENTS, [first], pause=VISITS.wait_idle)
    VISITS.wait_idle()
    builder.load()
    VISITS.wait_idle()
    built += builder.warm() + memo.warm(builder, views.CONTENTS, others, pause=VISITS.wait_idle)
    COLLECTOR.collect()  # and the 300 000 of the prepared views
    return built


def table_builder_for(snapshot: snapshots.Snapshot) -> TableBuilder:
    return _builder_for(str(snapshot.path))


@dataclass(frozen=True)
class Served:
    """What the app serves: a snapshot and its builder, or none; the snapshots passed over."""
    snapshot: snapshots.Snapshot | None
    builder: TableBuilder | None
    damaged: tuple[snapshots.Damage, ...]


# A query database that cannot be opened (truncated, from a full disk...) makes its snapshot
# unusable like a damaged file.
UNUSABLE_DATABASE = (duckdb.Error, OSError, snapshots.SnapshotError, QueryError)


def served() -> Served:
    """The active snapshot when it is intact and its database opens, else the newest intact
    snapshot before it (the pages say so in a banner: shell.render_frame)."""
    unusable: dict[str, str] = {}
    while True:
        state = snapshots.serving(unusable=unusable)
        if state.snapshot is None:
            return Served(None, None, state.damaged)
        try:
            return Served(state.snapshot, table_builder_for(state.snapshot), state.damaged)
        except UNUSABLE_DATABASE as error:
            logging.getLogger(__name__).warning("base de requêtes de %s illisible : %s", state.snapshot.id, error)
            unusable[state.snapshot.id] = f"base de requêtes illisible ({type(error).__name__})"


_SERVED_KEY = "_observatory_served"


def serve_this_run() -> Served:
    """`served()`, looked up once per run of a page: the frame calls it first, and what the page
    then asks (`table_builder`, `active_snapshot`) is the same snapshot, not a second lookup."""
    state = served()
    st.session_state[_SERVED_KEY] = state
    return state


def _this_run() -> Served:
    state = st.session_state.get(_SERVED_KEY)
    return state if isinstance(state, Served) else serve_this_run()


def active_snapshot() -> snapshots.Snapshot | None:
    return _this_run().snapshot


def table_builder() -> TableBuilder | None:
    """The builder over the snapshot served in this run, or None when there is none."""
    return _this_run().builder
