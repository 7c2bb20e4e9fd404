"""The Map page's picture as a plotly figure: the same shaded regions, points and arcs as the pydeck map, drawn on
plain longitude/latitude axes, so kaleido can export it as PNG or SVG with no tile server and no topojson."""

from __future__ import annotations

import html
import math
from collections.abc import Iterator
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analysis.funding import MEASURES
from analysis.geography import EUROPE
from analysis.i18n import _
from analysis.places import in_europe
from charts.map import (
    ARC_COLOUR,
    BORDER,
    LAND,
    SEA,
    GeoJson,
    MapData,
    base_outlines,
    hex_colour,
    shade_legend,
    shade_value,
)
from charts.palette import OTHER

ARC_STEPS = 16  # points along each drawn arc
MARGIN = 2.0  # degrees around what is drawn
# The unnamed traces under the points (never in the legend, never hovered) say what they draw in `meta["layer"]`.
LAYER = "layer"


def rings(geometry: GeoJson) -> Iterator[list[list[float]]]:
    """The outer ring of every polygon of a GeoJSON Polygon or MultiPolygon (holes are too small to matter here)."""
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"][0]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield polygon[0]


def outline_path(features: list[GeoJson]) -> tuple[list[float | None], list[float | None]]:
    """All outer rings of the features as one None-separated path; plotly fills each piece on its own."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for feature in features:
        for ring in rings(feature["geometry"]):
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return xs, ys


def css_colour(colour: list[int]) -> str:
    alpha = colour[3] / 255 if len(colour) > 3 else 1
    return f"rgba({colour[0]},{colour[1]},{colour[2]},{alpha:.2f})"


def arc_path(source: list[float], target: list[float]) -> tuple[list[float], list[float]]:
    """A gentle curve from source to target (a quadratic Bézier bowed to one side), like deck.gl's flat arcs."""
    (x0, y0), (x1, y1) = source, target
    mx, my = (x0 + x1) / 2 - (y1 - y0) * 0.15, (y0 + y1) / 2 + (x1 - x0) * 0.15
    ts = [i / ARC_STEPS for i in range(ARC_STEPS + 1)]
    xs = [(1 - t) ** 2 * x0 + 2 * (1 - t) * t * mx + t**2 * x1 for t in ts]
    ys = [(1 - t) ** 2 * y0 + 2 * (1 - t) * t * my + t**2 * y1 for t in ts]
    return xs, ys


def land_trace() -> go.Scatter:
    """Grey land under everything, from the shipped outlines (no tiles, no topojson: it draws offline)."""
    land_x, land_y = outline_path(base_outlines()["features"])
    return go.Scatter(
        x=land_x,
        y=land_y,
        mode="lines",
        fill="toself",
        fillcolor=css_colour(LAND),
        line={"color": css_colour(BORDER), "width": 0.5},
        hoverinfo="skip",
        showlegend=False,
        meta={LAYER: "land"},
    )


def map_axes(fig: go.Figure, west: float, east: float, south: float, north: float) -> None:
    """Longitude and latitude axes without ticks, a degree of latitude 1/cos(middle latitude) longer than one of
    longitude (equirectangular, true at the middle), over the sea's colour."""
    mid = math.radians((south + north) / 2)
    fig.update_layout(
        plot_bgcolor=css_colour(SEA),
        xaxis={"range": [west, east], "visible": False},
        yaxis={"range": [south, north], "visible": False, "scaleanchor": "x", "scaleratio": 1 / math.cos(mid)},
    )


def bounds(data: MapData) -> tuple[float, float, float, float]:
    """west, east, south, north around the drawn points and shaded places; Europe first, as the page's map does."""
    lons = [p["position"][0] for p in data.points]
    lats = [p["position"][1] for p in data.points]
    for collection in (data.region_shapes, data.country_shapes):
        for feature in collection["features"]:
            for ring in rings(feature["geometry"]):
                lons += [p[0] for p in ring]
                lats += [p[1] for p in ring]
    if not lons:
        west, south, east, north = EUROPE
        return west, east, south, north
    lon_s, lat_s = pd.Series(lons, dtype=float), pd.Series(lats, dtype=float)
    inside = in_europe(lat_s, lon_s)
    if inside.any():
        lon_s, lat_s = lon_s[inside], lat_s[inside]
    return lon_s.min() - MARGIN, lon_s.max() + MARGIN, lat_s.min() - MARGIN, lat_s.max() + MARGIN


def add_places(fig: go.Figure, by_fill: dict[tuple[int, ...], list[GeoJson]]) -> None:
    """Shaded places, one filled trace per colour (a few traces, not one per region)."""
    for fill, features in sorted(by_fill.items()):
        xs, ys = outline_path(features)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=css_colour(list(fill)),
                line={"color": "white", "width": 0.6},
                hoverinfo="skip",
                showlegend=False,
                meta={LAYER: "places", "places": len(features)},
            )
        )


def star(at: tuple[float, float], name: str, hover: str, colour: str, size: int) -> go.Scatter:
    """The page's own organisation or place at `at` (lat, lon), a star named in the legend; texts already escaped."""
    return go.Scatter(
        x=[at[1]],
        y=[at[0]],
        mode="markers",
        marker={"symbol": "star", "size": size, "color": colour, "line": {"color": "white", "width": 1}},
        name=name,
        hovertext=[hover],
        hoverinfo="text",
    )


def map_figure(data: MapData) -> go.Figure:
    """Sea, grey land, shaded regions and countries, arcs, then organisations coloured by country (legend)."""
    fig = go.Figure()
    west, east, south, north = bounds(data)
    fig.add_trace(land_trace())
    shaded = data.region_shapes["features"] + data.country_shapes["features"]
    by_fill: dict[tuple[int, ...], list[GeoJson]] = {}
    for feature in shaded:
        by_fill.setdefault(tuple(feature["properties"]["fill"]), []).append(feature)
    add_places(fig, by_fill)
    for arc in data.arcs:
        xs, ys = arc_path(arc["source"], arc["target"])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": css_colour(ARC_COLOUR), "width": arc["width"]},
                hoverinfo="skip",
                showlegend=False,
                meta={LAYER: "arc"},
            )
        )
    _points(fig, data)
    _shade_note(fig, data)
    map_axes(fig, west, east, south, north)
    fig.update_layout(
        width=1800,
        height=1000,
        paper_bgcolor="white",
        margin={"l": 20, "r": 20, "t": 20, "b": 20},
        legend={"title": {"text": _("Organisations by country")}, "itemsizing": "constant"},
    )
    return fig


def _points(fig: go.Figure, data: MapData) -> None:
    by_country: dict[str, list[dict[str, Any]]] = {}
    for point in data.points:
        by_country.setdefault(point["country"], []).append(point)
    for country in sorted(by_country, key=lambda c: (-len(by_country[c]), c)):
        points = by_country[country]
        colour = hex_colour(points[0]["colour"]) if points else OTHER
        fig.add_trace(
            go.Scatter(
                x=[p["position"][0] for p in points],
                y=[p["position"][1] for p in points],
                mode="markers",
                marker={
                    "size": [2 * p["radius"] for p in points],
                    "color": colour,
                    "line": {"color": "white", "width": 1},
                },
                name=html.escape(data.country_names.get(country, country) or _("other")),
                hovertext=[html.escape(p["tooltip"]).replace("\n", "<br>") for p in points],
                hoverinfo="text",
            )
        )


def _shade_note(fig: go.Figure, data: MapData) -> None:
    """The shading's key, written in the corner: the colour steps and the counts they stand for."""
    steps = shade_legend(data.top, data.measure)
    if steps.empty:
        return
    measure = MEASURES[data.measure]
    text = _("Regions shaded by {measure}: {steps}").format(
        measure=measure.words,
        steps="  ".join(
            f"<span style='color:{colour}'>■</span> {shade_value(value, measure.name)}"
            for colour, value in zip(steps["colour"], steps[measure.column], strict=True)
        ),
    )
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0.01,
        y=0.01,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        bgcolor="rgba(255,255,255,0.85)",
        font={"size": 14},
    )
