"""The page of one place drawn: a map of the place and its partner places with arcs weighted by shared agreements
and actions, its agreements and actions by start year, its organisations by kind; with their files and a bundle."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analysis.cache import FileCache, Memo, memoised
from analysis.geography import country_centroids, region_centroids
from analysis.i18n import N_, _
from analysis.places import in_europe
from analysis.provenance import Provenance
from analysis.region import (
    BROKER_COLUMNS,
    HALF_COLUMNS,
    ORGANISATION_COLUMNS,
    PARTNER_COLUMNS,
    YEAR_COLUMNS,
    Place,
    PlaceReport,
)
from analysis.words import kind_label, plural
from charts import files
from charts.map import ARC_COLOUR, ARCS_LIMIT, arc_width, country_geometries, region_geometries, shade
from charts.map_figure import LAYER, MARGIN, add_places, arc_path, css_colour, land_trace, map_axes, star
from charts.numbers import ranked_bars, spoken_numbers
from charts.palette import SAFE
from charts.report import Chart, Charts, Exports

PLACE_FILL = [165, 28, 48, 230]  # the page's accent: the place itself
PLACE_COLOUR = "#a51c30"
PARTNER_COLOUR = "#08306b"
KIND_COLUMNS = {
    "kind": N_("kind of organisation (the contract's code)"),
    "organisations": N_("the place's organisations in view of that kind"),
}
YEAR_NAMES = {"agreements": N_("Agreements"), "actions": N_("Actions")}


def centroids(place: Place) -> dict[str, tuple[float, float]]:
    """(lat, lon) of every region, or every country, as the maps place them."""
    return region_centroids() if place.level == "region" else country_centroids()


def _shapes(place: Place) -> dict[str, dict]:
    return region_geometries() if place.level == "region" else country_geometries()


def _bounds(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """west, east, south, north around the drawn places, Europe's first (a far partner would shrink it to a speck)."""
    lats = pd.Series([p[0] for p in points], dtype=float)
    lons = pd.Series([p[1] for p in points], dtype=float)
    inside = in_europe(lats, lons)
    if inside.any():
        lats, lons = lats[inside], lons[inside]
    margin = MARGIN + 2
    return lons.min() - margin, lons.max() + margin, lats.min() - margin, lats.max() + margin


def map_figure(place: Place, partners: pd.DataFrame) -> tuple[go.Figure, pd.DataFrame]:
    """The place in the accent colour, its partner places shaded by shared items, an arc to each (wider for more),
    and a point on each with its name and weight; with the rows of the partners drawn (at most ARCS_LIMIT, the
    strongest). Names escaped: dataset text reaches plotly's HTML."""
    where = centroids(place)
    shapes = _shapes(place)
    drawn = partners[partners["partner"].isin(list(where))].head(ARCS_LIMIT).reset_index(drop=True)
    top = int(drawn["weight"].max()) if len(drawn) else 0
    fig = go.Figure()
    fig.add_trace(land_trace())
    shaded = [(code, shade(float(w), top)) for code, w in zip(drawn["partner"], drawn["weight"], strict=True)]
    by_fill: dict[tuple[int, ...], list[dict]] = {}
    for code, fill in shaded:
        if code in shapes:
            by_fill.setdefault(tuple(fill), []).append({"geometry": shapes[code]})
    if place.code in shapes:
        by_fill.setdefault(tuple(PLACE_FILL), []).append({"geometry": shapes[place.code]})
    add_places(fig, by_fill)
    home = where.get(place.code)
    if home is not None:
        for code, weight in zip(drawn["partner"], drawn["weight"], strict=True):
            lat, lon = where[code]
            xs, ys = arc_path([home[1], home[0]], [lon, lat])
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": css_colour(ARC_COLOUR), "width": arc_width(int(weight), top)},
                    hoverinfo="skip",
                    showlegend=False,
                    meta={LAYER: "arc"},
                )
            )
    fig.add_trace(
        go.Scatter(
            x=[where[c][1] for c in drawn["partner"]],
            y=[where[c][0] for c in drawn["partner"]],
            mode="markers",
            marker={"size": 8, "color": PARTNER_COLOUR, "line": {"color": "white", "width": 1}},
            name=_("Partner places"),
            hovertext=[
                f"<b>{html.escape(str(name))}</b> ({html.escape(str(code))})<br>"
                + plural(int(w), "{count} shared agreement or action", "{count} shared agreements and actions")
                for name, code, w in zip(drawn["name"], drawn["partner"], drawn["weight"], strict=True)
            ],
            hoverinfo="text",
        )
    )
    if home is not None:
        said = html.escape(place.said())
        fig.add_trace(star(home, said, f"<b>{said}</b>", PLACE_COLOUR, 14))
    points = [where[c] for c in drawn["partner"]] + ([home] if home is not None else [])
    if points:
        map_axes(fig, *_bounds(points))
    else:  # a place without a boundary and no partner drawn: the outline of Europe
        map_axes(fig, -25.0, 45.0, 27.0, 72.0)
    fig.update_layout(
        height=620,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        paper_bgcolor="white",
        dragmode="pan",
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
    )
    return fig, drawn


def years_figure(table: pd.DataFrame) -> go.Figure:
    """Stacked bars: the place's agreements and actions by the year they start (are signed)."""
    fig = go.Figure()
    for column, colour in (("agreements", SAFE[0]), ("actions", SAFE[1])):
        fig.add_trace(
            go.Bar(
                x=table["year"],
                y=table[column],
                name=_(YEAR_NAMES[column]),
                marker_color=colour,
                hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=360,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        xaxis={"title": _("Year they start (agreements: signed)"), "dtick": 1},
        yaxis={"title": _("Agreements and actions")},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "traceorder": "normal"},
    )
    return spoken_numbers(fig)


def kinds_figure(table: pd.DataFrame) -> go.Figure:
    """Horizontal bars: the place's organisations in view by kind, the most common on top."""
    labels = [html.escape(kind_label(k)) for k in table["kind"]]
    fig = go.Figure(
        go.Bar(
            x=table["organisations"],
            y=list(range(len(table))),
            orientation="h",
            marker={"color": SAFE[2]},
            hovertext=[
                f"{label}: " + plural(int(n), "{count} organisation", "{count} organisations")
                for label, n in zip(labels, table["organisations"], strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    return ranked_bars(fig, labels, _("Organisations in view"), 30, 220)


@dataclass(frozen=True)
class Table:
    """A table of the page as its files carry it: title, rows and what each column means (catalogue messages)."""

    title: str
    rows: pd.DataFrame
    definitions: dict[str, str]


class RegionCharts(Exports):
    """One place in one view (a Charts): its numbers (analysis.region.PlaceReport), its charts and their files."""

    def __init__(self, charts: Charts, place: Place, files: FileCache) -> None:
        self.charts = charts
        self.insights = charts.insights
        self.place = place
        self.report = PlaceReport(self.insights, place)
        self.files = files
        self.memo = Memo()

    def weight(self) -> int:
        """Bytes its tables and figures hold (the view is counted where it is kept)."""
        return self.memo.bytes + self.report.weight()

    @property
    def stem(self) -> str:
        """`region-ITF4`, `country-IT`: what every file of the page starts with."""
        return f"{self.place.level}-{self.place.code}"

    @memoised
    def map(self) -> Chart:
        fig, drawn = map_figure(self.place, self.report.partners())
        title = _("{place} and its partner places, by shared agreements and actions").format(place=self.place.said())
        return Chart(f"{self.stem}-partners", title, fig, drawn, PARTNER_COLUMNS)

    @memoised
    def years(self) -> Chart:
        table = self.report.years()
        title = _("Agreements and actions of {place} by start year").format(place=self.place.said())
        return Chart(f"{self.stem}-years", title, years_figure(table), table, YEAR_COLUMNS)

    @memoised
    def kinds(self) -> Chart:
        table = self.report.kinds()
        title = _("Organisations of {place} in view by kind").format(place=self.place.said())
        return Chart(f"{self.stem}-kinds", title, kinds_figure(table), table, KIND_COLUMNS)

    def money(self) -> Chart | None:
        """The place's EU contribution by partner (the Money page's chart), when there is money to split."""
        money = self.report.money()
        if money is None or money.participations == 0 or money.without_amount == money.participations:
            return None
        return self.charts.partnerships(self.place.level, self.place.code)

    def report_charts(self) -> list[Chart]:
        if self.report.summary().organisations == 0:
            return []
        money = self.money()
        return [self.map(), self.years(), self.kinds(), *([money] if money is not None else [])]

    def tables(self) -> dict[str, Table]:
        """The page's tables beside its charts, by file stem: the organisations, the brokers (betweenness as far as it
        is ready) and the two halves."""
        place = self.place.said()
        return {
            f"{self.stem}-organisations": Table(
                _("Organisations of {place} in view").format(place=place),
                self.report.organisations(),
                ORGANISATION_COLUMNS,
            ),
            f"{self.stem}-brokers": Table(
                _("Brokers of {place}").format(place=place), self.report.brokers()[0], BROKER_COLUMNS
            ),
            f"{self.stem}-halves": Table(
                _("{place} in the two halves of the period").format(place=place),
                self.report.halves_table(),
                HALF_COLUMNS,
            ),
        }

    def xlsx_table(self, stem: str) -> bytes:
        """One of the page's tables as XLSX, with its definitions and sources in the About sheet."""
        table = self.tables()[stem]
        return files.xlsx_bytes(table.rows, self.insights.provenance(table.title, table.definitions))

    # Files

    def provenance(self, chart: Chart) -> Provenance:
        return self.insights.provenance(chart.title, chart.definitions)

    def file_name(self, what: str, extension: str) -> str:
        return files.file_name(what, self.insights.filters, extension)

    def _key(self, *parts: object) -> tuple:
        fingerprint = self.insights.dataset.fingerprint
        return (fingerprint, self.insights.filters, "place", self.place.level, self.place.code, *parts, date.today())

    def bundle(self) -> bytes:
        """The place's charts (PNG, SVG, CSV), its tables (CSV), the sources and README.txt."""
        ready = self.insights.metrics_ready("org")
        title = _("ClusterNet report on {place}").format(place=self.place.said())
        definitions = ORGANISATION_COLUMNS | PARTNER_COLUMNS | BROKER_COLUMNS
        return self.files.get(
            self._key("bundle", ready),
            lambda: self.zipped(
                self.report_charts(),
                {stem: table.rows for stem, table in self.tables().items()},
                self.insights.provenance(title, definitions),
            ),
        )
