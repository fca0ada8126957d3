"""The process's tricks (observatory/runtime.py): importing the library changes nothing in the
process; the shared builder lives in a plain registry that a websocket client's `clear_cache`
cannot drop; a replaced snapshot is closed; the read path never writes (a database of another
version is refused with a French message, `snapshots rebuild` builds it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

from observatory import publishing, snapshots
from observatory.__main__ import EXIT_REFUSED
from observatory.formatting import as_text
from observatory.warehouse import DATABASE_FILE, DatabaseOutdated, Warehouse, built_layout, database_layout
from tests.app_support import APP
from tests.browser_support import ROOT

# Run in a fresh interpreter: the libraries observatory uses (argv[1]: their modules, imported
# first, for their own import-time effects are not observatory's), then every observatory module.
IMPORT_EVERYTHING = r"""
import atexit, gc, importlib, json, pkgutil, sys, threading, warnings
for library in json.loads(sys.argv[1]):
    try:
        importlib.import_module(library)
    except Exception:
        pass
import pandas as pd
OPTIONS = ("future.infer_string", "mode.copy_on_write", "display.max_columns", "compute.use_numexpr")
def state():
    return {"threads": sorted(t.name for t in threading.enumerate()), "atexit": atexit._ncallbacks(),
            "options": [str(pd.get_option(name)) for name in OPTIONS], "gc": [list(gc.get_threshold()),
            gc.isenabled(), gc.get_freeze_count()], "filters": len(warnings.filters)}
before = state()
import observatory
names = [info.name for info in pkgutil.walk_packages(observatory.__path__, "observatory.")]
for name in names:
    importlib.import_module(name)
libraries = sorted(name for name in sys.modules if name.split(".")[0] != "observatory")
print(json.dumps({"before": before, "after": state(), "modules": len(names), "libraries": libraries}))
"""


def _import_everything(libraries: list[str]) -> dict:
    import json

    run = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING, json.dumps(libraries)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def test_importing_every_module_changes_nothing_in_the_process() -> None:
    libraries = _import_everything([])["libraries"]
    found = _import_everything(libraries)
    assert found["modules"] > 40, "every module imported, the app's included"
    assert found["after"] == found["before"]


def test_the_entry_points_set_the_text_option() -> None:
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading the option is deprecated too
        assert pd.get_option("future.infer_string") is False, "conftest prepares the process as the app does"
    run = subprocess.run([sys.executable, "-c", "import pandas as pd, observatory.__main__ as m; "
                          "m.main(['sources', 'list']); print(pd.get_option('future.infer_string'))"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.stdout.splitlines()[-1] == "False", run.stderr


def _copy(history: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(history, data, symlinks=True)
    return data


def _outdate(database: Path) -> None:
    """A database as an older version of the code built it."""
    database.chmod(0o644)
    con = duckdb.connect(str(database))
    con.execute("UPDATE warehouse_meta SET layout = '28-0000000000000000'")
    con.close()
    database.chmod(0o444)


def _listing(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under `folder` with its modification time, size and mode."""
    found = {}
    for path in [folder, *folder.rglob("*")]:
        stat = path.lstat()
        found[str(path.relative_to(folder))] = (stat.st_mtime_ns, stat.st_size, stat.st_mode)
    return found


def test_a_database_of_another_version_is_refused_not_rebuilt(history: Path, tmp_path: Path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from observatory import runtime

    data = _copy(history, tmp_path)
    active = snapshots.active(data)
    previous = snapshots.load(sorted(snapshots.snapshot_ids(data))[0], data)
    assert previous.id != active.id
    _outdate(active.path / DATABASE_FILE)
    before = _listing(data)
    with pytest.raises(DatabaseOutdated, match="snapshots rebuild " + active.id):
        Warehouse(active)
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(data))
    served = runtime.served()
    assert served.snapshot.id == previous.id and served.damaged[0].snapshot_id == active.id
    assert "date d'une autre version du code" in served.damaged[0].reason
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not app.exception
    banner = " ".join(e.value for e in app.error)
    assert as_text(str(DatabaseOutdated(active.id))) in banner and as_text(previous.id) in banner
    table = _cli(data, "table", "employees", "--measure", "effectif")
    assert table.returncode == EXIT_REFUSED and "autre version du code" in table.stderr, table.stderr
    assert _listing(data) == before, "the read path wrote in the data folder"
    # The administrator's command builds it, atomically, with a progress display.
    rebuilt = _cli(data, "snapshots", "rebuild", active.id)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Construction de la base" in rebuilt.stderr and "reconstruite" in rebuilt.stdout
    assert built_layout(active.path / DATABASE_FILE) == database_layout()
    assert oct((active.path / DATABASE_FILE).stat().st_mode & 0o777) == "0o444"
    assert not [p.name for p in active.path.iterdir() if p.name.endswith((".tmp", ".wal"))]
    again = _cli(data, "snapshots", "rebuild", "--if-outdated")
    assert again.returncode == 0 and "rien à faire" in again.stdout, again.stderr
    assert _cli(data, "table", "employees", "--measure", "effectif").returncode == 0


def _cli(data: Path, *args: str, user: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OBSERVATORY_DATA_DIR": str(data), "OBSERVATORY_RKEY_SECRET": "cd" * 32,
           "PYTHONDONTWRITEBYTECODE": "1"}
    prefix = [] if user is None else ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]
    return subprocess.run([*prefix, sys.executable, "-m", "observatory", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


READ_COMMANDS = (("table", "employees", "--by", "branch", "--measure", "effectif"), ("snapshots", "list"),
                 ("snapshots", "verify"), ("sources", "list"), ("snapshots", "rebuild", "--if-outdated"))


def test_the_layout_follows_the_build_queries_and_the_declarations(tmp_path: Path, monkeypatch) -> None:
    """A database built by other build queries or another filter declaration is outdated with no
    version bumped by hand; comments and a set's order (the hash seed) do not count."""
    import dataclasses

    from observatory import filters, warehouse

    def layout() -> str:
        warehouse.load_query.cache_clear()
        warehouse.database_layout.cache_clear()
        return database_layout()

    today = layout()
    assert today.startswith(f"{warehouse.DATABASE_VERSION}-")
    queries = tmp_path / "queries"
    shutil.copytree(warehouse.QUERIES_DIR, queries)
    monkeypatch.setattr(warehouse, "QUERIES_DIR", queries)
    built = queries / "build" / "build_employees.sql"
    built.write_text(built.read_text(encoding="utf-8") + "-- a comment\n", encoding="utf-8")
    assert layout() == today
    built.write_text(built.read_text(encoding="utf-8").replace("SELECT", "SELECT DISTINCT", 1), encoding="utf-8")
    assert layout() != today
    monkeypatch.undo()
    assert layout() == today
    extra = dataclasses.replace(filters.FILTERS[-1], url_key="contrat", attribute="contracts", code_list="contract")
    monkeypatch.setattr(filters, "FILTERS", (*filters.FILTERS, extra))
    assert layout() != today
    monkeypatch.undo()
    assert layout() == today  # and the cache holds today's layout again
    other_seed = subprocess.run([sys.executable, "-c", "from observatory import warehouse; "
                                 "print(warehouse.database_layout())"], capture_output=True, text=True, check=True,
                                env={**os.environ, "PYTHONHASHSEED": "12345"}, cwd=ROOT)
    assert other_seed.stdout.strip() == today


def test_the_app_and_the_cli_read_a_read_only_data_folder(history: Path, monkeypatch) -> None:
    """The folder is made read-only (chmod -R a-w); tests run as root, for whom it changes
    nothing: the CLI runs as `nobody` there (setpriv), and what the app writes is compared."""
    from streamlit.testing.v1 import AppTest

    nobody = 65534 if os.geteuid() == 0 and shutil.which("setpriv") else None
    with tempfile.TemporaryDirectory(dir="/tmp") as temporary:
        Path(temporary).chmod(0o755)
        data = _copy(history, Path(temporary))
        for path in [data, *data.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode & ~0o222)
        before = _listing(data)
        for command in READ_COMMANDS:
            run = _cli(data, *command, user=nobody)
            assert run.returncode == 0 and "Traceback" not in run.stderr, (command, run.stderr)
        monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(data))
        for page in ("app_pages/vue_ensemble.py", "app_pages/salaires.py", "app_pages/methodologie.py"):
            app = AppTest.from_file(str(APP), default_timeout=120).run()
            if page != "app_pages/vue_ensemble.py":
                app.switch_page(page).run()
            assert not app.exception and not app.error, page
        assert _listing(data) == before
        for path in [data, *data.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o200)  # so that the folder can be removed


def test_a_replaced_snapshot_is_closed_once_no_run_uses_it(history: Path, tmp_path: Path, monkeypatch) -> None:
    import pyarrow.parquet as pq

    from observatory import runtime

    data = _copy(history, tmp_path)
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(data))
    registry = runtime.Builders()
    monkeypatch.setattr(runtime, "BUILDERS", registry)
    first = runtime.served().builder
    with registry.scope():  # a reader's run, still going when the next snapshot is published
        assert runtime.served().builder is first
        active = snapshots.active(data)
        tables = {name: pq.read_table(active.file(name)) for name in snapshots.DATASETS}
        publishing.publish_tables(tables, origin="ingest", root=data, carry_over=True)
        second = runtime.served().builder
        assert second is not first and second.snapshot_id == snapshots.active(data).id
        assert registry.kept() == [first, second] and not first.warehouse.closed, "in use: kept open"
        assert first.build("employees", (), "effectif").frame["status"][0] == "ok"
    assert registry.kept() == [second] and registry.current() is second
    assert first.warehouse.closed and not second.warehouse.closed
    with pytest.raises(duckdb.ConnectionException):
        first.warehouse.cursor()
    assert registry.opened == 2


def test_a_websocket_clear_cache_keeps_the_shared_builder(history: Path, tmp_path: Path) -> None:
    """Any client can send Streamlit's `clear_cache` (the menu being hidden changes nothing): it
    used to drop the process's builder and every cache of every reader."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    from tests.browser_support import serving

    data = _copy(history, tmp_path)
    log = tmp_path / "server.log"

    def run_once(socket) -> None:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        rerun.rerun_script.page_script_hash = ""
        socket.send(rerun.SerializeToString())
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            message = ForwardMsg()
            message.ParseFromString(socket.recv(timeout=120))
            if message.WhichOneof("type") == "script_finished":
                return
        pytest.fail("the run did not finish")

    with serving(data, log=log) as base:
        with connect(base.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                     max_size=None) as socket:
            run_once(socket)
            clear = BackMsg()
            clear.clear_cache = True
            for _ in range(10):
                socket.send(clear.SerializeToString())
            run_once(socket)
        time.sleep(0.5)
    opened = [line for line in log.read_text(errors="replace").splitlines() if "Base de requêtes ouverte" in line]
    assert len(opened) == 1, log.read_text(errors="replace")[-3000:]
