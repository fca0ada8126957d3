"""Region boundaries (GeoJSON, WGS84) from gregoiredavid/france-geojson: 13 metropolitan regions and 5 DROM.

The file is copied as it is for the maps; a small table gives each region's bounding box, which
is what a map needs to frame one region or to draw the DROM as insets (they sit at their real
positions, thousands of kilometres from the metropole).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
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


Ring = np.ndarray  # (n, 2) lon, lat; closed (first point == last point)
Polygon = list[Ring]  # outer ring, then holes


@dataclass(frozen=True)
class Region:
    label: str
    polygons: list[Polygon]


def parse(path: Path) -> ParsedSource:
    regions = region_outlines(path)
    boxes = []
    for code, region in regions.items():
        points = np.concatenate([ring for polygon in region.polygons for ring in polygon])
        boxes.append({"region": code, "label": region.label, "min_lon": points[:, 0].min(),
                      "min_lat": points[:, 1].min(), "max_lon": points[:, 0].max(), "max_lat": points[:, 1].max()})
    table = pd.DataFrame(boxes).sort_values("region")
    return ParsedSource(
        tables={"regions_geo": arrow_table(table, SCHEMA)}, files={"regions.geojson": path}, rows=len(regions)
    )


def region_outlines(path: Path) -> dict[str, Region]:
    """Each region code -> its name and polygons, every one of the 18 regions exactly once; the
    one check of an outline file, at download and before a map draws it (SourceError saying
    which feature is wrong)."""
    document = read_json(path)
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise SourceError(path, "FeatureCollection GeoJSON attendue")
    regions: dict[str, Region] = {}
    for position, feature in enumerate(features, start=1):
        code, region = _region(path, position, feature)
        if code in regions:
            raise SourceError(path, f"régions en double : {code}")
        regions[code] = region
    missing = sorted(REGION_CODES - set(regions))
    if missing:
        raise SourceError(path, f"régions manquantes : {', '.join(missing)} ({len(features)} entités au lieu de 18)")
    return regions


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


def _region(path: Path, position: int, feature: object) -> tuple[str, Region]:
    """One feature -> its code, name and polygons, or a SourceError saying which feature is wrong."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    code = properties.get("code") if isinstance(properties, dict) else None
    label = properties.get("nom") if isinstance(properties, dict) else None
    where = f"entité {position} (code {code!r})"
    if code not in REGION_CODES:
        raise SourceError(path, f"{where} : code de région INSEE attendu dans properties.code")
    if not isinstance(label, str) or not label.strip():
        raise SourceError(path, f"{where} : nom attendu dans properties.nom")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in GEOMETRY_TYPES:
        raise SourceError(path, f"{where} : géométrie Polygon ou MultiPolygon attendue")
    coordinates = geometry.get("coordinates")
    try:
        polygons = [[_ring(ring) for ring in polygon]
                    for polygon in (coordinates if kind == "MultiPolygon" else [coordinates])]
    except (TypeError, ValueError) as error:
        raise SourceError(path, f"{where} : coordonnées mal formées") from error
    if not polygons or not all(polygons):
        raise SourceError(path, f"{where} : géométrie vide")
    points = np.concatenate([ring for polygon in polygons for ring in polygon])
    if (np.abs(points[:, 0]) > 180).any() or (np.abs(points[:, 1]) > 90).any():
        raise SourceError(path, f"{where} : coordonnées hors des bornes longitude/latitude (WGS84 attendu)")
    return code, Region(label.strip(), polygons)


def _ring(positions: object) -> Ring:
    """A closed ring of at least three distinct positions, finite; ValueError otherwise."""
    ring = np.asarray(positions, dtype=float)
    if ring.ndim != 2 or ring.shape[0] < 4 or ring.shape[1] < 2 or not np.isfinite(ring[:, :2]).all():
        raise ValueError("not a ring")
    ring = ring[:, :2]
    return ring if (ring[0] == ring[-1]).all() else np.vstack([ring, ring[:1]])


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
