"""Statistical disclosure control applied to every published cell (docs/methodologie-secret.md).

* Counts are published as true count + noise read from a fixed perturbation table by
  (cell key, true count), the cell key being frac(sum of the rows' `rkey`): the same set of rows
  always gets the same noise, whatever query, page or ordering produced it.
* A cell with fewer than `min_rows` rows, fewer than `min_employers` employers or one employer
  above `dominance` of its rows is secret: no value, no statistic, only the word.
* Shares are computed from published counts, and secret when either count is.
* Sums behind means and totals (pay, FTE, hours, costs) are perturbed too, as magnitude tables
  are (the "top contributor" method of ABS TableBuilder and of the cellKey package): a sum
  moves by v times its largest single contribution, v read by the cell key from a fixed table,
  |v| between `magnitude_low` and `magnitude_high`, half of each sign.
What each query's cells publish, and how unions of filter values are composed from the
protected cells of their members, is observatory/protection.py and composition.py.
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
MTABLE_FILE = REFERENCE_DIR / "magnitude_table.csv"
# The sums with a noise of their own: one row each of the magnitude table.
MAGNITUDES: tuple[str, ...] = ("fte", "pay", "pay_women", "pay_men", "hours", "cost")
# The magnitude table holds integers: v times this.
MAGNITUDE_UNIT = 1024


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
    magnitude_low: float = 0.25
    magnitude_high: float = 1.0
    magnitude_seed: int = 20261207


DEFAULT = SecrecyConfig()


class PopulationTooSmall(Exception):
    """The whole filtered population fails the thresholds: nothing can be shown."""

    def __init__(self, message: str = "La population sélectionnée est trop petite pour publier des "
                 "chiffres sans risque d'identifier des personnes ou des structures.") -> None:
        super().__init__(message)
        self.message = message


MAX_NAMED = 3


def union_refusal(secret_members: list[str]) -> str:
    """Why a selection of several values shows nothing: the members that cannot be published
    alone, named (each is secret when asked for alone: naming it says nothing more)."""
    named = secret_members[:MAX_NAMED]
    listed = ", ".join(f"« {name} »" for name in named)
    if len(secret_members) > MAX_NAMED:
        listed += f" et {len(secret_members) - MAX_NAMED} autre(s)"
    one = len(secret_members) == 1
    return ("Cette sélection réunit plusieurs valeurs, et une réunion n'est publiée que si chacune de ses "
            f"parties l'est : {listed} {'porte' if one else 'portent'} sur trop peu de personnes ou de "
            f"structures. Retirez-{'la' if one else 'les'} de la sélection, ou regardez les autres une à une.")


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
    _write_table(path, pd.DataFrame(table, index=pd.Index(range(1, table.shape[0] + 1), name="count")),
                 f"perturbation table: seed={config.table_seed} bound={config.noise_bound} "
                 f"sd={config.noise_sd} buckets={config.key_buckets}")


@cache
def perturbation_table(config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """The committed table (checked against a fresh build by the tests)."""
    committed = _committed(PTABLE_FILE, "count", config)
    return build_perturbation_table(config) if committed is None else committed.to_numpy(dtype=np.int8)


def build_magnitude_table(config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """Rows: the sums of MAGNITUDES; columns: key buckets. Each row holds the multipliers v
    (times MAGNITUDE_UNIT) of its sum's noise: their absolute values spread evenly over
    [magnitude_low, magnitude_high], each once with each sign (an exactly zero mean), shuffled
    with the seed, one shuffle per row (the noises of a cell's sums are not the same draw)."""
    half = config.key_buckets // 2
    spread = config.magnitude_low + (config.magnitude_high - config.magnitude_low) * (np.arange(half) + 0.5) / half
    steps = np.round(spread * MAGNITUDE_UNIT).astype(np.int16)
    row = np.concatenate([steps, -steps])
    rng = np.random.default_rng(config.magnitude_seed)
    return np.vstack([rng.permutation(row) for _ in MAGNITUDES]).astype(np.int16)


def write_magnitude_table(path: Path = MTABLE_FILE, config: SecrecyConfig = DEFAULT) -> None:
    _write_table(path, pd.DataFrame(build_magnitude_table(config), index=pd.Index(list(MAGNITUDES), name="sum")),
                 f"magnitude table: seed={config.magnitude_seed} low={config.magnitude_low} "
                 f"high={config.magnitude_high} buckets={config.key_buckets} unit={MAGNITUDE_UNIT}")


@cache
def magnitude_table(config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """The committed table (checked against a fresh build by the tests)."""
    committed = _committed(MTABLE_FILE, "sum", config)
    return build_magnitude_table(config) if committed is None else \
        committed.loc[list(MAGNITUDES)].to_numpy(dtype=np.int16)


def _write_table(path: Path, frame: pd.DataFrame, header: str) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(f"# {header}\n")
        frame.to_csv(handle)


def _committed(path: Path, index: str, config: SecrecyConfig) -> pd.DataFrame | None:
    """A noise table as committed in data/reference (the default parameters' only)."""
    if config != DEFAULT or not path.is_file():
        return None
    return pd.read_csv(path, comment="#", index_col=index)


def cell_key(key_sum: np.ndarray | float) -> np.ndarray:
    """frac(sum of rkey): uniform in [0, 1) and identical for identical sets of rows."""
    values = np.asarray(key_sum, dtype=float)
    return values - np.floor(values)


def key_bucket(key_sums: np.ndarray, config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """The column of the noise tables a cell reads: its cell key in `key_buckets` slots."""
    return np.minimum((cell_key(key_sums) * config.key_buckets).astype(np.int64), config.key_buckets - 1)


def perturb(counts: np.ndarray, key_sums: np.ndarray, config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """Published counts: true count + table noise; a true zero stays zero."""
    counts = np.asarray(counts, dtype=np.int64)
    table = perturbation_table(config)
    bucket = key_bucket(key_sums, config)
    row = np.clip(counts, 1, table.shape[0]) - 1
    noise = table[row, bucket].astype(np.int64)
    return np.where(counts > 0, np.maximum(counts + noise, 0), 0)


def perturb_sum(sums: np.ndarray, largest: np.ndarray, key_sums: np.ndarray, magnitude: str,
                config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """Perturbed sums: sum + v x largest contribution, v from the row of `magnitude` at the cell
    key of the population summed (the noise of the count is another table: the two are not
    the same draw). A sum is at least its largest contribution and |v| <= 1 (the default), so a
    perturbed sum of positive values is never negative; an empty cell's stays 0."""
    sums = np.asarray(sums, dtype=float)
    largest = np.nan_to_num(np.asarray(largest, dtype=float))
    multiplier = magnitude_table(config)[MAGNITUDES.index(magnitude), key_bucket(key_sums, config)] / MAGNITUDE_UNIT
    return np.where(sums != 0, np.maximum(sums + multiplier * largest, 0.0), 0.0)


# --- thresholds ---------------------------------------------------------------------------

def passes(rows: np.ndarray, employers: np.ndarray, top: np.ndarray, config: SecrecyConfig = DEFAULT) -> np.ndarray:
    """Frequency (persons and employers) and dominance rules, cell by cell."""
    rows = np.asarray(rows, dtype=float)
    employers = np.asarray(employers, dtype=float)
    top = np.asarray(top, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(rows > 0, top / np.where(rows > 0, rows, 1), 1.0)
    return (rows >= config.min_rows) & (employers >= config.min_employers) & (share <= config.dominance)


def zero_filled(values: np.ndarray) -> np.ndarray:
    """A query's column with its holes as true zeros (an absent count is 0)."""
    if values.dtype.kind == "f":
        return np.where(np.isnan(values), 0.0, values)
    if values.dtype.kind in "iub":
        return values
    return np.where(pd.isna(values), 0, values).astype(float)
