"""Every target of data/reference/calibration.csv holds on the seeded test snapshot."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from observatory import reference
from tests.conftest import TEST_SCALE

TARGETS = pd.read_csv(reference.REFERENCE_DIR / "calibration.csv")


def _unfilled(vacancies: pd.DataFrame) -> pd.Series:
    filled_on = pd.to_datetime(vacancies["filled_on"])
    year_end = pd.to_datetime(vacancies["year"].astype(str) + "-12-31")
    return ~vacancies["withdrawn_unfilled"] & (filled_on.isna() | (filled_on > year_end))


def _compute(frames: dict[str, pd.DataFrame]) -> dict[str, Callable[[], float]]:
    emp, vac, tra = frames["employees"], frames["vacancies"], frames["training"]
    e24 = emp[emp["year"] == 2024]
    v24 = vac[vac["year"] == 2024]

    def branch(code: str) -> pd.DataFrame:
        return e24[e24["branch"] == code]

    def difficulty(occupation: str) -> float:
        return float(v24.loc[v24["occupation"] == occupation, "difficult"].mean())

    def access(size: str) -> float:
        trainees = tra[(tra["year"] == 2024) & (tra["employer_size"] == size)]["person_id"].nunique()
        return trainees / (e24["employer_size"] == size).sum()

    smic = emp["year"].map(reference.smic_annual())
    paid = ~emp["contract"].isin(["apprentissage", "contrat_pro"])
    apprentices = tra[tra["scheme"] == "apprentissage"].groupby("year").size()
    peak = vac[vac["year"].isin([2022, 2023])]["difficult"].mean()
    return {
        "persons_2024": lambda: len(e24) / TEST_SCALE,
        "women_overall": lambda: (e24["sex"] == "F").mean(),
        "women_aide_domicile": lambda: (branch("aide_domicile")["sex"] == "F").mean(),
        "women_alisfa": lambda: (branch("alisfa")["sex"] == "F").mean(),
        "part_time_aide_domicile": lambda: (branch("aide_domicile")["fte"] < 1).mean(),
        "cdi_aide_domicile": lambda: (branch("aide_domicile")["contract"] == "cdi").mean(),
        "part_time_alisfa": lambda: (branch("alisfa")["fte"] < 1).mean(),
        "headcount_aide_domicile": lambda: len(branch("aide_domicile")) / TEST_SCALE,
        "headcount_securite_sociale": lambda: len(branch("securite_sociale")) / TEST_SCALE,
        "headcount_eclat": lambda: len(branch("eclat")) / TEST_SCALE,
        "unfilled_2024": lambda: _unfilled(v24).sum() / TEST_SCALE,
        "difficulty_aide_domicile": lambda: difficulty("T2A60"),
        "difficulty_educateurs": lambda: difficulty("V4X83"),
        "difficulty_animation": lambda: difficulty("V5X81"),
        "tension_peak": lambda: peak - v24["difficult"].mean(),
        "region_idf_aide_domicile": lambda: (e24.loc[e24["occupation"] == "T2A60", "region"] == "11").mean(),
        "below_smic": lambda: int((paid & (emp["gross_monthly_fte"] < smic - 0.005)).sum()),
        "access_small_vs_large": lambda: access("1-9") / access("250+"),
        "apprentice_growth": lambda: apprentices[2023] / apprentices[2018],
    }


@pytest.mark.parametrize("target_id", list(TARGETS["target_id"]))
def test_calibration_target(frames: dict[str, pd.DataFrame], target_id: str) -> None:
    row = TARGETS.set_index("target_id").loc[target_id]
    value = float(_compute(frames)[target_id]())
    assert row["low"] <= value <= row["high"], f"{target_id}: {value:.4f} not in [{row['low']}, {row['high']}]"


def test_every_target_has_a_computation_and_a_source(frames: dict[str, pd.DataFrame]) -> None:
    assert set(_compute(frames)) == set(TARGETS["target_id"])
    assert TARGETS["source"].str.len().min() > 10
