"""The warehouse cannot read outside its snapshot, write, or change its settings; it times out."""

from __future__ import annotations

import shutil
import threading
import time
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from observatory import rollups, snapshots
from observatory import warehouse as wh
from observatory.warehouse import Limits, QueryError, QueryTimeout, Warehouse

CROSS_JOIN = "SELECT count(*) FROM range(1000000000) a, range(1000000000) b"  # 10^18 rows: hours


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
    "SET max_execution_time = 0",
    "SET SESSION max_execution_time = 0",
    "RESET max_execution_time",
])
def test_settings_are_locked(warehouse: Warehouse, sql: str) -> None:
    with pytest.raises(QueryError):
        warehouse.run(sql)


def test_join_ordering_is_off_and_the_only_join_keeps_its_written_order(warehouse: Warehouse) -> None:
    """The warehouse skips join ordering (planning time): the named queries' only join puts the
    SMIC table on the build side as written, whatever the optimizer."""
    assert warehouse.run("SELECT current_setting('disabled_optimizers') AS s")["s"][0] == "join_order"
    joins = [path.stem for path in wh.QUERIES_DIR.glob("*.sql") if " JOIN " in wh.load_query(path.stem)]
    assert joins == ["employees_per_employer"]
    assert "LEFT JOIN smic" in wh.load_query("employees_per_employer")


def test_a_query_runs_on_one_thread(warehouse: Warehouse) -> None:
    """Pages run their queries side by side, one thread each (warehouse.Limits says why)."""
    assert warehouse.run("SELECT current_setting('threads') AS n")["n"][0] == 1


def _own_warehouse(tmp_path: Path, snapshot: snapshots.Snapshot, limits: Limits | None = None) -> Warehouse:
    """A warehouse of its own over a copy of the snapshot (DuckDB keeps one configuration per file)."""
    shutil.copytree(snapshot.path, tmp_path / "snapshots" / snapshot.id)
    return Warehouse(snapshots.load(snapshot.id, tmp_path), limits or Limits())


def test_the_time_limit_is_duckdb_s_own_for_every_query(warehouse: Warehouse) -> None:
    assert warehouse.run("SELECT current_setting('max_execution_time') AS ms")["ms"][0] == 20_000


def test_slow_queries_are_interrupted_at_the_limit_and_reported(tmp_path, snapshot) -> None:
    """Two slow queries side by side, each on its own cursor, both stopped after about their
    limit with the French message; the warehouse answers afterwards."""
    fresh = _own_warehouse(tmp_path, snapshot, Limits(timeout_s=1.0))
    outcomes: list[tuple[str, float]] = []

    def slow() -> None:
        started = time.monotonic()
        try:
            fresh.run(CROSS_JOIN)
        except QueryTimeout as error:
            outcomes.append((str(error), time.monotonic() - started))

    try:
        assert fresh.run("SELECT current_setting('max_execution_time') AS ms")["ms"][0] == 1000
        threads = [threading.Thread(target=slow, daemon=True) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert [message for message, _ in outcomes] == ["requête interrompue après 1 s"] * 2
        assert all(1.0 <= elapsed < 15 for _, elapsed in outcomes), outcomes
        assert fresh.run("SELECT count(*) AS n FROM employees")["n"][0] > 0
    finally:
        fresh.close()


def test_identifiers_only_from_the_allow_list() -> None:
    allowed = frozenset({"year", "branch"})
    with pytest.raises(QueryError):
        wh.render("employees_counts", {"dims": ["year; DROP TABLE employees"]}, allowed)
    with pytest.raises(QueryError):
        wh.load_query("../secret")
    fragments = {"per_employer": "employees_per_employer", **rollups.COUNT_INPUTS["employees_counts"]}
    assert "GROUP BY year, branch" in wh.render("employees_counts", {"dims": ["year", "branch"]}, allowed, fragments)


def _same_cells(frames: list[pd.DataFrame]) -> None:
    assert len(frames[0]) > 0
    # Sums of doubles (FTE, hours, costs, pay behind the means) are equal to rounding; the rest
    # exactly (cell keys are on a 2^-32 grid, the largest values are values).
    sums = [c for c in frames[0].columns if c in ("fte", "hours", "cost", "smic", "n_pay", "women_pay", "men_pay")]
    exact = [c for c in frames[0].columns if c not in sums]
    pd.testing.assert_frame_equal(frames[0][exact], frames[1][exact], check_dtype=False, check_exact=True)
    assert np.allclose(frames[0][sums].to_numpy(float), frames[1][sums].to_numpy(float), rtol=1e-12, atol=1e-7,
                       equal_nan=True)


# Requests over the columns rollups keep, with filters of one value (rows read as they are when
# the rollup keeps no other column) and of several (rows summed per employer).
ROLLUP_CASES: list[tuple[list[str], dict]] = [
    (["year"], {}),
    (["year", "branch"], {"branches": ("aide_domicile", "eclat", "oph")}),
    (["region", "employer_size"], {}),
    (["year"], {"sex": "F"}),
    (["age_band"], {}),
    (["year", "age_band"], {"families": ("aide_domicile",)}),
    (["family"], {"regions": ("11",), "age_bands": ("25_34", "55_plus")}),
    (["occupation", "sex"], {"regions": ("11", "84"), "age_bands": ("55_plus",)}),
    (["family", "employer_size"], {"branches": ("eclat",), "sex": "M"}),
    (["total"], {"occupations": ("V4X84",), "sex": "F", "employer_sizes": ("1-9", "10-49")}),
    (["total"], {"families": ("animation", "insertion"), "occupations": ("V4X80", "T2A60")}),  # one kept
    (["year", "scheme"], {"sex": "F"}),
    (["age_band", "scheme"], {"branches": ("eclat",), "families": ("animation",)}),
    (["certification"], {"employer_sizes": ("250+",)}),
    (["certification"], {"sex": "F"}),
    (["age_band"], {"sex": "F", "regions": ("84",)}),
    (["occupation"], {"branches": ("aide_domicile",)}),
    (["year", "occupation"], {"regions": ("11",), "occupations": ("V4X80",)}),
    (["month"], {"families": ("animation",)}),
    (["year"], {"families": ("animation",), "regions": ("84",)}),  # families' rollups read as they are
    (["branch"], {"families": ("animation", "insertion")}),
]


def _request(query: str, dims: list[str], selection: dict) -> tuple[dict[str, object], frozenset[str]] | None:
    """The parameters and allowed dimensions of a request, None when the dataset lacks a dimension."""
    from observatory import indicators
    from observatory.filters import Filters

    dataset = query.split("_")[0]
    if not set(dims) <= set(indicators.DATASET_DIMENSIONS[dataset]):
        return None
    years = (2016, 2025) if "year" in dims else (2024, 2024)
    parameters = Filters(**selection).sql_parameters(*years, indicators.DATASET_FILTERS[dataset])
    return parameters, frozenset(indicators.DATASET_DIMENSIONS[dataset])


def _run(warehouse: Warehouse, query: str, dims: list[str], parameters: dict, allowed: frozenset[str],
         source: rollups.Source) -> pd.DataFrame:
    parameters = {**_every_count(query, parameters), **parameters}
    names = allowed.union(*source.identifiers.values())
    return warehouse.run_named(query, parameters, {"dims": dims, **source.identifiers}, names, source.fragments)


def _every_count(query: str, parameters: dict) -> dict:
    """The parameters with every count of the query asked, unless some are (compared in full)."""
    from observatory import indicators

    return {**indicators.query_columns(query, indicators.TRIMMED_QUERIES.get(query, ())), **parameters}


@pytest.mark.parametrize(("dims", "selection"), [
    (["age5", "sex"], {}), (["age5", "sex"], {"branches": ("aide_domicile",), "sex": "F"}),
    (["age5"], {"regions": ("84",), "employer_sizes": ("1-9", "10-49")}), (["contract"], {}),
    (["contract"], {"branches": ("eclat",), "regions": ("11",)}), (["year", "contract"], {}),
    (["contract"], {"sex": "F"}), (["contract", "sex"], {"employer_sizes": ("250+",)}),
])
def test_the_headcount_rollups_give_the_microdata_headcounts(warehouse: Warehouse, dims: list[str],
                                                            selection: dict) -> None:
    """The pyramid's and the contracts' rollups keep n, its key and FTE only: chosen for a
    headcount, summed or read as they are, they give the microdata's cells; never for another
    count nor for pay."""
    parameters, allowed = _request("employees_counts", dims, selection)
    headcount = {**parameters, "counts": ["n"]}
    chosen = rollups.choose("employees_counts", tuple(dims), headcount, warehouse.table_rows, True)
    assert chosen.identifiers["rollup"][0] in ("employees_by_sex_age5", "employees_by_sex_contract")
    run = partial(_run, warehouse, "employees_counts", dims, headcount, allowed)
    expected = run(rollups.choose("employees_counts", tuple(dims), headcount, {}, persons_exact=True))
    _same_cells([expected, run(chosen)])
    _same_cells([expected, run(rollups.reading("employees_counts", chosen.identifiers["rollup"][0], False))])
    every = _every_count("employees_counts", parameters)
    for query, asked in (("employees_counts", every), ("employees_pay", parameters)):
        other = rollups.choose(query, tuple(dims), asked, warehouse.table_rows, True)
        assert other.identifiers.get("rollup", [None])[0] not in ("employees_by_sex_age5", "employees_by_sex_contract")


@pytest.mark.parametrize("query", sorted(rollups.ROLLUPS))
@pytest.mark.parametrize(("dims", "selection"), ROLLUP_CASES)
def test_every_rollup_that_covers_a_request_gives_exactly_the_microdata_cells(
        warehouse: Warehouse, query: str, dims: list[str], selection: dict) -> None:
    """Each rollup keeping the request's columns, summed per employer and (when the chooser
    allows it) read as it is, gives the microdata's cells; the chooser's pick is one of them."""
    request = _request(query, dims, selection)
    if request is None:
        pytest.skip("dimension absent from this dataset")
    parameters, allowed = request
    run = partial(_run, warehouse, query, dims, parameters, allowed)
    expected = run(rollups.choose(query, tuple(dims), parameters, {}, persons_exact=True))  # no rollup: microdata
    needed = rollups.needed_columns(tuple(dims), parameters)
    covering = [r for r in rollups.ROLLUPS[query]
                if r.covers(tuple(dims), needed) and rollups.usable(query, r, True, _every_count(query, parameters))]
    assert warehouse.persons_rollup_exact  # the demo gives a person the same attributes all year
    for rollup in covering:
        grouped = rollups.reading(query, rollup.table, as_is=False)
        _same_cells([expected, run(grouped)])
        alone = rollups.choose(query, tuple(dims), parameters, {rollup.table: 1}, persons_exact=True)
        assert alone.identifiers == {"rollup": [rollup.table]}
        if alone != grouped:
            _same_cells([expected, run(alone)])
    chosen = rollups.choose(query, tuple(dims), parameters, warehouse.table_rows, warehouse.persons_rollup_exact)
    assert chosen.identifiers.get("rollup", [None])[0] in [r.table for r in covering] + ([None] if not covering else [])


@pytest.mark.parametrize(("query", "dims", "selection", "table", "read_as_is"), [
    ("employees_counts", ("year",), {}, "employees_by_employer", True),
    ("employees_counts", ("year",), {"sex": "F"}, "employees_by_sex", True),
    ("employees_counts", ("year", "sex"), {}, "employees_by_sex", True),
    ("employees_pay", ("branch",), {"families": ("animation",)}, "employees_by_family", True),
    ("employees_counts", ("year",), {"families": ("animation", "insertion")}, "employees_by_family", False),
    ("employees_counts", ("year",), {"families": ("animation",), "age_bands": ("55_plus",)},
     "employees_by_group", False),
    ("employees_counts", ("occupation",), {"occupations": ("V4X84",)}, "employees_by_occupation", True),
    ("employees_pay", ("occupation",), {}, "employees_by_occupation", True),
    ("employees_counts", ("age_band",), {"sex": "F"}, "employees_by_sex_age_band", True),
    ("employees_counts", ("year",), {"sex": "F", "families": ("animation",)}, "employees_by_group", False),
    ("training_counts", ("age_band",), {"sex": "F"}, "training_by_sex_age_band", True),
    ("employees_counts", ("age5", "sex"), {}, None, False),
    ("training_counts", ("year", "scheme"), {"sex": "F"}, "training_by_sex_scheme", True),
    ("training_counts", ("certification",), {}, "training_by_sex_certification", False),
    ("training_counts", ("certification",), {"sex": "F"}, "training_by_sex_certification", True),
    ("training_counts", ("certification",), {"families": ("animation",)}, None, False),
    ("vacancies_counts", ("year",), {}, "vacancies_by_employer", True),
    ("vacancies_counts", ("occupation",), {"families": ("animation",)}, "vacancies_by_occupation", True),
    ("vacancies_counts", ("year",), {"families": ("animation",)}, "vacancies_by_family", True),
    ("vacancies_counts", ("year",), {"families": ("animation", "insertion")}, "vacancies_by_family", False),
    ("vacancies_counts", ("occupation",), {}, "vacancies_by_occupation", True),
    ("vacancies_counts", ("month",), {}, None, False),
])
def test_the_smallest_covering_rollup_is_chosen(warehouse: Warehouse, query: str, dims: tuple[str, ...],
                                               selection: dict, table: str | None, read_as_is: bool) -> None:
    request = _request(query, list(dims), selection)
    assert request is not None
    chosen = rollups.choose(query, dims, request[0], warehouse.table_rows, warehouse.persons_rollup_exact)
    assert chosen.identifiers.get("rollup", [None])[0] == table
    if table is not None:
        assert chosen == rollups.reading(query, table, read_as_is)


def test_rollups_of_trainees_are_not_used_when_a_person_changes_attributes(tmp_path, snapshot) -> None:
    """A person with two age bands in a year at one employer (a birthday between two actions)
    is one trainee: the rollup of groups would count them twice, so the builder reads the
    microdata; the employer's rollup, counted from the microdata, stays exact."""
    import shutil

    import pyarrow.parquet as pq

    from observatory import snapshots
    from observatory.filters import Filters

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
    wh.build_database(copy)
    changed = Warehouse(snapshots.Snapshot(copy.name, copy, snapshot.manifest))
    try:
        assert not changed.persons_rollup_exact
        # Both sexes: a person filter that keeps everyone, so the employer's rollup cannot serve.
        parameters = {**Filters().sql_parameters(year, year, frozenset()), "sexes": ["F", "M"]}
        run = partial(_run, changed, "training_counts", ["total"], parameters, frozenset({"total"}))
        microdata = run(rollups.choose("training_counts", ("total",), parameters, {}, persons_exact=False))
        grouped = run(rollups.reading("training_counts", "training_by_sex", as_is=False))
        assert int(grouped["n"].sum()) == int(microdata["n"].sum()) + 1  # the rollup counts them twice
        chosen = rollups.choose("training_counts", ("total",), parameters, changed.table_rows,
                                changed.persons_rollup_exact)
        assert chosen.fragments == {"per_employer": "training_per_employer", "per_person": "training_per_person"}
        unfiltered = Filters().sql_parameters(year, year, frozenset())
        assert rollups.choose("training_counts", ("total",), unfiltered, changed.table_rows,
                              changed.persons_rollup_exact).identifiers == {"rollup": ["training_by_employer"]}
    finally:
        changed.close()


def test_a_missing_or_unreadable_database_is_refused_not_rebuilt(tmp_path, snapshot) -> None:
    """The read path never writes: a snapshot without its query database (or of another code
    version, tests/test_runtime.py) asks for `snapshots rebuild`; an unreadable one is DuckDB's error."""
    import shutil

    import duckdb

    from observatory import snapshots

    copy = tmp_path / "snapshots" / snapshot.id
    shutil.copytree(snapshot.path, copy)
    (copy / wh.DATABASE_FILE).unlink()
    with pytest.raises(wh.DatabaseOutdated, match=f"snapshots rebuild {snapshot.id}"):
        Warehouse(snapshots.load(snapshot.id, tmp_path))
    assert not (copy / wh.DATABASE_FILE).exists()
    (copy / wh.DATABASE_FILE).write_bytes(b"not a database")
    with pytest.raises(duckdb.Error):
        Warehouse(snapshots.load(snapshot.id, tmp_path))
    assert (copy / wh.DATABASE_FILE).read_bytes() == b"not a database"


@pytest.mark.parametrize(("query", "code", "asked"), [
    ("employees_counts", "effectif", ["n"]), ("employees_counts", "etp", ["n"]),
    ("employees_counts", "part_femmes", None), ("employees_counts", "turnover", None),
    ("vacancies_counts", "postes_non_pourvus", None), ("employees_counts", "taux_acces", ["n"]),
    ("training_counts", "stagiaires", "untrimmed"),
])
def test_a_counts_query_aggregates_only_what_the_measure_reads(warehouse: Warehouse, query: str, code: str,
                                                                asked: list[str] | str | None) -> None:
    """The headcount alone for measures of the headcount, every count for the others; the query
    returns those columns only (the figures themselves are checked by test_table_truth)."""
    from observatory import indicators

    counts = indicators.TRIMMED_QUERIES.get(query, ())
    parameters = indicators.query_columns(query, indicators.MEASURES[code].columns(query))
    if asked == "untrimmed":
        assert parameters == {}
        return
    assert parameters == {"counts": asked or list(counts),
                          **({"quantiles": False} if query == "vacancies_counts" else {})}  # no delay read
    request = _request(query, ["branch"], {})
    source = rollups.choose(query, ("branch",), {**request[0], **parameters}, warehouse.table_rows, True)
    frame = warehouse.run_named(query, {**request[0], **parameters}, {"dims": ["branch"], **source.identifiers},
                                request[1].union(*source.identifiers.values()), source.fragments)
    expected = {"branch", *(f"{c}{suffix}" for c in parameters["counts"] for suffix in ("", "_employers", "_top",
                                                                                       "_key"))}
    expected |= {"fte"} if query == "employees_counts" else set()
    assert set(frame.columns) == expected


def test_loading_the_tables_brings_the_database_into_memory(tmp_path, snapshot) -> None:
    """What the app's start does before the first visitors: every table read once, so that
    most of the database file sits in DuckDB's buffer pool, and a second load reads no more."""
    fresh = _own_warehouse(tmp_path, snapshot)
    memory = "SELECT memory_usage_bytes AS bytes FROM duckdb_memory() WHERE tag = 'BASE_TABLE'"
    try:
        before = int(fresh.run(memory)["bytes"][0])
        assert fresh.load_tables() == len(fresh.table_rows) >= 30
        loaded = int(fresh.run(memory)["bytes"][0])
        size = (tmp_path / "snapshots" / snapshot.id / wh.DATABASE_FILE).stat().st_size
        assert loaded > before and loaded >= 0.5 * size, (before, loaded, size)
        fresh.load_tables()
        assert int(fresh.run(memory)["bytes"][0]) == loaded
    finally:
        fresh.close()
