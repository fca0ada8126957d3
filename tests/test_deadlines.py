"""The process-wide watcher of query time limits (observatory/deadlines.py)."""

from __future__ import annotations

import threading
import time

from observatory.deadlines import Deadlines


def test_a_block_that_ends_in_time_is_never_interrupted() -> None:
    deadlines = Deadlines()
    calls: list[float] = []
    with deadlines.watch(0.3, lambda: calls.append(time.monotonic())) as fired:
        time.sleep(0.05)
    time.sleep(0.4)  # past the deadline, the block being over
    assert calls == [] and not fired.is_set()


def test_an_overdue_block_is_interrupted_repeatedly_until_it_ends() -> None:
    deadlines = Deadlines()
    calls: list[float] = []
    started = time.monotonic()
    with deadlines.watch(0.1, lambda: calls.append(time.monotonic())) as fired:
        time.sleep(0.35)
    assert fired.is_set()
    assert calls[0] - started >= 0.1  # not before its limit
    assert len(calls) >= 3  # an interrupt arriving before execution starts is lost: repeated
    count = len(calls)
    time.sleep(0.15)
    assert len(calls) == count  # none once the block has ended


def test_a_short_limit_registered_behind_a_long_one_fires_on_time() -> None:
    """The watcher sleeps until the earliest deadline: a new earlier one must wake it."""
    deadlines = Deadlines()
    long_calls: list[float] = []
    short_fired = threading.Event()
    with deadlines.watch(30, lambda: long_calls.append(time.monotonic())):
        time.sleep(0.05)  # the watcher now sleeps for about 30 s
        started = time.monotonic()
        with deadlines.watch(0.1, short_fired.set):
            assert short_fired.wait(2)
        assert time.monotonic() - started < 1
    assert long_calls == []


def test_blocks_watched_from_several_threads_are_told_apart() -> None:
    deadlines = Deadlines()
    fired: dict[str, bool] = {}

    def block(name: str, limit: float, duration: float) -> None:
        with deadlines.watch(limit, lambda: None) as event:
            time.sleep(duration)
        fired[name] = event.is_set()

    threads = [threading.Thread(target=block, args=("quick", 0.5, 0.05)),
               threading.Thread(target=block, args=("slow", 0.05, 0.3))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fired == {"quick": False, "slow": True}
