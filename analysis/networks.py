"""The networks of the contract: organisations, countries and NUTS-2 regions linked by shared items, and the
two-mode affiliation network. Weights count distinct agreements and actions; links remember which ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd

from analysis.filters import View
from analysis.items import org_node
from analysis.reference import nuts2_country, nuts2_names

LevelName = Literal["org", "country", "region", "affiliation"]
OneModeLevel = Literal["org", "country", "region"]  # organisations, or places they lie in: one kind of node
EDGE_COLUMNS = ["a", "b", "weight", "items", "first"]


@dataclass(frozen=True)
class Network:
    """Nodes (node, label, country, ...) and links (a, b, weight, items, first); a == b is a self-loop."""

    level: LevelName
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


def affiliation_network(view: View) -> Network:
    """Two-mode: organisation nodes (`org:<id>`, see analysis.items) linked to the agreements and actions they
    belong to; one link per membership, weight 1, `role` as given."""
    orgs = view.organisations
    items = view.items
    nodes = pd.concat(
        [
            pd.DataFrame(
                {
                    "node": orgs["org_id"].astype(str).map(org_node),
                    "label": orgs["name"].astype(str),
                    "country": orgs["country"].astype(str),
                    "mode": "organisation",
                    "org_id": orgs["org_id"].astype(str),
                }
            ),
            pd.DataFrame(
                {
                    "node": items["item"],
                    "label": items["title"],
                    "country": "",
                    "mode": items["item_type"],
                    "org_id": None,
                }
            ),
        ],
        ignore_index=True,
    )
    members = view.members
    first = items.set_index("item")["first"]
    edges = pd.DataFrame(
        {
            "a": members["org_id"].astype(str).map(org_node),
            "b": members["item"],
            "weight": 1,
            "items": members["item"],
            "first": members["item"].map(first),
            "role": members["role"],
        }
    )
    return Network("affiliation", nodes, edges.astype({"weight": "int64"}))


def affiliation_part(net: Network, limit: int) -> Network:
    """The part of the two-mode network shown: the `limit` organisations in most items (ties by id), the items they
    belong to and their memberships."""
    counts = net.edges.groupby("a")["b"].nunique().rename("items").rename_axis("node").reset_index()
    orgs = set(counts.sort_values(["items", "node"], ascending=[False, True]).head(limit)["node"])
    edges = net.edges[net.edges["a"].isin(orgs)]
    nodes = net.nodes[net.nodes["node"].isin(orgs | set(edges["b"]))]
    return Network(net.level, nodes.reset_index(drop=True), edges.reset_index(drop=True))


@dataclass(frozen=True)
class Level:
    """One of the contract's networks: what its nodes are and how it is built."""

    name: LevelName
    label: str  # the nodes, as a control offers the level
    title: str  # the network, as a chart title says it
    one_mode: bool  # nodes of one kind linked by shared items: every node metric applies
    key: str | None  # the organisations column whose values are the nodes (None: two-mode)
    build: Callable[[View], Network]


LEVELS: dict[LevelName, Level] = {
    "org": Level("org", "Organisations", "Organisation network", True, "org_id", organisation_network),
    "country": Level("country", "Countries", "Country network", True, "country", country_network),
    "region": Level("region", "NUTS-2 regions", "Region network", True, "nuts2", region_network),
    "affiliation": Level(
        "affiliation",
        "Affiliation (organisations and items)",
        "Affiliation network: organisations and their agreements and actions",
        False,
        None,
        affiliation_network,
    ),
}


def network(view: View, level: LevelName) -> Network:
    """The network of a level on a filtered view."""
    return LEVELS[level].build(view)


def ego(net: Network, node: str) -> pd.DataFrame:
    """A node's neighbours: who, how strongly tied (weight) and through which agreements and actions."""
    links = net.links
    mine = links[(links["a"] == node) | (links["b"] == node)]
    other = np.where(mine["a"] == node, mine["b"], mine["a"])
    labels = net.nodes.set_index("node")
    table = pd.DataFrame(
        {
            "node": other,
            "label": labels.loc[other, "label"].to_numpy() if len(other) else [],
            "country": labels.loc[other, "country"].to_numpy() if len(other) else [],
            "weight": mine["weight"].to_numpy(),
            "items": mine["items"].to_numpy(),
        }
    )
    return table.sort_values(["weight", "label"], ascending=[False, True]).reset_index(drop=True)
