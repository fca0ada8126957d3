"""The one cache helper of the builder and the page contents: bounded, least recently used
dropped first, each value computed once however many threads ask at once."""

from __future__ import annotations

import ast
import threading
import time
from pathlib import Path

import pytest

from observatory.tables.shared_cache import SharedCache

ROOT = Path(__file__).resolve().parents[1]


def test_each_value_is_computed_once_for_callers_asking_at_once() -> None:
    cache: SharedCache[int] = SharedCache(8)
    calls: list[int] = []
    started = threading.Event()

    def slow() -> int:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return 42

    results: list[int] = []
    first = threading.Thread(target=lambda: results.append(cache.get_or_compute(["k"], slow)))
    first.start()
    started.wait(5)
    others = [threading.Thread(target=lambda: results.append(cache.get_or_compute(["k"], slow))) for _ in range(5)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(5)
    assert results == [42] * 6 and len(calls) == 1


def test_a_value_is_served_under_a_wider_key_and_the_oldest_is_dropped() -> None:
    cache: SharedCache[str] = SharedCache(2)
    cache.get_or_compute(["wide"], lambda: "wide cells")
    assert cache.get_or_compute(["narrow", "wide"], lambda: "computed") == "wide cells"
    assert cache.get(["narrow"]) is None  # served, not copied under the narrow key
    cache.get_or_compute(["b"], lambda: "b")
    cache.get(["wide"])  # used: "b" is now the oldest
    cache.get_or_compute(["c"], lambda: "c")
    assert len(cache) == 2 and cache.get(["b"]) is None and cache.get(["wide"]) == "wide cells"


def test_a_failure_reaches_every_waiting_caller_and_is_not_kept() -> None:
    cache: SharedCache[int] = SharedCache(4)
    started, release = threading.Event(), threading.Event()

    def failing() -> int:
        started.set()
        release.wait(5)
        raise ValueError("refused")

    errors: list[str] = []

    def ask() -> None:
        try:
            cache.get_or_compute(["k"], failing)
        except ValueError as error:
            errors.append(str(error))

    owner = threading.Thread(target=ask)
    owner.start()
    started.wait(5)
    waiter = threading.Thread(target=ask)
    waiter.start()
    time.sleep(0.05)
    assert cache.peek(["other"]) is None
    release.set()
    owner.join(5)
    waiter.join(5)
    assert errors == ["refused", "refused"]
    assert cache.get_or_compute(["k"], lambda: 7) == 7


def _imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "builder":
            names.add(f"builder.{node.attr}")
    return names


VIEWS = sorted(path for path in (ROOT / "observatory" / "views").glob("*.py") if path.name != "memo.py")


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: p.name)
def test_views_ask_the_builder_and_know_nothing_of_its_caches_or_scheduling(path: Path) -> None:
    """A view asks for tables (build, table, total, gather); which cells serve which request,
    the caches and the workers belong to the builder's package (memo.py is the pages' content
    cache, the same helper)."""
    names = _imported_names(path)
    assert not {name for name in names if name.startswith(("observatory.parallel", "observatory.tables.requests.w",
                                                           "observatory.tables.shared_cache"))
                or name in {"observatory.parallel", "observatory.tables.wider_requests"}}
    assert not {name for name in names if name.startswith("builder._") or name == "builder.built"}
