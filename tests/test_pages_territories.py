"""Territoires under AppTest: the ranking and the region's profile against the table builder,
the indicator in the URL, the map with and without boundaries."""

from __future__ import annotations

import json

import pytest

from observatory import formatting as fmt
from observatory import indicators, reference, secrecy
from observatory.filters import Filters
from observatory.views import territories
from tests.app_support import HOSTILE, run_page, values_of

TERRITOIRES = "app_pages/territoires.py"


def expected_total(builder, code: str, selection: Filters) -> str:
    measure = indicators.MEASURES[code]
    frame = builder.build(measure.dataset, (), code, selection).frame
    return values_of(frame, measure.unit)[0]


@pytest.mark.parametrize("query", HOSTILE[:3])
def test_territoires_survives_hostile_urls(data_root, query) -> None:
    app = run_page(TERRITOIRES, {**query, "indicateur": ["' OR 1=1"]}, tables=False)
    assert not app.exception and app.warning


def test_territoires_ranks_the_regions_against_france(data_root, builder) -> None:
    app = run_page(TERRITOIRES, {"indicateur": ["taux_acces"], "region": ["84"], "annee": ["2022"]})
    assert not app.exception
    selection = Filters(year=2022)
    frame = builder.build("training", ("region",), "taux_acces", selection).frame
    france = expected_total(builder, "taux_acces", selection)
    ranking = next(t.value for t in app.table if "Rang" in t.value.columns)
    expected = dict(zip(frame["region_label"], values_of(frame, "share"), strict=True))
    assert dict(zip(ranking["Région"], ranking["Taux d'accès à la formation"], strict=True)) == expected
    published = ranking[ranking["Rang"] != ""]
    assert list(published["Rang"]) == [str(i + 1) for i in range(len(published))]
    shown_text = " ".join(m.value.replace("\\", "") for m in app.markdown)
    assert f"{france} en France" in shown_text and f"**France entière** : {france}" in shown_text
    # the selected region against France, indicator by indicator
    profile = next(t.value for t in app.table if "France" in t.value.columns)
    region = reference.code_lists()["region"].label("84")
    for code in territories.PROFILE_MEASURES:
        row = profile[profile["Indicateur"] == indicators.MEASURES[code].label].iloc[0]
        for column, chosen in ((region, Filters(year=2022, regions=("84",))), ("France", selection)):
            try:
                expected_value = expected_total(builder, code, chosen)
            except secrecy.PopulationTooSmall:
                expected_value = "secret"
            assert row[column] == expected_value, (code, column)


def test_territoires_without_boundaries_draws_the_tile_grid(data_root) -> None:
    app = run_page(TERRITOIRES, {})
    assert not app.exception
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    kinds = {trace["type"] for trace in figure["data"]}
    assert "choropleth" not in kinds
    codes = {data[0] for trace in figure["data"] for data in trace.get("customdata", [])}
    assert codes == set(reference.regions()["code"])


def test_gap_text() -> None:
    assert territories.gap_text(0.45, 0.40, "share") == "+5,0 pt"
    assert territories.gap_text(1900.0, 2000.0, "eur") == "−" + fmt.percent(0.05)
    assert territories.gap_text(None, 2000.0, "eur") == "secret"


def test_territoires_with_boundaries_draws_the_regions(with_sources, monkeypatch) -> None:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(with_sources))
    app = run_page(TERRITOIRES, {"indicateur": ["taux_vacance"]})
    assert not app.exception
    chart = app.get("plotly_chart")[0]
    figure = json.loads(chart.proto.spec)
    assert "choropleth" in {trace["type"] for trace in figure["data"]}
    codes = {data[0] for trace in figure["data"] for data in trace.get("customdata", [])}
    assert codes == set(reference.regions()["code"])
    # (a click on a region is exercised in a real browser: tests/test_browser.py)


def test_a_regions_view_computes_its_pieces_side_by_side(builder, monkeypatch) -> None:
    """The map, the eighteen totals of the region's profile and the findings are one batch of
    pieces (observatory.parallel), not one after the other; the profile reads the same totals."""
    from observatory import parallel

    batches: list[int] = []
    gather = parallel.gather

    def recorded(makers):
        batches.append(len(makers))
        return gather(makers)
    monkeypatch.setattr(parallel, "gather", recorded)
    selection = Filters(year=2023, regions=("84",))
    content = territories.content(builder, selection)
    assert batches[0] == 2 * len(territories.PROFILE_MEASURES) + 2
    profile = next(card for card in content.cards if card.key == "region_france")
    shown = profile.data.frame.set_index("Indicateur")
    for code in territories.PROFILE_MEASURES:
        measure = indicators.MEASURES[code]
        try:
            expected = builder.total(code, selection)
        except secrecy.PopulationTooSmall:
            expected = None
        assert shown.loc[measure.label].iloc[0] == fmt.by_unit(expected, measure.unit), code
