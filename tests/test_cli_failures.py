"""Every CLI command driven into every failure: a damaged active snapshot, a full disk, an
unexpected error. Each ends with a French message on stderr and a documented exit code
(observatory.__main__.EXIT_CODES, README « Codes de sortie »), never a traceback."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from observatory import snapshots
from observatory.__main__ import EXIT_CODES, EXIT_NO_SPACE, EXIT_UNEXPECTED
from observatory.__main__ import main as cli
from tests.conftest import MIRROR

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def import_file(tmp_path_factory, frames) -> Path:
    path = tmp_path_factory.mktemp("import") / "salaries.csv"
    frames["employees"].drop(columns=["rkey"]).head(300).to_csv(path, sep=";", decimal=",", index=False)
    return path


def _commands(data: Path, import_file: Path) -> dict[str, list[str]]:
    previous = snapshots.load(sorted(p.name for p in snapshots.snapshots_dir(data).iterdir()
                                     if p.name.startswith("demo-"))[0], data).id
    commands = {
        "demo": ["demo", "--if-missing"],
        "demo neuve": ["demo", "--scale", "0.002", "--seed", "3"],
        "snapshots list": ["snapshots", "list"],
        "snapshots verify": ["snapshots", "verify"],
        "snapshots activate": ["snapshots", "activate", previous],
        "snapshots rollback": ["snapshots", "rollback"],
        "sources list": ["sources", "list"],
        "ingest": ["ingest", "employees", str(import_file)],
        "table": ["table", "employees", "--by", "branch", "--measure", "effectif", "--year", "2024"],
    }
    if (MIRROR / "insee-cog-regions.csv").is_file():
        commands["sources pull"] = ["sources", "pull", "--only", "cog", "--mirror", str(MIRROR)]
    return commands


COMMANDS = ["demo", "demo neuve", "snapshots list", "snapshots verify", "snapshots activate", "snapshots rollback",
            "sources list", "ingest", "table", "sources pull"]
PUBLISHING = ["demo neuve", "ingest", "sources pull"]


def _prepared(history: Path, tmp_path: Path, import_file: Path, command: str) -> tuple[Path, list[str]]:
    """A copy of the history to break, and the command's arguments over it."""
    data = tmp_path / "data"
    shutil.copytree(history, data, symlinks=True)
    commands = _commands(data, import_file)
    if command not in commands:
        pytest.skip("../shared/reference absent: no mirror of the official files")
    return data, commands[command]


def _subprocess(data: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OBSERVATORY_DATA_DIR": str(data), "OBSERVATORY_RKEY_SECRET": "cd" * 32}
    return subprocess.run([sys.executable, "-m", "observatory", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def _in_process(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(args)
    return code, err.getvalue()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_damaged_active_snapshot(history: Path, tmp_path: Path, import_file: Path, command: str) -> None:
    data, args = _prepared(history, tmp_path, import_file, command)
    manifest = snapshots.active(data).path / "manifest.json"
    manifest.chmod(0o644)
    manifest.write_text("{", encoding="utf-8")
    run = _subprocess(data, args)
    assert run.returncode in EXIT_CODES, (command, run.returncode, run.stderr)
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    if run.returncode != 0:
        assert run.stderr.splitlines()[-1].startswith("Erreur : "), run.stderr
    if command in ("table", "snapshots verify"):
        assert run.returncode == 4 and "endommagé" in run.stdout + run.stderr
    if command in ("demo", "ingest", "snapshots list"):
        assert run.returncode == 0 and "endommagé" in run.stdout + run.stderr, "the damage is told, the work done"


@pytest.mark.parametrize("command", PUBLISHING)
def test_a_full_disk(history: Path, tmp_path: Path, import_file: Path, command: str, monkeypatch) -> None:
    data, args = _prepared(history, tmp_path, import_file, command)
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(data))
    monkeypatch.setenv("OBSERVATORY_RKEY_SECRET", "cd" * 32)
    before = snapshots.active(data).id

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(snapshots, "write_dataset", full)
    monkeypatch.setattr(shutil, "copyfile", full)  # the official files are copied, not written
    code, err = _in_process(args)
    assert code == EXIT_NO_SPACE and err.splitlines()[-1].startswith("Erreur : plus de place sur le disque"), err
    assert snapshots.active(data).id == before
    assert not [p for p in snapshots.snapshots_dir(data).iterdir() if p.name.startswith(".staging")]


class Broken(dict):
    def values(self):
        raise RuntimeError("panne simulée")

    def __contains__(self, key):
        raise RuntimeError("panne simulée")


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unexpected_error(history: Path, tmp_path: Path, import_file: Path, command: str, monkeypatch) -> None:
    data, args = _prepared(history, tmp_path, import_file, command)
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(data))

    def broken(*_args, **_kwargs):
        raise RuntimeError("panne simulée")
    for name in ("serving", "active", "pointer", "snapshots_dir"):
        monkeypatch.setattr(snapshots, name, broken)
    monkeypatch.setattr("observatory.sources.CONNECTORS", Broken())  # what `sources list` reads
    code, err = _in_process(args)
    assert code == EXIT_UNEXPECTED, err
    assert err.splitlines()[-1] == "Erreur : erreur inattendue (RuntimeError) ; rien n'a été publié.", err
    assert "Traceback" not in err
