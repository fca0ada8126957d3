"""A bounded cache shared by threads: each value computed once, however many ask at once.

The builder's cells and tables and the pages' contents are asked for by several sessions, the
warm-up and the pieces of one page at the same time: a second caller of a value being computed
waits for it instead of running its queries again on two cores.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

V = TypeVar("V")


class SharedCache(Generic[V]):
    """Values by key, the least recently used dropped beyond `size`. A value may be asked for
    under several keys (its own first, then keys of wider values that also give it)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._running: dict[Hashable, Future] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, keys: Sequence[Hashable]) -> V | None:
        """The value kept under one of `keys`, nothing computed or waited for."""
        with self._lock:
            value, _running = self._known(keys)
        return value

    def peek(self, keys: Sequence[Hashable]) -> V | None:
        """The value kept under one of `keys`, or the one being computed under one of them
        (waited for; None if that computation fails); None when neither."""
        with self._lock:
            value, running = self._known(keys)
        if value is not None or running is None:
            return value
        try:
            return running.result()
        except Exception:
            return None

    def get_or_compute(self, keys: Sequence[Hashable], compute: Callable[[], V]) -> V:
        """What `get` or a running computation gives; else `compute()`, kept under the first
        key (a failure is not kept: each waiting caller gets its exception)."""
        with self._lock:
            value, running = self._known(keys)
            if value is not None:
                return value
            owner = running is None
            if owner:
                running = self._running[keys[0]] = Future()
        if not owner:
            return running.result()
        try:
            value = compute()
        except BaseException as error:
            with self._lock:
                del self._running[keys[0]]
            running.set_exception(error)
            raise
        with self._lock:
            self._values[keys[0]] = value
            del self._running[keys[0]]
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        running.set_result(value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def _known(self, keys: Sequence[Hashable]) -> tuple[V | None, Future | None]:
        """Call with the lock held."""
        for key in keys:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key], None
        return None, next((self._running[key] for key in keys if key in self._running), None)
