"""Hostile files are refused early, with a French message and nothing published: links and
other non-regular files, an XLSX archive that would inflate too far (refused from its
directory, in milliseconds and a few megabytes), Parquet columns that are lists, structures or
binary, a full disk (the staging folder removed, the active snapshot unchanged)."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import time
import tracemalloc
import zipfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from observatory import publishing, snapshots, warehouse
from observatory.__main__ import EXIT_NO_SPACE, EXIT_REFUSED
from observatory.__main__ import main as cli
from observatory.ingest import readers

ROWS = 200


@pytest.fixture()
def root(tmp_path: Path, snapshot: snapshots.Snapshot, monkeypatch) -> Path:
    data = tmp_path / "data"
    tables = {name: pq.read_table(snapshot.file(name)).slice(0, 500) for name in snapshots.DATASETS}
    publishing.publish_tables(tables, origin="demo", root=data)
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(data))
    monkeypatch.setenv("OBSERVATORY_RKEY_SECRET", "ab" * 32)
    return data


@pytest.fixture()
def valid_csv(tmp_path: Path, frames) -> Path:
    path = tmp_path / "salaries.csv"
    frames["employees"].drop(columns=["rkey"]).head(ROWS).to_csv(path, sep=";", decimal=",", index=False)
    return path


def _run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(list(args))
    return code, err.getvalue()


def _unchanged(root: Path, before: str) -> None:
    assert snapshots.active(root).id == before
    assert not [p.name for p in snapshots.snapshots_dir(root).iterdir() if p.name.startswith((".staging", ".trash"))]


def _refused(root: Path, path: Path, words: str) -> str:
    before = snapshots.active(root).id
    code, err = _run("ingest", "employees", str(path))
    assert code == EXIT_REFUSED and words in err and "Traceback" not in err, err
    _unchanged(root, before)
    return err


def test_a_link_is_refused(root: Path, valid_csv: Path, tmp_path: Path) -> None:
    link = tmp_path / "lien.csv"
    link.symlink_to(valid_csv)
    _refused(root, link, "lien symbolique refusé")


def test_a_pipe_or_a_folder_is_refused_without_blocking(root: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "tube.csv"
    os.mkfifo(pipe)
    _refused(root, pipe, "pas un fichier ordinaire")
    folder = tmp_path / "dossier.csv"
    folder.mkdir()
    _refused(root, folder, "pas un fichier ordinaire")


def _bomb(path: Path, inflated: int) -> Path:
    """An XLSX whose sheet is `inflated` bytes of one repeated cell: a thousand times smaller."""
    cell = b"<c><v>0</v></c>" * 4096
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(inflated // len(cell)):
                sheet.write(cell)
    return path


def test_an_xlsx_bomb_is_refused_from_its_directory(root: Path, tmp_path: Path, record_property) -> None:
    bomb = _bomb(tmp_path / "bombe.xlsx", 64 << 20)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(readers.ReadError, match="se décompresse"):
        readers.read(bomb)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\nbombe XLSX de {bomb.stat().st_size} octets (64 Mo décompressée) refusée en {elapsed * 1000:.1f} ms, "
          f"pointe mémoire Python {peak / 1e6:.2f} Mo")
    record_property("xlsx_bomb", {"bytes": bomb.stat().st_size, "ms": elapsed * 1000, "peak_mb": peak / 1e6})
    assert peak < 5e6, "nothing of the sheet was inflated"
    _refused(root, bomb, "archive piégée ou anormale")


def test_an_xlsx_inflating_beyond_the_limit_is_refused(root: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(readers, "XLSX_MAX_INFLATED", 1 << 20)
    monkeypatch.setattr(readers, "XLSX_MAX_RATIO", 10**9)
    _refused(root, _bomb(tmp_path / "grand.xlsx", 4 << 20), "une fois décompressé")


@pytest.mark.parametrize(("column", "values"), [
    ("liste", pa.array([[1, 2]] * 3)),
    ("structure", pa.array([{"a": 1}] * 3)),
    ("binaire", pa.array([b"\x00\x01"] * 3)),
])
def test_nested_or_binary_parquet_columns_are_refused_by_name(root: Path, tmp_path: Path, frames, column,
                                                              values) -> None:
    table = pa.Table.from_pandas(frames["employees"].drop(columns=["rkey"]).head(3), preserve_index=False)
    path = tmp_path / f"{column}.parquet"
    pq.write_table(table.append_column(column, values), path)
    err = _refused(root, path, f"colonne « {column} »")
    assert "refusée" in err


def test_a_full_disk_is_reported_in_french_and_publishes_nothing(root: Path, valid_csv: Path, monkeypatch) -> None:
    before = snapshots.active(root).id

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(snapshots, "write_dataset", full)
    code, err = _run("ingest", "employees", str(valid_csv))
    assert code == EXIT_NO_SPACE and "plus de place sur le disque" in err and "Traceback" not in err, err
    _unchanged(root, before)


def test_a_full_disk_while_building_the_database_publishes_nothing(root: Path, valid_csv: Path,
                                                                   monkeypatch) -> None:
    before = snapshots.active(root).id

    def full(_folder):
        raise duckdb.IOException("Could not write file: No space left on device")
    monkeypatch.setattr(warehouse, "build_database", full)
    code, err = _run("ingest", "employees", str(valid_csv))
    assert code == EXIT_NO_SPACE and "plus de place" in err and "Traceback" not in err, err
    _unchanged(root, before)
