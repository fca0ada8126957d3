"""Fault injection: an import killed at random moments never harms the active snapshot."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from observatory import publishing, snapshots
from observatory.warehouse import DATABASE_FILE

ROOT = Path(__file__).resolve().parents[1]
RUNS = 12


def assert_intact(root: Path, allowed: set[str]) -> str:
    """The active snapshot is one we published, its files match the manifest, it answers queries."""
    active = snapshots.active(root)
    assert active is not None and active.id in allowed
    assert snapshots.verify(active) == []
    con = duckdb.connect(str(active.path / DATABASE_FILE), read_only=True)
    try:
        for name in snapshots.DATASETS:
            rows = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            assert rows == active.manifest["datasets"][name]["rows"]
    finally:
        con.close()
    return active.id


@pytest.mark.slow
def test_import_killed_at_random_points(tmp_path: Path, snapshot: snapshots.Snapshot) -> None:
    data = tmp_path / "data"
    tables = {name: pq.read_table(snapshot.file(name)).slice(0, 3000) for name in snapshots.DATASETS}
    first = publishing.publish_tables(tables, origin="demo", root=data)
    source = tmp_path / "salaries.csv"
    employees = pq.read_table(snapshot.file("employees")).drop(["rkey"]).slice(0, 40_000).to_pandas()
    employees.to_csv(source, sep=";", decimal=",", index=False)
    env = {**os.environ, "OBSERVATORY_DATA_DIR": str(data), "OBSERVATORY_RKEY_SECRET": "ef" * 32}
    command = [sys.executable, "-m", "observatory", "ingest", "employees", str(source)]

    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    duration = time.perf_counter() - started
    published = {s.id for s in snapshots.list_snapshots(data)} | {first.id}
    assert_intact(data, published)

    rng = random.Random(11)
    outcomes = []
    for _ in range(RUNS):
        before = snapshots.active(data).id
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, duration * 1.05))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        published |= {s.id for s in snapshots.list_snapshots(data)}
        after = assert_intact(data, published)
        outcomes.append("inchangé" if after == before else "publié")
    # the next import clears what the killed ones left and publishes normally
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    assert_intact(data, {s.id for s in snapshots.list_snapshots(data)})
    assert not [p for p in snapshots.snapshots_dir(data).iterdir() if p.name.startswith((".staging", ".trash"))]
    print("issues des imports interrompus :", outcomes)
    assert "inchangé" in outcomes, outcomes  # some kills did land before the switch
