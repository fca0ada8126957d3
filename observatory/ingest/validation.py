"""Validate text cells against a dataset contract and type them.

Every problem is kept as (file, line, column, reason, value), so that a user can open the file
and fix it; nothing is dropped or guessed silently. The few repairs made are the unambiguous
ones spreadsheets cause: spaces around a value, a region code that lost its leading zero, a
decimal comma, a thousands space.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatory.contracts import RKEY, Column, Contract
from observatory.ingest.readers import RawFile

TRUE_WORDS = frozenset({"true", "vrai", "oui", "o", "1", "t", "y", "yes"})
FALSE_WORDS = frozenset({"false", "faux", "non", "n", "0", "f", "no"})
DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%d/%m/%Y")
DATE_BOUNDS = (pd.Timestamp("2000-01-01"), pd.Timestamp("2035-12-31"))
_SPACES = re.compile(r"[\s\u00a0\u202f]")
EXAMPLES = 5  # rows listed for one column and reason; the others are counted in one summary line


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # None: the problem is the file's or a column's, not a row's
    column: str
    reason: str  # French
    value: str = ""
    row_word: str = "ligne"
    count: int = 1  # a summary line stands for this many problems

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, {self.row_word} {self.line}"
        column = f", colonne {self.column}" if self.column else ""
        value = f" (valeur : « {self.value[:40]} »)" if self.value else ""
        return f"{where}{column} : {self.reason}{value}"


def check_header(raw: RawFile, contract: Contract) -> list[Problem]:
    """Missing and unexpected columns; a near miss is pointed out ("age " for "age")."""
    present = [str(name).strip() for name in raw.frame.columns]
    raw.frame.columns = present
    problems = []
    for name in contract.names:
        if name not in present:
            near = difflib.get_close_matches(name, present, n=1, cutoff=0.75)
            hint = f" ; la colonne « {near[0]} » lui ressemble" if near else ""
            problems.append(Problem(raw.name, 1, name, f"colonne obligatoire absente{hint}"))
    for name in present:
        if name not in contract.names:
            reason = ("colonne non attendue : la clé d'enregistrement est calculée à l'import"
                      if name == RKEY else "colonne non attendue par le contrat")
            problems.append(Problem(raw.name, 1, name, reason))
    duplicated = sorted({name for name in present if present.count(name) > 1})
    problems += [Problem(raw.name, 1, name, "colonne présente plusieurs fois") for name in duplicated]
    if not problems and raw.frame.empty:
        problems.append(Problem(raw.name, None, "", "aucune ligne de données sous l'en-tête"))
    return problems


def type_rows(raw: RawFile, contract: Contract) -> tuple[pd.DataFrame, list[Problem]]:
    """The typed frame (one column per contract column) and the problems of its cells."""
    typed: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for column in contract.columns:
        text = raw.frame[column.name].astype(str).str.strip()
        values, bad = _parse(text, column)
        empty = text.eq("")
        if not column.nullable:
            problems += _report(raw, column, empty, "valeur manquante", text)
        problems += _report(raw, column, bad & ~empty, _type_reason(column), text)
        out_of_range = _out_of_range(values, column) & ~bad & ~empty
        problems += _report(raw, column, out_of_range, f"valeur hors des bornes ({column.range_text()})", text)
        typed[column.name] = values
    frame = pd.DataFrame(typed)
    if not problems:
        for rule in contract.rules:
            broken = rule.violated(frame).fillna(False).to_numpy(bool)
            problems += _report(raw, contract.column(rule.columns[0]), pd.Series(broken), rule.reason,
                                raw.frame[rule.columns[0]].astype(str))
    return frame, problems


def duplicate_problems(frames: list[tuple[RawFile, pd.DataFrame]], contract: Contract) -> list[Problem]:
    """Rows whose identity (the contract's key) appears more than once, across all the files."""
    if contract.key is None:
        return []
    keys = list(contract.key)
    stacked = pd.concat([frame[keys].assign(_file=index, _row=np.arange(len(frame)))
                         for index, (_raw, frame) in enumerate(frames)], ignore_index=True)
    repeated = stacked[stacked.duplicated(keys, keep=False)]
    if repeated.empty:
        return []
    first = repeated.groupby(keys, sort=False, dropna=False)[["_file", "_row"]].transform("first")
    later = (repeated["_file"].to_numpy() != first["_file"].to_numpy()) | (
        repeated["_row"].to_numpy() != first["_row"].to_numpy())
    pairs = list(zip(repeated.loc[later, ["_file", "_row"]].itertuples(index=False),
                     first.loc[later].itertuples(index=False), strict=True))
    label = ", ".join(keys) if len(keys) < 5 else "toutes les colonnes"
    problems = []
    for (file_index, row), (first_file, first_row) in pairs[:EXAMPLES]:
        raw, first_raw = frames[file_index][0], frames[first_file][0]
        where = "" if first_file == file_index else f" de {first_raw.name}"
        problems.append(Problem(raw.name, raw.line(row), label,
                                f"doublon ({label}) de la {first_raw.row_word} {first_raw.line(first_row)}{where}",
                                row_word=raw.row_word))
    return problems + _summary(frames[0][0], label, "doublon", len(pairs) - len(problems))


def _type_reason(column: Column) -> str:
    if column.kind == "code":
        codes = column.allowed_codes()
        shown = ", ".join(codes[:6]) + (", …" if len(codes) > 6 else "")
        return f"code inconnu ({column.description} ; codes admis : {shown})"
    return {"int": "nombre entier attendu", "float": "nombre attendu (décimale « , » ou « . »)",
            "bool": "valeur oui/non attendue (oui, non, 1, 0, true, false)",
            "date": "date attendue (AAAA-MM-JJ ou JJ/MM/AAAA)"}[column.kind]


def _parse(text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    """(typed values with NA where empty or bad, mask of non-empty cells that could not be read)."""
    empty = text.eq("")
    if column.kind in ("int", "float"):
        cleaned = text.str.replace(_SPACES, "", regex=True).str.replace(",", ".", regex=False)
        numbers = pd.to_numeric(cleaned.where(~empty), errors="coerce")
        bad = numbers.isna() | ~np.isfinite(numbers.fillna(0))
        if column.kind == "int":
            bad |= numbers.notna() & (numbers != np.floor(numbers.fillna(0)))
            return numbers.where(~bad).astype("Int64"), bad & ~empty
        return numbers.where(~bad).astype("Float64"), bad & ~empty
    if column.kind == "bool":
        lowered = text.str.lower()
        values = pd.Series(pd.NA, index=text.index, dtype="boolean")
        values[lowered.isin(TRUE_WORDS)] = True
        values[lowered.isin(FALSE_WORDS)] = False
        return values, values.isna() & ~empty
    if column.kind == "date":
        values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        for date_format in DATE_FORMATS:
            missing = values.isna() & ~empty
            if missing.any():
                values[missing] = pd.to_datetime(text[missing], format=date_format, errors="coerce")
        return values, values.isna() & ~empty
    codes = text.where(~(text.str.fullmatch(r"\d") & (column.codes == "region")), "0" + text)
    bad = ~codes.isin(column.allowed_codes()) & ~empty
    return codes.where(~bad & ~empty), bad


def _out_of_range(values: pd.Series, column: Column) -> pd.Series:
    if column.kind == "date":
        return (values < DATE_BOUNDS[0]) | (values > DATE_BOUNDS[1])
    if column.kind not in ("int", "float"):
        return pd.Series(False, index=values.index)
    outside = pd.Series(False, index=values.index)
    if column.low is not None:
        outside |= (values <= column.low) if column.low_open else (values < column.low)
    if column.high is not None:
        outside |= values > column.high
    return outside.fillna(False).astype(bool)


def _report(raw: RawFile, column: Column, mask: pd.Series, reason: str, text: pd.Series) -> list[Problem]:
    rows = np.flatnonzero(mask.to_numpy(bool))
    listed = [Problem(raw.name, raw.line(int(row)), column.name, reason, str(text.iloc[row]), raw.row_word)
              for row in rows[:EXAMPLES]]
    return listed + _summary(raw, column.name, reason, len(rows) - len(listed))


def _summary(raw: RawFile, column: str, reason: str, others: int) -> list[Problem]:
    if others <= 0:
        return []
    words = raw.row_word + ("s" if others > 1 else "")
    return [Problem(raw.name, None, column, f"{reason} : {others:,} autres {words}".replace(",", "\u202f"),
                    count=others)]
