"""Hostile links and widget states: notices capped at a line per key, a page's own keys dropped
outside it, a share link that never carries a rejected value, forged widget states with unknown
codes dropped with a notice; never an exception on the reader's screen."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app_support import APP, PAGES, run_page, url_values

TERRITOIRES = "app_pages/territoires.py"


def test_a_thousand_bad_values_give_a_line_per_key(data_root) -> None:
    # Under Streamlit's own limit of 1 000 parameters a query string (beyond, it ignores them all).
    app = run_page(PAGES[0], {"region": [f"r{i}" for i in range(600)], "taille": ["$(rm -rf /)"] * 200,
                              **{f"x{i}": ["1"] for i in range(150)}}, tables=False)
    assert not app.exception
    notices = [w.value for w in app.warning]
    assert len(notices) == 3 and sum(len(n) for n in notices) < 800, notices
    assert url_values(app, "region") == [] and not [key for key in app.query_params if key.startswith("x")]


def test_a_page_key_outside_its_page_is_dropped(data_root) -> None:
    app = run_page(PAGES[0], {"a": ["<script>"], "branche": ["eclat"]}, tables=False)
    assert not app.exception
    assert any("Paramètre inconnu ignoré" in w.value for w in app.warning)
    assert url_values(app, "a") == [] and url_values(app, "branche") == ["eclat"]


def test_the_share_link_never_carries_a_rejected_value(data_root) -> None:
    app = run_page(TERRITOIRES, {"indicateur": ["<script>bogus"], "annee": ["2023"]}, tables=False)
    assert not app.exception
    links = [code.value for code in app.code if "?" in code.value]
    assert links and all("bogus" not in link and "script" not in link for link in links), links
    assert "indicateur=" in links[0] and "annee=2023" in links[0]


def _forge(app: AppTest, key: str, values: list[str]) -> AppTest:
    """What a hostile websocket message can send: multiselect values that name no option (the
    harness sends values as the browser does, formatted by the widget's format function, which
    leaves a string that is no code as it is)."""
    return app.multiselect(key=key).set_value(values).run()


def test_a_forged_widget_state_is_dropped_with_a_notice(data_root) -> None:
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    _forge(app, "filtre_region", ["11", "<forgé>"])
    assert not app.exception
    assert any("<forgé>" in w.value.replace("\\", "") for w in app.warning)
    assert url_values(app, "region") == ["11"]
    assert app.multiselect(key="filtre_region").value == ["11"]


def test_metrics_answer_no_client_but_this_machine() -> None:
    from observatory.ui import hardening

    assert hardening.is_local("127.0.0.1", {}) and hardening.is_local("::1", {})
    assert not hardening.is_local("203.0.113.7", {})
    assert not hardening.is_local("127.0.0.1", {"x-forwarded-for": "203.0.113.7"}), "through a proxy"
