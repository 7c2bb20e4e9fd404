"""Every chart of the dashboard defined once: its figure, exactly the rows it shows and what each column means.
The pages draw these, the download buttons export them, and the report bundle zips them all."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from analysis import exports, mapping
from analysis.exports import Provenance
from analysis.insights import Insights
from analysis.map_figure import map_figure
from analysis.metrics import DEFINITIONS
from analysis.network_chart import affiliation_figure, figure
from analysis.palette import OTHER, colours
from analysis.provenance import source_counts
from analysis.timeline import (
    ORDERS,
    items_table,
    ordered,
    span,
    timeline_figure,
    timeline_rows,
    yearly_figure,
    yearly_table,
)

NETWORKS = {"org": "organisation network", "country": "country network", "affiliation": "affiliation network"}
NETWORK_LIMIT = 200
TIMELINE_LIMIT = 200


@dataclass(frozen=True)
class Chart:
    """A chart as the analyst sees it and downloads it."""

    name: str  # file-name stem: `network-org`, `timeline`
    title: str
    figure: go.Figure = field(repr=False)
    table: pd.DataFrame = field(repr=False)  # exactly the rows the chart shows
    definitions: dict[str, str] = field(default_factory=dict)


def provenance(insights: Insights, title: str, definitions: dict[str, str] | None = None) -> Provenance:
    """Title, filters, dataset and the sources of the facts in view: what every export carries."""
    sources = insights.memo("sources in view", lambda: source_counts(insights.dataset, insights.view))
    return Provenance(title, insights.filters, insights.dataset.name, sources, definitions or {})


def country_table(insights: Insights) -> pd.DataFrame:
    """Per country in view: its organisations and the distinct agreements and actions they take part in."""
    orgs = insights.view.organisations[["org_id", "country"]]
    members = insights.view.members.merge(orgs, on="org_id")
    items = members.drop_duplicates(["country", "item"])
    kind = items["item"].str.split(":").str[0]
    table = pd.DataFrame(
        {
            "organisations": orgs.groupby("country")["org_id"].nunique(),
            "agreements": items[kind == "agreement"].groupby("country")["item"].nunique(),
            "actions": items[kind == "action"].groupby("country")["item"].nunique(),
        }
    )
    table = table.fillna(0).astype("int64").rename_axis("country").reset_index()
    names = insights.dataset.countries.set_index("country")["name"].astype(str)
    table.insert(1, "name", table["country"].map(names).fillna(table["country"]))
    return table.sort_values(["organisations", "name"], ascending=[False, True], ignore_index=True)


COUNTRY_COLUMNS = {
    "country": "ISO 3166-1 alpha-2 code",
    "name": "country name as the dataset gives it",
    "organisations": "organisations of the country in view (in at least one agreement or action kept by the filters)",
    "agreements": "distinct agreements in view with at least one party from the country",
    "actions": "distinct actions in view with at least one participant from the country",
}


def countries_chart(insights: Insights) -> Chart:
    """Overview: organisations in view per country, coloured as on every page (made once per view)."""
    return insights.memo("countries chart", lambda: _countries_chart(insights))


def _countries_chart(insights: Insights) -> Chart:
    table = country_table(insights)
    palette = colours(insights.dataset.organisations["country"].dropna().astype(str))
    names = [html.escape(str(n)) for n in table["name"]]  # plotly reads HTML in labels: dataset text stays text
    fig = go.Figure(
        go.Bar(
            x=table["organisations"],
            y=table["country"],  # codes are unique where names might not be
            orientation="h",
            marker={"color": [palette.get(c, OTHER) for c in table["country"]]},
            customdata=list(zip(names, table["agreements"], table["actions"], strict=True)),
            hovertemplate="%{customdata[0]}: %{x} organisations, in %{customdata[1]} agreements and "
            "%{customdata[2]} actions<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(260, 26 * len(table) + 80),
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        yaxis={
            "autorange": "reversed",
            "title": None,
            "tickmode": "array",
            "tickvals": list(table["country"]),
            "ticktext": names,
        },
        xaxis={"title": "Organisations in view"},
        plot_bgcolor="white",
    )
    return Chart("countries", "Organisations in view by country", fig, table, COUNTRY_COLUMNS)


def network_chart(
    insights: Insights,
    level: str = "org",
    size_by: str = "degree",
    colour_by: str = "country",
    limit: int = NETWORK_LIMIT,
) -> Chart:
    """The network at a level as drawn (the `limit` most connected nodes) and the metrics of those nodes."""
    names = insights.dataset.countries.set_index("country")["name"].astype(str).to_dict()
    all_countries = sorted(insights.dataset.organisations["country"].dropna().astype(str).unique())
    if level == "affiliation":
        return insights.memo(
            ("affiliation chart", limit), lambda: _affiliation_chart(insights, limit, names, all_countries)
        )
    part, where = insights.drawn(level, limit)  # type: ignore[arg-type]
    fig = figure(insights.network(level), part, where, size_by, colour_by, names, all_countries)  # type: ignore[arg-type]
    network = NETWORKS[level]
    definitions = {
        name: f"{text} (in the {network}; links weighted by shared agreements and actions)"
        for name, text in DEFINITIONS.items()
    }
    title = "Organisation network" if level == "org" else "Country network"
    return Chart(f"network-{level}", f"{title}, sized by {size_by.replace('_', ' ')}", fig, part.nodes, definitions)


def _affiliation_chart(insights: Insights, limit: int, names: dict[str, str], all_countries: list[str]) -> Chart:
    """The two-mode network of the `limit` organisations in most items, and one row per drawn membership."""
    fig = affiliation_figure(insights.view, limit, names, all_countries)
    members = insights.view.members
    counts = members.groupby("org_id")["item"].nunique().sort_values(ascending=False).head(limit)
    kept = members[members["org_id"].isin(counts.index)]
    titles = insights.view.items.set_index("item")["title"]
    orgs = insights.view.organisations.set_index("org_id")
    table = pd.DataFrame(
        {
            "org_id": kept["org_id"].to_numpy(),
            "organisation": kept["org_id"].map(orgs["name"]).to_numpy(),
            "country": kept["org_id"].map(orgs["country"]).to_numpy(),
            "item": kept["item"].to_numpy(),
            "title": kept["item"].map(titles).to_numpy(),
            "role": kept["role"].to_numpy(),
        }
    ).sort_values(["organisation", "item"], ignore_index=True)
    definitions = {
        "org_id": "organisation id",
        "item": "agreement:ID or action:ID the organisation takes part in (one row per link of the two-mode "
        f"affiliation network; the {limit} organisations in most items are drawn)",
        "role": "its role in that agreement or action",
    }
    title = "Affiliation network: organisations and their agreements and actions"
    return Chart("network-affiliation", title, fig, table, definitions)


TIMELINE_COLUMNS = {
    "start": "start (signing for an agreement) as the data writes it",
    "end": "end as the data writes it; empty when not given",
    "precision": "how precisely the dates are known (day, month or year)",
    "organisations": "organisations in view taking part",
    "drawn_from": "first day drawn: a date known to the month or year is drawn over the whole period",
    "drawn_to": "last day drawn; an open-ended agreement stops at the chart's end",
}


def timeline_items(insights: Insights) -> pd.DataFrame:
    """Every agreement and action in view as a timeline row, made once per view."""
    return insights.memo("timeline rows", lambda: timeline_rows(insights.view))


def timeline_chart(insights: Insights, order: str = next(iter(ORDERS)), limit: int = TIMELINE_LIMIT) -> Chart:
    """Agreements and actions in time, the first `limit` in the chosen order, and the same rows as a table."""
    rows = timeline_items(insights)
    drawn = ordered(rows, order).head(limit)
    fig = timeline_figure(drawn, span(insights.view), insights.filters.window)
    return Chart("timeline", "Agreements and joint actions in time", fig, items_table(drawn), TIMELINE_COLUMNS)


YEARLY_COLUMNS = {
    "Active": "agreements and actions whose interval overlaps the year (an open-ended agreement stays active)",
    "New links": "pairs of organisations first tied that year (organisation network)",
    "New partner countries": "countries whose first agreement or action in view starts that year",
}


def yearly_chart(insights: Insights) -> Chart:
    yearly = insights.yearly
    return Chart("yearly", "Year by year", yearly_figure(yearly), yearly_table(yearly), YEARLY_COLUMNS)


PLACE_COLUMNS = {
    "place": "NUTS-2 code, or ISO code of a country outside NUTS shaded as a whole",
    "items": "distinct agreements and actions in view involving the place's organisations (the shading)",
    "organisations": "organisations of the place in view",
    "inside": "agreements and actions with two or more of the region's organisations",
}


def map_data(insights: Insights) -> mapping.MapData:
    """The map's layers and tables, made once per dataset and filters."""
    return insights.memo(
        "map",
        lambda: mapping.map_data(
            insights.view, insights.network("org"), insights.network("region"), insights.positions
        ),
    )


def place_table(data: mapping.MapData) -> pd.DataFrame:
    """The shaded places: regions, then countries outside NUTS coverage shaded as a whole."""
    regions = data.regions.rename(columns={"region": "place"}).assign(level="NUTS-2 region")
    countries = data.countries.assign(
        place=data.countries["country"],
        name=data.countries["country"].map(data.country_names),
        level="country (outside NUTS)",
    )
    columns = ["place", "level", "name", "country", "agreements", "actions", "items", "organisations", "inside"]
    return pd.concat([regions, countries], ignore_index=True).reindex(columns=columns)


def map_chart(insights: Insights) -> Chart:
    """The map as a plotly figure (made once per view: the page draws pydeck, this is for the files)."""
    return insights.memo("map chart", lambda: _map_chart(insights))


def _map_chart(insights: Insights) -> Chart:
    data = map_data(insights)
    return Chart(
        "map",
        "Partner regions, organisations and links between regions",
        map_figure(data),
        place_table(data),
        PLACE_COLUMNS,
    )


def chart_images(chart: Chart, insights: Insights) -> dict[str, bytes]:
    """PNG and SVG of one chart, stamped; ImageEngineUnavailable if they cannot be made."""
    stamped = exports.stamped(chart.figure, provenance(insights, chart.title, chart.definitions))
    return {
        exports.file_name(chart.name, insights.filters, fmt): exports.image_bytes(stamped, fmt)
        for fmt in ("png", "svg")
    }


def report_charts(insights: Insights) -> list[Chart]:
    """The charts of the current view with the pages' default settings."""
    if insights.view.items.empty:
        return []
    return [
        countries_chart(insights),
        map_chart(insights),
        network_chart(insights, "org"),
        network_chart(insights, "country"),
        timeline_chart(insights),
        yearly_chart(insights),
    ]


def report_bundle(insights: Insights) -> bytes:
    """One .zip: every chart (PNG, SVG) and table (CSV) of the view, the sources, and README.txt.

    Without an image engine the bundle still holds the tables, and README.txt says why the images are missing.
    """
    files: dict[str, bytes] = {}
    note = exports.image_engine_problem()
    for chart in report_charts(insights):
        if note is None:
            try:
                files |= chart_images(chart, insights)
            except exports.ImageEngineUnavailable as exc:
                note = str(exc)  # the tables still go in; README.txt says why the images do not
        files[exports.file_name(chart.name, insights.filters, "csv")] = exports.csv_bytes(chart.table)
    prov = provenance(insights, "ClusterNet report")
    files[exports.file_name("sources", insights.filters, "csv")] = exports.csv_bytes(prov.sources)
    return exports.bundle(files, prov, note and f"No images in this bundle. {note}")
