"""Snapshot folders: one Parquet file per dataset plus `manifest.json`, published atomically.

A snapshot is built in a staging folder, every file is fsynced, the folder is renamed into
`snapshots/`, and only then is the `current` pointer (a symlink) swapped with an atomic rename.
A build that fails at any point leaves the active snapshot untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA_VERSION = 1
DATASETS: tuple[str, ...] = ("employees", "vacancies", "training")
ROW_GROUP_SIZE = 122_880


class SnapshotError(RuntimeError):
    """A snapshot is missing, incomplete or cannot be activated."""


@dataclass(frozen=True)
class Snapshot:
    id: str
    path: Path
    manifest: dict

    def file(self, dataset: str) -> Path:
        return self.path / f"{dataset}.parquet"

    @property
    def is_demo(self) -> bool:
        return self.manifest.get("origin") == "demo"


def data_dir() -> Path:
    """Root of the data folder: `OBSERVATORY_DATA_DIR`, else `data/` beside the package."""
    configured = os.environ.get("OBSERVATORY_DATA_DIR")
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parent.parent / "data"


def snapshots_dir(root: Path | None = None) -> Path:
    return (root or data_dir()) / "snapshots"


def pointer(root: Path | None = None) -> Path:
    return (root or data_dir()) / "current"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_id(origin: str) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{origin}-{stamp}"


def write_dataset(folder: Path, dataset: str, table: pa.Table) -> dict:
    """Write one dataset as zstd Parquet and return its manifest entry."""
    path = folder / f"{dataset}.parquet"
    pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP_SIZE)
    years = table.column("year")
    return {
        "file": path.name,
        "rows": table.num_rows,
        "years": [int(pa.compute.min(years).as_py() or 0), int(pa.compute.max(years).as_py() or 0)],
    }


def publish(
    build: Callable[[Path], dict],
    origin: str,
    root: Path | None = None,
    extra: dict | None = None,
    activate_after: bool = True,
) -> Snapshot:
    """Build a snapshot with `build(staging_folder) -> {dataset: entry}` and publish it.

    `build` writes the Parquet files into the folder it is given. Checksums, the manifest,
    fsync, the rename and the pointer swap are done here, in that order.
    """
    base = snapshots_dir(root)
    base.mkdir(parents=True, exist_ok=True)
    snapshot_id = new_id(origin)
    staging = base / f".staging-{snapshot_id}"
    staging.mkdir()
    try:
        entries = build(staging)
        missing = [name for name in DATASETS if name not in entries]
        if missing:
            raise SnapshotError(f"jeu(x) de données manquant(s) : {', '.join(missing)}")
        for entry in entries.values():
            file = staging / entry["file"]
            entry["sha256"] = _sha256(file)
            _fsync(file)
        manifest = {
            "id": snapshot_id,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "origin": origin,
            "schema_version": SCHEMA_VERSION,
            "datasets": entries,
            "sources": [],
            **(extra or {}),
        }
        manifest_path = staging / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _fsync(manifest_path)
        _fsync(staging)
        final = base / snapshot_id
        os.rename(staging, final)
        _fsync(base)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    snapshot = load(snapshot_id, root)
    if activate_after:
        activate(snapshot_id, root)
    return snapshot


def load(snapshot_id: str, root: Path | None = None) -> Snapshot:
    if not snapshot_id or "/" in snapshot_id or snapshot_id.startswith("."):
        raise SnapshotError(f"identifiant de snapshot invalide : {snapshot_id!r}")
    path = snapshots_dir(root) / snapshot_id
    manifest_path = path / "manifest.json"
    if not manifest_path.is_file():
        raise SnapshotError(f"snapshot introuvable ou incomplet : {snapshot_id}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for dataset in DATASETS:
        if not (path / f"{dataset}.parquet").is_file():
            raise SnapshotError(f"fichier manquant dans {snapshot_id} : {dataset}.parquet")
    return Snapshot(snapshot_id, path.resolve(), manifest)


def list_snapshots(root: Path | None = None) -> list[Snapshot]:
    base = snapshots_dir(root)
    if not base.is_dir():
        return []
    found = []
    for child in sorted(base.iterdir()):
        if child.name.startswith(".") or not child.is_dir():
            continue
        try:
            found.append(load(child.name, root))
        except (SnapshotError, json.JSONDecodeError):
            continue
    return found


def activate(snapshot_id: str, root: Path | None = None) -> Snapshot:
    """Point `current` at the snapshot with an atomic rename of a fresh symlink."""
    snapshot = load(snapshot_id, root)
    link = pointer(root)
    temporary = link.with_name(f".current-{os.getpid()}")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(Path("snapshots") / snapshot_id, temporary)
    os.replace(temporary, link)
    _fsync(link.parent)
    return snapshot


def active(root: Path | None = None) -> Snapshot | None:
    """The snapshot `current` points to, or None when there is none yet."""
    link = pointer(root)
    if not link.is_symlink():
        return None
    return load(Path(os.readlink(link)).name, root)
