"""The process's tricks, in one place and all started explicitly: importing `observatory` sets no
option, starts no thread and registers no exit hook (tests/test_runtime.py checks it).

- `prepare_process`: the pandas setting every entry point runs with (the app, the CLI, the
  benchmarks, the tests);
- `collector`: the garbage collector's policy of a long-lived server (observatory/collector.py);
- `pool`: the thread pools of a page's pieces and quantiles, created on first use;
- `VISITS` and `warm_up`: the background warm-up, which gives way to visitors' reruns;
- `BUILDERS`: the table builder (and warehouse) of the snapshot served, a plain registry of the
  process (not a Streamlit cache, which any websocket client can clear for every reader); a
  snapshot replaced by a newer one is closed once no run uses it.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb

from observatory.collector import Collector
from observatory.snapshots import Damage, Snapshot, SnapshotError, serving
from observatory.warehouse import DatabaseOutdated, QueryError, open_shared, release

if TYPE_CHECKING:
    from observatory.tables import TableBuilder

_lock = threading.Lock()


def prepare_process() -> None:
    """Text columns as Python objects rather than pandas 3's Arrow-backed strings: a page builds
    hundreds of small frames from Python lists (codes, labels), and building and reading Arrow
    strings took a fifth to a quarter of a page's content time (bench/README.md). pandas 3
    deprecates the switch (pandas is pinned): revisit when upgrading to pandas 4."""
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pd.set_option("future.infer_string", False)


_collector: Collector | None = None


def collector() -> Collector:
    """The process's collector policy, created (with its exit hook) on first use."""
    global _collector
    with _lock:
        if _collector is None:
            _collector = Collector()
            atexit.register(_collector.close)
        return _collector


_pools: dict[str, ThreadPoolExecutor] = {}


def pool(name: str, workers: int) -> ThreadPoolExecutor:
    """The process's pool `name`, created on first use (its threads start with its first task)."""
    with _lock:
        existing = _pools.get(name)
        if existing is None:
            existing = _pools[name] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        return existing


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


def warm_up(builder: TableBuilder, pause: Callable[[], object] | None = None) -> int:
    """The pages' default views first (what the first visitor opens: a visitor asking for a
    query the warm-up is running waits for it instead of running it again), then the database's
    tables into memory with what else a process reads once (TableBuilder.load; before the first
    views, it slowed the first visitor's: bench/README.md, section « Ce qui a changé »,
    « Préchauffage »), then the default
    tables, then the other prepared views; before each step it waits (`pause`, by default while
    visitors' pages are computed). Returns how many views were built."""
    from observatory import views
    from observatory.views import memo

    pause = pause or VISITS.wait_idle
    first, *others = memo.warm_selections()
    built = memo.warm(builder, views.CONTENTS, [first], pause=pause)
    pause()
    builder.load()
    pause()
    built += builder.warm() + memo.warm(builder, views.CONTENTS, others, pause=pause)
    collector().collect()  # and the 300 000 objects of the prepared views
    return built


class Retired(Exception):
    """The warm-up of a snapshot replaced by a newer one stops."""


@dataclass(eq=False)
class _Served:
    builder: TableBuilder
    uses: int = 0
    retired: bool = False
    warming: threading.Thread | None = field(default=None, repr=False)


class Builders:
    """The table builder of the snapshot served, and of the replaced ones still in use.

    A run takes its builder inside `scope()`; when a newer snapshot is served, the previous one
    is dropped and its warehouse closed as soon as no run (nor its warm-up) uses it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: _Served | None = None
        self._kept: dict[int, _Served] = {}  # id(builder) -> entry, current and retired in use
        self._scope = threading.local()
        self.opened = 0  # warehouses opened by this registry (a figure for tests)

    def builder(self, snapshot: Snapshot) -> TableBuilder:
        """The builder over `snapshot` (opened on first use: DatabaseOutdated, duckdb.Error...
        when its database cannot serve), counted as used until the current scope ends."""
        from observatory.tables import TableBuilder  # tables -> sorted_values -> runtime

        with self._lock:
            entry = self._current
            warehouse = entry.builder.warehouse if entry else None
            if warehouse is None or warehouse.closed or warehouse.snapshot.path != snapshot.path:
                entry = _Served(TableBuilder(open_shared(snapshot)))
                self.opened += 1
                print(f"Base de requêtes ouverte : snapshot {snapshot.id}.", file=sys.stderr, flush=True)
                previous, self._current = self._current, entry
                self._kept[id(entry.builder)] = entry
                if previous is not None:
                    previous.retired = True
                    self._close_if_unused(previous)
                fresh = True
            else:
                fresh = False
            uses = getattr(self._scope, "uses", None)
            if uses is not None:
                entry.uses += 1
                uses.append(entry)
        if fresh:
            self._prepare(entry)
        return entry.builder

    @contextmanager
    def scope(self) -> Iterator[None]:
        """A run: the builders it takes stay open until it ends."""
        self._scope.uses = []
        try:
            yield
        finally:
            taken, self._scope.uses = self._scope.uses, None
            for entry in taken:
                self._release(entry)

    def current(self) -> TableBuilder | None:
        with self._lock:
            return self._current.builder if self._current else None

    def kept(self) -> list[TableBuilder]:
        """The builders held: the current one and the replaced ones still in use."""
        with self._lock:
            return [entry.builder for entry in self._kept.values()]

    def _release(self, entry: _Served) -> None:
        with self._lock:
            entry.uses -= 1
            self._close_if_unused(entry)

    def _close_if_unused(self, entry: _Served) -> None:
        """(Under the lock.) A replaced builder no run uses any more: dropped, its warehouse closed."""
        if entry.retired and entry.uses == 0 and id(entry.builder) in self._kept:
            del self._kept[id(entry.builder)]
            release(entry.builder.warehouse)

    def _prepare(self, entry: _Served) -> None:
        # The process's long-lived objects (Streamlit, Plotly and pandas modules, the warehouse: about
        # 140 000) out of the collector's automatic passes from now on (observatory/collector.py).
        collector().collect()
        # Cold pay views take up to a second (exact quantiles over a million rows a year): load the
        # database and build the default views of every page and year in the background, so that
        # the first visitors find them ready (the builder's and the contents' caches are thread-safe).
        if os.environ.get("OBSERVATORY_WARM", "1") != "0":
            with self._lock:
                entry.uses += 1  # the warm-up's own use, released when it ends
            entry.warming = threading.Thread(target=self._warm, args=(entry,), name="observatory-warm", daemon=True)
            entry.warming.start()

    def _warm(self, entry: _Served) -> None:
        def pause() -> None:
            if entry.retired:
                raise Retired
            VISITS.wait_idle()
        try:
            warm_up(entry.builder, pause)
        except Retired:
            pass
        except Exception as error:  # a process stopping mid warm-up (its pools shut), a broken snapshot
            logging.getLogger(__name__).warning("préchauffage interrompu : %s", error)
        finally:
            self._release(entry)


BUILDERS = Builders()


@dataclass(frozen=True)
class Served:
    """What the app serves: a snapshot and its builder, or none; the snapshots passed over."""
    snapshot: Snapshot | None
    builder: TableBuilder | None
    damaged: tuple[Damage, ...]


# A query database that cannot be opened (truncated, from a full disk...) makes its snapshot
# unusable like a damaged file.
UNUSABLE_DATABASE = (duckdb.Error, OSError, SnapshotError, QueryError, DatabaseOutdated)


def served() -> Served:
    """The active snapshot when it is intact and its database opens, else the newest intact
    snapshot before it (the pages say so in a banner: shell.render_frame)."""
    unusable: dict[str, str] = {}
    while True:
        state = serving(unusable=unusable)
        if state.snapshot is None:
            return Served(None, None, state.damaged)
        try:
            return Served(state.snapshot, BUILDERS.builder(state.snapshot), state.damaged)
        except UNUSABLE_DATABASE as error:
            reason = str(error) if isinstance(error, DatabaseOutdated) else \
                f"base de requêtes illisible ({type(error).__name__})"
            logging.getLogger(__name__).warning("snapshot %s non servi : %s", state.snapshot.id, error)
            unusable[state.snapshot.id] = reason


def prepare_server(landing: str) -> float | None:
    """Open the database of the snapshot to serve, start the warm-up and build the `landing`
    page's default view. Returns the seconds it took, or None when there is no snapshot to serve
    (the app then says how to make one, or what is damaged)."""
    from observatory import views
    from observatory.filters import Filters

    started = time.perf_counter()
    state = served()
    for damage in state.damaged:
        print(f"Snapshot endommagé : {damage.snapshot_id} ({damage.reason}).", file=sys.stderr)
    if state.builder is None:
        return None
    views.page_content(landing, state.builder, Filters())
    return time.perf_counter() - started
