"""France Travail, enquête « Besoins en main-d'œuvre » (BMO) 2024: recruitment projects by region and occupation.

The producer publishes one row per employment area (bassin d'emploi), department and FAP 2021
occupation (24 areas straddle two or three departments and have one row per part; each area belongs
to one region, `REG`), with `*` where a count is under statistical secrecy. The rows are summed to
region x occupation and to France x occupation. A masked cell is counted in `*_masked`, never summed
as 0: a total with masked cells is a lower bound, and a total with no known cell is null. Shares
must use the `*_both_known` sums, taken over the cells where both counts are known (more `xmet` than
`met` cells are masked, so dividing the plain sums would bias the share).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
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
    matches,
    read_csv_text,
    region_codes,
    require_columns,
    require_rows,
    text_frame,
)

YEAR, OCCUPATION, OCCUPATION_LABEL, FAMILY, FAMILY_LABEL = (
    "annee", "Code métier BMO", "Nom métier BMO", "Famille_met", "Lbl_fam_met"
)
REGION, DEPARTMENT, AREA = "REG", "Dept", "BE24"
COUNTS = {"met": "projects", "xmet": "difficult", "smet": "seasonal"}
REQUIRED = [YEAR, OCCUPATION, OCCUPATION_LABEL, FAMILY, FAMILY_LABEL, REGION, "NOM_REG", DEPARTMENT, AREA, *COUNTS]
MASKED = "*"
# FAP 2021 at 228 codes: `T2A60`, `W1X80`, and in the banking domain `QAX01` (a letter in second place).
OCCUPATION_PATTERN = r"[A-Z][0-9A-Z][A-Z]\d{2}"
MIN_ROWS = 1_000
SHEET_PREFIX = "BMO"
HEADER_SEARCH_ROWS = 20

SCHEMA = pa.schema([
    ("year", pa.int16()),
    ("level", pa.string()),
    ("region", pa.string()),
    ("occupation", pa.string()),
    ("occupation_label", pa.string()),
    ("family", pa.string()),
    ("family_label", pa.string()),
    ("areas", pa.int32()),
    ("projects", pa.int32()),
    ("projects_masked", pa.int32()),
    ("difficult", pa.int32()),
    ("difficult_masked", pa.int32()),
    ("seasonal", pa.int32()),
    ("seasonal_masked", pa.int32()),
    ("projects_both_known", pa.int32()),
    ("difficult_both_known", pa.int32()),
    ("projects_seasonal_known", pa.int32()),
    ("seasonal_both_known", pa.int32()),
])


def parse(path: Path) -> ParsedSource:
    areas = read_areas(path)
    validate(path, areas)
    return ParsedSource(tables={"bmo": aggregate(areas)}, rows=len(areas))


def read_areas(path: Path) -> pd.DataFrame:
    """The employment-area rows as text, from the CSV mirror, the XLSX workbook or the ZIP that holds it."""
    with path.open("rb") as stream:
        is_zip = stream.read(4) == b"PK\x03\x04"  # an XLSX workbook is itself a ZIP archive
    return read_workbook(path) if is_zip else read_csv_text(path)


def read_workbook(path: Path) -> pd.DataFrame:
    # Imported here: only the producer's workbook needs it, not the mirror CSV nor the other sources.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" in names:
                workbook_file: Path | io.BytesIO = path
            else:
                # data.gouv.fr serves the workbook inside a ZIP archive (Donnees_consolidees_2024/…xlsx).
                inner = [name for name in names if name.lower().endswith(".xlsx")]
                if len(inner) != 1:
                    raise SourceError(path, f"archive ZIP sans classeur XLSX unique ({len(inner)} trouvés)")
                workbook_file = io.BytesIO(archive.read(inner[0]))
        workbook = openpyxl.load_workbook(workbook_file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise SourceError(path, f"classeur XLSX ou archive ZIP illisible ({error})") from error
    try:
        sheets = [name for name in workbook.sheetnames if name.startswith(SHEET_PREFIX)]
        if not sheets:
            raise SourceError(path, f"aucune feuille « {SHEET_PREFIX}… » (feuilles : {', '.join(workbook.sheetnames)})")
        sheet = workbook[sheets[0]]
        # Read every row whatever the declared <dimension>: exports often declare a wrong one (even "A1").
        sheet.reset_dimensions()
        return _sheet_frame(path, sheet.iter_rows(values_only=True))
    except (zipfile.BadZipFile, EOFError) as error:  # read-only mode reads the sheet lazily: damage shows here
        raise SourceError(path, f"classeur XLSX tronqué ou illisible ({error})") from error
    finally:
        workbook.close()


def _sheet_frame(path: Path, rows: Iterable[tuple[object, ...]]) -> pd.DataFrame:
    header: list[str] | None = None
    records: list[list[str]] = []
    lines: list[int] = []
    first_filled: list[str] | None = None
    for line, row in enumerate(rows, start=1):
        cells = [_cell_text(value) for value in row]
        if not any(cells):
            continue
        if header is None:
            first_filled = first_filled or cells
            if set(REQUIRED) <= set(cells):
                header = _trim_trailing_empty(cells)
            elif line >= HEADER_SEARCH_ROWS:
                break
            continue
        width = len(header)
        records.append(cells if any(cells[width:]) else (cells + [""] * width)[:width])
        lines.append(line)
    if header is None:
        if first_filled is None:
            raise SourceError(path, "feuille vide")
        header = _trim_trailing_empty(first_filled)  # require_columns will name what is missing
    return text_frame(path, header, records, lines)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _trim_trailing_empty(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def validate(path: Path, areas: pd.DataFrame) -> None:
    """Refuse the file unless every row is usable; normalises the codes in place (`1` -> `01`, spaces)."""
    require_columns(path, areas, REQUIRED)
    require_rows(path, areas, MIN_ROWS)
    # Strips spaces, no-break ones included (some occupation labels end with U+00A0).
    for column in (YEAR, OCCUPATION, OCCUPATION_LABEL, FAMILY, FAMILY_LABEL, DEPARTMENT, AREA):
        areas[column] = areas[column].str.strip()
    areas[REGION] = region_codes(areas[REGION])
    check_values(path, areas, YEAR, matches(areas[YEAR], r"\d{4}"), "année sur 4 chiffres attendue")
    check_values(path, areas, REGION, areas[REGION].isin(REGION_CODES), "code de région INSEE attendu")
    check_values(path, areas, OCCUPATION, matches(areas[OCCUPATION], OCCUPATION_PATTERN), "code FAP 2021 attendu")
    check_values(path, areas, FAMILY, matches(areas[FAMILY], r"[A-Z]"), "lettre de famille de métiers attendue")
    check_values(path, areas, AREA, areas[AREA].ne(""), "code de bassin d'emploi attendu")
    for column in COUNTS:
        check_values(path, areas, column, matches(areas[column], r"\d+|\*"), "entier positif ou * attendu")
    check_unique(path, areas, [YEAR, OCCUPATION, AREA, DEPARTMENT], "bassin d'emploi × département × métier")


def aggregate(areas: pd.DataFrame) -> pa.Table:
    """Employment-area rows -> one row per region x occupation and one per occupation for France.

    `areas` counts the rows summed (one per area, or per department part of an area), the unit in
    which `*_masked` counts masked cells.
    """
    measures = _area_measures(areas)
    measures["year"] = areas[YEAR].astype("int16")
    measures["region"] = areas[REGION]
    measures["occupation"] = areas[OCCUPATION]
    regional = _sum(measures, ["year", "region", "occupation"]).assign(level="reg")
    national = _sum(measures, ["year", "occupation"]).assign(level="nat", region=None)
    labels = (
        areas.drop_duplicates(OCCUPATION)[[OCCUPATION, OCCUPATION_LABEL, FAMILY, FAMILY_LABEL]]
        .rename(columns={OCCUPATION: "occupation", OCCUPATION_LABEL: "occupation_label",
                         FAMILY: "family", FAMILY_LABEL: "family_label"})
    )
    table = (
        pd.concat([national, regional], ignore_index=True)
        .merge(labels, on="occupation", how="left", validate="many_to_one")
        .sort_values(["level", "region", "occupation"], na_position="first")
    )
    return arrow_table(table, SCHEMA)


def _area_measures(areas: pd.DataFrame) -> pd.DataFrame:
    """Per area: each known count (0 when masked, with its `_known`/`_masked` flags) and the paired sums."""
    measures = pd.DataFrame(index=areas.index)
    known: dict[str, pd.Series] = {}
    for column, name in COUNTS.items():
        known[name] = areas[column].ne(MASKED)
        measures[name] = areas[column].where(known[name], "0").astype("int64")
        measures[f"{name}_known"] = known[name].astype("int64")
        measures[f"{name}_masked"] = (~known[name]).astype("int64")
    difficult_pair = known["projects"] & known["difficult"]
    measures["projects_both_known"] = measures["projects"].where(difficult_pair, 0)
    measures["difficult_both_known"] = measures["difficult"].where(difficult_pair, 0)
    seasonal_pair = known["projects"] & known["seasonal"]
    measures["projects_seasonal_known"] = measures["projects"].where(seasonal_pair, 0)
    measures["seasonal_both_known"] = measures["seasonal"].where(seasonal_pair, 0)
    return measures


def _sum(measures: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = measures.groupby(keys, sort=False)
    sums = grouped.sum().join(grouped.size().rename("areas")).reset_index()
    for name in COUNTS.values():
        # No known area: the total is unknown, not 0.
        sums[name] = sums[name].astype("Int64").where(sums.pop(f"{name}_known") > 0)
    return sums


CONNECTOR = Connector(
    name="bmo",
    producer="France Travail",
    title="Enquête Besoins en main-d'œuvre 2024",
    url="https://www.data.gouv.fr/fr/datasets/r/4319f5e8-a8e6-476c-8da0-c0d3439ebb55",
    licence="Licence Ouverte / Etalab 2.0",
    licence_note=(
        "Licence indiquée par d'autres documentations publiques de la BMO, non vérifiée sur la page du producteur. "
        "Citer « France Travail, enquête BMO 2024 ». Le miroir CSV est un export fidèle de la feuille "
        "BMO_2024_open_data du classeur officiel (copie du dépôt dataforgoodfr/13_odis, sous licence MIT)."
    ),
    mirror_name="francetravail-bmo-2024-bassins-emploi.csv",
    # No extension: the file is the producer's ZIP/XLSX or the mirror's CSV; the parser tells them apart.
    raw_name="francetravail-bmo-2024",
    year=2024,
    parse=parse,
)
