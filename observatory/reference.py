"""Code lists and reference series read from the committed CSVs in `data/reference/`.

Everything that names a code (branch, region, occupation...) or a legal amount (SMIC, CPI)
comes from here, so validation, labels and the demo generator agree on one list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

YEARS: tuple[int, ...] = tuple(range(2016, 2026))
SEXES: dict[str, str] = {"F": "Femmes", "M": "Hommes"}
AGE_BANDS: dict[str, str] = {
    "moins_25": "Moins de 25 ans",
    "25_34": "25 à 34 ans",
    "35_44": "35 à 44 ans",
    "45_54": "45 à 54 ans",
    "55_plus": "55 ans ou plus",
}
# Five-year bands of the age pyramid (SQL macro age5_of in queries/build/build_reference.sql).
AGE5_BANDS: dict[str, str] = {
    "moins_20": "Moins de 20 ans",
    **{f"{low}_{low + 4}": f"{low} à {low + 4} ans" for low in range(20, 65, 5)},
    "65_plus": "65 ans ou plus",
}
# Lower bound of each age band, in the order above (used by SQL and by pandas checks alike).
EMPLOYER_SIZES: dict[str, str] = {
    "1-9": "1 à 9 salariés",
    "10-49": "10 à 49 salariés",
    "50-249": "50 à 249 salariés",
    "250+": "250 salariés ou plus",
}
CONTRACTS: dict[str, str] = {
    "cdi": "CDI",
    "cdd": "CDD",
    "apprentissage": "Apprentissage",
    "contrat_pro": "Contrat de professionnalisation",
    "insertion": "Contrat d'insertion (CDDI, PEC)",
}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False)


@cache
def branches() -> pd.DataFrame:
    frame = _read("branches.csv")
    frame["headcount_ref"] = frame["headcount_ref"].astype(int)
    return frame


@cache
def regions() -> pd.DataFrame:
    frame = _read("regions.csv")
    frame["drom"] = frame["drom"].str.lower().eq("true")
    return frame


@cache
def occupations() -> pd.DataFrame:
    return _read("occupations.csv")


@cache
def occupation_families() -> pd.DataFrame:
    return _read("occupation_families.csv")


@cache
def schemes() -> pd.DataFrame:
    frame = _read("schemes.csv")
    frame["available_from"] = frame["available_from"].astype(int)
    return frame


@cache
def certifications() -> pd.DataFrame:
    return _read("certifications.csv")


@cache
def read_demo_region_weights() -> pd.DataFrame:
    """Regional spread of employment by occupation family (census 2017), for the demo data."""
    frame = _read("demo_region_weights.csv")
    frame["weight"] = frame["weight"].astype(float)
    return frame


@cache
def smic_revaluations() -> pd.DataFrame:
    frame = _read("smic.csv")
    frame["effective_date"] = pd.to_datetime(frame["effective_date"]).dt.date
    frame["monthly_gross_35h"] = frame["monthly_gross_35h"].astype(float)
    frame["hourly_gross"] = frame["hourly_gross"].astype(float)
    return frame.sort_values("effective_date").reset_index(drop=True)


@cache
def cpi() -> dict[int, float]:
    frame = _read("cpi.csv")
    return {int(y): float(v) for y, v in zip(frame["year"], frame["cpi_2015_100"], strict=True)}


def smic_monthly_on(day: dt.date) -> float:
    """Gross monthly SMIC (35 h) in force on `day`."""
    table = smic_revaluations()
    in_force = table[table["effective_date"] <= day]
    if in_force.empty:
        raise ValueError(f"no SMIC known before {day}")
    return float(in_force["monthly_gross_35h"].iloc[-1])


@cache
def smic_annual() -> dict[int, float]:
    """Gross monthly SMIC of each year, averaged over the days each rate was in force.

    Years with several revaluations (2021, 2022, 2023, 2024) get the time-weighted mean, the
    fairest yardstick for annual pay expressed per month.
    """
    result: dict[int, float] = {}
    for year in YEARS:
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        days = (end - start).days
        total = 0.0
        for offset in range(days):
            total += smic_monthly_on(start + dt.timedelta(days=offset))
        result[year] = round(total / days, 2)
    return result


@dataclass(frozen=True)
class CodeList:
    """Allowed codes and their French labels for one dimension."""

    name: str
    labels: dict[str, str]

    def label(self, code: str) -> str:
        return self.labels.get(code, code)

    def __contains__(self, code: object) -> bool:
        return code in self.labels


@cache
def code_lists() -> dict[str, CodeList]:
    """Every dimension that can be filtered or grouped, with its allowed codes."""
    occ = occupations()
    return {
        "year": CodeList("year", {str(y): str(y) for y in YEARS}),
        "branch": CodeList("branch", dict(zip(branches()["code"], branches()["short_label"], strict=True))),
        "region": CodeList("region", dict(zip(regions()["code"], regions()["label"], strict=True))),
        "occupation": CodeList("occupation", dict(zip(occ["code"], occ["short_label"], strict=True))),
        "family": CodeList(
            "family",
            dict(zip(occupation_families()["code"], occupation_families()["label"], strict=True)),
        ),
        "sex": CodeList("sex", SEXES),
        "age_band": CodeList("age_band", AGE_BANDS),
        "age5": CodeList("age5", AGE5_BANDS),
        "employer_size": CodeList("employer_size", EMPLOYER_SIZES),
        "contract": CodeList("contract", CONTRACTS),
        "scheme": CodeList("scheme", dict(zip(schemes()["code"], schemes()["short_label"], strict=True))),
    }


def family_of_occupation() -> dict[str, str]:
    occ = occupations()
    return dict(zip(occ["code"], occ["family"], strict=True))
