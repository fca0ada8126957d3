"""`python -m observatory ingest DATASET FILE...`: every file is read and validated in full,
and only a clean import is published, as a new snapshot in which the other datasets are those of
the active one. A failed import changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from observatory import publishing, snapshots
from observatory.contracts import CONTRACTS, to_arrow
from observatory.ingest import readers, record_keys, validation
from observatory.ingest.validation import Problem


class IngestError(ValueError):
    """The import was refused; `problems` say where and why (French)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{total(problems)} problème(s)")
        self.problems = problems


def total(problems: list[Problem]) -> int:
    return sum(problem.count for problem in problems)


@dataclass(frozen=True)
class Checked:
    """Files read, typed and validated: ready to publish."""

    dataset: str
    frame: pd.DataFrame
    files: tuple[dict, ...]  # name, sha256, rows of each imported file


def check(dataset: str, paths: list[Path]) -> Checked:
    """Read and validate every file; raise IngestError with all the problems found."""
    if dataset not in CONTRACTS:
        known = ", ".join(CONTRACTS)
        raise IngestError([Problem("", None, "", f"jeu de données inconnu « {dataset} » (attendus : {known})")])
    contract = CONTRACTS[dataset]
    problems: list[Problem] = []
    typed: list[tuple[readers.RawFile, pd.DataFrame]] = []
    for path in paths:
        try:
            raw = readers.read(path)
        except readers.ReadError as error:
            problems.append(Problem(path.name, None, "", str(error).split(" : ", 1)[-1]))
            continue
        header = validation.check_header(raw, contract)
        if header:
            problems += header
            continue
        frame, cells = validation.type_rows(raw, contract)
        problems += cells
        typed.append((raw, frame))
    if not problems:
        problems = validation.duplicate_problems(typed, contract)
    if problems:
        raise IngestError(problems)
    files = tuple({"file": raw.name, "sha256": snapshots.sha256(path), "rows": len(frame)}
                  for (raw, frame), path in zip(typed, paths, strict=True))
    return Checked(dataset, pd.concat([frame for _raw, frame in typed], ignore_index=True), files)


def publish(checked: Checked, root: Path | None = None) -> snapshots.Snapshot:
    """Publish the checked rows with their record keys; the other datasets are carried over."""
    contract = CONTRACTS[checked.dataset]
    keys = record_keys.record_keys(checked.frame, contract, record_keys.secret(root))
    table = to_arrow(checked.frame, contract, keys)
    return publishing.publish_tables(
        {checked.dataset: table}, origin="ingest", root=root, carry_over=True,
        entry_extras={checked.dataset: {"imported_from": list(checked.files)}},
    )


def ingest(dataset: str, paths: list[Path], root: Path | None = None) -> snapshots.Snapshot:
    return publish(check(dataset, paths), root)
