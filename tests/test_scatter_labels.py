"""The labels of a scatter's points never overlap: their boxes are computed here from the
figure (axis ranges, margins, Plotly's text offsets, an approximate character width), at the
card's width on a 1280 px laptop screen and on wider screens."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from observatory import charts
from observatory.charts import Axis, Caption
from observatory.filters import from_query
from observatory.views import recruitment
from tests.app_support import FILTER_SETS

LAPTOP_CARD = {True: 788, False: 370}  # px: a wide and a half-width card on a 1280 px screen
CHARACTER = 0.6  # of the font size, a sans-serif average


def _extent(values: list[float]) -> list[float]:
    return [min(values), max(values) if max(values) > min(values) else min(values) + 1]


def label_boxes(figure: dict, width: float) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each written label and its box (left, top, right, bottom) in pixels of the figure."""
    layout, trace = figure["layout"], figure["data"][0]
    margin = layout["margin"]
    plot_w, plot_h = width - margin["l"] - margin["r"], layout["height"] - margin["t"] - margin["b"]
    log_x = layout["xaxis"].get("type") == "log"
    xs = [math.log10(v) if log_x else v for v in trace["x"]]
    x_range = layout["xaxis"].get("range") or _extent(xs)  # the old figures left it to autorange
    y_range = layout["yaxis"].get("range") or _extent([0.0, *trace["y"]])
    font = trace["textfont"]["size"]
    offset = trace["marker"]["size"] / 2 / 0.8 + 1  # plotly.js Drawing.textPointPosition
    positions = trace["textposition"]
    boxes = []
    for i, text in enumerate(trace["text"]):
        if not text:
            continue
        position = positions[i] if isinstance(positions, list) else positions
        px = margin["l"] + (xs[i] - x_range[0]) / (x_range[1] - x_range[0]) * plot_w
        py = margin["t"] + (1 - (trace["y"][i] - y_range[0]) / (y_range[1] - y_range[0])) * plot_h
        text_w = CHARACTER * font * len(text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
        vertical, horizontal = position.split()
        left = {"left": px - offset - text_w, "right": px + offset, "center": px - text_w / 2}[horizontal]
        top = {"top": py - offset - font, "bottom": py + offset, "middle": py - font / 2}[vertical]
        boxes.append((text, (left, top, left + text_w, top + font)))
    return boxes


def overlapping(boxes) -> list[tuple[str, str]]:
    return [(a, b) for i, (a, p) in enumerate(boxes) for b, q in boxes[i + 1:]
            if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]]


def _vacancy_figure(builder, query) -> dict | None:
    cards = recruitment.content(builder, from_query(query).without_notices()).cards
    card = next(c for c in cards if c.key == "vacance_effectif")
    return card.figure.to_dict() if hasattr(card, "figure") else None


@pytest.mark.parametrize("query", [*FILTER_SETS, *({"annee": [str(year)]} for year in range(2016, 2025))])
def test_the_vacancy_scatter_labels_do_not_overlap(builder, query) -> None:
    figure = _vacancy_figure(builder, query)
    if figure is None or not figure["data"][0]["x"]:
        return
    for width in (LAPTOP_CARD[True], 1.25 * LAPTOP_CARD[True], 1.6 * LAPTOP_CARD[True]):
        boxes = label_boxes(figure, width)
        assert not overlapping(boxes), (query, width)
    # Room enough on the seeded default view: every branch is named.
    if not query:
        assert len(label_boxes(figure, LAPTOP_CARD[True])) == len(figure["data"][0]["x"])


def _crowd(count: int, seed: int, *, spread: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"code": [f"c{i}" for i in range(count)],
                         "label": [f"Branche aux effectifs nombreux {i}" for i in range(count)],
                         "x": 1000 + rng.normal(0, spread * 1000, count).clip(-900, None),
                         "y": 0.05 + rng.normal(0, spread * 0.05, count).clip(-0.049, None)})


@pytest.mark.parametrize(("count", "seed", "spread", "wide"), [
    (40, 1, 0.01, True), (40, 2, 0.01, False), (25, 3, 0.3, True), (25, 4, 0.3, False), (6, 5, 0.0, True),
    (17, 6, 0.05, True),
])
def test_labels_of_many_close_points_do_not_overlap(count, seed, spread, wide) -> None:
    """Adversarial: points piled on one another, long labels, a half-width card."""
    points = _crowd(count, seed, spread=spread)
    caption = Caption("Titre", "Sous-titre", "Source : test", wide=wide)
    axes = Axis("Effectif", "count"), Axis("Taux de vacance", "share")
    figure = charts.scatter_chart(points, caption, *axes).to_dict()
    for width in (LAPTOP_CARD[wide], 1.25 * LAPTOP_CARD[wide], 1.6 * LAPTOP_CARD[wide]):
        boxes = label_boxes(figure, width)
        assert not overlapping(boxes), (count, seed, width)
    assert label_boxes(figure, LAPTOP_CARD[wide]), "the first label always finds room"
