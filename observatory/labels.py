"""Where to write the labels of a scatter's points so that no two overlap, nor hide a marker.

Positions are Plotly's `textposition` values; a label that finds no free place is left out (the
point's hover still names it). Geometry in pixels of the plot area, y downwards, with the
offsets Plotly applies: a label sits `marker radius / 0.8 + 1` px from its point's centre."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Tried in this order: above, below, beside, then the corners.
POSITIONS = ("top center", "bottom center", "middle right", "middle left", "top right", "top left",
             "bottom right", "bottom left")
CHAR_WIDTH = 0.62  # of the font size: an average sans-serif character, capitals and accents included
GAP = 2.0  # px kept free around each label

Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class Area:
    """The plot area in pixels, and how far labels may reach beyond its right edge (the margin)."""

    width: float
    height: float
    right_room: float = 0.0


def label_box(x: float, y: float, text: str, position: str, font_size: float, marker_size: float) -> Box:
    """The box a label takes at `position` around the point (x, y), in pixels."""
    offset = marker_size / 2 / 0.8 + 1
    width, height = CHAR_WIDTH * font_size * len(text), float(font_size)
    vertical, horizontal = position.split()
    left = {"left": x - offset - width, "right": x + offset}.get(horizontal, x - width / 2)
    top = {"top": y - offset - height, "bottom": y + offset}.get(vertical, y - height / 2)
    return left, top, left + width, top + height


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def placed(xs: Sequence[float], ys: Sequence[float], texts: Sequence[str], area: Area, *, font_size: float,
           marker_size: float) -> list[str | None]:
    """A position for each label, or None where every place is taken. The most isolated points
    are labelled first: outliers are what a reader looks for, and they have the room."""
    markers = [(x - marker_size / 2, y - marker_size / 2, x + marker_size / 2, y + marker_size / 2)
               for x, y in zip(xs, ys, strict=True)]
    taken: list[Box] = []
    positions: list[str | None] = [None] * len(xs)
    for i in sorted(range(len(xs)), key=lambda i: -_nearest(i, xs, ys)):
        for position in POSITIONS:
            box = _padded(label_box(xs[i], ys[i], texts[i], position, font_size, marker_size))
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= area.width + area.right_room and box[3] <= area.height
            if inside and not any(overlap(box, other) for other in taken) and not any(
                    overlap(box, marker) for j, marker in enumerate(markers) if j != i):
                taken.append(box)
                positions[i] = position
                break
    return positions


def _padded(box: Box) -> Box:
    return box[0] - GAP, box[1] - GAP, box[2] + GAP, box[3] + GAP


def _nearest(i: int, xs: Sequence[float], ys: Sequence[float]) -> float:
    return min((math.hypot(xs[i] - xs[j], ys[i] - ys[j]) for j in range(len(xs)) if j != i), default=math.inf)
