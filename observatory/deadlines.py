"""Time limits of running queries, kept by one thread for the whole process.

A thread started per query to watch its time cost about 1 ms a query (its start and the GIL
it takes back), as much as a small query itself. Here a query registers its deadline (a lock
and a dict entry) and the one watcher sleeps until the earliest deadline; it is woken only
when a new deadline comes before the time it will wake anyway.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

REPEAT_S = 0.05  # an interrupt that arrives before execution starts is lost: repeat it
IDLE_S = 60.0  # with nothing to watch, wake this often (a later deadline needs no wake-up)


@dataclass
class _Watched:
    deadline: float
    interrupt: Callable[[], None]
    fired: threading.Event = field(default_factory=threading.Event)


class Deadlines:
    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._watched: dict[int, _Watched] = {}
        self._tokens = itertools.count()
        self._wake_at = 0.0
        self._thread: threading.Thread | None = None

    @contextmanager
    def watch(self, limit_s: float, interrupt: Callable[[], None]) -> Iterator[threading.Event]:
        """Call `interrupt` (repeatedly) once `limit_s` have passed and until the block ends;
        yields the event set when that happened."""
        watched = _Watched(time.monotonic() + limit_s, interrupt)
        token = next(self._tokens)
        with self._condition:
            self._watched[token] = watched
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="query-deadlines", daemon=True)
                self._thread.start()
            elif watched.deadline < self._wake_at:
                self._condition.notify()
        try:
            yield watched.fired
        finally:
            with self._condition:
                del self._watched[token]

    def _run(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                self._wake_at = now + REPEAT_S if self._interrupt_overdue(now) else \
                    min((w.deadline for w in self._watched.values()), default=now + IDLE_S)
                self._condition.wait(self._wake_at - now)

    def _interrupt_overdue(self, now: float) -> bool:
        """Interrupt every query past its deadline (a function of its own: the sleeping thread
        keeps no reference to a finished query's cursor)."""
        overdue = [w for w in self._watched.values() if w.deadline <= now]
        for watched in overdue:
            watched.fired.set()
            watched.interrupt()
        return bool(overdue)


DEADLINES = Deadlines()
