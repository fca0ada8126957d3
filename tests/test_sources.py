"""Official open-data connectors against the real files of ../shared/reference (outside the
repository) and against damaged copies.

Values are checked against facts recorded in ../shared/reference/SOURCES.md (the shared SOURCES.md
below), against the derived files made there with the standard library, and against
recomputations with the `csv` module written here, never against the connectors' own pandas code.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import math
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from observatory import reference
from observatory.formatting import number
from observatory.sources import CONNECTORS, ParsedSource, SourceError, base, bmo, cog, dares, fetch, geo, sha256

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
if not REFERENCE.is_dir():
    pytest.skip(f"dossier des fichiers de référence absent ({REFERENCE}) : tests des connecteurs ignorés",
                allow_module_level=True)

BMO_FILE = REFERENCE / "francetravail-bmo-2024-bassins-emploi.csv"
DARES_FILE = REFERENCE / "dares-tensions-2019-fap-nat-reg-dep.csv"
COG_FILE = REFERENCE / "insee-cog-regions.csv"
GEO_FILE = REFERENCE / "france-regions-avec-outre-mer.geojson"
BMO_SAMPLE_ROWS = 1_500


# --- helpers -----------------------------------------------------------------------------------------------

def lines_of(path: Path) -> list[str]:
    """The file's lines with their own line endings (CRLF for BMO and COG, LF for DARES)."""
    with path.open(encoding="utf-8", newline="") as stream:
        return stream.readlines()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    target = tmp_path / name
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8", newline="")
    return target


def edit_cell(lines: list[str], line_number: int, column: str, value: str) -> list[str]:
    """A copy of CSV `lines` with one cell replaced (`line_number` as an editor counts, header = 1)."""
    header = next(csv.reader([lines[0]]))
    original = lines[line_number - 1]
    record = next(csv.reader([original]))
    record[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator=original[len(original.rstrip("\r\n")):]).writerow(record)
    return [*lines[: line_number - 1], out.getvalue(), *lines[line_number:]]


def assert_refused(parse: Callable[[Path], ParsedSource], path: Path, *fragments: str) -> SourceError:
    with pytest.raises(SourceError) as caught:
        parse(path)
    message = str(caught.value)
    assert message.startswith(f"{path.name} : "), message
    for fragment in fragments:
        assert fragment in message, message
    return caught.value


@pytest.fixture(scope="module")
def bmo_table() -> pd.DataFrame:
    return bmo.parse(BMO_FILE).tables["bmo"].to_pandas()


@pytest.fixture(scope="module")
def bmo_records() -> list[dict[str, str]]:
    with BMO_FILE.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def bmo_lines() -> list[str]:
    return lines_of(BMO_FILE)


@pytest.fixture
def bmo_sample(bmo_lines: list[str]) -> list[str]:
    """The header and the first 1 500 rows: enough to pass the size check, quick to parse."""
    return bmo_lines[: BMO_SAMPLE_ROWS + 1]


# --- registry ----------------------------------------------------------------------------------------------

def test_connectors_are_listed_in_order_with_their_provenance() -> None:
    assert list(CONNECTORS) == ["cog", "geo", "bmo", "dares"]
    for name, connector in CONNECTORS.items():
        assert connector.name == name
        assert connector.url.startswith("https://")
        assert (REFERENCE / connector.mirror_name).is_file()
        assert connector.producer and connector.title and connector.licence and connector.licence_note
        assert connector.raw_name and "/" not in connector.raw_name
    assert CONNECTORS["bmo"].year == 2024 and CONNECTORS["dares"].year == 2019
    assert "GPL-3.0" in CONNECTORS["dares"].licence
    assert "non vérifiée" in CONNECTORS["bmo"].licence_note


# --- BMO ---------------------------------------------------------------------------------------------------

def test_bmo_national_totals_match_the_published_facts(bmo_table: pd.DataFrame) -> None:
    national = bmo_table[bmo_table["level"] == "nat"]
    regional = bmo_table[bmo_table["level"] == "reg"]
    assert len(national) == 217 and len(regional) == 3_653
    assert national["region"].isna().all()
    assert set(regional["region"]) == set(reference.regions()["code"])
    assert int(national["projects"].sum()) == 2_751_069  # total of the non-* cells (shared SOURCES.md)
    assert int(national["projects_masked"].sum()) == 10_891
    assert int(national["difficult_masked"].sum()) == 20_507
    assert int(national["areas"].sum()) == 53_443
    assert (bmo_table["year"] == 2024).all()


def test_bmo_columns_and_types(bmo_table: pd.DataFrame) -> None:
    table = bmo.parse(BMO_FILE).tables["bmo"]
    assert table.schema == bmo.SCHEMA
    assert table.schema.metadata is None
    assert bmo_table["occupation"].str.fullmatch(bmo.OCCUPATION_PATTERN).all()
    assert bmo_table["region"].dropna().str.len().eq(2).all()


def test_bmo_one_region_and_occupation_recomputed_with_the_csv_module(
    bmo_table: pd.DataFrame, bmo_records: list[dict[str, str]]
) -> None:
    # Aides à domicile et auxiliaires de vie, Auvergne-Rhône-Alpes: 55 cells, some of each kind masked.
    cells = [r for r in bmo_records if r["Code métier BMO"] == "T2A60" and r["REG"] == "84"]
    known = {column: [r for r in cells if r[column] != "*"] for column in ("met", "xmet", "smet")}
    both = [r for r in cells if r["met"] != "*" and r["xmet"] != "*"]
    seasonal_pair = [r for r in cells if r["met"] != "*" and r["smet"] != "*"]
    row = bmo_table[(bmo_table["region"] == "84") & (bmo_table["occupation"] == "T2A60")].iloc[0]
    assert row["occupation_label"] == "Aides à domicile et auxiliaires de vie"
    assert row["family"] == cells[0]["Famille_met"] and row["family_label"] == cells[0]["Lbl_fam_met"]
    assert row["areas"] == len(cells) == 55
    assert row["projects"] == sum(int(r["met"]) for r in known["met"])
    assert row["difficult"] == sum(int(r["xmet"]) for r in known["xmet"])
    assert row["seasonal"] == sum(int(r["smet"]) for r in known["smet"])
    assert (row["projects_masked"], row["difficult_masked"], row["seasonal_masked"]) == (3, 4, 18)
    assert row["projects_both_known"] == sum(int(r["met"]) for r in both)
    assert row["difficult_both_known"] == sum(int(r["xmet"]) for r in both)
    assert row["projects_seasonal_known"] == sum(int(r["met"]) for r in seasonal_pair)
    assert row["seasonal_both_known"] == sum(int(r["smet"]) for r in seasonal_pair)


def test_bmo_regional_rows_equal_the_derived_reference_file(bmo_table: pd.DataFrame) -> None:
    derived = pd.read_csv(REFERENCE / "francetravail-bmo-2024-region-metier.csv", dtype={"code_region": str})
    ours = bmo_table[bmo_table["level"] == "reg"].merge(
        derived, left_on=["region", "occupation"], right_on=["code_region", "code_metier_bmo"], how="outer",
        indicator=True, validate="one_to_one",
    )
    assert (ours["_merge"] == "both").all()
    # The derived file writes 0 where every cell is masked; the connector writes nothing.
    for ours_column, theirs in (("projects", "projets_recrutement"), ("difficult", "projets_difficiles"),
                                ("seasonal", "projets_saisonniers")):
        assert (ours[ours_column].fillna(0).astype(int) == ours[theirs]).all(), ours_column
    assert (ours["projects_masked"] == ours["nb_bassins_secret_met"]).all()
    assert (ours["difficult_masked"] == ours["nb_bassins_secret_xmet"]).all()
    assert (ours["seasonal_masked"] == ours["nb_bassins_secret_smet"]).all()
    assert (ours["areas"] == ours["nb_bassins"]).all()


def test_bmo_masked_cells_never_become_zero(bmo_table: pd.DataFrame, bmo_records: list[dict[str, str]]) -> None:
    partly_masked = bmo_table[(bmo_table["projects_masked"] > 0) & (bmo_table["projects_masked"] < bmo_table["areas"])]
    assert len(partly_masked) > 100
    # Guadeloupe, Eleveurs: 3 of the 4 cells masked; the total is the one known cell, a lower bound.
    row = bmo_table[(bmo_table["region"] == "01") & (bmo_table["occupation"] == "A0X41")].iloc[0]
    cells = [r for r in bmo_records if r["REG"] == "01" and r["Code métier BMO"] == "A0X41"]
    assert row["areas"] == len(cells) == 4 and row["projects_masked"] == 3
    assert row["projects"] == sum(int(r["met"]) for r in cells if r["met"] != "*") == 22
    # Every cell masked: no figure at all, not 0.
    all_masked = bmo_table[bmo_table["projects_masked"] == bmo_table["areas"]]
    assert len(all_masked) > 0 and all_masked["projects"].isna().all()
    assert bmo_table.loc[bmo_table["seasonal_masked"] == bmo_table["areas"], "seasonal"].isna().all()
    assert bmo_table.loc[bmo_table["projects_masked"] < bmo_table["areas"], "projects"].notna().all()


def test_bmo_paired_sums_give_unbiased_shares(bmo_table: pd.DataFrame) -> None:
    assert (bmo_table["difficult_both_known"] <= bmo_table["projects_both_known"]).all()
    assert (bmo_table["projects_both_known"] <= bmo_table["projects"].fillna(0)).all()
    assert (bmo_table["difficult_both_known"] <= bmo_table["difficult"].fillna(0)).all()
    assert (bmo_table["seasonal_both_known"] <= bmo_table["projects_seasonal_known"]).all()
    national = bmo_table[bmo_table["level"] == "nat"].set_index("occupation")
    regional = bmo_table[bmo_table["level"] == "reg"].groupby("occupation")
    for column in ("areas", "projects_masked", "projects_both_known", "difficult_both_known"):
        assert (national[column] == regional[column].sum()).all(), column


def test_bmo_reads_the_workbook_and_the_zip_from_data_gouv(tmp_path: Path, bmo_sample: list[str]) -> None:
    import openpyxl

    csv_file = write(tmp_path, "sample.csv", "".join(bmo_sample))
    expected = bmo.parse(csv_file).tables["bmo"]
    records = list(csv.reader(bmo_sample))
    workbook = openpyxl.Workbook(write_only=True)
    workbook.create_sheet("Description des variables").append(["Variables", "Description"])
    sheet = workbook.create_sheet("BMO_2024_open_data")
    sheet.append(records[0])
    for record in records[1:]:
        typed = dict(zip(records[0], record, strict=True))
        # As in the workbook: numbers are numbers, region codes may lose their leading zero.
        typed["annee"] = int(typed["annee"])
        typed["REG"] = int(typed["REG"])
        for column in ("met", "xmet", "smet"):
            typed[column] = typed[column] if typed[column] == "*" else int(typed[column])
        sheet.append(list(typed.values()))
    workbook_file = tmp_path / "bmo.xlsx"
    workbook.save(workbook_file)
    assert bmo.parse(workbook_file).tables["bmo"].equals(expected)

    archive = tmp_path / "bmo-download"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(workbook_file, "Donnees_consolidees_2024/Base_open_data_BMO_2024.xlsx")
    assert bmo.parse(archive).tables["bmo"].equals(expected)

    no_sheet = tmp_path / "other.xlsx"
    other = openpyxl.Workbook()
    other.active.title = "Feuil1"
    other.save(no_sheet)
    assert_refused(bmo.parse, no_sheet, "aucune feuille « BMO… »", "Feuil1")
    assert_refused(bmo.parse, write(tmp_path, "cut.xlsx", workbook_file.read_bytes()[:5_000]), "illisible")


def test_bmo_reads_semicolon_csv(tmp_path: Path, bmo_sample: list[str]) -> None:
    expected = bmo.parse(write(tmp_path, "comma.csv", "".join(bmo_sample))).tables["bmo"]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(csv.reader(bmo_sample))
    assert bmo.parse(write(tmp_path, "semicolon.csv", out.getvalue())).tables["bmo"].equals(expected)


def test_bmo_refuses_a_truncated_download(tmp_path: Path) -> None:
    data = BMO_FILE.read_bytes()
    cut = data[: data.rfind(b"\n", 0, len(data) // 2) + 40]  # 40 bytes into a line, mid-file
    line = cut.count(b"\n") + 1
    assert_refused(bmo.parse, write(tmp_path, "cut.csv", cut), "fichier tronqué", f"ligne {number(line)} incomplète")
    # Cut inside the very last number of the file: same field count, but no end of line.
    last_cut = data.rstrip(b"\r\n")[:-1]
    assert_refused(bmo.parse, write(tmp_path, "last.csv", last_cut), "fichier tronqué", "pas de fin de ligne")


@pytest.mark.parametrize(
    ("column", "value", "fragments"),
    [
        ("met", "-3", ("valeur « -3 » invalide dans met", "entier positif ou * attendu")),
        ("xmet", "1O", ("valeur « 1O » invalide dans xmet",)),
        ("smet", "", ("valeur «  » invalide dans smet",)),
        ("REG", "99", ("valeur « 99 » invalide dans REG", "code de région INSEE")),
        ("Code métier BMO", "T2A6", ("valeur « T2A6 » invalide dans Code métier BMO", "FAP 2021")),
    ],
)
def test_bmo_refuses_a_bad_value_and_names_its_line(
    tmp_path: Path, bmo_sample: list[str], column: str, value: str, fragments: tuple[str, ...]
) -> None:
    broken = edit_cell(bmo_sample, 1_234, column, value)
    assert_refused(bmo.parse, write(tmp_path, "bad.csv", "".join(broken)), f"ligne {number(1_234)} :", *fragments)


def test_bmo_refuses_missing_columns_few_rows_duplicates_and_empty_files(
    tmp_path: Path, bmo_sample: list[str]
) -> None:
    renamed = [bmo_sample[0].replace(",met,xmet,", ",projets,xprojets,"), *bmo_sample[1:]]
    assert_refused(bmo.parse, write(tmp_path, "renamed.csv", "".join(renamed)), "colonnes manquantes : met, xmet")
    assert_refused(bmo.parse, write(tmp_path, "short.csv", "".join(bmo_sample[:500])), "499 lignes seulement")
    doubled = [*bmo_sample, bmo_sample[10]]
    assert_refused(bmo.parse, write(tmp_path, "double.csv", "".join(doubled)), "en double", f"ligne {number(1_502)}")
    assert_refused(bmo.parse, write(tmp_path, "empty.csv", ""), "fichier vide")
    assert_refused(bmo.parse, write(tmp_path, "blank.csv", "\r\n \n"), "fichier vide")
    latin1 = "".join(bmo_sample).encode("cp1252", errors="replace")
    assert_refused(bmo.parse, write(tmp_path, "latin1.csv", latin1), "encodage invalide", "UTF-8 attendu")


# --- DARES -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tensions() -> pd.DataFrame:
    parsed = dares.parse(DARES_FILE)
    assert parsed.rows == 31_034
    assert parsed.tables["tensions"].schema == dares.SCHEMA
    return parsed.tables["tensions"].to_pandas()


def test_dares_keeps_national_and_regional_rows(tensions: pd.DataFrame) -> None:
    assert len(tensions) == 4_734
    assert tensions.groupby("level").size().to_dict() == {"nat": 263, "reg": 4_471}
    assert tensions.loc[tensions["level"] == "nat", "region"].isna().all()
    regions = set(tensions.loc[tensions["level"] == "reg", "region"])
    assert regions == set(base.REGION_CODES) - {"06"}  # Mayotte is not in the file
    assert set(tensions["fap_level"]) == {"fap225", "fap87"}
    assert (tensions["year"] == 2019).all()


def test_dares_values_equal_the_derived_reference_file(tensions: pd.DataFrame) -> None:
    derived = pd.read_csv(REFERENCE / "dares-tensions-2019-fap-regions.csv", dtype={"code_region": str})
    joined = tensions.merge(
        derived.add_prefix("ref_"), left_on=["level", "region", "fap_level", "occupation_fap2009"],
        right_on=["ref_niveau_geo", "ref_code_region", "ref_niveau_fap", "ref_code_fap2009"], how="outer",
        indicator=True, validate="one_to_one",
    )
    assert (joined["_merge"] == "both").all() and len(joined) == 4_734
    pairs = {
        "employment": "emploi_moyen", "tension": "tension", "tension_class": "categorie_tension_1a5",
        "hiring_intensity": "intensite_embauches_1a5", "training_link": "lien_formation_emploi_1a5",
        "labour_shortage": "manque_main_oeuvre_1a5", "job_non_durability": "non_durabilite_emploi_1a5",
        "working_conditions": "conditions_travail_contraignantes_1a5",
        "geographic_mismatch": "inadequation_geographique_1a5",
    }
    for ours, theirs in pairs.items():
        left, right = joined[ours].astype(float), joined[f"ref_{theirs}"].astype(float)
        assert ((left == right) | (left.isna() & right.isna())).all(), ours
    assert tensions["tension_class"].isna().sum() == 697  # classes not published: missing, never 0
    assert tensions["tension_class"].dropna().between(1, 5).all()


@pytest.mark.parametrize(
    ("column", "value", "fragments"),
    [
        ("Catégorie Tension", "6.0", ("valeur « 6.0 » invalide dans Catégorie Tension", "classe de 1 à 5")),
        ("Inadéquation géographique", "0", ("classe de 1 à 5",)),
        ("Tension ", "élevée", ("valeur « élevée » invalide dans Tension", "nombre attendu")),
        ("Emploi moyen", "-100", ("Emploi moyen", "effectif positif")),
        ("niveau_geo", "canton", ("valeur « canton » invalide dans niveau_geo",)),
    ],
)
def test_dares_refuses_a_bad_value(
    tmp_path: Path, column: str, value: str, fragments: tuple[str, ...]
) -> None:
    broken = edit_cell(lines_of(DARES_FILE), 300, column, value)  # line 300: A1Z42 in Pays de la Loire
    assert_refused(dares.parse, write(tmp_path, "bad.csv", "".join(broken)), "ligne 300", *fragments)


def test_dares_refuses_an_unknown_region_and_a_truncated_or_renamed_file(tmp_path: Path) -> None:
    lines = lines_of(DARES_FILE)
    unknown = edit_cell(lines, 300, "reg", "99.0")
    assert_refused(dares.parse, write(tmp_path, "region.csv", "".join(unknown)), "« 99 » invalide dans reg")
    cut = "".join(lines)[: -30]
    assert_refused(dares.parse, write(tmp_path, "cut.csv", cut), "fichier tronqué", "incomplète")
    renamed = [lines[0].replace("Tension ,", "Tens,"), *lines[1:]]
    assert_refused(dares.parse, write(tmp_path, "renamed.csv", "".join(renamed)), "colonnes manquantes : Tension")
    assert_refused(dares.parse, write(tmp_path, "empty.csv", ""), "fichier vide")


# --- COG ---------------------------------------------------------------------------------------------------

def test_cog_regions_match_the_project_reference() -> None:
    parsed = cog.parse(COG_FILE)
    table = parsed.tables["regions_cog"].to_pandas()
    assert parsed.rows == 18 and len(table) == 18
    ours = reference.regions().set_index("code")["label"].to_dict()
    assert dict(zip(table["region"], table["label"], strict=True)) == ours
    assert table.set_index("region").at["94", "capital"] == "2A004"
    assert table.set_index("region").at["11", "capital"] == "75056"


def test_cog_refuses_missing_unknown_or_unnamed_regions(tmp_path: Path) -> None:
    lines = lines_of(COG_FILE)
    assert_refused(cog.parse, write(tmp_path, "missing.csv", "".join(lines[:-1])), "régions manquantes : 94")
    unknown = edit_cell(lines, 3, "REG", "05")
    assert_refused(cog.parse, write(tmp_path, "unknown.csv", "".join(unknown)), "ligne 3", "« 05 » invalide dans REG")
    renamed = [lines[0].replace("LIBELLE", "NOM"), *lines[1:]]
    assert_refused(cog.parse, write(tmp_path, "renamed.csv", "".join(renamed)), "colonnes manquantes : LIBELLE")
    assert_refused(cog.parse, write(tmp_path, "cut.csv", "".join(lines)[:-12]), "fichier tronqué")
    assert_refused(cog.parse, write(tmp_path, "double.csv", "".join([*lines, lines[5]])), "région en double")
    assert_refused(cog.parse, write(tmp_path, "empty.csv", ""), "fichier vide")


# --- GeoJSON -----------------------------------------------------------------------------------------------

def test_geo_bounding_boxes_and_file() -> None:
    parsed = geo.parse(GEO_FILE)
    assert parsed.files == {"regions.geojson": GEO_FILE} and parsed.rows == 18
    boxes = parsed.tables["regions_geo"].to_pandas().set_index("region")
    assert set(boxes.index) == set(base.REGION_CODES)
    paris = boxes.loc["11"]
    assert paris["min_lon"] < 2.35 < paris["max_lon"] and paris["min_lat"] < 48.86 < paris["max_lat"]
    metropole = boxes.drop(index=["01", "02", "03", "04", "06"])
    assert metropole["min_lon"].min() > -5.5 and metropole["max_lon"].max() < 10
    assert metropole["min_lat"].min() > 41 and metropole["max_lat"].max() < 51.2
    assert boxes.at["04", "max_lat"] < 0 and boxes.at["01", "max_lon"] < -60  # La Réunion, Guadeloupe
    assert boxes.at["93", "label"] == "Provence-Alpes-Côte d'Azur"


def test_geo_refuses_damaged_collections(tmp_path: Path) -> None:
    document = json.loads(GEO_FILE.read_text(encoding="utf-8"))
    without_corse = {**document, "features": [f for f in document["features"] if f["properties"]["code"] != "94"]}
    assert_refused(geo.parse, write(tmp_path, "missing.geojson", json.dumps(without_corse)),
                   "régions manquantes : 94", "17 entités au lieu de 18")
    assert_refused(geo.parse, write(tmp_path, "cut.geojson", GEO_FILE.read_bytes()[:100_000]), "JSON invalide")
    assert_refused(geo.parse, write(tmp_path, "empty.geojson", ""), "fichier vide")
    assert_refused(geo.parse, write(tmp_path, "list.geojson", "[]"), "FeatureCollection")

    def damaged(change: Callable[[dict], None]) -> str:
        copy = json.loads(json.dumps(document))
        change(copy["features"][3])
        return json.dumps(copy)

    def first_ring(feature: dict) -> list:
        geometry = feature["geometry"]
        return geometry["coordinates"][0][0] if geometry["type"] == "MultiPolygon" else geometry["coordinates"][0]

    point = damaged(lambda f: f.update(geometry={"type": "Point", "coordinates": [2.0, 48.0]}))
    assert_refused(geo.parse, write(tmp_path, "point.geojson", point), "entité 4", "Polygon ou MultiPolygon")
    code = damaged(lambda f: f["properties"].update(code="99"))
    assert_refused(geo.parse, write(tmp_path, "code.geojson", code), "entité 4 (code '99')", "properties.code")
    far = damaged(lambda f: first_ring(f).__setitem__(0, [200.0, 48.0]))
    assert_refused(geo.parse, write(tmp_path, "far.geojson", far), "hors des bornes")
    not_a_number = damaged(lambda f: first_ring(f).__setitem__(0, [math.nan, 48.0]))
    assert_refused(geo.parse, write(tmp_path, "nan.geojson", not_a_number), "coordonnées mal formées")


# --- fetch -------------------------------------------------------------------------------------------------

def test_fetch_copies_from_the_mirror_and_replaces_a_stale_copy(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    connector = CONNECTORS["cog"]
    (raw / connector.raw_name).write_text("ancienne copie", encoding="utf-8")
    path = fetch(connector, raw, mirror=REFERENCE)
    assert path == raw / connector.raw_name
    assert path.read_bytes() == COG_FILE.read_bytes()
    assert sha256(path) == hashlib.sha256(COG_FILE.read_bytes()).hexdigest()
    assert sorted(p.name for p in raw.iterdir()) == [connector.raw_name]  # no temporary file left
    assert connector.parse(path).rows == 18


def test_fetch_bmo_mirror_keeps_a_name_that_fits_the_zip_the_xlsx_and_the_csv(tmp_path: Path) -> None:
    path = fetch(CONNECTORS["bmo"], tmp_path, mirror=REFERENCE)
    assert path.name == "francetravail-bmo-2024"
    national = CONNECTORS["bmo"].parse(path).tables["bmo"].to_pandas().query("level == 'nat'")
    assert int(national["projects"].sum()) == 2_751_069


def test_fetch_never_replaces_a_good_file_with_a_half_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    good = fetch(CONNECTORS["cog"], raw, mirror=REFERENCE)

    def interrupted(source: io.BufferedReader, out: io.BufferedWriter, length: int = 0) -> None:
        out.write(source.read(50))
        raise OSError("disque plein")

    monkeypatch.setattr(base.shutil, "copyfileobj", interrupted)
    with pytest.raises(OSError, match="disque plein"):
        fetch(CONNECTORS["cog"], raw, mirror=REFERENCE)
    assert good.read_bytes() == COG_FILE.read_bytes()
    assert [p.name for p in raw.iterdir()] == [good.name]


def test_fetch_refuses_a_missing_mirror_file(tmp_path: Path) -> None:
    mirror = tmp_path / "miroir"
    mirror.mkdir()
    with pytest.raises(SourceError) as caught:
        fetch(CONNECTORS["bmo"], tmp_path / "raw", mirror=mirror)
    assert str(caught.value).startswith("francetravail-bmo-2024-bassins-emploi.csv : fichier absent")
    assert str(mirror) in str(caught.value)


def test_fetch_without_mirror_explains_how_to_work_offline(tmp_path: Path) -> None:
    unreachable = dataclasses.replace(CONNECTORS["dares"], url="https://127.0.0.1:9/x")
    with pytest.raises(SourceError) as caught:
        fetch(unreachable, tmp_path, timeout=2)
    message = str(caught.value)
    assert "téléchargement impossible" in message and "https://127.0.0.1:9/x" in message
    assert "utilisez --mirror DOSSIER" in message
    assert not any(tmp_path.iterdir())
    plain_http = dataclasses.replace(CONNECTORS["dares"], url="http://example.org/tensions.csv")
    with pytest.raises(SourceError, match="https obligatoire"):
        fetch(plain_http, tmp_path, timeout=2)


def test_fetch_refuses_a_download_shorter_than_announced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class ShortResponse(io.BytesIO):
        headers: ClassVar[dict[str, str]] = {"Content-Length": "1000"}

    class Opener:
        def open(self, request: object, timeout: float) -> ShortResponse:
            assert request.get_header("User-agent", "").startswith("observatoire")  # type: ignore[attr-defined]
            return ShortResponse(b"REG,CHEFLIEU\n")

    monkeypatch.setattr(base.urllib.request, "build_opener", lambda *handlers: Opener())
    raw = tmp_path / "raw"
    good = fetch(CONNECTORS["cog"], raw, mirror=REFERENCE)
    with pytest.raises(SourceError, match="fichier incomplet : 13 octets reçus sur 1"):
        fetch(CONNECTORS["cog"], raw)
    assert good.read_bytes() == COG_FILE.read_bytes()
    assert [p.name for p in raw.iterdir()] == [good.name]
