"""The attacker test: recover small groups (< 11 persons) by differencing published figures.

Each small group is a cell the rules keep secret, e.g. (region, occupation, sex = M) with 4
persons. The attacker reads figures that the builder does publish and subtracts:
  (a) sibling: the (region, occupation) total minus the other sex's cell;
  (b) partition: the (region, occupation) total minus the sum of the other age bands' cells.
With unperturbed counts both attacks recover every group (the test can fail); with the cell
key perturbation the share recovered exactly must stay below 20 %.
"""

from __future__ import annotations

import pandas as pd
import pytest

from observatory.filters import Filters
from observatory.secrecy import SecrecyConfig
from observatory.tables import TableBuilder

YEARS = tuple(range(2016, 2026))
MIN_GROUPS = 200
UNPERTURBED = SecrecyConfig(noise_bound=0)


def _published(builder: TableBuilder, dims: tuple[str, ...], year: int) -> pd.DataFrame:
    frame = builder.build("employees", dims, "effectif", Filters(year=year)).frame
    return frame[frame["status"] == "ok"].set_index(list(dims))["value"]


def _attack(builder: TableBuilder, truth: pd.DataFrame, split: str) -> tuple[int, int]:
    """(groups attacked, groups recovered exactly) over the small cells of `split`."""
    attacked = recovered = 0
    for year in YEARS:
        parents = _published(builder, ("region", "occupation"), year)
        children = _published(builder, ("region", "occupation", split), year)
        counts = truth[truth["year"] == year].groupby(["region", "occupation", split]).size()
        for (region, occupation, part), size in counts.items():
            if not 1 <= size <= 10 or (region, occupation) not in parents.index:
                continue
            siblings = [v for v in counts.loc[(region, occupation)].index if v != part]
            if not siblings or any((region, occupation, s) not in children.index for s in siblings):
                continue  # the attacker needs every other cell published
            estimate = parents[(region, occupation)] - sum(children[(region, occupation, s)] for s in siblings)
            attacked += 1
            recovered += int(estimate == size)
    return attacked, recovered


@pytest.fixture(scope="module")
def truth(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    employees = frames["employees"]
    bins = [-1, 24, 34, 44, 54, 200]
    labels = ["moins_25", "25_34", "35_44", "45_54", "55_plus"]
    return employees.assign(age_band=pd.cut(employees["age"].astype(int), bins=bins, labels=labels).astype(str))


@pytest.mark.parametrize("split", ["sex", "age_band"])
def test_differencing_recovers_few_small_groups(warehouse, truth, split, record_property) -> None:
    attacked, recovered = _attack(TableBuilder(warehouse), truth, split)
    plain_attacked, plain_recovered = _attack(TableBuilder(warehouse, UNPERTURBED), truth, split)
    share = recovered / attacked
    print(f"\nattaque par {split} : {attacked} groupes < 11, {recovered} retrouvés exactement ({share:.1%}) ; "
          f"sans perturbation : {plain_recovered}/{plain_attacked}")
    record_property(f"attack_{split}", {"attacked": attacked, "recovered": recovered,
                                        "unperturbed_recovered": plain_recovered})
    assert attacked >= MIN_GROUPS
    assert plain_attacked == attacked, "the same cells are published with or without noise"
    assert plain_recovered == plain_attacked, "without noise, differencing recovers every group"
    assert share < 0.20
