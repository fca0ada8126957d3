"""Key-figure tiles: the arrow of a change follows its sign as the reader sees it written (the
French minus U+2212 is not the "-" Streamlit reads)."""

from __future__ import annotations

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from observatory.filters import Filters
from observatory.views import common
from tests.app_support import PAGES, run_page

YEAR = 2024


@pytest.mark.parametrize(("code", "previous", "value", "delta", "trend"), [
    ("effectif", 1000.0, 900.0, "\u221210,0\u202f% par rapport à 2023", -1),
    ("effectif", 1000.0, 1125.0, "+12,5\u202f% par rapport à 2023", 1),
    ("effectif", 1000.0, 1000.0, "+0,0\u202f% par rapport à 2023", 0),
    ("effectif", 1000.0, 1000.4, "+0,0\u202f% par rapport à 2023", 0),  # +0,04 %: written as no change
    ("taux_vacance", 0.050, 0.043, "\u22120,7\u202fpt par rapport à 2023", -1),
    ("taux_vacance", 0.040, 0.052, "+1,2\u202fpt par rapport à 2023", 1),
    ("taux_vacance", 0.040, 0.040, "+0,0\u202fpt par rapport à 2023", 0),
])
def test_a_tile_carries_the_direction_of_its_change(builder, monkeypatch, code, previous, value, delta,
                                                    trend) -> None:
    monkeypatch.setattr(common, "by_year", lambda *_: {YEAR - 1: previous, YEAR: value})
    tile = common.tile(builder, code, Filters(year=YEAR))
    assert (tile.delta, tile.trend) == (delta, trend)


def test_a_tile_without_a_previous_year_has_no_direction(builder, monkeypatch) -> None:
    monkeypatch.setattr(common, "by_year", lambda *_: {YEAR: 5.0})
    tile = common.tile(builder, "effectif", Filters(year=YEAR))
    assert (tile.delta, tile.trend) == (None, 0)


ARROW = {"+": MetricProto.MetricDirection.UP, "\u2212": MetricProto.MetricDirection.DOWN}


@pytest.mark.parametrize("page", PAGES)
def test_a_tile_whose_value_went_down_shows_a_downward_arrow(data_root, page) -> None:
    """Read from what Streamlit sends the browser: a decrease points down, an increase up, a
    change written as zero has no arrow; the seeded data has both signs on the overview."""
    app = run_page(page, {}, tables=False)
    signs = set()
    for metric in app.metric:
        if not metric.proto.delta:
            assert metric.proto.direction == MetricProto.MetricDirection.NONE, metric.label
            continue
        sign, digits = metric.proto.delta[0], metric.proto.delta.split("\u202f")[0][1:]
        expected = MetricProto.MetricDirection.NONE if set(digits) <= {"0", ","} else ARROW[sign]
        assert metric.proto.direction == expected, (metric.label, metric.proto.delta)
        signs.add(sign)
    if page == PAGES[0]:
        assert signs == {"+", "\u2212"}, "the overview's seeded tiles rise and fall"
