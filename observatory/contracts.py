"""The data contracts of the snapshot datasets (README.md, « Importer ses propres données »): one
definition that the demo generator writes, the importer validates against and the methodology page describes.

A column has a storage type (the Arrow type written to Parquet, or `code`: a dictionary-encoded
string from a code list, or `date`), whether it may be empty, and the range a real value can take.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa

from observatory import reference

RKEY = "rkey"  # every dataset also carries the record key of the secrecy rules, in [0, 1)


@cache
def code_values(list_name: str) -> tuple[str, ...]:
    """The allowed codes of a coded column, in the order the demo generator indexes them."""
    if list_name == "employer_size":
        return tuple(reference.EMPLOYER_SIZES)
    if list_name == "sex":
        return tuple(reference.SEXES)
    if list_name == "contract":
        return tuple(sorted(reference.CONTRACTS))
    if list_name == "certification":
        return tuple(sorted(reference.certifications()["code"]))
    return tuple(sorted(reference.code_lists()[list_name].labels))


@dataclass(frozen=True)
class Column:
    name: str
    storage: str  # int8 | int16 | int32 | int64 | float32 | float64 | bool | date | code
    description: str  # French, for error messages and the methodology page
    codes: str | None = None  # name of the code list of a `code` column
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # the lower bound itself is not allowed (fte > 0)
    nullable: bool = False

    @property
    def kind(self) -> str:
        if self.storage.startswith("int"):
            return "int"
        if self.storage.startswith("float"):
            return "float"
        return self.storage

    def allowed_codes(self) -> tuple[str, ...]:
        assert self.codes is not None
        return code_values(self.codes)

    def range_text(self) -> str:
        low = "" if self.low is None else ("> " if self.low_open else "≥ ") + f"{self.low:g}"
        high = "" if self.high is None else f"≤ {self.high:g}"
        return " et ".join(part for part in (low, high) if part)


@dataclass(frozen=True)
class Rule:
    """A condition between columns: `violated(frame)` marks the typed rows that break it."""

    columns: tuple[str, ...]
    reason: str  # French
    violated: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Contract:
    dataset: str
    title: str  # French
    grain: str  # what one row is, in French
    columns: tuple[Column, ...]
    # Columns that identify a row; None: a row is identified by its whole content (and, for
    # identical rows, by their order of appearance, since two identical openings are possible).
    key: tuple[str, ...] | None = None
    rules: tuple[Rule, ...] = field(default=())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


_YEAR = Column("year", "int16", "année", low=min(reference.YEARS), high=max(reference.YEARS))
_PERSON = Column("person_id", "int64", "identifiant pseudonymisé de la personne", low=0)
_EMPLOYER = Column("employer_id", "int32", "identifiant de l'employeur", low=0, high=2**31 - 1)
_BRANCH = Column("branch", "code", "branche professionnelle", codes="branch")
_REGION = Column("region", "code", "région (code INSEE)", codes="region")
_OCCUPATION = Column("occupation", "code", "métier (code FAP 2021)", codes="occupation")
_SEX = Column("sex", "code", "sexe (F ou M)", codes="sex")
_AGE = Column("age", "int8", "âge au 31 décembre", low=14, high=80)
_SIZE = Column("employer_size", "code", "taille de la structure", codes="employer_size")
_CONTRACT = Column("contract", "code", "type de contrat", codes="contract")
_FTE = Column("fte", "float32", "quotité de temps de travail (équivalent temps plein)", low=0, high=1, low_open=True)

EMPLOYEES = Contract(
    "employees", "Salariés", "une personne et une année (extrait de type DSN)",
    (
        _YEAR, _PERSON, _EMPLOYER, _BRANCH, _REGION, _OCCUPATION, _SEX, _AGE, _CONTRACT, _FTE,
        Column("gross_monthly_fte", "float64", "salaire brut mensuel en équivalent temps plein (€)",
               low=0, high=100_000, low_open=True),
        Column("hired", "bool", "entré(e) dans l'année"),
        Column("left", "bool", "sorti(e) dans l'année"),
        _SIZE,
    ),
    key=("year", "person_id"),
)

VACANCIES = Contract(
    "vacancies", "Offres et postes vacants", "une offre d'emploi",
    (
        _YEAR, _EMPLOYER, _BRANCH, _REGION, _OCCUPATION, _CONTRACT, _FTE,
        Column("posted_on", "date", "date de publication de l'offre"),
        Column("filled_on", "date", "date de pourvoi (vide si non pourvu)", nullable=True),
        Column("withdrawn_unfilled", "bool", "offre retirée faute de candidat"),
        Column("difficult", "bool", "recrutement jugé difficile par l'employeur"),
    ),
    rules=(
        Rule(("posted_on",), "la date de publication n'est pas dans l'année de la ligne",
             lambda f: f["posted_on"].dt.year != f["year"]),
        Rule(("filled_on",), "date de pourvoi antérieure à la date de publication",
             lambda f: f["filled_on"] < f["posted_on"]),
        Rule(("withdrawn_unfilled",), "offre retirée faute de candidat mais pourvue",
             lambda f: f["withdrawn_unfilled"] & f["filled_on"].notna()),
    ),
)

TRAINING = Contract(
    "training", "Formation", "un stagiaire et une action de formation",
    (
        _YEAR, _PERSON, _EMPLOYER, _BRANCH, _REGION, _OCCUPATION, _SEX, _AGE, _SIZE,
        Column("scheme", "code", "dispositif de formation", codes="scheme"),
        Column("certification", "code", "certification préparée (vide si aucune)", codes="certification",
               nullable=True),
        Column("hours", "float64", "durée de l'action (heures)", low=0, high=3_000, low_open=True),
        Column("cost_eur", "float64", "coût de l'action (€)", low=0, high=500_000),
        Column("completed", "bool", "action menée à son terme"),
    ),
)

CONTRACTS: dict[str, Contract] = {c.dataset: c for c in (EMPLOYEES, VACANCIES, TRAINING)}


SORT_KEYS: tuple[str, ...] = ("year", "branch", "region", "occupation")  # the common filters


def to_arrow(frame: pd.DataFrame, contract: Contract, record_keys: np.ndarray) -> pa.Table:
    """A validated, typed frame as the snapshot stores it: contract storage types, codes as
    dictionary strings over the full code list, rows sorted by the common filters."""
    order = np.lexsort(tuple(frame[key].astype(str).to_numpy() for key in reversed(SORT_KEYS)))
    columns: dict[str, pa.Array] = {}
    for column in contract.columns:
        values = frame[column.name].iloc[order]
        if column.kind == "code":
            codes = column.allowed_codes()
            indices = pd.Categorical(values, categories=codes).codes.astype(np.int16)
            columns[column.name] = pa.DictionaryArray.from_arrays(
                pa.array(indices, mask=indices < 0), pa.array(codes, pa.string()))
        elif column.kind == "date":
            columns[column.name] = pa.array(values.dt.date.where(values.notna(), None), pa.date32())
        else:
            arrow_type = pa.bool_() if column.kind == "bool" else getattr(pa, column.storage)()
            columns[column.name] = pa.array(values.to_numpy(dtype=object, na_value=None), arrow_type)
    columns[RKEY] = pa.array(record_keys[order], pa.float64())
    return pa.table(columns)
