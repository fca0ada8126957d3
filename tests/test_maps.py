"""The region map: outlines loaded, DROM moved into insets, broken files refused in French, and
figures (choropleth and tile grid) whose colours, greys and click codes follow the table."""

from __future__ import annotations

import json
import math
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from observatory import formatting as fmt
from observatory import maps, reference
from observatory.charts import SECRET_GREY, Caption
from observatory.sources.base import SourceError

MIRROR = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "france-regions-avec-outre-mer.geojson"
CODES = set(reference.regions()["code"])
DROM = set(maps.DROM)
FRAME = Caption("Part des 55 ans ou plus : de 12 % à 31 %", "Par région · 2024 · toutes branches",
              "Source : démonstration synthétique", wide=True)
SECRET, ABSENT = ("04", "44"), ("11",)
# Published figure JSON: measured 96 KB for the map (wide card, one region selected), 5 KB for the tiles.
MAX_MAP_JSON = 150_000


@pytest.fixture(scope="module")
def boundaries() -> dict:
    if not MIRROR.is_file():
        pytest.skip(f"copie miroir absente : {MIRROR}")
    return maps.load_boundaries(MIRROR)


@pytest.fixture(scope="module")
def raw_regions() -> dict[str, list[np.ndarray]]:
    """The mirror's polygons as read, outer rings only: what the simplification must stay close to."""
    if not MIRROR.is_file():
        pytest.skip(f"copie miroir absente : {MIRROR}")
    document = json.loads(MIRROR.read_text(encoding="utf-8"))
    regions = {}
    for feature in document["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        regions[feature["properties"]["code"]] = [np.asarray(polygon[0], dtype=float) for polygon in polygons]
    return regions


def points_of(feature: dict) -> np.ndarray:
    return np.concatenate([np.asarray(ring) for polygon in feature["geometry"]["coordinates"] for ring in polygon])


def bbox(points: np.ndarray) -> tuple[float, float, float, float]:
    return (float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()), float(points[:, 1].max()))


def area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def mercator(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def by_code(boundaries: dict) -> dict[str, dict]:
    return {feature["properties"]["code"]: feature for feature in boundaries["features"]}


# --- Loading ---------------------------------------------------------------------------------


def test_no_file_means_no_boundaries(tmp_path: Path) -> None:
    assert maps.load_boundaries(None) is None
    assert maps.load_boundaries(tmp_path / "regions.geojson") is None


def test_the_18_regions_load_simplified_and_wound_for_plotly(boundaries: dict) -> None:
    features = by_code(boundaries)
    assert len(boundaries["features"]) == 18 and set(features) == CODES
    for code, feature in features.items():
        assert feature["properties"]["nom"] == reference.code_lists()["region"].label(code)
        for polygon in feature["geometry"]["coordinates"]:
            rings = [np.asarray(ring) for ring in polygon]
            assert all(len(ring) >= 4 and (ring[0] == ring[-1]).all() for ring in rings), code
            # d3-geo (plotly): outer rings clockwise, holes counter-clockwise, else the globe is filled
            assert area(rings[0]) < 0 and all(area(hole) > 0 for hole in rings[1:]), code
            assert all((np.round(ring, maps.DIGITS) == ring).all() for ring in rings), code
    assert sum(len(points_of(f)) for f in boundaries["features"]) < 8_000  # from 90 184 positions


def test_simplified_metropolitan_regions_keep_their_shape(boundaries: dict, raw_regions: dict) -> None:
    """Same extent within a few hundred metres, same area within 2 % (islets under `MIN_AREA`
    left out on both sides: they are not drawn, by design)."""
    for code, feature in by_code(boundaries).items():
        if code in DROM:
            continue
        raw = [ring for ring in raw_regions[code] if abs(area(ring)) >= maps.MIN_AREA]
        assert np.allclose(bbox(points_of(feature)), bbox(np.concatenate(raw)), atol=0.03), code
        shown = sum(abs(area(np.asarray(polygon[0]))) for polygon in feature["geometry"]["coordinates"])
        assert shown == pytest.approx(sum(abs(area(ring)) for ring in raw), rel=0.02), code


def test_drom_sit_in_separate_boxes_west_of_metropolitan_france(boundaries: dict) -> None:
    features = by_code(boundaries)
    metro_west = min(bbox(points_of(features[code]))[0] for code in CODES - DROM)
    boxes = {code: bbox(points_of(features[code])) for code in DROM}
    for code, (west, south, east, north) in boxes.items():
        assert east < metro_west - 0.5, code
        assert west >= -9.5 and east <= -5.5 and south >= 41.5 and north <= 51.5, (code, boxes[code])
        frame_west, frame_south, frame_east, frame_north = maps.inset_boxes()[code]
        assert frame_west <= west and east <= frame_east and frame_south <= south and north <= frame_north, code
        # scaled to fill its box (in the map's Mercator plane): Mayotte (0.3°) as large as Guyane (3.6°)
        fill = max((east - west) / (frame_east - frame_west),
                   (mercator(north) - mercator(south)) / (mercator(frame_north) - mercator(frame_south)))
        assert fill > 0.85, (code, fill)
    for (a, box_a), (b, box_b) in combinations(maps.inset_boxes().items(), 2):
        assert box_a[2] <= box_b[0] or box_b[2] <= box_a[0] or box_a[3] <= box_b[1] or box_b[3] <= box_a[1], (a, b)


def squares() -> dict:
    """A small valid outline file: one square per region (DROM near their real places)."""
    places = {code: (x, 50 - y) for code, (x, y) in maps.TILES.items()}
    places.update({"01": (-61.5, 16.2), "02": (-61.0, 14.6), "03": (-53.0, 4.0), "04": (55.5, -21.1),
                   "06": (45.1, -12.8)})
    features = []
    for code, (lon, lat) in places.items():
        ring = [[lon, lat], [lon, lat + 0.4], [lon + 0.4, lat + 0.4], [lon + 0.4, lat], [lon, lat]]
        features.append({"type": "Feature", "properties": {"code": code, "nom": code},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


def damaged(kind: str) -> str:
    document = squares()
    features = document["features"]
    if kind == "tronqué":
        return json.dumps(document)[:500]
    if kind == "manquante":
        del features[3]
    elif kind == "code":
        features[0]["properties"]["code"] = "99"
    elif kind == "doublon":
        features[1]["properties"]["code"] = features[0]["properties"]["code"]
    elif kind == "géométrie":
        features[2]["geometry"] = {"type": "Point", "coordinates": [2.0, 48.0]}
    elif kind == "coordonnées":
        features[2]["geometry"]["coordinates"][0][1] = ["a", "b"]
    elif kind == "bornes":
        features[2]["geometry"]["coordinates"][0][1] = [200.0, 48.0]
    elif kind == "collection":
        document = features
    return json.dumps(document)


@pytest.mark.parametrize(("kind", "words"), [
    ("tronqué", "JSON invalide ou tronqué"), ("manquante", "régions manquantes"), ("code", "code de région INSEE"),
    ("doublon", "en double"), ("géométrie", "Polygon ou MultiPolygon attendue"),
    ("coordonnées", "coordonnées mal formées"), ("bornes", "hors des bornes"),
    ("collection", "FeatureCollection GeoJSON attendue"),
])
def test_a_broken_file_is_refused_in_french(tmp_path: Path, kind: str, words: str) -> None:
    path = tmp_path / "regions.geojson"
    path.write_text(damaged(kind), encoding="utf-8")
    with pytest.raises(SourceError, match=r"regions\.geojson") as error:
        maps.load_boundaries(path)
    assert words in str(error.value) and "regions.geojson" in str(error.value)


def test_the_squares_themselves_load(tmp_path: Path) -> None:
    path = tmp_path / "regions.geojson"
    path.write_text(json.dumps(squares()), encoding="utf-8")
    assert len(maps.load_boundaries(path)["features"]) == 18


# --- Figures ---------------------------------------------------------------------------------


def region_rows() -> pd.DataFrame:
    """Every region but one (absent), two of them secret, shares from 12 % to 31 %."""
    regions = reference.regions()
    rows = pd.DataFrame({"code": regions["code"], "label": regions["label"],
                         "value": np.linspace(0.12, 0.31, len(regions)), "status": "ok"})
    rows.loc[rows["code"].isin(SECRET), ["value", "status"]] = [np.nan, "secret"]
    return rows[~rows["code"].isin(ABSENT)].reset_index(drop=True)


def customdata_codes(figure: go.Figure) -> list[str]:
    return [data[0] for trace in figure.data for data in (trace.customdata if trace.customdata is not None else [])]


def coloured(figure: go.Figure) -> list:
    """The traces drawn on the colour scale (the others are flat greys)."""
    found = []
    for trace in figure.data:
        scale = trace.colorscale if trace.type == "choropleth" else getattr(trace.marker, "colorscale", None)
        if trace.customdata is not None and scale and len({colour for _, colour in scale}) > 1:
            found.append(trace)
    return found


def check_common(figure: go.Figure, rows: pd.DataFrame) -> None:
    """What the map and the tiles share: every region clickable once, shares in percent on the
    scale, secret and absent regions only in their grey traces, hovers written like the table."""
    go.Figure(figure.to_dict())  # raises on any invalid property
    codes = customdata_codes(figure)
    assert sorted(codes) == sorted(CODES)
    [scale] = coloured(figure)
    values = scale.z if scale.type == "choropleth" else scale.marker.color
    locations = scale.locations if scale.type == "choropleth" else [d[0] for d in scale.customdata]
    published = rows[rows["status"] == "ok"]
    assert dict(zip(locations, values, strict=True)) == pytest.approx(
        dict(zip(published["code"], published["value"] * 100, strict=True)))
    assert not set(locations) & set(SECRET) and not set(locations) & set(ABSENT)
    hovers = {d[0]: d[1] for t in figure.data if t.customdata is not None for d in t.customdata}
    labels = dict(zip(reference.regions()["code"], reference.regions()["label"], strict=True))
    for code, value in zip(published["code"], published["value"], strict=True):
        assert hovers[code] == f"{labels[code]} : {fmt.percent(value)}"
    for code in SECRET:
        assert hovers[code] == f"{labels[code]} : secret"
    for code in ABSENT:
        assert hovers[code] == f"{labels[code]} : pas de donnée"
    secret_traces = [t for t in figure.data if t.customdata is not None and {d[0] for d in t.customdata} == set(SECRET)]
    assert len(secret_traces) == 1
    [grey] = secret_traces
    assert ({colour for _, colour in grey.colorscale} if grey.type == "choropleth" else {grey.marker.color}) == {
        SECRET_GREY}
    layout = figure.to_dict()["layout"]
    assert FRAME.title in layout["title"]["text"] and layout["annotations"][0]["text"] == FRAME.source


def test_the_choropleth_follows_the_table(boundaries: dict) -> None:
    rows = region_rows()
    figure = maps.region_map(rows, FRAME, unit="share", boundaries=boundaries, selected=("84",))
    check_common(figure, rows)
    # no world topojson from cdn.plot.ly: plotly.js looks at the first trace of the subplot only
    assert figure.data[0].type == "scattergeo" and figure.data[0].locations is None
    for trace in figure.data:
        if trace.type == "choropleth":  # each trace carries only the outlines it draws
            assert sorted(f["properties"]["code"] for f in trace.geojson["features"]) == sorted(trace.locations)
            assert trace.featureidkey == "properties.code"
    [outline] = [t for t in figure.data if t.type == "choropleth" and t.hoverinfo == "skip"]
    assert list(outline.locations) == ["84"] and outline.marker.line.width > 2
    words = [t for t in figure.data if t.type == "scattergeo" and t.text and "secret" in t.text]
    assert len(words) == 1 and len(words[0].text) == len(SECRET)
    names = [t for t in figure.data if t.type == "scattergeo" and t.text and "Mayotte" in t.text]
    assert len(names) == 1
    size = len(figure.to_json())
    print(f"\nJSON de la carte : {size / 1000:.0f} Ko")
    assert size < MAX_MAP_JSON


def test_the_tile_grid_follows_the_table() -> None:
    rows = region_rows()
    figure = maps.region_map(rows, FRAME, unit="share", boundaries=None, selected=("84",))
    check_common(figure, rows)
    tiles = [t for t in figure.data if t.type == "scatter"]
    assert len(tiles) == len(figure.data) and sum(len(t.x) for t in tiles) == 18
    assert all(t.marker.symbol == "square" and t.mode == "markers+text" for t in tiles)
    places = [(x, y) for t in tiles for x, y in zip(t.x, t.y, strict=True)]
    assert all(math.dist(a, b) >= 1 for a, b in combinations(places, 2))  # no tile over another
    widths = {d[0]: w for t in tiles for d, w in zip(t.customdata, t.marker.line.width, strict=True)}
    assert widths["84"] > 0 and all(w == 0 for code, w in widths.items() if code != "84")
    texts = {d[0]: text for t in tiles for d, text in zip(t.customdata, t.text, strict=True)}
    assert texts["04"].endswith("secret") and "LRE" in texts["04"]
    layout = figure.to_dict()["layout"]
    assert not layout["xaxis"]["visible"] and layout["yaxis"]["scaleanchor"] == "x"
    print(f"\nJSON de la grille : {len(figure.to_json()) / 1000:.0f} Ko")


@pytest.mark.parametrize("with_outlines", [True, False])
def test_all_secret_draws_no_colour_and_labels_are_escaped(request: pytest.FixtureRequest, with_outlines: bool) -> None:
    rows = region_rows().assign(value=np.nan, status="secret")
    rows.loc[0, "label"] = "<b>Guadeloupe</b>"
    outlines = request.getfixturevalue("boundaries") if with_outlines else None
    figure = maps.region_map(rows, FRAME, unit="eur", boundaries=outlines)
    go.Figure(figure.to_dict())
    assert not coloured(figure) and sorted(customdata_codes(figure)) == sorted(CODES)
    hovers = [d[1] for t in figure.data if t.customdata is not None for d in t.customdata]
    assert "&lt;b&gt;Guadeloupe&lt;/b&gt; : secret" in hovers and not any("<b>" in h for h in hovers)
