"""INSEE Code officiel géographique: the 18 regions, with their official names and capitals.

The file is INSEE's `v_region` table as redistributed by Etalab (datagouv/decoupage-administratif).
The regions have not changed since 2016, so any other code set means a wrong or damaged file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from observatory.sources.base import (
    REGION_CODES,
    Connector,
    ParsedSource,
    SourceError,
    arrow_table,
    check_unique,
    check_values,
    read_csv_text,
    region_codes,
    require_columns,
)

CODE, LABEL, CAPITAL = "REG", "LIBELLE", "CHEFLIEU"
SCHEMA = pa.schema([("region", pa.string()), ("label", pa.string()), ("capital", pa.string())])


def parse(path: Path) -> ParsedSource:
    rows = read_csv_text(path)
    validate(path, rows)
    table = pd.DataFrame({"region": rows[CODE], "label": rows[LABEL].str.strip(), "capital": rows[CAPITAL].str.strip()})
    return ParsedSource(tables={"regions_cog": arrow_table(table.sort_values("region"), SCHEMA)}, rows=len(rows))


def validate(path: Path, rows: pd.DataFrame) -> None:
    """Exactly the 18 regions, each once, each named; normalises the codes in place (`1` -> `01`)."""
    require_columns(path, rows, [CODE, CAPITAL, LABEL])
    rows[CODE] = region_codes(rows[CODE])
    check_values(path, rows, CODE, rows[CODE].isin(REGION_CODES), "code de région INSEE attendu")
    check_values(path, rows, LABEL, rows[LABEL].str.strip().ne(""), "libellé attendu")
    check_values(path, rows, CAPITAL, rows[CAPITAL].str.fullmatch(r"\s*\w{5}\s*"), "code commune attendu")
    check_unique(path, rows, [CODE], "région")
    missing = sorted(REGION_CODES - set(rows[CODE]))
    if missing:
        raise SourceError(path, f"régions manquantes : {', '.join(missing)}")


CONNECTOR = Connector(
    name="cog",
    producer="INSEE (diffusé par Etalab)",
    title="Code officiel géographique : régions",
    url=(
        "https://raw.githubusercontent.com/datagouv/decoupage-administratif/"
        "98976e5f29e66b8449cf64eaf3e2be0b8d9e7d85/sources/regions.csv"
    ),
    licence="Licence Ouverte / Etalab",
    licence_note=(
        "Table v_region du COG de l'INSEE, redistribuée par Etalab dans datagouv/decoupage-administratif "
        "(README : « Données : Licence Ouverte ; Code : MIT »). Fichier mis à jour le 21/02/2024 "
        "(« geography 2023 ») ; les régions sont inchangées depuis 2016."
    ),
    mirror_name="insee-cog-regions.csv",
    raw_name="insee-cog-regions.csv",
    year=2023,
    parse=parse,
)
