"""Pieces of a page computed side by side: results in the page's order, errors raised once all
have ended, pieces asked for on a worker computed there in turn."""

from __future__ import annotations

import threading
import time

import pytest

from observatory import parallel


def test_results_come_back_in_the_given_order() -> None:
    def maker(index: int):
        def make() -> int:
            time.sleep(0.01 * (5 - index))  # the first end last
            return index * 10
        return make

    assert parallel.gather([maker(i) for i in range(5)]) == [0, 10, 20, 30, 40]


def test_an_error_is_raised_after_every_piece_has_ended() -> None:
    ended = threading.Event()

    def slow() -> int:
        time.sleep(0.05)
        ended.set()
        return 1

    def failing() -> int:
        raise RuntimeError("requête en échec")

    with pytest.raises(RuntimeError, match="requête en échec"):
        parallel.gather([slow, failing])  # the failure comes first when they run side by side
    assert ended.is_set()


@pytest.mark.skipif(parallel.WORKERS < 2, reason="one worker: pieces run one after the other")
def test_pieces_run_at_the_same_time() -> None:
    """Two pieces that each wait for the other finish only if they run side by side."""
    meeting = threading.Barrier(2, timeout=5)
    assert sorted(parallel.gather([meeting.wait, meeting.wait])) == [0, 1]  # each its place at the meeting


def test_pieces_asked_for_on_a_worker_are_computed_in_turn() -> None:
    """A worker waiting on pieces of the pool it occupies could wait forever: more outer pieces
    than workers, each asking for inner ones, must end (checked with a time limit, not a hang)."""
    inner = [lambda i=i: i for i in range(8)]
    outer = [lambda: sum(parallel.gather(inner)) for _ in range(parallel.WORKERS + 2)]
    results: list[list[int]] = []
    runner = threading.Thread(target=lambda: results.append(parallel.gather(outer)), daemon=True)
    runner.start()
    runner.join(timeout=10)
    assert results == [[28] * (parallel.WORKERS + 2)]
