"""The warehouse cannot read outside its snapshot, write, or change its settings; it times out."""

from __future__ import annotations

import numpy as np
import pytest

from observatory import warehouse as wh
from observatory.warehouse import QueryError, QueryTimeout, Warehouse


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "COPY employees TO '/tmp/leak.csv'",
    "ATTACH '/tmp/other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
])
def test_external_access_is_refused(warehouse: Warehouse, sql: str) -> None:
    with pytest.raises(QueryError):
        warehouse.run(sql)


@pytest.mark.parametrize("sql", [
    "CREATE TABLE x AS SELECT 1",
    "DELETE FROM employees",
    "UPDATE employees SET age = 0",
    "DROP TABLE employees",
])
def test_writes_are_refused(warehouse: Warehouse, sql: str) -> None:
    with pytest.raises(QueryError):
        warehouse.run(sql)
    assert warehouse.run("SELECT count(*) AS n FROM employees")["n"][0] > 0


@pytest.mark.parametrize("sql", [
    "SET enable_external_access = true",
    "SET allowed_directories = ['/']",
    "SET threads = 64",
    "SET memory_limit = '100GB'",
    "SET lock_configuration = false",
])
def test_settings_are_locked(warehouse: Warehouse, sql: str) -> None:
    with pytest.raises(QueryError):
        warehouse.run(sql)


def test_slow_query_is_interrupted(warehouse: Warehouse) -> None:
    with pytest.raises(QueryTimeout):
        warehouse.run("SELECT count(*) FROM range(1000000000) a, range(1000000000) b", timeout_s=0.5)
    assert warehouse.run("SELECT 1 AS one")["one"][0] == 1


def test_identifiers_only_from_the_allow_list() -> None:
    allowed = frozenset({"year", "branch"})
    with pytest.raises(QueryError):
        wh.render("employees_counts", {"dims": ["year; DROP TABLE employees"]}, allowed)
    with pytest.raises(QueryError):
        wh.load_query("../secret")
    fragments = {"per_employer": "employees_per_employer"}
    assert "GROUP BY year, branch" in wh.render("employees_counts", {"dims": ["year", "branch"]}, allowed, fragments)


@pytest.mark.parametrize("query", sorted(wh.ROLLUP_SOURCES))
@pytest.mark.parametrize("dims", [["year"], ["year", "branch"], ["region", "employer_size"], ["total"]])
def test_rollup_gives_exactly_the_microdata_cells(warehouse: Warehouse, query: str, dims: list[str]) -> None:
    from observatory import indicators
    from observatory.filters import Filters

    dataset = query.split("_")[0]
    allowed = frozenset(indicators.DATASET_DIMENSIONS[dataset])
    years = (2016, 2025) if "year" in dims else (2024, 2024)
    parameters = Filters(branches=("aide_domicile", "eclat", "oph")).sql_parameters(
        *years, indicators.DATASET_FILTERS[dataset])
    frames = [warehouse.run_named(query, parameters, {"dims": dims}, allowed,
                                  {"per_employer": wh.ROLLUP_SOURCES[query] + suffix})
              for suffix in ("", "_rollup")]
    assert len(frames[0]) > 0
    sums = [c for c in frames[0].columns if c in ("fte", "hours", "cost")]
    exact = [c for c in frames[0].columns if c not in sums]
    assert frames[0][exact].equals(frames[1][exact])
    # Cell keys are exact (keys on a 2^-32 grid); hours and costs are equal to rounding.
    assert np.allclose(frames[0][sums].to_numpy(float), frames[1][sums].to_numpy(float), rtol=1e-12, atol=1e-7)


def test_every_named_query_opens_with_a_comment() -> None:
    for path in sorted(wh.QUERIES_DIR.glob("*.sql")):
        assert wh.load_query(path.stem).startswith("--"), path


def test_outdated_database_is_rebuilt_on_open(tmp_path, snapshot) -> None:
    """A snapshot published by older code gets its query database rebuilt, not an error."""
    import shutil

    from observatory import snapshots

    copy = tmp_path / "snapshots" / snapshot.id
    shutil.copytree(snapshot.path, copy)
    (copy / wh.DATABASE_FILE).unlink()
    (copy / wh.DATABASE_FILE).write_bytes(b"not a database")
    rebuilt = Warehouse(snapshots.load(snapshot.id, tmp_path))
    try:
        assert rebuilt.run("SELECT version FROM warehouse_meta")["version"][0] == wh.DATABASE_VERSION
        assert rebuilt.run("SELECT count(*) AS n FROM employees_by_employer")["n"][0] > 0
    finally:
        rebuilt.close()
