"""Shared helpers of the benchmarks: a demo snapshot at the asked scale, timings, RSS."""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from observatory import demo, publishing, runtime, snapshots, warehouse

RESULTS = Path(__file__).resolve().parent / "results"


def snapshot_at(scale: float, seed: int, data_dir: Path) -> tuple[snapshots.Snapshot, dict[str, float]]:
    """The active snapshot of `data_dir` if it is the demo at this scale and seed, else a new one.

    Returns the snapshot and the generation / publication times when it was built here.
    """
    current = snapshots.active(data_dir)
    if current is not None and current.manifest.get("demo") == {"scale": scale, "seed": seed}:
        if warehouse.built_layout(current.path / warehouse.DATABASE_FILE) != warehouse.database_layout():
            warehouse.build_database(current.path)  # as `make run` does (snapshots rebuild)
        return current, {}
    started = time.perf_counter()
    data = demo.generate(scale=scale, seed=seed)
    generated = time.perf_counter()
    snapshot = publishing.publish_tables(
        {"employees": data.employees, "vacancies": data.vacancies, "training": data.training},
        origin="demo", extra={"demo": {"scale": scale, "seed": seed}}, root=data_dir)
    published = time.perf_counter()
    return snapshot, {"generation_s": generated - started, "publication_s": published - generated}


def arguments(doc: str | None, argv: list[str] | None, switches: tuple[str, ...] = ()) -> argparse.Namespace:
    """The options every benchmark takes (scale, seed, repetitions, data folder), plus its own
    on/off `switches`; the process prepared as the app's is."""
    runtime.prepare_process()
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    for switch in switches:
        parser.add_argument(switch, action="store_true")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--data-dir", type=Path, help="reuse this data folder's snapshot when it matches")
    return parser.parse_args(argv)


def timings(run: Callable[[], object], repeat: int) -> list[float]:
    """Wall times in milliseconds of `repeat` calls."""
    result = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        result.append((time.perf_counter() - started) * 1000)
    return result


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def save(name: str, payload: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def print_table(rows: list[dict], columns: list[str]) -> None:
    print("  ".join(f"{c:>14}" for c in columns))
    for row in rows:
        print("  ".join(f"{row[c]:>14.1f}" if isinstance(row[c], float) else f"{row[c]!s:>14.14}" for c in columns))
