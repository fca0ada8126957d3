"""Quantiles read from sorted values (pay, delays) equal quantile_cont's, cell by cell."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from observatory.sorted_values import COMPARED_RUNS, SortedValues, _matching
from observatory.sorted_values import PAY_PROBABILITIES as PROBABILITIES

RNG = np.random.default_rng(7)
ROWS = 4000
DATA = pd.DataFrame({
    "year": RNG.choice([2019, 2020, 2021], ROWS).astype(np.int16),
    "value": np.round(RNG.lognormal(7.6, 0.3, ROWS), 2),
    "branch": RNG.choice(["a", "b", "c"], ROWS),
    "region": RNG.choice(["11", "84", "93"], ROWS),
    "occupation": RNG.choice(["o1", "o2", "o3", "o4"], ROWS),
    "family": RNG.choice(["f1", "f2", None], ROWS),
    "sex": RNG.choice(["F", "M"], ROWS),
    "age_band": RNG.choice(["moins_25", "25_54", "55_plus"], ROWS),
    "age5": RNG.choice(["20-24", "25-29"], ROWS),
    "employer_size": RNG.choice(["1-9", "10-49"], ROWS),
    "contract": RNG.choice(["cdi", "cdd"], ROWS),
})
DATA.loc[DATA.index[:30], "value"] = 1800.0  # ties


def _index() -> SortedValues:
    ordered = DATA.sort_values(["year", "value"], kind="stable")
    return SortedValues.from_tables((pa.Table.from_pandas(ordered[ordered["year"] == year], preserve_index=False)
                                     for year in sorted(ordered["year"].unique())), PROBABILITIES)


def _duckdb(dims: tuple[str, ...], where: str) -> pd.DataFrame:
    con = duckdb.connect()
    con.register("data", DATA.assign(total="ensemble"))
    columns = ", ".join(dims)
    return con.execute(f"SELECT {columns}, quantile_cont(value, [0.1, 0.25, 0.5, 0.75, 0.9]) AS q FROM data "
                       f"WHERE {where} GROUP BY {columns} ORDER BY {columns}").df()


CASES = [
    (("year",), {"year_from": 2019, "year_to": 2021}, "true"),
    (("year",), {"year_from": 2019, "year_to": 2021, "sexes": ["F"], "regions": ["11", "93"]},
     "sex = 'F' AND region IN ('11', '93')"),  # one pass over the years, filtered
    (("year", "total"), {"year_from": 2020, "year_to": 2021, "branches": ["b"]}, "year >= 2020 AND branch = 'b'"),
    (("total",), {"year_from": 2020, "year_to": 2020}, "year = 2020"),
    (("total",), {"year_from": 2019, "year_to": 2021}, "true"),  # several years in one cell
    (("branch",), {"year_from": 2021, "year_to": 2021, "sexes": ["F"]}, "year = 2021 AND sex = 'F'"),
    (("year", "region"), {"year_from": 2019, "year_to": 2021, "branches": ["a", "c"]}, "branch IN ('a', 'c')"),
    (("occupation", "sex"), {"year_from": 2020, "year_to": 2020, "regions": ["84"], "age_bands": ["55_plus"]},
     "year = 2020 AND region = '84' AND age_band = '55_plus'"),
    (("family",), {"year_from": 2019, "year_to": 2019}, "year = 2019"),  # a null code is a cell
    (("branch", "employer_size"), {"year_from": 2019, "year_to": 2021, "occupations": ["o2"]},
     "occupation = 'o2'"),
    # Two filters of one value (rows read from the first value's rows) and one of two, over years.
    (("year", "sex"), {"year_from": 2019, "year_to": 2021, "branches": ["b"], "regions": ["84"],
                       "sexes": ["F", "M"]}, "branch = 'b' AND region = '84'"),
    (("year",), {"year_from": 2020, "year_to": 2021, "regions": ["11"], "branches": ["c"]},
     "year >= 2020 AND region = '11' AND branch = 'c'"),
    # One branch: read from its own rows (SortedValues._split), broken down by itself or others.
    (("branch",), {"year_from": 2019, "year_to": 2021, "branches": ["a"]}, "branch = 'a'"),
    (("year", "occupation"), {"year_from": 2019, "year_to": 2021, "branches": ["c"], "sexes": ["M"]},
     "branch = 'c' AND sex = 'M'"),
    (("total",), {"year_from": 2021, "year_to": 2021, "branches": ["b"]}, "year = 2021 AND branch = 'b'"),
    # Consecutive codes (a family's occupations: one range test) with a second filter of two.
    (("year", "branch"), {"year_from": 2019, "year_to": 2021, "occupations": ["o2", "o3", "o4"],
                          "regions": ["11", "93"]}, "occupation IN ('o2', 'o3', 'o4') AND region IN ('11', '93')"),
]


@pytest.mark.parametrize(("dims", "parameters", "where"), CASES)
def test_quantiles_equal_quantile_cont(dims: tuple[str, ...], parameters: dict, where: str) -> None:
    got = _index().quantiles(dims, parameters)
    expected = _duckdb(dims, where)
    assert list(got.columns) == [*dims, *PROBABILITIES]
    keys = [d for d in dims]
    got = got.sort_values(keys, na_position="last").reset_index(drop=True)
    expected = expected.sort_values(keys, na_position="last").reset_index(drop=True)
    assert len(got) == len(expected) > 0
    for dim in dims:
        assert got[dim].astype(object).where(got[dim].notna(), None).tolist() == \
            expected[dim].astype(object).where(expected[dim].notna(), None).tolist()
    for i, column in enumerate(PROBABILITIES):
        np.testing.assert_allclose(got[column].to_numpy(), [q[i] for q in expected["q"]], rtol=0, atol=1e-9)


def test_a_filter_that_keeps_nobody_gives_no_cell() -> None:
    got = _index().quantiles(("branch",), {"year_from": 2020, "year_to": 2020, "regions": ["99"]})
    assert got.empty and list(got.columns) == ["branch", *PROBABILITIES]


def test_one_branch_is_read_from_its_own_rows(monkeypatch) -> None:
    """A request filtered on one branch walks that branch's rows only, not the whole table; an
    unknown branch gives no cell."""
    index = _index()
    walked: list[int] = []
    kept_rows = SortedValues._kept_rows

    def counted(self, start, stop, parameters):
        walked.append(len(self.value))
        return kept_rows(self, start, stop, parameters)
    monkeypatch.setattr(SortedValues, "_kept_rows", counted)
    index.quantiles(("year",), {"year_from": 2019, "year_to": 2021, "branches": ["b"], "sexes": ["F"]})
    assert walked == [int((DATA["branch"] == "b").sum())]
    assert index.quantiles(("year",), {"year_from": 2019, "year_to": 2021, "branches": ["z"]}).empty


def test_a_year_outside_the_data_gives_no_cell() -> None:
    assert _index().quantiles(("year",), {"year_from": 2030, "year_to": 2031}).empty


def test_enum_columns_and_rows_out_of_order_give_the_same_quantiles() -> None:
    """The warehouse hands over enums (Arrow dictionaries) in stored order; a year whose rows
    come unsorted is sorted again rather than read wrong."""
    shuffled = DATA.sample(frac=1, random_state=3)
    coded = shuffled.astype({c: "category" for c in DATA.columns if c not in ("year", "value")})
    index = SortedValues.from_tables((pa.Table.from_pandas(coded[coded["year"] == year], preserve_index=False)
                                      for year in (2019, 2020, 2021)), PROBABILITIES)
    parameters = {"year_from": 2019, "year_to": 2021, "sexes": ["F"]}
    got = index.quantiles(("year", "family"), parameters).sort_values(["year", "family"], na_position="last")
    expected = _index().quantiles(("year", "family"), parameters).sort_values(["year", "family"],
                                                                              na_position="last")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))


@pytest.mark.parametrize("chosen", [[], [3], [0, 1, 2], [5, 9], [0, 255], [7, 8, 20, 21, 22, 40],
                                    list(range(0, 4 * (COMPARED_RUNS + 1), 4)), list(range(256))])
def test_allowed_codes_match_a_lookup_of_the_allowed_table(chosen: list[int]) -> None:
    """Equalities, range tests over runs of consecutive codes, or the lookup past a few runs:
    always the rows whose code is allowed (codes at 0 and 255 test the unsigned wrap)."""
    codes = np.random.default_rng(len(chosen)).integers(0, 256, 50_000).astype(np.uint8)
    allowed = np.zeros(256, dtype=bool)
    allowed[chosen] = True
    out, spare = np.empty(len(codes), dtype=bool), np.empty(len(codes), dtype=bool)
    _matching(codes, allowed, out, spare)
    assert np.array_equal(out, allowed[codes])
    assert out.sum() == np.isin(codes, chosen).sum() > 0 or not chosen
