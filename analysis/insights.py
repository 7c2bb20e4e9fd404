"""Everything the pages show for one dataset under one set of filters, each part computed once, on demand."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.dataset import Dataset
from analysis.dates import parse_date
from analysis.filters import Filters, View, apply
from analysis.metrics import Summary, brokerage, country_matrix, node_metrics, summary, yearly
from analysis.network_chart import Drawn, drawn, layout
from analysis.networks import Level, Network, network
from analysis.places import positions


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


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"


class Insights:
    """A dataset seen through filters. Heavy parts (networks, metrics) are computed only when asked."""

    def __init__(self, dataset: Dataset, filters: Filters) -> None:
        self.dataset = dataset
        self.filters = filters
        self.view: View = apply(dataset, filters)
        self._memo: dict[Hashable, Any] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def memo(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """A value derived from this slice, made once and kept with it (so it lives where these Insights live:
        shared for the server's dataset, private to the session for an upload).

        Each key has its own lock: sessions and download threads asking for the same value wait for one
        computation, while other values (a page's rerun beside a slow export) go ahead.
        """
        if key in self._memo:
            return self._memo[key]
        with self._locks_lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._memo:
                self._memo[key] = make()
            return self._memo[key]

    def kpis(self) -> dict[str, int]:
        """The Overview's four numbers."""
        orgs = self.view.organisations
        items = self.view.items
        return {
            "Organisations": len(orgs),
            "Countries": int(orgs["country"].nunique()),
            "Agreements": int((items["item_type"] == "agreement").sum()),
            "Actions": int((items["item_type"] == "action").sum()),
        }

    def network(self, level: Level) -> Network:
        return self.memo(("network", level), lambda: network(self.view, level))

    def metrics(self, level: Level) -> pd.DataFrame:
        """Node metrics of the level's network (betweenness and Louvain included: the slow part)."""
        return self.memo(("metrics", level), lambda: node_metrics(self.network(level)))

    def drawn(self, level: Level, limit: int) -> tuple[Drawn, dict[str, tuple[float, float]]]:
        """The drawn part of a network and its seeded layout, computed once per level and size."""
        return self.memo(("drawn", level, limit), lambda: self._drawn(level, limit))

    def _drawn(self, level: Level, limit: int) -> tuple[Drawn, dict[str, tuple[float, float]]]:
        part = drawn(self.network(level), self.metrics(level), limit)
        return part, layout(list(part.nodes["node"]), part.links)

    def items_of(self, level: Level, node: str) -> pd.DataFrame:
        """The agreements and actions in view that a node (organisation, country or region) takes part in."""
        members = self.view.members
        if level == "org":
            mine = members[members["org_id"] == node]
        else:
            column = "country" if level == "country" else "nuts2"
            orgs = self.view.organisations
            mine = members[members["org_id"].isin(orgs.loc[orgs[column] == node, "org_id"])]
        roles = mine.groupby("item")["role"].agg(lambda r: ", ".join(sorted({str(x) for x in r if pd.notna(x)})))
        items = self.view.items[self.view.items["item"].isin(mine["item"])].copy()
        items["role"] = items["item"].map(roles)
        dates = self._written_dates()
        items["dates"] = items["item"].map(dates)
        return items[["item", "item_type", "item_id", "title", "kind", "dates", "role"]].sort_values("dates")

    def _written_dates(self) -> dict[str, str]:
        """Item key -> its dates as the data writes them (`2014`, `2016-05 - 2017`, `2014 - open-ended`)."""
        out = {}
        for ag in self.view.agreements.itertuples(index=False):
            out[f"agreement:{ag.agreement_id}"] = (
                f"{ag.signed_on} - {ag.ends_on if pd.notna(ag.ends_on) else 'open-ended'}"
            )
        for ac in self.view.actions.itertuples(index=False):
            out[f"action:{ac.action_id}"] = ac.start if pd.isna(ac.end) else f"{ac.start} - {ac.end}"
        return out

    def brokers(self, top: int = 10) -> pd.DataFrame:
        """Organisations tied to the most other countries (no betweenness needed), made once per slice."""
        return self.memo(("brokers", top), lambda: self._brokers(top))

    def _brokers(self, top: int) -> pd.DataFrame:
        net = self.network("org")
        scores = brokerage(net)
        graph_degree = pd.concat([net.links["a"], net.links["b"]]).value_counts()
        table = net.nodes[["node", "label", "country"]].copy()
        table["brokerage"] = table["node"].map(scores).astype("int64")
        table["partners"] = table["node"].map(graph_degree).fillna(0).astype("int64")
        table = table[table["brokerage"] > 0]
        return table.sort_values(["brokerage", "partners", "label"], ascending=[False, False, True]).head(top)

    def summary(self, level: Level = "org") -> Summary:
        return self.memo(("summary", level), lambda: summary(self.network(level)))

    @property
    def yearly(self) -> pd.DataFrame:
        return self.memo("yearly", lambda: yearly(self.view, self.network("org")))

    @property
    def country_matrix(self) -> pd.DataFrame:
        return self.memo("country matrix", lambda: country_matrix(self.network("country")))

    @property
    def positions(self) -> pd.DataFrame:
        return self.memo("positions", lambda: positions(self.view.organisations))

    @property
    def coverage(self) -> Coverage:
        return self.memo("coverage", self._coverage)

    def _coverage(self) -> Coverage:
        placed = self.positions["placed_by"].value_counts()
        precision = self._start_precisions().value_counts()
        involved = set(self.dataset.agreement_parties["org_id"]) | set(self.dataset.action_participants["org_id"])
        return Coverage(
            organisations=len(self.view.organisations),
            placed_by_region=int(placed.get("region", 0)),
            placed_by_country=int(placed.get("country", 0)),
            unplaced=int(placed.get("unplaced", 0)),
            items=len(self.view.items),
            dated_to_month=int(precision.get("month", 0)),
            dated_to_year=int(precision.get("year", 0)),
            organisations_in_nothing=int((~self.dataset.organisations["org_id"].isin(involved)).sum()),
        )

    def _start_precisions(self) -> pd.Series:
        starts = pd.concat([self.view.agreements["signed_on"], self.view.actions["start"]], ignore_index=True)
        return starts.map(lambda d: parse_date(d).precision)

    def reading(self) -> list[str]:
        """A few plain sentences about the network in view, each computed from the numbers."""
        return self.memo("reading", self._reading)

    def _reading(self) -> list[str]:
        k = self.kpis()
        if k["Organisations"] == 0:
            return ["No agreement or action matches these filters."]
        s = self.summary("org")
        sentences = [
            f"{plural(k['Organisations'], 'organisation')} from {plural(k['Countries'], 'country', 'countries')} "
            f"take part in {plural(k['Agreements'], 'agreement')} and {plural(k['Actions'], 'joint action')}.",
        ]
        if s.links:
            sentences.append(
                f"They are tied by {plural(s.links, 'link')}, {s.cross_border_share:.0%} of which cross a border; "
                + (
                    "the network is all one piece."
                    if s.components == 1
                    else f"the network falls into {s.components} separate parts."
                )
            )
        brokers = self.brokers(1)
        if len(brokers):
            top = brokers.iloc[0]
            sentences.append(
                f"The widest broker is {top['label']} ({top['country']}), tied to partners in "
                f"{plural(int(top['brokerage']), 'other country', 'other countries')}."
            )
        series = self.yearly
        if len(series) and series["new_links"].sum():
            peak = series.loc[series["new_links"].idxmax()]
            sentences.append(f"Most new links appeared in {int(peak['year'])} ({int(peak['new_links'])}).")
        return sentences
