"""An independent pandas implementation of every measure and of the publication rules.

Written from DESIGN sections 5 and 6 without calling the library's query or secrecy code, so
that the table builder can be checked value by value against it. Only the reference tables
(codes, SMIC) and the committed perturbation table are shared, as inputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory import reference

PTABLE = pd.read_csv(reference.REFERENCE_DIR / "perturbation_table.csv", comment="#", index_col="count").to_numpy()
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


def published_count(rows: pd.DataFrame, employer: str = "employer_id") -> tuple[float, bool]:
    """(published value or NaN, ok) for the set of rows of one cell."""
    n = len(rows)
    if n == 0:
        return 0.0, True
    per_employer = rows.groupby(employer).size()
    ok = n >= MIN_ROWS and len(per_employer) >= MIN_EMPLOYERS and per_employer.max() / n <= DOMINANCE
    key = rows["rkey"].sum() % 1.0
    bucket = min(int(key * PTABLE.shape[1]), PTABLE.shape[1] - 1)
    noise = PTABLE[min(n, PTABLE.shape[0]) - 1, bucket]
    value = max(n + noise, 0)
    return (float(value) if ok else float("nan")), ok


def passes(rows: pd.DataFrame) -> bool:
    n = len(rows)
    if n == 0:
        return False
    per_employer = rows.groupby("employer_id").size()
    return n >= MIN_ROWS and len(per_employer) >= MIN_EMPLOYERS and per_employer.max() / n <= DOMINANCE


def share(num: tuple[float, bool], den: tuple[float, bool]) -> tuple[float, bool]:
    ok = num[1] and den[1] and den[0] > 0
    return (min(max(num[0] / den[0], 0.0), 1.0) if ok else float("nan")), ok


def persons(rows: pd.DataFrame) -> pd.DataFrame:
    """Training rows collapsed to one row per (employer, person) of the cell, key = max rkey."""
    return rows.groupby(["employer_id", "person_id"], as_index=False).agg(
        rkey=("rkey", "max"), hours=("hours", "sum"), cost=("cost_eur", "sum"),
        alternance=("scheme", lambda s: s.isin(["apprentissage", "contrat_pro", "pro_a"]).any()))


def quantile(values: pd.Series, q: float) -> float:
    return float(np.quantile(values.to_numpy(dtype=float), q))  # linear = quantile_cont


def measure_value(measure: str, cell: dict[str, pd.DataFrame]) -> tuple[float, bool]:
    """Published (value, ok) of one measure for one cell, given the cell's rows per dataset."""
    emp = cell.get("employees")
    vac = cell.get("vacancies")
    tra = cell.get("training")
    if measure == "effectif":
        return published_count(emp)
    if measure == "etp":
        value, ok = published_count(emp)
        return ((emp["fte"].sum() / len(emp)) * value if ok and len(emp) else (0.0 if ok else np.nan)), ok
    simple_shares = {"part_femmes": emp["sex"] == "F" if emp is not None else None,
                     "temps_partiel": emp["fte"] < 1 if emp is not None else None,
                     "part_55_plus": emp["age"] >= 55 if emp is not None else None}
    if measure in simple_shares:
        return share(published_count(emp[simple_shares[measure]]), published_count(emp))
    if measure == "departs_5ans":
        return published_count(emp[emp["age"] >= 57])
    if measure == "departs_10ans":
        return published_count(emp[emp["age"] >= 52])
    if measure in ("entrees", "sorties"):
        return published_count(emp[emp["hired" if measure == "entrees" else "left"]])
    if measure == "turnover":
        hired, left, base = published_count(emp[emp["hired"]]), published_count(emp[emp["left"]]), published_count(emp)
        ok = hired[1] and left[1] and base[1] and base[0] > 0
        return ((hired[0] + left[0]) / 2 / base[0] if ok else np.nan), ok
    if emp is not None and measure.startswith(("salaire", "ratio_smic", "part_proche", "ecart")):
        paid = emp[~emp["contract"].isin(["apprentissage", "contrat_pro"])]
        smic = paid["year"].map(reference.smic_annual())
        ok = passes(paid)
        stats = {
            "salaire_median": lambda: quantile(paid["gross_monthly_fte"], 0.5),
            "salaire_d1": lambda: quantile(paid["gross_monthly_fte"], 0.1),
            "salaire_q1": lambda: quantile(paid["gross_monthly_fte"], 0.25),
            "salaire_q3": lambda: quantile(paid["gross_monthly_fte"], 0.75),
            "salaire_d9": lambda: quantile(paid["gross_monthly_fte"], 0.9),
            "salaire_moyen": lambda: float(paid["gross_monthly_fte"].mean()),
            "ratio_smic": lambda: quantile(paid["gross_monthly_fte"], 0.5) / float(smic.mean()),
        }
        if measure in stats:
            return (stats[measure]() if ok else np.nan), ok
        if measure == "part_proche_smic":
            return share(published_count(paid[paid["gross_monthly_fte"] < 1.1 * smic]), published_count(paid))
        women, men = paid[paid["sex"] == "F"], paid[paid["sex"] == "M"]
        ok = passes(women) and passes(men)
        gap = (men["gross_monthly_fte"].mean() - women["gross_monthly_fte"].mean()) / men["gross_monthly_fte"].mean()
        return (float(gap) if ok else np.nan), ok
    if vac is not None:
        year_end = pd.to_datetime(vac["year"].astype(str) + "-12-31")
        filled_on = pd.to_datetime(vac["filled_on"])
        unfilled = ~vac["withdrawn_unfilled"] & (filled_on.isna() | (filled_on > year_end))
        filled = vac[filled_on.notna()]
        if measure == "postes_ouverts":
            return published_count(vac)
        if measure == "postes_non_pourvus":
            return published_count(vac[unfilled])
        if measure == "part_difficile":
            return share(published_count(vac[vac["difficult"]]), published_count(vac))
        if measure == "part_retiree":
            return share(published_count(vac[vac["withdrawn_unfilled"]]), published_count(vac))
        if measure == "delai_median":
            ok = passes(filled)
            days = (pd.to_datetime(filled["filled_on"]) - pd.to_datetime(filled["posted_on"])).dt.days
            return (float(days.median()) if ok else np.nan), ok
        if measure == "taux_vacance":
            num, den = published_count(vac[unfilled]), published_count(emp)
            ok = num[1] and den[1] and (den[0] + num[0]) > 0
            return (min(num[0] / (den[0] + num[0]), 1.0) if ok else np.nan), ok
    if tra is not None:
        people = persons(tra)
        if measure == "stagiaires":
            return published_count(people)
        if measure == "entrees_alternance":
            return published_count(people[people["alternance"]])
        if measure == "taux_acces":
            return share(published_count(people), published_count(emp))
        count = published_count(people)
        ok = passes(people)
        if measure in ("heures", "cout"):
            column = "hours" if measure == "heures" else "cost"
            if not count[1]:
                return np.nan, False
            return (people[column].mean() * count[0] if len(people) else 0.0), True
        if measure == "heures_par_stagiaire":
            return (people["hours"].sum() / len(people) if ok else np.nan), ok
        if measure == "cout_par_stagiaire":
            return (people["cost"].sum() / len(people) if ok else np.nan), ok
        if measure == "cout_horaire":
            return (people["cost"].sum() / people["hours"].sum() if ok else np.nan), ok
    raise KeyError(measure)
