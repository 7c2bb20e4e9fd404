"""Everything the pages show for one dataset under one set of filters: one typed object, each value computed once,
on demand, and kept with it (`analysis.cache.memoised`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import funding, i18n, provenance
from analysis.cache import Memo, memoised, weight
from analysis.dataset import Dataset
from analysis.dates import parse_date
from analysis.filters import Filters, View, apply
from analysis.growth import growth
from analysis.i18n import N_, _
from analysis.items import ITEM_TYPES, ROLE_WORDS, item_key
from analysis.jobs import Abandoned, Job
from analysis.metrics import (
    Summary,
    brokerage,
    country_matrix,
    degree,
    metric_columns,
    metrics_of,
    node_metrics,
    summary,
    yearly,
)
from analysis.networks import LEVELS, LevelName, Network, OneModeLevel, affiliation_part, ego, network
from analysis.places import PlaceTables, involvement, place_tables, positions
from analysis.suggest import Partners
from analysis.timeline import timeline_rows
from analysis.words import plural

AT_ONCE_WORK = 20_000_000  # nodes x links up to which every metric is computed while the page waits (< 1 s)


@dataclass(frozen=True)
class Coverage:
    """How far to trust the slice: what is placed or dated only roughly, and what is left out."""

    organisations: int
    placed_by_region: int
    placed_by_country: int
    unplaced: int
    items: int
    dated_to_month: int
    dated_to_year: int
    organisations_in_nothing: int  # in the whole dataset: listed, but in no agreement and no action
    placed_by_coordinates: int
    coordinate_sources: tuple[str, ...]  # titles of the sources behind the coordinates (provenance.coordinate_sources)
    dates_noted: int  # items whose dates carry a note on what they stand for (the timeline's hover shows it)


# The Overview's tiles, by name (catalogue messages: the pages say them with `_()`).
KPI_ORGANISATIONS = N_("Organisations")
KPI_COUNTRIES = N_("Countries")
KPI_ITEMS = {"agreement": N_("Agreements"), "action": N_("Actions")}
KPI_CONTRIBUTION = funding.CONTRIBUTION.label


def _start_precisions(data: Dataset) -> np.ndarray:
    """How precisely each item's start is known (day, month, year), by item position."""
    starts = [data.tables[t.table][t.start_column] for t in ITEM_TYPES.values()]
    return np.array([parse_date(s).precision for s in pd.concat(starts, ignore_index=True)], dtype=object)


def _dates_noted(data: Dataset) -> np.ndarray:
    """Whether each item's dates carry a note on what they stand for, by item position."""
    notes = [
        data.tables[t.table].get(t.date_note_column, pd.Series(pd.NA, index=data.tables[t.table].index))
        for t in ITEM_TYPES.values()
    ]
    return pd.concat(notes, ignore_index=True).notna().to_numpy()


class Insights:
    """A dataset seen through filters. Heavy parts (networks, metrics) are computed only when asked, and kept: where
    these Insights live (shared for the server's dataset, private to the session for an upload)."""

    def __init__(self, dataset: Dataset, filters: Filters) -> None:
        self.dataset = dataset
        self.filters = filters
        self.view: View = apply(dataset, filters)
        self.memo = Memo()
        self._jobs: dict[LevelName, Job[pd.DataFrame]] = {}  # costly metrics computed apart, by level
        self._jobs_lock = threading.Lock()
        v = self.view
        self.view_bytes = weight([v.items, v.members, v.organisations, v.item_rows, v.member_rows, v.org_rows])

    def weight(self) -> int:
        """Bytes this view holds, by analysis.cache.weight: its rows and what it computed."""
        return self.memo.bytes + self.view_bytes

    def kpis(self) -> dict[str, int]:
        """The Overview's four numbers."""
        orgs = self.view.organisations
        types = self.view.items["item_type"].value_counts()
        return {
            KPI_ORGANISATIONS: len(orgs),
            KPI_COUNTRIES: int(orgs["country"].nunique()),
            **{KPI_ITEMS[t.name]: int(types.get(t.name, 0)) for t in ITEM_TYPES.values()},
        }

    @property
    def has_amounts(self) -> bool:
        """Whether the dataset carries any participant amount (the money tiles, measures and tables show)."""
        return funding.has_amounts(self.view)

    @memoised(words=False)
    def money(self) -> funding.Summary:
        """The view's EU contribution in a few numbers."""
        return funding.summary(self.view)

    @memoised(words=False)
    def funding(self, level: funding.FundingLevel) -> pd.DataFrame:
        """Per organisation, region or country: its EU contribution in view (funding.totals)."""
        return funding.totals(self.view, level)

    @memoised(words=False)
    def funding_by_partner(self, level: funding.FundingLevel) -> pd.DataFrame:
        """What each place received with each partner (funding.by_partner)."""
        return funding.by_partner(self.view, level)

    @memoised(words=False)
    def link_money(self, level: funding.FundingLevel) -> pd.DataFrame:
        """Every link's EU contribution at a level (funding.link_money): the whole network's, made on demand."""
        return funding.link_money(self.view, level)

    @memoised(words=False)
    def coordination(self, level: funding.FundingLevel) -> pd.DataFrame:
        """Each place's money by where its actions are led from (funding.coordination)."""
        return funding.coordination(self.view, level)

    @memoised(words=False)
    def network(self, level: LevelName) -> Network:
        return network(self.view, level)

    def metrics(self, level: LevelName) -> pd.DataFrame:
        """Every node metric of the level's network, costly ones included (waits for them if they are running)."""
        if self.metrics_at_once(level):
            return self._metrics_at_once(level)
        return self.metrics_job(level).result()

    @memoised(words=False)
    def _metrics_at_once(self, level: LevelName) -> pd.DataFrame:
        return node_metrics(self.network(level))

    @memoised(words=False)
    def quick_metrics(self, level: LevelName) -> pd.DataFrame:
        """The node metrics that take well under a second at any scale; costly columns are missing values."""
        return node_metrics(self.network(level), costly=False)

    def metrics_at_once(self, level: LevelName) -> bool:
        """Whether every metric of the level is cheap enough to compute while the page waits."""
        net = self.network(level)
        return len(net.nodes) * len(net.links) <= AT_ONCE_WORK

    def metrics_job(self, level: LevelName) -> Job[pd.DataFrame]:
        """The costly metrics of the level computed apart, one job for every session on this view; asking keeps it
        going. Started again if it was abandoned unwatched, or failed and that was said (see metrics_so_far)."""
        with self._jobs_lock:
            job = self._jobs.get(level)
            if job is None or isinstance(job.error, Abandoned):
                job = self._jobs[level] = self._start_job(level)
            job.ask()
            return job

    def _start_job(self, level: LevelName) -> Job[pd.DataFrame]:
        net, quick = self.network(level), self.quick_metrics(level)
        costly = [m for m in metrics_of(level) if m.costly]

        def work(progress: Callable[[float], None]) -> pd.DataFrame:
            return quick.assign(**metric_columns(net, costly, progress))

        # The job's name is for logs and thread names, in English: one job serves sessions of every language.
        return Job(f"metrics of the {LEVELS[level].title.lower()}", work)

    def metrics_ready(self, level: LevelName) -> bool:
        """Whether every metric of the level can be had without waiting."""
        if self.metrics_at_once(level):
            return True
        job = self._jobs.get(level)
        return job is not None and job.done and job.error is None

    def metrics_so_far(self, level: LevelName) -> tuple[pd.DataFrame, float | None, str | None]:
        """Every metric if ready; else the quick ones, the share of the costly ones done, and why they failed if
        they did (the next call tries again). Starts the costly ones if nobody has yet."""
        if self.metrics_at_once(level):
            return self.metrics(level), None, None
        job = self.metrics_job(level)
        if not job.done:
            return self.quick_metrics(level), job.progress, None
        if job.error is not None:
            with self._jobs_lock:  # said once; the next call tries again (a failure may not last)
                self._jobs.pop(level, None)
            return self.quick_metrics(level), 0.0, f"{type(job.error).__name__}: {job.error}"
        return job.result(), None, None

    @memoised(words=False)
    def affiliation_part(self, limit: int) -> Network:
        """The two-mode network's `limit` organisations in most items, with their items."""
        return affiliation_part(self.network("affiliation"), limit)

    @memoised(words=False)
    def partners(self, level: OneModeLevel = "org") -> Partners:
        """The level's network prepared for partner suggestions (analysis.suggest), once per view."""
        region = self.network("region") if level == "org" else None  # the reasons name regions not yet tied
        return Partners(self.network(level), self.dataset.incidence, region)

    # A node's details are kept with the view: the Network page shows them again on every rerun while it is chosen.
    @memoised(words=False)
    def ego(self, level: OneModeLevel, node: str) -> pd.DataFrame:
        """A node's neighbours, how strongly tied and through which items."""
        return ego(self.network(level), node)

    @memoised(words=False)
    def sources_of(self, level: OneModeLevel, node: str) -> pd.DataFrame:
        """The sources of the agreements and actions a node takes part in (provenance.items_sources)."""
        return provenance.items_sources(self.dataset, self.items_of(level, node))

    @memoised
    def items_of(self, level: OneModeLevel, node: str) -> pd.DataFrame:
        """The agreements and actions in view that a node (organisation, country or region) takes part in: its roles
        and the dates in the language spoken."""
        members = self.view.members
        column = LEVELS[level].key
        if column == "org_id":
            mine = members[members["org_id"] == node]
        else:
            orgs = self.view.organisations
            mine = members[members["org_id"].isin(orgs.loc[orgs[column] == node, "org_id"])]
        roles = mine.groupby("item")["role"].agg(
            lambda r: ", ".join(sorted({_(ROLE_WORDS.get(str(x), str(x))) for x in r if pd.notna(x)}))
        )
        items = self.view.items[self.view.items["item"].isin(mine["item"])].copy()
        items["role"] = items["item"].map(roles)
        dates = self._written_dates(items)
        items["dates"] = items["item"].map(dates)
        return items[["item", "item_type", "item_id", "title", "kind", "dates", "role"]].sort_values("dates")

    def _written_dates(self, items: pd.DataFrame) -> dict[str, str]:
        """Item key -> its dates as the data writes them (`2014`, `2016-05 - 2017`, `2014 - open-ended`; an open end
        in the language spoken), for the view's `items` given (rows with `item_type` and `item_id`)."""
        out = {}
        for t in ITEM_TYPES.values():
            rows = self.view.rows_of(t.name)
            ids = items.loc[items["item_type"] == t.name, "item_id"]
            for row in rows[rows[t.id_column].isin(ids)].itertuples(index=False):
                start, end = getattr(row, t.start_column), getattr(row, t.end_column)
                if pd.notna(end):
                    written = f"{start} - {end}"
                else:
                    written = _("{start} - open-ended").format(start=start) if t.open_ended else start
                out[item_key(t.name, getattr(row, t.id_column))] = written
        return out

    @memoised
    def organisation_choices(self) -> dict[str, str]:
        """The organisations in view as a list offers them: id -> `Name (CC)`, in the order of those texts."""
        nodes = self.network("org").nodes
        shown = nodes["label"].astype(str) + " (" + nodes["country"].astype(str) + ")"
        chosen = sorted(zip(nodes["node"].astype(str), shown, strict=True), key=lambda pair: pair[1].lower())
        return dict(chosen)

    @memoised
    def brokers(self, top: int = 10) -> pd.DataFrame:
        """Organisations tied to the most other countries (no betweenness needed)."""
        net = self.network("org")
        table = net.nodes[["node", "label", "country"]].reset_index(drop=True)
        table["brokerage"] = brokerage(net)
        table["partners"] = degree(net)
        table = table[table["brokerage"] > 0]
        return table.sort_values(["brokerage", "partners", "label"], ascending=[False, False, True]).head(top)

    @memoised
    def summary(self, level: LevelName = "org") -> Summary:
        return summary(self.network(level))

    @memoised
    def yearly(self) -> pd.DataFrame:
        """Per year: agreements and actions active, new links, new partner countries."""
        return yearly(self.view, self.network("org"))

    @memoised
    def growth(self) -> pd.DataFrame:
        """Per year and scope (that year, up to that year): the organisation network's size and components."""
        return growth(self.dataset, self.filters)

    @memoised(words=False)
    def country_matrix(self) -> pd.DataFrame:
        return country_matrix(self.network("country"))

    @memoised(words=False)
    def positions(self) -> pd.DataFrame:
        """Where each organisation in view is placed, and how."""
        data = self.dataset
        every = data.memo.get("positions", lambda: positions(data.incidence.organisations))
        return every.take(self.view.org_rows).reset_index(drop=True)

    @memoised
    def places(self) -> PlaceTables:
        """The map's numbers: regions, countries outside NUTS, region links, placed organisations."""
        return place_tables(self.view, self.network("org"), self.network("region"), self.positions())

    @memoised
    def timeline_rows(self) -> pd.DataFrame:
        """Every agreement and action in view as a timeline row, in start order."""
        return timeline_rows(self.view)

    @memoised
    def country_table(self) -> pd.DataFrame:
        """Per country in view: its organisations and the distinct agreements and actions they take part in; its name
        in the language spoken (the dataset's in English, ISO's Italian one in Italian)."""
        counted = involvement(self.view, "country").rename(columns={"code": "country"})
        table = counted[["country", "organisations", *(t.plural for t in ITEM_TYPES.values())]].copy()
        names = self.dataset.countries.set_index("country")["name"].astype(str).to_dict()
        table.insert(1, "name", [i18n.country_name(code, names.get(code)) for code in table["country"]])
        return table.sort_values(["organisations", "name"], ascending=[False, True], ignore_index=True)

    @memoised
    def sources(self, everything: bool = False) -> pd.DataFrame:
        """Sources with how many facts cite them: those backing the facts in view, or `everything` in the dataset."""
        return provenance.source_counts(self.dataset, None if everything else self.view)

    @memoised
    def facts_citing(self, source_id: str, everything: bool = False) -> pd.DataFrame:
        """The facts in view (or in the dataset) that cite one source."""
        return provenance.facts_citing(self.dataset, source_id, None if everything else self.view)

    def provenance(self, title: str, definitions: dict[str, str] | None = None) -> provenance.Provenance:
        """Title, filters, dataset and the sources of the facts in view: what every export carries."""
        return provenance.Provenance(title, self.filters, self.dataset.name, self.sources(), definitions or {})

    @memoised
    def coverage(self) -> Coverage:
        """What is placed or dated only roughly, and what is left out."""
        placed = self.positions()["placed_by"].value_counts()
        data = self.dataset
        precision = pd.Series(data.memo.get("start precisions", lambda: _start_precisions(data))[self.view.item_rows])
        precision = precision.value_counts()
        noted = int(data.memo.get("dates noted", lambda: _dates_noted(data))[self.view.item_rows].sum())
        involved = len(np.unique(data.incidence.member_org))
        return Coverage(
            organisations=len(self.view.organisations),
            placed_by_region=int(placed.get("region", 0)),
            placed_by_country=int(placed.get("country", 0)),
            unplaced=int(placed.get("unplaced", 0)),
            items=len(self.view.items),
            dated_to_month=int(precision.get("month", 0)),
            dated_to_year=int(precision.get("year", 0)),
            organisations_in_nothing=len(data.organisations) - involved,
            placed_by_coordinates=int(placed.get("coordinates", 0)),
            coordinate_sources=data.memo.get(
                "coordinate sources", lambda: tuple(provenance.coordinate_sources(data)["title"].astype(str))
            ),
            dates_noted=noted,
        )

    def _money_sentence(self) -> str | None:
        """How much EU contribution the view holds, who received most of it, and what carries no amount."""
        money = self.money()
        if money.participations == 0:
            return None  # no action in view: nothing to say of money
        if money.without_amount == money.participations:
            return plural(
                money.participations,
                "None of the {count} participation in actions in view carries an amount.",
                "None of the {count} participations in actions in view carries an amount.",
            )
        said = _("Participants received {amount} of EU contribution in {participations} in view").format(
            amount=i18n.euros(money.contribution_eur),
            participations=plural(money.participations, "{count} participation", "{count} participations"),
        )
        countries = self.funding("country").dropna(subset=["contribution_eur"])
        if len(countries) and money.contribution_eur > 0:
            top = countries.iloc[0]
            said += _("; {country} received the most ({amount}, {share})").format(
                country=i18n.country_name(str(top["id"]), str(top["name"])),
                amount=i18n.euros(float(top["contribution_eur"])),
                share=i18n.percent(float(top["contribution_eur"]) / money.contribution_eur),
            )
        if money.without_amount:
            said += plural(
                money.without_amount,
                "; {count} carries no amount and is not counted in it",
                "; {count} carry no amount and are not counted in it",
            )
        return said + "."

    @memoised
    def reading(self) -> list[str]:
        """A few plain sentences about the network in view, each computed from the numbers."""
        k = self.kpis()
        if k[KPI_ORGANISATIONS] == 0:
            return [_("No agreement or action matches these filters.")]
        s = self.summary("org")
        sentences = [
            _("{organisations} from {countries} take part in {agreements} and {actions}.").format(
                organisations=plural(k[KPI_ORGANISATIONS], "{count} organisation", "{count} organisations"),
                countries=plural(k[KPI_COUNTRIES], "{count} country", "{count} countries"),
                agreements=plural(k[KPI_ITEMS["agreement"]], "{count} agreement", "{count} agreements"),
                actions=plural(k[KPI_ITEMS["action"]], "{count} joint action", "{count} joint actions"),
            )
        ]
        if s.links:
            whole = (
                _("the network is all one piece.")
                if s.components == 1
                else _("the network falls into {parts} separate parts.").format(parts=i18n.integer(s.components))
            )
            sentences.append(
                _("They are tied by {links}, {share} of which cross a border; {whole}").format(
                    links=plural(s.links, "{count} link", "{count} links"),
                    share=i18n.percent(s.cross_border_share),
                    whole=whole,
                )
            )
        brokers = self.brokers(1)
        if len(brokers):
            top = brokers.iloc[0]
            sentences.append(
                _("The widest broker is {name} ({country}), tied to partners in {countries}.").format(
                    name=top["label"],
                    country=top["country"],
                    countries=plural(int(top["brokerage"]), "{count} other country", "{count} other countries"),
                )
            )
        if self.has_amounts and (money := self._money_sentence()):
            sentences.append(money)
        series = self.yearly()
        if len(series) and series["new_links"].sum():
            peak = series.loc[series["new_links"].idxmax()]
            sentences.append(
                _("Most new links appeared in {year} ({links}).").format(
                    year=int(peak["year"]), links=i18n.integer(int(peak["new_links"]))
                )
            )
        return sentences
