"""The network drawn with plotly: a seeded layout, sizes by a metric, colours by country or community, escaped hover."""

from __future__ import annotations

import html
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.filters import View
from analysis.networks import Network
from analysis.palette import OTHER, colours

LAYOUT_SEED = 7
LABELLED = 12  # nodes named on the chart; the rest on hover
SIZE_METRICS = {
    "degree": "Degree",
    "weighted_degree": "Weighted degree",
    "betweenness": "Betweenness",
    "pagerank": "PageRank",
    "brokerage": "Brokerage",
}


@dataclass(frozen=True)
class Drawn:
    """The part of a network that is drawn: at most `limit` nodes, the most connected first."""

    nodes: pd.DataFrame  # metrics rows of the drawn nodes
    links: pd.DataFrame  # links among them
    total_nodes: int
    total_links: int

    @property
    def complete(self) -> bool:
        return len(self.nodes) == self.total_nodes


def drawn(net: Network, metrics: pd.DataFrame, limit: int) -> Drawn:
    """Keep the `limit` nodes of highest degree (ties: weighted degree, then name) and the links among them."""
    ranked = metrics.sort_values(["degree", "weighted_degree", "label"], ascending=[False, False, True])
    kept = ranked.head(limit)
    inside = set(kept["node"])
    links = net.links[net.links["a"].isin(inside) & net.links["b"].isin(inside)]
    return Drawn(kept.reset_index(drop=True), links.reset_index(drop=True), len(metrics), len(net.links))


def layout(nodes: list[str], links: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Seeded force-directed positions, one component at a time, packed in rows from the largest.

    The same data always gives the same picture; packing keeps small components from drifting off the chart.
    """
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_weighted_edges_from(zip(links["a"], links["b"], links["weight"], strict=True))
    parts = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    where: dict[str, tuple[float, float]] = {}
    x0 = y0 = row_height = 0.0
    row_width = max(4.0, 2.2 * np.sqrt(len(parts[0]))) if parts else 0.0
    for part in parts:
        size = 1.0 if len(part) == 1 else 2.0 * np.sqrt(len(part)) / 2 + 0.5
        sub = graph.subgraph(part)
        if len(part) == 1:
            local = {part[0]: np.zeros(2)}
        else:
            local = nx.spring_layout(sub, seed=LAYOUT_SEED, weight="weight", iterations=80, scale=size / 2)
        if x0 + size > row_width and x0 > 0:
            x0, y0, row_height = 0.0, y0 - row_height - 0.6, 0.0
        for node, (x, y) in local.items():
            where[node] = (float(x0 + size / 2 + x), float(y0 - size / 2 + y))
        x0 += size + 0.6
        row_height = max(row_height, size)
    return where


def marker_sizes(values: pd.Series, smallest: float = 7, largest: float = 26) -> np.ndarray:
    """Marker diameters growing with the square root of the metric (area reads as amount)."""
    v = np.sqrt(values.astype(float).clip(lower=0).to_numpy())
    if len(v) == 0 or v.max() == v.min():
        return np.full(len(v), (smallest + largest) / 2)
    return smallest + (v - v.min()) / (v.max() - v.min()) * (largest - smallest)


def short(label: str, width: int = 28) -> str:
    """Chart labels stay short; the hover has the whole name."""
    return label if len(label) <= width else label[: width - 1] + "…"


def hover_text(row: pd.Series, country_names: dict[str, str]) -> str:
    """Escaped hover text: plotly renders some HTML tags, and dataset text is untrusted."""
    country = country_names.get(row["country"], row["country"])
    return "<br>".join(
        [
            f"<b>{html.escape(str(row['label']))}</b>",
            html.escape(f"{country}"),
            f"degree {row['degree']} · weighted {row['weighted_degree']}",
            f"betweenness {row['betweenness']:.4f} · PageRank {row['pagerank']:.4f}",
            f"community {row['community']} · brokerage {row['brokerage']}",
        ]
    )


def figure(
    net: Network,
    part: Drawn,
    where: dict[str, tuple[float, float]],
    size_by: str,
    colour_by: str,
    country_names: dict[str, str],
    all_countries: list[str],
) -> go.Figure:
    """Links as one grey trace, nodes as one trace per colour group (so the legend names them)."""
    fig = go.Figure()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for a, b in zip(part.links["a"], part.links["b"], strict=True):
        xs += [where[a][0], where[b][0], None]
        ys += [where[a][1], where[b][1], None]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"width": 0.6, "color": "#b8bcc2"},
            hoverinfo="skip",
            name="links",
            showlegend=False,
        )
    )
    nodes = part.nodes.copy()
    nodes["size"] = marker_sizes(nodes[size_by])
    nodes["x"] = nodes["node"].map(lambda n: where[n][0])
    nodes["y"] = nodes["node"].map(lambda n: where[n][1])
    labelled = set(nodes.sort_values(size_by, ascending=False).head(LABELLED)["node"])
    if colour_by == "community":
        groups = nodes["community"].astype(str)
        palette = colours(groups)
        palette.update({g: OTHER for g in groups.unique() if int(g) > 20})
        names = {g: f"community {g}" for g in groups.unique()}
    else:
        groups = nodes["country"].astype(str)
        palette = colours(all_countries)
        names = {g: country_names.get(g, g) for g in groups.unique()}
    for group in sorted(groups.unique(), key=lambda g: (-int((groups == g).sum()), g)):
        rows = nodes[groups == group]
        fig.add_trace(
            go.Scatter(
                x=rows["x"],
                y=rows["y"],
                mode="markers+text",
                name=html.escape(names[group]),
                marker={
                    "size": rows["size"],
                    "color": palette.get(group, OTHER),
                    "line": {"width": 0.5, "color": "white"},
                },
                text=[
                    html.escape(short(str(label))) if n in labelled else ""
                    for n, label in zip(rows["node"], rows["label"], strict=True)
                ],
                textposition="top center",
                textfont={"size": 11},
                hovertext=[hover_text(r, country_names) for _, r in rows.iterrows()],
                hoverinfo="text",
                customdata=rows["node"].to_numpy(),
            )
        )
    fig.update_layout(
        height=640,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        legend={"title": {"text": "Community" if colour_by == "community" else "Country"}},
        plot_bgcolor="white",
        dragmode="pan",
    )
    return fig


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


def affiliation_figure(view: View, limit: int, country_names: dict[str, str], all_countries: list[str]) -> go.Figure:
    """The two-mode network: the `limit` organisations in most items, and the items they belong to."""
    members = view.members
    counts = members.groupby("org_id")["item"].nunique().sort_values(ascending=False)
    names = view.organisations.set_index("org_id")["name"]
    country = view.organisations.set_index("org_id")["country"]
    orgs = list(counts.head(limit).index)
    kept = members[members["org_id"].isin(orgs)]
    item_keys = list(pd.unique(kept["item"]))
    graph = nx.Graph()
    graph.add_nodes_from(sorted(f"org:{o}" for o in orgs))
    graph.add_nodes_from(sorted(item_keys))
    graph.add_edges_from((f"org:{o}", i) for o, i in zip(kept["org_id"], kept["item"], strict=True))
    where = nx.spring_layout(graph, seed=LAYOUT_SEED, iterations=60) if graph.number_of_nodes() else {}
    fig = go.Figure()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for a, b in graph.edges:
        xs += [where[a][0], where[b][0], None]
        ys += [where[a][1], where[b][1], None]
    fig.add_trace(
        go.Scatter(
            x=xs, y=ys, mode="lines", line={"width": 0.5, "color": "#c5c8cc"}, hoverinfo="skip", showlegend=False
        )
    )
    palette = colours(all_countries)
    for code in sorted({country[o] for o in orgs}):
        mine = [o for o in orgs if country[o] == code]
        fig.add_trace(
            go.Scatter(
                x=[where[f"org:{o}"][0] for o in mine],
                y=[where[f"org:{o}"][1] for o in mine],
                mode="markers",
                name=html.escape(country_names.get(code, code)),
                marker={"size": 10, "color": palette.get(code, OTHER), "symbol": "circle"},
                hovertext=[f"<b>{html.escape(str(names[o]))}</b><br>in {counts[o]} items" for o in mine],
                hoverinfo="text",
                customdata=[f"org:{o}" for o in mine],
            )
        )
    titles = view.items.set_index("item")["title"]
    for item_type, symbol in (("agreement", "square"), ("action", "diamond")):
        mine = [i for i in item_keys if i.startswith(item_type + ":")]
        fig.add_trace(
            go.Scatter(
                x=[where[i][0] for i in mine],
                y=[where[i][1] for i in mine],
                mode="markers",
                name=f"{item_type}s",
                marker={"size": 9, "color": "#444", "symbol": symbol},
                hovertext=[f"<b>{html.escape(str(titles[i]))}</b><br>{item_type}" for i in mine],
                hoverinfo="text",
                customdata=mine,
            )
        )
    fig.update_layout(
        height=640,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        plot_bgcolor="white",
        dragmode="pan",
    )
    return fig
