"""The networks of the contract: organisations, countries and NUTS-2 regions linked by shared items, and the
two-mode affiliation network. Weights count distinct agreements and actions; links remember which ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd

from analysis.filters import View
from analysis.reference import nuts2_country, nuts2_names

Level = Literal["org", "country", "region"]
LEVELS: tuple[Level, ...] = ("org", "country", "region")
EDGE_COLUMNS = ["a", "b", "weight", "items", "first"]


@dataclass(frozen=True)
class Network:
    """Nodes (node, label, country, ...) and links (a, b, weight, items, first); a == b is a self-loop."""

    level: Level
    nodes: pd.DataFrame
    edges: pd.DataFrame

    @property
    def links(self) -> pd.DataFrame:
        """Links between two different nodes (self-loops are counted, not drawn)."""
        return self.edges[self.edges["a"] != self.edges["b"]]

    @property
    def self_loops(self) -> pd.DataFrame:
        return self.edges[self.edges["a"] == self.edges["b"]]

    def graph(self) -> nx.Graph:
        """networkx graph of the nodes and links, without self-loops; `weight` on every link."""
        graph = nx.Graph()
        graph.add_nodes_from(self.nodes["node"])
        links = self.links
        graph.add_weighted_edges_from(zip(links["a"], links["b"], links["weight"], strict=True))
        return graph


def link_table(keyed: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Links from (item, key) rows: one per pair of keys sharing items, plus a self-loop per key that an item
    involves through two or more members. `first` is the earliest start among the link's items."""
    counts = keyed.groupby(["item", "key"], sort=False).size().rename("members").reset_index()
    pairs = counts[["item", "key"]].merge(counts[["item", "key"]], on="item", suffixes=("_a", "_b"))
    pairs = pairs[pairs["key_a"] < pairs["key_b"]]
    loops = counts.loc[counts["members"] >= 2, ["item", "key"]]
    both = pd.concat(
        [
            pd.DataFrame({"item": pairs["item"], "a": pairs["key_a"], "b": pairs["key_b"]}),
            pd.DataFrame({"item": loops["item"], "a": loops["key"], "b": loops["key"]}),
        ],
        ignore_index=True,
    )
    if both.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EDGE_COLUMNS}).astype({"weight": "int64"})
    # Ordinals and array slices: pandas aggregations over object columns cost seconds at 300k links.
    first_day = items.set_index("item")["first"].map(lambda d: d.toordinal())
    both["first"] = both["item"].map(first_day).to_numpy(dtype="int64")
    both = both.sort_values(["a", "b", "item"], ignore_index=True)
    a, b, item = (both[c].to_numpy() for c in ("a", "b", "item"))
    starts = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])])
    ends = np.r_[starts[1:], len(both)]
    edges = pd.DataFrame(
        {
            "a": a[starts],
            "b": b[starts],
            "weight": (ends - starts).astype("int64"),
            "items": [";".join(item[s:e]) for s, e in zip(starts, ends, strict=True)],
            "first": [date.fromordinal(int(o)) for o in np.minimum.reduceat(both["first"].to_numpy(), starts)],
        }
    )
    return edges[EDGE_COLUMNS]


def _keyed(view: View, column: str) -> pd.DataFrame:
    orgs = view.organisations.set_index("org_id", drop=False)
    key = orgs[column].reindex(view.members["org_id"]).to_numpy()
    keyed = pd.DataFrame({"item": view.members["item"].to_numpy(), "key": key})
    return keyed.dropna(subset=["key"]).astype({"key": str})


def organisation_network(view: View) -> Network:
    orgs = view.organisations
    nodes = pd.DataFrame(
        {
            "node": orgs["org_id"].astype(str),
            "label": orgs["name"].astype(str),
            "country": orgs["country"].astype(str),
            "kind": orgs["kind"].astype(str),
            "nuts2": orgs["nuts2"],
            "lat": orgs["lat"],
            "lon": orgs["lon"],
            "in_selection": orgs["in_selection"].astype(bool),
        }
    )
    return Network("org", nodes, link_table(_keyed(view, "org_id"), view.items))


def country_network(view: View) -> Network:
    names = view.dataset.countries.set_index("country")["name"]
    codes = sorted(view.organisations["country"].dropna().astype(str).unique())
    nodes = pd.DataFrame({"node": codes, "label": [str(names.get(c, c)) for c in codes], "country": codes})
    nodes["in_selection"] = nodes["country"].isin(view.filters.countries) if view.filters.countries else True
    return Network("country", nodes, link_table(_keyed(view, "country"), view.items))


def region_network(view: View) -> Network:
    """NUTS-2 regions; organisations without a region code take no part in it."""
    regions = nuts2_names()
    codes = sorted(view.organisations["nuts2"].dropna().astype(str).unique())
    nodes = pd.DataFrame(
        {"node": codes, "label": [regions.get(c, c) for c in codes], "country": [nuts2_country(c) for c in codes]}
    )
    nodes["in_selection"] = nodes["country"].isin(view.filters.countries) if view.filters.countries else True
    return Network("region", nodes, link_table(_keyed(view, "nuts2"), view.items))


def network(view: View, level: Level) -> Network:
    builders = {"org": organisation_network, "country": country_network, "region": region_network}
    return builders[level](view)


def affiliation_graph(view: View) -> nx.Graph:
    """Two-mode graph: organisation nodes (`org:<id>`) linked to the agreements and actions they belong to."""
    graph = nx.Graph()
    names = view.organisations.set_index("org_id")["name"]
    for org in view.organisations["org_id"]:
        graph.add_node(f"org:{org}", mode="organisation", label=str(names[org]))
    for item, item_type, title in view.items[["item", "item_type", "title"]].itertuples(index=False):
        graph.add_node(item, mode=item_type, label=title)
    graph.add_edges_from(
        (f"org:{org}", item, {"role": role})
        for item, org, role in view.members[["item", "org_id", "role"]].itertuples(index=False)
    )
    return graph
