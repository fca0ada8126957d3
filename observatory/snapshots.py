"""Snapshot folders: one Parquet file per dataset plus `manifest.json`, published atomically.

A snapshot is built in a staging folder, every file is fsynced and made read-only, the folder is
renamed into `snapshots/`, and only then is the `current` pointer (a symlink) swapped with an
atomic rename. A build that fails at any point leaves the active snapshot untouched.

Each snapshot owns its files: the datasets carried from the previous one are copies (reflinks
where the file system shares blocks copy-on-write), never hard links, so that damaging one
snapshot's file cannot reach another. Opening the active snapshot checks it cheaply (manifest
complete, every file present, of its recorded size, a whole Parquet file); a damaged one is
reported and the newest intact snapshot before it is served (`serving`); `verify` also compares
every file with its recorded SHA-256.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import shutil
import stat
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
    """A snapshot is missing, incomplete or cannot be activated (the message is French)."""


class DamagedSnapshot(SnapshotError):
    """The snapshot's manifest or files are not what its publication wrote."""


@dataclass(frozen=True)
class Damage:
    snapshot_id: str
    reason: str  # French


@dataclass(frozen=True)
class Serving:
    """What to serve: the active snapshot, or when it is damaged the newest intact one before it
    (None when there is none); `damaged`, the snapshots passed over and why."""
    snapshot: Snapshot | None
    damaged: tuple[Damage, ...] = ()


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
        # What the site serves: the active snapshot, or the intact one before it when damaged.
        current = serving(root).snapshot
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
                entry["bytes"] = file.stat().st_size
                seal(file)
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
            seal(manifest_path)
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
    """Copy the active snapshot's other datasets into the staging folder (checksums verified)."""
    entries = {}
    for name, entry in current.manifest["datasets"].items():
        if name in exclude:
            continue
        source, target = current.path / entry["file"], staging / entry["file"]
        copy_file(source, target)
        if sha256(target) != entry["sha256"]:
            raise DamagedSnapshot(f"{entry['file']} du snapshot {current.id} ne correspond plus à son empreinte ; "
                                  "rien n'est publié (voir `snapshots verify`)")
        entries[name] = {**entry, "origin": entry.get("origin", current.manifest["origin"])}
    return entries


FICLONE = 0x40049409  # Linux ioctl: the target shares the source's blocks, copy-on-write


def copy_file(source: Path, target: Path) -> None:
    """A copy of its own: a reflink where the file system can (instant, no space used until one
    of the two is written), else a plain copy. Never a hard link: one inode for two snapshots
    would carry one damage into both."""
    with source.open("rb") as reading, target.open("wb") as writing:
        try:
            fcntl.ioctl(writing.fileno(), FICLONE, reading.fileno())
            return
        except OSError as error:
            if error.errno not in (errno.EOPNOTSUPP, errno.ENOTTY, errno.EXDEV, errno.EINVAL, errno.ENOSYS):
                raise
        shutil.copyfileobj(reading, writing, 1 << 20)


def seal(path: Path) -> None:
    """Written once: fsynced and read-only (a stray write is refused to anyone but root)."""
    _fsync(path)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


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


def pointed_id(root: Path | None = None) -> str | None:
    """The id the `current` pointer names (None when there is no pointer yet); not checked."""
    link = pointer(root)
    return Path(os.readlink(link)).name if link.is_symlink() else None


def snapshot_ids(root: Path | None = None) -> list[str]:
    """The ids of every snapshot folder, in name order, whether intact or not."""
    base = snapshots_dir(root)
    if not base.is_dir():
        return []
    return sorted(child.name for child in base.iterdir() if child.is_dir() and not child.name.startswith("."))


def rollback(root: Path | None = None) -> Snapshot:
    """Activate the snapshot that was active before the current one was published; when the
    current one is damaged, the newest intact snapshot before it."""
    current_id = pointed_id(root)
    if current_id is None:
        raise SnapshotError("aucun snapshot actif")
    try:
        previous = load(current_id, root).manifest.get("previous")
    except SnapshotError:
        fallback = serving(root).snapshot
        if fallback is None:
            raise SnapshotError(f"le snapshot actif {current_id} est endommagé et aucun snapshot intact ne le "
                                "précède") from None
        return activate(fallback.id, root)
    if not previous:
        raise SnapshotError(f"le snapshot {current_id} n'a pas de prédécesseur")
    return activate(previous, root)


def check(snapshot: Snapshot) -> list[str]:
    """What is wrong with a snapshot's files, cheaply (no checksum): each present, a regular
    file, of the size its publication recorded, a whole Parquet file (its last bytes are the
    format's mark: a truncated one lacks them). Empty: nothing seen."""
    found = (_file_problem(snapshot, entry) for entry in snapshot.manifest["datasets"].values())
    return [problem for problem in found if problem is not None]


def _file_problem(snapshot: Snapshot, entry: dict) -> str | None:
    """What `check` finds wrong with one manifest entry's file (None: nothing)."""
    path = snapshot.path / entry["file"]
    try:
        info = path.lstat()
    except OSError:
        return f"{entry['file']} manquant"
    if not stat.S_ISREG(info.st_mode):
        return f"{entry['file']} n'est pas un fichier ordinaire"
    if entry.get("bytes") is not None and info.st_size != entry["bytes"]:
        return f"{entry['file']} fait {info.st_size} octets au lieu de {entry['bytes']} (tronqué ou modifié)"
    if path.suffix == ".parquet" and not _whole_parquet(path, info.st_size):
        return f"{entry['file']} n'est pas un fichier Parquet complet"
    return None


def _whole_parquet(path: Path, size: int) -> bool:
    if size < 12:
        return False
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(size - 4)
        return head == b"PAR1" and handle.read(4) == b"PAR1"


def verify(snapshot: Snapshot) -> list[str]:
    """Everything wrong with a snapshot's files: `check`, then each file's SHA-256 against its
    manifest (empty: intact)."""
    problems = []
    for entry in snapshot.manifest["datasets"].values():
        problem = _file_problem(snapshot, entry)
        if problem is None and sha256(snapshot.path / entry["file"]) != entry["sha256"]:
            problem = f"{entry['file']} ne correspond plus à son empreinte (SHA-256)"
        if problem is not None:
            problems.append(problem)
    return problems


def load(snapshot_id: str, root: Path | None = None) -> Snapshot:
    """The snapshot of that id, its manifest read and checked for completeness (DamagedSnapshot
    when unreadable or incomplete; SnapshotError when there is no such snapshot)."""
    if not snapshot_id or "/" in snapshot_id or snapshot_id.startswith("."):
        raise SnapshotError(f"identifiant de snapshot invalide : {snapshot_id!r}")
    path = snapshots_dir(root) / snapshot_id
    if not path.is_dir():
        raise SnapshotError(f"snapshot introuvable : {snapshot_id}")
    manifest_path = path / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DamagedSnapshot(f"manifeste absent dans {snapshot_id}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DamagedSnapshot(f"manifeste illisible dans {snapshot_id} ({type(error).__name__})") from None
    missing = _manifest_problems(manifest)
    if missing:
        raise DamagedSnapshot(f"manifeste incomplet dans {snapshot_id} : {missing}")
    for dataset in DATASETS:
        if not (path / f"{dataset}.parquet").is_file():
            raise DamagedSnapshot(f"fichier manquant dans {snapshot_id} : {dataset}.parquet")
    return Snapshot(snapshot_id, path.resolve(), manifest)


def _manifest_problems(manifest: object) -> str:
    """What a manifest lacks of what every reader of it expects ("" when complete)."""
    if not isinstance(manifest, dict):
        return "pas un objet JSON"
    absent = [key for key in ("id", "created_at", "origin", "datasets") if key not in manifest]
    if absent:
        return f"champ(s) {', '.join(absent)} absent(s)"
    datasets = manifest["datasets"]
    if not isinstance(datasets, dict):
        return "champ datasets invalide"
    for name in DATASETS:
        entry = datasets.get(name)
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or "sha256" not in entry:
            return f"jeu {name} absent ou sans fichier ni empreinte"
    for entry in datasets.values():
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or "/" in entry["file"] \
                or entry["file"].startswith("."):
            return "entrée de fichier invalide"
    return ""


def serving(root: Path | None = None, unusable: dict[str, str] | None = None) -> Serving:
    """The snapshot to serve: the active one when intact (`check`), else the newest intact one
    created before it, with what was passed over and why; `unusable` adds snapshots found
    damaged otherwise (their query database), id -> reason."""
    unusable = unusable or {}
    current_id = pointed_id(root)
    if current_id is None:
        return Serving(None)
    problem = _problem(current_id, root, unusable)
    if problem is None:
        return Serving(load(current_id, root))
    damaged = [Damage(current_id, problem)]
    for candidate in _before(current_id, root):
        reason = _problem(candidate, root, unusable)
        if reason is None:
            return Serving(load(candidate, root), tuple(damaged))
        damaged.append(Damage(candidate, reason))
    return Serving(None, tuple(damaged))


def _problem(snapshot_id: str, root: Path | None, unusable: dict[str, str]) -> str | None:
    """Why a snapshot cannot be served (None: it can)."""
    if snapshot_id in unusable:
        return unusable[snapshot_id]
    try:
        found = check(load(snapshot_id, root))
    except SnapshotError as error:
        return str(error)
    return "; ".join(found) or None


def _before(snapshot_id: str, root: Path | None) -> list[str]:
    """The ids of the snapshots created before `snapshot_id`, newest first (all of them when its
    creation time cannot be read from its id)."""
    names = [name for name in snapshot_ids(root) if name != snapshot_id]
    stamp = snapshot_id.rsplit("-", 1)[-1]
    return sorted((name for name in names if not stamp or name.rsplit("-", 1)[-1] < stamp),
                  key=lambda name: name.rsplit("-", 1)[-1], reverse=True)


def list_snapshots(root: Path | None = None) -> list[Snapshot]:
    """Every snapshot whose manifest loads, in id order (a damaged folder is skipped)."""
    found = []
    for snapshot_id in snapshot_ids(root):
        try:
            found.append(load(snapshot_id, root))
        except SnapshotError:
            continue
    return found


def activate(snapshot_id: str, root: Path | None = None) -> Snapshot:
    """Point `current` at the snapshot with an atomic rename of a fresh symlink (a damaged one
    is refused)."""
    snapshot = load(snapshot_id, root)
    problems = check(snapshot)
    if problems:
        raise DamagedSnapshot(f"le snapshot {snapshot_id} est endommagé : {'; '.join(problems)}")
    link = pointer(root)
    temporary = link.with_name(f".current-{os.getpid()}")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(Path("snapshots") / snapshot_id, temporary)
    os.replace(temporary, link)
    _fsync(link.parent)
    return snapshot


def active(root: Path | None = None) -> Snapshot | None:
    """The snapshot `current` points to, or None when there is none yet (SnapshotError when it
    is missing, DamagedSnapshot when its manifest is unreadable; its files are not checked here:
    `serving` does)."""
    snapshot_id = pointed_id(root)
    if snapshot_id is None:
        return None
    if not (snapshots_dir(root) / snapshot_id).is_dir():
        raise DamagedSnapshot(f"le pointeur « current » désigne un snapshot absent : {snapshot_id}")
    return load(snapshot_id, root)
