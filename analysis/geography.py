"""Geography from the shipped boundary files: region shapes, centroids and distances."""

from __future__ import annotations

import json
import math
from functools import cache

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from analysis.schema import DATA_DIR

GEO_DIR = DATA_DIR / "geo"
NUTS2_FILE = GEO_DIR / "nuts2021_60m_level2.geojson"
EARTH_RADIUS_KM = 6371.0088


@cache
def nuts2_shapes() -> dict[str, tuple[str, BaseGeometry]]:
    """NUTS 2021 level-2 code -> (name, geometry) from the shipped 1:60M file."""
    data = json.loads(NUTS2_FILE.read_text(encoding="utf-8"))
    return {f["properties"]["id"]: (f["properties"]["na"], shape(f["geometry"])) for f in data["features"]}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def km_from_region(lat: float, lon: float, nuts2: str) -> float | None:
    """Great-circle km from a point to the nearest edge of a region (0 inside); None if unknown."""
    entry = nuts2_shapes().get(nuts2)
    if entry is None:
        return None
    region = entry[1]
    point = Point(lon, lat)
    if region.covers(point):
        return 0.0
    on_edge = nearest_points(region, point)[0]
    return haversine_km(lat, lon, on_edge.y, on_edge.x)
