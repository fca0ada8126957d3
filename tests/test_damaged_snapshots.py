"""A damaged snapshot keeps the site up: the app serves the newest intact snapshot before it and
says so, the CLI reports the damage in French with its exit code, `snapshots verify` names it,
rollback and the next import still work; one snapshot's damage never reaches another's files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from observatory import snapshots
from observatory.__main__ import EXIT_DAMAGED
from observatory.formatting import as_text
from observatory.warehouse import DATABASE_FILE
from tests.app_support import APP

ROOT = Path(__file__).resolve().parents[1]


def _truncate(path: Path) -> None:
    os.chmod(path, 0o644)
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def _write(text: str) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        os.chmod(path, 0o644)
        path.write_text(text, encoding="utf-8")
    return damage


# Case -> (file of the active snapshot, damage), the pointer's case apart.
DAMAGES: dict[str, tuple[str, Callable[[Path], None]]] = {
    "manifeste tronqué": ("manifest.json", _write("{")),
    "manifeste vide": ("manifest.json", _write("{}")),
    "Parquet absent": ("employees.parquet", Path.unlink),
    "Parquet tronqué": ("vacancies.parquet", _truncate),
}


@pytest.fixture(params=[*DAMAGES, "pointeur vers un dossier absent"])
def damaged(request, history: Path, tmp_path: Path) -> tuple[Path, str, str]:
    """A copy of the history whose active snapshot is damaged: (data folder, active id, intact id)."""
    data = tmp_path / "data"
    shutil.copytree(history, data, symlinks=True)
    active = snapshots.active(data)
    previous = active.manifest["previous"]
    if request.param in DAMAGES:
        name, damage = DAMAGES[request.param]
        damage(active.path / name)
    else:
        shutil.rmtree(active.path)
    return data, active.id, previous


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OBSERVATORY_DATA_DIR": str(data), "OBSERVATORY_RKEY_SECRET": "cd" * 32}
    return subprocess.run([sys.executable, "-m", "observatory", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_intact_snapshot_before_a_damaged_one_is_served(damaged, monkeypatch) -> None:
    """Files and manifest are checked on opening (snapshots.serving, by the app's resources)."""
    from observatory.ui import resources

    data, active_id, previous = damaged
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(data))
    served = resources.served()
    assert served.snapshot is not None and served.snapshot.id == previous and served.builder is not None
    assert served.damaged[0].snapshot_id == active_id and served.damaged[0].reason


def test_the_app_serves_the_previous_snapshot_with_a_banner(damaged, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    data, active_id, previous = damaged
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(data))
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not app.exception
    banner = " ".join(e.value for e in app.error)
    assert "Données endommagées" in banner and as_text(active_id) in banner and as_text(previous) in banner
    assert [m.value for m in app.metric if m.label == "Effectif"] not in ([], ["secret"]), "figures are shown"


def test_the_cli_reports_the_damage_in_french(damaged) -> None:
    data, active_id, previous = damaged
    table = _cli(data, "table", "employees", "--by", "branch", "--measure", "effectif")
    assert table.returncode == EXIT_DAMAGED, table.stderr
    assert "Erreur" in table.stderr and "endommagé" in table.stderr and "Traceback" not in table.stderr
    listing = _cli(data, "snapshots", "list")
    assert "Traceback" not in listing.stderr + listing.stdout
    assert previous in listing.stdout
    verify = _cli(data, "snapshots", "verify")
    assert "Traceback" not in verify.stderr + verify.stdout
    assert f"{previous} : intact" in verify.stdout
    assert verify.returncode == EXIT_DAMAGED or not (data / "snapshots" / active_id).exists()
    if (data / "snapshots" / active_id).exists():
        assert f"{active_id} : endommagé" in verify.stdout


def test_rollback_and_the_next_import_still_work(damaged, samples_csv) -> None:
    data, _active_id, previous = damaged
    rollback = _cli(data, "snapshots", "rollback")
    assert rollback.returncode == 0, rollback.stderr
    assert snapshots.active(data).id == previous
    ingest = _cli(data, "ingest", "employees", str(samples_csv))
    assert ingest.returncode == 0, ingest.stderr
    new = snapshots.active(data)
    assert new.manifest["previous"] == previous and snapshots.verify(new) == []


@pytest.fixture(scope="module")
def samples_csv(tmp_path_factory, frames) -> Path:
    path = tmp_path_factory.mktemp("import") / "salaries.csv"
    frames["employees"].drop(columns=["rkey"]).head(300).to_csv(path, sep=";", decimal=",", index=False)
    return path


def test_a_damage_in_place_reaches_no_other_snapshot(history: Path, tmp_path: Path, samples_csv) -> None:
    """The carried dataset is the active's own copy: truncating it in place leaves the snapshot
    before it intact, so rollback and an import still work (with hard links, every snapshot lost
    the file at once)."""
    data = tmp_path / "data"
    shutil.copytree(history, data, symlinks=True)
    active = snapshots.active(data)
    previous = snapshots.load(active.manifest["previous"], data)
    carried = active.file("training")
    assert os.stat(carried).st_ino != os.stat(previous.file("training")).st_ino
    assert not os.access(carried, os.W_OK) or os.geteuid() == 0, "files are read-only once published"
    assert (os.stat(carried).st_mode & 0o222) == 0
    _truncate(carried)
    assert snapshots.verify(previous) == []
    assert any("training.parquet" in problem for problem in snapshots.verify(active))
    assert _cli(data, "snapshots", "rollback").returncode == 0
    assert _cli(data, "ingest", "employees", str(samples_csv)).returncode == 0
    assert snapshots.verify(snapshots.active(data)) == []


def test_a_damaged_snapshot_cannot_be_activated(history: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(history, data, symlinks=True)
    active = snapshots.active(data)
    previous = snapshots.load(active.manifest["previous"], data)
    _truncate(previous.file("employees"))
    run = _cli(data, "snapshots", "activate", previous.id)
    assert run.returncode == EXIT_DAMAGED and "endommagé" in run.stderr and "Traceback" not in run.stderr
    assert snapshots.active(data).id == active.id


def test_a_database_built_from_a_truncated_parquet_leaves_nothing_behind(history: Path, tmp_path: Path) -> None:
    from observatory import warehouse

    data = tmp_path / "data"
    shutil.copytree(history, data, symlinks=True)
    active = snapshots.active(data)
    _truncate(active.file("employees"))
    with pytest.raises(Exception):  # noqa: B017 - DuckDB's own error for a broken Parquet file
        warehouse.build_database(active.path)
    assert not [p.name for p in active.path.iterdir() if p.name.endswith((".tmp", ".wal"))]


def test_a_truncated_database_is_passed_over_until_rebuilt(history: Path, tmp_path: Path, monkeypatch) -> None:
    """The query database is derived, but the read path never writes: one that does not open
    makes the app serve the snapshot before it; `snapshots rebuild` builds it from the
    snapshot's intact Parquet files, and the snapshot is served again."""
    from observatory import runtime

    data = tmp_path / "data"
    shutil.copytree(history, data, symlinks=True)
    active = snapshots.active(data)
    _truncate(active.path / DATABASE_FILE)
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(data))
    monkeypatch.setattr(runtime, "BUILDERS", runtime.Builders())
    served = runtime.served()
    assert served.snapshot.id != active.id and served.damaged[0].snapshot_id == active.id
    assert "base de requêtes illisible" in served.damaged[0].reason
    assert _cli(data, "snapshots", "rebuild").returncode == 0
    served = runtime.served()
    assert served.snapshot.id == active.id and not served.damaged
    assert served.builder.build("employees", (), "effectif").frame["status"][0] == "ok"
