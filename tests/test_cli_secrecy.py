"""The CLI publishes only protected values: secret cells are empty, never their true value."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _cli(data_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OBSERVATORY_DATA_DIR": str(data_root)}
    return subprocess.run([sys.executable, "-m", "observatory", "table", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


REQUESTS = [
    ("employees", "occupation,sex", ["--year", "2024", "--region", "94"]),
    ("employees", "region,age_band", ["--year", "2020", "--branch", "alisfa"]),
    ("employees", "branch,employer_size", ["--year", "2025"]),
]


@pytest.mark.parametrize(("dataset", "by", "filters"), REQUESTS)
def test_secret_cells_are_empty_in_csv_and_json(data_root, frames, dataset, by, filters) -> None:
    dims = by.split(",")
    csv_run = _cli(data_root, dataset, "--by", by, "--measure", "effectif", *filters)
    json_run = _cli(data_root, dataset, "--by", by, "--measure", "effectif", "--format", "json", *filters)
    assert csv_run.returncode == 0 and json_run.returncode == 0, csv_run.stderr
    rows = list(csv.DictReader(io.StringIO(csv_run.stdout)))
    records = json.loads(json_run.stdout)["rows"]
    assert len(rows) == len(records) > 0
    secret = [r for r in rows if r["status"] == "secret"]
    assert secret, "the request was chosen to contain secret cells"
    employees = frames["employees"]
    year = int(filters[filters.index("--year") + 1])
    selected = employees[employees["year"] == year]
    for flag, column in (("--region", "region"), ("--branch", "branch")):
        if flag in filters:
            selected = selected[selected[column] == filters[filters.index(flag) + 1]]
    if "age_band" in dims:
        bins = [-1, 24, 34, 44, 54, 200]
        labels = ["moins_25", "25_34", "35_44", "45_54", "55_plus"]
        selected = selected.assign(age_band=pd.cut(selected["age"].astype(int), bins=bins, labels=labels).astype(str))
    truth = selected.groupby(dims).size()
    for row in secret:
        assert row["value"] == "", "a secret cell is empty, never 0"
        numbers = [v for k, v in row.items() if k not in dims and not k.endswith("_label") and k != "status"]
        assert numbers == [""], "no figure at all on a secret line"
        assert str(truth.get(tuple(row[d] for d in dims), 0)) not in numbers
    for record in records:
        if record["status"] == "secret":
            assert record["value"] is None


@pytest.mark.parametrize("args", [
    ["employees", "--by", "branch", "--measure", "inconnue"],
    ["employees", "--by", "scheme", "--measure", "effectif"],
    ["employees", "--by", "branch", "--measure", "effectif", "--branch", "'; DROP TABLE employees; --"],
    ["employees", "--by", "branch", "--measure", "effectif", "--year", "3000"],
    ["vacancies", "--by", "branch", "--measure", "effectif"],
])
def test_bad_requests_get_a_french_message_and_no_traceback(data_root, args) -> None:
    run = _cli(data_root, *args)
    assert run.returncode != 0
    assert "Erreur" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
