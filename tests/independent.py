"""An independent pandas implementation of every measure and of the publication rules.

Written from ../shared/DESIGN.md (outside the repository) sections 5 and 6 without calling the
library's query or secrecy code, so that the table builder can be checked value by value against
it. Only the reference tables (codes, SMIC) and the committed perturbation and magnitude tables are shared, as inputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory import reference

PTABLE = pd.read_csv(reference.REFERENCE_DIR / "perturbation_table.csv", comment="#", index_col="count").to_numpy()
# v of each sum's noise (times 1024 in the file), by sum and key bucket.
MTABLE = pd.read_csv(reference.REFERENCE_DIR / "magnitude_table.csv", comment="#", index_col="sum") / 1024
MIN_ROWS, MIN_EMPLOYERS, DOMINANCE = 11, 3, 0.85
FAMILY = reference.family_of_occupation()


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["total"] = "ensemble"
    if "fte" in frame:
        frame["fte"] = frame["fte"].astype("float64")
    frame["family"] = frame["occupation"].map(FAMILY)
    if "age" in frame:
        bins = [-1, 24, 34, 44, 54, 200]
        frame["age_band"] = pd.cut(frame["age"].astype(int), bins=bins,
                                   labels=["moins_25", "25_34", "35_44", "45_54", "55_plus"]).astype(str)
        ages = frame["age"].astype(int)
        frame["age5"] = [("moins_20" if a < 20 else "65_plus" if a >= 65 else f"{a // 5 * 5}_{a // 5 * 5 + 4}")
                         for a in ages]
    if "posted_on" in frame:
        frame["month"] = pd.to_datetime(frame["posted_on"]).dt.month.map(lambda m: f"{m:02d}")
    return frame


def filter_rows(frame: pd.DataFrame, filters: dict, years: tuple[int, int]) -> pd.DataFrame:
    mask = frame["year"].between(*years)
    for column, values in filters.items():
        if values and column in frame:
            mask &= frame[column].isin(values)
    return frame[mask]


# --- one protected cell (docs/methodologie-secret.md) ------------------------------------

def passes(rows: pd.DataFrame) -> bool:
    n = len(rows)
    if n == 0:
        return False
    per_employer = rows.groupby("employer_id").size()
    return n >= MIN_ROWS and len(per_employer) >= MIN_EMPLOYERS and per_employer.max() / n <= DOMINANCE


def _bucket(rows: pd.DataFrame) -> int:
    key = rows["rkey"].sum() % 1.0
    return min(int(key * PTABLE.shape[1]), PTABLE.shape[1] - 1)


def count(rows: pd.DataFrame, *populations: pd.DataFrame) -> float:
    """Published count of `rows` (NaN: secret): true count + table noise, kept when the rows
    pass the rules or are none, and when every population they are a part of passes too."""
    n = len(rows)
    if not all(passes(population) or len(population) == 0 for population in (rows, *populations)):
        return np.nan
    if n == 0:
        return 0.0
    return float(max(n + PTABLE[min(n, PTABLE.shape[0]) - 1, _bucket(rows)], 0))


def total(rows: pd.DataFrame, column: str, magnitude: str, *populations: pd.DataFrame,
          bound: float | None = None) -> float:
    """Published total of `column` over `rows`: its sum moved by v times its largest value, or
    by v times `bound` when every value is known to be at most that (v read at the rows' key in
    the committed magnitude table), scaled to the published count."""
    published = count(rows, *populations)
    if np.isnan(published) or len(rows) == 0:
        return published
    values = rows[column].astype(float)
    largest = values.max() if bound is None else bound
    perturbed = max(values.sum() + MTABLE.loc[magnitude].iloc[_bucket(rows)] * largest, 0.0)
    return perturbed * published / len(rows)


def persons(rows: pd.DataFrame) -> pd.DataFrame:
    """Training rows collapsed to one row per (employer, person) of the cell, key = max rkey."""
    return rows.groupby(["employer_id", "person_id"], as_index=False).agg(
        rkey=("rkey", "max"), hours=("hours", "sum"), cost=("cost_eur", "sum"),
        alternance=("scheme", lambda s: s.isin(["apprentissage", "contrat_pro", "pro_a"]).any()))


def _paid(employees: pd.DataFrame) -> pd.DataFrame:
    return employees[~employees["contract"].isin(["apprentissage", "contrat_pro"])]


def _unfilled(vacancies: pd.DataFrame) -> pd.Series:
    year_end = pd.to_datetime(vacancies["year"].astype(str) + "-12-31")
    filled_on = pd.to_datetime(vacancies["filled_on"])
    return ~vacancies["withdrawn_unfilled"] & (filled_on.isna() | (filled_on > year_end))


def published_figures(cell: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Every published count and total of one member cell, given its rows per dataset: a part
    of a population inherits its secrecy (women, departures... of the cell; the paid and their
    pay of every person present)."""
    figures: dict[str, float] = {}
    emp, vac, tra = cell.get("employees"), cell.get("vacancies"), cell.get("training")
    if emp is not None:
        parts = {"women": emp["sex"] == "F", "part_time": emp["fte"] < 1, "aged_55": emp["age"] >= 55,
                 "aged_57": emp["age"] >= 57, "aged_52": emp["age"] >= 52, "hired": emp["hired"],
                 "left": emp["left"]}
        figures["n"] = count(emp)
        figures.update({name: count(emp[mask], emp) for name, mask in parts.items()})
        figures["fte"] = total(emp, "fte", "fte", bound=1.0)  # a quotité is at most 1
        paid = _paid(emp)
        smic = paid["year"].map(reference.smic_annual())
        women, men = paid[paid["sex"] == "F"], paid[paid["sex"] == "M"]
        figures.update({
            "paid": count(paid, emp), "near_smic": count(paid[paid["gross_monthly_fte"] < 1.1 * smic], paid, emp),
            "paid_women": count(women, paid, emp), "paid_men": count(men, paid, emp),
            "pay": total(paid, "gross_monthly_fte", "pay", emp),
            "pay_women": total(women, "gross_monthly_fte", "pay_women", paid, emp),
            "pay_men": total(men, "gross_monthly_fte", "pay_men", paid, emp)})
    if vac is not None:
        figures.update({"openings": count(vac), "unfilled": count(vac[_unfilled(vac)], vac),
                        "difficult": count(vac[vac["difficult"]], vac),
                        "withdrawn": count(vac[vac["withdrawn_unfilled"]], vac),
                        "filled": count(vac[vac["filled_on"].notna()], vac)})
    if tra is not None:
        people = persons(tra)
        figures.update({"trainees": count(people), "alternance": count(people[people["alternance"]], people),
                        "hours": total(people, "hours", "hours"), "cost": total(people, "cost", "cost")})
    return figures


# --- a union of members, and the measures --------------------------------------------------

def composed(members: list[dict[str, pd.DataFrame]]) -> dict[str, float]:
    """The figures of a union: the sums of its members' published figures, secret (NaN) as soon
    as one member's is."""
    result: dict[str, float] = {}
    for figures in map(published_figures, members):
        for name, value in figures.items():
            result[name] = result.get(name, 0.0) + value
    return result


def ratio(numerator: float, denominator: float, share: bool = False) -> float:
    if np.isnan(numerator) or np.isnan(denominator) or denominator <= 0:
        return np.nan
    value = numerator / denominator
    return min(max(value, 0.0), 1.0) if share else value


def quantile(values: pd.Series, q: float) -> float:
    return float(np.quantile(values.to_numpy(dtype=float), q)) if len(values) else np.nan  # linear = quantile_cont


def measure_value(measure: str, union: dict[str, pd.DataFrame], f: dict[str, float]) -> float:
    """Published value (NaN: secret) of one measure for one cell: `union` its rows per dataset,
    `f` the figures `composed` gives for its members (the same rows split by the values of the
    filters holding several; one member when none does)."""
    counts = {"effectif": "n", "departs_5ans": "aged_57", "departs_10ans": "aged_52", "entrees": "hired",
              "sorties": "left", "etp": "fte", "postes_ouverts": "openings", "postes_non_pourvus": "unfilled",
              "stagiaires": "trainees", "entrees_alternance": "alternance", "heures": "hours", "cout": "cost"}
    if measure in counts:
        return f[counts[measure]]
    shares = {"part_femmes": ("women", "n"), "temps_partiel": ("part_time", "n"), "part_55_plus": ("aged_55", "n"),
              "part_proche_smic": ("near_smic", "paid"), "part_difficile": ("difficult", "openings"),
              "part_retiree": ("withdrawn", "openings"), "taux_acces": ("trainees", "n")}
    if measure in shares:
        return ratio(f[shares[measure][0]], f[shares[measure][1]], share=True)
    means = {"salaire_moyen": ("pay", "paid"), "heures_par_stagiaire": ("hours", "trainees"),
             "cout_par_stagiaire": ("cost", "trainees"), "cout_horaire": ("cost", "hours")}
    if measure in means:
        return ratio(*(f[name] for name in means[measure]))
    if measure == "turnover":
        return ratio((f["hired"] + f["left"]) / 2, f["n"])
    if measure == "taux_vacance":
        return ratio(f["unfilled"], f["n"] + f["unfilled"], share=True)
    if measure == "ecart_salarial_fh":
        men, women = ratio(f["pay_men"], f["paid_men"]), ratio(f["pay_women"], f["paid_women"])
        return ratio(men - women, men)
    # Quantiles: of the union's own rows, published where its population's count is.
    if measure == "delai_median":
        filled = union["vacancies"][union["vacancies"]["filled_on"].notna()]
        days = (pd.to_datetime(filled["filled_on"]) - pd.to_datetime(filled["posted_on"])).dt.days
        return quantile(days, 0.5) if np.isfinite(f["filled"]) else np.nan
    paid = _paid(union["employees"])
    if not np.isfinite(f["paid"]):
        return np.nan
    probabilities = {"salaire_median": 0.5, "salaire_d1": 0.1, "salaire_q1": 0.25, "salaire_q3": 0.75,
                     "salaire_d9": 0.9, "ratio_smic": 0.5}
    value = quantile(paid["gross_monthly_fte"], probabilities[measure])
    if measure == "ratio_smic":
        return value / float(paid["year"].map(reference.smic_annual()).mean())
    return value
