"""Each named query's cells as they may be published, protected once, whatever measure reads
them (DESIGN section 6).

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

import numpy as np
import pandas as pd

from observatory import secrecy
from observatory.secrecy import SecrecyConfig


@dataclass(frozen=True)
class Count:
    column: str
    population: str | None = None  # the count of the population it is a part of (secrecy inherited)


@dataclass(frozen=True)
class Sum:
    column: str
    count: str  # the count of the population summed: its key draws the noise
    largest: str  # column of the largest single contribution: the scale of the noise
    magnitude: str  # its row of the magnitude noise table (secrecy.MAGNITUDES)


@dataclass(frozen=True)
class Layout:
    """What a query's cells publish, populations before their parts."""
    counts: tuple[Count, ...]
    sums: tuple[Sum, ...] = ()
    quantiles: tuple[tuple[str, str], ...] = ()  # (column, count of its population)
    constants: tuple[str, ...] = ()  # public whatever the cell (the SMIC of the year)

    def published_columns(self) -> tuple[str, ...]:
        return (*(c.column for c in self.counts), *(s.column for s in self.sums),
                *(column for column, _ in self.quantiles), *self.constants)


def _parts(population: str, *columns: str) -> tuple[Count, ...]:
    return tuple(Count(column, population) for column in columns)


LAYOUTS: dict[str, Layout] = {
    "employees_counts": Layout(
        (Count("n"), *_parts("n", "women", "part_time", "aged_55", "aged_57", "aged_52", "hired", "left")),
        (Sum("fte", "n", "fte_max", "fte"),)),
    "employees_pay": Layout(
        (Count("persons"), Count("n", "persons"), *_parts("n", "near_smic", "women", "men")),
        (Sum("pay_sum", "n", "pay_max", "pay"), Sum("pay_women", "women", "pay_women_max", "pay_women"),
         Sum("pay_men", "men", "pay_men_max", "pay_men")),
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
            config: SecrecyConfig = secrecy.DEFAULT) -> pd.DataFrame:
    """The cells of `query` over `dims` as published: the dimensions, then each published
    column of its layout that the cells hold (a trimmed query holds fewer counts), NaN where
    secret."""
    layout = LAYOUTS[query]
    columns: dict[str, object] = {dim: cells[dim].array for dim in dims}
    counts: dict[str, np.ndarray] = {}
    ok: dict[str, np.ndarray] = {}
    for count in layout.counts:
        if count.column not in cells:
            continue
        true = secrecy.zero_filled(cells, count.column).astype(np.int64)
        passing = secrecy.cells_pass(cells, count.column, config=config) | (true == 0)
        if count.population is not None:
            passing &= ok[count.population]
        counts[count.column], ok[count.column] = true, passing
        published = secrecy.perturb(true, secrecy.zero_filled(cells, f"{count.column}_key"), config)
        columns[count.column] = np.where(passing, published, np.nan)
    for total in layout.sums:
        if total.column not in cells or total.count not in counts:
            continue
        true = counts[total.count]
        perturbed = secrecy.perturb_sum(secrecy.zero_filled(cells, total.column), cells[total.largest].to_numpy(),
                                        secrecy.zero_filled(cells, f"{total.count}_key"), total.magnitude, config)
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.where(true > 0, perturbed * columns[total.count] / np.where(true > 0, true, 1), 0.0)
        columns[total.column] = np.where(ok[total.count], scaled, np.nan)
    for column, population in layout.quantiles:
        if column in cells and population in ok:
            columns[column] = np.where(ok[population], cells[column].to_numpy(dtype=float), np.nan)
    for column in layout.constants:
        if column in cells:
            columns[column] = cells[column].to_numpy(dtype=float)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(cells)))
