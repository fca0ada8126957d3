"""Données, Méthodologie et sources, Besoins en main-d'œuvre: values against the table builder,
the command line and the official files; bad URLs; the pages without official data."""

from __future__ import annotations

import csv
import io
import json
import shlex

import pandas as pd
import pyarrow.parquet as pq
import pytest

from observatory import __main__ as cli
from observatory import formatting as fmt
from observatory import indicators, reference, secrecy, snapshots
from observatory.filters import Filters
from observatory.views import explorer
from observatory.warehouse import QueryError
from tests.app_support import HOSTILE, run_page, values_of
from tests.conftest import MIRROR

DONNEES, METHODO, BESOINS, RECRUTEMENT = ("app_pages/donnees.py", "app_pages/methodologie.py",
                                         "app_pages/besoins.py", "app_pages/recrutement.py")
BMO_FILE = "francetravail-bmo-2024-bassins-emploi.csv"


def test_donnees_builds_the_requested_table(data_root, builder) -> None:
    app = run_page(DONNEES, {"annee": ["2023"], "branche": ["aide_domicile"]})
    assert not app.exception
    app.selectbox(key="donnees_jeu").set_value("training").run()
    app.selectbox(key="donnees_mesure_training").set_value("taux_acces").run()
    app.selectbox(key="donnees_par_taux_acces").set_value("employer_size").run()
    assert not app.exception
    selection = Filters(year=2023, branches=("aide_domicile",))
    frame = builder.build("training", ("employer_size",), "taux_acces", selection).frame
    shown = next(t.value for t in app.table if "Taille de structure" in t.value.columns)
    expected = dict(zip(frame["employer_size_label"], values_of(frame, "share"), strict=True))
    assert dict(zip(shown["Taille de structure"], shown.iloc[:, 1], strict=True)) == expected
    command = app.code[0].value
    assert command == explorer.cli_command("training", ("employer_size",), "taux_acces", selection)
    # the command shown gives the same published values
    out = io.StringIO()
    import contextlib
    with contextlib.redirect_stdout(out):
        assert cli.main([*shlex.split(command)[3:], "--format", "json"]) == 0
    rows = json.loads(out.getvalue())["rows"]
    assert [r["value"] for r in rows] == [None if pd.isna(v) else v for v in frame["value"]]


def test_donnees_two_dimensions_and_downloads(data_root, builder) -> None:
    app = run_page(DONNEES, {"region": ["84"]})
    app.selectbox(key="donnees_par_effectif").set_value("branch").run()
    app.selectbox(key="donnees_et_effectif_branch").set_value("sex").run()
    assert not app.exception
    selection = Filters(regions=("84",))
    table = builder.build("employees", ("branch", "sex"), "effectif", selection)
    shown = next(t.value for t in app.table if "Branche" in t.value.columns)
    for row in table.frame.itertuples():
        cell = shown.loc[shown["Branche"] == row.branch_label, row.sex_label].iloc[0]
        assert cell == (secrecy.SECRET if row.status == secrecy.SECRET else fmt.number(row.value))
    exploration = explorer.explore(builder, "employees", ("branch", "sex"), "effectif", selection)
    for exported in (pd.read_excel(io.BytesIO(exploration.xlsx())),
                     pq.read_table(io.BytesIO(exploration.parquet())).to_pandas()):
        merged = exported.merge(table.frame, on=["branch", "sex"])
        assert len(merged) == len(table.frame)
        secret = merged["statut"] == secrecy.SECRET
        assert merged.loc[secret, "effectif"].isna().all()
        assert (merged.loc[~secret, "effectif"] == merged.loc[~secret, "value"]).all()


@pytest.mark.parametrize("page", [DONNEES, METHODO, BESOINS])
@pytest.mark.parametrize("query", HOSTILE[:3])
def test_hostile_urls_on_the_data_pages(data_root, page, query) -> None:
    app = run_page(page, query, tables=False)
    assert not app.exception
    assert app.warning


def test_methodology_renders_the_definitions_the_code_uses(data_root, snapshot) -> None:
    app = run_page(METHODO, {})
    assert not app.exception
    text = "\n".join(m.value for m in app.markdown)
    for measure in indicators.MEASURES.values():
        # Table cells are written as text (formatting.as_text: every punctuation mark escaped).
        assert fmt.as_text(measure.label) in text and fmt.as_text(measure.definition.split(".")[0]) in text
    config = secrecy.DEFAULT
    assert f"moins de {config.min_rows} personnes" in text and f"moins de {config.min_employers} employeurs" in text
    assert fmt.as_text(snapshot.id) in text and "données de démonstration synthétiques" in text
    assert "Aucune n'est chargée" in text  # no official source in the test snapshot
    assert "RGAA" in text


def test_besoins_without_official_data_says_how_to_load_it(data_root) -> None:
    app = run_page(BESOINS, {})
    assert not app.exception
    assert "sources pull" in app.info[-1].value


def bmo_projects(region: str) -> dict[str, tuple[int, int]]:
    """Known projects and masked areas by occupation in a region, read with the csv module alone."""
    sector = set(reference.occupations()["code"])
    result: dict[str, tuple[int, int]] = {}
    with (MIRROR / BMO_FILE).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["Code métier BMO"]
            if row["REG"] != region or code not in sector:
                continue
            known, masked = result.get(code, (0, 0))
            result[code] = (known, masked + 1) if row["met"] == "*" else (known + int(row["met"]), masked)
    return result


def test_besoins_shows_the_official_figures(with_sources, monkeypatch) -> None:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(with_sources))
    app = run_page(BESOINS, {"region": ["84"]})
    assert not app.exception
    assert "Données officielles réelles" in app.success[0].value
    expected = bmo_projects("84")
    labels = reference.code_lists()["occupation"].labels
    shown = next(t.value for t in app.table if "Précision" in t.value.columns)
    assert len(shown) == len(expected)
    for code, (known, masked) in expected.items():
        row = shown[shown["Métier"] == labels[code]].iloc[0]
        assert row["Projets de recrutement"] == fmt.number(known)
        assert row["Précision"] == ("exact" if masked == 0 else f"minimum ({masked} case(s) masquée(s))")
    assert any("en Auvergne-Rhône-Alpes" in m.value.replace("\\", "") for m in app.markdown)
    # the Recrutement page puts the official difficulty share beside ours
    app = run_page(RECRUTEMENT, {})
    assert not app.exception
    assert any("Part jugée difficile, BMO 2024" in t.value.columns for t in app.table)


def test_sources_are_in_the_manifest_and_on_the_methodology_page(with_sources, monkeypatch) -> None:
    active = snapshots.active(with_sources)
    names = [s["name"] for s in active.manifest["sources"]]
    assert names == ["cog", "geo", "bmo", "dares"]
    for source in active.manifest["sources"]:
        assert len(source["sha256"]) == 64 and source["url"].startswith("https://") and source["licence"]
    assert active.is_demo and active.origin_of("bmo") == "sources"
    assert active.manifest["demo"] == {"scale": 0.02, "seed": 7}  # how the carried synthetic data was made
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(with_sources))
    text = "\n".join(m.value for m in run_page(METHODO, {}).markdown)
    assert "France Travail" in text and fmt.as_text("Enquête Besoins en main-d'œuvre 2024") in text


@pytest.mark.parametrize(("raised", "shown"), [
    (RuntimeError("boom"), "Cette page n'a pas pu être affichée"),
    (QueryError("disk"), "Ce tableau n'a pas pu être calculé"),
])
def test_a_page_that_fails_says_so_in_french_at_the_one_boundary(snapshot, monkeypatch, raised, shown) -> None:
    """Whatever a page raises, the frame's boundary (shell.run_page) shows a French message, no
    traceback, and the sidebar and the rest of the frame stay usable."""
    def failing(*_args, **_kwargs):
        raise raised
    monkeypatch.setattr(explorer, "explore", failing)
    app = run_page("app_pages/donnees.py", {}, tables=False)
    assert not app.exception
    messages = [element.value for element in [*app.error, *app.warning]]
    assert any(shown in message for message in messages), messages
    assert "boom" not in " ".join(messages) and "Traceback" not in " ".join(messages)
    assert app.sidebar.multiselect, "the filter bar is still drawn"
