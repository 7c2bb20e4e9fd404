"""Every chart of the dashboard defined once: its figure, exactly the rows it shows and what each column means.
The pages draw these, the download buttons export them, and the report bundle zips them all."""

from __future__ import annotations

import hashlib
import html
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import i18n
from analysis.cache import FileCache, Memo, memoised
from analysis.funding import (
    CONTRIBUTION,
    ITEMS,
    LINK_SHARE,
    MEASURES,
    PER_INHABITANT,
    UNKNOWN,
    FundingLevel,
    key_names,
    link_money,
    partnership_table,
    place_money,
    yearly_total,
)
from analysis.growth import DEFINITIONS as GROWTH_COLUMNS
from analysis.growth import growth_steps, growth_table
from analysis.i18n import N_, _
from analysis.insights import Insights
from analysis.items import ITEM_TYPES, item_key
from analysis.metrics import METRICS, metrics_of
from analysis.networks import LEVELS, LevelName, OneModeLevel
from analysis.provenance import Provenance
from analysis.timeline import ORDERS, items_table, ordered, span, yearly_table
from analysis.words import counted, plural
from charts import engine, files
from charts.funding import partners_figure, years_figure
from charts.growth import STEPS_COLUMNS, STEPS_LIMIT, growth_figure, steps_figure, steps_table
from charts.map import MapData, map_data, shaded_by
from charts.map_figure import map_figure
from charts.network import MONEY, Drawn, affiliation_figure, drawn, figure, layout
from charts.numbers import spoken_numbers
from charts.palette import OTHER, by_prominence, colours
from charts.timeline import timeline_figure, yearly_figure

NETWORK_LIMIT = 200
TIMELINE_LIMIT = 200
IMAGE_FORMATS = ("png", "svg")


@dataclass(frozen=True)
class Chart:
    """A chart as the analyst sees it and downloads it, in the language it was made in (its files say the same)."""

    name: str  # file-name stem: `network-org`, `timeline`
    title: str
    figure: go.Figure = field(repr=False)
    table: pd.DataFrame = field(repr=False)  # exactly the rows the chart shows
    # Column -> what it means: catalogue messages (N_), said in the files' language (Provenance.about_rows).
    definitions: dict[str, str] = field(default_factory=dict)
    language: str = field(default_factory=i18n.language)


# Column definitions: N_() here, said in the language of the files that carry them (Provenance.about_rows).
COUNTRY_COLUMNS = {
    "country": N_("ISO 3166-1 alpha-2 code"),
    "name": N_("country name as the dataset gives it"),
    "organisations": N_(
        "organisations of the country in view (in at least one agreement or action kept by the filters)"
    ),
    "agreements": N_("distinct agreements in view with at least one party from the country"),
    "actions": N_("distinct actions in view with at least one participant from the country"),
}


def affiliation_columns(limit: int) -> dict[str, str]:
    return {
        "org_id": _("organisation id"),
        "item": _(
            "{agreement} or {action} the organisation takes part in (one row per link of the two-mode affiliation "
            "network; the {limit} organisations in most items are drawn)"
        ).format(agreement=item_key("agreement", "ID"), action=item_key("action", "ID"), limit=i18n.integer(limit)),
        "role": _("its role in that agreement or action"),
    }


TIMELINE_COLUMNS = {
    "start": N_("start (signing for an agreement) as the data writes it"),
    "end": N_("end as the data writes it; empty when not given"),
    "precision": N_("how precisely the dates are known (day, month or year)"),
    "organisations": N_("organisations in view taking part"),
    "drawn_from": N_("first day drawn: a date known to the month or year is drawn over the whole period"),
    "drawn_to": N_("last day drawn; an open-ended agreement stops at the chart's end"),
}
YEARLY_COLUMNS = {
    "Active": N_("agreements and actions whose interval overlaps the year (an open-ended agreement stays active)"),
    "New links": N_("pairs of organisations first tied that year (organisation network)"),
    "New partner countries": N_("countries whose first agreement or action in view starts that year"),
}
PLACE_COLUMNS = {
    "place": N_("NUTS-2 code, or ISO code of a country outside NUTS shaded as a whole"),
    "level": N_("'NUTS-2 region', or 'country (outside NUTS)' for a country shaded as a whole"),
    "name": N_("the region's name as NUTS gives it, or the country's name in the language of the file"),
    "items": N_("distinct agreements and actions in view involving the place's organisations (the shading)"),
    "organisations": N_("organisations of the place in view"),
    "inside": N_("agreements and actions with two or more of the region's organisations"),
}


MONEY_COLUMNS = {
    "contribution_eur": CONTRIBUTION.definition,
    "participations_without_amount": N_(
        "participations of the place's organisations in actions in view that carry no amount (not in contribution_eur)"
    ),
    "population": N_("inhabitants on 1 January 2023 (Eurostat demo_r_pjanaggr3); empty where not known"),
    "contribution_per_inhabitant_eur": PER_INHABITANT.definition,
}


PARTNERSHIP_COLUMNS = {
    "partner": N_(
        "the partner region (NUTS-2) or country; the place itself for partners of the same place; 'unknown' for "
        "partners whose place the data does not give"
    ),
    "partner_name": N_("the partner's name"),
    "contribution_eur": LINK_SHARE,
    "share": N_("share of the place's EU contribution in actions with partners (0 to 1)"),
}
UNKNOWN_WORDS = {"region": N_("partners without a region"), "country": N_("partners without a country")}
YEAR_WORDS = {
    False: N_("EU contribution of the actions in view starting that year (sum of contribution_eur)"),
    True: N_(
        "EU contribution of the actions in view, each amount spread evenly over the calendar years its action covers"
    ),
}


def metric_words(name: str) -> str:
    """How a sentence names a metric, in the language spoken: `weighted degree`, `PageRank`."""
    metric = METRICS.get(name)
    if metric is None:
        return name.replace("_", " ")
    return _(metric.word) if metric.word else _(metric.label).lower()


def network_definitions(level: LevelName) -> dict[str, str]:
    """What each metric column of a level's network means, as every export of it says, in the language spoken."""
    where = _(LEVELS[level].title).lower()
    return {
        m.name: _("{definition} (in the {network}; links weighted by shared agreements and actions)").format(
            definition=_(m.definition), network=where
        )
        for m in metrics_of(level)
    }


def place_table(data: MapData) -> pd.DataFrame:
    """The shaded places: regions, then countries outside NUTS coverage shaded as a whole (named in the language
    spoken, as the map names them)."""
    regions = data.regions.rename(columns={"region": "place"}).assign(level="NUTS-2 region")
    countries = data.countries.assign(
        place=data.countries["country"],
        name=data.countries["country"].map(data.country_names),
        level="country (outside NUTS)",
    )
    columns = ["place", "level", "name", "country", "agreements", "actions", "items", "organisations", "inside"]
    columns += [c for c in MONEY_COLUMNS if c in data.regions.columns]
    return pd.concat([regions, countries], ignore_index=True).reindex(columns=columns)


class Exports(ABC):
    """The files of some charts: PNG and SVG stamped with their provenance, interactive HTML, CSV and XLSX of their
    rows, kept in a cache bounded in bytes (`files`). A page's charts say what they show and under which filters."""

    files: FileCache

    @abstractmethod
    def provenance(self, chart: Chart) -> Provenance: ...

    @abstractmethod
    def file_name(self, what: str, extension: str) -> str: ...

    @abstractmethod
    def _key(self, *parts: object) -> tuple:
        """A file's key in the shared cache: what the charts show, what the file is and the day it is stamped with."""

    @abstractmethod
    def bundle(self) -> bytes: ...

    # A chart's files speak the language the chart was made in, whoever asks for them: a download made after the
    # page's run (Streamlit's deferred downloads run outside it) still stamps an Italian chart in Italian.

    def image(self, chart: Chart, fmt: str) -> bytes:
        """PNG or SVG of a chart, stamped, kept in the file cache; engine.ImageEngineUnavailable if not made."""
        digest = hashlib.sha1(chart.figure.to_json().encode(), usedforsecurity=False).hexdigest()
        with i18n.speaking(chart.language):
            return self.files.get(self._key("image", chart.name, fmt, digest), lambda: self._draw(chart, fmt))

    def _draw(self, chart: Chart, fmt: str) -> bytes:
        # A caller that waited on another's failed try learns of it here, instead of trying twice more itself.
        if problem := engine.image_engine_problem():
            raise engine.ImageEngineUnavailable(problem)
        return engine.image_bytes(files.stamped(chart.figure, self.provenance(chart)), fmt)

    def html(self, chart: Chart) -> bytes:
        with i18n.speaking(chart.language):
            return files.html_bytes(files.stamped(chart.figure, self.provenance(chart)))

    def csv(self, chart: Chart) -> bytes:
        return files.csv_bytes(chart.table)

    def xlsx(self, chart: Chart) -> bytes:
        with i18n.speaking(chart.language):
            return files.xlsx_bytes(chart.table, self.provenance(chart))

    def images(self, chart: Chart) -> dict[str, bytes]:
        """PNG and SVG of one chart under their file names."""
        return {self.file_name(chart.name, fmt): self.image(chart, fmt) for fmt in IMAGE_FORMATS}

    def zipped(
        self,
        charts: list[Chart],
        tables: dict[str, pd.DataFrame],
        prov: Provenance,
        texts: dict[str, bytes] | None = None,
    ) -> bytes:
        """One .zip: each chart as PNG, SVG and CSV, more tables as CSV, any `texts` files, the sources, and
        README.txt. Without an image engine it still holds the tables, and README.txt says why images are missing."""
        made: dict[str, bytes] = dict(texts or {})
        note = engine.image_engine_problem()
        for chart in charts:
            if note is None:
                try:
                    made |= self.images(chart)
                except engine.ImageEngineUnavailable as exc:
                    note = str(exc)  # the tables still go in; README.txt says why the images do not
            made[self.file_name(chart.name, "csv")] = self.csv(chart)
        for what, table in tables.items():
            made[self.file_name(what, "csv")] = files.csv_bytes(table)
        made[self.file_name("sources", "csv")] = files.csv_bytes(prov.sources)
        return files.bundle(made, prov, note and _("No images in this bundle. {reason}").format(reason=note))


class Charts(Exports):
    """The charts of one view (an Insights), each made once and kept with it; images and bundles go to `files`,
    a cache bounded in bytes (see analysis.cache)."""

    def __init__(self, insights: Insights, files: FileCache) -> None:
        self.insights = insights
        self.files = files
        self.memo = Memo()

    def weight(self) -> int:
        """Bytes this view holds, by analysis.cache.weight: its rows, what it computed and the figures it drew."""
        return self.memo.bytes + self.insights.weight()

    @property
    def _country_names(self) -> dict[str, str]:
        """Every country of the dataset named in the language spoken (the dataset's names in English, ISO's own
        translations in Italian)."""
        return self.insights.dataset.country_names()

    @property
    def _all_countries(self) -> list[str]:
        """Every country of the dataset, most organisations first: a country's colour is its place among them,
        whatever the filters."""
        return by_prominence(self.insights.dataset.organisations["country"].dropna().astype(str))

    @memoised
    def countries(self) -> Chart:
        """Overview: organisations in view per country, coloured as on every page."""
        table = self.insights.country_table()
        palette = colours(self._all_countries)
        # plotly reads HTML in labels: dataset text stays text
        names = [
            html.escape(i18n.country_name(c, str(n))) for c, n in zip(table["country"], table["name"], strict=True)
        ]
        items = zip(*(table[t.plural] for t in ITEM_TYPES.values()), strict=True)
        fig = go.Figure(
            go.Bar(
                x=table["organisations"],
                y=table["country"],  # codes are unique where names might not be
                orientation="h",
                marker={"color": [palette.get(c, OTHER) for c in table["country"]]},
                hovertext=[
                    _("{country}: {organisations}, in {items}").format(
                        country=name,
                        organisations=plural(int(n), "{count} organisation", "{count} organisations"),
                        items=counted(int(agreements), int(actions)),
                    )
                    for name, n, (agreements, actions) in zip(names, table["organisations"], items, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
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
            xaxis={"title": _("Organisations in view")},
            plot_bgcolor="white",
        )
        spoken_numbers(fig)
        return Chart("countries", _("Organisations in view by country"), fig, table, COUNTRY_COLUMNS)

    @memoised(words=False)
    def drawn(self, level: OneModeLevel, limit: int) -> tuple[Drawn, dict[str, tuple[float, float]]]:
        """The drawn part of a one-mode network (the `limit` most connected nodes) and its seeded layout; chosen by
        degree, so it needs none of the costly metrics. Laid out on the links drawn: on all the links of a dense part
        every node pulls at every other, and the nodes form a disc whatever the ties."""
        part = drawn(self.insights.network(level), self.insights.quick_metrics(level), limit)
        return part, layout(list(part.nodes["node"]), part.shown)

    @memoised
    def network(
        self,
        level: LevelName = "org",
        size_by: str = "degree",
        colour_by: str = "country",
        limit: int = NETWORK_LIMIT,
        complete: bool = True,
        measure: str = ITEMS.name,
    ) -> Chart:
        """The network at a level as drawn and the rows of the drawn nodes (metrics; memberships when two-mode).
        `complete` False draws it before the costly metrics are ready: their columns are then empty. With the
        measure `contribution`, nodes are sized by their EU contribution and links drawn wider for more of it."""
        if not LEVELS[level].one_mode:
            return self._affiliation(limit)
        part, where = self.drawn(level, limit)
        metrics = self.insights.metrics(level) if complete else self.insights.quick_metrics(level)
        rows = metrics.set_index("node").loc[part.nodes["node"]].reset_index()
        definitions = network_definitions(level)
        money = measure == CONTRIBUTION.name
        if money:
            rows, links = self._network_money(level, rows, part.links)
            part = replace(part, nodes=rows, links=links)
            size_by = MONEY
            definitions |= {MONEY: CONTRIBUTION.definition}
        else:
            part = replace(part, nodes=rows)
        fig = figure(
            self.insights.network(level),
            part,
            where,
            size_by,
            colour_by,
            self._country_names,
            self._all_countries,
            money,
        )
        what = CONTRIBUTION.words if money else metric_words(size_by)
        title = _("{network}, sized by {metric}").format(network=_(LEVELS[level].title), metric=what)
        name = f"network-{level}" + ("-contribution" if money else "")
        return Chart(name, title, fig, part.nodes, definitions)

    def _network_money(
        self, level: OneModeLevel, nodes: pd.DataFrame, links: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The drawn nodes with their EU contribution, and the drawn links with the money on them (only the drawn
        part's links are weighed: a whole programme's would cost seconds)."""
        totals = self.insights.funding(level).set_index("id")["contribution_eur"]
        nodes = nodes.assign(**{MONEY: nodes["node"].map(totals).astype("float64")})
        among = np.array(sorted(nodes["node"]), dtype=object)
        weighed = link_money(self.insights.view, level, among).set_index(["a", "b"])[MONEY]
        a, b = links["a"].to_numpy(dtype=object), links["b"].to_numpy(dtype=object)
        ends = pd.MultiIndex.from_arrays([np.where(a <= b, a, b), np.where(a <= b, b, a)])
        return nodes, links.assign(**{MONEY: weighed.reindex(ends).fillna(0.0).to_numpy()})

    @memoised
    def _affiliation(self, limit: int) -> Chart:
        """The two-mode network of the `limit` organisations in most items, and one row per drawn membership."""
        part = self.insights.affiliation_part(limit)
        fig = affiliation_figure(part, self._country_names, self._all_countries)
        orgs = part.nodes.set_index("node")
        titles = part.nodes.set_index("node")["label"]
        edges = part.edges
        table = pd.DataFrame(
            {
                "org_id": edges["a"].map(orgs["org_id"]).to_numpy(),
                "organisation": edges["a"].map(orgs["label"]).to_numpy(),
                "country": edges["a"].map(orgs["country"]).to_numpy(),
                "item": edges["b"].to_numpy(),
                "title": edges["b"].map(titles).to_numpy(),
                "role": edges["role"].to_numpy(),
            }
        ).sort_values(["organisation", "item"], ignore_index=True)
        return Chart("network-affiliation", _(LEVELS["affiliation"].title), fig, table, affiliation_columns(limit))

    @memoised
    def timeline(self, order: str = next(iter(ORDERS)), limit: int = TIMELINE_LIMIT) -> Chart:
        """Agreements and actions in time, the first `limit` in the chosen order, and the same rows as a table."""
        rows = ordered(self.insights.timeline_rows(), order).head(limit)
        fig = timeline_figure(rows, span(self.insights.view), self.insights.filters.window)
        title = _("Agreements and joint actions in time")
        return Chart("timeline", title, fig, items_table(rows), TIMELINE_COLUMNS)

    @memoised
    def yearly(self) -> Chart:
        series = self.insights.yearly()
        return Chart("yearly", _("Year by year"), yearly_figure(series), yearly_table(series), YEARLY_COLUMNS)

    @memoised
    def growth(self) -> Chart:
        """Per year, the organisation network of that year alone and of every year up to it."""
        frame = self.insights.growth()
        return Chart("growth", _("Growth year by year"), growth_figure(frame), growth_table(frame), GROWTH_COLUMNS)

    @memoised
    def growth_steps(self, limit: int = STEPS_LIMIT) -> Chart:
        """Small multiples: the `limit` most connected organisations of the period, on one layout, year by year."""
        part, where = self.drawn("org", limit)
        steps = growth_steps(self.insights.view, part.nodes[["node", "label", "country"]], part.links)
        fig = steps_figure(steps, where, self._country_names, self._all_countries)
        if part.complete:
            title = _("The network growing year by year")
        else:
            title = _(
                "The network growing year by year: the {count} most connected organisations of the period"
            ).format(count=i18n.integer(len(part.nodes)))
        return Chart("growth-steps", title, fig, steps_table(steps), STEPS_COLUMNS)

    @memoised
    def _map_base(self) -> MapData:
        """The map's layers and tables, places shaded by agreements and actions; with the places' money when the
        dataset carries amounts."""
        insights = self.insights
        tables = insights.places()
        if insights.has_amounts:
            tables = replace(
                tables,
                regions=place_money(tables.regions, insights.funding("region"), "region"),
                countries=place_money(tables.countries, insights.funding("country"), "country"),
            )
        return map_data(insights.dataset, tables, insights.network("region"))

    @memoised
    def map_data(self, measure: str = ITEMS.name) -> MapData:
        """The map's layers and tables, places shaded by a measure (analysis.funding.MEASURES)."""
        base = self._map_base()
        return base if measure == ITEMS.name else shaded_by(base, measure)

    @memoised
    def map(self, measure: str = ITEMS.name) -> Chart:
        """The map as a plotly figure (the page draws pydeck; this is for the files)."""
        data = self.map_data(measure)
        title = _("Partner regions, organisations and links between regions")
        if measure != ITEMS.name:
            title = _("{title}, regions shaded by {measure}").format(title=title, measure=MEASURES[measure].words)
        definitions = PLACE_COLUMNS | (MONEY_COLUMNS if self.insights.has_amounts else {})
        return Chart(
            "map" if measure == ITEMS.name else f"map-{measure}",
            title,
            map_figure(data),
            place_table(data),
            definitions,
        )

    @memoised
    def partnerships(self, level: FundingLevel, place: str) -> Chart:
        """The EU contribution a region or country received through partnerships, by partner (analysis.funding)."""
        insights = self.insights
        table = partnership_table(insights.view, level, place, insights.funding_by_partner(level))
        table["partner_name"] = [
            self._partner_words(level, place, partner, name)
            for partner, name in zip(table["partner"], table["partner_name"], strict=True)
        ]
        name = key_names(insights.view, level, pd.Series([place]))[0]
        name = i18n.country_name(place, name) if level == "country" else name
        title = _("EU contribution of {place} through partnerships, by partner").format(place=name)
        return Chart(f"money-{place}", title, partners_figure(table, place), table, PARTNERSHIP_COLUMNS)

    @staticmethod
    def _partner_words(level: FundingLevel, place: str, partner: str, name: str) -> str:
        """A partner as the money tables name it, in the language spoken."""
        if partner == UNKNOWN:
            return _(UNKNOWN_WORDS[level])
        said = i18n.country_name(partner, name) if level == "country" else name
        return _("{name} (partners in the same place)").format(name=said) if partner == place else said

    @memoised
    def contribution_years(self, spread: bool) -> Chart:
        """The view's EU contribution per year: by the actions' start year, or spread over their years."""
        table = yearly_total(self.insights.view, spread)
        title = (
            _("EU contribution per year, spread evenly over each action's years")
            if spread
            else _("EU contribution per year, by the actions' start year")
        )
        definitions = {"year": N_("calendar year"), "contribution_eur": YEAR_WORDS[spread]}
        return Chart(
            "contribution-years" + ("-spread" if spread else ""), title, years_figure(table), table, definitions
        )

    def report_charts(self) -> list[Chart]:
        """The charts of the view with the pages' default settings."""
        if self.insights.view.items.empty:
            return []
        # A network whose costly metrics are still being computed goes in drawn by degree, those columns empty: a
        # report never waits minutes for them.
        networks = [self.network(level, complete=self.insights.metrics_ready(level)) for level in ("org", "country")]
        charts = [self.countries(), self.map(), *networks, self.timeline()]
        if self.insights.has_amounts:  # the money's charts with their definitions
            charts += [self.map(CONTRIBUTION.name), self.contribution_years(False)]
        # Only open-ended agreements reach a period after the last dated year: no year to chart then.
        charts = [*charts, self.yearly()] if len(self.insights.yearly()) else charts
        return [*charts, self.growth(), self.growth_steps()] if len(self.insights.growth()) else charts

    # Files

    def provenance(self, chart: Chart) -> Provenance:
        return self.insights.provenance(chart.title, chart.definitions)

    def file_name(self, what: str, extension: str) -> str:
        return files.file_name(what, self.insights.filters, extension)

    def _key(self, *parts: object) -> tuple:
        return (self.insights.dataset.fingerprint, self.insights.filters, *parts, date.today())

    def bundle(self) -> bytes:
        """One .zip: every chart (PNG, SVG) and table (CSV) of the view, the sources, and README.txt; kept."""
        ready = tuple(self.insights.metrics_ready(level) for level in ("org", "country"))
        return self.files.get(
            self._key("bundle", ready),
            lambda: self.zipped(
                self.report_charts(),
                {},
                # README.txt says what the money columns mean (each chart's XLSX says it of its own columns)
                self.insights.provenance(_("ClusterNet report"), MONEY_COLUMNS if self.insights.has_amounts else {}),
            ),
        )
