"""The attacker's tests: recover small secret cells (1 to 10 persons) and their mean pay from
the public outputs only, on the seeded demo, and measure how many come out.

* Averaging over unions: a filter accepts several values, so U(S + v) - U(S) estimates the cell
  of value v for as many sets S as one likes; averaging many such differences converges on the
  true count if each union carries a fresh noise (tests/attacker.py). Filters with few values
  (age bands, sizes) are crossed with the branches: U(A+a, B+b) - U(A+a, B) - U(A, B+b) + U(A, B).
* Complements: a total minus the other categories (the reference, one difference), and the
  estimates of several dimensions averaged.
* Pay: a mean of a union times its count minus the same for a sub-union gives the pay of the
  difference; averaged over unions, with the published counts or with the true ones (an
  insider who knows every headcount).

Bounds (issue 20, docs/methodologie-secret.md): the best averaging attack recovers no larger share exactly
than one single difference does; no mean pay of fewer than 11 persons is estimated within 5 %
by differencing unions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from observatory import reference
from observatory.secrecy import SecrecyConfig
from observatory.tables import TableBuilder
from tests import independent
from tests.attacker import (
    PayScore,
    Public,
    Score,
    averaged,
    cli_value,
    crossed_differences,
    first,
    subsets,
    union_differences,
)

YEAR = 2024
TARGETS = 24
PATHS = 30
SEED = 2026
UNPERTURBED = SecrecyConfig(noise_bound=0)
UNPAID = ("apprentissage", "contrat_pro")
CODES = {name: list(reference.code_lists()[name].labels) for name in
         ("branch", "region", "family", "occupation", "age_band", "employer_size")}


@pytest.fixture(scope="module")
def people(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    employees = independent.prepare(frames["employees"])
    return employees[employees["year"] == YEAR]


@pytest.fixture(scope="module")
def public(warehouse) -> Public:
    return Public(TableBuilder(warehouse))


def _small_cells(people: pd.DataFrame, columns: list[str], low: int = 1, high: int = 10,
                 count: int = TARGETS) -> list[tuple[tuple[str, ...], int]]:
    """A seeded sample of the cells of `columns` holding `low` to `high` persons."""
    sizes = people.groupby(columns, observed=True).size()
    cells = sorted((tuple(str(v) for v in key), int(n)) for key, n in sizes.items() if low <= n <= high)
    rng = np.random.default_rng(SEED)
    chosen = rng.choice(len(cells), size=min(count, len(cells)), replace=False)
    return [cells[i] for i in sorted(chosen)]


def _reader(public: Public, sex: str | None, measure: str = "effectif"):
    return lambda filters: public.value("employees", measure, YEAR, sex, **filters)


def _union_attack(public: Public, people: pd.DataFrame, attribute: str) -> tuple[Score, Score]:
    """(averaged over PATHS unions, one union difference) over small cells of (branch, region,
    attribute); for the region and the branch, the third column is the sex."""
    rng = np.random.default_rng(SEED)
    averaged_score, single_score = Score(), Score()
    third = "sex" if attribute in ("region", "branch") else attribute
    for (branch, region, value), size in _small_cells(people, ["branch", "region", third]):
        sex = value if third == "sex" else None
        key = {"branch": branch, "region": region, third: value}[attribute]
        if attribute in ("age_band", "employer_size"):
            paths = list(zip(subsets([b for b in CODES["branch"] if b != branch], PATHS, rng),
                             [subsets([v for v in CODES[attribute] if v != key], 1, rng)[0] for _ in range(PATHS)],
                             strict=False))
            estimates = crossed_differences(_reader(public, sex), {"region": (region,)}, ("branch", branch),
                                            (attribute, key), paths)
        else:
            base = {"branch": (branch,), "region": (region,)}
            base.pop(attribute, None)
            paths = subsets([v for v in CODES[attribute] if v != key], PATHS, rng)
            estimates = union_differences(_reader(public, sex), base, attribute, key, paths)
        averaged_score.add(averaged(estimates), size)
        single_score.add(first(estimates), size)
    return averaged_score, single_score


@pytest.fixture(scope="module")
def single_difference(public: Public, people: pd.DataFrame) -> Score:
    """The reference: one difference, the (branch, region) total minus the other sex's cell."""
    score = Score()
    for (branch, region, sex), size in _small_cells(people, ["branch", "region", "sex"], count=10_000):
        total = public.value("employees", "effectif", YEAR, None, branch=(branch,), region=(region,))
        other = public.value("employees", "effectif", YEAR, "M" if sex == "F" else "F", branch=(branch,),
                             region=(region,))
        score.add(None if total is None or other is None else total - other, size)
    print(f"\nune différence (total - autre sexe) : {score.line()}")
    return score


@pytest.mark.parametrize("attribute", ["region", "branch", "family", "occupation", "age_band", "employer_size"])
def test_averaging_over_unions_recovers_no_more_than_one_difference(public, people, single_difference, attribute,
                                                                    record_property) -> None:
    averaged_score, single_score = _union_attack(public, people, attribute)
    print(f"\nunions de {attribute}, moyenne de {PATHS} chemins : {averaged_score.line()}")
    print(f"unions de {attribute}, un chemin : {single_score.line()}")
    record_property(f"union_{attribute}", {"attacked": averaged_score.attacked, "averaged_exact": averaged_score.exact,
                                           "averaged_within_one": averaged_score.within_one,
                                           "single_exact": single_score.exact,
                                           "reference_share": single_difference.share_exact})
    assert averaged_score.attacked >= 20
    assert averaged_score.share_exact <= single_difference.share_exact


def test_the_union_attack_recovers_cells_it_is_allowed_to_read(warehouse, people) -> None:
    """The attack's arithmetic is right: without noise, the difference of two unions of cells
    that may be published (11 persons or more) gives a publishable cell exactly, every time."""
    public = Public(TableBuilder(warehouse, UNPERTURBED))
    sizes = people.groupby(["branch", "region", "sex"], observed=True).size()
    rng = np.random.default_rng(SEED)
    score = Score()
    for (branch, region, sex), size in _small_cells(people, ["branch", "region", "sex"], 40, 400, 10):
        large = [r for r in CODES["region"] if r != region and sizes.get((branch, r, sex), 0) >= 40]
        paths = subsets(large, 4, rng, largest=3)
        score.add(averaged(union_differences(_reader(public, sex), {"branch": (branch,)}, "region", region, paths)),
                  size)
    assert score.attacked == 10 and score.exact == score.attacked, score.line()


def test_complements_across_dimensions_recover_no_more_than_one_difference(public, people, single_difference,
                                                                           record_property) -> None:
    """Each small (branch, region, sex) cell from three complements: the sex within its
    (branch, region), the region within its (branch, sex), the branch within its (region, sex);
    the attacker weighs each by the inverse of its number of noisy terms."""
    score = Score()
    for (branch, region, sex), size in _small_cells(people, ["branch", "region", "sex"]):
        other = "M" if sex == "F" else "F"
        estimates: list[tuple[float, int]] = []
        total = public.value("employees", "effectif", YEAR, None, branch=(branch,), region=(region,))
        sibling = public.value("employees", "effectif", YEAR, other, branch=(branch,), region=(region,))
        if total is not None and sibling is not None:
            estimates.append((total - sibling, 2))
        for attribute, fixed in (("region", {"branch": (branch,)}), ("branch", {"region": (region,)})):
            whole = public.value("employees", "effectif", YEAR, sex, **fixed)
            parts = [public.value("employees", "effectif", YEAR, sex, **fixed, **{attribute: (code,)})
                     for code in CODES[attribute] if code != (region if attribute == "region" else branch)]
            if whole is not None and all(p is not None for p in parts):
                estimates.append((whole - sum(parts), 1 + len(parts)))  # type: ignore[arg-type]
        if estimates:
            weights = np.array([1 / terms for _, terms in estimates])
            score.add(float(np.dot(weights, [e for e, _ in estimates]) / weights.sum()), size)
        else:
            score.add(None, size)
    print(f"\ncompléments sur trois dimensions, pondérés : {score.line()}")
    record_property("complements", {"attacked": score.attacked, "exact": score.exact, "within_one": score.within_one})
    assert score.attacked >= 20
    assert score.share_exact <= single_difference.share_exact


def _paid_cells(people: pd.DataFrame, count: int = TARGETS) -> list[tuple[tuple[str, ...], int]]:
    """Small (branch, region, sex) cells where everyone is paid (no apprentice): their headcount
    is the population of their mean pay."""
    unpaid = people[people["contract"].isin(UNPAID)].groupby(["branch", "region", "sex"]).size()
    return [(cell, size) for cell, size in _small_cells(people, ["branch", "region", "sex"], count=10_000)
            if cell not in unpaid.index][:count]


def _mean_and_count(public: Public, branch: str, sex: str | None, regions: tuple[str, ...],
                    year: int = YEAR) -> tuple[float, float] | None:
    """The published mean pay and headcount of a selection (None unless both are published)."""
    mean = public.value("employees", "salaire_moyen", year, sex, branch=(branch,), region=regions)
    count = None if mean is None else public.value("employees", "effectif", year, sex, branch=(branch,),
                                                   region=regions)
    return None if mean is None or count is None else (mean, count)


def test_pay_differencing_over_unions_estimates_no_small_group(public, people, record_property) -> None:
    """mean(U) x n(U) - mean(S) x n(S) over PATHS unions of regions, then divided by the counts'
    difference: with the published counts, and with the true counts of an insider."""
    rng = np.random.default_rng(SEED)
    paid = people[~people["contract"].isin(UNPAID)]
    paid_counts = paid.groupby(["branch", "region", "sex"], observed=True).size()
    means = paid.groupby(["branch", "region", "sex"], observed=True)["gross_monthly_fte"].mean()
    scores = {"publiés": PayScore(), "vrais": PayScore()}
    for (branch, region, sex), _size in _paid_cells(people):
        truth = float(means[(branch, region, sex)])
        sums = {name: [0.0, 0.0] for name in scores}
        for others in subsets([r for r in CODES["region"] if r != region], PATHS, rng):
            unions = ((region, *others), others)
            union = _mean_and_count(public, branch, sex, unions[0])
            sub_union = None if union is None else _mean_and_count(public, branch, sex, unions[1])
            if union is None or sub_union is None:
                continue
            (mean_u, count_u), (mean_s, count_s) = union, sub_union
            true_u, true_s = (sum(int(paid_counts.get((branch, r, sex), 0)) for r in regions) for regions in unions)
            sums["publiés"][0] += mean_u * count_u - mean_s * count_s
            sums["publiés"][1] += count_u - count_s
            sums["vrais"][0] += mean_u * true_u - mean_s * true_s
            sums["vrais"][1] += true_u - true_s
        for name, (pay, count) in sums.items():
            scores[name].add(pay / count if count > 0 else None, truth)
    for name, score in scores.items():
        print(f"\nsalaire moyen par différence d'unions (effectifs {name}) : {score.line()}")
    record_property("pay_unions", {name: {"attacked": score.attacked, "within_5": score.within_5}
                                   for name, score in scores.items()})
    assert scores["publiés"].attacked >= 20
    assert scores["publiés"].within_5 == 0
    assert scores["vrais"].within_5 == 0


def test_the_cli_prints_what_the_attacker_reads(data_root, public, people) -> None:
    """The attacker's reads are the CLI's JSON, figure for figure (unions included)."""
    compared = 0
    for (branch, region, sex), _size in _small_cells(people, ["branch", "region", "sex"], count=4):
        others = tuple(r for r in CODES["region"] if r != region)[:2]
        for regions in ((region,), (region, *others), others):
            for measure in ("effectif", "salaire_moyen"):
                assert cli_value("employees", measure, YEAR, sex, branch=(branch,), region=regions) == \
                    public.value("employees", measure, YEAR, sex, branch=(branch,), region=regions)
                compared += 1
    assert compared == 24


def test_pay_complements_estimate_small_groups_no_better_than_a_guess(public, frames, record_property) -> None:
    """A small group's mean pay as the (branch, region) pay sum minus the other sex's, every
    year: with the published counts, with the true ones (an insider), against the guess that
    needs no difference (the published mean of the whole (branch, region))."""
    employees = frames["employees"]
    paid = employees[~employees["contract"].isin(UNPAID)]
    groups = paid.groupby(["year", "branch", "region", "sex"], observed=True)["gross_monthly_fte"]
    counts, means = groups.size(), groups.mean()
    persons = employees.groupby(["year", "branch", "region", "sex"], observed=True).size()
    scores = {"publiés": PayScore(), "vrais": PayScore(), "devinette": PayScore()}
    for (year, branch, region, sex), size in persons.items():
        if not 1 <= size <= 10 or counts.get((year, branch, region, sex), 0) != size:
            continue  # small groups where everyone is paid: their headcount is their pay's population
        truth = float(means[(year, branch, region, sex)])
        other = "M" if sex == "F" else "F"
        whole = _mean_and_count(public, branch, None, (region,), year)
        rest = None if whole is None else _mean_and_count(public, branch, other, (region,), year)
        if whole is None or rest is None:
            for score in scores.values():
                score.add(None, truth)
            continue
        (mean_all, count_all), (mean_rest, count_rest) = whole, rest
        true_all = int(counts.get((year, branch, region, "F"), 0) + counts.get((year, branch, region, "M"), 0))
        true_rest = int(counts.get((year, branch, region, other), 0))
        scores["publiés"].add((mean_all * count_all - mean_rest * count_rest) / (count_all - count_rest)
                              if count_all > count_rest else None, truth)
        scores["vrais"].add((mean_all * true_all - mean_rest * true_rest) / (true_all - true_rest), truth)
        scores["devinette"].add(mean_all, truth)
    for name, score in scores.items():
        print(f"\nsalaire moyen par complément ({name}) : {score.line()}")
    record_property("pay_complements", {name: {"attacked": score.attacked, "within_5": score.within_5}
                                        for name, score in scores.items()})
    assert scores["devinette"].estimated >= 100
    assert scores["publiés"].within_5 <= scores["devinette"].within_5
    assert scores["vrais"].within_5 <= scores["devinette"].within_5
