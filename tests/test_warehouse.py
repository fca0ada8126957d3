"""The warehouse cannot read outside its snapshot, write, or change its settings; it times out."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
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


def _same_cells(frames: list[pd.DataFrame]) -> None:
    assert len(frames[0]) > 0
    # Sums of doubles (FTE, hours, costs, pay behind the means) are equal to rounding; the rest
    # exactly (cell keys are on a 2^-32 grid).
    sums = [c for c in frames[0].columns if c in ("fte", "hours", "cost", "smic") or c.startswith("mean")]
    exact = [c for c in frames[0].columns if c not in sums]
    pd.testing.assert_frame_equal(frames[0][exact], frames[1][exact], check_dtype=False, check_exact=True)
    assert np.allclose(frames[0][sums].to_numpy(float), frames[1][sums].to_numpy(float), rtol=1e-12, atol=1e-7,
                       equal_nan=True)


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
    microdata = {"per_employer": wh.ROLLUP_SOURCES[query], "per_person": "training_per_person"}
    _same_cells([warehouse.run_named(query, parameters, {"dims": dims}, allowed, fragments)
                 for fragments in (microdata, {"per_employer": wh.ROLLUP_SOURCES[query] + "_rollup"})])


@pytest.mark.parametrize("query", sorted(wh.GROUP_ROLLUP_SOURCES))
@pytest.mark.parametrize(("dims", "selection"), [
    (["year"], {"sex": "F"}),
    (["year", "age_band"], {"families": ("aide_domicile",)}),
    (["occupation", "sex"], {"regions": ("11", "84"), "age_bands": ("55_plus",)}),
    (["family", "employer_size"], {"branches": ("eclat",), "sex": "M"}),
    (["total"], {"occupations": ("V4X84",), "sex": "F", "employer_sizes": ("1-9", "10-49")}),
])
def test_group_rollup_gives_exactly_the_microdata_cells(warehouse: Warehouse, query: str, dims: list[str],
                                                        selection: dict) -> None:
    from observatory import indicators
    from observatory.filters import Filters

    allowed = frozenset(indicators.DATASET_DIMENSIONS["employees"])
    years = (2016, 2025) if "year" in dims else (2024, 2024)
    parameters = Filters(**selection).sql_parameters(*years, indicators.DATASET_FILTERS["employees"])
    source = wh.GROUP_ROLLUP_SOURCES[query]
    _same_cells([warehouse.run_named(query, parameters, {"dims": dims}, allowed, {"per_employer": fragment})
                 for fragment in (source, f"{source}_group")])


@pytest.mark.parametrize(("dims", "selection"), [
    (["year"], {"sex": "F"}),
    (["year", "scheme"], {}),
    (["age_band", "scheme"], {"branches": ("eclat",), "families": ("animation",)}),
    (["occupation", "sex"], {"regions": ("11", "84"), "age_bands": ("55_plus",)}),
])
def test_person_rollups_give_exactly_the_microdata_cells(warehouse: Warehouse, dims: list[str],
                                                         selection: dict) -> None:
    from observatory import indicators
    from observatory.filters import Filters
    from observatory.tables import _fragments

    assert warehouse.persons_rollup_exact  # the demo gives a person the same attributes all year
    allowed = frozenset(indicators.DATASET_DIMENSIONS["training"])
    years = (2016, 2025) if "year" in dims else (2024, 2024)
    parameters = Filters(**selection).sql_parameters(*years, indicators.DATASET_FILTERS["training"])
    chosen = _fragments("training_counts", tuple(dims), parameters, persons_exact=True)
    assert chosen["per_person"].endswith("_rollup")
    microdata = {"per_employer": "training_per_employer", "per_person": "training_per_person"}
    _same_cells([warehouse.run_named("training_counts", parameters, {"dims": dims}, allowed, fragments)
                 for fragments in (microdata, chosen)])


def test_person_rollups_are_not_used_when_a_person_changes_attributes(tmp_path, snapshot) -> None:
    """A person with two age bands in a year at one employer (a birthday between two actions)
    is one trainee: the per-person rollup would count them twice, so the builder reads the
    microdata."""
    import shutil

    import pyarrow.parquet as pq

    from observatory import snapshots
    from observatory.filters import Filters
    from observatory.tables import _fragments

    copy = tmp_path / "snapshots" / snapshot.id
    shutil.copytree(snapshot.path, copy, ignore=shutil.ignore_patterns("warehouse.duckdb"))
    training = pq.read_table(copy / "training.parquet").to_pandas()
    year = int(training["year"].max())
    latest = training[training["year"] == year]
    twice = latest.groupby(["employer_id", "person_id"]).filter(lambda g: len(g) > 1)
    rows = twice.index[(twice["employer_id"] == twice["employer_id"].iloc[0])
                       & (twice["person_id"] == twice["person_id"].iloc[0])]
    training.loc[rows[0], "age"] = 24  # under 25 on one action,
    training.loc[rows[1:], "age"] = 25  # 25 on the others
    training.to_parquet(copy / "training.parquet", index=False)
    changed = Warehouse(snapshots.Snapshot(copy.name, copy, snapshot.manifest))
    try:
        assert not changed.persons_rollup_exact
        # Both sexes: a person filter that keeps everyone, so the employer rollup cannot serve.
        parameters = {**Filters().sql_parameters(year, year, frozenset()), "sexes": ["F", "M"]}
        run = partial(changed.run_named, "training_counts", parameters, {"dims": ["total"]}, frozenset({"total"}))
        microdata = run({"per_employer": "training_per_employer", "per_person": "training_per_person"})
        rolled = run({"per_employer": "training_per_employer", "per_person": "training_per_person_rollup"})
        assert int(rolled["n"].sum()) == int(microdata["n"].sum()) + 1  # the rollup counts them twice
        chosen = _fragments("training_counts", ("total",), parameters, changed.persons_rollup_exact)
        assert chosen["per_person"] == "training_per_person"
    finally:
        changed.close()


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
