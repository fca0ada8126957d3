"""When the garbage collector walks the heap: between reruns, not in the middle of one.

The caches of a running app (tables, cells, page contents with their figures) hold a few
hundred thousand objects that Python's collector tracks. A full pass walks them all, a pause of
the order of a rerun (bench/README.md, section « Ce qui a changé », « Ramasse-miettes entre les
reruns »), landing in whichever rerun was running, every few filter changes. Here, at the end of
each rerun, the objects alive are moved out of the collector's generations (gc.freeze: a list
splice), so that its automatic passes only walk what the next rerun creates. Frozen objects are
still freed by reference counting; the cycles among them (a Plotly figure and its parts, once
evicted from a cache) wait for a full collection, run when the app has been idle for a moment,
or after `max_deferred` reruns without a pause, whatever the load. The process's instance is
observatory.runtime.collector().
"""

from __future__ import annotations

import gc
import threading
import time


class Collector:
    def __init__(self, idle_s: float = 2.0, max_deferred: int = 500) -> None:
        self.idle_s = idle_s
        self.max_deferred = max_deferred
        self._lock = threading.Lock()
        self._last_rerun = time.monotonic()
        self._deferred = 0  # reruns since the last full collection
        self._watcher: threading.Thread | None = None
        self._closed = False

    def after_rerun(self) -> None:
        """Freeze what is alive now; collect in full if the app has not been idle for too long."""
        with self._lock:
            if self._closed:
                return
            gc.freeze()
            self._last_rerun = time.monotonic()
            self._deferred += 1
            due = self._deferred >= self.max_deferred
            if self._watcher is None:
                self._watcher = threading.Thread(target=self._watch_idle, name="gc-when-idle", daemon=True)
                self._watcher.start()
        if due:
            self.collect()

    def collect(self) -> None:
        """A full collection of every object, frozen ones included, then freeze the survivors."""
        with self._lock:
            if self._closed:
                return
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._deferred = 0

    def close(self) -> None:
        """Stop watching and unfreeze: at exit, DuckDB's bindings report frozen objects as leaks."""
        with self._lock:
            self._closed = True
            gc.unfreeze()

    def _watch_idle(self) -> None:
        while True:
            time.sleep(self.idle_s / 2)
            with self._lock:
                if self._closed:
                    return
                idle = self._deferred > 0 and time.monotonic() - self._last_rerun >= self.idle_s
            if idle:
                self.collect()

