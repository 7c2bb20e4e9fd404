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
EUROPE = (-25.0, 27.0, 45.0, 72.0)  # west, south, east, north: roughly the window of the NUTS boundaries


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


NUTS0_FILE = GEO_DIR / "nuts2021_60m_level0.geojson"
WORLD_FILE = GEO_DIR / "ne_110m_admin_0_countries.geojson"
# Natural Earth leaves ISO_A2 as -99 for these; its own code says which country they are.
NE_ISO_FIXES = {"FRA": "FR", "NOR": "NO"}
# NUTS writes these two countries differently from ISO 3166-1.
NUTS_TO_ISO = {"EL": "GR", "UK": "GB"}


def nuts2_country(code: str) -> str:
    """ISO alpha-2 country of a NUTS code (EL -> GR, UK -> GB)."""
    prefix = code[:2]
    return NUTS_TO_ISO.get(prefix, prefix)


def _centre(geometry: BaseGeometry) -> tuple[float, float]:
    """(lat, lon) of a shape's main body: the centroid of its largest polygon, moved inside if it falls out."""
    parts = getattr(geometry, "geoms", [geometry])
    main = max(parts, key=lambda g: g.area)
    point = main.centroid if main.contains(main.centroid) else main.representative_point()
    return round(point.y, 4), round(point.x, 4)


@cache
def region_centroids() -> dict[str, tuple[float, float]]:
    """NUTS-2 code -> (lat, lon) from the shipped boundaries."""
    return {code: _centre(geometry) for code, (_, geometry) in nuts2_shapes().items()}


@cache
def country_shapes() -> dict[str, BaseGeometry]:
    """ISO alpha-2 -> outline: NUTS level 0 for the 37 NUTS countries, Natural Earth for the rest of the world."""
    shapes: dict[str, BaseGeometry] = {}
    world = json.loads(WORLD_FILE.read_text(encoding="utf-8"))
    for feature in world["features"]:
        props = feature["properties"]
        code = NE_ISO_FIXES.get(props["ADM0_A3"], props["ISO_A2"])
        if len(code) == 2 and code.isalpha():
            shapes[code] = shape(feature["geometry"])
    nuts0 = json.loads(NUTS0_FILE.read_text(encoding="utf-8"))
    for feature in nuts0["features"]:
        code = feature["properties"]["id"]
        shapes[nuts2_country(code)] = shape(feature["geometry"])
    return shapes


@cache
def country_centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> (lat, lon) of the country's main body."""
    return {code: _centre(geometry) for code, geometry in country_shapes().items()}


@cache
def nuts_countries() -> frozenset[str]:
    """Countries drawn region by region (those with NUTS-2 boundaries); others are shaded as a whole."""
    return frozenset(nuts2_country(code) for code in nuts2_shapes())


POPULATION_FILES = {"region": GEO_DIR / "population_nuts2.csv", "country": GEO_DIR / "population_nuts0.csv"}


@cache
def population(level: str) -> dict[str, int]:
    """Inhabitants on 1 January 2023 (Eurostat demo_r_pjanaggr3, see data/geo/README.md) by NUTS-2 code (`region`)
    or ISO country code (`country`: NUTS writes EL and UK)."""
    out = {}
    with POPULATION_FILES[level].open(encoding="utf-8") as lines:
        next(lines)  # nuts_id,year,population
        for line in lines:
            code, _year, people = line.strip().split(",")
            out[NUTS_TO_ISO.get(code, code) if level == "country" else code] = int(people)
    return out
