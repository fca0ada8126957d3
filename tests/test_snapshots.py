"""Snapshots: atomic publish, failed builds leave `current` alone, activation."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from observatory import publishing, snapshots


@pytest.fixture(scope="module")
def tiny(snapshot: snapshots.Snapshot) -> dict[str, pa.Table]:
    """Fifty rows of each dataset of the test snapshot: valid tables, quick to publish."""
    return {name: pq.read_table(snapshot.file(name)).slice(0, 50) for name in snapshots.DATASETS}


def test_manifest_describes_the_files(snapshot: snapshots.Snapshot) -> None:
    manifest = snapshot.manifest
    assert manifest["origin"] == "demo" and manifest["schema_version"] == snapshots.SCHEMA_VERSION
    for name in snapshots.DATASETS:
        entry = manifest["datasets"][name]
        assert entry["rows"] > 0 and entry["years"] == [2016, 2025]
        assert entry["sha256"] == snapshots.sha256(snapshot.file(name))


def test_failed_build_leaves_current_untouched(data_root: Path, snapshot: snapshots.Snapshot, tiny) -> None:
    before = os.readlink(snapshots.pointer(data_root))
    listed = {s.id for s in snapshots.list_snapshots(data_root)}

    def explode(folder: Path) -> None:
        raise OSError("disque plein (simulé)")

    with pytest.raises(OSError):
        publishing.publish_tables(tiny, origin="ingest", root=data_root, after_write=explode)
    assert os.readlink(snapshots.pointer(data_root)) == before
    assert {s.id for s in snapshots.list_snapshots(data_root)} == listed
    assert not [p for p in snapshots.snapshots_dir(data_root).iterdir() if p.name.startswith(".staging")]
    assert snapshots.active(data_root).id == snapshot.id


def test_missing_dataset_is_refused(data_root: Path, snapshot: snapshots.Snapshot, tiny) -> None:
    def build(folder: Path) -> dict:
        return {"employees": snapshots.write_dataset(folder, "employees", tiny["employees"])}

    with pytest.raises(snapshots.SnapshotError):
        snapshots.publish(build, "ingest", root=data_root)
    assert snapshots.active(data_root).id == snapshot.id


def test_activate_switches_and_refuses_unknown(tmp_path: Path, tiny) -> None:
    first = publishing.publish_tables(tiny, origin="ingest", root=tmp_path)
    second = publishing.publish_tables(tiny, origin="ingest", root=tmp_path)
    assert snapshots.active(tmp_path).id == second.id
    snapshots.activate(first.id, tmp_path)
    assert snapshots.active(tmp_path).id == first.id
    for bad in ("../etc", "", ".staging-x", "inconnu"):
        with pytest.raises(snapshots.SnapshotError):
            snapshots.activate(bad, tmp_path)
    assert snapshots.active(tmp_path).id == first.id
    assert json.loads((first.path / "manifest.json").read_text())["id"] == first.id
