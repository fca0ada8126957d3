"""What every official open-data connector shares: its description, the download, the CSV reader, the checks.

A connector downloads one file from its producer (or copies it from a local mirror folder), then
parses it into Parquet-ready tables. Every problem found in a file is a `SourceError` whose French
message names the file and the fault, so an operator can act on it without reading a traceback.
"""

from __future__ import annotations

import csv
import hashlib
import http.client
import io
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from observatory.formatting import number

# The 18 INSEE regions since 2016 (5 DROM, then the 13 metropolitan regions).
REGION_CODES: frozenset[str] = frozenset(
    {"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"}
)
USER_AGENT = "observatoire-cohesion-sociale/0.1 (connecteurs de données ouvertes)"
_CHUNK = 1 << 20


class SourceError(ValueError):
    """A source file that cannot be fetched or trusted; the message says which file and what is wrong."""

    def __init__(self, file: Path | str, problem: str) -> None:
        self.file = Path(file).name
        self.problem = problem
        super().__init__(f"{self.file} : {problem}")

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str]]:  # picklable across processes
        return type(self), (self.file, self.problem)


@dataclass(frozen=True)
class ParsedSource:
    """A parsed source file: tables to store as Parquet, files to copy as they are, data rows read."""

    tables: dict[str, pa.Table]
    files: dict[str, Path] = field(default_factory=dict)
    rows: int = 0


@dataclass(frozen=True)
class Connector:
    """One official file: where it comes from, under which licence, and how to read it."""

    name: str
    producer: str
    title: str
    url: str
    licence: str
    licence_note: str
    mirror_name: str
    raw_name: str
    year: int
    parse: Callable[[Path], ParsedSource]


def fetch(connector: Connector, raw_dir: Path, mirror: Path | None = None, timeout: float = 60) -> Path:
    """Put the connector's file in `raw_dir` (from `mirror` when given, else from the producer) and return it.

    The file is written beside its target and renamed into place, so an interrupted copy or
    download never replaces a good cached file.
    """
    raw_dir.mkdir(parents=True, exist_ok=True)
    target = raw_dir / connector.raw_name
    if mirror is not None:
        source = mirror / connector.mirror_name
        if not source.is_file():
            raise SourceError(source, f"fichier absent du dossier miroir {mirror}")
        with source.open("rb") as stream:
            _write_atomically(target, stream, expected_size=source.stat().st_size)
        return target
    _download(connector.url, target, timeout)
    return target


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """data.gouv.fr answers with redirects: follow them, but never down to plain http."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith("https://"):
            raise urllib.error.URLError(f"redirection refusée vers une adresse non https : {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _download(url: str, target: Path, timeout: float) -> None:
    if not url.lower().startswith("https://"):
        raise SourceError(target, f"adresse refusée (https obligatoire) : {url}")
    opener = urllib.request.build_opener(_HttpsOnlyRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            _write_atomically(target, response, expected_size=int(length) if length and length.isdigit() else None)
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        if isinstance(error, urllib.error.HTTPError):
            reason: object = f"HTTP {error.code} {error.reason}"
        else:
            reason = getattr(error, "reason", None) or error
        raise SourceError(
            target, f"téléchargement impossible depuis {url} ({reason}) ; utilisez --mirror DOSSIER"
        ) from error


def _write_atomically(target: Path, stream: BinaryIO, expected_size: int | None) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            shutil.copyfileobj(stream, out, _CHUNK)
            out.flush()
            os.fsync(out.fileno())
            written = out.tell()
        # http.client does not complain when a connection closes before Content-Length: check here.
        if expected_size is not None and written != expected_size:
            raise SourceError(target, f"fichier incomplet : {number(written)} octets reçus sur {number(expected_size)}")
        if written == 0:
            raise SourceError(target, "fichier vide reçu")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_csv_text(path: Path) -> pd.DataFrame:
    """Every cell of a UTF-8 CSV (`,` or `;`) as text, header names stripped, indexed by line number.

    Well-formed files (one record per line, as every producer writes them) are read by pyarrow,
    several times faster than the `csv` module. Anything else (a short or long line, a blank line,
    bad UTF-8, a line break inside quotes) is re-read with the `csv` module, which accepts what is
    valid and names the line of what is not: pandas would silently pad a short line with missing
    values, which is exactly how a truncated download looks.
    """
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(path, "fichier vide")
    first_line = data.split(b"\n", 1)[0]
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    try:
        header = next(csv.reader([first_line.decode("utf-8-sig")], delimiter=delimiter))
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (UnicodeDecodeError, csv.Error, pa.ArrowInvalid):
        return _read_csv_exactly(path, data, delimiter)
    ends_cleanly = data.endswith((b"\n", b"\r"))
    line_count = data.count(b"\n") + (0 if ends_cleanly else 1)
    if len(set(header)) != len(header) or table.num_rows != line_count - 1:
        return _read_csv_exactly(path, data, delimiter)  # blank lines, or a record spread over lines
    if not ends_cleanly:
        _refuse_unterminated(path, line_count)
    frame = table.to_pandas()
    frame.columns = [name.strip() for name in header]
    frame.index = pd.RangeIndex(2, line_count + 1, name="line")
    _check_header(path, list(frame.columns))
    return frame


def _read_csv_exactly(path: Path, data: bytes, delimiter: str) -> pd.DataFrame:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(path, f"encodage invalide à l'octet {number(error.start)} (UTF-8 attendu)") from error
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    try:
        header = [name.strip() for name in next(reader)]
        for record in reader:
            if record:  # blank lines carry nothing
                records.append(record)
                lines.append(reader.line_num)
    except csv.Error as error:
        raise SourceError(path, f"ligne {number(reader.line_num)} : CSV mal formé ({error})") from error
    return text_frame(path, header, records, lines, ends_cleanly=text.endswith(("\n", "\r")))


def text_frame(
    path: Path, header: list[str], records: list[list[str]], lines: Sequence[int], ends_cleanly: bool = True
) -> pd.DataFrame:
    """Text records -> a frame indexed by line number, refusing short or long records."""
    _check_header(path, header)
    width = len(header)
    for position, record in enumerate(records):
        if len(record) == width:
            continue
        line = number(lines[position])
        detail = f"{len(record)} champs au lieu de {width}"
        if len(record) > width:
            raise SourceError(path, f"ligne {line} : {detail}")
        prefix = "fichier tronqué : " if position == len(records) - 1 else ""
        raise SourceError(path, f"{prefix}ligne {line} incomplète ({detail})")
    if not ends_cleanly and records:
        _refuse_unterminated(path, lines[-1])
    return pd.DataFrame(records, columns=header, index=pd.Index(lines, name="line"), dtype=str)


def _check_header(path: Path, header: list[str]) -> None:
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise SourceError(path, f"colonnes en double : {', '.join(duplicated)}")


def _refuse_unterminated(path: Path, line: int) -> None:
    # Every producer file ends with a line break; without one, the last field may have been cut.
    raise SourceError(path, f"fichier tronqué : ligne {number(line)} incomplète (pas de fin de ligne)")


def require_columns(path: Path, frame: pd.DataFrame, required: list[str]) -> None:
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise SourceError(path, f"colonnes manquantes : {', '.join(missing)}")


def require_rows(path: Path, frame: pd.DataFrame, minimum: int) -> None:
    if len(frame) < minimum:
        raise SourceError(path, f"{number(len(frame))} lignes seulement (au moins {number(minimum)} attendues)")


def check_values(path: Path, frame: pd.DataFrame, column: str, valid: pd.Series, expected: str) -> None:
    """Fail on the first cell of `column` where `valid` is false, saying what was expected and how many are bad."""
    invalid = ~valid.fillna(False).astype(bool)
    if not invalid.any():
        return
    line = invalid.idxmax()
    count = int(invalid.sum())
    others = f" ; {number(count)} valeurs invalides dans cette colonne" if count > 1 else ""
    raise SourceError(
        path, f"ligne {number(line)} : valeur « {frame.at[line, column]} » invalide dans {column} ({expected}){others}"
    )


def check_unique(path: Path, frame: pd.DataFrame, key: list[str], what: str) -> None:
    duplicated = frame.duplicated(key, keep="first")
    if duplicated.any():
        line = duplicated.idxmax()
        values = ", ".join(str(frame.at[line, name]) for name in key)
        raise SourceError(path, f"ligne {number(line)} : {what} en double ({values})")


def arrow_table(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """The frame's schema columns as an Arrow table of exactly `schema` (no pandas metadata in the Parquet)."""
    return pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False).replace_schema_metadata()


def region_codes(values: pd.Series) -> pd.Series:
    """INSEE region codes as 2-character strings, whatever the producer wrote: `1`, `1.0`, ` 01`."""
    text = values.astype(str).str.strip().str.replace(r"\.0+$", "", regex=True)
    return text.where(~text.str.fullmatch(r"\d"), "0" + text)


def matches(values: pd.Series, pattern: str) -> pd.Series:
    return values.astype(str).str.fullmatch(pattern)

