"""Comparer under AppTest: values against the table builder, the pair in the URL, bad choices
dropped with a notice."""

from __future__ import annotations

import pytest

from observatory import indicators, secrecy
from observatory.filters import Filters
from observatory.views import comparison
from tests.app_support import HOSTILE, run_page, url_values, values_of

COMPARER = "app_pages/comparer.py"


def expected_total(builder, code: str, selection: Filters) -> str:
    measure = indicators.MEASURES[code]
    frame = builder.build(measure.dataset, (), code, selection).frame
    return values_of(frame, measure.unit)[0]


@pytest.mark.parametrize(("query", "kind", "pair", "selection"), [
    ({"comparer": ["branche"], "a": ["aide_domicile"], "b": ["alisfa"]}, "branche", ("aide_domicile", "alisfa"),
     Filters()),
    ({"comparer": ["region"], "a": ["84"], "b": ["04"], "annee": ["2020"], "sexe": ["F"]}, "region", ("84", "04"),
     Filters(year=2020, sex="F")),
])
def test_comparer_shows_both_sides_from_the_builder(data_root, builder, query, kind, pair, selection) -> None:
    app = run_page(COMPARER, query)
    assert not app.exception
    labels = comparison.options(kind)
    shown = app.dataframe[0].value.set_index("Indicateur")
    for code in comparison.MEASURES:
        label = indicators.MEASURES[code].label
        for code_side in pair:
            try:
                expected = expected_total(builder, code, comparison.side(selection, kind, code_side))
            except secrecy.PopulationTooSmall:
                expected = "secret"
            assert shown.loc[label, labels[code_side]] == expected, (code, code_side)
    assert url_values(app, "a") == [pair[0]] and url_values(app, "b") == [pair[1]]
    assert app.markdown, "differences stated in words"


def test_comparer_choice_changes_the_url_and_bad_pairs_are_dropped(data_root) -> None:
    app = run_page(COMPARER, {"comparer": ["branche"], "a": ["<script>alert(1)</script>"], "b": ["eclat"]},
                   tables=False)
    assert not app.exception
    assert any("n'est pas un choix possible" in w.value for w in app.warning)
    app.selectbox(key="choix_a").set_value("mutualite").run()
    assert url_values(app, "a") == ["mutualite"] and url_values(app, "b") == ["eclat"]
    app.selectbox(key="filtre_annee").set_value("2019").run()
    assert url_values(app, "a") == ["mutualite"], "a filter change keeps the pair in the URL"


@pytest.mark.parametrize("query", HOSTILE[:3])
def test_comparer_survives_hostile_urls(data_root, query) -> None:
    app = run_page(COMPARER, {**query, "comparer": ["' OR 1=1"]}, tables=False)
    assert not app.exception and app.warning
