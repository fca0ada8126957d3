"""Calibrated synthetic microdata: employees, vacancies and training, 2016-2025.

The population is simulated as a panel: structures are drawn once, persons enter (hires),
age, and leave year after year, so turnover, seniority and pay drift are coherent over time.
Columns depend on each other as in the real sector (see `demo_profiles`): pay on occupation,
branch, region, age, sex and the year's SMIC; part-time and contracts on the branch; openings
on hires and tension; training on employer size, age and qualification. Everything is drawn
from one seeded generator, so a seed gives the same files byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from observatory import contracts, reference
from observatory import demo_profiles as P

Progress = Callable[[str, float], None]

EPOCH = dt.date(1970, 1, 1)
# Date at which the extraction is supposed to be taken: later fills are unknown (null).
EXTRACTION_DATE = dt.date(2026, 6, 30)


@dataclass(frozen=True)
class DemoData:
    employees: pa.Table
    vacancies: pa.Table
    training: pa.Table


@dataclass
class _Codes:
    """Integer-coded categories: arrays hold indices into these sorted code tuples."""

    branches: tuple[str, ...]
    regions: tuple[str, ...]
    occupations: tuple[str, ...]
    sizes: tuple[str, ...]
    contracts: tuple[str, ...]
    schemes: tuple[str, ...]
    certifications: tuple[str, ...]


@dataclass
class _Employers:
    branch: np.ndarray
    region: np.ndarray
    size: np.ndarray
    capacity: np.ndarray  # relative weight in hiring within the branch


@dataclass
class _People:
    """The persons present in one year (one element per person)."""

    person_id: np.ndarray
    employer: np.ndarray
    occupation: np.ndarray
    sex_female: np.ndarray
    age: np.ndarray
    contract: np.ndarray
    fte: np.ndarray
    pay_rank: np.ndarray  # persistent individual pay effect (standard normal)
    hired: np.ndarray
    contract_year: np.ndarray  # 1 in the year of hiring, then 2, 3...


def generate(scale: float = 1.0, seed: int = 20240601, progress: Progress | None = None) -> DemoData:
    """Generate the three datasets; `scale` 1 is about one million employees in 2024."""
    if not 0 < scale <= 4:
        raise ValueError("scale must be in (0, 4]")
    report = progress or (lambda _stage, _share: None)
    rng = np.random.default_rng(seed)
    codes = _codes()
    employers = _draw_employers(rng, codes, scale)
    report("Structures", 0.05)
    employee_parts, vacancy_parts, training_parts = [], [], []
    people: _People | None = None
    next_id = 1
    for index, year in enumerate(reference.YEARS):
        targets = _branch_targets(codes, scale, year)
        if people is None:
            people, next_id = _initial_population(rng, codes, employers, targets, year)
        else:
            people, next_id = _next_year(rng, codes, employers, people, targets, year, next_id)
        left = _draw_leavers(rng, codes, employers, people)
        employee_parts.append(_employee_rows(rng, codes, employers, people, left, year))
        vacancy_parts.append(_vacancy_rows(rng, codes, employers, people, year))
        training_parts.append(_training_rows(rng, codes, employers, people, year))
        people = _survivors(people, left)
        report(f"Année {year}", 0.05 + 0.75 * (index + 1) / len(reference.YEARS))
    employees = _to_table(employee_parts, _schema("employees"))
    report("Tables", 0.85)
    vacancies = _to_table(vacancy_parts, _schema("vacancies"))
    training = _to_table(training_parts, _schema("training"))
    report("Terminé", 0.9)
    return DemoData(employees, vacancies, training)


def record_keys(rng: np.random.Generator, n: int) -> np.ndarray:
    """Uniform record keys on a 2^-32 grid: any sum of up to 2^21 of them is exact in float64,
    so a cell's key does not depend on the order in which its rows are added."""
    return rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.float64) / 2.0**32


# --- structures and targets -------------------------------------------------------------

def _codes() -> _Codes:
    return _Codes(
        branches=contracts.code_values("branch"),
        regions=contracts.code_values("region"),
        occupations=contracts.code_values("occupation"),
        sizes=contracts.code_values("employer_size"),
        contracts=contracts.code_values("contract"),
        schemes=contracts.code_values("scheme"),
        certifications=contracts.code_values("certification"),
    )


def _branch_targets(codes: _Codes, scale: float, year: int) -> np.ndarray:
    ref = reference.branches().set_index("code")["headcount_ref"]
    return np.array([ref[b] * scale * P.YEAR_GROWTH[year] for b in codes.branches])


def _region_weights(codes: _Codes) -> dict[str, np.ndarray]:
    frame = reference.read_demo_region_weights()
    result = {}
    for family, group in frame.groupby("family"):
        weights = group.set_index("region")["weight"].reindex(codes.regions).fillna(0.0).to_numpy()
        result[str(family)] = weights / weights.sum()
    return result


def _draw_employers(rng: np.random.Generator, codes: _Codes, scale: float) -> _Employers:
    region_weights = _region_weights(codes)
    ref = reference.branches().set_index("code")["headcount_ref"]
    branch_parts, region_parts, size_parts, capacity_parts = [], [], [], []
    for b_index, branch in enumerate(codes.branches):
        mix = np.array(P.EMPLOYER_SIZE_MIX[branch])
        mean_size = float(mix @ np.array([P.SIZE_MEAN[s] for s in P.SIZE_CLASSES]))
        # Below scale 0.25 structures shrink instead of vanishing, so that small test samples
        # keep a realistic number of employers (and regional spread) per branch.
        count = max(8, round(ref[branch] * max(scale, 0.25) / mean_size))
        size = rng.choice(len(P.SIZE_CLASSES), size=count, p=mix / mix.sum())
        low = np.array([P.SIZE_BOUNDS[s][0] for s in P.SIZE_CLASSES])[size]
        high = np.array([P.SIZE_BOUNDS[s][1] for s in P.SIZE_CLASSES])[size]
        mean = np.array([P.SIZE_MEAN[s] for s in P.SIZE_CLASSES])[size]
        capacity = np.clip(mean * rng.lognormal(0.0, 0.45, count), low, high)
        family = P.BRANCH_REGION_FAMILY[branch]
        region = rng.choice(len(codes.regions), size=count, p=region_weights[family])
        branch_parts.append(np.full(count, b_index, dtype=np.int16))
        region_parts.append(region.astype(np.int16))
        size_parts.append(size.astype(np.int8))
        capacity_parts.append(capacity)
    return _Employers(
        branch=np.concatenate(branch_parts),
        region=np.concatenate(region_parts),
        size=np.concatenate(size_parts),
        capacity=np.concatenate(capacity_parts),
    )


# --- population dynamics ----------------------------------------------------------------

def _new_people(
    rng: np.random.Generator,
    codes: _Codes,
    employers: _Employers,
    counts: np.ndarray,
    year: int,
    first_id: int,
    for_stock: bool,
) -> _People:
    """Draw `counts[b]` new persons in each branch b (stock of 2016, or hires)."""
    parts: dict[str, list[np.ndarray]] = {k: [] for k in _People.__dataclass_fields__}
    for b_index, branch in enumerate(codes.branches):
        n = int(counts[b_index])
        if n <= 0:
            continue
        in_branch = np.flatnonzero(employers.branch == b_index)
        weights = employers.capacity[in_branch]
        employer = in_branch[rng.choice(len(in_branch), size=n, p=weights / weights.sum())]
        occupation = _draw_occupation(rng, codes, branch, n)
        contract = _draw_contract(rng, codes, branch, n, year, for_stock)
        age = _draw_age(rng, codes, branch, contract, n, for_stock)
        parts["employer"].append(employer.astype(np.int32))
        parts["occupation"].append(occupation)
        parts["sex_female"].append(_draw_sex(rng, codes, branch, occupation))
        parts["age"].append(age)
        parts["contract"].append(contract)
        parts["fte"].append(_draw_fte(rng, codes, branch, contract, n))
        parts["pay_rank"].append(rng.standard_normal(n).astype(np.float32))
        if for_stock:
            # The stock of the first year includes its own hires (turnover of a steady year).
            alternance = np.isin(contract, [codes.contracts.index("apprentissage"),
                                            codes.contracts.index("contrat_pro")])
            hired_share = np.where(alternance, 0.55, min(0.6, 1.3 * _hire_rate(branch)))
            parts["hired"].append(rng.random(n) < hired_share)
            parts["contract_year"].append(np.where(rng.random(n) < 0.5, 1, 2).astype(np.int8))
        else:
            parts["hired"].append(np.ones(n, dtype=bool))
            parts["contract_year"].append(np.ones(n, dtype=np.int8))
    total = int(sum(len(a) for a in parts["employer"]))
    parts["person_id"] = [np.arange(first_id, first_id + total, dtype=np.int64)]
    return _People(**{k: np.concatenate(v) if v else np.array([]) for k, v in parts.items()})


def _hire_rate(branch: str) -> float:
    mix = np.array(P.CONTRACT_MIX[branch])
    rates = np.array([P.LEAVE_RATE[c] for c in P.CONTRACT_CODES])
    return float(mix @ rates) * P.BRANCH_MOBILITY[branch]


def _draw_occupation(rng: np.random.Generator, codes: _Codes, branch: str, n: int) -> np.ndarray:
    mix = P.OCCUPATION_MIX[branch]
    index = np.array([codes.occupations.index(o) for o in mix])
    weights = np.array(list(mix.values()), dtype=float)
    return index[rng.choice(len(index), size=n, p=weights / weights.sum())].astype(np.int16)


def _draw_sex(rng: np.random.Generator, codes: _Codes, branch: str, occupation: np.ndarray) -> np.ndarray:
    """Women with a probability that hits the branch target on average (logit calibration)."""
    propensity = np.array([P.OCCUPATION_MALE_PROPENSITY[o] for o in codes.occupations])[occupation]
    target = P.WOMEN_SHARE[branch]
    low, high = -10.0, 10.0
    for _ in range(40):
        shift = (low + high) / 2
        p_female = 1 / (1 + propensity * np.exp(-shift))
        if p_female.mean() < target:
            low = shift
        else:
            high = shift
    return rng.random(len(occupation)) < p_female


def _contract_probabilities(codes: _Codes, branch: str, year: int, for_stock: bool) -> np.ndarray:
    mix = dict(zip(P.CONTRACT_CODES, P.CONTRACT_MIX[branch], strict=True))
    mix["apprentissage"] *= P.APPRENTICE_GROWTH[year]
    if not for_stock:  # hires: the stock mix weighted by each contract's turnover
        mix = {c: share * P.LEAVE_RATE[c] for c, share in mix.items()}
    probs = np.array([mix[c] for c in codes.contracts])
    return probs / probs.sum()


def _draw_contract(
    rng: np.random.Generator, codes: _Codes, branch: str, n: int, year: int, for_stock: bool
) -> np.ndarray:
    probs = _contract_probabilities(codes, branch, year, for_stock)
    return rng.choice(len(codes.contracts), size=n, p=probs).astype(np.int8)


def _draw_age(
    rng: np.random.Generator, codes: _Codes, branch: str, contract: np.ndarray, n: int, for_stock: bool
) -> np.ndarray:
    mean = P.MEAN_AGE[branch] - (0.0 if for_stock else 9.0)
    age = rng.normal(mean, 11.0, n)
    apprentice = contract == codes.contracts.index("apprentissage")
    pro = contract == codes.contracts.index("contrat_pro")
    age = np.where(apprentice, rng.gamma(4.0, 1.3, n) + 16, age)
    age = np.where(pro, rng.gamma(3.0, 2.5, n) + 18, age)
    return np.clip(np.round(age), 16, 66).astype(np.int8)


def _draw_fte(
    rng: np.random.Generator, codes: _Codes, branch: str, contract: np.ndarray, n: int
) -> np.ndarray:
    part_time = rng.random(n) < P.PART_TIME_SHARE[branch]
    alternance = np.isin(contract, [codes.contracts.index("apprentissage"),
                                    codes.contracts.index("contrat_pro")])
    part_time &= ~alternance
    share = np.round(0.2 + 0.75 * rng.beta(4.0, 2.2, n), 2)
    return np.where(part_time, np.minimum(share, 0.95), 1.0).astype(np.float32)


def _initial_population(
    rng: np.random.Generator, codes: _Codes, employers: _Employers, targets: np.ndarray, year: int
) -> tuple[_People, int]:
    counts = np.round(targets).astype(int)
    people = _new_people(rng, codes, employers, counts, year, 1, for_stock=True)
    return people, int(people.person_id.max()) + 1


def _draw_leavers(
    rng: np.random.Generator, codes: _Codes, employers: _Employers, people: _People
) -> np.ndarray:
    """Who leaves during the year: contract turnover, branch mobility and retirement."""
    base = np.array([P.LEAVE_RATE[c] for c in codes.contracts])[people.contract]
    mobility = np.array([P.BRANCH_MOBILITY[b] for b in codes.branches])[employers.branch[people.employer]]
    rate = base * mobility
    rate = np.where(people.age >= 60, rate + 0.22, rate)
    rate = np.where(people.age >= 63, rate + 0.45, rate)
    apprentice_done = (people.contract == codes.contracts.index("apprentissage")) & (people.contract_year >= 2)
    rate = np.where(apprentice_done, 0.85, rate)
    return rng.random(len(rate)) < np.clip(rate, 0.0, 0.97)


def _survivors(people: _People, left: np.ndarray) -> _People:
    keep = ~left
    return _People(**{k: getattr(people, k)[keep] for k in _People.__dataclass_fields__})


def _next_year(
    rng: np.random.Generator,
    codes: _Codes,
    employers: _Employers,
    survivors: _People,
    targets: np.ndarray,
    year: int,
    next_id: int,
) -> tuple[_People, int]:
    survivors.age = np.minimum(survivors.age + 1, 70).astype(np.int8)
    survivors.hired = np.zeros(len(survivors.age), dtype=bool)
    survivors.contract_year = np.minimum(survivors.contract_year + 1, 9).astype(np.int8)
    # A third of surviving fixed-term staff are kept on a CDI; finished apprentices too.
    cdd = survivors.contract == codes.contracts.index("cdd")
    apprentice = (survivors.contract == codes.contracts.index("apprentissage")) & (survivors.contract_year > 2)
    converted = (cdd & (rng.random(len(cdd)) < 0.33)) | apprentice
    survivors.contract = np.where(converted, codes.contracts.index("cdi"), survivors.contract).astype(np.int8)
    present = np.bincount(employers.branch[survivors.employer], minlength=len(codes.branches))
    hires = np.maximum(np.round(targets - present), 0).astype(int)
    newcomers = _new_people(rng, codes, employers, hires, year, next_id, for_stock=False)
    merged = _People(**{
        k: np.concatenate([getattr(survivors, k), getattr(newcomers, k)])
        for k in _People.__dataclass_fields__
    })
    return merged, next_id + len(newcomers.person_id)


# --- pay --------------------------------------------------------------------------------

def _pay(
    rng: np.random.Generator, codes: _Codes, employers: _Employers, people: _People, year: int
) -> np.ndarray:
    """Gross monthly pay in full-time equivalent, euros, never below the SMIC except alternance."""
    smic = reference.smic_annual()[year]
    families = reference.family_of_occupation()
    occ_codes = np.array(codes.occupations)
    branch = employers.branch[people.employer]
    region = employers.region[people.employer]
    ratio = np.array([P.OCCUPATION_PAY_RATIO[o] for o in codes.occupations])[people.occupation]
    ratio = ratio * np.array([P.BRANCH_PAY_FACTOR[b] for b in codes.branches])[branch]
    ratio = ratio * np.array([P.REGION_PAY_FACTOR.get(r, 0.99) for r in codes.regions])[region]
    ratio = ratio * (1 + 0.0065 * np.clip(people.age.astype(float) - 22, 0, 32))
    ratio = ratio * np.where(people.sex_female, 1.0, 1.055)
    ratio = ratio * P.PAY_DRIFT[year]
    bad = branch == codes.branches.index("aide_domicile")
    ratio = ratio * np.where(bad, P.AVENANT_43.get(year, 1.0), 1.0)
    segur = np.isin(occ_codes[people.occupation], [o for o, f in families.items() if f in P.SEGUR_FAMILIES])
    ratio = ratio * np.where(segur, P.SEGUR.get(year, 1.0), 1.0)
    dispersion = np.where(np.isin(occ_codes[people.occupation], list(P.PAY_DISPERSION_HIGH)), 0.2, 0.11)
    noise = np.exp(dispersion * (0.8 * people.pay_rank + 0.6 * rng.standard_normal(len(ratio))))
    pay = np.maximum(smic * ratio * noise, smic)
    pay = np.where(people.contract == codes.contracts.index("apprentissage"),
                   smic * _apprentice_share(people), pay)
    pay = np.where(people.contract == codes.contracts.index("contrat_pro"),
                   smic * _contrat_pro_share(people), pay)
    return np.round(pay, 2)


def _apprentice_share(people: _People) -> np.ndarray:
    share = np.ones(len(people.age))
    for limit, first, second in reversed(P.APPRENTICE_PAY):
        share = np.where(people.age < limit, np.where(people.contract_year <= 1, first, second), share)
    return share


def _contrat_pro_share(people: _People) -> np.ndarray:
    share = np.ones(len(people.age))
    for limit, value in reversed(P.CONTRAT_PRO_PAY):
        share = np.where(people.age < limit, value, share)
    return share


# --- rows -------------------------------------------------------------------------------

def _employee_rows(
    rng: np.random.Generator,
    codes: _Codes,
    employers: _Employers,
    people: _People,
    left: np.ndarray,
    year: int,
) -> dict[str, np.ndarray]:
    n = len(people.person_id)
    return {
        "year": np.full(n, year, dtype=np.int16),
        "person_id": people.person_id,
        "employer_id": people.employer.astype(np.int32) + 1,
        "branch": employers.branch[people.employer],
        "region": employers.region[people.employer],
        "occupation": people.occupation,
        "sex": np.where(people.sex_female, 0, 1).astype(np.int8),
        "age": people.age,
        "contract": people.contract,
        "fte": people.fte,
        "gross_monthly_fte": _pay(rng, codes, employers, people, year),
        "hired": people.hired,
        "left": left,
        "employer_size": employers.size[people.employer],
        "rkey": record_keys(rng, n),
    }


def _month_weights(occupation: str) -> np.ndarray:
    """Posting month profile: seasonal occupations peak before summer and at the rentrée."""
    flat = np.array([1.15, 1.0, 1.05, 1.0, 0.95, 0.95, 0.75, 0.6, 1.35, 1.1, 1.0, 0.7])
    seasonal_share = P.SEASONAL_2024.get(occupation, 0.12)
    peak = np.array([0.4, 0.6, 1.3, 2.2, 2.4, 1.9, 0.8, 0.3, 1.2, 0.6, 0.3, 0.2])
    weights = (1 - seasonal_share) * flat / flat.sum() + seasonal_share * peak / peak.sum()
    return weights / weights.sum()


def _vacancy_rows(
    rng: np.random.Generator, codes: _Codes, employers: _Employers, people: _People, year: int
) -> dict[str, np.ndarray]:
    hires = np.flatnonzero(people.hired)
    n = round(len(hires) * P.OPENINGS_PER_HIRE[year])
    # Openings mirror the hires (structure, occupation, contract, fte), plus those never filled.
    source = hires[rng.integers(0, len(hires), n)] if len(hires) else np.zeros(0, dtype=int)
    employer = people.employer[source]
    occupation = people.occupation[source]
    month = np.zeros(n, dtype=np.int64)
    for o_index, occ in enumerate(codes.occupations):
        mask = occupation == o_index
        if mask.any():
            month[mask] = rng.choice(12, size=int(mask.sum()), p=_month_weights(occ))
    month_start = np.array([(dt.date(year, m + 1, 1) - EPOCH).days for m in range(12)])
    month_days = np.array([_days_in_month(year, m + 1) for m in range(12)])
    posted = month_start[month] + (rng.random(n) * month_days[month]).astype(np.int64)
    base = np.array([P.DIFFICULTY_2024[o] for o in codes.occupations])[occupation]
    logit = np.log(base / (1 - base)) + P.DIFFICULTY_SHIFT[year]
    difficult = rng.random(n) < 1 / (1 + np.exp(-logit))
    delay = P.FILL_DELAY_MEDIAN[year] * np.where(difficult, 1.9, 0.75) * rng.lognormal(0.0, 0.75, n)
    withdrawn = rng.random(n) < np.where(difficult, 0.13, 0.05)
    filled = posted + np.ceil(delay).astype(np.int64)
    unknown = filled > (EXTRACTION_DATE - EPOCH).days
    return {
        "year": np.full(n, year, dtype=np.int16),
        "employer_id": employer.astype(np.int32) + 1,
        "branch": employers.branch[employer],
        "region": employers.region[employer],
        "occupation": occupation,
        "contract": people.contract[source],
        "fte": people.fte[source],
        "posted_on": posted.astype(np.int32),
        "filled_on": np.where(withdrawn | unknown, -1, filled).astype(np.int32),
        "withdrawn_unfilled": withdrawn,
        "difficult": difficult,
        "rkey": record_keys(rng, n),
    }


def _days_in_month(year: int, month: int) -> int:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (following - dt.date(year, month, 1)).days


def _training_rows(
    rng: np.random.Generator, codes: _Codes, employers: _Employers, people: _People, year: int
) -> dict[str, np.ndarray]:
    """Actions started in the year: alternance entries, plan access with its inequalities, and
    the individual schemes (CPF, VAE, PTP, CEP, Pro-A) from the year each one exists."""
    n = len(people.person_id)
    size = employers.size[people.employer]
    occ_codes = np.array(codes.occupations)[people.occupation]
    access = P.PLAN_ACCESS_BASE * P.PLAN_YEAR_FACTOR[year]
    access = access * np.array([P.ACCESS_SIZE_FACTOR[s] for s in P.SIZE_CLASSES])[size]
    age_factor = np.ones(n)
    for limit, factor in reversed(P.ACCESS_AGE_FACTOR):
        age_factor = np.where(people.age < limit, factor, age_factor)
    access = access * age_factor
    access = access * np.where(np.isin(occ_codes, list(P.LOW_QUALIFIED)), 0.75, 1.0)
    access = access * np.where(np.isin(occ_codes, list(P.HIGH_QUALIFIED)), 1.25, 1.0)
    selections: list[tuple[np.ndarray, str]] = []
    for contract in ("apprentissage", "contrat_pro"):
        entered = people.hired & (people.contract == codes.contracts.index(contract))
        selections.append((np.flatnonzero(entered), contract))
    selections.append((np.flatnonzero(rng.random(n) < access), "plan"))
    for scheme, rates in P.SCHEME_RATE.items():
        rate = rates.get(year, 0.0)
        if rate > 0:
            chance = rate * (0.5 + age_factor / 2) * np.where(size == 0, 0.7, 1.0)
            selections.append((np.flatnonzero(rng.random(n) < chance), scheme))
    persons = np.concatenate([s for s, _ in selections])
    scheme = np.concatenate([np.full(len(s), codes.schemes.index(name), dtype=np.int8)
                             for s, name in selections])
    m = len(persons)
    hours_median = np.array([P.SCHEME_HOURS[s] for s in codes.schemes])[scheme]
    hours = np.round(hours_median * rng.lognormal(0.0, 0.45, m), 1)
    cost = np.round(hours * np.array([P.SCHEME_COST_PER_HOUR[s] for s in codes.schemes])[scheme]
                    * rng.lognormal(0.0, 0.2, m), 2)
    certification = _draw_certification(rng, codes, people.occupation[persons], scheme)
    completed = rng.random(m) < np.where(scheme == codes.schemes.index("apprentissage"), 0.8, 0.93)
    return {
        "year": np.full(m, year, dtype=np.int16),
        "person_id": people.person_id[persons],
        "employer_id": people.employer[persons].astype(np.int32) + 1,
        "branch": employers.branch[people.employer[persons]],
        "region": employers.region[people.employer[persons]],
        "occupation": people.occupation[persons],
        "sex": np.where(people.sex_female[persons], 0, 1).astype(np.int8),
        "age": people.age[persons],
        "employer_size": size[persons],
        "scheme": scheme,
        "certification": certification,
        "hours": hours,
        "cost_eur": cost,
        "completed": completed,
        "rkey": record_keys(rng, m),
    }


def _draw_certification(
    rng: np.random.Generator, codes: _Codes, occupation: np.ndarray, scheme: np.ndarray
) -> np.ndarray:
    """Index into codes.certifications, or -1 (null) for actions that certify nothing."""
    certifying = np.isin(scheme, [codes.schemes.index(s) for s in
                                  ("apprentissage", "contrat_pro", "pro_a", "vae", "ptp")])
    certifying |= (scheme == codes.schemes.index("cpf")) & (rng.random(len(scheme)) < 0.45)
    result = np.full(len(scheme), -1, dtype=np.int16)
    for o_index, occ in enumerate(codes.occupations):
        options = [codes.certifications.index(c) for c in P.CERTIFICATIONS_BY_OCCUPATION.get(occ, ())
                   if c in codes.certifications]
        mask = certifying & (occupation == o_index)
        if options and mask.any():
            result[mask] = np.array(options)[rng.integers(0, len(options), int(mask.sum()))]
    return result


# --- Arrow tables -----------------------------------------------------------------------

def _schema(dataset: str) -> dict[str, tuple[str, tuple[str, ...] | None]]:
    """Storage of each column from the dataset's contract; code arrays index its code list."""
    columns = {column.name: (column.storage, column.allowed_codes() if column.kind == "code" else None)
               for column in contracts.CONTRACTS[dataset].columns}
    return {**columns, contracts.RKEY: ("float64", None)}


def _to_table(parts: list[dict[str, np.ndarray]], schema: dict[str, tuple[str, tuple[str, ...] | None]]) -> pa.Table:
    """Concatenate yearly parts into one Arrow table sorted by the common filters (codes are
    sorted, so integer order is string order); codes become dictionary-encoded strings."""
    merged = {name: np.concatenate([part[name] for part in parts]) for name in schema}
    order = np.lexsort(tuple(merged[key] for key in reversed(contracts.SORT_KEYS)))
    columns = {}
    for name, (kind, values) in schema.items():
        data = merged[name][order]
        if kind == "code":
            assert values is not None
            indices = pa.array(data.astype(np.int16), mask=data < 0)
            columns[name] = pa.DictionaryArray.from_arrays(indices, pa.array(values, pa.string()))
        elif kind == "date":
            columns[name] = pa.array(data, pa.int32(), mask=data < 0).cast(pa.date32())
        else:
            columns[name] = pa.array(data, pa.bool_() if kind == "bool" else getattr(pa, kind)())
    return pa.table(columns)
