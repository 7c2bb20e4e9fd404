"""The networks of the contract: organisations, countries and NUTS-2 regions linked by shared items, and the
two-mode affiliation network. Weights count distinct agreements and actions; links remember which ones."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from analysis.filters import View
from analysis.i18n import N_
from analysis.items import org_node
from analysis.reference import nuts2_country, nuts2_names

LevelName = Literal["org", "country", "region", "affiliation"]
OneModeLevel = Literal["org", "country", "region"]  # organisations, or places they lie in: one kind of node


EPOCH = date(1970, 1, 1).toordinal()  # day ordinals -> numpy dates


@dataclass(frozen=True)
class Keyed:
    """The items in view each key (organisation, country, region) takes part in: one row per distinct (item, key),
    sorted by item then key, with how many of the item's members the key counts. Links are computed from it."""

    item: np.ndarray  # position in the dataset's items (Dataset.incidence)
    key: np.ndarray  # position in `labels`
    members: np.ndarray
    labels: np.ndarray  # the keys' texts, sorted
    item_names: np.ndarray  # every item's written key, by position
    texts: pd.api.extensions.ExtensionArray  # the labels as a text column's values (Codes.texts)

    @functools.cached_property
    def _by_key(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Items grouped by key (in item order within a key), where each key's run starts, and their members."""
        order = np.argsort(self.key, kind="stable")
        starts = np.searchsorted(self.key[order], np.arange(len(self.labels) + 1))
        return self.item[order], starts, self.members[order]

    def items_for(self, a: str, b: str) -> list[str]:
        """The items behind one link (a == b: the items with two or more members keyed `a`), in item order."""
        return sorted(self.item_names[self.positions_for(a, b)])

    def shared_with(self, a: str) -> pd.Series:
        """The items each other key shares with `a`, `;`-separated as `items_for` orders them, by the key's text: one
        pass over `a`'s items' members (a hub's 40,000 links one at a time took seconds)."""
        items, starts, _ = self._by_key
        code = int(np.searchsorted(self.labels, a))
        mine = items[starts[code] : starts[code + 1]]
        first, last = np.searchsorted(self.item, mine, "left"), np.searchsorted(self.item, mine, "right")
        lengths = last - first
        rows = np.repeat(first - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
        others = rows[self.key[rows] != code]
        pairs = pd.DataFrame({"key": self.key[others], "item": self.item_names[self.item[others]]})
        pairs = pairs.sort_values(["key", "item"])
        keys, names = pairs["key"].to_numpy(), pairs["item"].tolist()
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.array([], dtype=int)
        ends = [*starts[1:], len(keys)]
        joined = [";".join(names[start:end]) for start, end in zip(starts, ends, strict=True)]
        return pd.Series(joined, index=self.labels[keys[starts]], dtype=object)

    def positions_for(self, a: str, b: str) -> np.ndarray:
        """The items behind one link as positions in the dataset's items, ascending (see `items_for`)."""
        items, starts, members = self._by_key
        code_a, code_b = np.searchsorted(self.labels, [a, b])
        mine = slice(starts[code_a], starts[code_a + 1])
        if a == b:
            both = items[mine][members[mine] >= 2]
        else:
            both = np.intersect1d(items[mine], items[starts[code_b] : starts[code_b + 1]], assume_unique=True)
        return both


@dataclass(frozen=True)
class Network:
    """Nodes (node, label, country, ...) and links (a, b, weight, first); a == b is a self-loop. `keyed` finds the
    items behind links on demand: listing them for a million links would cost seconds and hundreds of MB."""

    level: LevelName
    nodes: pd.DataFrame
    edges: pd.DataFrame
    keyed: Keyed | None = field(default=None, repr=False, compare=False)
    link_ends: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)  # see `ends`

    @property
    def links(self) -> pd.DataFrame:
        """Links between two different nodes (self-loops are counted, not drawn)."""
        return self.edges[self.edges["a"] != self.edges["b"]]

    @property
    def self_loops(self) -> pd.DataFrame:
        return self.edges[self.edges["a"] == self.edges["b"]]

    def items(self, links: pd.DataFrame) -> pd.Series:
        """The written keys of the items behind each of some links, `;`-separated, as the tables show them."""
        if "items" in links.columns:
            return links["items"]
        if self.keyed is None:
            raise ValueError(f"the {self.level} network does not know the items behind its links")
        found = [";".join(self.keyed.items_for(a, b)) for a, b in zip(links["a"], links["b"], strict=True)]
        return pd.Series(found, index=links.index, dtype=object)

    def with_items(self, links: pd.DataFrame) -> pd.DataFrame:
        """Some links with their `items` column."""
        return links.assign(items=self.items(links))

    @functools.cached_property
    def ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Each link's two ends as positions in `nodes` (self-loops left out)."""
        if self.link_ends is not None:
            return self.link_ends
        index = pd.Index(self.nodes["node"])
        links = self.links
        return index.get_indexer(links["a"]), index.get_indexer(links["b"])

    def adjacency(self) -> sparse.csr_matrix:
        """Symmetric node-by-node matrix of link weights, in `nodes` order, without self-loops (made once)."""
        return self._adjacency

    @functools.cached_property
    def _adjacency(self) -> sparse.csr_matrix:
        a, b = self.ends
        n = len(self.nodes)
        weight = self.links["weight"].to_numpy(dtype=np.float64)
        return sparse.csr_matrix((np.r_[weight, weight], (np.r_[a, b], np.r_[b, a])), shape=(n, n))

    def graph(self) -> nx.Graph:
        """networkx graph of the nodes and links, without self-loops; `weight` on every link (small networks)."""
        graph = nx.Graph()
        graph.add_nodes_from(self.nodes["node"])
        links = self.links
        graph.add_weighted_edges_from(zip(links["a"], links["b"], links["weight"], strict=True))
        return graph


def keyed(view: View, column: str) -> Keyed:
    """The (item, key) rows of a view, a key being an organisation column's value (org_id, country, nuts2)."""
    inc = view.dataset.incidence
    codes = inc.codes[column]
    item = inc.member_item[view.member_rows]
    key = codes.codes[inc.member_org[view.member_rows]]
    known = key >= 0
    n = max(len(codes.labels), 1)
    combined, members = np.unique(item[known] * n + key[known], return_counts=True)
    return Keyed(
        combined // n, combined % n, members, codes.labels, inc.items["item"].to_numpy(dtype=object), codes.texts
    )


def item_pairs(found: Keyed) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (a, b, item) with keys a < b in one item, and (a, a, item) for a key with two or more of its members."""
    item, key = found.item, found.key
    starts = np.flatnonzero(np.r_[True, item[1:] != item[:-1]]) if len(item) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(item)])
    a_parts, b_parts, item_parts = [], [], []
    for size in np.unique(sizes[sizes >= 2]):
        # All items of one size at once: a block of their keys, and the upper triangle's pairs of columns.
        first = starts[sizes == size]
        block = key[first[:, None] + np.arange(size)]
        left, right = np.triu_indices(size, 1)
        a_parts.append(block[:, left].ravel())
        b_parts.append(block[:, right].ravel())
        item_parts.append(np.repeat(item[first], len(left)))
    loops = found.members >= 2
    a_parts.append(key[loops])
    b_parts.append(key[loops])
    item_parts.append(item[loops])
    return np.concatenate(a_parts), np.concatenate(b_parts), np.concatenate(item_parts)


def empty_edges() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": pd.Series(dtype=object),
            "b": pd.Series(dtype=object),
            "weight": pd.Series(dtype="int64"),
            "first": pd.Series(dtype="datetime64[s]"),
        }
    )


def link_table(found: Keyed, first_day: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Links from (item, key) rows: one per pair of keys sharing items, plus a self-loop per key that an item
    involves through two or more members; `weight` counts the distinct items, `first` is their earliest start. With
    each link's two keys as positions in `found.labels`. One sort of integer codes: per-pair loops in Python take
    minutes at programme scale."""
    a, b, item = item_pairs(found)
    if not len(a):
        return empty_edges(), a, b
    n = max(len(found.labels), 1)
    pair = a * n + b
    day = first_day[item]
    offset = day - day.min()  # below 2**22: the contract's dates span at most 10,000 years
    if n * n < 2**40:
        order = np.argsort((pair << 22) | offset)
    else:
        order = np.lexsort((offset, pair))
    pair, day = pair[order], day[order]
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    weight = np.diff(np.r_[starts, len(pair)])
    ends = pair[starts]
    a, b = ends // n, ends % n
    edges = pd.DataFrame(
        {
            "a": found.texts.take(a),
            "b": found.texts.take(b),
            "weight": weight.astype("int64"),
            "first": pd.Series((day[starts] - EPOCH).astype("datetime64[D]")).astype("datetime64[s]"),
        }
    )
    return edges, a, b


def _one_mode(view: View, level: LevelName, column: str, nodes: pd.DataFrame, node_keys: np.ndarray) -> Network:
    """A network of an organisation column's values; `node_keys` are the nodes' positions among its sorted values."""
    found = keyed(view, column)
    edges, a, b = link_table(found, view.dataset.incidence.first)
    position = np.full(len(found.labels), -1, dtype=np.int64)
    position[node_keys] = np.arange(len(node_keys))
    apart = a != b
    return Network(level, nodes, edges, found, (position[a[apart]], position[b[apart]]))


def _keys_of(view: View, column: str, values: list[str]) -> np.ndarray:
    return np.searchsorted(view.dataset.incidence.codes[column].labels, values)


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
    return _one_mode(view, "org", "org_id", nodes, view.dataset.incidence.codes["org_id"].codes[view.org_rows])


def country_network(view: View) -> Network:
    names = view.dataset.countries.set_index("country")["name"]
    codes = sorted(view.organisations["country"].dropna().astype(str).unique())
    nodes = pd.DataFrame({"node": codes, "label": [str(names.get(c, c)) for c in codes], "country": codes})
    nodes["in_selection"] = nodes["country"].isin(view.filters.countries) if view.filters.countries else True
    return _one_mode(view, "country", "country", nodes, _keys_of(view, "country", codes))


def region_network(view: View) -> Network:
    """NUTS-2 regions; organisations without a region code take no part in it."""
    regions = nuts2_names()
    codes = sorted(view.organisations["nuts2"].dropna().astype(str).unique())
    nodes = pd.DataFrame(
        {"node": codes, "label": [regions.get(c, c) for c in codes], "country": [nuts2_country(c) for c in codes]}
    )
    nodes["in_selection"] = nodes["country"].isin(view.filters.countries) if view.filters.countries else True
    return _one_mode(view, "region", "nuts2", nodes, _keys_of(view, "nuts2", codes))


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
    inc = view.dataset.incidence
    first = inc.first[inc.member_item[view.member_rows]]
    edges = pd.DataFrame(
        {
            "a": members["org_id"].astype(str).map(org_node),
            "b": members["item"],
            "weight": 1,
            "items": members["item"],
            "first": pd.Series((first - EPOCH).astype("datetime64[D]")).astype("datetime64[s]"),
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
    """One of the contract's networks: what its nodes are and how it is built. The label and the title are
    catalogue messages (`N_`): say them with `_()`."""

    name: LevelName
    label: str  # the nodes, as a control offers the level
    title: str  # the network, as a chart title says it
    one_mode: bool  # nodes of one kind linked by shared items: every node metric applies
    key: str | None  # the organisations column whose values are the nodes (None: two-mode)
    build: Callable[[View], Network]


LEVELS: dict[LevelName, Level] = {
    "org": Level("org", N_("Organisations"), N_("Organisation network"), True, "org_id", organisation_network),
    "country": Level("country", N_("Countries"), N_("Country network"), True, "country", country_network),
    "region": Level("region", N_("NUTS-2 regions"), N_("Region network"), True, "nuts2", region_network),
    "affiliation": Level(
        "affiliation",
        N_("Affiliation (organisations and items)"),
        N_("Affiliation network: organisations and their agreements and actions"),
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
    if net.keyed is not None and "items" not in mine.columns and len(mine):
        shared = net.keyed.shared_with(node)[other]  # one pass over the node's items, not one search per link
    else:
        shared = net.items(mine)
    labels = net.nodes.set_index("node")
    table = pd.DataFrame(
        {
            "node": other,
            "label": labels.loc[other, "label"].to_numpy() if len(other) else [],
            "country": labels.loc[other, "country"].to_numpy() if len(other) else [],
            "weight": mine["weight"].to_numpy(),
            "items": shared.to_numpy(),
        }
    )
    return table.sort_values(["weight", "label"], ascending=[False, True]).reset_index(drop=True)
