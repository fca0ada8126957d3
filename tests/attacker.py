"""An attacker who reads only the public outputs, never the microdata: the protected tables
of the table builder (what the CLI's `table --format json`, the pages' tiles and cards print),
or the CLI itself run in this process.

Each attack estimates a small secret cell (1 to 10 persons) or its mean pay from published
figures; the tests score the estimates against the seeded demo's true values, which the
attacker never sees.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from observatory import secrecy
from observatory.__main__ import main as cli
from observatory.filters import Filters
from observatory.tables import TableBuilder

# CLI flag of each filter the attacker combines.
FLAGS = {"branch": "--branch", "region": "--region", "occupation": "--occupation", "family": "--family",
         "age_band": "--age-band", "employer_size": "--employer-size"}

# Filters attribute of each filter the attacker combines.
ATTRIBUTES = {"branch": "branches", "region": "regions", "occupation": "occupations", "family": "families",
              "age_band": "age_bands", "employer_size": "employer_sizes"}


class Public:
    """The published total of a selection, as the builder gives it to every output (value if its
    status is ok, None if secret or if the population is refused)."""

    def __init__(self, builder: TableBuilder) -> None:
        self.builder = builder
        self.reads = 0

    def value(self, dataset: str, measure: str, year: int, sex: str | None = None,
              **filters: Sequence[str]) -> float | None:
        selection = Filters(year=year, sex=sex, **{ATTRIBUTES[k]: tuple(v) for k, v in filters.items()})
        self.reads += 1
        try:
            row = self.builder.build(dataset, (), measure, selection).frame.iloc[0]
        except secrecy.PopulationTooSmall:
            return None
        return float(row["value"]) if row["status"] == secrecy.OK else None


def cli_value(dataset: str, measure: str, year: int, sex: str | None = None,
              **filters: Sequence[str]) -> float | None:
    """The same total read from the CLI's JSON (`python -m observatory table ... --format json`)."""
    args = ["table", dataset, "--measure", measure, "--year", str(year), "--format", "json"]
    if sex:
        args += ["--sex", sex]
    for name, values in filters.items():
        for value in values:
            args += [FLAGS[name], value]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(args)
    if code != 0:
        return None  # refused: the population is too small
    row = json.loads(out.getvalue())["rows"][0]
    return None if row["status"] != "ok" else float(row["value"])


@dataclass
class Score:
    attacked: int = 0
    estimated: int = 0  # targets for which the published figures gave an estimate at all
    exact: int = 0
    within_one: int = 0

    def add(self, estimate: float | None, truth: float) -> None:
        self.attacked += 1
        if estimate is None:
            return
        self.estimated += 1
        self.exact += int(round(estimate) == truth)
        self.within_one += int(abs(round(estimate) - truth) <= 1)

    @property
    def share_exact(self) -> float:
        return self.exact / self.attacked if self.attacked else 0.0

    def line(self) -> str:
        return (f"{self.attacked} attaquées, {self.estimated} estimées, {self.exact} exactes "
                f"({self.share_exact:.1%}), {self.within_one} à une unité près")


@dataclass
class PayScore:
    attacked: int = 0
    estimated: int = 0
    within_5: int = 0

    def add(self, estimate: float | None, truth: float) -> None:
        self.attacked += 1
        if estimate is None or not math.isfinite(estimate):
            return
        self.estimated += 1
        self.within_5 += int(abs(estimate - truth) <= 0.05 * truth)

    @property
    def share_within_5(self) -> float:
        return self.within_5 / self.attacked if self.attacked else 0.0

    def line(self) -> str:
        return (f"{self.attacked} attaqués, {self.estimated} estimés, {self.within_5} à 5 % près "
                f"({self.share_within_5:.1%})")


def subsets(others: Sequence[str], count: int, rng: np.random.Generator, largest: int = 6) -> list[tuple[str, ...]]:
    """Up to `count` distinct non-empty subsets of `others` (sizes 1 to `largest`)."""
    chosen: list[tuple[str, ...]] = []
    seen: set[tuple[str, ...]] = set()
    for _ in range(count * 20):
        if len(chosen) == count:
            break
        size = int(rng.integers(1, min(largest, len(others)) + 1))
        subset = tuple(sorted(rng.choice(list(others), size=size, replace=False).tolist()))
        if subset not in seen:
            seen.add(subset)
            chosen.append(subset)
    return chosen


Reader = Callable[[dict[str, tuple[str, ...]]], float | None]


def union_differences(read: Reader, base: dict[str, tuple[str, ...]], attribute: str, value: str,
                      paths: Sequence[tuple[str, ...]]) -> list[float]:
    """U(S + value) - U(S) for each set S of other values of `attribute`: the target cell plus
    whatever noise the two unions carry (fresh per union if each union is a cell of its own)."""
    estimates = []
    for others in paths:
        terms = read_all(read, [{**base, attribute: (value, *others)}, {**base, attribute: others}])
        if terms is not None:
            estimates.append(terms[0] - terms[1])
    return estimates


def read_all(read: Reader, selections: list[dict[str, tuple[str, ...]]]) -> list[float] | None:
    """Every figure of a path, or None as soon as one is not published (the path is lost)."""
    values = []
    for selection in selections:
        value = read(selection)
        if value is None:
            return None
        values.append(value)
    return values


def crossed_differences(read: Reader, base: dict[str, tuple[str, ...]], first: tuple[str, str],
                        second: tuple[str, str], paths: Sequence[tuple[tuple[str, ...], tuple[str, ...]]]
                        ) -> list[float]:
    """Inclusion-exclusion over two filters (for those with few values: age bands, sizes):
    U(A+a, B+b) - U(A+a, B) - U(A, B+b) + U(A, B) is the cell (a, b)."""
    (name_a, a), (name_b, b) = first, second
    estimates = []
    for others_a, others_b in paths:
        terms = read_all(read, [{**base, name_a: (a, *others_a), name_b: (b, *others_b)},
                                 {**base, name_a: (a, *others_a), name_b: others_b},
                                 {**base, name_a: others_a, name_b: (b, *others_b)},
                                 {**base, name_a: others_a, name_b: others_b}])
        if terms is not None:
            estimates.append(terms[0] - terms[1] - terms[2] + terms[3])
    return estimates


def averaged(estimates: Sequence[float]) -> float | None:
    return float(np.mean(estimates)) if estimates else None


def first(estimates: Sequence[float]) -> float | None:
    return float(estimates[0]) if estimates else None
