"""The one owner of DuckDB.

At publish time `build_database` loads a snapshot's Parquet files into `warehouse.duckdb` in
the snapshot folder (typed, with derived columns and the filter macros), with the rollups of
observatory/rollups.py and the sorted values of observatory/sorted_values.py. The app opens
that file read-only through `Warehouse`: external access off, allowed directories limited to
the snapshot, no extension autoload, capped threads and memory, configuration locked. Queries
are named `.sql` files with `$named` parameters, each run on its own cursor under a time limit.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from observatory import reference, rollups
from observatory.deadlines import DEADLINES
from observatory.snapshots import Snapshot

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
DATABASE_FILE = "warehouse.duckdb"
# Bump when build_*.sql change: a database of another layout is refused on open (DatabaseOutdated)
# and rebuilt by `python -m observatory snapshots rebuild ID` (`make run` does it).
DATABASE_VERSION = 27
# Columns of the sorted values (build_sorted_values) per dataset, stored as enums; the rollups'
# dimensions (rollups.ENUM_COLUMNS) are too: one enum type per dataset column serves both.
SORTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "employees": ("branch", "region", "occupation", "family", "sex", "age_band", "age5", "employer_size", "contract"),
    "vacancies": ("branch", "region", "occupation", "family", "employer_size", "contract", "month"),
}
# Official open data loaded into the database when the snapshot holds it (sources pull).
OFFICIAL_TABLES: tuple[str, ...] = ("bmo",)
_NAME = re.compile(r"^[a-z_]+$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class QueryError(RuntimeError):
    """A named query failed or was refused; the message is safe to show."""


class DatabaseOutdated(RuntimeError):
    """A snapshot's query database is missing or of another version of the code: the read path
    never writes, `snapshots rebuild` builds it. The message is French and safe to show."""

    def __init__(self, snapshot_id: str) -> None:
        super().__init__(f"la base de requêtes de ce snapshot date d'une autre version du code : lancez "
                         f"`python -m observatory snapshots rebuild {snapshot_id}` ou `make run`")
        self.snapshot_id = snapshot_id


class QueryTimeout(QueryError):
    """A query ran past its time limit and was interrupted."""


@dataclass(frozen=True)
class Limits:
    # One thread a query: a page runs its queries side by side (observatory.parallel), most of
    # them a few milliseconds of binding and planning, so a second thread per query only adds
    # wake-ups. Measured on 2 cores, seven pages, alternating with 2: filter changes 10-25 %
    # faster (median Salaires 81 -> 60 ms, Recrutement 90 -> 74); a lone heavy request from the
    # microdata (ten years by age band, every count) 954 -> 1 272 ms; the start-up load 1 -> 1.5 s.
    threads: int = 1
    memory_limit: str = "3GB"
    timeout_s: float = 20.0


@cache
def load_query(name: str) -> str:
    """The text of `queries/<name>.sql`, which must open with a comment saying what it does."""
    if not _NAME.match(name):
        raise QueryError(f"nom de requête invalide : {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"requête inconnue : {name}")
    text = path.read_text(encoding="utf-8")
    if not text.startswith("--"):
        raise QueryError(f"la requête {name} doit commencer par un commentaire")
    return text


def render(name: str, identifiers: dict[str, list[str]], allowed: frozenset[str],
           fragments: dict[str, str] | None = None) -> str:
    """Fill `{placeholders}` with identifier lists taken only from `allowed` (never values), or
    with the text of another named query (`fragments`: placeholder -> query name)."""
    for values in identifiers.values():
        for identifier in values:
            if identifier not in allowed:
                raise QueryError(f"identifiant non autorisé : {identifier!r}")
    text = load_query(name)
    for key, fragment in (fragments or {}).items():
        body = "\n".join(line for line in load_query(fragment).splitlines() if not line.startswith("--"))
        text = text.replace("{" + key + "}", body.strip())

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in identifiers:
            raise QueryError(f"paramètre de gabarit manquant : {key}")
        return ", ".join(identifiers[key])
    return _PLACEHOLDER.sub(substitute, text)


def _statements(text: str) -> list[str]:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [part.strip() for part in body.split(";") if part.strip()]


def build_database(folder: Path) -> Path:
    """Create `warehouse.duckdb` in a snapshot folder from its Parquet files (publish time, or
    when the code's query layout changed): built under a temporary name, then renamed."""
    final = folder / DATABASE_FILE
    target = folder / f".{DATABASE_FILE}.{os.getpid()}.tmp"
    if target.exists():
        target.unlink()
    try:
        _build_into(folder, target)
    except BaseException:
        for leftover in (target, target.with_name(target.name + ".wal")):
            leftover.unlink(missing_ok=True)  # nothing half-built left in the snapshot
        raise
    os.replace(target, final)
    final.chmod(0o444)
    return final


def _build_into(folder: Path, target: Path) -> None:
    occupations = reference.occupations()
    smic = reference.smic_annual()
    con = duckdb.connect(str(target), config={"threads": 2, "autoload_known_extensions": False})
    con.execute("SET enable_progress_bar = false")
    try:
        parameters = {
            "occupations": list(occupations["code"]), "families": list(occupations["family"]),
            "years": list(smic), "smic": list(smic.values()),
        }
        for statement in _statements(load_query("build_reference")):
            used = {k: v for k, v in parameters.items() if f"${k}" in statement}
            con.execute(statement, used)
        for dataset in ("employees", "vacancies", "training"):
            for statement in _statements(load_query(f"build_{dataset}")):
                con.execute(statement, {"file": str(folder / f"{dataset}.parquet")})
        for dataset in OFFICIAL_TABLES:
            if (folder / f"{dataset}.parquet").is_file():
                for statement in _statements(load_query(f"build_{dataset}")):
                    con.execute(statement, {"file": str(folder / f"{dataset}.parquet")})
        _build_enums(con)
        for statement in _statements(load_query("build_sorted_values")):
            con.execute(statement)
        for statement in _statements(load_query("build_filters")):
            con.execute(statement)
        _build_rollups(con)
        exact = bool(con.execute(load_query("training_persons_check")).fetchone()[0])
        con.execute("CREATE TABLE warehouse_meta AS SELECT $version AS version, $exact AS persons_rollup_exact",
                    {"version": DATABASE_VERSION, "exact": exact})
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _build_rollups(con: duckdb.DuckDBPyConnection) -> None:
    """Every rollup of observatory/rollups.py, parents first: from the microdata's per-employer
    rows, or summed from a finer rollup; created empty, retyped (dimensions as enums, counts as
    INTEGER: build_rollup_retype says why), then filled; filter columns a rollup does not keep
    hold '*'."""
    open_filters = {"year_from": 0, "year_to": 9999, "branches": [], "regions": [], "occupations": [],
                    "families": [], "sexes": [], "age_bands": [], "sizes": []}

    def execute(text: str) -> None:
        for statement in _statements(text):
            con.execute(statement, {k: v for k, v in open_filters.items() if f"${k}" in statement})

    for rollup, microdata in rollups.BUILDS:
        dims = [*rollups.EMPLOYER_DIMENSIONS, *rollup.columns]
        identifiers = {"dims": dims, "table": [rollup.table], "order": rollup.order()}
        if rollup.parent is None:
            fragments = microdata
        else:
            fragments = {"rows": "rollup_rows_group", "largest": rollups.BY_TABLE[rollup.parent].largest}
            identifiers["rollup"] = [rollup.parent]
        allowed = frozenset([*dims, rollup.table, "employer_id", *identifiers.get("rollup", [])])
        execute(render("build_rollup_table", identifiers, allowed, fragments))
        counts = [f'"{row[0]}"' for row in
                  con.execute(load_query("rollup_count_columns"), {"table": rollup.table}).fetchall()]
        changes = [*((column, _enum_type(rollup.dataset, column)) for column in rollup.enum_columns()),
                   *((column, "INTEGER") for column in counts)]
        for column, kind in changes:
            execute(render("build_rollup_retype", {"table": [rollup.table], "column": [column], "type": [kind]},
                           frozenset([rollup.table, column, kind])))
        execute(render("build_rollup_rows", identifiers, allowed, fragments))
        for column in rollups.PERSON_COLUMNS:
            if column not in rollup.columns:
                execute(render("build_rollup_column", {"table": [rollup.table], "column": [column]},
                               frozenset([rollup.table, column])))


def _enum_type(dataset: str, column: str) -> str:
    return f"dim_{dataset}_{column}"


def _build_enums(con: duckdb.DuckDBPyConnection) -> None:
    """The enum type of each dataset column that the sorted values or the rollups store as codes."""
    for dataset in ("employees", "training", "vacancies"):
        columns = dict.fromkeys([*SORTED_COLUMNS.get(dataset, ()), *rollups.ENUM_COLUMNS[dataset]])
        for column in columns:
            kind = _enum_type(dataset, column)
            con.execute(render("build_enum", {"type": [kind], "column": [column], "table": [dataset]},
                               frozenset([kind, column, dataset])))


def database_version(path: Path) -> int | None:
    """The layout version a snapshot database was built with (None: absent or unreadable)."""
    if not path.is_file():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True, config={"autoload_known_extensions": False})
    except duckdb.Error:
        return None
    try:
        return int(con.execute("SELECT max(version) FROM warehouse_meta").fetchone()[0])
    except duckdb.Error:
        return None
    finally:
        con.close()


class Warehouse:
    """A hardened read-only DuckDB over one snapshot, shared by all sessions of a process."""

    def __init__(self, snapshot: Snapshot, limits: Limits = Limits()) -> None:
        self.snapshot = snapshot
        self.limits = limits
        database = snapshot.path / DATABASE_FILE
        version = database_version(database)
        if not database.is_file() or version not in (None, DATABASE_VERSION):
            raise DatabaseOutdated(snapshot.id)  # unreadable (None): refused below by DuckDB
        self._con = duckdb.connect(str(database), read_only=True, config={
            "threads": limits.threads,
            "memory_limit": limits.memory_limit,
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
            "allow_community_extensions": False,
            # The named queries join nothing but the ten-row SMIC table (on its right, as written):
            # join ordering only costs their planning (0.4 ms a query, 8 % of a portrait's).
            "disabled_optimizers": "join_order",
        })
        self._con.execute("SET allowed_directories = [$dir]", {"dir": str(snapshot.path)})
        self._con.execute("SET enable_external_access = false")
        self._con.execute("SET lock_configuration = true")
        # Whether the rollups of groups of trainees count each trainee once (rollups.usable).
        self.persons_rollup_exact = bool(self._con.execute(
            "SELECT persons_rollup_exact FROM warehouse_meta").fetchone()[0])
        # Rows of each table, for the choice of the smallest rollup that serves a request.
        self.table_rows: dict[str, int] = dict(self._con.execute(
            "SELECT table_name, estimated_size FROM duckdb_tables()").fetchall())
        self._lock = threading.Lock()
        self.closed = False

    def close(self) -> None:
        """Close the connection (DuckDB then frees the database's memory) and forget it, so that a
        later `open_shared` opens the file again."""
        with _SHARED_LOCK:
            if _SHARED.get(self.snapshot.path) is self:
                del _SHARED[self.snapshot.path]
        self._con.close()
        self.closed = True

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            return self._con.cursor()

    def run(self, sql: str, parameters: dict[str, object] | None = None,
            timeout_s: float | None = None) -> pd.DataFrame:
        """Run one statement on a fresh cursor, interrupting it past the time limit."""
        cursor = self.cursor()
        limit = self.limits.timeout_s if timeout_s is None else timeout_s
        try:
            with DEADLINES.watch(limit, cursor.interrupt) as fired:
                try:
                    return _text_of_enums(cursor.execute(sql, parameters or {}).df())
                except duckdb.InterruptException as error:
                    raise QueryTimeout(f"requête interrompue après {limit:.0f} s") from error
                except duckdb.Error as error:
                    if fired.is_set():
                        raise QueryTimeout(f"requête interrompue après {limit:.0f} s") from error
                    raise QueryError(str(error).splitlines()[0]) from error
        finally:
            cursor.close()

    def run_named(self, name: str, parameters: dict[str, object], identifiers: dict[str, list[str]],
                  allowed: frozenset[str], fragments: dict[str, str] | None = None) -> pd.DataFrame:
        sql = render(name, identifiers, allowed, fragments)
        used = {key: value for key, value in parameters.items() if re.search(rf"\${key}\b", sql)}
        return self.run(sql, used)

    def load_tables(self) -> int:
        """Read every table once into DuckDB's buffer pool, smallest first (the rollups before
        the microdata), as a server does at start: the blocks a filter change reads are then in
        memory (at full scale 1.4 GB, in 1-3 s). Returns how many tables were read."""
        tables = sorted(self.table_rows, key=lambda table: (self.table_rows[table], table))
        for table in tables:
            self.run(render("load_table", {"table": [table]}, frozenset([table])))
        return len(tables)

    def arrow_named(self, name: str, parameters: dict[str, object] | None = None) -> pa.Table:
        """A named query (no placeholders) as an Arrow table: large loads build no pandas objects."""
        cursor = self.cursor()
        try:
            return cursor.sql(load_query(name), params=parameters or {}).to_arrow_table()
        except duckdb.Error as error:
            raise QueryError(str(error).splitlines()[0]) from error
        finally:
            cursor.close()


def _text_of_enums(frame: pd.DataFrame) -> pd.DataFrame:
    """Enum columns (the rollups' dimensions) arrive as pandas categories: as text, like the
    microdata's, for the tables."""
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    return frame


_SHARED: dict[Path, Warehouse] = {}
_SHARED_LOCK = threading.Lock()


def open_shared(snapshot: Snapshot, limits: Limits = Limits()) -> Warehouse:
    """The process-wide warehouse of a snapshot.

    DuckDB keeps one database instance per file and process, and its configuration is locked
    once hardened, so a second connection could not be hardened again: everyone shares this one
    and takes cursors from it.
    """
    with _SHARED_LOCK:
        existing = _SHARED.get(snapshot.path)
        if existing is None:
            existing = Warehouse(snapshot, limits)
            _SHARED[snapshot.path] = existing
        return existing
