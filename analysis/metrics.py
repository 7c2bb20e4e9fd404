"""Node metrics and summaries of the contract, on the networks of a filtered view."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import networkit as nk
import networkx as nx
import pandas as pd

from analysis.dates import FAR_FUTURE
from analysis.filters import View
from analysis.networks import LEVELS, LevelName, Network

LOUVAIN_SEED = 42
PAGERANK_DAMPING = 0.85
EXACT_WORK = 500_000_000  # nodes x links: about 5 s of exact betweenness on this machine's 2 cores
BETWEENNESS_SAMPLES = 1000
BETWEENNESS_SEED = 42


def betweenness(graph: nx.Graph) -> dict[str, float]:
    """Unweighted betweenness normalised as networkx does: exact on small graphs, sampled and seeded above.

    NetworKit (C++, MIT) computes it; networkx's own exact betweenness takes minutes on 10,000 organisations.
    Above EXACT_WORK (nodes x links) it estimates from BETWEENNESS_SAMPLES seeded source nodes; the benchmark
    measures the estimate's rank agreement with exact values (Spearman 0.994 on the 10k synthetic network).
    """
    nodes = list(graph.nodes)
    if len(nodes) < 3 or graph.number_of_edges() == 0:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    fast = nk.Graph(len(nodes))
    for a, b in graph.edges:
        fast.addEdge(index[a], index[b])
    if exact_betweenness(graph):
        algorithm = nk.centrality.Betweenness(fast, normalized=True)
    else:
        nk.setSeed(BETWEENNESS_SEED, False)
        algorithm = nk.centrality.EstimateBetweenness(fast, BETWEENNESS_SAMPLES, True, True)
    algorithm.run()
    scores = algorithm.scores()
    return {node: float(scores[i]) for i, node in enumerate(nodes)}


def exact_betweenness(graph: nx.Graph) -> bool:
    """Whether betweenness is computed exactly (the work grows with nodes x links)."""
    return graph.number_of_nodes() * graph.number_of_edges() <= EXACT_WORK


def communities(graph: nx.Graph) -> dict[str, int]:
    """Louvain communities on weights with a fixed seed, numbered 1.. from the largest."""
    if graph.number_of_edges() == 0:
        found = [{node} for node in graph.nodes]
    else:
        found = nx.community.louvain_communities(graph, weight="weight", seed=LOUVAIN_SEED)
    ordered = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    return {node: number for number, members in enumerate(ordered, start=1) for node in members}


def brokerage(net: Network) -> dict[str, int]:
    """Distinct countries among each node's neighbours, other than its own."""
    country = net.nodes.set_index("node")["country"]
    links = net.links
    ends = pd.concat(
        [
            pd.DataFrame({"node": links["a"], "other": links["b"]}),
            pd.DataFrame({"node": links["b"], "other": links["a"]}),
        ],
        ignore_index=True,
    )
    ends["own"] = ends["node"].map(country)
    ends["theirs"] = ends["other"].map(country)
    foreign = ends[ends["own"] != ends["theirs"]]
    counts = foreign.groupby("node")["theirs"].nunique()
    return {node: int(counts.get(node, 0)) for node in net.nodes["node"]}


def degree(net: Network, graph: nx.Graph) -> dict[str, int]:
    return dict(graph.degree())


def weighted_degree(net: Network, graph: nx.Graph) -> dict[str, int]:
    return dict(graph.degree(weight="weight"))


def pagerank(net: Network, graph: nx.Graph) -> dict[str, float]:
    """PageRank on weights; a network with no link gives every node the same share."""
    if not graph.number_of_edges():
        return dict.fromkeys(graph.nodes, 1 / graph.number_of_nodes())
    return nx.pagerank(graph, alpha=PAGERANK_DAMPING, weight="weight")


@dataclass(frozen=True)
class Metric:
    """A node metric: how the pages, tables and exports name it, what it means, and how it is computed."""

    name: str  # the column
    label: str
    definition: str
    compute: Callable[[Network, nx.Graph], Mapping[str, float | int]]
    dtype: str
    sizes_nodes: bool  # a chart may size nodes by it
    colours_nodes: bool = False  # a chart may colour nodes by it (groups, not amounts)
    two_mode: bool = False  # also meaningful on the two-mode affiliation network
    word: str = ""  # how a sentence names it ("weighted degree", "PageRank"); the label in lower case if empty

    def said(self, value: float | int) -> str:
        """`betweenness 0.1234`, `degree 4`: the metric and its value, as captions and hovers write them."""
        shown = f"{value:.4f}" if self.dtype == "float64" else f"{int(value):,}"
        return f"{self.word or self.label.lower()} {shown}"


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "degree",
            "Degree",
            "number of distinct neighbours (self-loops not counted)",
            degree,
            "int64",
            sizes_nodes=True,
            two_mode=True,
        ),
        Metric(
            "weighted_degree",
            "Weighted degree",
            "sum of the weights of a node's links; a weight counts the distinct agreements and actions shared by "
            "both ends",
            weighted_degree,
            "int64",
            sizes_nodes=True,
        ),
        Metric(
            "betweenness",
            "Betweenness",
            "share of shortest paths between other nodes that pass through the node; unweighted, normalised by "
            "2/((n-1)(n-2)) as networkx does by default; exact up to 500 million nodes x links, estimated from "
            f"{BETWEENNESS_SAMPLES} seeded source nodes above",
            lambda net, graph: betweenness(graph),
            "float64",
            sizes_nodes=True,
        ),
        Metric(
            "pagerank",
            "PageRank",
            f"PageRank on link weights, damping {PAGERANK_DAMPING}",
            pagerank,
            "float64",
            sizes_nodes=True,
            word="PageRank",
        ),
        Metric(
            "community",
            "Community",
            f"Louvain community on link weights (seed {LOUVAIN_SEED}); 1 is the largest",
            lambda net, graph: communities(graph),
            "int64",
            sizes_nodes=False,
            colours_nodes=True,
        ),
        Metric(
            "brokerage",
            "Brokerage",
            "number of distinct countries among the node's neighbours, other than its own",
            lambda net, graph: brokerage(net),
            "int64",
            sizes_nodes=True,
        ),
    )
}
SIZE_METRICS = {m.name: m.label for m in METRICS.values() if m.sizes_nodes}


def said(row: Mapping[str, object], level: LevelName) -> list[str]:
    """Each metric of a node's row that applies at the level, in words: `degree 4`, `betweenness 0.1234`, ..."""
    return [m.said(row[m.name]) for m in metrics_of(level) if m.name in row]  # type: ignore[arg-type]


def metrics_of(level: LevelName) -> list[Metric]:
    """The metrics that apply on a level's network: all of them on one-mode networks, degree on the two-mode one."""
    return [m for m in METRICS.values() if LEVELS[level].one_mode or m.two_mode]


def node_metrics(net: Network) -> pd.DataFrame:
    """One row per node: node, label, country and every metric that applies at the network's level."""
    chosen = metrics_of(net.level)
    columns = ["node", "label", "country", *(m.name for m in chosen)]
    if net.nodes.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    graph = net.graph()
    table = net.nodes[["node", "label", "country"]].copy()
    for metric in chosen:
        table[metric.name] = table["node"].map(metric.compute(net, graph)).astype(metric.dtype)
    return table[columns].reset_index(drop=True)


@dataclass(frozen=True)
class Summary:
    nodes: int
    links: int
    density: float
    components: int
    cross_border_share: float  # share of links whose two ends lie in different countries

    def as_dict(self) -> dict[str, float | int]:
        return self.__dict__.copy()


def summary(net: Network) -> Summary:
    graph = net.graph()
    links = net.links
    country = net.nodes.set_index("node")["country"]
    crossing = (links["a"].map(country) != links["b"].map(country)).sum() if len(links) else 0
    return Summary(
        nodes=graph.number_of_nodes(),
        links=graph.number_of_edges(),
        density=nx.density(graph) if graph.number_of_nodes() > 1 else 0.0,
        components=nx.number_connected_components(graph) if graph.number_of_nodes() else 0,
        cross_border_share=float(crossing / len(links)) if len(links) else 0.0,
    )


def country_matrix(net: Network) -> pd.DataFrame:
    """Country-by-country weights (symmetric; the diagonal holds self-loops) from a country network."""
    codes = list(net.nodes["node"])
    matrix = pd.DataFrame(0, index=codes, columns=codes, dtype="int64")
    for a, b, weight in net.edges[["a", "b", "weight"]].itertuples(index=False):
        matrix.loc[a, b] = weight
        matrix.loc[b, a] = weight
    matrix.index.name = "country"
    return matrix


def yearly(view: View, org_net: Network) -> pd.DataFrame:
    """Per year: agreements and actions active, new organisation links, new partner countries."""
    items = view.items
    if items.empty:
        return pd.DataFrame(columns=["year", "agreements_active", "actions_active", "new_links", "new_countries"])
    window_first, window_last = view.filters.window
    finite_last = [d.year for d in items["last"] if d < FAR_FUTURE]
    first_year = max(min(d.year for d in items["first"]), window_first.year)
    last_year = max([*finite_last, *(d.year for d in items["first"])])
    last_year = min(last_year, window_last.year)
    years = range(first_year, last_year + 1)
    first_y = items["first"].map(lambda d: d.year)
    last_y = items["last"].map(lambda d: d.year)
    links_first = org_net.links["first"].map(lambda d: d.year).value_counts()
    country = view.organisations.set_index("org_id")["country"]
    debut = (
        view.members.assign(
            country=view.members["org_id"].map(country),
            year=view.members["item"].map(items.set_index("item")["first"].map(lambda d: d.year)),
        )
        .groupby("country")["year"]
        .min()
        .value_counts()
    )
    rows = []
    for year in years:
        active = (first_y <= year) & (last_y >= year)
        rows.append(
            {
                "year": year,
                "agreements_active": int((active & (items["item_type"] == "agreement")).sum()),
                "actions_active": int((active & (items["item_type"] == "action")).sum()),
                "new_links": int(links_first.get(year, 0)),
                "new_countries": int(debut.get(year, 0)),
            }
        )
    return pd.DataFrame(rows)


def degrees(net: Network) -> pd.Series:
    """Distinct neighbours per node (cheap: counted from the links, no graph needed)."""
    links = net.links
    ends = pd.concat([links["a"], links["b"]]).value_counts()
    return net.nodes["node"].map(ends).fillna(0).astype("int64").set_axis(net.nodes["node"])
