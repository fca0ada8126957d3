"""The app runs on the test snapshot: banner, tiles equal to the table builder, hostile URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from observatory import formatting as fmt
from observatory import secrecy
from observatory.filters import Filters
from tests.app_support import url_values

APP = Path(__file__).resolve().parent.parent / "dashboard.py"
HOSTILE = [
    {"branche": ["'; DROP TABLE employees; --"]},
    {"region": ["<script>alert(1)</script>"], "annee": ["2024"]},
    {"annee": ["9" * 5000]},
    {"sexe": ["[lien](http://exemple.invalid)"]},
    {"inconnu": ["x"], "taille": ["1-9", "../../etc/passwd"]},
]


def _run(data_root, query: dict[str, list[str]] | None = None) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=60)
    for key, values in (query or {}).items():
        app.query_params[key] = values
    return app.run()


def test_overview_shows_the_demo_banner_and_builder_figures(data_root, builder) -> None:
    app = _run(data_root, {"annee": ["2024"], "branche": ["aide_domicile"]})
    assert not app.exception
    assert any("Données de démonstration synthétiques" in info.value for info in app.info)
    shown = {metric.label: metric.value for metric in app.metric}
    selection = Filters(year=2024, branches=("aide_domicile",))
    for dataset, measure in (("employees", "effectif"), ("employees", "salaire_median"),
                             ("vacancies", "postes_non_pourvus"), ("training", "taux_acces")):
        table = builder.build(dataset, (), measure, selection)
        row = table.frame.iloc[0]
        expected = None if row["status"] == secrecy.SECRET else float(row["value"])
        assert shown[table.measure.label] == fmt.by_unit(expected, table.measure.unit)


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_urls_give_notices_not_exceptions(data_root, query) -> None:
    app = _run(data_root, query)
    assert not app.exception
    assert app.warning, "the dropped values are reported"
    for warning in app.warning:
        assert "<script>" not in warning.value
    assert app.metric, "the page still shows figures"


def test_filter_widgets_start_from_the_url_and_write_it_back(data_root) -> None:
    app = _run(data_root, {"annee": ["2022"], "branche": ["eclat", "alisfa"], "sexe": ["F"]})
    assert not app.exception
    assert app.selectbox(key="filtre_annee").value == "2022"
    assert app.multiselect(key="filtre_branche").value == ["eclat", "alisfa"]
    assert app.selectbox(key="filtre_sexe").value == "F"
    app.multiselect(key="filtre_region").select("11").run()
    assert not app.exception
    assert url_values(app, "region") == ["11"]
    assert url_values(app, "branche") == ["eclat", "alisfa"]
    assert url_values(app, "annee") == ["2022"]


def test_reset_clears_the_url(data_root) -> None:
    app = _run(data_root, {"annee": ["2022"], "branche": ["eclat"]})
    app.button[0].click().run()
    assert not app.exception
    assert "branche" not in app.query_params
    assert app.session_state["filtre_branche"] == []
    assert app.session_state["filtre_annee"] == "2025"


def test_the_server_prepares_the_landing_page_before_its_first_visitor(data_root, monkeypatch) -> None:
    """`make run` (observatory.ui.serve) builds the landing page before the server listens: the
    first visitor's run reads it from the shared caches and computes nothing."""
    from observatory import views
    from observatory.ui import serve

    assert serve.prepare() is not None
    monkeypatch.setitem(views.CONTENTS, serve.LANDING, lambda *_args: pytest.fail("landing page computed again"))
    app = _run(data_root)
    assert not app.exception
    assert len(app.metric) >= 6 and app.title[0].value == "Vue d'ensemble"
