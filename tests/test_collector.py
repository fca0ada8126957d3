"""The garbage collector's policy of the app (observatory/collector.py)."""

from __future__ import annotations

import gc
import time
import weakref

from observatory.collector import Collector


class Node:
    """An object in a reference cycle: only a full collection frees it."""

    def __init__(self) -> None:
        self.me = self


def _cycle() -> weakref.ref:
    return weakref.ref(Node())


def test_a_rerun_freezes_what_is_alive() -> None:
    gc.unfreeze()  # whatever earlier tests froze: count from none
    collector = Collector(idle_s=60)
    try:
        kept = [Node() for _ in range(1000)]
        assert gc.get_freeze_count() == 0
        collector.after_rerun()
        assert gc.get_freeze_count() >= len(kept)
    finally:
        collector.close()


def test_cycles_frozen_by_a_rerun_are_freed_once_the_app_is_idle() -> None:
    collector = Collector(idle_s=0.2)
    try:
        dead = _cycle()
        collector.after_rerun()  # the cycle, unreachable but not yet collected, is frozen
        gc.collect()
        assert dead() is not None, "a frozen cycle survives the automatic passes"
        deadline = time.monotonic() + 5
        while dead() is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert dead() is None, "the idle collection freed it"
    finally:
        collector.close()


def test_without_a_pause_a_full_collection_still_comes_after_enough_reruns() -> None:
    collector = Collector(idle_s=3600, max_deferred=3)
    try:
        dead = _cycle()
        collector.after_rerun()
        collector.after_rerun()
        assert dead() is not None
        collector.after_rerun()  # the third: collected in full, whatever the load
        assert dead() is None
    finally:
        collector.close()
