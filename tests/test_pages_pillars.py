"""Recrutement et postes vacants, and Formation, under AppTest: tiles, every table under a chart
and the key sentences equal the table builder's published figures, under several filter sets."""

from __future__ import annotations

import json

import pytest

from observatory import formatting as fmt
from observatory import reference, secrecy
from observatory.filters import from_query
from tests.app_support import (
    FILTER_SETS,
    assert_bar_table,
    assert_tiles,
    assert_yearly_table,
    published,
    run_page,
    shown_tables,
    table_with,
    values_of,
)

RECRUITMENT, TRAINING = "app_pages/recrutement.py", "app_pages/formation.py"
MONTHS = [f"{m:02d}" for m in range(1, 13)]


def _total(builder, code: str, selection) -> float | None:
    try:
        row = published(builder, code, (), selection).iloc[0]
    except secrecy.PopulationTooSmall:
        return None
    return None if row["status"] == secrecy.SECRET else float(row["value"])


@pytest.mark.parametrize("query", FILTER_SETS)
def test_recruitment_page_equals_the_builder(data_root, builder, query) -> None:
    app = run_page(RECRUITMENT, query)
    assert not app.exception
    selection = from_query(query).without_notices()
    assert_tiles(app, builder, selection, ("postes_ouverts", "postes_non_pourvus", "taux_vacance", "delai_median",
                                            "part_difficile", "part_retiree"))
    tables = shown_tables(app)
    for code in ("postes_non_pourvus", "part_difficile"):
        assert_yearly_table(tables, builder, selection, code)
    assert_bar_table(tables, builder, selection, "postes_non_pourvus", "branch", "Branche")
    assert_bar_table(tables, builder, selection, "postes_non_pourvus", "occupation", "Métier", top=10)
    assert_bar_table(tables, builder, selection, "delai_median", "occupation", "Métier", top=10)
    assert_bar_table(tables, builder, selection, "postes_ouverts", "month", "Mois de publication", order=MONTHS)
    assert_bar_table(tables, builder, selection, "taux_vacance", "region", "Région")
    assert_bar_table(tables, builder, selection, "part_difficile", "branch", "Branche")

    # Vacancy rate against headcount: both published values of each branch side by side.
    try:
        headcount = published(builder, "effectif", ("branch",), selection)
        rate = published(builder, "taux_vacance", ("branch",), selection)
    except secrecy.PopulationTooSmall:
        headcount = None
    if headcount is not None:
        shown = table_with(tables, "Branche", "Effectif", "Taux de vacance").set_index("Branche")
        for frame, column, unit in ((headcount, "Effectif", "count"), (rate, "Taux de vacance", "share")):
            expected = dict(zip(frame["branch_label"], values_of(frame, unit), strict=True))
            assert {name: shown.loc[name, column] for name in expected} == expected
        chart = next(json.loads(c.proto.spec) for c in app.get("plotly_chart")
                     if json.loads(c.proto.spec)["data"][0].get("mode") == "markers+text")
        plotted = {data[0] for data in chart["data"][0]["customdata"]}
        both = set(headcount.loc[headcount["status"] == secrecy.OK, "branch"]) & \
            set(rate.loc[rate["status"] == secrecy.OK, "branch"])
        assert plotted == both, "a point for each branch with both figures published, none for a secret one"

    opened, unfilled = _total(builder, "postes_ouverts", selection), _total(builder, "postes_non_pourvus", selection)
    text = " ".join(m.value for m in app.markdown)
    if opened is not None and unfilled is not None:
        assert (f"sur {fmt.number(opened)} postes ouverts, {fmt.number(unfilled)} restaient non pourvus"
                in text)


@pytest.mark.parametrize("query", FILTER_SETS)
def test_training_page_equals_the_builder(data_root, builder, query) -> None:
    app = run_page(TRAINING, query)
    assert not app.exception
    selection = from_query(query).without_notices()
    assert_tiles(app, builder, selection, ("stagiaires", "taux_acces", "entrees_alternance", "heures_par_stagiaire",
                                            "cout_par_stagiaire", "cout_horaire"))
    tables = shown_tables(app)
    sizes, ages = list(reference.EMPLOYER_SIZES), list(reference.AGE_BANDS)
    assert_bar_table(tables, builder, selection, "taux_acces", "employer_size", "Taille de structure", order=sizes)
    assert_bar_table(tables, builder, selection, "taux_acces", "age_band", "Tranche d'âge", order=ages)
    assert_bar_table(tables, builder, selection, "taux_acces", "sex", "Sexe", order=list(reference.SEXES))
    assert_bar_table(tables, builder, selection, "taux_acces", "branch", "Branche")
    for code in ("stagiaires", "heures_par_stagiaire", "cout_par_stagiaire", "cout_horaire"):
        assert_bar_table(tables, builder, selection, code, "scheme", "Dispositif")
    assert_bar_table(tables, builder, selection, "stagiaires", "certification", "Certification", top=10,
                     exclude=("aucune",))
    assert_bar_table(tables, builder, selection, "entrees_alternance", "branch", "Branche")

    # Schemes over ten years: one column per scheme, the builder's (year, scheme) cells.
    try:
        frame = published(builder, "stagiaires", ("year", "scheme"), selection)
    except secrecy.PopulationTooSmall:
        frame = None
    if frame is not None and len(frame):
        shown = table_with(tables, "Année", *frame["scheme_label"].unique())
        assert shown["Année"].tolist() == [str(y) for y in reference.YEARS]
        for (scheme, label), cells in frame.groupby(["scheme", "scheme_label"]):
            expected = dict(zip(cells["year"].astype(int).astype(str), values_of(cells, "count"), strict=True))
            column = dict(zip(shown["Année"], shown[label], strict=True))
            assert all(column[year] == text for year, text in expected.items()), scheme
            assert all(column[year] == "secret" for year in column if year not in expected), \
                "a year without any trainee in the scheme is shown empty, never invented"

    trainees = _total(builder, "stagiaires", selection)
    if trainees is not None:
        text = " ".join(m.value for m in app.markdown)
        assert f"{fmt.number(trainees)} salariés ont suivi au moins une action de formation" in text
