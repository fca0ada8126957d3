"""A chart card shows its source once: inside the figure, where an exported PNG keeps it."""

from __future__ import annotations

import html
import json
import re

import pytest

from observatory.cards import source_line
from tests.app_support import PAGES, run_page


def _as_shown_by_plotly(text: str) -> str:
    return html.unescape(re.sub(r"<br\s*/?>", " ", text))


def _as_shown_by_markdown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)  # the escapes of fmt.as_text


def _cards(block) -> list:
    """The blocks holding a chart directly: one per chart card."""
    children = list(getattr(block, "children", {}).values())
    own = [block] if any(getattr(child, "type", None) == "plotly_chart" for child in children) else []
    return own + [card for child in children for card in _cards(child)]


def _texts(block) -> tuple[list[str], list[str]]:
    """The figures' annotations and the captions under `block`, as the browser writes them."""
    annotations, captions = [], []
    for child in getattr(block, "children", {}).values():
        kind = getattr(child, "type", None)
        if kind == "plotly_chart":
            figure = json.loads(child.proto.spec)
            annotations += [_as_shown_by_plotly(a.get("text", "")) for a in figure["layout"].get("annotations", [])]
        elif kind == "caption":
            captions.append(_as_shown_by_markdown(child.value))
        inner = _texts(child)
        annotations, captions = annotations + inner[0], captions + inner[1]
    return annotations, captions


@pytest.mark.parametrize("page", [*PAGES, "app_pages/territoires.py"])
def test_each_chart_card_shows_its_source_once_inside_its_figure(data_root, snapshot, page) -> None:
    source = " ".join(source_line(snapshot).split())
    app = run_page(page, {}, tables=False)
    cards = _cards(app.main)
    assert cards, page
    for card in cards:
        annotations, captions = _texts(card)
        in_figure = sum(" ".join(text.split()).count(source) for text in annotations)
        in_captions = sum(" ".join(text.split()).count(source) for text in captions)
        assert (in_figure, in_captions) == (1, 0), (page, annotations[:1], captions)
