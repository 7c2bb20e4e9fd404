"""The page of one organisation, drawn: its agreements and actions in time, its partners by shared items, where its
partners are (a plotly map on the shipped outlines: it exports offline), its EU contribution by year; with the files
of each and a report bundle."""

from __future__ import annotations

import html
import math
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import i18n
from analysis.cache import FileCache, Memo, memoised
from analysis.geography import country_centroids, region_centroids
from analysis.i18n import N_, _
from analysis.items import ROLE_WORDS
from analysis.organisation import RANKED, Money, Organisation, Rank, money, organisation, ranks, reading
from analysis.places import in_europe, positions
from analysis.provenance import SOURCE_COLUMNS, Provenance, safe_url
from analysis.suggest import Suggestion, suggestions_table
from analysis.timeline import items_table
from analysis.words import plural
from charts import files
from charts.funding import years_figure
from charts.map_figure import MARGIN, land_trace, map_axes, star
from charts.numbers import ranked_bars
from charts.palette import OTHER, colours
from charts.report import TIMELINE_COLUMNS, Chart, Charts, Exports
from charts.timeline import timeline_figure

PARTNERS_DRAWN = 25  # partners drawn as bars; the full list is a download of its own
TIMELINE_DRAWN = 100  # its latest agreements and actions drawn (a programme's hub has 700); the table has them all
SUGGESTED = 5  # best suggested partners shown (the Partners page has more)
ORGANISATION_COLOUR = "#111111"
LABEL_CHARS = 40

# Column definitions: N_() here, said in the language of the files that carry them (Provenance.about_rows).
PARTNER_COLUMNS = {
    "org_id": N_("the partner's organisation id"),
    "name": N_("the partner's name as the dataset gives it"),
    "country": N_("the partner's ISO country code"),
    "nuts2": N_("the partner's NUTS-2 region; empty when the data gives none"),
    "kind": N_("the partner's kind of organisation (the contract's code)"),
    "shared": N_("distinct agreements and actions in view that the partner shares with the organisation"),
    "items": N_("those agreements and actions by key (agreement:<id> or action:<id>), separated by ';'"),
    "titles": N_("their titles, in the same order, separated by '; '"),
}
ITEM_COLUMNS = TIMELINE_COLUMNS | {"role": N_("its role in that agreement or action")}
PLACE_COLUMNS = {
    "place": N_("NUTS-2 code of the partners' region, or ISO code of their country for partners without a region"),
    "level": N_("'NUTS-2 region', or 'country' for partners whose region the data does not give"),
    "name": N_("the region's name as NUTS gives it, or the country's name in the language of the file"),
    "country": N_("ISO 3166-1 alpha-2 code"),
    "partners": N_("partners of the organisation there: organisations sharing an agreement or action in view with it"),
}
RANK_COLUMNS = {
    "metric": N_("the metric (see its definition on the Network page)"),
    "value": N_("the organisation's value on the organisation network in view; empty while being computed"),
    "rank": N_("its rank among the organisations in view, 1 the highest; equal values share the best rank"),
    "ranked": N_("organisations in view, all ranked"),
}
YEAR_COLUMNS = {
    False: N_("the organisation's EU contribution in the actions in view starting that year (sum of contribution_eur)"),
    True: N_(
        "the organisation's EU contribution in the actions in view, each amount spread evenly over the calendar "
        "years its action covers"
    ),
}
PLACE_LEVELS = {"region": "NUTS-2 region", "country": "country"}  # the files' values, the same in every language


def short(text: str) -> str:
    """An axis label: cut at LABEL_CHARS, then escaped (plotly reads HTML in labels)."""
    cut = text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"
    return html.escape(cut)


def partners_figure(table: pd.DataFrame, country_names: dict[str, str], all_countries: list[str]) -> go.Figure:
    """Horizontal bars of the partners sharing most with the organisation, coloured by country as on every page."""
    palette = colours(all_countries)
    fig = go.Figure(
        go.Bar(
            x=table["shared"],
            y=list(range(len(table))),
            orientation="h",
            marker={"color": [palette.get(c, OTHER) for c in table["country"]]},
            hovertext=[
                "<b>{name}</b><br>{country}<br>{shared}".format(
                    name=html.escape(str(name)),
                    country=html.escape(i18n.country_name(str(code), country_names.get(str(code)))),
                    shared=plural(
                        int(n), "{count} shared agreement or action", "{count} shared agreements and actions"
                    ),
                )
                for name, code, n in zip(table["name"], table["country"], table["shared"], strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig = ranked_bars(
        fig, [short(str(name)) for name in table["name"]], _("Agreements and actions shared with the organisation"), 24
    )
    return fig.update_xaxes(rangemode="tozero")


def place_table(org: Organisation, country_names: dict[str, str]) -> pd.DataFrame:
    """The partners by place: their NUTS-2 regions, then the countries of partners without a region; with where each
    is drawn (the region's or the country's centre)."""
    regions = org.regions.assign(place=org.regions["nuts2"], level=PLACE_LEVELS["region"])
    apart = org.partners[org.partners["nuts2"].isna()]
    countries = apart["country"].value_counts().rename("partners").rename_axis("country").reset_index()
    countries = countries.assign(
        place=countries["country"],
        level=PLACE_LEVELS["country"],
        name=[i18n.country_name(str(c), country_names.get(str(c))) for c in countries["country"]],
    )
    table = pd.concat([regions, countries], ignore_index=True)
    table = table.reindex(columns=["place", "level", "name", "country", "partners"])
    where = [
        region_centroids().get(p) if level == PLACE_LEVELS["region"] else country_centroids().get(p)
        for p, level in zip(table["place"], table["level"], strict=True)
    ]
    table["lat"] = [w[0] if w else np.nan for w in where]
    table["lon"] = [w[1] if w else np.nan for w in where]
    apart_last = (table["level"] == PLACE_LEVELS["country"]).astype(int)  # regions before whole countries
    order = np.lexsort((table["place"].astype(str), apart_last, -table["partners"].astype("int64")))
    return table.take(order).astype({"partners": "int64"}).reset_index(drop=True)


def far_places(places: pd.DataFrame) -> int:
    """Drawn places outside Europe when some are inside it: the first view (Europe first, as the Map's) leaves them
    out."""
    drawn = places.dropna(subset=["lat", "lon"])
    inside = in_europe(drawn["lat"].astype(float), drawn["lon"].astype(float))
    return int((~inside).sum()) if inside.any() else 0


def _bounds(lats: list[float], lons: list[float]) -> tuple[float, float, float, float]:
    """west, east, south, north around the drawn points, Europe first (as the Map does); all of Europe if none."""
    lat_s, lon_s = pd.Series(lats, dtype=float), pd.Series(lons, dtype=float)
    inside = in_europe(lat_s, lon_s)
    if inside.any():
        lat_s, lon_s = lat_s[inside], lon_s[inside]
    if lat_s.empty:
        return -25.0, 45.0, 27.0, 72.0
    return lon_s.min() - MARGIN, lon_s.max() + MARGIN, lat_s.min() - MARGIN, lat_s.max() + MARGIN


def map_figure(
    places: pd.DataFrame,
    home: tuple[float, float] | None,
    name: str,
    country_names: dict[str, str],
    all_countries: list[str],
) -> go.Figure:
    """Grey land; a circle per partner region and a diamond per country of partners without a region, its area
    growing with the number of partners, coloured by country; the organisation as a black star at `home` (lat, lon)."""
    fig = go.Figure(land_trace())
    palette = colours(all_countries)
    drawn = places.dropna(subset=["lat", "lon"])
    top = int(drawn["partners"].max()) if len(drawn) else 1
    for level, symbol, legend in (
        (PLACE_LEVELS["region"], "circle", _("Partner regions (NUTS-2), sized by partners")),
        (PLACE_LEVELS["country"], "diamond", _("Partners without a region, at their country's centre")),
    ):
        group = drawn[drawn["level"] == level]
        if group.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=group["lon"],
                y=group["lat"],
                mode="markers",
                marker={
                    "symbol": symbol,
                    "size": [round(8 + 30 * math.sqrt(n / top), 1) for n in group["partners"]],
                    "color": [palette.get(c, OTHER) for c in group["country"]],
                    "opacity": 0.85,
                    "line": {"color": "white", "width": 1},
                },
                name=legend,
                hovertext=[
                    "<b>{place}</b> ({code}, {country})<br>{partners}".format(
                        place=html.escape(str(row.name)),
                        code=html.escape(str(row.place)),
                        country=html.escape(i18n.country_name(str(row.country), country_names.get(str(row.country)))),
                        partners=plural(int(row.partners), "{count} partner", "{count} partners"),
                    )
                    for row in group.itertuples(index=False)
                ],
                hoverinfo="text",
            )
        )
    if home is not None:
        fig.add_trace(star(home, _("The organisation"), f"<b>{html.escape(name)}</b>", ORGANISATION_COLOUR, 18))
    lats = list(drawn["lat"]) + ([home[0]] if home else [])
    lons = list(drawn["lon"]) + ([home[1]] if home else [])
    map_axes(fig, *_bounds(lats, lons))
    fig.update_layout(
        height=560,
        paper_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "itemsizing": "constant"},
        dragmode="pan",
    )
    return fig


def rank_table(found: list[Rank]) -> pd.DataFrame:
    """metric, value, rank, ranked: the organisation's metrics as the files carry them (empty while computed)."""
    return pd.DataFrame(
        {
            "metric": [r.metric for r in found],
            "value": pd.array([r.value for r in found], dtype="Float64"),
            "rank": pd.array([r.rank for r in found], dtype="Int64"),
            "ranked": [r.ranked for r in found],
        }
    )


def roles_said(roles: pd.Series) -> pd.Series:
    """Roles in words (the contract's code for one outside it); empty where none is given."""
    return roles.map(lambda r: _(ROLE_WORDS[r]) if isinstance(r, str) and r in ROLE_WORDS else r)


class OrganisationCharts(Exports):
    """One organisation in one view (a Charts): its numbers, its charts and their files, kept with the view."""

    def __init__(self, charts: Charts, org_id: str, files: FileCache) -> None:
        self.charts = charts
        self.insights = charts.insights
        self.org_id = org_id
        self.files = files
        self.memo = Memo()

    def weight(self) -> int:
        """Bytes this organisation's numbers and charts hold (the view is counted where it is kept)."""
        return self.memo.bytes

    @memoised(words=False)
    def profile(self) -> Organisation:
        return organisation(self.insights, self.org_id)

    @property
    def name(self) -> str:
        found = self.profile().identity
        return found.name if found else self.org_id

    def ranks(self) -> list[Rank]:
        """Degree, betweenness and brokerage with their ranks in view; a costly metric still being computed has none
        (not kept: it fills in when ready)."""
        return ranks(self.insights.metrics_so_far("org")[0], self.org_id, RANKED)

    @memoised(words=False)
    def money(self, spread: bool = False) -> Money | None:
        return money(self.insights, self.org_id, spread)

    @memoised
    def reading(self) -> list[str]:
        """A few plain sentences about it in view (analysis.organisation.reading), in the language spoken."""
        return reading(self.profile(), self.charts._country_names, self.money())

    @memoised
    def suggestions(self, top: int = SUGGESTED) -> list[Suggestion]:
        """Its best suggested partners in view (analysis.suggest); none when it is not in view."""
        if self.profile().status != "in_view":
            return []
        return self.insights.partners("org").suggest(self.org_id, top=top)

    # The tables

    @memoised
    def items_table(self) -> pd.DataFrame:
        """Every agreement and action of it in view, as the Timeline's table says them, with its role."""
        rows = self.profile().items
        return items_table(rows).assign(role=roles_said(rows["role"]).to_numpy())

    def partners_table(self) -> pd.DataFrame:
        """Every partner, most shared items first, with the items behind each tie."""
        return self.profile().partners

    @memoised
    def places(self) -> pd.DataFrame:
        return place_table(self.profile(), self.charts._country_names)

    # The charts

    @memoised
    def timeline(self, limit: int = TIMELINE_DRAWN) -> Chart:
        """Its agreements and actions in time: the latest `limit` by start, drawn in start order (what it does now
        matters more to an analyst than what it began with)."""
        rows = self.profile().items.tail(limit).reset_index(drop=True)
        if len(rows):
            first, last = rows["start"].min(), max(rows["end"].max(), rows["start"].max())
            chart_span = (pd.Timestamp(date(first.year, 1, 1)), pd.Timestamp(date(last.year, 12, 31)))
        else:
            today = date.today()
            chart_span = (pd.Timestamp(date(today.year, 1, 1)), pd.Timestamp(date(today.year, 12, 31)))
        fig = timeline_figure(rows, chart_span, self.insights.filters.window)
        title = _("Agreements and actions of {name} in time").format(name=self.name)
        table = items_table(rows).assign(role=roles_said(rows["role"]).to_numpy())
        return Chart(f"organisation-{self.org_id}-timeline", title, fig, table, ITEM_COLUMNS)

    @memoised
    def partners(self, limit: int = PARTNERS_DRAWN) -> Chart:
        """The `limit` partners sharing most agreements and actions with it (ties by name)."""
        table = self.profile().partners.head(limit)
        fig = partners_figure(table, self.charts._country_names, self.charts._all_countries)
        title = _("Partners of {name} by shared agreements and actions").format(name=self.name)
        return Chart(f"organisation-{self.org_id}-partners", title, fig, table, PARTNER_COLUMNS)

    @memoised
    def map(self) -> Chart:
        """Where its partners are: their regions and, for partners without one, their countries."""
        places = self.places()
        fig = map_figure(places, self._home(), self.name, self.charts._country_names, self.charts._all_countries)
        title = _("Where the partners of {name} are").format(name=self.name)
        table = places.drop(columns=["lat", "lon"])
        return Chart(f"organisation-{self.org_id}-map", title, fig, table, PLACE_COLUMNS)

    def _home(self) -> tuple[float, float] | None:
        """Where the organisation itself is drawn: its coordinates, else its region's or its country's centre."""
        data = self.insights.dataset
        orgs = data.organisations
        placed = positions(orgs[orgs["org_id"] == self.org_id])
        if placed.empty or placed["placed_by"].iloc[0] == "unplaced":
            return None
        return float(placed["lat"].iloc[0]), float(placed["lon"].iloc[0])

    @memoised
    def contribution_years(self, spread: bool = False) -> Chart | None:
        """Its EU contribution per year (None when the dataset carries no amount)."""
        found = self.money(spread)
        if found is None:
            return None
        title = (
            _("EU contribution of {name} per year, spread evenly over each action's years")
            if spread
            else _("EU contribution of {name} per year, by the actions' start year")
        ).format(name=self.name)
        definitions = {"year": N_("calendar year"), "contribution_eur": YEAR_COLUMNS[spread]}
        name = f"organisation-{self.org_id}-contribution-years" + ("-spread" if spread else "")
        return Chart(name, title, years_figure(found.by_year), found.by_year, definitions)

    def report_charts(self) -> list[Chart]:
        """The charts of the page, as it draws them first."""
        if self.profile().status != "in_view":
            return []
        charts = [self.timeline(), self.partners(), self.map()]
        years = self.contribution_years(False)
        return [*charts, years] if years is not None and len(years.table) else charts

    # Files

    def sources(self) -> pd.DataFrame:
        """The sources of the organisation, of its agreements and actions in view and of its participations."""
        data = self.insights.dataset.sources
        found = data[data["source_id"].isin(self.profile().source_ids)][SOURCE_COLUMNS]
        return found.assign(url=found["url"].map(safe_url)).reset_index(drop=True)

    def provenance(self, chart: Chart) -> Provenance:
        return self._provenance(chart.title, chart.definitions)

    def _provenance(self, title: str, definitions: dict[str, str]) -> Provenance:
        insights = self.insights
        return Provenance(title, insights.filters, insights.dataset.name, self.sources(), definitions)

    def file_name(self, what: str, extension: str) -> str:
        return files.file_name(what, self.insights.filters, extension)

    def _key(self, *parts: object) -> tuple:
        fingerprint = self.insights.dataset.fingerprint
        return (fingerprint, self.insights.filters, "organisation", self.org_id, *parts, date.today())

    def partners_xlsx(self) -> bytes:
        """Every partner as XLSX, with the columns' definitions and the sources in its About sheet."""
        title = _("Partners of {name}").format(name=self.name)
        return files.xlsx_bytes(self.partners_table(), self._provenance(title, PARTNER_COLUMNS))

    def bundle(self) -> bytes:
        """The page's charts (PNG, SVG, CSV), every partner, agreement and action, the metrics and the suggestions
        (CSV), the sources and README.txt."""
        ready = self.insights.metrics_ready("org")
        title = _("ClusterNet report: {name}").format(name=self.name)
        stem = f"organisation-{self.org_id}"
        return self.files.get(
            self._key("bundle", ready),
            lambda: self.zipped(
                self.report_charts(),
                {
                    f"{stem}-all-partners": self.partners_table(),
                    f"{stem}-agreements-and-actions": self.items_table(),
                    f"{stem}-metrics": rank_table(self.ranks()),
                    f"{stem}-suggested-partners": suggestions_table(self.suggestions()),
                },
                self._provenance(title, PARTNER_COLUMNS | RANK_COLUMNS),
            ),
        )
