"""The one owner of DuckDB.

At publish time `build_database` loads a snapshot's Parquet files into `warehouse.duckdb` in
the snapshot folder (typed, with derived columns and the filter macros), with the rollups of
observatory/rollups.py and the sorted values of observatory/sorted_values.py. The app opens
that file read-only through `Warehouse`: external access off, allowed directories limited to
the snapshot, no extension autoload, capped threads and memory, configuration locked. Queries
are named `.sql` files with `$named` parameters, each run on its own cursor under a time limit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from observatory import filters, reference, rollups
from observatory.filters import CODE_FILTERS
from observatory.snapshots import Snapshot

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
DATABASE_FILE = "warehouse.duckdb"
# A database of another layout (database_layout) is refused on open (DatabaseOutdated) and rebuilt
# by `python -m observatory snapshots rebuild ID` (`make run` does it). The layout follows the build's
# queries and declarations by itself; bump the version when the build's Python code changes.
DATABASE_VERSION = 28
# Columns of the sorted values (build_sorted_values) per dataset, stored as enums; the rollups'
# dimensions (rollups.ENUM_COLUMNS) are too: one enum type per dataset column serves both.
SORTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "employees": ("branch", "region", "occupation", "family", "sex", "age_band", "age5", "employer_size", "contract"),
    "vacancies": ("branch", "region", "occupation", "family", "employer_size", "contract", "month"),
}
# Official open data loaded into the database when the snapshot holds it (sources pull).
OFFICIAL_TABLES: tuple[str, ...] = ("bmo",)
# A query's name is its path under queries/ without ".sql": "employees_counts" (run per view), or
# "build/build_employees" (run only when a database is built: queries/README.md). Nothing else
# (no other folder, no "..") names a file.
_NAME = re.compile(r"^(build/)?[a-z_]+$")
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
    # wake-ups: filter changes are faster, a lone heavy request from the microdata and the start-up
    # load slower (bench/README.md, section « Ce qui a changé », « une requête, un fil DuckDB »).
    threads: int = 1
    memory_limit: str = "3GB"
    # DuckDB's own `max_execution_time`, set at connect for every cursor and locked with the rest.
    timeout_s: float = 20.0


@cache
def load_query(name: str) -> str:
    """The text of `queries/<name>.sql` (`name` may start with "build/"), which must open with a
    comment saying what it does."""
    if not _NAME.match(name):
        raise QueryError(f"nom de requête invalide : {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"requête inconnue : {name}")
    text = path.read_text(encoding="utf-8")
    if not text.startswith("--"):
        raise QueryError(f"la requête {name} doit commencer par un commentaire")
    return text


# The arguments of every filtered_* macro call, in the macros' order: the period, then one list
# per filter (observatory/filters.py).
FILTER_ARGUMENTS: tuple[str, ...] = ("$year_from", "$year_to", *(f"${f.sql_parameter}" for f in CODE_FILTERS))


def render(name: str, identifiers: dict[str, list[str]], allowed: frozenset[str],
           fragments: dict[str, str] | None = None, texts: dict[str, str] | None = None) -> str:
    """Fill `{placeholders}` with identifier lists taken only from `allowed` (never values), with
    the text of another named query (`fragments`: placeholder -> query name), or with text the
    caller rendered from named queries (`texts`). `{filter_arguments}` is always filled: the
    macros' parameters, from the filters' declaration."""
    for values in identifiers.values():
        for identifier in values:
            if identifier not in allowed:
                raise QueryError(f"identifiant non autorisé : {identifier!r}")
    identifiers = {"filter_arguments": list(FILTER_ARGUMENTS), **identifiers}
    text = load_query(name)
    for key, fragment in (fragments or {}).items():
        text = text.replace("{" + key + "}", _body(load_query(fragment)))
    for key, rendered in (texts or {}).items():
        text = text.replace("{" + key + "}", rendered)

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in identifiers:
            raise QueryError(f"paramètre de gabarit manquant : {key}")
        return ", ".join(identifiers[key])
    return _PLACEHOLDER.sub(substitute, text)


def _body(text: str) -> str:
    """A named query's text without its comment lines (to splice into another)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("--")).strip()


def filter_macro(table: str, columns: frozenset[str], condition: str) -> str:
    """The filtered_{table} macro of a dataset or a rollup (`condition`: build/filter_condition or
    build/rollup_filter_condition), one condition per declared filter."""
    conditions = "\n".join(
        _body(render(condition, {"parameter": [f.sql_parameter], "column": [f.column]},
                     frozenset([f.sql_parameter, f.column])))
        for f in CODE_FILTERS if f.column in columns)
    parameters = [f.sql_parameter for f in CODE_FILTERS]
    return render("build/build_filters", {"table": [table], "filter_parameters": parameters},
                  frozenset([table, *parameters]), texts={"conditions": conditions})


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
        for statement in _statements(load_query("build/build_reference")):
            used = {k: v for k, v in parameters.items() if f"${k}" in statement}
            con.execute(statement, used)
        for dataset in ("employees", "vacancies", "training"):
            for statement in _statements(load_query(f"build/build_{dataset}")):
                con.execute(statement, {"file": str(folder / f"{dataset}.parquet")})
        for dataset in OFFICIAL_TABLES:
            if (folder / f"{dataset}.parquet").is_file():
                for statement in _statements(load_query(f"build/build_{dataset}")):
                    con.execute(statement, {"file": str(folder / f"{dataset}.parquet")})
        _build_enums(con)
        for statement in _statements(load_query("build/build_sorted_values")):
            con.execute(statement)
        for dataset in ("employees", "vacancies", "training"):
            columns = frozenset(f.column for f in CODE_FILTERS if dataset in f.datasets)
            con.execute(filter_macro(dataset, columns, "build/filter_condition"))
        _build_rollups(con)
        exact = bool(con.execute(load_query("build/training_persons_check")).fetchone()[0])
        con.execute(load_query("build/build_meta"), {"layout": database_layout(), "exact": exact})
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _build_rollups(con: duckdb.DuckDBPyConnection) -> None:
    """Every rollup of observatory/rollups.py, parents first: from the microdata's per-employer
    rows, or summed from a finer rollup; created empty, retyped (dimensions as enums, counts as
    INTEGER: build_rollup_retype says why), then filled; filter columns a rollup does not keep
    hold '*'."""
    open_filters = filters.open_parameters()

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
        execute(render("build/build_rollup_table", identifiers, allowed, fragments))
        every_column = frozenset(f.column for f in CODE_FILTERS)  # those it does not keep hold '*'
        execute(filter_macro(rollup.table, every_column, "build/rollup_filter_condition"))
        counts = [f'"{row[0]}"' for row in
                  con.execute(load_query("build/rollup_count_columns"), {"table": rollup.table}).fetchall()]
        changes = [*((column, _enum_type(rollup.dataset, column)) for column in rollup.enum_columns()),
                   *((column, "INTEGER") for column in counts)]
        for column, kind in changes:
            execute(render("build/build_rollup_retype", {"table": [rollup.table], "column": [column], "type": [kind]},
                           frozenset([rollup.table, column, kind])))
        execute(render("build/build_rollup_rows", identifiers, allowed, fragments))
        for column in rollups.PERSON_COLUMNS:
            if column not in rollup.columns:
                execute(render("build/build_rollup_column", {"table": [rollup.table], "column": [column]},
                               frozenset([rollup.table, column])))


def _enum_type(dataset: str, column: str) -> str:
    return f"dim_{dataset}_{column}"


def _build_enums(con: duckdb.DuckDBPyConnection) -> None:
    """The enum type of each dataset column that the sorted values or the rollups store as codes."""
    for dataset in ("employees", "training", "vacancies"):
        columns = dict.fromkeys([*SORTED_COLUMNS.get(dataset, ()), *rollups.ENUM_COLUMNS[dataset]])
        for column in columns:
            kind = _enum_type(dataset, column)
            con.execute(render("build/build_enum", {"type": [kind], "column": [column], "table": [dataset]},
                               frozenset([kind, column, dataset])))


@cache
def database_layout() -> str:
    """The layout of the database this code builds: its version and a digest of what shapes the
    database, the build's queries (comments aside), the fragments they splice and the
    declarations they are rendered from (filters, rollups, sorted columns, official tables). A
    change to any of them outdates the databases built before, with no version to bump."""
    spliced = {fragment for fragments in rollups.MICRODATA.values() for fragment in fragments.values()}
    names = sorted({*(f"build/{p.stem}" for p in (QUERIES_DIR / "build").glob("*.sql")),
                    *(p.stem for p in QUERIES_DIR.glob("rollup_*.sql")), *spliced})
    declarations = [filters.FILTERS, rollups.BUILDS, SORTED_COLUMNS, OFFICIAL_TABLES]
    digest = hashlib.sha256(json.dumps([[(name, _body(load_query(name))) for name in names], declarations],
                                       default=_canonical, sort_keys=True).encode())
    return f"{DATABASE_VERSION}-{digest.hexdigest()[:16]}"


def _canonical(value: object) -> object:
    """A declaration as JSON the same in every process (a set's order follows the string hash seed)."""
    if isinstance(value, set | frozenset):
        return sorted(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"pas de forme canonique pour {type(value).__name__}")


def built_layout(path: Path) -> str | None:
    """The layout a snapshot database was built with (None: absent or unreadable)."""
    if not path.is_file():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True, config={"autoload_known_extensions": False})
    except duckdb.Error:
        return None
    try:
        meta = con.execute(load_query("warehouse_meta")).fetchdf()
    except duckdb.Error:
        return None
    finally:
        con.close()
    # Databases of version 28 and before hold a version number, no layout.
    return str(meta["layout"].iloc[0] if "layout" in meta else meta["version"].iloc[0])


class Warehouse:
    """A hardened read-only DuckDB over one snapshot, shared by all sessions of a process."""

    def __init__(self, snapshot: Snapshot, limits: Limits = Limits()) -> None:
        self.snapshot = snapshot
        self.limits = limits
        database = snapshot.path / DATABASE_FILE
        layout = built_layout(database)
        if not database.is_file() or layout not in (None, database_layout()):
            raise DatabaseOutdated(snapshot.id)  # unreadable (None): refused below by DuckDB
        self._con = duckdb.connect(str(database), read_only=True, config={
            "threads": limits.threads,
            "memory_limit": limits.memory_limit,
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
            "allow_community_extensions": False,
            # The named queries join nothing but the ten-row SMIC table (on its right, as written):
            # join ordering only costs their planning (bench/README.md, section « Ce qui a changé »,
            # « ordonnancement des jointures »).
            "disabled_optimizers": "join_order",
            # Set here, not by SET: a SET reaches only the connection, not its cursors.
            "max_execution_time": round(limits.timeout_s * 1000),
        })
        self._con.execute("SET allowed_directories = [$dir]", {"dir": str(snapshot.path)})
        self._con.execute("SET enable_external_access = false")
        self._con.execute("SET lock_configuration = true")
        # Whether the rollups of groups of trainees count each trainee once (rollups.usable).
        self.persons_rollup_exact = bool(self._con.execute(load_query("warehouse_meta")).fetchdf()[
            "persons_rollup_exact"].iloc[0])
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
                del _HOLDERS[self.snapshot.path]
        self._con.close()
        self.closed = True

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            return self._con.cursor()

    def run(self, sql: str, parameters: dict[str, object] | None = None) -> pd.DataFrame:
        """Run one statement on a fresh cursor; DuckDB interrupts it past the time limit."""
        cursor = self.cursor()
        try:
            return _text_of_enums(cursor.execute(sql, parameters or {}).df())
        except duckdb.InterruptException as error:  # nothing else interrupts a query
            raise QueryTimeout(f"requête interrompue après {self.limits.timeout_s:.0f} s") from error
        except duckdb.Error as error:
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
        memory (size and time: bench/README.md, section « Ce qui a changé », « La base lue en mémoire
        au démarrage »). Returns how many tables were read."""
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
_HOLDERS: dict[Path, int] = {}  # open_shared calls not yet released, per snapshot
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
            _HOLDERS[snapshot.path] = 0
        _HOLDERS[snapshot.path] += 1
        return existing


def release(warehouse: Warehouse) -> None:
    """Give back a warehouse taken with `open_shared`: closed (its memory freed) when no other
    holder keeps it."""
    with _SHARED_LOCK:
        path = warehouse.snapshot.path
        if _SHARED.get(path) is not warehouse:
            return
        _HOLDERS[path] -= 1
        if _HOLDERS[path] > 0:
            return
    warehouse.close()
