"""Parameters of the synthetic demo population, one table per aspect.

Each value is a modelling choice anchored on a public figure where one exists (see the
calibration table `data/reference/calibration.csv` and `data/reference/SOURCES.md`); the rest
are plausible orders of magnitude, stated here so they can be argued with and changed.
"""

from __future__ import annotations

# Headcount of every branch relative to 2024 (sector growth ~1 %/year, 2020 flat).
YEAR_GROWTH: dict[int, float] = {
    2016: 0.905, 2017: 0.918, 2018: 0.930, 2019: 0.944, 2020: 0.945,
    2021: 0.958, 2022: 0.972, 2023: 0.988, 2024: 1.000, 2025: 1.006,
}

# Occupation mix of each branch (weights, normalised by the generator).
OCCUPATION_MIX: dict[str, dict[str, float]] = {
    "aide_domicile": {"T2A60": 70, "V0X60": 10, "V1X80": 3, "V4X85": 2, "L0X60": 4, "L2X61": 3,
                      "L1X60": 2, "L4X80": 2, "L6X00": 2, "L5X90": 2},
    "eclat": {"V5X81": 66, "V5X82": 8, "T2B60": 5, "L0X60": 4, "L2X60": 3, "L1X60": 2, "L6X00": 4,
              "L5X90": 2, "T4X60": 3, "S1X40": 3},
    "alisfa": {"T2B60": 38, "V4X83": 12, "V5X81": 20, "V4X85": 6, "L0X60": 5, "L2X60": 4,
               "L6X00": 5, "L1X60": 3, "T4X60": 4, "S1X40": 3},
    "securite_sociale": {"R1X67": 16, "QBX01": 26, "L2X61": 18, "L4X80": 12, "L5X90": 10,
                         "V4X85": 6, "L1X60": 6, "L0X60": 3, "L6X00": 1, "V1X80": 2},
    "mutualite": {"QDX01": 24, "QBX01": 20, "R1X67": 12, "L2X61": 10, "L4X80": 8, "L5X90": 9,
                  "V1X80": 6, "V0X60": 5, "L0X60": 4, "L6X00": 2},
    "esh": {"T3X60": 28, "R4X93": 12, "L2X61": 14, "L4X80": 12, "L5X90": 9, "L1X60": 7,
            "L0X60": 6, "T4X60": 6, "V4X85": 4, "L6X00": 2},
    "retraite_prevoyance": {"QBX01": 30, "R1X67": 15, "QDX01": 12, "L2X61": 13, "L4X80": 12,
                            "L5X90": 12, "L1X60": 4, "L6X00": 2},
    "aci": {"A1X41": 24, "B2X36": 16, "T4X60": 22, "S1X40": 10, "V4X80": 10, "W1X80": 8,
            "L0X60": 4, "L6X00": 3, "L1X60": 3},
    "missions_locales": {"V4X80": 62, "L2X60": 10, "L0X60": 8, "L4X80": 6, "L5X90": 5,
                         "L6X00": 4, "V4X85": 5},
    "tourisme_social": {"V5X81": 22, "S1X40": 18, "T4X60": 18, "L2X60": 14, "V5X82": 8,
                        "L0X60": 6, "L6X00": 6, "L1X60": 4, "L5X90": 4},
    "hla": {"V4X85": 30, "V4X83": 18, "L2X60": 14, "T3X60": 10, "T4X60": 10, "L0X60": 6,
            "L6X00": 6, "L1X60": 3, "S1X40": 3},
    "regies_quartier": {"T4X60": 40, "A1X41": 18, "B2X36": 15, "V4X80": 8, "T3X60": 8,
                        "L0X60": 5, "L6X00": 4, "L1X60": 2},
    "soliha": {"R4X93": 20, "V4X85": 22, "L4X80": 20, "L2X61": 14, "L0X60": 10, "L5X90": 8,
               "L6X00": 6},
    "coop_hlm": {"R4X93": 22, "L2X61": 22, "L4X80": 18, "L5X90": 14, "L1X60": 10, "L0X60": 8,
                 "L6X00": 6},
    "org_habitat_social": {"L5X90": 40, "L4X80": 25, "L2X61": 15, "L0X60": 12, "L6X00": 8},
    "oph": {"T3X60": 30, "R4X93": 12, "L2X61": 16, "L4X80": 12, "T4X60": 12, "L5X90": 8,
            "L1X60": 5, "V4X85": 3, "L6X00": 2},
    "hors_branche": {"V4X83": 12, "V4X84": 8, "V4X85": 14, "T2A60": 8, "T2B60": 6, "V5X81": 12,
                     "V4X80": 6, "W1X80": 6, "L0X60": 6, "L2X61": 6, "L1X60": 3, "L5X90": 4,
                     "L6X00": 4, "T4X60": 5},
}

# Region weights of a branch's structures: the occupation family whose regional spread it follows.
BRANCH_REGION_FAMILY: dict[str, str] = {
    "aide_domicile": "aide_domicile", "eclat": "animation", "alisfa": "petite_enfance",
    "securite_sociale": "relation_usagers", "mutualite": "relation_usagers", "esh": "habitat",
    "retraite_prevoyance": "relation_usagers", "aci": "technique", "missions_locales": "insertion",
    "tourisme_social": "animation", "hla": "social_educatif", "regies_quartier": "technique",
    "soliha": "habitat", "coop_hlm": "habitat", "org_habitat_social": "administration",
    "oph": "habitat", "hors_branche": "social_educatif",
}

# Share of structures by size class, and typical headcount of a structure of each class.
SIZE_CLASSES: tuple[str, ...] = ("1-9", "10-49", "50-249", "250+")
SIZE_MEAN: dict[str, float] = {"1-9": 4.5, "10-49": 22.0, "50-249": 105.0, "250+": 650.0}
SIZE_BOUNDS: dict[str, tuple[float, float]] = {
    "1-9": (1, 9), "10-49": (10, 49), "50-249": (50, 249), "250+": (250, 4000),
}
EMPLOYER_SIZE_MIX: dict[str, tuple[float, float, float, float]] = {
    "aide_domicile": (0.22, 0.40, 0.32, 0.06), "eclat": (0.85, 0.12, 0.025, 0.005),
    "alisfa": (0.45, 0.45, 0.09, 0.01), "securite_sociale": (0.02, 0.05, 0.25, 0.68),
    "mutualite": (0.20, 0.35, 0.30, 0.15), "esh": (0.05, 0.20, 0.45, 0.30),
    "retraite_prevoyance": (0.10, 0.20, 0.30, 0.40), "aci": (0.20, 0.65, 0.14, 0.01),
    "missions_locales": (0.10, 0.70, 0.20, 0.0), "tourisme_social": (0.30, 0.45, 0.22, 0.03),
    "hla": (0.30, 0.55, 0.15, 0.0), "regies_quartier": (0.20, 0.70, 0.10, 0.0),
    "soliha": (0.30, 0.55, 0.15, 0.0), "coop_hlm": (0.40, 0.50, 0.10, 0.0),
    "org_habitat_social": (0.60, 0.35, 0.05, 0.0), "oph": (0.02, 0.15, 0.50, 0.33),
    "hors_branche": (0.70, 0.22, 0.07, 0.01),
}

# Women's share target of each branch (BAD 95 %, ALISFA 83 %: Recherches & Solidarités, ASH);
# others are orders of magnitude for their occupations.
WOMEN_SHARE: dict[str, float] = {
    "aide_domicile": 0.95, "eclat": 0.72, "alisfa": 0.83, "securite_sociale": 0.78,
    "mutualite": 0.76, "esh": 0.58, "retraite_prevoyance": 0.70, "aci": 0.38,
    "missions_locales": 0.80, "tourisme_social": 0.62, "hla": 0.70, "regies_quartier": 0.45,
    "soliha": 0.70, "coop_hlm": 0.62, "org_habitat_social": 0.62, "oph": 0.55,
    "hors_branche": 0.74,
}
# Men's relative propensity by occupation (1 = neutral), shaping sex within a branch.
OCCUPATION_MALE_PROPENSITY: dict[str, float] = {
    "T2A60": 0.3, "V0X60": 0.6, "V1X80": 0.7, "T2B60": 0.2, "V4X83": 1.2, "V4X84": 0.8,
    "V4X85": 0.7, "V4X80": 1.0, "W1X80": 1.6, "V5X81": 1.4, "V5X82": 3.0, "L0X60": 0.3,
    "L1X60": 0.6, "L2X60": 0.6, "L2X61": 0.8, "L4X80": 1.0, "L5X90": 1.6, "L6X00": 2.0,
    "R1X67": 0.8, "QDX01": 1.0, "QBX01": 0.8, "T3X60": 2.5, "R4X93": 1.8, "T4X60": 1.2,
    "A1X41": 6.0, "S1X40": 2.5, "B2X36": 8.0,
}

# Share of part-time (fte < 1): BAD 77 % (Recherches & Solidarités), ALISFA 65 % (35 % full-time).
PART_TIME_SHARE: dict[str, float] = {
    "aide_domicile": 0.79, "eclat": 0.58, "alisfa": 0.65, "securite_sociale": 0.12,
    "mutualite": 0.18, "esh": 0.10, "retraite_prevoyance": 0.14, "aci": 0.85,
    "missions_locales": 0.18, "tourisme_social": 0.35, "hla": 0.28, "regies_quartier": 0.60,
    "soliha": 0.20, "coop_hlm": 0.15, "org_habitat_social": 0.15, "oph": 0.08,
    "hors_branche": 0.45,
}

CONTRACT_CODES: tuple[str, ...] = ("cdi", "cdd", "apprentissage", "contrat_pro", "insertion")
# Stock contract mix in 2018 (BAD: 90 % CDI). Apprenticeship is then scaled by APPRENTICE_GROWTH.
CONTRACT_MIX: dict[str, tuple[float, float, float, float, float]] = {
    "aide_domicile": (0.90, 0.085, 0.008, 0.007, 0.0), "eclat": (0.70, 0.28, 0.012, 0.008, 0.0),
    "alisfa": (0.80, 0.18, 0.012, 0.008, 0.0), "securite_sociale": (0.93, 0.05, 0.015, 0.005, 0.0),
    "mutualite": (0.90, 0.08, 0.014, 0.006, 0.0), "esh": (0.92, 0.06, 0.014, 0.006, 0.0),
    "retraite_prevoyance": (0.92, 0.06, 0.014, 0.006, 0.0),
    "aci": (0.17, 0.02, 0.004, 0.006, 0.80), "missions_locales": (0.84, 0.14, 0.012, 0.008, 0.0),
    "tourisme_social": (0.62, 0.36, 0.012, 0.008, 0.0), "hla": (0.85, 0.13, 0.012, 0.008, 0.0),
    "regies_quartier": (0.40, 0.10, 0.005, 0.005, 0.49), "soliha": (0.88, 0.10, 0.012, 0.008, 0.0),
    "coop_hlm": (0.90, 0.08, 0.012, 0.008, 0.0), "org_habitat_social": (0.88, 0.10, 0.012, 0.008, 0.0),
    "oph": (0.92, 0.06, 0.014, 0.006, 0.0), "hors_branche": (0.78, 0.19, 0.012, 0.008, 0.0),
}
# Apprenticeship after the 2018 reform (loi "Avenir professionnel", aid of 2020): x3 by 2023.
APPRENTICE_GROWTH: dict[int, float] = {
    2016: 0.9, 2017: 0.95, 2018: 1.0, 2019: 1.25, 2020: 1.8, 2021: 2.5, 2022: 2.9, 2023: 3.1,
    2024: 3.0, 2025: 2.7,
}
# Yearly probability of leaving, by contract, and a branch multiplier.
LEAVE_RATE: dict[str, float] = {"cdi": 0.085, "cdd": 0.55, "apprentissage": 0.40,
                                "contrat_pro": 0.65, "insertion": 0.50}
BRANCH_MOBILITY: dict[str, float] = {
    "aide_domicile": 1.25, "eclat": 1.45, "alisfa": 1.15, "securite_sociale": 0.55,
    "mutualite": 0.85, "esh": 0.75, "retraite_prevoyance": 0.65, "aci": 1.0,
    "missions_locales": 0.85, "tourisme_social": 1.35, "hla": 1.1, "regies_quartier": 1.0,
    "soliha": 0.9, "coop_hlm": 0.75, "org_habitat_social": 0.8, "oph": 0.7, "hors_branche": 1.15,
}

# Mean age of the stock by branch (aide à domicile older, animation younger).
MEAN_AGE: dict[str, float] = {
    "aide_domicile": 46.0, "eclat": 35.0, "alisfa": 40.0, "securite_sociale": 45.0,
    "mutualite": 43.0, "esh": 44.0, "retraite_prevoyance": 45.0, "aci": 39.0,
    "missions_locales": 43.0, "tourisme_social": 40.0, "hla": 41.0, "regies_quartier": 41.0,
    "soliha": 42.0, "coop_hlm": 43.0, "org_habitat_social": 44.0, "oph": 46.0, "hors_branche": 42.0,
}

# Median gross monthly pay (full-time equivalent) of the occupation as a multiple of the SMIC.
OCCUPATION_PAY_RATIO: dict[str, float] = {
    "T2A60": 1.0, "V0X60": 1.16, "V1X80": 1.58, "T2B60": 1.02, "V4X83": 1.45, "V4X84": 1.14,
    "V4X85": 1.40, "V4X80": 1.33, "W1X80": 1.45, "V5X81": 1.04, "V5X82": 1.1, "L0X60": 1.18,
    "L1X60": 1.27, "L2X60": 1.12, "L2X61": 1.22, "L4X80": 1.48, "L5X90": 2.25, "L6X00": 2.45,
    "R1X67": 1.24, "QDX01": 1.45, "QBX01": 1.52, "T3X60": 1.20, "R4X93": 2.05, "T4X60": 0.99,
    "A1X41": 1.03, "S1X40": 1.10, "B2X36": 1.07,
}
PAY_DISPERSION_HIGH: frozenset[str] = frozenset({"L5X90", "L6X00", "R4X93", "V1X80"})
BRANCH_PAY_FACTOR: dict[str, float] = {
    "aide_domicile": 0.96, "eclat": 0.97, "alisfa": 1.0, "securite_sociale": 1.20,
    "mutualite": 1.14, "esh": 1.12, "retraite_prevoyance": 1.24, "aci": 0.98,
    "missions_locales": 1.04, "tourisme_social": 1.0, "hla": 1.0, "regies_quartier": 0.98,
    "soliha": 1.03, "coop_hlm": 1.08, "org_habitat_social": 1.15, "oph": 1.10, "hors_branche": 1.02,
}
REGION_PAY_FACTOR: dict[str, float] = {"11": 1.08, "93": 1.02, "84": 1.01, "01": 1.03, "02": 1.03,
                                       "03": 1.04, "04": 1.03, "06": 1.0}
# Relative pay level of the whole sector against the SMIC by year: the SMIC rose faster than
# the grids (compression), with the 2021 avenant 43 in aide à domicile and the 2022 Ségur
# extension in the socio-educational occupations as upward steps.
PAY_DRIFT: dict[int, float] = {
    2016: 1.0, 2017: 0.998, 2018: 0.996, 2019: 0.994, 2020: 0.993, 2021: 0.985, 2022: 0.962,
    2023: 0.955, 2024: 0.958, 2025: 0.962,
}
AVENANT_43: dict[int, float] = {2021: 1.025, 2022: 1.10, 2023: 1.10, 2024: 1.10, 2025: 1.10}
SEGUR_FAMILIES: frozenset[str] = frozenset({"social_educatif", "petite_enfance"})
SEGUR: dict[int, float] = {2022: 1.06, 2023: 1.08, 2024: 1.08, 2025: 1.08}

# Apprentice pay, share of the SMIC by age band for the 1st and 2nd year (Code du travail
# D6222-26); contrat de professionnalisation by age (D6325-15, 26+ at least the SMIC).
APPRENTICE_PAY: tuple[tuple[int, float, float], ...] = (
    (18, 0.27, 0.39), (21, 0.43, 0.51), (26, 0.53, 0.61), (200, 1.00, 1.00),
)
CONTRAT_PRO_PAY: tuple[tuple[int, float], ...] = ((21, 0.55), (26, 0.70), (200, 1.00))

# Recruitment: openings per hire, by year (tension rose after 2021, eased in 2024-2025: BMO).
OPENINGS_PER_HIRE: dict[int, float] = {
    2016: 1.02, 2017: 1.05, 2018: 1.08, 2019: 1.10, 2020: 0.98, 2021: 1.16, 2022: 1.26,
    2023: 1.26, 2024: 1.20, 2025: 1.14,
}
# BMO 2024 share of recruitment projects judged difficult, by occupation
# (../shared/research/calibration.md, outside the repository).
DIFFICULTY_2024: dict[str, float] = {
    "T2A60": 0.84, "T2B60": 0.63, "T3X60": 0.51, "T4X60": 0.53, "V0X60": 0.69, "V4X80": 0.45,
    "V4X83": 0.67, "V4X84": 0.71, "V4X85": 0.60, "V5X81": 0.52, "V5X82": 0.55, "L0X60": 0.37,
    "L1X60": 0.61, "S1X40": 0.68, "R1X67": 0.53, "V1X80": 0.75, "W1X80": 0.45, "L2X60": 0.35,
    "L2X61": 0.35, "L4X80": 0.45, "L5X90": 0.50, "L6X00": 0.50, "QDX01": 0.45, "QBX01": 0.40,
    "R4X93": 0.45, "A1X41": 0.55, "B2X36": 0.65,
}
# BMO 2024 seasonal share by occupation: drives how concentrated postings are in peak months.
SEASONAL_2024: dict[str, float] = {"V5X81": 0.57, "V5X82": 0.56, "S1X40": 0.45, "T4X60": 0.21}
# Logit shift of difficulty by year, 2024 = BMO level; tension peaked in 2022-2023.
DIFFICULTY_SHIFT: dict[int, float] = {
    2016: -0.55, 2017: -0.45, 2018: -0.30, 2019: -0.15, 2020: -0.40, 2021: 0.10, 2022: 0.35,
    2023: 0.35, 2024: 0.0, 2025: -0.25,
}
# Median days to fill an opening, by year (longer when tense).
FILL_DELAY_MEDIAN: dict[int, float] = {
    2016: 30, 2017: 32, 2018: 34, 2019: 36, 2020: 38, 2021: 44, 2022: 52, 2023: 54, 2024: 50,
    2025: 47,
}

# Training access: base probability of the plan, and the inequality factors (Céreq: small
# structures, older and less qualified employees train less).
PLAN_ACCESS_BASE: float = 0.30
PLAN_YEAR_FACTOR: dict[int, float] = {
    2016: 1.08, 2017: 1.08, 2018: 1.05, 2019: 0.98, 2020: 0.72, 2021: 0.92, 2022: 0.98,
    2023: 1.0, 2024: 1.0, 2025: 0.98,
}
ACCESS_SIZE_FACTOR: dict[str, float] = {"1-9": 0.45, "10-49": 0.80, "50-249": 1.10, "250+": 1.35}
ACCESS_AGE_FACTOR: tuple[tuple[int, float], ...] = ((25, 1.0), (45, 1.05), (55, 0.88), (200, 0.62))
LOW_QUALIFIED: frozenset[str] = frozenset({"T2A60", "T4X60", "A1X41", "B2X36", "T3X60", "S1X40",
                                           "T2B60"})
HIGH_QUALIFIED: frozenset[str] = frozenset({"L5X90", "L6X00", "R4X93", "V1X80", "L4X80",
                                            "V4X83", "QBX01"})
# Other schemes: yearly probability per employee (0 before the scheme exists).
SCHEME_RATE: dict[str, dict[int, float]] = {
    "cpf": {2016: 0.012, 2017: 0.015, 2018: 0.016, 2019: 0.020, 2020: 0.032, 2021: 0.042,
            2022: 0.044, 2023: 0.040, 2024: 0.036, 2025: 0.033},
    "vae": {y: 0.003 for y in range(2016, 2026)},
    "ptp": {2019: 0.0015, 2020: 0.0018, 2021: 0.0020, 2022: 0.0020, 2023: 0.0021, 2024: 0.0020,
            2025: 0.0019},
    "cep": {y: 0.008 + 0.001 * (y - 2016) for y in range(2016, 2026)},
    "pro_a": {2020: 0.002, 2021: 0.004, 2022: 0.005, 2023: 0.005, 2024: 0.004, 2025: 0.004},
}
# Hours (median) and cost per hour (euros) of an action, by scheme.
SCHEME_HOURS: dict[str, float] = {"apprentissage": 600, "contrat_pro": 450, "pro_a": 350,
                                  "plan": 14, "cpf": 40, "vae": 24, "ptp": 900, "cep": 5}
SCHEME_COST_PER_HOUR: dict[str, float] = {"apprentissage": 12.0, "contrat_pro": 11.0,
                                          "pro_a": 13.0, "plan": 32.0, "cpf": 38.0, "vae": 70.0,
                                          "ptp": 27.0, "cep": 0.0}
# Certifications prepared, by occupation (codes of data/reference/certifications.csv).
CERTIFICATIONS_BY_OCCUPATION: dict[str, tuple[str, ...]] = {
    "T2A60": ("deaes", "tp_advf"), "V0X60": ("deas",), "V1X80": ("dei",), "T2B60": ("cap_aepe",),
    "V4X83": ("de_es", "de_me", "de_eje"), "V4X84": ("deaes",), "V4X85": ("de_assp", "de_cesf"),
    "V4X80": ("tp_cip",), "W1X80": ("tp_cip",), "V5X81": ("bpjeps", "dejeps"),
    "V5X82": ("bpjeps",), "L0X60": ("tp_sa",), "T4X60": ("tp_aph",),
}
