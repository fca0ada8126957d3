"""Independent pieces of a page (its tiles, cards and findings) computed side by side.

Most of a piece's time is DuckDB, which releases the GIL while it binds, plans and runs a
query: on two cores, three pieces at once finish a page in about two thirds of the time of one
after the other. A piece computed on a worker that itself asks for pieces computes them in
turn (a worker waiting on the pool it occupies could wait forever).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from observatory import runtime

T = TypeVar("T")

# Queries of one page at once. More than the cores: while one query's plan is bound in Python
# or its result converted to pandas (GIL held), the others keep DuckDB busy.
WORKERS = max(1, int(os.environ.get("OBSERVATORY_PIECE_WORKERS", "3")))
_on_worker = threading.local()


def gather(makers: Sequence[Callable[[], T]]) -> list[T]:
    """Each maker's result, in order; the first exception raised, once every maker has ended
    (no piece keeps running behind a failed page)."""
    if WORKERS == 1 or len(makers) < 2 or getattr(_on_worker, "active", False):
        return [make() for make in makers]
    pool = runtime.pool("observatory-piece", WORKERS)
    futures = [pool.submit(_on_a_worker, make) for make in makers]
    errors = [future.exception() for future in futures]
    for error in errors:
        if error is not None:
            raise error
    return [future.result() for future in futures]


def _on_a_worker(make: Callable[[], T]) -> T:
    _on_worker.active = True
    try:
        return make()
    finally:
        _on_worker.active = False
