"""Secrecy: the perturbation table's properties, the rules, and consistency of published cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory import secrecy

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
    published = secrecy.protect_count(by_a, "n")
    published_shuffled = secrecy.protect_count(by_a_shuffled.loc[by_a.index], "n")
    assert np.array_equal(published.ok, published_shuffled.ok)
    assert np.allclose(np.nan_to_num(published.value, nan=-1), np.nan_to_num(published_shuffled.value, nan=-1))
    # The same cell as the single cell of a filtered query (a == value) gives the same value.
    for value in by_a.index:
        single = _cells(rows[rows["a"] == value].assign(all="x"), ["all"])
        alone = secrecy.protect_count(single, "n")
        position = list(by_a.index).index(value)
        assert alone.ok[0] == published.ok[position]
        if alone.ok[0]:
            assert alone.value[0] == published.value[position]


@settings(max_examples=60, deadline=None)
@given(rows=microdata())
def test_thresholds_and_dominance_are_applied(rows) -> None:
    cells = _cells(rows, ["a", "b"])
    published = secrecy.protect_count(cells, "n")
    for index, cell in cells.iterrows():
        expected_ok = cell.n >= 11 and cell.n_employers >= 3 and cell.n_top / cell.n <= 0.85
        assert published.ok[index] == expected_ok
        if not expected_ok:
            assert np.isnan(published.value[index]), "a secret cell has no value, not 0"


def test_share_is_secret_when_either_count_is() -> None:
    ok = secrecy.ProtectedCount(np.array([50.0]), np.array([True]))
    secret = secrecy.ProtectedCount(np.array([np.nan]), np.array([False]))
    assert np.isnan(secrecy.share(secret, ok).value[0])
    assert np.isnan(secrecy.share(ok, secret).value[0])
    assert secrecy.share(ok, ok).value[0] == 1.0


def test_record_keys_are_on_the_exact_grid(frames) -> None:
    """Cell keys must not depend on summation order: keys are multiples of 2^-32."""
    for frame in frames.values():
        scaled = frame["rkey"].to_numpy() * 2.0**32
        assert np.array_equal(scaled, np.floor(scaled))
        assert frame["rkey"].between(0, 1, inclusive="left").all()
