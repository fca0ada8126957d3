"""Dares / France Travail labour-market tension indicators 2019, by FAP 2009 occupation, for France and regions.

The file is read in its raw layout from the Dares repository, quirks included: column names with
trailing spaces (`Tension `), `niveau_geo` sometimes `reg ` with a trailing space, region codes
written as floats (`11.0`, `1.0`) and classes as floats (`3.0`). Departments are dropped. The
tension score is centred and reduced over 2014-2018; the seven other indicators are quintile
classes from 1 (low) to 5 (high), empty where the Dares publishes none.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from observatory.sources.base import (
    REGION_CODES,
    Connector,
    ParsedSource,
    arrow_table,
    check_unique,
    check_values,
    matches,
    read_csv_text,
    region_codes,
    require_columns,
    require_rows,
)

OCCUPATION, EMPLOYMENT, TENSION, YEAR, GEO_LEVEL, FAP_LEVEL, REGION = (
    "fap", "Emploi moyen", "Tension", "Année", "niveau_geo", "niveau_fap", "reg"
)
CLASSES = {
    "Catégorie Tension": "tension_class",
    "Intensité d'embauches": "hiring_intensity",
    "Lien formation-emploi": "training_link",
    "Manque de main-d'œuvre disponible": "labour_shortage",
    "Non-durabilité de l'emploi": "job_non_durability",
    "Conditions de travail contraignantes": "working_conditions",
    "Inadéquation géographique": "geographic_mismatch",
}
REQUIRED = [OCCUPATION, EMPLOYMENT, TENSION, *CLASSES, YEAR, GEO_LEVEL, FAP_LEVEL, REGION]
GEO_LEVELS = ("nat", "reg", "dep")
# FAP 2009: 225 detailed codes (`V4Z83`) and their 87 groups (`V4Z`).
OCCUPATION_PATTERNS = {"fap225": r"[A-Z]\d[A-Z]\d{2}", "fap87": r"[A-Z]\d[A-Z]"}
NUMBER = r"-?\d+(\.\d+)?([eE]-?\d+)?"
CLASS = r"[1-5](\.0+)?"
MIN_ROWS = 1_000

SCHEMA = pa.schema([
    ("year", pa.int16()),
    ("level", pa.string()),
    ("region", pa.string()),
    ("fap_level", pa.string()),
    ("occupation_fap2009", pa.string()),
    ("employment", pa.float64()),
    ("tension", pa.float64()),
    *((name, pa.int8()) for name in CLASSES.values()),
])


def parse(path: Path) -> ParsedSource:
    rows = read_csv_text(path)
    validate(path, rows)
    return ParsedSource(tables={"tensions": tidy(rows)}, rows=len(rows))


def validate(path: Path, rows: pd.DataFrame) -> None:
    """Refuse the file unless every row is usable; normalises levels and codes in place."""
    require_columns(path, rows, REQUIRED)
    require_rows(path, rows, MIN_ROWS)
    for column in (OCCUPATION, GEO_LEVEL, YEAR, REGION):
        rows[column] = rows[column].str.strip()
    rows[FAP_LEVEL] = rows[FAP_LEVEL].str.replace(" ", "", regex=False)  # `fap 225` -> `fap225`
    check_values(path, rows, GEO_LEVEL, rows[GEO_LEVEL].isin(GEO_LEVELS), "nat, reg ou dep attendu")
    check_values(path, rows, FAP_LEVEL, rows[FAP_LEVEL].isin(OCCUPATION_PATTERNS), "fap 225 ou fap 87 attendu")
    check_values(path, rows, YEAR, matches(rows[YEAR], r"\d{4}"), "année sur 4 chiffres attendue")
    for level, pattern in OCCUPATION_PATTERNS.items():
        of_level = rows[FAP_LEVEL].eq(level)
        check_values(path, rows, OCCUPATION, ~of_level | matches(rows[OCCUPATION], pattern), f"code {level} attendu")
    rows[REGION] = region_codes(rows[REGION])
    regional, national = rows[GEO_LEVEL].eq("reg"), rows[GEO_LEVEL].eq("nat")
    check_values(path, rows, REGION, ~regional | rows[REGION].isin(REGION_CODES), "code de région INSEE attendu")
    check_values(path, rows, REGION, ~national | rows[REGION].eq(""), "vide attendu au niveau national")
    check_values(path, rows, EMPLOYMENT, _empty_or(rows[EMPLOYMENT], r"\d+(\.\d+)?"), "effectif positif attendu")
    check_values(path, rows, TENSION, _empty_or(rows[TENSION], NUMBER), "nombre attendu")
    for column in CLASSES:
        check_values(path, rows, column, _empty_or(rows[column], CLASS), "classe de 1 à 5 attendue")
    kept = rows[rows[GEO_LEVEL].ne("dep")]
    check_unique(path, kept, [YEAR, GEO_LEVEL, REGION, FAP_LEVEL, OCCUPATION], "indicateur")


def _empty_or(values: pd.Series, pattern: str) -> pd.Series:
    return values.str.strip().eq("") | matches(values.str.strip(), pattern)


def tidy(rows: pd.DataFrame) -> pa.Table:
    """Validated raw rows -> the national and regional rows with typed, English-named columns."""
    kept = rows[rows[GEO_LEVEL].ne("dep")]
    table = pd.DataFrame({
        "year": kept[YEAR].astype("int16"),
        "level": kept[GEO_LEVEL],
        "region": kept[REGION].where(kept[GEO_LEVEL].eq("reg")),
        "fap_level": kept[FAP_LEVEL],
        "occupation_fap2009": kept[OCCUPATION],
        "employment": _numbers(kept[EMPLOYMENT]),
        "tension": _numbers(kept[TENSION]),
        **{name: _numbers(kept[column]).astype("Int8") for column, name in CLASSES.items()},
    })
    table = table.sort_values(["level", "region", "fap_level", "occupation_fap2009"], na_position="first")
    return arrow_table(table, SCHEMA)


def _numbers(values: pd.Series) -> pd.Series:
    """Text numbers -> floats, empty cells -> missing (never 0)."""
    return pd.to_numeric(values.str.strip().replace("", None))


CONNECTOR = Connector(
    name="dares",
    producer="Dares / France Travail",
    title="Indicateurs de tension sur le marché du travail 2019 (FAP 2009)",
    url=(
        "https://raw.githubusercontent.com/StatDares/PortraitStatMetiers/"
        "b61ffd2eced0f7be42bdd15fd526953b529c3921/inputs/tensions/tensions.csv"
    ),
    licence="Statistique publique Dares, sans licence de données explicite (dépôt sous GPL-3.0)",
    licence_note=(
        "Fichier du dépôt StatDares/PortraitStatMetiers (Dares), dont le fichier LICENSE est la GPL-3.0 ; aucune "
        "licence propre aux données n'y est indiquée. Ce sont des statistiques publiques de la Dares : citer "
        "« Dares, Portraits statistiques des métiers »."
    ),
    mirror_name="dares-tensions-2019-fap-nat-reg-dep.csv",
    raw_name="dares-tensions-2019-fap-nat-reg-dep.csv",
    year=2019,
    parse=parse,
)
