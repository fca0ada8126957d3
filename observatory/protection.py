"""Each named query's cells as they may be published, protected once, whatever measure reads
them (docs/methodologie-secret.md).

A query's cells hold true counts with their secrecy inputs, sums and quantiles. `protect` turns
them into published values, NaN where secret:
* a count is perturbed by its cell key and kept where it passes the thresholds (or is a true
  zero) **and** where every population it is a part of passes: women, departures, hires or
  the paid of a cell inherit the cell's secrecy, so that no zero nor share of a secret cell's
  members is published;
* a sum (pay, FTE, hours, costs) is perturbed by its own noise (secrecy.perturb_sum) and
  published at the scale of its population's published count: sum' x published / true, so that
  a mean is sum' / true count and a total is consistent with its count (the "perturbed
  estimates" of ABS TableBuilder); secret where that count is;
* a quantile is kept where its population's count is published.
Measures (observatory/indicators.py) are arithmetic on these published values only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from observatory import secrecy
from observatory.secrecy import SecrecyConfig


@dataclass(frozen=True)
class Count:
    column: str
    population: str | None = None  # the count of the population it is a part of (secrecy inherited)
    shown: bool = True  # False: only its secrecy serves (its parts inherit it), never a figure


@dataclass(frozen=True)
class Sum:
    column: str
    count: str  # the count of the population summed: its key draws the noise
    largest: str | None  # column of the largest single contribution, the scale of the noise (None: 1)
    magnitude: str  # its row of the magnitude noise table (secrecy.MAGNITUDES)


@dataclass(frozen=True)
class Layout:
    """What a query's cells publish, populations before their parts."""
    counts: tuple[Count, ...]
    sums: tuple[Sum, ...] = ()
    quantiles: tuple[tuple[str, str], ...] = ()  # (column, count of its population)
    constants: tuple[str, ...] = ()  # public whatever the cell (the SMIC of the year)


# A query's published cells: column -> values, the dimensions' codes (pandas arrays) then the
# published figures (float arrays, NaN: secret). Columns, not a frame: a page asks for a few
# hundred of these, and a frame costs more to build than the protection itself.
Published = dict[str, Any]


def size(published: Published) -> int:
    return len(next(iter(published.values()))) if published else 0


def _parts(population: str, *columns: str) -> tuple[Count, ...]:
    return tuple(Count(column, population) for column in columns)


LAYOUTS: dict[str, Layout] = {
    "employees_counts": Layout(
        (Count("n"), *_parts("n", "women", "part_time", "aged_55", "aged_57", "aged_52", "hired", "left")),
        (Sum("fte", "n", None, "fte"),)),  # a quotité is at most 1
    "employees_pay": Layout(
        (Count("persons", shown=False), Count("n", "persons"), *_parts("n", "near_smic", "women", "men")),
        (Sum("n_pay", "n", "n_pay_max", "pay"), Sum("women_pay", "women", "women_pay_max", "pay_women"),
         Sum("men_pay", "men", "men_pay_max", "pay_men")),
        tuple((column, "n") for column in ("d1", "q1", "median", "q3", "d9")),
        ("smic",)),
    "vacancies_counts": Layout(
        (Count("n"), *_parts("n", "unfilled", "difficult", "withdrawn", "filled")),
        quantiles=(("delay_median", "filled"),)),
    "training_counts": Layout(
        (Count("n"), Count("alternance", "n")),
        (Sum("hours", "n", "hours_max", "hours"), Sum("cost", "n", "cost_max", "cost"))),
}


def protect(query: str, cells: pd.DataFrame, dims: tuple[str, ...],
            config: SecrecyConfig = secrecy.DEFAULT) -> Published:
    """The cells of `query` over `dims` as published: the dimensions, then each published
    column of its layout that the cells hold (a trimmed query holds fewer counts), NaN where
    secret."""
    layout = LAYOUTS[query]
    arrays = _arrays(cells)
    columns: Published = {dim: cells[dim].array for dim in dims}
    counts: dict[str, np.ndarray] = {}
    ok: dict[str, np.ndarray] = {}
    for count in layout.counts:
        if count.column not in arrays:
            continue
        true = secrecy.zero_filled(arrays[count.column]).astype(np.int64)
        passing = secrecy.passes(true, secrecy.zero_filled(arrays[f"{count.column}_employers"]),
                                 secrecy.zero_filled(arrays[f"{count.column}_top"]), config) | (true == 0)
        if count.population is not None:
            passing &= ok[count.population]
        counts[count.column], ok[count.column] = true, passing
        if not count.shown:
            continue
        published = secrecy.perturb(true, secrecy.zero_filled(arrays[f"{count.column}_key"]), config)
        columns[count.column] = np.where(passing, published, np.nan)
    for total in layout.sums:
        if total.column not in arrays or total.count not in columns:
            continue
        true = counts[total.count]
        largest = np.ones(len(true)) if total.largest is None else arrays[total.largest]
        perturbed = secrecy.perturb_sum(secrecy.zero_filled(arrays[total.column]), largest,
                                        secrecy.zero_filled(arrays[f"{total.count}_key"]), total.magnitude, config)
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.where(true > 0, perturbed * columns[total.count] / np.where(true > 0, true, 1), 0.0)
        columns[total.column] = np.where(ok[total.count], scaled, np.nan)
    for column, population in layout.quantiles:
        if column in arrays and population in ok:
            columns[column] = np.where(ok[population], arrays[column].astype(float), np.nan)
    for column in layout.constants:
        if column in arrays:
            columns[column] = arrays[column].astype(float)
    return columns


def _arrays(cells: pd.DataFrame) -> dict[str, np.ndarray]:
    """Every column of the cells as a numpy array, read at once from the frame's blocks: reading
    them one by one builds a Series each, which costs more than protecting the column."""
    manager = getattr(cells, "_mgr", None)
    arrays = getattr(manager, "column_arrays", None)
    if arrays is None or len(arrays) != len(cells.columns):
        arrays = [cells[column].to_numpy() for column in cells.columns]
    return dict(zip(cells.columns, arrays, strict=True))
