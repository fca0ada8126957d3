"""Statistical disclosure control applied to every published cell (DESIGN section 6).

* Counts are published as true count + noise read from a fixed perturbation table by
  (cell key, true count), the cell key being frac(sum of the rows' `rkey`): the same set of rows
  always gets the same noise, whatever query, page or ordering produced it.
* A cell with fewer than `min_rows` rows, fewer than `min_employers` employers or one employer
  above `dominance` of its rows is secret: no value, no statistic, only the word.
* Shares are computed from published counts, and secret when either count is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from observatory.reference import REFERENCE_DIR

OK = "ok"
SECRET = "secret"

PTABLE_FILE = REFERENCE_DIR / "perturbation_table.csv"


@dataclass(frozen=True)
class SecrecyConfig:
    """Parameters of the protection; the defaults are the published rules."""

    min_rows: int = 11
    min_employers: int = 3
    dominance: float = 0.85
    noise_bound: int = 3
    noise_sd: float = 3.0
    table_seed: int = 20241101
    key_buckets: int = 1024


DEFAULT = SecrecyConfig()


class PopulationTooSmall(Exception):
    """The whole filtered population fails the thresholds: nothing can be shown."""

    def __init__(self, message: str = "La population sélectionnée est trop petite pour publier des "
                 "chiffres sans risque d'identifier des personnes ou des structures.") -> None:
        super().__init__(message)
        self.message = message


# --- perturbation table -------------------------------------------------------------------

def noise_distribution(count: int, config: SecrecyConfig = DEFAULT) -> dict[int, float]:
    """Zero-mean noise law for a true count: a discretised normal on [-D, D], cut at -count so
    that no published count is negative, and exponentially tilted back to a zero mean."""
    bound = config.noise_bound
    support = list(range(max(-count, -bound), bound + 1))
    base = np.array([math.exp(-(k * k) / (2 * config.noise_sd**2)) for k in support])
    values = np.array(support, dtype=float)

    def mean(tilt: float) -> float:
        weights = base * np.exp(tilt * values)
        return float((weights * values).sum() / weights.sum())

    low, high = -20.0, 20.0
    for _ in range(200):
        middle = (low + high) / 2
        if mean(middle) > 0:
            high = middle
        else:
            low = middle
    weights = base * np.exp(low * values)
    weights /= weights.sum()
    return dict(zip(support, weights.tolist(), strict=True))


def build_perturbation_table(config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """Rows: true count 1..D+1 (the last row serves every larger count); columns: key buckets.

    Each row holds exactly the integer frequencies of its noise law over `key_buckets` slots,
    corrected so that the row sums to zero (an exactly zero mean), then shuffled with the seed.
    """
    rng = np.random.default_rng(config.table_seed)
    rows = []
    for count in range(1, config.noise_bound + 2):
        law = noise_distribution(count, config)
        noises = np.array(sorted(law))
        slots = np.floor(np.array([law[k] for k in noises]) * config.key_buckets).astype(int)
        slots[noises == 0] += config.key_buckets - slots.sum()
        row = np.repeat(noises, slots)
        # Move single slots between opposite noises until the row sums to exactly zero.
        while (total := int(row.sum())) != 0:
            step = 1 if total < 0 else -1
            candidates = np.flatnonzero((row != 0) & (np.sign(row) == -step)) if total != 0 else []
            index = candidates[np.argmax(np.abs(row[candidates]))]
            row[index] += step
        rows.append(rng.permutation(row))
    return np.vstack(rows).astype(np.int8)


def write_perturbation_table(path: Path = PTABLE_FILE, config: SecrecyConfig = DEFAULT) -> None:
    table = build_perturbation_table(config)
    frame = pd.DataFrame(table, index=pd.Index(range(1, table.shape[0] + 1), name="count"))
    header = (f"# perturbation table: seed={config.table_seed} bound={config.noise_bound} "
              f"sd={config.noise_sd} buckets={config.key_buckets}\n")
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header)
        frame.to_csv(handle)


@cache
def perturbation_table(config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """The committed table (checked against a fresh build by the tests)."""
    if config == DEFAULT and PTABLE_FILE.is_file():
        frame = pd.read_csv(PTABLE_FILE, comment="#", index_col="count")
        return frame.to_numpy(dtype=np.int8)
    return build_perturbation_table(config)


def cell_key(key_sum: np.ndarray | float) -> np.ndarray:
    """frac(sum of rkey): uniform in [0, 1) and identical for identical sets of rows."""
    values = np.asarray(key_sum, dtype=float)
    return values - np.floor(values)


def perturb(counts: np.ndarray, key_sums: np.ndarray, config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """Published counts: true count + table noise; a true zero stays zero."""
    counts = np.asarray(counts, dtype=np.int64)
    table = perturbation_table(config)
    bucket = np.minimum((cell_key(key_sums) * config.key_buckets).astype(np.int64), config.key_buckets - 1)
    row = np.clip(counts, 1, table.shape[0]) - 1
    noise = table[row, bucket].astype(np.int64)
    return np.where(counts > 0, np.maximum(counts + noise, 0), 0)


# --- thresholds ---------------------------------------------------------------------------

def passes(rows: np.ndarray, employers: np.ndarray, top: np.ndarray, config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """Frequency (persons and employers) and dominance rules, cell by cell."""
    rows = np.asarray(rows, dtype=float)
    employers = np.asarray(employers, dtype=float)
    top = np.asarray(top, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(rows > 0, top / np.where(rows > 0, rows, 1), 1.0)
    return (rows >= config.min_rows) & (employers >= config.min_employers) & (share <= config.dominance)


def cells_pass(cells: pd.DataFrame, count: str, prefix: str | None = None,
               config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """`passes` on a query's cells: the count column `count`, its employers and largest employer
    in `{prefix}_employers` and `{prefix}_top` (prefix: the count's own name by default); an
    absent value is a true zero."""
    prefix = prefix or count
    return passes(zero_filled(cells, count), zero_filled(cells, f"{prefix}_employers"),
                  zero_filled(cells, f"{prefix}_top"), config)


@dataclass(frozen=True)
class ProtectedCount:
    """A published count: values (NaN where secret) and a boolean mask of publishable cells."""

    value: np.ndarray
    ok: np.ndarray


def protect_count(cells: pd.DataFrame, prefix: str, config: SecrecyConfig = DEFAULT) -> ProtectedCount:
    """Publish the count `prefix` of each cell from its columns prefix, _employers, _top, _key.

    A true zero is published as 0 (an empty cell reveals nobody); any other count must pass the
    thresholds.
    """
    count = zero_filled(cells, prefix).astype(np.int64)
    ok = cells_pass(cells, prefix, config=config) | (count == 0)
    published = perturb(count, zero_filled(cells, f"{prefix}_key"), config).astype(float)
    return ProtectedCount(np.where(ok, published, np.nan), ok)


def zero_filled(cells: pd.DataFrame, column: str) -> np.ndarray:
    """`cells[column].fillna(0).to_numpy()`, on the array: a pandas `fillna` per column costs more
    than the whole secrecy check of a table."""
    values = cells[column].to_numpy()
    if values.dtype.kind == "f":
        return np.where(np.isnan(values), 0.0, values)
    if values.dtype.kind in "iub":
        return values
    return cells[column].fillna(0).to_numpy()


def share(numerator: ProtectedCount, denominator: ProtectedCount) -> ProtectedCount:
    """Share from two published counts; secret when either is, empty when the base is 0."""
    ok = numerator.ok & denominator.ok & (np.nan_to_num(denominator.value) > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.clip(numerator.value / denominator.value, 0.0, 1.0)
    return ProtectedCount(np.where(ok, value, np.nan), ok)
