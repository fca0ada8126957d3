"""The region map of the Territoires page: a choropleth of the 18 regions, or a tile grid without outlines.

The outlines (gregoiredavid/france-geojson, copied into the snapshot as `regions.geojson` by the
`geo` connector) put the five DROM thousands of kilometres away: they are moved, by a plain
coordinate transform, into a column of small boxes west of metropolitan France, each scaled to
fill its box, so that one choropleth draws all 18 regions at a readable size. The file (1.7 MB)
is simplified for display: the figure goes to the browser on every rerun.

Secret cells follow the house rule of `charts`: never a colour of the scale, a flat grey of their
own trace, "secret" in the hover and written on the map. A click on a region reports the point of
the choropleth it hit, whose `customdata[0]` is the region code (see `region_map`).

Without the file (offline, no mirror) a tile grid stands in: one square per region, in the rough
shape of France, on the same colour scale and just as clickable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import hex_to_rgb, sample_colorscale, unlabel_rgb

from observatory import charts, reference, secrecy
from observatory import formatting as fmt
from observatory.charts import SECRET_GREY, Caption
from observatory.sources import geo
from observatory.sources.geo import Polygon, Ring

# Sequential "Blues" without its two near-white steps: the lightest value must stand out from the
# white background and from the light grey of the regions without data.
COLOURSCALE = [[0.0, "#C6DBEF"], [0.2, "#9ECAE1"], [0.4, "#6BAED6"], [0.6, "#4292C6"], [0.8, "#2171B5"],
               [1.0, "#08306B"]]
NO_DATA_GREY = "#EEEEEE"
OUTLINE = "#1E1E1E"    # selected regions
BORDER = "#FFFFFF"     # between regions
INSET_FRAME = "#9E9E9E"
LABEL_GREY = "#555555"
DARK_TEXT = "#1E1E1E"

# DROM insets, top to bottom, in a column west of Brittany (whose tip is at 5.1° W).
DROM = ("01", "02", "03", "04", "06")
INSET_WEST, INSET_EAST, INSET_NORTH, INSET_SOUTH = -9.0, -6.0, 51.0, 42.0
INSET_PAD = 0.08       # degrees between a box's frame and its region
INSET_LABEL = 0.55     # Mercator degrees under each box for the region's name

# Display simplification, in degrees of the displayed map (after the insets are placed). A
# full-width card draws about 19° of longitude in 800 px, 0.024° a pixel: below half a pixel.
TOLERANCE = 0.01
DIGITS = 3             # 0.001° ≈ 100 m
MIN_AREA = 0.0015      # deg² (about 12 km²): smaller islands and holes are not drawn

MAP_HEIGHT = {False: 370, True: 560}
# Fixed frame: the insets and metropolitan France with a little room. `fitbounds="locations"`
# left a third of the card empty (measured in Chromium at 820 px: map 384 x 299 px, against
# 538 x 419 px with these ranges), and the map always shows the same 18 regions.
GEO = {"visible": False, "projection": {"type": "mercator"}, "lonaxis": {"range": [-9.4, 9.9]},
       "lataxis": {"range": [41.1, 51.6]}, "bgcolor": "rgba(0,0,0,0)"}
WORDS = {"secret": "secret", "absent": "pas de donnée"}


# --- Loading ---------------------------------------------------------------------------------


def load_boundaries(path: Path | None) -> dict | None:
    """The region outlines ready for `region_map`: validated, DROM moved into insets, simplified.

    None when there is no file (offline, no mirror): the page then draws the tile grid. A file
    that exists but is broken raises SourceError (sources/geo.py) rather than drawing a wrong map."""
    if path is None or not path.is_file():
        return None
    regions = geo.region_outlines(path)
    names = dict(zip(reference.regions()["code"], reference.regions()["label"], strict=True))
    boxes = inset_boxes()
    features = []
    for code, polygons in ((code, region.polygons) for code, region in regions.items()):
        placed = _into_box(polygons, boxes[code]) if code in boxes else polygons
        features.append(_feature(code, names[code], _simplified(placed)))
    return {"type": "FeatureCollection", "features": features}


# --- DROM insets ------------------------------------------------------------------------------


def _mercator(lat: np.ndarray | float) -> np.ndarray:
    """Latitude -> Mercator ordinate, in degrees: the map's projection, in which the insets are
    placed so that each DROM keeps its shape wherever it is moved."""
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def _latitude(y: np.ndarray | float) -> np.ndarray:
    return np.degrees(2 * np.arctan(np.exp(np.radians(y))) - np.pi / 2)


def inset_boxes() -> dict[str, tuple[float, float, float, float]]:
    """Each DROM's box (west, south, east, north) in lon/lat: one slot each, stacked from the
    north, its lower part left for the name."""
    top, bottom = float(_mercator(INSET_NORTH)), float(_mercator(INSET_SOUTH))
    slot = (top - bottom) / len(DROM)
    boxes = {}
    for i, code in enumerate(DROM):
        north = top - i * slot - INSET_PAD
        south = top - (i + 1) * slot + INSET_LABEL
        boxes[code] = (INSET_WEST, float(_latitude(south)), INSET_EAST, float(_latitude(north)))
    return boxes


def inset_label_points() -> dict[str, tuple[float, float]]:
    """Where each DROM's name is written: centred under its box."""
    return {code: ((west + east) / 2, float(_latitude(_mercator(south) - INSET_LABEL / 2)))
            for code, (west, south, east, _) in inset_boxes().items()}


def _into_box(polygons: list[Polygon], box: tuple[float, float, float, float]) -> list[Polygon]:
    """Scale and move a region into a box, keeping its shape (a similarity in the Mercator plane)."""
    west, south, east, north = box
    points = np.concatenate([ring for polygon in polygons for ring in polygon])
    x, y = points[:, 0], _mercator(points[:, 1])
    box_x = (west + INSET_PAD, east - INSET_PAD)
    box_y = (float(_mercator(south)) + INSET_PAD, float(_mercator(north)) - INSET_PAD)
    scale = min((box_x[1] - box_x[0]) / np.ptp(x), (box_y[1] - box_y[0]) / np.ptp(y))
    centre = ((x.min() + x.max()) / 2, (y.min() + y.max()) / 2)
    target = (sum(box_x) / 2, sum(box_y) / 2)

    def moved(ring: Ring) -> Ring:
        lon = target[0] + scale * (ring[:, 0] - centre[0])
        lat = _latitude(target[1] + scale * (_mercator(ring[:, 1]) - centre[1]))
        return np.column_stack([lon, lat])

    return [[moved(ring) for ring in polygon] for polygon in polygons]


# --- Simplification ---------------------------------------------------------------------------


def _area(ring: Ring) -> float:
    """Signed area (shoelace), positive when counter-clockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Mask of the points of an open line kept by Douglas-Peucker (iterative: no recursion limit)."""
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    pending = [(0, len(points) - 1)]
    while pending:
        first, last = pending.pop()
        if last - first < 2:
            continue
        start, chord = points[first], points[last] - points[first]
        offsets = points[first + 1:last] - start
        length = math.hypot(*chord)
        distances = (np.abs(chord[0] * offsets[:, 1] - chord[1] * offsets[:, 0]) / length if length
                     else np.hypot(offsets[:, 0], offsets[:, 1]))
        farthest = int(np.argmax(distances))
        if distances[farthest] > tolerance:
            middle = first + 1 + farthest
            keep[middle] = True
            pending += [(first, middle), (middle, last)]
    return keep


def _simplified_ring(ring: Ring, clockwise: bool) -> Ring | None:
    """A ring simplified and rounded for display, wound as d3-geo (hence plotly) expects: outer
    rings clockwise, holes counter-clockwise, otherwise plotly fills the rest of the globe.
    None when nothing drawable is left."""
    # A closed ring is split at its point farthest from the start: Douglas-Peucker needs two
    # distinct ends.
    far = int(np.argmax(np.hypot(*(ring - ring[0]).T)))
    keep = np.concatenate([_douglas_peucker(ring[:far + 1], TOLERANCE)[:-1], _douglas_peucker(ring[far:], TOLERANCE)])
    rounded = np.round(ring[keep], DIGITS)
    distinct = np.concatenate([[True], (np.diff(rounded, axis=0) != 0).any(axis=1)])
    rounded = rounded[distinct]
    if len(rounded) < 4:
        return None
    return rounded[::-1] if (_area(rounded) < 0) != clockwise else rounded


def _simplified(polygons: list[Polygon]) -> list[Polygon]:
    """Polygons for display: islands and holes too small to see dropped (never the region's
    largest polygon), rings simplified."""
    largest = max(range(len(polygons)), key=lambda i: abs(_area(polygons[i][0])))
    kept = []
    for i, polygon in enumerate(polygons):
        if i != largest and abs(_area(polygon[0])) < MIN_AREA:
            continue
        outer = _simplified_ring(polygon[0], clockwise=True)
        if outer is None:
            continue
        holes = [_simplified_ring(hole, clockwise=False) for hole in polygon[1:] if abs(_area(hole)) >= MIN_AREA]
        kept.append([outer, *(hole for hole in holes if hole is not None)])
    return kept


def _centroid(ring: Ring) -> tuple[float, float]:
    x, y = ring[:, 0], ring[:, 1]
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    area = cross.sum() / 2
    if not area:
        return float(x.mean()), float(y.mean())
    return (float(((x[:-1] + x[1:]) * cross).sum() / (6 * area)),
            float(((y[:-1] + y[1:]) * cross).sum() / (6 * area)))


def _feature(code: str, name: str, polygons: list[Polygon]) -> dict:
    """A GeoJSON feature; its label point (centroid of its largest polygon) carries the word
    "secret" on the map."""
    largest = max(polygons, key=lambda polygon: abs(_area(polygon[0])))
    lon, lat = _centroid(largest[0])
    return {"type": "Feature", "id": code,
            "properties": {"code": code, "nom": name, "label_lon": round(lon, DIGITS), "label_lat": round(lat, DIGITS)},
            "geometry": {"type": "MultiPolygon", "coordinates": [[ring.tolist() for ring in polygon]
                                                                 for polygon in polygons]}}


# --- Figure -----------------------------------------------------------------------------------


def _cells(rows: pd.DataFrame, unit: str) -> pd.DataFrame:
    """One line per region of the code list: code, label, state ("ok", "secret", or "absent" for a
    region without a row), value as plotted (NaN unless "ok"), word (the value as the table writes
    it) and hover. A secret status or an empty value is "secret" and its value is dropped."""
    regions = reference.regions()[["code", "label"]]
    given = rows.assign(code=rows["code"].astype(str)).drop_duplicates("code").set_index("code")
    cells = regions.set_index("code").join(given[["value", "status"]], how="left")
    cells["label"] = given["label"].reindex(cells.index).fillna(cells["label"]).astype(str)
    present = cells.index.isin(given.index)
    secret = present & (cells["status"].eq(secrecy.SECRET) | cells["value"].isna()).to_numpy()
    cells["state"] = np.where(~present, "absent", np.where(secret, "secret", "ok"))
    values = cells["value"].astype(float).where(cells["state"].eq("ok"))
    cells["value"] = charts._plotted(values, unit)
    cells["word"] = [fmt.by_unit(float(v), unit) if s == "ok" else WORDS[s]
                     for v, s in zip(values, cells["state"], strict=True)]
    cells["hover"] = [f"{charts._escape(label)} : {word}" for label, word in zip(cells["label"], cells["word"],
                                                                                 strict=True)]
    return cells.drop(columns="status").reset_index()


def _colourbar(unit: str) -> dict:
    """Ticks in French, like the value axes of the other charts (`1 600 €`, `45 %`)."""
    return {"thickness": 12, "len": 0.7, "outlinewidth": 0, "xpad": 4, **charts._value_axis(unit)}


def _flat(colour: str) -> list[list]:
    """A single-colour scale: the trace's z carries no value."""
    return [[0.0, colour], [1.0, colour]]


def _customdata(cells: pd.DataFrame) -> list[list[str]]:
    return [[code, hover] for code, hover in zip(cells["code"], cells["hover"], strict=True)]


def region_map(rows: pd.DataFrame, caption: Caption, *, unit: str, boundaries: dict | None,
               selected: tuple[str, ...] = ()) -> go.Figure:
    """The 18 regions coloured by `rows` (code, label, value, status; NaN = secret): a choropleth
    on `boundaries` (from `load_boundaries`), or a tile grid when there are none.

    Clicks need no marker layer: Streamlit's points selection sets `clickmode="event+select"` and
    `dragmode="pan"`, under which plotly.js selects the choropleth location clicked in a geo subplot
    (`selectOnClick`, choropleth `selectPoints`) and Streamlit passes the point on with its
    `customdata`. Checked in Chromium against Streamlit 1.67 (`on_select`, `selection_mode="points"`):
    a click on a region, a DROM inset, a secret region, a selected region or a tile returned its code
    in `customdata[0]`."""
    cells = _cells(rows, unit)
    if boundaries is None:
        return _tile_grid(cells, caption, unit, selected)
    return _choropleth(cells, caption, unit, boundaries, selected)


def _outlines(boundaries: dict, codes: Sequence[str]) -> dict:
    """Only the features a trace draws: the geometry is the bulk of the figure, and each trace
    sends its own `geojson` to the browser."""
    return {"type": "FeatureCollection",
            "features": [f for f in boundaries["features"] if f["properties"]["code"] in set(codes)]}


def _region_layer(cells: pd.DataFrame, boundaries: dict, **trace: object) -> dict:
    codes = cells["code"].tolist()
    return {"type": "choropleth", "geojson": _outlines(boundaries, codes), "featureidkey": "properties.code",
            "locations": codes, "customdata": _customdata(cells),
            "hovertemplate": "%{customdata[1]}<extra></extra>", "marker": {"line": {"color": BORDER, "width": 0.6}},
            **trace}


def _choropleth(cells: pd.DataFrame, caption: Caption, unit: str, boundaries: dict,
                selected: Sequence[str]) -> go.Figure:
    shown, secret, absent = (cells[cells["state"] == state] for state in ("ok", "secret", "absent"))
    # The first trace must not be a choropleth: plotly.js (4.1 here, and the copy bundled with
    # Streamlit 1.67) decides from the first trace of a geo subplot alone whether to download its
    # world topojson from cdn.plot.ly, and a choropleth on a geojson asks for it (plotly.js issue
    # #6767) although nothing of it is drawn: a request to a third party, and a blank map offline.
    traces = [_inset_frames()]
    if len(shown):
        traces.append(_region_layer(shown, boundaries, z=shown["value"].tolist(), colorscale=COLOURSCALE,
                                    colorbar=_colourbar(unit)))
    # Secret and absent regions in traces of their own, flat grey: never a colour of the scale.
    for part, colour in ((secret, SECRET_GREY), (absent, NO_DATA_GREY)):
        if len(part):
            traces.append(_region_layer(part, boundaries, z=[0] * len(part), colorscale=_flat(colour),
                                        showscale=False))
    chosen = [code for code in cells["code"] if code in set(selected)]
    if chosen:
        # Drawn last, over the white borders of the neighbours; transparent and out of the hover,
        # so a click still reaches the coloured region underneath.
        traces.append({"type": "choropleth", "geojson": _outlines(boundaries, chosen),
                       "featureidkey": "properties.code", "locations": chosen, "z": [0] * len(chosen),
                       "colorscale": _flat("rgba(0,0,0,0)"), "showscale": False, "hoverinfo": "skip",
                       "marker": {"line": {"color": OUTLINE, "width": 2.5}}})
    traces.append(_inset_names(cells, caption.wide))
    if len(secret):
        traces.append(_secret_words(secret, boundaries))
    return charts._figure(traces, caption, MAP_HEIGHT[caption.wide], left_labels=("",), showlegend=False, geo=GEO)


def _inset_frames() -> dict:
    """The DROM boxes' frames, one line broken by gaps: the insets read as insets."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for west, south, east, north in inset_boxes().values():
        lon += [west, east, east, west, west, None]
        lat += [north, north, south, south, north, None]
    return {"type": "scattergeo", "mode": "lines", "lon": lon, "lat": lat, "hoverinfo": "skip",
            "line": {"color": INSET_FRAME, "width": 0.8}}


def _inset_names(cells: pd.DataFrame, wide: bool) -> dict:
    labels = dict(zip(cells["code"], cells["label"], strict=True))
    points = inset_label_points()
    return {"type": "scattergeo", "mode": "text", "lon": [p[0] for p in points.values()],
            "lat": [p[1] for p in points.values()], "text": [charts._escape(labels[code]) for code in points],
            "textfont": {"size": 10 if wide else 8, "color": LABEL_GREY}, "hoverinfo": "skip"}


def _secret_words(secret: pd.DataFrame, boundaries: dict) -> dict:
    """"secret" written on each secret region, as in the heatmap's cells: grey alone is not a word."""
    places = {feature["properties"]["code"]: feature["properties"] for feature in boundaries["features"]}
    codes = [code for code in secret["code"] if "label_lon" in places.get(code, {})]
    return {"type": "scattergeo", "mode": "text", "lon": [places[c]["label_lon"] for c in codes],
            "lat": [places[c]["label_lat"] for c in codes], "text": ["secret"] * len(codes),
            "textfont": {"size": 9, "color": DARK_TEXT}, "hoverinfo": "skip"}


# --- Tile grid (no outlines) ------------------------------------------------------------------

# (column, row from the top) of each tile: metropolitan regions in bricks that keep their
# neighbours side by side, the DROM in a column to the west as on the map.
TILES: dict[str, tuple[float, float]] = {
    "32": (2.0, 0.0),
    "53": (0.0, 1.5), "28": (1.0, 1.0), "11": (2.0, 1.0), "44": (3.0, 1.0),
    "52": (1.0, 2.0), "24": (2.0, 2.0), "27": (3.0, 2.0),
    "75": (1.5, 3.0), "84": (2.5, 3.0),
    "76": (2.0, 4.0), "93": (3.0, 4.0), "94": (4.0, 4.75),
    "01": (-1.5, 0.0), "02": (-1.5, 1.0), "03": (-1.5, 2.0), "04": (-1.5, 3.0), "06": (-1.5, 4.0),
}
SHORT_NAMES = {"01": "GUA", "02": "MTQ", "03": "GUY", "04": "LRE", "06": "MAY", "11": "IDF", "24": "CVL",
               "27": "BFC", "28": "NOR", "32": "HDF", "44": "GES", "52": "PDL", "53": "BRE", "75": "NAQ",
               "76": "OCC", "84": "ARA", "93": "PAC", "94": "COR"}
# Marker sizes in px: a unit of the grid measured about 41 px on a half-width card, 66 px on a
# full-width one (Chromium, 380 and 820 px), tiles keep a gap between them.
TILE_SIZE = {False: 35, True: 56}
TILE_HEIGHT = {False: 390, True: 520}


def _luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance."""
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _text_colours(values: Sequence[float]) -> list[str]:
    """White or dark text on each tile, whichever contrasts more with the tile's colour."""
    low, high = min(values, default=0.0), max(values, default=0.0)
    positions = [(v - low) / (high - low) if high > low else 0.5 for v in values]
    dark = _luminance(hex_to_rgb(DARK_TEXT)) + 0.05
    colours = []
    for tile in sample_colorscale(COLOURSCALE, positions) if positions else []:
        light = _luminance(unlabel_rgb(tile)) + 0.05
        colours.append("#FFFFFF" if 1.05 / light > light / dark else DARK_TEXT)
    return colours


def _tile_layer(cells: pd.DataFrame, words: list[str], text_colour: str | list[str], marker: dict, *,
                selected: Sequence[str], wide: bool) -> dict:
    codes = cells["code"].tolist()
    return {"type": "scatter", "mode": "markers+text", "x": [TILES[c][0] for c in codes],
            "y": [TILES[c][1] for c in codes], "customdata": _customdata(cells),
            "text": [f"<b>{SHORT_NAMES[c]}</b><br>{w}" for c, w in zip(codes, words, strict=True)],
            "textposition": "middle center", "textfont": {"size": 10 if wide else 9, "color": text_colour},
            "cliponaxis": False, "hovertemplate": "%{customdata[1]}<extra></extra>",
            "marker": {"symbol": "square", "size": TILE_SIZE[wide],
                       "line": {"color": OUTLINE, "width": [3 if c in set(selected) else 0 for c in codes]}, **marker}}


def _tile_grid(cells: pd.DataFrame, caption: Caption, unit: str, selected: Sequence[str]) -> go.Figure:
    """18 square tiles in the rough shape of France, coloured on the map's scale; each tile is a
    marker, clickable like the points of a scatter chart."""
    shown, secret, absent = (cells[cells["state"] == state] for state in ("ok", "secret", "absent"))
    traces = []
    if len(shown):
        values = shown["value"].tolist()
        traces.append(_tile_layer(shown, shown["word"].tolist(), _text_colours(values),
                                  {"color": values, "colorscale": COLOURSCALE, "colorbar": _colourbar(unit)},
                                  selected=selected, wide=caption.wide))
    # Secret and absent tiles flat grey, in traces of their own: never a colour of the scale.
    for part, colour, word in ((secret, SECRET_GREY, "secret"), (absent, NO_DATA_GREY, "n.d.")):
        if len(part):
            traces.append(_tile_layer(part, [word] * len(part), DARK_TEXT, {"color": colour},
                                      selected=selected, wide=caption.wide))
    hidden = {"visible": False, "fixedrange": True}
    return charts._figure(traces, caption, TILE_HEIGHT[caption.wide], left_labels=("",), showlegend=False,
                          xaxis={**hidden, "range": [-2.2, 4.7]},
                          yaxis={**hidden, "range": [5.4, -0.6], "scaleanchor": "x", "scaleratio": 1},
                          hovermode="closest")
