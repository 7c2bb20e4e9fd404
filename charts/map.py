"""What the Map page draws, shaped for pydeck: layer records with plain-text tooltips from analysis.places' counts,
country colours and light boundary geometry from the shipped files (no tile server, works offline)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from analysis import i18n
from analysis.dataset import Dataset
from analysis.funding import ITEMS, MEASURES, PER_INHABITANT
from analysis.geography import country_shapes, nuts2_shapes
from analysis.i18n import N_, _
from analysis.networks import Network
from analysis.places import PlaceTables, far_away, in_europe, link_positions, node_positions, placement
from analysis.reference import nuts2_names
from analysis.words import counted, kind_label, plural
from charts.palette import OTHER, by_prominence, colours, rgb

GeoJson = dict[str, Any]
Record = dict[str, Any]

POINTS_LIMIT = 2000  # the most connected organisations drawn; beyond this the JSON slows the page
ARCS_LIMIT = 200  # the heaviest region links drawn; more is a hairball
LINKS_SHOWN = 5000  # rows of the region links table; the download has them all
BASE_TOLERANCE = 0.05  # degrees: outlines for context only
REGION_TOLERANCE = 0.01  # the 1:60M NUTS shapes are already coarse
DECIMALS = 2  # about 1 km, finer than the 1:60M boundaries themselves

PIXELS = pdk.types.String("pixels")  # a plain string; pydeck would read "pixels" as an accessor expression
SEA = [234, 241, 247]
LAND = [232, 232, 232]
BORDER = [190, 190, 190]
ARC_COLOUR = [214, 96, 22, 140]
LIGHT, DARK = (158, 202, 225), (8, 48, 107)  # the involvement ramp, pale to dark blue
SHADE_ALPHA = 210
UNSHADED = [200, 200, 200, 120]  # a place in view the measure has no value for
MAP_SIZE = (900, 560)  # pixels the initial view is fitted to (wide layout, page height of the chart)

PLACED_BY = {  # said in the language spoken where a tooltip says it
    "coordinates": N_("drawn at its coordinates"),
    "region": N_("drawn at its region's centre (no coordinates)"),
    "country": N_("drawn at its country's centre (no coordinates, no region)"),
}


def _involved(agreements: int, actions: int, organisations: int) -> str:
    """The last two lines of a place's tooltip: `in 1 agreement and 2 actions` and `3 organisations in view`."""
    return "\n".join(
        [
            _("in {items}").format(items=counted(agreements, actions)),
            _("{organisations} in view").format(
                organisations=plural(organisations, "{count} organisation", "{count} organisations")
            ),
        ]
    )


def deck_text(value: object) -> str:
    """Dataset text made inert for deck.gl's JSON converter, which would read a leading `@@=` or `@@#` as code."""
    text = str(value)
    return "\u2060" + text if text.startswith("@@") else text


# Geometry


def _rounded(coordinates: Any, decimals: int) -> Any:
    if isinstance(coordinates[0], int | float):
        return [round(float(coordinates[0]), decimals), round(float(coordinates[1]), decimals)]
    return [_rounded(part, decimals) for part in coordinates]


def light_geometry(geometry: BaseGeometry, tolerance: float, decimals: int = DECIMALS) -> GeoJson:
    """A GeoJSON geometry simplified to `tolerance` degrees and rounded to `decimals`, to keep the map's JSON small."""
    simple = geometry.simplify(tolerance, preserve_topology=True) if tolerance else geometry
    shape = mapping(simple)
    return {"type": shape["type"], "coordinates": _rounded(shape["coordinates"], decimals)}


def feature(geometry: GeoJson, properties: Record) -> GeoJson:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


@cache
def base_outlines() -> GeoJson:
    """Every country outline (NUTS level 0, Natural Earth elsewhere): the grey context under everything else."""
    shapes = country_shapes()
    return {
        "type": "FeatureCollection",
        "features": [feature(light_geometry(shapes[c], BASE_TOLERANCE), {"country": c}) for c in sorted(shapes)],
    }


@cache
def region_geometries() -> dict[str, GeoJson]:
    """NUTS-2 code -> light GeoJSON geometry, computed once."""
    return {code: light_geometry(shape, REGION_TOLERANCE) for code, (_name, shape) in nuts2_shapes().items()}


@cache
def country_geometries() -> dict[str, GeoJson]:
    """ISO alpha-2 -> light GeoJSON geometry, for countries shaded as a whole."""
    return {code: light_geometry(shape, BASE_TOLERANCE) for code, shape in country_shapes().items()}


# Colours and sizes


def country_colours(countries: list[str]) -> dict[str, list[int]]:
    """[r, g, b] per country, from the colour it has on every page (by its place among all the dataset's countries)."""
    return {code: rgb(value) for code, value in colours(countries).items()}


def shade(count: float, top: float) -> list[int]:
    """RGBA on the involvement ramp; square root so that a few very busy regions do not wash out the rest; a place
    without a value (no amount, no population) gets the pale grey of UNSHADED."""
    if math.isnan(count):  # nothing to shade by
        return UNSHADED
    share = math.sqrt(count / top) if top > 0 else 0.0
    return [round(lo + (hi - lo) * share) for lo, hi in zip(LIGHT, DARK, strict=True)] + [SHADE_ALPHA]


def shade_steps(top: float, whole: bool = True) -> list[float]:
    """A few values, from low to the top, to show the shading in the legend: counts from 1 (`whole`), or amounts
    from a sixteenth of the top (the square-root ramp makes it a quarter of the way)."""
    if top <= 0:
        return []
    if whole:
        return sorted({1, max(1, round(top / 4)), max(1, round(top / 2)), round(top)})
    return [top / 16, top / 4, top / 2, top]


def point_radius(degree: int, top: int) -> float:
    """Pixels, 3 to 12: the area grows with the degree, up to the most connected organisation in view (`top`)."""
    return round(3 + 9 * math.sqrt(degree / top), 1) if top > 0 else 3.0


def arc_width(weight: int, top: int) -> float:
    """Pixels, 1 to 8: grows with the weight, up to the heaviest link in view (`top`)."""
    return round(1 + 7 * weight / top, 1) if top > 0 else 1.0


# Layer records


def _money_lines(row: Any) -> str:
    """A place's money for its tooltip: its EU contribution, per inhabitant when known (empty without amounts)."""
    amount = getattr(row, "contribution_eur", None)
    if amount is None:
        return ""
    if math.isnan(amount):
        return "\n" + _("EU contribution: no amount given")
    said = "\n" + _("EU contribution: {amount}").format(amount=i18n.euros(amount))
    share = getattr(row, "contribution_per_inhabitant_eur", float("nan"))
    if not math.isnan(share):
        said += "\n" + _("{amount} per inhabitant").format(amount=i18n.euros(share, 2))
    return said


def region_features(table: pd.DataFrame, country_names: dict[str, str], top: float, column: str = "items") -> GeoJson:
    """The shaded regions: only the regions in view that have a boundary, each with its counts and tooltip (in the
    language spoken; `country_names` as it names them), shaded by `column` on a scale up to `top`."""
    shapes = region_geometries()
    features = []
    for row in table.itertuples(index=False):
        if row.region not in shapes:
            continue
        tooltip = f"{row.name} ({row.region}, {country_names.get(row.country, row.country)})\n" + _involved(
            row.agreements, row.actions, row.organisations
        )
        properties = {"code": row.region, "name": deck_text(row.name), "items": row.items}
        value = float(getattr(row, column))
        properties |= {"fill": shade(value, top), "tooltip": deck_text(tooltip + _money_lines(row))}
        features.append(feature(shapes[row.region], properties))
    return {"type": "FeatureCollection", "features": features}


def country_features(table: pd.DataFrame, country_names: dict[str, str], top: float, column: str = "items") -> GeoJson:
    """Countries outside NUTS coverage with their counts and tooltip, shaded whole on the regions' scale up to `top`."""
    shapes = country_geometries()
    features = []
    for row in table.itertuples(index=False):
        if row.country not in shapes:
            continue
        name = country_names.get(row.country, row.country)
        tooltip = (
            _("{name} ({code}, whole country)").format(name=name, code=row.country)
            + "\n"
            + _involved(row.agreements, row.actions, row.organisations)
        )
        properties = {"code": row.country, "name": deck_text(name), "items": row.items}
        value = float(getattr(row, column))
        properties |= {"fill": shade(value, top), "tooltip": deck_text(tooltip + _money_lines(row))}
        features.append(feature(shapes[row.country], properties))
    return {"type": "FeatureCollection", "features": features}


def point_records(
    table: pd.DataFrame, palette: dict[str, list[int]], country_names: dict[str, str], limit: int = POINTS_LIMIT
) -> list[Record]:
    """The placed organisations, most connected first, at most `limit`: position, radius, colour and tooltip."""
    top = int(table["degree"].max()) if len(table) else 0
    placed = table[table["placed_by"] != "unplaced"]
    placed = placed.sort_values(["degree", "items", "org_id"], ascending=[False, False, True]).head(limit)
    records = []
    for row in placed.itertuples(index=False):
        region = row.nuts2 if isinstance(row.nuts2, str) else ""
        items = plural(row.items, "in {count} agreement or action", "in {count} agreements and actions")
        partners = plural(row.degree, "{count} partner", "{count} partners")
        tooltip = (
            f"{row.name}\n{country_names.get(row.country, row.country)} · {kind_label(row.kind)}\n"
            f"{items} · {partners}\n{_(PLACED_BY[row.placed_by])}"
        )
        records.append(
            {
                "org": deck_text(row.org_id),
                "country": str(row.country),
                "region": region,
                "position": [round(row.lon, 4), round(row.lat, 4)],
                "radius": point_radius(row.degree, top),
                "colour": palette.get(row.country, rgb(OTHER)),
                "tooltip": deck_text(tooltip),
            }
        )
    return records


def arc_records(regions: Network, limit: int = ARCS_LIMIT) -> tuple[list[Record], int]:
    """The heaviest region links with both ends placed, at most `limit`, and how many could be drawn in all."""
    top = int(regions.links["weight"].max()) if len(regions.links) else 0
    arcs = link_positions(regions, node_positions(regions))
    arcs = arcs.sort_values(["weight", "a", "b"], ascending=[False, True, True], ignore_index=True)
    names = nuts2_names()
    records = [
        {
            "a": row.a,
            "b": row.b,
            "source": [row.a_lon, row.a_lat],
            "target": [row.b_lon, row.b_lat],
            "weight": int(row.weight),
            "width": arc_width(int(row.weight), top),
            "tooltip": f"{names.get(row.a, row.a)} ({row.a}) – {names.get(row.b, row.b)} ({row.b})\n"
            + plural(int(row.weight), "{count} shared agreement or action", "{count} shared agreements and actions"),
        }
        for row in arcs.head(limit).itertuples(index=False)
    ]
    return records, len(arcs)


def initial_view(lats: pd.Series, lons: pd.Series, size: tuple[int, int] = MAP_SIZE) -> dict[str, float]:
    """latitude, longitude and zoom that fit the organisations in Europe (a few far partners would shrink it to a
    speck), or all of them when none is in Europe; all of Europe when there is nothing to fit."""
    placed = lats.notna() & lons.notna()
    lats, lons = lats[placed].astype(float), lons[placed].astype(float)
    inside = in_europe(lats, lons)
    if inside.any():
        lats, lons = lats[inside], lons[inside]
    if lats.empty:
        return {"latitude": 50.0, "longitude": 12.0, "zoom": 3.0}
    south, north, west, east = lats.min(), lats.max(), lons.min(), lons.max()
    y_south, y_north = (math.log(math.tan(math.pi / 4 + math.radians(v) / 2)) for v in (south, north))
    width, height = size
    # Web Mercator: the whole world is 512 * 2**zoom pixels wide; leave a margin of about a tenth on each side.
    zoom_x = math.log2(width * 360 / (512 * max((east - west) * 1.2, 1e-6)))
    zoom_y = math.log2(height * 2 * math.pi / (512 * max((y_north - y_south) * 1.2, 1e-6)))
    y_mid = (y_south + y_north) / 2
    return {
        "latitude": round(math.degrees(2 * math.atan(math.exp(y_mid)) - math.pi / 2), 4),
        "longitude": round(float(west + east) / 2, 4),
        "zoom": round(min(max(min(zoom_x, zoom_y), 1.0), 6.0), 2),
    }


# Everything the page draws


@dataclass(frozen=True)
class MapData:
    """The map's layers and the tables beside it, for one view."""

    regions: pd.DataFrame  # analysis.places.region_table
    countries: pd.DataFrame  # country_table (outside NUTS)
    links: pd.DataFrame  # region_links
    organisations: pd.DataFrame  # organisation_table
    region_shapes: GeoJson
    country_shapes: GeoJson
    points: list[Record]
    arcs: list[Record]
    arcs_total: int
    palette: dict[str, list[int]]  # colours of the countries in view
    country_names: dict[str, str]  # the dataset's countries named in the language spoken (i18n.country_name)
    top: int  # the highest involvement shaded
    top_degree: int  # partners of the most connected organisation: the largest point
    top_weight: int  # the heaviest region link: the thickest arc
    view_state: dict[str, float]
    far: int  # placed organisations outside Europe, left out of the first view when others are in it
    measure: str = ITEMS.name  # what the places are shaded by (analysis.funding.MEASURES)
    unshaded: int = 0  # places in view the measure has no value for (no amount, no population): left pale grey

    @property
    def placement(self) -> dict[str, int]:
        return placement(self.organisations)


def _top(tables: list[pd.DataFrame], column: str) -> float:
    """The highest value of a column over some tables (0 when none has one)."""
    values = [float(t[column].max()) for t in tables if len(t) and t[column].notna().any()]
    return max(values, default=0.0)


def shaded_by(data: MapData, measure: str) -> MapData:
    """The same map with its places shaded by another measure (the points and arcs stay as they are)."""
    column = MEASURES[measure].column
    top = _top([data.regions, data.countries], column)
    names = data.country_names
    unshaded = sum(int(t[column].isna().sum()) for t in (data.regions, data.countries) if len(t))
    return replace(
        data,
        region_shapes=region_features(data.regions, names, top, column),
        country_shapes=country_features(data.countries, names, top, column),
        top=top if MEASURES[measure].money else int(top),
        measure=measure,
        unshaded=unshaded,
    )


def map_data(
    dataset: Dataset,
    tables: PlaceTables,
    regions: Network,
    points_limit: int = POINTS_LIMIT,
    arcs_limit: int = ARCS_LIMIT,
) -> MapData:
    """Shape one view's place counts for the map: layer records, colours and the first view, its words in the language
    spoken."""
    names = dataset.country_names()
    all_countries = by_prominence(dataset.organisations["country"].dropna().astype(str))
    palette = country_colours(all_countries)
    orgs = tables.organisations
    top = int(_top([tables.regions, tables.countries], "items"))
    arcs, arcs_total = arc_records(regions, arcs_limit)
    in_view = sorted(orgs["country"].astype(str).unique())
    return MapData(
        regions=tables.regions,
        countries=tables.countries,
        links=tables.links,
        organisations=orgs,
        region_shapes=region_features(tables.regions, names, top),
        country_shapes=country_features(tables.countries, names, top),
        points=point_records(orgs, palette, names, points_limit),
        arcs=arcs,
        arcs_total=arcs_total,
        palette={c: palette.get(c, rgb(OTHER)) for c in in_view},
        country_names=names,
        top=top,
        top_degree=int(orgs["degree"].max()) if len(orgs) else 0,
        top_weight=int(regions.links["weight"].max()) if len(regions.links) else 0,
        view_state=initial_view(orgs["lat"], orgs["lon"]),
        far=far_away(orgs),
    )


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck indents by two spaces, which makes geometry five times larger."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def sea() -> list[Record]:
    """One rectangle under everything, so land stands out without a tile server."""
    return [{"polygon": [[-180, -85], [180, -85], [180, 85], [-180, 85]]}]


def deck(data: MapData) -> CompactDeck:
    """The pydeck map: sea, grey outlines, shaded regions and countries, arcs, organisations. No basemap, and a
    text-only tooltip (deck.gl sets it as text, never as HTML)."""
    layers = [
        pdk.Layer("SolidPolygonLayer", sea(), id="sea", get_polygon="polygon", get_fill_color=SEA, pickable=False),
        pdk.Layer(
            "GeoJsonLayer",
            base_outlines(),
            id="outlines",
            get_fill_color=LAND,
            get_line_color=BORDER,
            line_width_units=PIXELS,
            get_line_width=0.6,
            pickable=False,
        ),
    ]
    for layer_id, shapes in (("regions", data.region_shapes), ("countries", data.country_shapes)):
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                shapes,
                id=layer_id,
                get_fill_color="properties.fill",
                get_line_color=[255, 255, 255],
                line_width_units=PIXELS,
                get_line_width=0.8,
                pickable=True,
                auto_highlight=True,
            )
        )
    layers.append(
        pdk.Layer(
            "ArcLayer",
            data.arcs,
            id="arcs",
            get_source_position="source",
            get_target_position="target",
            get_source_color=ARC_COLOUR,
            get_target_color=ARC_COLOUR,
            get_width="width",
            get_height=0.4,  # flatter than deck.gl's default, so arcs stay near the regions they join
            width_units=PIXELS,
            pickable=True,
        )
    )
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            data.points,
            id="organisations",
            get_position="position",
            get_radius="radius",
            radius_units=PIXELS,
            get_fill_color="colour",
            get_line_color=[255, 255, 255],
            stroked=True,
            line_width_min_pixels=1,
            pickable=True,
            auto_highlight=True,
        )
    )
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**data.view_state),
        # No basemap, no tile server. Leave map_style unset: pydeck then writes its "__MAP_STYLE__" placeholder,
        # which Streamlit reads as "no basemap", whereas map_style=None makes Streamlit fetch CARTO's style.
        map_provider=None,
        tooltip={"text": "{tooltip}"},
    )


def selected_place(selection: Any) -> str | None:
    """The place a map click chose: a shaded region or country, or the region of a clicked organisation."""
    objects = (selection or {}).get("objects", {}) or {}
    for layer in ("regions", "countries"):
        for obj in objects.get(layer, []):
            # GeoJsonLayer picks whole features; their counts sit in `properties`.
            code = (obj.get("properties") or obj).get("code")
            if isinstance(code, str):
                return code
    for obj in objects.get("organisations", []):
        if isinstance(obj.get("region"), str) and obj["region"]:
            return obj["region"]
    return None


def hex_colour(colour: list[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour[:3])


def colour_legend(data: MapData) -> pd.DataFrame:
    """colour (hex), country name and organisations in view, one row per country on the map, most present first."""
    counts = data.organisations["country"].value_counts()
    rows = [
        {
            "colour": hex_colour(colour),
            "country": data.country_names.get(code, code),
            "organisations": int(counts[code]),
        }
        for code, colour in data.palette.items()
    ]
    table = pd.DataFrame(rows, columns=["colour", "country", "organisations"])
    return table.sort_values(["organisations", "country"], ascending=[False, True], ignore_index=True)


def shade_value(value: float, measure: str) -> str:
    """A shading step in words: a count, or euros (two decimals per inhabitant)."""
    if not MEASURES[measure].money:
        return i18n.integer(int(value))
    return i18n.euros(value, 2 if measure == PER_INHABITANT.name else 0)


def shade_legend(top: float, measure: str = ITEMS.name) -> pd.DataFrame:
    """colour (hex) and the value of the measure it stands for (its column), a few steps up to the top."""
    column = MEASURES[measure].column
    steps = shade_steps(top, whole=not MEASURES[measure].money)
    return pd.DataFrame([{"colour": hex_colour(shade(n, top)), column: n} for n in steps], columns=["colour", column])
