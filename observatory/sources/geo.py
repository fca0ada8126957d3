"""Region boundaries (GeoJSON, WGS84) from gregoiredavid/france-geojson: 13 metropolitan regions and 5 DROM.

The file is copied as it is for the maps; a small table gives each region's bounding box, which
is what a map needs to frame one region or to draw the DROM as insets (they sit at their real
positions, thousands of kilometres from the metropole).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa

from observatory.sources.base import REGION_CODES, Connector, ParsedSource, SourceError, arrow_table

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
SCHEMA = pa.schema([
    ("region", pa.string()),
    ("label", pa.string()),
    ("min_lon", pa.float64()),
    ("min_lat", pa.float64()),
    ("max_lon", pa.float64()),
    ("max_lat", pa.float64()),
])


def parse(path: Path) -> ParsedSource:
    document = read_json(path)
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise SourceError(path, "FeatureCollection GeoJSON attendue")
    boxes = [_region_box(path, position, feature) for position, feature in enumerate(features, start=1)]
    codes = [box["region"] for box in boxes]
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise SourceError(path, f"régions en double : {', '.join(duplicated)}")
    missing = sorted(REGION_CODES - set(codes))
    if missing:
        raise SourceError(path, f"régions manquantes : {', '.join(missing)} ({len(features)} entités au lieu de 18)")
    table = pd.DataFrame(boxes).sort_values("region")
    return ParsedSource(
        tables={"regions_geo": arrow_table(table, SCHEMA)}, files={"regions.geojson": path}, rows=len(features)
    )


def read_json(path: Path) -> object:
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(path, "fichier vide")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise SourceError(path, f"encodage invalide à l'octet {error.start} (UTF-8 attendu)") from error
    except json.JSONDecodeError as error:
        raise SourceError(path, f"JSON invalide ou tronqué (ligne {error.lineno}, colonne {error.colno})") from error


def _region_box(path: Path, position: int, feature: object) -> dict[str, object]:
    """One feature -> its code, name and bounding box, or a SourceError saying which feature is wrong."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    code = properties.get("code") if isinstance(properties, dict) else None
    label = properties.get("nom") if isinstance(properties, dict) else None
    where = f"entité {position} (code {code!r})"
    if code not in REGION_CODES:
        raise SourceError(path, f"{where} : code de région INSEE attendu dans properties.code")
    if not isinstance(label, str) or not label.strip():
        raise SourceError(path, f"{where} : nom attendu dans properties.nom")
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        raise SourceError(path, f"{where} : géométrie Polygon ou MultiPolygon attendue")
    try:
        positions = list(_positions(geometry["type"], geometry.get("coordinates")))
    except (TypeError, ValueError) as error:
        raise SourceError(path, f"{where} : coordonnées mal formées") from error
    if not positions:
        raise SourceError(path, f"{where} : géométrie vide")
    lons = [lon for lon, _ in positions]
    lats = [lat for _, lat in positions]
    if not all(-180 <= lon <= 180 for lon in lons) or not all(-90 <= lat <= 90 for lat in lats):
        raise SourceError(path, f"{where} : coordonnées hors des bornes longitude/latitude (WGS84 attendu)")
    return {"region": code, "label": label.strip(), "min_lon": min(lons), "min_lat": min(lats),
            "max_lon": max(lons), "max_lat": max(lats)}


def _positions(kind: str, coordinates: object) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) of a Polygon or MultiPolygon; ValueError on anything not a finite number pair."""
    polygons = coordinates if kind == "MultiPolygon" else [coordinates]
    for polygon in polygons:
        for ring in polygon:
            for point in ring:
                lon, lat = float(point[0]), float(point[1])
                if not (math.isfinite(lon) and math.isfinite(lat)):
                    raise ValueError("non-finite coordinate")
                yield lon, lat


CONNECTOR = Connector(
    name="geo",
    producer="IGN et INSEE (mis en forme par gregoiredavid/france-geojson)",
    title="Contours des régions, outre-mer compris (IGN Admin Express, COG 2018)",
    # Pinned to the commit of the mirror copy, so a download and a mirror give the same bytes.
    url=(
        "https://raw.githubusercontent.com/gregoiredavid/france-geojson/"
        "5d34ee6d0140c29f785fdb047d9329f1aab58833/regions-avec-outre-mer.geojson"
    ),
    licence="Licence Ouverte / Etalab",
    licence_note=(
        "Le README du dépôt renvoie aux conditions d'IGN Admin Express (Licence Ouverte) et composer.json déclare "
        "« Licence Ouverte » ; le dépôt n'a pas de fichier LICENSE séparé. Contours IGN Admin Express COG 2018, "
        "codes et noms INSEE COG 2018 (régions inchangées depuis)."
    ),
    mirror_name="france-regions-avec-outre-mer.geojson",
    raw_name="france-regions-avec-outre-mer.geojson",
    year=2018,
    parse=parse,
)
