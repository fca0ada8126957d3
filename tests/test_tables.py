"""Table builder behaviour beyond the values: requests, labels, caching, warm-up, refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from observatory import secrecy
from observatory.filters import Filters
from observatory.indicators import MEASURES
from observatory.secrecy import DEFAULT
from observatory.tables import DEFAULT_VIEWS, TableBuilder, TableRequestError


def test_frame_has_codes_labels_value_and_status(builder: TableBuilder) -> None:
    table = builder.build("employees", ("branch", "sex"), "effectif", Filters(year=2024))
    assert list(table.frame.columns) == ["branch", "branch_label", "sex", "sex_label", "value", "status"]
    assert set(table.frame["status"]) <= {"ok", "secret"}
    assert table.frame.loc[table.frame["sex"] == "F", "sex_label"].iloc[0] == "Femmes"
    secret = table.frame[table.frame["status"] == "secret"]
    assert secret["value"].isna().all(), "a secret cell is empty, never 0"


@pytest.mark.parametrize(("dataset", "dims", "measure"), [
    ("employees", ("branch",), "inconnue"),
    ("vacancies", ("branch",), "effectif"),
    ("employees", ("scheme",), "effectif"),
    ("vacancies", ("sex",), "taux_vacance"),
    ("employees", ("branch", "branch"), "effectif"),
    ("employees", ("year", "branch", "region", "sex"), "effectif"),
    ("employees", ("branch; DROP TABLE employees",), "effectif"),
])
def test_bad_requests_are_refused_in_french(builder: TableBuilder, dataset, dims, measure) -> None:
    with pytest.raises(TableRequestError):
        builder.build(dataset, dims, measure, Filters())


def test_population_too_small_is_refused(builder: TableBuilder) -> None:
    tiny = Filters(year=2016, branches=("org_habitat_social",), regions=("06",), sex="M", age_bands=("moins_25",))
    with pytest.raises(secrecy.PopulationTooSmall):
        builder.build("employees", ("occupation",), "effectif", tiny)


def test_unhonoured_filters_are_noted(builder: TableBuilder) -> None:
    table = builder.build("vacancies", ("branch",), "postes_ouverts", Filters(year=2024, sex="F"))
    assert table.notes == ("Filtre non applicable à ce jeu de données : sexe.",)


def test_warm_up_fills_the_cache_with_the_same_results(warehouse) -> None:
    warm = TableBuilder(warehouse)
    assert warm.warm() == len(DEFAULT_VIEWS)
    cold = TableBuilder(warehouse)
    for dataset, dims, measure in DEFAULT_VIEWS[:6]:
        a = warm.build(dataset, dims, measure).frame
        b = cold.build(dataset, dims, measure).frame
        assert a.drop(columns="value").equals(b.drop(columns="value"))
        assert np.array_equal(a["value"].to_numpy(), b["value"].to_numpy(), equal_nan=True)


def test_a_query_asked_twice_at_once_runs_once(warehouse, monkeypatch) -> None:
    """The warm-up and a visitor (or two sessions) asking the same cells share one run."""
    import threading
    import time

    builder = TableBuilder(warehouse)
    runs: list[str] = []
    original = warehouse.run_named

    def slow_run(name, *args, **kwargs):
        runs.append(name)
        time.sleep(0.3)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(warehouse, "run_named", slow_run)
    results = []
    threads = [threading.Thread(target=lambda: results.append(builder.build("employees", ("branch",), "effectif")))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3
    assert runs.count("employees_counts") == 1
    first = results[0].frame
    for other in results[1:]:
        assert other.frame.equals(first)


@pytest.mark.parametrize("measure", ["effectif", "salaire_median", "ratio_smic", "postes_non_pourvus", "delai_median",
                                     "stagiaires", "heures"])
@pytest.mark.parametrize("filters", [Filters(), Filters(year=2021, sex="F"), Filters(families=("animation",))])
def test_a_years_total_taken_from_its_trend_equals_its_own_query(warehouse, measure: str, filters: Filters) -> None:
    """Once the ten-year trend is built, the year's total is read from it; the published table is
    the one its own query gives."""
    dataset = MEASURES[measure].dataset
    alone = TableBuilder(warehouse).build(dataset, (), measure, filters)
    after_trend = TableBuilder(warehouse)
    after_trend.build(dataset, ("year",), measure, filters)
    after_trend.warehouse = _Refusing(warehouse)  # the total must come from the trend
    derived = after_trend.build(dataset, (), measure, filters)
    pd.testing.assert_frame_equal(derived.frame, alone.frame, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize("measure", ["effectif", "part_femmes", "salaire_median", "postes_non_pourvus", "taux_acces"])
@pytest.mark.parametrize("filters", [Filters(year=2023), Filters(year=2019, regions=("84",), sex="F"),
                                     Filters(families=("animation",), age_bands=("55_plus",))])
def test_a_total_read_from_a_built_trend_is_the_total_tables(warehouse, measure: str, filters: Filters) -> None:
    """Findings read a year's total from the ten-year table a tile built: the value its own
    total table publishes (None where secret), and nothing more built than without the trend."""
    alone = TableBuilder(warehouse)
    try:
        expected = alone.total(measure, filters)
    except secrecy.PopulationTooSmall:
        expected = "too small"
    after = TableBuilder(warehouse)
    after.build(MEASURES[measure].dataset, ("year",), measure, filters)
    try:
        derived = after.total(measure, filters)
    except secrecy.PopulationTooSmall:
        derived = "too small"
    assert derived == expected
    if isinstance(derived, float):
        assert after.built(MEASURES[measure].dataset, (), measure, filters) is None, "read from the trend"


def test_a_years_total_waits_for_its_trend_being_built(warehouse, monkeypatch) -> None:
    """A tile's total asked while another piece of the page runs its trend waits for that run
    and reads its year from it: one query, the same table as the total's own query."""
    filters = Filters(year=2021, sex="F")
    alone = TableBuilder(warehouse).build("employees", (), "effectif", filters)
    derived, runs = _asked_during_a_trend(warehouse, monkeypatch, "effectif", ("employees", (), "effectif"), filters)
    assert [dims for dims, _counts in runs] == [("year",)]
    pd.testing.assert_frame_equal(derived.frame, alone.frame, check_exact=False, rtol=1e-9)


def _asked_during_a_trend(warehouse, monkeypatch, trend_measure: str, asked: tuple, filters: Filters):
    """The table `asked` (dataset, dims, measure) built while another thread's ten-year trend of
    `trend_measure` is held in its query; and each query run, as (dims, counts)."""
    import threading

    builder = TableBuilder(warehouse)
    started, release = threading.Event(), threading.Event()
    runs: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    original = warehouse.run_named

    def held_run(name, parameters, identifiers, *args, **kwargs):
        runs.append((tuple(identifiers["dims"]), tuple(parameters.get("counts", ()))))
        if identifiers["dims"] == ["year"]:
            started.set()
            assert release.wait(10)
        return original(name, parameters, identifiers, *args, **kwargs)

    monkeypatch.setattr(warehouse, "run_named", held_run)
    dataset = MEASURES[trend_measure].dataset
    trend = threading.Thread(target=builder.build, args=(dataset, ("year",), trend_measure, filters))
    trend.start()
    assert started.wait(10)
    threading.Timer(0.2, release.set).start()  # asked below while the trend still runs
    table = builder.build(*asked, filters)
    trend.join(10)
    return table, runs


@pytest.mark.parametrize(("dataset", "headcount", "share", "dims"), [
    ("employees", "effectif", "part_femmes", ("year",)),
    ("employees", "etp", "part_55_plus", ("branch",)),
    ("vacancies", "postes_ouverts", "postes_non_pourvus", ("year",)),
])
def test_a_headcount_reads_the_cells_of_every_count_once_built(warehouse, dataset: str, headcount: str,
                                                               share: str, dims: tuple[str, ...]) -> None:
    """A measure of the headcount alone, asked after one of every count of the same cells, reads
    those cells (no second query) and publishes the table its own trimmed query gives."""
    filters = Filters(year=2023, regions=("84",))
    alone = TableBuilder(warehouse).build(dataset, dims, headcount, filters)
    after = TableBuilder(warehouse)
    after.build(dataset, dims, share, filters)
    after.warehouse = _Refusing(warehouse)
    derived = after.build(dataset, dims, headcount, filters)
    pd.testing.assert_frame_equal(derived.frame, alone.frame, check_exact=False, rtol=1e-9)


def test_a_headcount_waits_for_every_count_being_computed(warehouse, monkeypatch) -> None:
    """Asked while a piece of the page computes every count of the same cells, the headcount
    waits for that query rather than run its own."""
    filters = Filters(year=2022, sex="F")
    derived, runs = _asked_during_a_trend(warehouse, monkeypatch, "part_femmes", ("employees", ("year",), "effectif"),
                                          filters)
    assert len(runs) == 1 and runs[0][1] != ("n",)
    alone = TableBuilder(warehouse).build("employees", ("year",), "effectif", filters)
    pd.testing.assert_frame_equal(derived.frame, alone.frame, check_exact=False, rtol=1e-9)


class _Refusing:
    """A warehouse that fails any query: what a builder reads through it must be cached."""

    def __init__(self, warehouse) -> None:
        self._warehouse = warehouse

    def run_named(self, *args, **kwargs):
        raise AssertionError("query run")

    def __getattr__(self, name: str):
        return getattr(self._warehouse, name)


def test_pay_quantiles_are_computed_while_the_pay_query_runs(warehouse, monkeypatch) -> None:
    """The quantiles of a pay request start beside its query (not after it): held in DuckDB, the
    query sees them computed; the table is the one a builder gives without holding."""
    import threading

    from observatory import sorted_values

    filters = Filters(year=2022, regions=("84",))
    computed = threading.Event()
    original_quantiles = sorted_values.SortedValues.quantiles

    def noted(self, *args, **kwargs):
        result = original_quantiles(self, *args, **kwargs)
        computed.set()
        return result

    original_run = warehouse.run_named

    def held_run(*args, **kwargs):
        assert computed.wait(10), "quantiles not started beside the query"
        return original_run(*args, **kwargs)

    alone = TableBuilder(warehouse).build("employees", ("branch",), "salaire_median", filters)
    monkeypatch.setattr(sorted_values.SortedValues, "quantiles", noted)
    monkeypatch.setattr(warehouse, "run_named", held_run)
    beside = TableBuilder(warehouse).build("employees", ("branch",), "salaire_median", filters)
    pd.testing.assert_frame_equal(beside.frame, alone.frame)


@pytest.mark.parametrize(("dataset", "without", "with_quantiles", "dims"), [
    ("vacancies", "postes_non_pourvus", "delai_median", ("year",)),
    ("vacancies", "part_difficile", "delai_median", ("occupation",)),
    ("employees", "salaire_moyen", "salaire_median", ("year",)),
    ("employees", "ecart_salarial_fh", "salaire_d9", ("branch",)),
])
def test_quantiles_are_walked_only_for_measures_that_read_them(warehouse, monkeypatch, dataset: str, without: str,
                                                               with_quantiles: str, dims: tuple[str, ...]) -> None:
    """A measure that reads no quantile does not walk the sorted values; one that does, asked next
    over the same cells, gets its quantiles (not the cells cached without them); and the first,
    asked again of a builder that holds the cells with quantiles, reads those (no query)."""
    from observatory import sorted_values

    filters = Filters(year=2023, regions=("84",))
    walked: list[tuple[str, ...]] = []
    beside = sorted_values.quantiles_beside

    def counted(warehouse, query, dims, parameters):
        walked.append(dims)
        return beside(warehouse, query, dims, parameters)
    monkeypatch.setattr(sorted_values, "quantiles_beside", counted)
    builder = TableBuilder(warehouse)
    plain = builder.build(dataset, dims, without, filters)
    assert walked == []
    quantile = builder.build(dataset, dims, with_quantiles, filters)
    assert walked == [dims]
    expected = TableBuilder(warehouse).build(dataset, dims, with_quantiles, filters)
    pd.testing.assert_frame_equal(quantile.frame, expected.frame, check_exact=False, rtol=1e-9)
    assert quantile.frame["value"].notna().any()

    after = TableBuilder(warehouse)
    after.build(dataset, dims, with_quantiles, filters)
    after.warehouse = _Refusing(warehouse)
    pd.testing.assert_frame_equal(after.build(dataset, dims, without, filters).frame, plain.frame,
                                  check_exact=False, rtol=1e-9)


def test_load_reads_what_a_process_reads_once(warehouse, monkeypatch) -> None:
    """The app's start (and bench/pages.py) read ahead what the first view asking for it would
    otherwise pay: the tables into memory, every index of sorted values, the noise table."""
    from observatory import sorted_values

    loaded: list[str] = []
    monkeypatch.setattr(warehouse, "load_tables", lambda: loaded.append("tables") or 0)
    monkeypatch.setattr(sorted_values, "of", lambda _warehouse, query: loaded.append(query))
    monkeypatch.setattr(secrecy, "perturbation_table", lambda config: loaded.append(f"noise {config is DEFAULT}"))
    TableBuilder(warehouse).load()
    assert loaded == ["tables", *sorted_values.INDEXES, "noise True"]
