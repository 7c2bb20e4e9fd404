"""Node metrics and summaries of the contract, on the networks of a filtered view."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import networkit as nk
import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csgraph

from analysis import i18n
from analysis.dates import FAR_FUTURE
from analysis.filters import View
from analysis.i18n import N_, _
from analysis.incidence import calendar_years
from analysis.networks import LEVELS, LevelName, Network

LOUVAIN_SEED = 42
PAGERANK_DAMPING = 0.85
PAGERANK_TOLERANCE = 1e-6  # networkx's default: stop when the L1 change is below nodes x this
EXACT_WORK = 500_000_000  # nodes x links: about 10 s of exact betweenness on one core of this machine
BETWEENNESS_SAMPLES = 1000
BETWEENNESS_ROUNDS = 10  # the samples are drawn in rounds, so the page can say how far it got
BETWEENNESS_SEED = 42
LOUVAIN_EXACT_LINKS = 100_000  # networkx's Louvain up to here; NetworKit's PLM (the same method, in C++) above
Progress = Callable[[float], None]  # share of the work done, 0..1


def _silent(_share: float) -> None:
    """Nobody is waiting to hear how far a computation got."""


# Sampled betweenness and PLM draw from NetworKit's one global random generator: seeding it and running must not
# interleave with another thread's, or the same network could give other values. Only these runs wait for each
# other; pages never take this lock.
_SEEDED = threading.Lock()
# One thread: a costly metric computed apart (analysis.jobs) must leave the other core to the pages, and PLM gives
# the same communities for the same network only on one thread.
nk.setNumberOfThreads(1)


def _fast_graph(net: Network, weighted: bool) -> nk.Graph:
    a, b = net.ends
    graph = nk.Graph(len(net.nodes), weighted=weighted)
    if len(a):
        graph.addEdges((net.links["weight"].to_numpy(dtype=np.float64), (a, b)) if weighted else (a, b))
    return graph


def betweenness(net: Network, progress: Progress = _silent) -> np.ndarray:
    """Unweighted betweenness normalised as networkx does: exact on small networks, sampled and seeded above.

    NetworKit (C++, MIT) computes it; networkx's own exact betweenness takes minutes on 10,000 organisations.
    Above EXACT_WORK (nodes x links) it averages BETWEENNESS_ROUNDS estimates of BETWEENNESS_SAMPLES /
    BETWEENNESS_ROUNDS seeded source nodes each (benchmarks/metrics_at_scale.py measures the error).
    """
    n = len(net.nodes)
    if n < 3 or not len(net.links):
        return np.zeros(n)
    graph = _fast_graph(net, weighted=False)
    if exact_betweenness(net):
        algorithm = nk.centrality.Betweenness(graph, normalized=True)
        algorithm.run()
        progress(1.0)
        return np.asarray(algorithm.scores())
    total = np.zeros(n)
    for done in range(BETWEENNESS_ROUNDS):
        with _SEEDED:
            nk.setSeed(BETWEENNESS_SEED + done, False)
            algorithm = nk.centrality.EstimateBetweenness(graph, BETWEENNESS_SAMPLES // BETWEENNESS_ROUNDS, True, False)
            algorithm.run()
        total += np.asarray(algorithm.scores())
        progress((done + 1) / BETWEENNESS_ROUNDS)
    return total / BETWEENNESS_ROUNDS


def exact_betweenness(net: Network) -> bool:
    """Whether betweenness is computed exactly (the work grows with nodes x links)."""
    return len(net.nodes) * len(net.links) <= EXACT_WORK


def communities(net: Network, progress: Progress = _silent) -> np.ndarray:
    """Louvain communities on weights with a fixed seed, numbered 1.. from the largest (ties: smallest node)."""
    nodes = net.nodes["node"].astype(str).to_numpy()
    if not len(net.links):
        found = [[i] for i in range(len(nodes))]
    elif len(net.links) <= LOUVAIN_EXACT_LINKS:
        graph = net.graph()
        index = {node: i for i, node in enumerate(nodes)}
        groups = nx.community.louvain_communities(graph, weight="weight", seed=LOUVAIN_SEED)
        found = [[index[node] for node in group] for group in groups]
    else:
        with _SEEDED:
            nk.setSeed(LOUVAIN_SEED, False)
            plm = nk.community.PLM(_fast_graph(net, weighted=True), refine=False, gamma=1.0)
            plm.run()
        labels = np.asarray(plm.getPartition().getVector())
        order = np.argsort(labels, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(labels[order]) != 0])
        found = np.split(order, starts[1:])
    progress(1.0)
    ranked = sorted(found, key=lambda c: (-len(c), min(nodes[i] for i in c)))
    out = np.zeros(len(nodes), dtype=np.int64)
    for number, members in enumerate(ranked, start=1):
        out[np.asarray(members, dtype=np.int64)] = number
    return out


def brokerage(net: Network) -> np.ndarray:
    """Distinct countries among each node's neighbours, other than its own."""
    country = net.nodes["country"].astype(object).where(net.nodes["country"].notna(), "").astype(str)
    labels, code = np.unique(country.to_numpy(), return_inverse=True)
    n = len(net.nodes)
    if not len(net.links):
        return np.zeros(n, dtype=np.int64)
    neighbours = (net.adjacency() > 0).astype(np.int64)
    by_country = sparse.csr_matrix((np.ones(n, dtype=np.int64), (np.arange(n), code)), shape=(n, len(labels)))
    reached = (neighbours @ by_country).tocoo()
    foreign = reached.col != code[reached.row]
    return np.bincount(reached.row[foreign], minlength=n).astype(np.int64)


def degree(net: Network) -> np.ndarray:
    return np.diff(net.adjacency().indptr).astype(np.int64)


def weighted_degree(net: Network) -> np.ndarray:
    return np.asarray(net.adjacency().sum(axis=1)).ravel().astype(np.int64)


def pagerank(net: Network) -> np.ndarray:
    """PageRank on weights, as networkx computes it (uniform teleport, dangling nodes spread evenly), on a sparse
    matrix: building a networkx graph of a million links takes longer than the ranking itself."""
    n = len(net.nodes)
    if n == 0:
        return np.zeros(0)
    matrix = net.adjacency()
    out = np.asarray(matrix.sum(axis=1)).ravel()
    dangling = out == 0
    scale = np.divide(1.0, out, out=np.zeros(n), where=~dangling)
    step = sparse.diags(scale) @ matrix
    x = np.full(n, 1.0 / n)
    for _round in range(100):
        last = x
        x = PAGERANK_DAMPING * (x @ step + x[dangling].sum() / n) + (1 - PAGERANK_DAMPING) / n
        if np.abs(x - last).sum() < n * PAGERANK_TOLERANCE:
            return x / x.sum()
    raise nx.PowerIterationFailedConvergence(100)


@dataclass(frozen=True)
class Metric:
    """A node metric: how the pages, tables and exports name it, what it means, and how it is computed. The label,
    the definition and the word are catalogue messages (`N_`): say them with `_()`."""

    name: str  # the column
    label: str
    definition: str
    compute: Callable[[Network, Progress], np.ndarray]  # one value per node, in the network's node order
    dtype: str
    sizes_nodes: bool  # a chart may size nodes by it
    colours_nodes: bool = False  # a chart may colour nodes by it (groups, not amounts)
    two_mode: bool = False  # also meaningful on the two-mode affiliation network
    word: str = ""  # how a sentence names it ("PageRank"); the label in lower case if empty
    costly: bool = False  # seconds or more on a large network: computed apart, and the page fills it in when ready

    def said(self, value: float | int) -> str:
        """`betweenness 0.1234`, `degree 4`: the metric and its value, as captions and hovers write them, in the
        language spoken (`centralità di intermediazione 0,1234`)."""
        shown = i18n.decimal(value, 4) if self.dtype == "float64" else i18n.integer(int(value))
        return f"{_(self.word) if self.word else _(self.label).lower()} {shown}"


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "degree",
            N_("Degree"),
            N_("number of distinct neighbours (self-loops not counted)"),
            lambda net, _progress: degree(net),
            "int64",
            sizes_nodes=True,
            two_mode=True,
        ),
        Metric(
            "weighted_degree",
            N_("Weighted degree"),
            N_(
                "sum of the weights of a node's links; a weight counts the distinct agreements and actions shared by "
                "both ends"
            ),
            lambda net, _progress: weighted_degree(net),
            "int64",
            sizes_nodes=True,
        ),
        Metric(
            "betweenness",
            N_("Betweenness"),
            # The numbers are EXACT_WORK and BETWEENNESS_SAMPLES (tests/analysis/test_metrics.py keeps them in step).
            N_(
                "share of shortest paths between other nodes that pass through the node; unweighted, normalised by "
                "2/((n-1)(n-2)) as networkx does by default; exact up to 500 million nodes x links, estimated from "
                "1000 seeded source nodes above"
            ),
            betweenness,
            "float64",
            sizes_nodes=True,
            costly=True,
        ),
        Metric(
            "pagerank",
            N_("PageRank"),
            N_("PageRank on link weights, damping 0.85"),  # PAGERANK_DAMPING
            lambda net, _progress: pagerank(net),
            "float64",
            sizes_nodes=True,
            word=N_("PageRank"),
        ),
        Metric(
            "community",
            N_("Community"),
            # LOUVAIN_SEED and LOUVAIN_EXACT_LINKS (tests/analysis/test_metrics.py keeps them in step).
            N_(
                "Louvain community on link weights (seed 42); 1 is the largest; networkx's Louvain up to "
                "100,000 links, NetworKit's (PLM, one thread) above"
            ),
            communities,
            "int64",
            sizes_nodes=False,
            colours_nodes=True,
            costly=True,
        ),
        Metric(
            "brokerage",
            N_("Brokerage"),
            N_("number of distinct countries among the node's neighbours, other than its own"),
            lambda net, _progress: brokerage(net),
            "int64",
            sizes_nodes=True,
        ),
    )
}
SIZE_METRICS = {m.name: m.label for m in METRICS.values() if m.sizes_nodes}  # labels: catalogue messages


def said(row: Mapping[str, object], level: LevelName) -> list[str]:
    """Each metric of a node's row that applies at the level, in words: `degree 4`, `betweenness 0.1234`, ..."""
    return [m.said(row[m.name]) for m in metrics_of(level) if m.name in row and pd.notna(row[m.name])]  # type: ignore[arg-type]


def metrics_of(level: LevelName) -> list[Metric]:
    """The metrics that apply on a level's network: all of them on one-mode networks, degree on the two-mode one."""
    return [m for m in METRICS.values() if LEVELS[level].one_mode or m.two_mode]


def metric_columns(net: Network, chosen: list[Metric], progress: Progress = _silent) -> pd.DataFrame:
    """Some metrics of a network's nodes, one column each, in node order; `progress` hears the share done."""
    values = {}
    for done, metric in enumerate(chosen):

        def told(part: float, done: int = done) -> None:
            progress((done + part) / len(chosen))

        values[metric.name] = pd.Series(metric.compute(net, told), dtype=metric.dtype)
    return pd.DataFrame(values, index=range(len(net.nodes)))


def node_metrics(net: Network, costly: bool = True) -> pd.DataFrame:
    """One row per node: node, label, country and every metric that applies at the network's level (without the
    costly ones if `costly` is False: those columns are then missing values, to be filled in)."""
    chosen = metrics_of(net.level)
    columns = ["node", "label", "country", *(m.name for m in chosen)]
    if net.nodes.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    table = net.nodes[["node", "label", "country"]].reset_index(drop=True)
    quick = metric_columns(net, [m for m in chosen if costly or not m.costly])
    table = pd.concat([table, quick], axis=1)
    for metric in chosen:
        if metric.name not in table:
            table[metric.name] = pd.Series(
                pd.NA, index=table.index, dtype="Float64" if metric.dtype == "float64" else "Int64"
            )
    return table[columns]


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
    n = len(net.nodes)
    links = len(net.links)
    a, b = net.ends
    country = net.nodes["country"].astype(object).to_numpy()
    crossing = int((country[a] != country[b]).sum()) if links else 0
    components = csgraph.connected_components(net.adjacency(), directed=False)[0] if n else 0
    return Summary(
        nodes=n,
        links=links,
        density=2 * links / (n * (n - 1)) if n > 1 else 0.0,
        components=int(components),
        cross_border_share=crossing / links if links else 0.0,
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
    inc = view.dataset.incidence
    window_first, window_last = view.filters.window
    first_y = calendar_years(inc.first[view.item_rows])
    last_y = calendar_years(inc.last[view.item_rows])
    finite = inc.last[view.item_rows] < FAR_FUTURE.toordinal()
    first_year = max(int(first_y.min()), window_first.year)
    last_year = min(max(int(first_y.max()), int(last_y[finite].max()) if finite.any() else 0), window_last.year)
    links_first = org_net.links["first"].dt.year.value_counts()
    joined = pd.DataFrame(
        {
            "country": view.organisations["country"].to_numpy()[
                pd.Index(view.org_rows).get_indexer(inc.member_org[view.member_rows])
            ],
            "year": calendar_years(inc.first[inc.member_item[view.member_rows]]),
        }
    )
    debut = joined.groupby("country")["year"].min().value_counts()
    agreement = (items["item_type"] == "agreement").to_numpy()
    rows = []
    for year in range(first_year, last_year + 1):
        active = (first_y <= year) & (last_y >= year)
        rows.append(
            {
                "year": year,
                "agreements_active": int((active & agreement).sum()),
                "actions_active": int((active & ~agreement).sum()),
                "new_links": int(links_first.get(year, 0)),
                "new_countries": int(debut.get(year, 0)),
            }
        )
    return pd.DataFrame(rows)


def degrees(net: Network) -> pd.Series:
    """Distinct neighbours per node, by node."""
    return pd.Series(degree(net), index=net.nodes["node"].to_numpy(), dtype="int64")
