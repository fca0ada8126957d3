"""Every measure of the table builder equals the independent pandas computation, cell by cell,
unions of filter values included (composed from their members' published figures)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from observatory import secrecy
from observatory.filters import Filters
from observatory.indicators import MEASURES
from tests import independent

# (dimensions, filters) combinations exercised for every measure where the dimensions apply.
CASES: list[tuple[tuple[str, ...], Filters]] = [
    ((), Filters()),
    (("branch",), Filters(year=2024)),
    (("year",), Filters(branches=("aide_domicile", "eclat"))),
    (("region",), Filters(year=2022, families=("aide_domicile", "animation"))),
    (("occupation", "sex"), Filters(year=2025, regions=("11", "84"))),
    (("age_band",), Filters(year=2020, sex="F")),
    (("employer_size", "branch"), Filters(year=2023)),
    (("contract",), Filters(year=2024, employer_sizes=("1-9", "10-49"))),
    (("scheme",), Filters(year=2021)),
    (("month",), Filters(year=2024, branches=("eclat",))),
    ((), Filters(year=2024, branches=("aide_domicile", "alisfa"), regions=("11", "84"))),
    (("year",), Filters(regions=("32", "44"), sex="M")),
    (("family",), Filters(year=2023, occupations=("T2A60", "V0X60", "V1X80"))),
    (("age5",), Filters(year=2024, age_bands=("25_34", "55_plus"), branches=("eclat", "esh"))),
]
DIGITS = {"count": 0, "fte": 1, "eur": 2, "share": 4, "ratio": 3, "days": 1, "hours": 1}
FILTER_COLUMNS = {"branches": "branch", "regions": "region", "sex": "sex", "age_bands": "age_band",
                  "employer_sizes": "employer_size"}


def _cell_rows(frames: dict[str, pd.DataFrame], dataset: str, dims: tuple[str, ...], selection: Filters,
               years: tuple[int, int], honoured: frozenset[str]) -> dict[str, pd.DataFrame]:
    filters = {}
    for attribute, column in FILTER_COLUMNS.items():
        value = getattr(selection, attribute)
        if value and attribute in honoured:
            filters[column] = [value] if isinstance(value, str) else list(value)
    if selection.families:
        filters["family"] = list(selection.families)
    if selection.occupations:
        filters["occupation"] = list(selection.occupations)
    return independent.filter_rows(frames[dataset], filters, years)


@pytest.fixture(scope="module")
def prepared(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    result = {name: independent.prepare(frame) for name, frame in frames.items()}
    # Openings carry no size class: take the employer's class in its latest year of employees.
    latest = frames["employees"].sort_values("year").groupby("employer_id")["employer_size"].last()
    result["vacancies"]["employer_size"] = result["vacancies"]["employer_id"].map(latest)
    return result


def _members(dims: tuple[str, ...], selection: Filters, honoured: frozenset[str]) -> list[str]:
    """The columns a cell's rows are split by to compose it: each filter holding several values
    that the dataset applies and that no dimension fixes (docs/methodologie-secret.md § 1)."""
    fixed = set(dims) | ({"family"} if "occupation" in dims else set()) | ({"age_band"} if "age5" in dims else set())
    columns = [column for attribute, column in FILTER_COLUMNS.items()
               if attribute in honoured and attribute != "sex" and len(getattr(selection, attribute)) > 1
               and column not in fixed]
    if selection.occupations and "occupation" not in dims and len(selection.occupations) > 1:
        columns.append("occupation")
    elif not selection.occupations and len(selection.families) > 1 and "family" not in fixed:
        columns.append("family")
    return columns


Cell = tuple[tuple, dict[str, pd.DataFrame], dict[str, float]]


@pytest.fixture(scope="module")
def composed_cells(prepared: dict[str, pd.DataFrame]):
    """Each case's cells for a set of datasets: key, rows per dataset, the figures composed from
    its members (computed once for every measure of those datasets)."""
    known: dict[tuple, list[Cell]] = {}

    def cells(dims: tuple[str, ...], selection: Filters, datasets: frozenset[str]) -> list[Cell]:
        if (dims, selection, datasets) in known:
            return known[dims, selection, datasets]
        years = (2016, 2025) if "year" in dims else (selection.effective_year,) * 2
        honoured = frozenset({"branches", "regions", "employer_sizes"}) if "vacancies" in datasets else \
            frozenset({"branches", "regions", "sex", "age_bands", "employer_sizes"})
        group = list(dims) or ["total"]
        members = _members(dims, selection, honoured)
        rows = {d: _cell_rows(prepared, d, dims, selection, years, honoured) for d in sorted(datasets)}
        keys = pd.concat([frame[group] for frame in rows.values()]).drop_duplicates()
        split = {d: dict(iter(frame.groupby(group, observed=True))) for d, frame in rows.items()}
        result = []
        for key in keys.itertuples(index=False):
            cell = {d: parts.get(tuple(key), rows[d].iloc[0:0]) for d, parts in split.items()}
            parts = [cell]
            if members:
                by_member = {d: dict(iter(frame.groupby(members, observed=True))) for d, frame in cell.items()}
                values = sorted(set().union(*(parts.keys() for parts in by_member.values())))
                parts = [{d: by_member[d].get(value, cell[d].iloc[0:0]) for d in cell} for value in values]
            result.append((tuple(key), cell, independent.composed(parts)))
        known[dims, selection, datasets] = result
        return result
    return cells


def _expected(composed_cells, measure_code: str, dims: tuple[str, ...], selection: Filters) -> pd.DataFrame:
    measure = MEASURES[measure_code]
    datasets = frozenset(q.split("_")[0] for q in measure.queries)
    records = []
    for key, cell, figures in composed_cells(dims, selection, datasets):
        value = independent.measure_value(measure_code, cell, figures)
        records.append((*key, value, bool(np.isfinite(value))))
    return pd.DataFrame(records, columns=[*(list(dims) or ["total"]), "expected", "expected_ok"])


@pytest.mark.parametrize("measure_code", sorted(MEASURES))
def test_measure_matches_independent_computation(builder, composed_cells, measure_code: str) -> None:
    measure = MEASURES[measure_code]
    checked = 0
    for dims, selection in CASES:
        if any(d not in measure.allowed_dimensions() for d in dims):
            continue
        try:
            table = builder.build(measure.dataset, dims, measure_code, selection)
        except secrecy.PopulationTooSmall:
            continue
        expected = _expected(composed_cells, measure_code, dims, selection)
        group = list(dims) or ["total"]
        got = table.frame.copy()
        if "year" in group:
            got["year"] = got["year"].astype(int)
            expected["year"] = expected["year"].astype(int)
        merged = got.merge(expected, on=group, how="outer", indicator=True)
        assert (merged["_merge"] == "both").all(), f"{measure_code} {dims}: cells differ"
        for row in merged.itertuples(index=False):
            assert (row.status == "ok") == bool(row.expected_ok), (measure_code, dims, row)
            if row.status == "ok":
                # Published values are rounded to the unit's digits: equal to half a last digit.
                half_digit = 0.5 * 10 ** -DIGITS[measure.unit] + 1e-6
                assert abs(float(row.value) - float(row.expected)) <= half_digit, (measure_code, dims, row)
            else:
                assert math.isnan(float(row.value)), (measure_code, dims, row)
        checked += len(merged)
    assert checked > 0, f"no case exercised {measure_code}"
