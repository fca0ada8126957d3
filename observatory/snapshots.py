"""Snapshot folders: one Parquet file per dataset plus `manifest.json`, published atomically.

A snapshot is built in a staging folder, every file is fsynced, the folder is renamed into
`snapshots/`, and only then is the `current` pointer (a symlink) swapped with an atomic rename.
A build that fails at any point leaves the active snapshot untouched.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA_VERSION = 1
DATASETS: tuple[str, ...] = ("employees", "vacancies", "training")
ROW_GROUP_SIZE = 122_880
KEEP_PREVIOUS = 5  # snapshots kept in the history behind the active one (rollback targets)


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
        """True when any microdata dataset is synthetic (official sources may sit beside it)."""
        return any(self.origin_of(name) == "demo" for name in DATASETS)

    def origin_of(self, dataset: str) -> str:
        entry = self.manifest["datasets"].get(dataset, {})
        return entry.get("origin", self.manifest.get("origin", ""))


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


def sha256(path: Path) -> str:
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
    entry: dict = {"file": path.name, "rows": table.num_rows}
    if "year" in table.column_names and table.num_rows:
        years = table.column("year")
        entry["years"] = [int(pa.compute.min(years).as_py()), int(pa.compute.max(years).as_py())]
    return entry


def publish(
    build: Callable[[Path], dict],
    origin: str,
    root: Path | None = None,
    extra: dict | None = None,
    activate_after: bool = True,
    carry_over: bool = False,
    after_build: Callable[[Path], object] | None = None,
) -> Snapshot:
    """Build a snapshot with `build(staging_folder) -> {dataset: entry}` and publish it.

    `build` writes the Parquet files into the folder it is given. With `carry_over`, every
    dataset of the active snapshot that `build` did not write is copied in (checksum verified),
    with its manifest entry and the sources it came from. Checksums, the manifest, fsync, the
    rename and the pointer swap are done here, in that order, under the publish lock;
    `after_build(folder)` derives files from the complete folder before they are sealed.
    """
    base = snapshots_dir(root)
    base.mkdir(parents=True, exist_ok=True)
    with _publish_lock(base):
        _remove_stale_staging(base)
        current = active(root)
        snapshot_id = new_id(origin)
        staging = base / f".staging-{snapshot_id}"
        staging.mkdir()
        try:
            entries = {name: {**entry, "origin": origin} for name, entry in build(staging).items()}
            sources = list((extra or {}).get("sources", []))
            inherited: dict = {}
            if carry_over and current is not None:
                renewed = {source["name"] for source in sources}
                entries = {**_carry_over(current, staging, exclude=set(entries)), **entries}
                sources = [source for source in current.manifest.get("sources", [])
                           if source["name"] not in renewed] + sources
                if any(entry["origin"] == "demo" for entry in entries.values()) and "demo" in current.manifest:
                    inherited["demo"] = current.manifest["demo"]  # how the carried synthetic data was made
            missing = [name for name in DATASETS if name not in entries]
            if missing:
                raise SnapshotError(f"jeu(x) de données manquant(s) : {', '.join(missing)}")
            if after_build is not None:
                after_build(staging)  # derived files (the query database), from the complete folder
            for entry in entries.values():
                file = staging / entry["file"]
                if "sha256" not in entry:
                    entry["sha256"] = sha256(file)
                _fsync(file)
            manifest = {
                **inherited,
                **(extra or {}),
                "id": snapshot_id,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "origin": origin,
                "schema_version": SCHEMA_VERSION,
                "previous": current.id if current is not None else None,
                "datasets": entries,
                "sources": sources,
            }
            manifest_path = staging / "manifest.json"
            manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            _fsync(manifest_path)
            _fsync(staging)
            os.rename(staging, base / snapshot_id)
            _fsync(base)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        snapshot = load(snapshot_id, root)
        if activate_after:
            activate(snapshot_id, root)
        prune(root)
    return snapshot


def _carry_over(current: Snapshot, staging: Path, exclude: set[str]) -> dict:
    """Hard-link (or copy) the active snapshot's other datasets into the staging folder."""
    entries = {}
    for name, entry in current.manifest["datasets"].items():
        if name in exclude:
            continue
        source, target = current.path / entry["file"], staging / entry["file"]
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        if sha256(target) != entry["sha256"]:
            raise SnapshotError(f"{entry['file']} du snapshot {current.id} ne correspond plus à son empreinte")
        entries[name] = {**entry, "origin": entry.get("origin", current.manifest["origin"])}
    return entries


@contextmanager
def _publish_lock(base: Path) -> Iterator[None]:
    """One publisher at a time, so that a staging folder found here is a dead one."""
    with (base / ".publish.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale_staging(base: Path) -> None:
    """Folders left by a publish or a prune that was killed (the lock says none is running)."""
    for child in base.iterdir():
        if child.name.startswith((".staging-", ".trash-")):
            shutil.rmtree(child, ignore_errors=True)


def prune(root: Path | None = None, keep: int = KEEP_PREVIOUS) -> list[str]:
    """Delete old snapshots: the active one, the `keep` before it in its history and the `keep`
    newest stay; returns the ids removed."""
    current = active(root)
    found = list_snapshots(root)
    kept = {snap.id for snap in sorted(found, key=_created, reverse=True)[: keep + 1]}
    by_id = {snap.id: snap for snap in found}
    cursor = current
    for _ in range(keep + 1):
        if cursor is None:
            break
        kept.add(cursor.id)
        cursor = by_id.get(cursor.manifest.get("previous") or "")
    removed = [snap.id for snap in found if snap.id not in kept]
    for snapshot_id in removed:
        # Renamed first (atomic), so an interrupted deletion never leaves a half snapshot listed.
        trash = snapshots_dir(root) / f".trash-{snapshot_id}"
        os.rename(snapshots_dir(root) / snapshot_id, trash)
        shutil.rmtree(trash, ignore_errors=True)
    return removed


def _created(snapshot: Snapshot) -> str:
    return snapshot.id.rsplit("-", 1)[-1]


def rollback(root: Path | None = None) -> Snapshot:
    """Activate the snapshot that was active before the current one was published."""
    current = active(root)
    if current is None:
        raise SnapshotError("aucun snapshot actif")
    previous = current.manifest.get("previous")
    if not previous:
        raise SnapshotError(f"le snapshot {current.id} n'a pas de prédécesseur")
    return activate(previous, root)


def verify(snapshot: Snapshot) -> list[str]:
    """The files of a snapshot whose checksum differs from its manifest (empty: intact)."""
    return [entry["file"] for entry in snapshot.manifest["datasets"].values()
            if not (snapshot.path / entry["file"]).is_file()
            or sha256(snapshot.path / entry["file"]) != entry["sha256"]]


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
