"""Secrecy: the perturbation table's properties, the rules, and consistency of published cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory import composition, protection, secrecy

TABLE = secrecy.perturbation_table()


def test_committed_table_is_the_documented_build() -> None:
    assert np.array_equal(TABLE, secrecy.build_perturbation_table(secrecy.DEFAULT))


def test_table_rows_have_zero_mean_bounded_noise_and_no_negative_result() -> None:
    config = secrecy.DEFAULT
    assert TABLE.shape == (config.noise_bound + 1, config.key_buckets)
    for index, row in enumerate(TABLE):
        count = index + 1
        assert row.sum() == 0, "zero mean, exactly"
        assert np.abs(row).max() <= config.noise_bound
        assert (count + row).min() >= 0, "never negative"
        assert 1.0 < row.var() < 4.0, "noise is neither trivial nor wild"
    large = TABLE[-1]
    assert set(np.unique(large)) == set(range(-config.noise_bound, config.noise_bound + 1))


def test_noise_law_matches_the_table_frequencies() -> None:
    for count in range(1, secrecy.DEFAULT.noise_bound + 2):
        law = secrecy.noise_distribution(count)
        assert abs(sum(k * p for k, p in law.items())) < 1e-9
        row = TABLE[count - 1]
        for noise, probability in law.items():
            assert abs((row == noise).mean() - probability) < 0.01


@settings(max_examples=200)
@given(counts=st.lists(st.integers(0, 10_000), min_size=1, max_size=50),
       keys=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=50, max_size=50))
def test_perturb_bounds_zero_and_nonnegative(counts, keys) -> None:
    counts_array = np.array(counts)
    published = secrecy.perturb(counts_array, np.array(keys[: len(counts)]))
    assert (published >= 0).all()
    assert (np.abs(published - counts_array) <= secrecy.DEFAULT.noise_bound).all()
    assert (published[counts_array == 0] == 0).all()


def _cells(rows: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    per_employer = rows.groupby([*dims, "employer"]).agg(n=("rkey", "size"), key=("rkey", "sum")).reset_index()
    return per_employer.groupby(dims).agg(n=("n", "sum"), n_employers=("n", "size"), n_top=("n", "max"),
                                          n_key=("key", "sum")).reset_index()


@st.composite
def microdata(draw):
    n = draw(st.integers(20, 400))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "a": rng.integers(0, 4, n), "b": rng.integers(0, 3, n),
        "employer": rng.integers(0, draw(st.integers(1, 30)), n), "rkey": rng.random(n),
    })


@settings(max_examples=60, deadline=None)
@given(rows=microdata(), shuffle_seed=st.integers(0, 1000))
def test_same_cell_same_value_whatever_query_or_order(rows, shuffle_seed) -> None:
    """A cell reached through (a), through (a, b) summed differently, or shuffled rows, is the
    same set of rows, so it publishes the same value and status."""
    shuffled = rows.sample(frac=1.0, random_state=shuffle_seed)
    by_a = _cells(rows, ["a"]).set_index("a")
    by_a_shuffled = _cells(shuffled, ["a"]).set_index("a")
    published = _count(by_a)
    published_shuffled = _count(by_a_shuffled.loc[by_a.index])
    assert np.array_equal(np.nan_to_num(published, nan=-1), np.nan_to_num(published_shuffled, nan=-1))
    # The same cell as the single cell of a filtered query (a == value) gives the same value.
    for value in by_a.index:
        single = _cells(rows[rows["a"] == value].assign(all="x"), ["all"])
        position = list(by_a.index).index(value)
        assert np.array_equal(_count(single), published[position:position + 1], equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(rows=microdata())
def test_thresholds_and_dominance_are_applied(rows) -> None:
    cells = _cells(rows, ["a", "b"])
    published = _count(cells)
    for index, cell in cells.iterrows():
        expected_ok = cell.n >= 11 and cell.n_employers >= 3 and cell.n_top / cell.n <= 0.85
        assert np.isfinite(published[index]) == expected_ok, "a secret cell has no value, not 0"


def _count(cells: pd.DataFrame) -> np.ndarray:
    """The published headcount of cells (NaN: secret), as a query's cells publish it."""
    return protection.protect("vacancies_counts", cells.reset_index(drop=True), ())["n"]


def _published(query: str, cells: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(protection.protect(query, cells, ()))


def _cell(n: int, employers: int, top: int, key: float, **parts: tuple[int, int, int]) -> pd.DataFrame:
    columns = {"n": [n], "n_employers": [employers], "n_top": [top], "n_key": [key]}
    for name, (count, count_employers, count_top) in parts.items():
        columns.update({name: [count], f"{name}_employers": [count_employers], f"{name}_top": [count_top],
                        f"{name}_key": [key / 2]})
    return pd.DataFrame(columns)


def test_a_part_of_a_secret_population_is_secret_even_when_zero() -> None:
    """Departures, hires, women... of a cell inherit its secrecy: a published 0 in a cell of
    one person would say that person's age or that they neither came nor left."""
    tiny = _published("employees_counts", _cell(1, 1, 1, 0.3, aged_52=(0, 0, 0), hired=(0, 0, 0)))
    assert tiny[["n", "aged_52", "hired"]].isna().all(axis=None)
    dominated = _published("employees_counts", _cell(62, 5, 53, 0.3, aged_52=(20, 5, 4)))
    assert dominated[["n", "aged_52"]].isna().all(axis=None), "85.5 % in one employer: secret, and its parts"
    large = _published("employees_counts", _cell(500, 40, 30, 0.7, aged_52=(0, 0, 0), hired=(4, 2, 3)))
    assert large["aged_52"][0] == 0, "a zero of a published population is published"
    assert np.isnan(large["hired"][0]), "a small part of a published population stays secret"


def test_pay_inherits_the_secrecy_of_every_person_present() -> None:
    """The paid of a cell dominated by one employer (through its apprentices) publish no pay."""
    cells = pd.DataFrame({
        "persons": [62], "persons_employers": [5], "persons_top": [53],
        "n": [30], "n_employers": [5], "n_top": [21], "n_key": [0.2],
        "n_pay": [75_000.0], "n_pay_max": [3_900.0], "median": [2_450.0]})
    published = _published("employees_pay", cells)
    assert published[["n", "n_pay", "median"]].isna().all(axis=None)
    assert "persons" not in published, "the population is no figure of the pay's cells"


def test_committed_magnitude_table_is_the_documented_build() -> None:
    committed = secrecy.magnitude_table()
    assert np.array_equal(committed, secrecy.build_magnitude_table(secrecy.DEFAULT))
    config = secrecy.DEFAULT
    assert committed.shape == (len(secrecy.MAGNITUDES), config.key_buckets)
    for row in committed:
        assert row.sum() == 0, "zero mean, exactly"
        spread = np.abs(row) / secrecy.MAGNITUDE_UNIT
        assert spread.min() >= config.magnitude_low - 1e-3 and spread.max() <= config.magnitude_high
    assert len({tuple(row) for row in committed}) == len(committed), "each sum its own draw"


@settings(max_examples=200)
@given(values=st.lists(st.floats(1, 20_000, allow_nan=False), min_size=1, max_size=40),
       key=st.floats(0, 1e5, allow_nan=False), magnitude=st.sampled_from(secrecy.MAGNITUDES))
def test_a_sum_moves_by_a_bounded_share_of_its_largest_value(values, key, magnitude) -> None:
    total, largest = np.array([sum(values)]), np.array([max(values)])
    perturbed = secrecy.perturb_sum(total, largest, np.array([key]), magnitude)[0]
    moved = abs(perturbed - total[0])
    config = secrecy.DEFAULT
    assert perturbed >= 0
    assert config.magnitude_low * largest[0] * 0.999 <= moved <= config.magnitude_high * largest[0] * 1.001
    assert secrecy.perturb_sum(np.array([0.0]), np.array([np.nan]), np.array([key]), magnitude)[0] == 0.0


def test_a_union_is_the_sum_of_its_members_and_secret_with_any() -> None:
    published = {"year": pd.array([2023, 2023, 2024, 2024]), "region": pd.array(["11", "84", "11", "84"]),
                 "n": np.array([120.0, 40.0, 118.0, np.nan]), "fte": np.array([100.5, 30.0, 99.0, np.nan])}
    composed = pd.DataFrame(composition.compose(published, ("year",), protection.LAYOUTS["employees_counts"]))
    assert composed["year"].tolist() == [2023, 2024]
    assert composed["n"].tolist()[0] == 160.0 and np.isnan(composed["n"][1])
    assert composed["fte"].tolist()[0] == 130.5 and np.isnan(composed["fte"][1])


def test_the_refusal_of_a_union_names_its_secret_members() -> None:
    one = secrecy.union_refusal(["Mayotte × Mutualité"])
    assert "« Mayotte × Mutualité » porte" in one and "Retirez-la" in one
    many = secrecy.union_refusal([f"m{i}" for i in range(5)])
    assert "« m0 », « m1 », « m2 » et 2 autre(s) portent" in many and "Retirez-les" in many


def test_record_keys_are_on_the_exact_grid(frames) -> None:
    """Cell keys must not depend on summation order: keys are multiples of 2^-32."""
    for frame in frames.values():
        scaled = frame["rkey"].to_numpy() * 2.0**32
        assert np.array_equal(scaled, np.floor(scaled))
        assert frame["rkey"].between(0, 1, inclusive="left").all()
