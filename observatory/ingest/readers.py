"""Read an import file (CSV, XLSX or Parquet) into a frame of text cells, whatever its format.

Every cell becomes a string (empty for a missing value) so that one validator judges them all,
and each row keeps the line number a user sees in a spreadsheet or a text editor. Hostile files
are refused before they are read: links and anything but a regular file, an XLSX archive that
would inflate beyond its limits, a Parquet file with nested or binary columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

CSV_ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp1252", "latin-1")
SEPARATORS: tuple[str, ...] = (";", ",", "\t")
# What an XLSX archive may hold once inflated, checked from its directory before any reading: a
# sheet of employees compresses far less than XLSX_MAX_RATIO (bench/README.md, section « Fichiers
# importés »), a "zip bomb" hundreds or thousands of times.
XLSX_MAX_INFLATED = 1 << 30
XLSX_MAX_RATIO = 100
XLSX_RATIO_FROM = 1 << 20  # small entries (styles, themes) may compress better than that
XLSX_MAX_ENTRIES = 10_000


class ReadError(ValueError):
    """The file cannot be read as a table; the message is French and names the file."""


@dataclass(frozen=True)
class RawFile:
    name: str
    frame: pd.DataFrame  # text cells, columns as written in the header
    first_line: int  # line number of the first data row (2 below a header, 1 in Parquet)
    row_word: str  # "ligne" in text and spreadsheets, "rangée" in Parquet

    def line(self, index: int) -> int:
        return self.first_line + index


def read(path: Path) -> RawFile:
    try:
        info = path.lstat()
    except OSError:
        raise ReadError(f"{path.name} : fichier introuvable") from None
    if stat.S_ISLNK(info.st_mode):
        raise ReadError(f"{path.name} : lien symbolique refusé (donnez le fichier lui-même)")
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(f"{path.name} : pas un fichier ordinaire (dossier, tube ou périphérique refusé)")
    if info.st_size == 0:
        raise ReadError(f"{path.name} : fichier vide")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path)
    raise ReadError(f"{path.name} : format non pris en charge (CSV, XLSX ou Parquet attendu)")


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(f"{path.name} : encodage illisible (UTF-8 ou Latin-1 attendu)")  # latin-1 never fails


def _read_csv(path: Path) -> RawFile:
    text = _decode(path)
    header = text.split("\n", 1)[0]
    separator = max(SEPARATORS, key=header.count)
    if header.count(separator) == 0:
        raise ReadError(f"{path.name} : une seule colonne lue ; séparateur « ; » ou « , » attendu")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False,
                            quoting=csv.QUOTE_MINIMAL, skip_blank_lines=True)
    except (pd.errors.ParserError, ValueError) as error:
        raise ReadError(f"{path.name} : CSV mal formé ({str(error).splitlines()[0]})") from error
    return RawFile(path.name, frame, first_line=2, row_word="ligne")


def _cell_text(value: object) -> str:
    """A spreadsheet cell as text: dates in ISO form, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_archive(path: Path) -> None:
    """Refuse an XLSX whose archive would inflate beyond the limits, from its directory alone."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise ReadError(f"{path.name} : classeur XLSX illisible ({type(error).__name__})") from error
    if len(entries) > XLSX_MAX_ENTRIES:
        raise ReadError(f"{path.name} : archive XLSX de {len(entries)} éléments refusée (au plus {XLSX_MAX_ENTRIES})")
    inflated = sum(entry.file_size for entry in entries)
    if inflated > XLSX_MAX_INFLATED:
        raise ReadError(f"{path.name} : classeur XLSX de {inflated // (1 << 20)} Mo une fois décompressé, refusé "
                        f"(au plus {XLSX_MAX_INFLATED // (1 << 20)} Mo : importez plutôt un CSV ou un Parquet)")
    for entry in entries:
        if entry.file_size > XLSX_RATIO_FROM and entry.file_size > XLSX_MAX_RATIO * max(entry.compress_size, 1):
            raise ReadError(f"{path.name} : classeur XLSX refusé, {entry.filename} se décompresse "
                            f"{entry.file_size // max(entry.compress_size, 1)} fois (au plus {XLSX_MAX_RATIO} : "
                            "archive piégée ou anormale)")


def _read_xlsx(path: Path) -> RawFile:
    _check_archive(path)
    from openpyxl import load_workbook  # imported here: only imports of spreadsheets need it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise ReadError(f"{path.name} : classeur XLSX illisible ({type(error).__name__})") from error
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ReadError(f"{path.name} : première feuille vide")
        names = [_cell_text(cell).strip() for cell in header]
        while names and not names[-1]:
            names.pop()
        body = [[_cell_text(cell) for cell in row[: len(names)]] for row in rows]
    finally:
        book.close()
    while body and not any(cell.strip() for cell in body[-1]):
        body.pop()  # trailing formatted but empty rows
    frame = pd.DataFrame([row + [""] * (len(names) - len(row)) for row in body], columns=names, dtype=str)
    return RawFile(path.name, frame, first_line=2, row_word="ligne")


# Column types an import may hold: flat values written as text by any tool.
FLAT = (pa.types.is_integer, pa.types.is_floating, pa.types.is_boolean, pa.types.is_string, pa.types.is_large_string,
        pa.types.is_date, pa.types.is_timestamp, pa.types.is_decimal, pa.types.is_null, pa.types.is_dictionary)


def _read_parquet(path: Path) -> RawFile:
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as error:
        raise ReadError(f"{path.name} : fichier Parquet illisible ({str(error).splitlines()[0]})") from error
    for field in schema:
        kind = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
        if not any(test(kind) for test in FLAT) or pa.types.is_dictionary(kind):
            raise ReadError(f"{path.name} : colonne « {field.name} » de type {kind} refusée (valeurs simples "
                            "attendues : texte, nombre, date, booléen ; ni liste, ni structure, ni binaire)")
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as error:
        raise ReadError(f"{path.name} : fichier Parquet illisible ({str(error).splitlines()[0]})") from error
    frame = pd.DataFrame({name: _arrow_text(table.column(name)) for name in table.column_names})
    return RawFile(path.name, frame, first_line=1, row_word="rangée")


def _arrow_text(column: pa.ChunkedArray) -> pd.Series:
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
    if pa.types.is_timestamp(kind):
        column = column.cast(pa.date32())
    values = column.cast(pa.string()) if not pa.types.is_string(column.type) else column
    return pd.Series(values.to_pylist(), dtype=object).fillna("").astype(str)
