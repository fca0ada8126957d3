"""Import of the observatory's own files: every format, every kind of bad input, stable record
keys, carry-over of the other datasets, rollback, and the new figures on the pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from observatory import contracts, publishing, snapshots
from observatory.filters import Filters
from observatory.ingest import importer, readers
from observatory.tables import TableBuilder
from observatory.warehouse import open_shared

ROOT = Path(__file__).resolve().parents[1]
ROWS = 400


@pytest.fixture(scope="module")
def samples(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A few hundred rows of each dataset of the test snapshot, as a user's file would hold them."""
    result = {}
    for name, frame in frames.items():
        sample = frame.drop(columns=[contracts.RKEY]).sample(ROWS, random_state=3).reset_index(drop=True)
        for column in ("posted_on", "filled_on"):
            if column in sample:
                sample[column] = pd.to_datetime(sample[column]).dt.strftime("%Y-%m-%d").fillna("")
        result[name] = sample
    return result


@pytest.fixture()
def root(tmp_path: Path, snapshot: snapshots.Snapshot, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose active snapshot is a small copy of the test snapshot."""
    data = tmp_path / "data"
    tables = {name: pq.read_table(snapshot.file(name)).slice(0, 2000) for name in snapshots.DATASETS}
    publishing.publish_tables(tables, origin="demo", root=data)
    monkeypatch.setenv("OBSERVATORY_RKEY_SECRET", "ab" * 32)
    return data


def write_csv(frame: pd.DataFrame, path: Path, sep: str = ";", decimal: str = ",", encoding: str = "utf-8") -> Path:
    frame.to_csv(path, sep=sep, decimal=decimal, index=False, encoding=encoding)
    return path


def state(root: Path) -> tuple[str, list[str]]:
    return os.readlink(snapshots.pointer(root)), sorted(p.name for p in snapshots.snapshots_dir(root).iterdir())


def imported(root: Path, dataset: str) -> pd.DataFrame:
    frame = pd.read_parquet(snapshots.active(root).file(dataset))
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    return frame


def same_rows(left: pd.DataFrame, right: pd.DataFrame, columns: list[str]) -> None:
    def normal(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame[columns].copy()
        for column in columns:
            if column in ("posted_on", "filled_on"):
                out[column] = pd.to_datetime(out[column].replace("", None)).dt.strftime("%Y-%m-%d")
            elif column in ("fte", "gross_monthly_fte", "hours", "cost_eur"):
                out[column] = out[column].astype(float).round(2)
            else:
                out[column] = out[column].astype(str)
        return out.sort_values(columns).reset_index(drop=True)
    pd.testing.assert_frame_equal(normal(left), normal(right), check_dtype=False)


@pytest.mark.parametrize("fmt", ["csv-semicolon-latin1", "csv-comma", "xlsx", "parquet"])
def test_every_format_imports_the_same_rows(root: Path, samples, tmp_path: Path, fmt: str) -> None:
    sample = samples["vacancies"]
    path = tmp_path / f"offres.{fmt.split('-')[0]}"
    if fmt == "csv-semicolon-latin1":
        write_csv(sample, path, encoding="latin-1")
    elif fmt == "csv-comma":
        write_csv(sample, path, sep=",", decimal=".")
    elif fmt == "xlsx":
        excel = sample.copy()
        excel["posted_on"] = pd.to_datetime(excel["posted_on"])
        excel["region"] = excel["region"].astype(int)  # as Excel does to "04"
        excel.to_excel(path, index=False)
    else:
        sample.to_parquet(path)
    before = snapshots.active(root)
    after = importer.ingest("vacancies", [path], root)
    assert after.id != before.id and after.manifest["previous"] == before.id
    assert after.origin_of("vacancies") == "ingest" and after.origin_of("employees") == "demo"
    same_rows(imported(root, "vacancies"), sample, list(contracts.VACANCIES.names))
    # the other datasets are carried over byte for byte
    for name in ("employees", "training"):
        assert after.manifest["datasets"][name]["sha256"] == before.manifest["datasets"][name]["sha256"]
    assert after.manifest["datasets"]["vacancies"]["imported_from"][0]["rows"] == ROWS
    assert snapshots.verify(after) == []


def test_record_keys_are_stable_keyed_and_uniform(root: Path, samples, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_csv(samples["employees"], tmp_path / "salaries.csv")
    first = imported(root, "employees") if importer.ingest("employees", [path], root) else None
    reordered = write_csv(samples["employees"].iloc[::-1], tmp_path / "salaries-inverse.csv", sep=",", decimal=".")
    importer.ingest("employees", [reordered], root)
    second = imported(root, "employees")
    key = ["year", "person_id"]
    merged = first.merge(second, on=key, suffixes=("", "_again"))
    assert len(merged) == ROWS and np.array_equal(merged["rkey"], merged["rkey_again"])
    monkeypatch.setenv("OBSERVATORY_RKEY_SECRET", "cd" * 32)
    importer.ingest("employees", [path], root)
    other = first.merge(imported(root, "employees"), on=key, suffixes=("", "_other"))
    assert (other["rkey"] != other["rkey_other"]).all()
    keys = first["rkey"].to_numpy()
    assert ((keys >= 0) & (keys < 1)).all() and len(np.unique(keys)) == ROWS


def corrupt(frame: pd.DataFrame, column: str, value: object, rows: tuple[int, ...] = (4,)) -> pd.DataFrame:
    out = frame.copy().astype({column: object})
    for row in rows:
        out.loc[row, column] = value
    return out


BAD_CELLS = [
    ("employees", "age", "trente", "nombre entier attendu"),
    ("employees", "age", "7", "hors des bornes"),
    ("employees", "fte", "1,5", "hors des bornes"),
    ("employees", "fte", "0", "hors des bornes"),
    ("employees", "gross_monthly_fte", "-1200", "hors des bornes"),
    ("employees", "gross_monthly_fte", "2500000", "hors des bornes"),
    ("employees", "branch", "inconnue", "code inconnu"),
    ("employees", "region", "99", "code inconnu"),
    ("employees", "occupation", "<script>alert(1)</script>", "code inconnu"),
    ("employees", "sex", "X", "code inconnu"),
    ("employees", "hired", "peut-être", "oui/non"),
    ("employees", "year", "2031", "hors des bornes"),
    ("employees", "person_id", "", "valeur manquante"),
    ("training", "scheme", "'; DROP TABLE training; --", "code inconnu"),
    ("training", "hours", "abc", "nombre attendu"),
    ("training", "cost_eur", "1e400", "nombre attendu"),
    ("vacancies", "posted_on", "31/02/2020", "date attendue"),
    ("vacancies", "posted_on", "1899-01-01", "hors des bornes"),
]


@pytest.mark.parametrize(("dataset", "column", "value", "reason"), BAD_CELLS)
def test_a_bad_cell_is_reported_with_its_line_and_nothing_is_published(
        root: Path, samples, tmp_path: Path, dataset: str, column: str, value: str, reason: str) -> None:
    path = write_csv(corrupt(samples[dataset], column, value, rows=(4, 9)), tmp_path / f"{dataset}.csv")
    before = state(root)
    with pytest.raises(importer.IngestError) as refused:
        importer.ingest(dataset, [path], root)
    messages = [str(p) for p in refused.value.problems]
    assert any(f"{path.name}, ligne 6, colonne {column} : " in m and reason in m for m in messages), messages
    assert any("ligne 11" in m for m in messages)
    assert state(root) == before


def test_rules_between_columns(root: Path, samples, tmp_path: Path) -> None:
    frame = samples["vacancies"]
    filled = frame.index[frame["filled_on"] != ""][0]
    bad = frame.copy()
    bad.loc[filled, "filled_on"] = "2000-01-01"
    path = write_csv(bad, tmp_path / "offres.csv")
    with pytest.raises(importer.IngestError) as refused:
        importer.ingest("vacancies", [path], root)
    assert [str(p) for p in refused.value.problems] == [
        f"offres.csv, ligne {filled + 2}, colonne filled_on : date de pourvoi antérieure à la date de publication"
        " (valeur : « 2000-01-01 »)"]


def test_header_problems(root: Path, samples, tmp_path: Path) -> None:
    frame = samples["employees"].rename(columns={"gross_monthly_fte": "gross_monthly"}).assign(rkey=0.5, note="x")
    path = write_csv(frame, tmp_path / "salaries.csv")
    before = state(root)
    with pytest.raises(importer.IngestError) as refused:
        importer.ingest("employees", [path], root)
    messages = "\n".join(str(p) for p in refused.value.problems)
    assert "colonne gross_monthly_fte : colonne obligatoire absente ; la colonne « gross_monthly » lui ressemble" \
        in messages
    assert "colonne rkey : colonne non attendue : la clé d'enregistrement est calculée à l'import" in messages
    assert "colonne note : colonne non attendue par le contrat" in messages
    assert state(root) == before


def test_duplicates_within_and_across_files(root: Path, samples, tmp_path: Path) -> None:
    frame = samples["employees"]
    doubled = pd.concat([frame, frame.iloc[[3]]], ignore_index=True)
    one = write_csv(doubled, tmp_path / "un.csv")
    two = write_csv(frame.iloc[[7]], tmp_path / "deux.csv")
    with pytest.raises(importer.IngestError) as refused:
        importer.ingest("employees", [one, two], root)
    messages = [str(p) for p in refused.value.problems]
    assert f"un.csv, ligne {ROWS + 2}, colonne year, person_id : doublon (year, person_id) de la ligne 5" in messages
    assert "deux.csv, ligne 2, colonne year, person_id : doublon (year, person_id) de la ligne 9 de un.csv" in messages
    # identical job openings are two openings, not a duplicate
    openings = pd.concat([samples["vacancies"], samples["vacancies"].iloc[[0]]], ignore_index=True)
    importer.ingest("vacancies", [write_csv(openings, tmp_path / "offres.csv")], root)
    keys = imported(root, "vacancies")["rkey"]
    assert len(keys) == ROWS + 1 and keys.nunique() == ROWS + 1


def test_unreadable_files(root: Path, samples, tmp_path: Path) -> None:
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    header_only = tmp_path / "entete.csv"
    header_only.write_text(";".join(contracts.EMPLOYEES.names) + "\n")
    damaged_xlsx = tmp_path / "abime.xlsx"
    damaged_xlsx.write_bytes(b"PK\x03\x04 pas un classeur")
    damaged_parquet = tmp_path / "abime.parquet"
    damaged_parquet.write_bytes(b"PAR1 tronque")
    wrong_format = tmp_path / "salaries.json"
    wrong_format.write_text("{}")
    one_column = tmp_path / "une.csv"
    one_column.write_text("year\n2020\n")
    truncated = tmp_path / "tronque.csv"
    text = samples["employees"].to_csv(sep=";", index=False)
    truncated.write_text(text[: len(text) // 2])
    expected = {
        empty: "fichier vide", header_only: "aucune ligne de données", damaged_xlsx: "classeur XLSX illisible",
        damaged_parquet: "fichier Parquet illisible", wrong_format: "format non pris en charge",
        one_column: "une seule colonne lue", truncated: "valeur manquante",
    }
    before = state(root)
    for path, reason in expected.items():
        with pytest.raises(importer.IngestError) as refused:
            importer.ingest("employees", [path], root)
        assert any(reason in str(p) and path.name in str(p) for p in refused.value.problems), (path, refused.value)
    with pytest.raises(importer.IngestError, match="problème"):
        importer.ingest("salaires", [empty], root)
    assert state(root) == before


def test_reader_keeps_spreadsheet_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a;b\n1;2\n3;4\n", encoding="latin-1")
    raw = readers.read(path)
    assert raw.line(0) == 2 and list(raw.frame["b"]) == ["2", "4"]


def test_many_problems_are_counted_not_all_listed(root: Path, samples, tmp_path: Path) -> None:
    path = write_csv(samples["employees"].assign(age="?"), tmp_path / "ages.csv")
    with pytest.raises(importer.IngestError) as refused:
        importer.ingest("employees", [path], root)
    assert importer.total(refused.value.problems) == ROWS
    assert len(refused.value.problems) <= 10
    assert str(refused.value.problems[-1]) == \
        f"ages.csv, colonne age : nombre entier attendu : {ROWS - 5} autres lignes"


def test_cli_exit_status_and_messages(root: Path, samples, tmp_path: Path) -> None:
    bad = write_csv(corrupt(samples["training"], "sex", "Z"), tmp_path / "formation.csv")
    env = {**os.environ, "OBSERVATORY_DATA_DIR": str(root)}
    before = state(root)
    refused = subprocess.run([sys.executable, "-m", "observatory", "ingest", "training", str(bad)],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1
    assert "Erreur : formation.csv, ligne 6, colonne sex : code inconnu" in refused.stderr
    assert "Import refusé : 1 problème(s) ; rien n'a été publié" in refused.stderr
    assert state(root) == before
    good = write_csv(samples["training"], tmp_path / "formation-ok.csv")
    accepted = subprocess.run([sys.executable, "-m", "observatory", "ingest", "training", str(good)],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert accepted.returncode == 0, accepted.stderr
    assert f"{ROWS} lignes de training importées" in accepted.stdout


def test_rollback_and_history(root: Path, samples, tmp_path: Path) -> None:
    path = write_csv(samples["vacancies"], tmp_path / "offres.csv")
    first = snapshots.active(root)
    published = [importer.ingest("vacancies", [path], root).id for _ in range(snapshots.KEEP_PREVIOUS + 2)]
    remaining = {s.id for s in snapshots.list_snapshots(root)}
    assert set(published[-(snapshots.KEEP_PREVIOUS + 1):]) <= remaining and first.id not in remaining
    for expected in reversed(published[-snapshots.KEEP_PREVIOUS - 1:-1]):
        assert snapshots.rollback(root).id == expected
    with pytest.raises(snapshots.SnapshotError, match="introuvable"):
        snapshots.rollback(root)  # the one before was pruned: refused, nothing changes
    assert snapshots.active(root).id == published[1]


def test_a_good_import_replaces_the_figures(root: Path, samples, tmp_path: Path) -> None:
    """Pay raised by 10 %: the table builder's medians follow, exactly as quantiles do."""
    employees = imported(root, "employees").drop(columns=["rkey"])
    builder = TableBuilder(open_shared(snapshots.active(root)))
    before = builder.build("employees", ("year",), "salaire_median", Filters()).frame.set_index("year")["value"]
    raised = employees.assign(gross_monthly_fte=employees["gross_monthly_fte"] * 1.1)
    importer.ingest("employees", [write_csv(raised, tmp_path / "salaries.csv", sep=",", decimal=".")], root)
    builder = TableBuilder(open_shared(snapshots.active(root)))
    after = builder.build("employees", ("year",), "salaire_median", Filters()).frame.set_index("year")["value"]
    shown = before.notna() & after.notna()
    assert shown.sum() >= 1
    np.testing.assert_allclose(after[shown], before[shown] * 1.1, rtol=1e-3)


def test_the_pages_show_the_imported_figures(root: Path, samples, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """After an import the banner names only the datasets still synthetic, and the tiles are the
    builder's figures over the new snapshot."""
    from observatory import formatting as fmt
    from tests.app_support import run_page

    employees = imported(root, "employees").drop(columns=["rkey"])
    raised = employees.assign(gross_monthly_fte=employees["gross_monthly_fte"] * 1.25)
    snapshot = importer.ingest("employees", [write_csv(raised, tmp_path / "salaries.csv")], root)
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(root))
    app = run_page("app_pages/vue_ensemble.py", {"annee": ["2016"]})
    assert not app.exception
    banner = app.info[0].value
    assert "offres et postes vacants, formation" in banner and "salariés" not in banner
    builder = TableBuilder(open_shared(snapshot))
    median = builder.build("employees", (), "salaire_median", Filters(year=2016)).frame["value"].iloc[0]
    tiles = {metric.label: metric.value for metric in app.metric}
    assert tiles["Salaire médian brut mensuel EQTP"] == fmt.by_unit(median, "eur")
