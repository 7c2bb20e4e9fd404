"""The network drawn with plotly: a seeded layout, sizes by a metric, colours by country or community, escaped hover."""

from __future__ import annotations

import functools
import html
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import i18n
from analysis.backbone import SIGNIFICANCE, backbone
from analysis.funding import CONTRIBUTION
from analysis.i18n import N_, _
from analysis.metrics import said
from analysis.networks import LevelName, Network
from analysis.words import plural
from charts.palette import OTHER, colours

LAYOUT_SEED = 7
LABELLED = 12  # nodes named on the chart; the rest on hover
PLACES = 4  # decimals of drawn positions (layouts span a few tens of units)


# Links per drawn node on average beyond which the backbone is drawn instead of every link. The curated dataset's
# 103 organisations and 500 links (4.9 a node, about ten partners each) still read well (README's screenshot); a
# programme's 200 best-connected organisations have 35 to 60 links a node, nearly all tied to one another, and are
# drawn as one grey mass. Six a node leaves room above the first and lies far below the second.
READABLE = 6
# A drawing of a few hundred lines reads whatever its nodes: the curated 20 countries' 122 links (6.1 a node) are
# drawn in full; a programme's 40 countries, nearly all 780 pairs tied, are thinned.
FEW = 600


@dataclass(frozen=True)
class Drawn:
    """The part of a network that is drawn: at most `limit` nodes, the most connected first, and the links among
    them; `shown` is what the figure draws of those links (all, or the backbone when they are too many to read)."""

    nodes: pd.DataFrame  # metrics rows of the drawn nodes
    links: pd.DataFrame  # every link among them
    total_nodes: int
    total_links: int

    @property
    def complete(self) -> bool:
        return len(self.nodes) == self.total_nodes

    @functools.cached_property
    def shown(self) -> pd.DataFrame:
        """The links drawn: every link among the drawn nodes, or their backbone when there are too many."""
        return readable(list(self.nodes["node"]), self.links)

    @property
    def thinned(self) -> bool:
        """Whether some links among the drawn nodes are left out of the drawing."""
        return len(self.shown) < len(self.links)


def readable(nodes: list[str], links: pd.DataFrame) -> pd.DataFrame:
    """Every link when there are at most READABLE a node or FEW in all, else the backbone (analysis.backbone; ties
    broken by `nodes`' order)."""
    if len(links) <= max(READABLE * len(nodes), FEW):
        return links
    return links[backbone(links, nodes).kept].reset_index(drop=True)


def drawn(net: Network, metrics: pd.DataFrame, limit: int) -> Drawn:
    """Keep the `limit` nodes of highest degree (ties: weighted degree, then name) and the links among them."""
    ranked = metrics.sort_values(["degree", "weighted_degree", "label"], ascending=[False, False, True])
    kept = ranked.head(limit)
    inside = set(kept["node"])
    links = net.links[net.links["a"].isin(inside) & net.links["b"].isin(inside)]
    return Drawn(kept.reset_index(drop=True), links.reset_index(drop=True), len(metrics), len(net.links))


# What a thinned drawing leaves out, by level and by whether every node is drawn: said under the chart and in its files.
LEFT_OUT = {
    ("org", False): N_(
        "Drawn: the {drawn} most connected of {nodes} organisations and the {shown} strongest of the {among} links "
        "among them (the disparity filter at {level}, and each organisation's strongest link); every link is in the "
        "organisations' details and in the download of every link."
    ),
    ("org", True): N_(
        "Drawn: all {nodes} organisations and the {shown} strongest of their {among} links (the disparity filter at "
        "{level}, and each organisation's strongest link); every link is in the organisations' details and in the "
        "download of every link."
    ),
    ("country", False): N_(
        "Drawn: the {drawn} most connected of {nodes} countries and the {shown} strongest of the {among} links among "
        "them (the disparity filter at {level}, and each country's strongest link); every link is in the countries' "
        "details and in the download of every link."
    ),
    ("country", True): N_(
        "Drawn: all {nodes} countries and the {shown} strongest of their {among} links (the disparity filter at "
        "{level}, and each country's strongest link); every link is in the countries' details and in the download "
        "of every link."
    ),
    ("region", False): N_(
        "Drawn: the {drawn} most connected of {nodes} regions and the {shown} strongest of the {among} links among "
        "them (the disparity filter at {level}, and each region's strongest link); every link is in the regions' "
        "details and in the download of every link."
    ),
    ("region", True): N_(
        "Drawn: all {nodes} regions and the {shown} strongest of their {among} links (the disparity filter at "
        "{level}, and each region's strongest link); every link is in the regions' details and in the download of "
        "every link."
    ),
}
NOTE_NAME = "left out"  # the figure's annotation saying what the drawing leaves out (its files carry it)
NOTE_WIDTH = 120  # characters to a line of that annotation: it fits under a PNG or SVG of the chart


def left_out(level: LevelName, part: Drawn) -> str | None:
    """The sentence saying which links a thinned drawing leaves out, in the language spoken; None when all are drawn."""
    if not part.thinned:
        return None
    return _(LEFT_OUT[(level, part.complete)]).format(
        drawn=i18n.integer(len(part.nodes)),
        nodes=i18n.integer(part.total_nodes),
        shown=i18n.integer(len(part.shown)),
        among=i18n.integer(len(part.links)),
        level=i18n.decimal(SIGNIFICANCE, 2),
    )


def with_note(fig: go.Figure, note: str) -> None:
    """The note written under the plot, wrapped, as part of the figure (so its PNG, SVG and HTML say it too)."""
    lines = textwrap.wrap(note, NOTE_WIDTH)
    fig.add_annotation(
        name=NOTE_NAME,
        text="<br>".join(html.escape(line, quote=False) for line in lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-4,
        align="left",
        showarrow=False,
        font={"size": 12, "color": "#555"},
    )
    fig.update_layout(margin={"b": 10 + 18 * len(lines)})


def without_note(fig: go.Figure) -> go.Figure:
    """The figure as the page shows it: the page says the note in a caption under the chart instead."""
    if not any(a.name == NOTE_NAME for a in fig.layout.annotations):
        return fig
    page = go.Figure(fig)
    page.layout.annotations = [a for a in fig.layout.annotations if a.name != NOTE_NAME]
    page.update_layout(margin={"b": 10})
    return page


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
        # A graph of its own, not graph.subgraph(): a subgraph view can list its nodes in set order, which
        # changes with Python's hash seed, and so would the layout from one server start to the next.
        sub = nx.Graph()
        sub.add_nodes_from(part)
        sub.add_edges_from(graph.edges(part, data=True))
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


def link_lines(
    where: Mapping[str, tuple[float, float]], pairs: Iterable[tuple[str, str]]
) -> tuple[list[float | None], list[float | None]]:
    """Links as one path for a plotly line trace: each from end to end, None between them. Rounded to 4 decimals, far
    below a pixel: a large network's links are most of its figure, and full floats made it 2.5 times the size."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for a, b in pairs:
        xs += [round(where[a][0], PLACES), round(where[b][0], PLACES), None]
        ys += [round(where[a][1], PLACES), round(where[b][1], PLACES), None]
    return xs, ys


def link_path(where: Mapping[str, tuple[float, float]], pairs: Iterable[tuple[str, str]]) -> str:
    """Links as one SVG path in data coordinates, for a plotly shape. A line trace with gaps is drawn as one <path>
    element per link, which at thousands of links costs the browser most of a redraw; a shape is one element."""
    return "".join(
        f"M{where[a][0]:.{PLACES}f},{where[a][1]:.{PLACES}f}L{where[b][0]:.{PLACES}f},{where[b][1]:.{PLACES}f}"
        for a, b in pairs
    )


def link_shape(path: str, width: float, colour: str) -> dict[str, object]:
    """A shape drawing links (link_path) under the markers."""
    return {
        "type": "path",
        "path": path,
        "xref": "x",
        "yref": "y",
        "layer": "below",
        "line": {"width": width, "color": colour},
    }


def marker_sizes(values: pd.Series, smallest: float = 7, largest: float = 26) -> np.ndarray:
    """Marker diameters growing with the square root of the metric (area reads as amount)."""
    v = np.sqrt(values.astype(float).clip(lower=0).to_numpy())
    if len(v) == 0 or v.max() == v.min():
        return np.full(len(v), (smallest + largest) / 2)
    return smallest + (v - v.min()) / (v.max() - v.min()) * (largest - smallest)


def short(label: str, width: int = 28) -> str:
    """Chart labels stay short; the hover has the whole name."""
    return label if len(label) <= width else label[: width - 1] + "…"


def hover_text(row: pd.Series, country_names: dict[str, str], level: LevelName = "org", money: bool = False) -> str:
    """Escaped hover text: the name, the country (as `country_names` says it), then the level's metrics two to a line
    (analysis.metrics.said), and its EU contribution when `money`. Plotly renders some HTML tags, and dataset text is
    untrusted."""
    country = country_names.get(row["country"], row["country"])
    values = said(row, level)
    if money:
        amount = row.get(MONEY)
        values.insert(
            0,
            _("EU contribution {amount}").format(amount=i18n.euros(amount))
            if pd.notna(amount)
            else _("no EU contribution given"),
        )
    pairs = [" · ".join(values[i : i + 2]) for i in range(0, len(values), 2)]
    return "<br>".join([f"<b>{html.escape(str(row['label']))}</b>", html.escape(f"{country}"), *pairs])


LINK_WIDTHS = (0.6, 1.4, 2.6, 4.2)  # links weighed by money: a few widths, from the lightest quarter to the heaviest
MONEY = CONTRIBUTION.column  # the column of nodes and links weighed by EU contribution


def link_classes(links: pd.DataFrame, money: bool) -> list[tuple[float, pd.DataFrame]]:
    """Links grouped by the width they are drawn with: all thin, or (`money`) by quarter of their EU contribution."""
    if not money or links.empty:
        return [(LINK_WIDTHS[0], links)]
    value = links[MONEY].fillna(0).to_numpy(dtype=float)
    top = value.max()
    if top <= 0:
        return [(LINK_WIDTHS[0], links)]
    step = np.minimum((np.sqrt(value / top) * len(LINK_WIDTHS)).astype(int), len(LINK_WIDTHS) - 1)
    return [(w, links[step == i]) for i, w in enumerate(LINK_WIDTHS) if (step == i).any()]


def figure(
    net: Network,
    part: Drawn,
    where: dict[str, tuple[float, float]],
    size_by: str,
    colour_by: str,
    country_names: dict[str, str],
    all_countries: list[str],
    money: bool = False,
) -> go.Figure:
    """Links as grey traces (wider for more money when `money`; the backbone only when too many to read, said in a note
    under the plot), nodes as one trace per colour group (so the legend names them); words in the language spoken,
    countries as `country_names` names them."""
    fig = go.Figure()
    for width, links in link_classes(part.shown, money):
        fig.add_shape(link_shape(link_path(where, zip(links["a"], links["b"], strict=True)), width, "#b8bcc2"))
    nodes = part.nodes.copy()
    if net.level == "country":  # a country's node is named as every page names it, in the language spoken
        nodes["label"] = [country_names.get(n, label) for n, label in zip(nodes["node"], nodes["label"], strict=True)]
    nodes["size"] = marker_sizes(nodes[size_by].fillna(0))  # no amount: the smallest
    nodes["x"] = nodes["node"].map(lambda n: where[n][0])
    nodes["y"] = nodes["node"].map(lambda n: where[n][1])
    labelled = set(nodes.sort_values(size_by, ascending=False).head(LABELLED)["node"])
    if colour_by == "community":
        groups = nodes["community"].astype(str)
        palette = colours(sorted(groups.unique(), key=int))  # community 1 is the largest
        palette.update({g: OTHER for g in groups.unique() if int(g) > 20})
        names = {g: _("community {number}").format(number=g) for g in groups.unique()}
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
                hovertext=[hover_text(r, country_names, net.level, money) for _i, r in rows.iterrows()],
                hoverinfo="text",
                customdata=rows["node"].to_numpy(),
            )
        )
    fig.update_layout(
        height=640,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        legend={"title": {"text": _("Community") if colour_by == "community" else _("Country")}},
        plot_bgcolor="white",
        dragmode="pan",
    )
    if note := left_out(net.level, part):
        with_note(fig, note)
    return fig


ITEM_SYMBOLS = {"agreement": "square", "action": "diamond"}
ITEM_WORDS = {"agreement": (N_("agreements"), N_("agreement")), "action": (N_("actions"), N_("action"))}


def affiliation_figure(part: Network, country_names: dict[str, str], all_countries: list[str]) -> go.Figure:
    """The two-mode network drawn: organisations as circles coloured by country, items as squares and diamonds."""
    nodes = part.nodes.set_index("node", drop=False)
    is_org = nodes["mode"] == "organisation"
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes.index[is_org]))
    graph.add_nodes_from(sorted(nodes.index[~is_org]))
    graph.add_edges_from(zip(part.edges["a"], part.edges["b"], strict=True))
    where = nx.spring_layout(graph, seed=LAYOUT_SEED, iterations=60) if graph.number_of_nodes() else {}
    fig = go.Figure()
    fig.add_shape(link_shape(link_path(where, graph.edges), 0.5, "#c5c8cc"))
    palette = colours(all_countries)
    items_of = part.edges.groupby("a")["b"].nunique()
    orgs = nodes[is_org].reset_index(drop=True).assign(items=lambda t: t["node"].map(items_of).fillna(0))
    orgs = orgs.sort_values(["items", "node"], ascending=[False, True])  # the busiest first, as the table
    for code in sorted(orgs["country"].unique()):
        mine = orgs[orgs["country"] == code]
        fig.add_trace(
            go.Scatter(
                x=[where[n][0] for n in mine["node"]],
                y=[where[n][1] for n in mine["node"]],
                mode="markers",
                name=html.escape(country_names.get(code, code)),
                marker={"size": 10, "color": palette.get(code, OTHER), "symbol": "circle"},
                hovertext=[
                    f"<b>{html.escape(str(label))}</b><br>" + plural(int(n), "in {count} item", "in {count} items")
                    for n, label in zip(mine["items"], mine["label"], strict=True)
                ],
                hoverinfo="text",
                customdata=list(mine["node"]),
            )
        )
    for item_type, symbol in ITEM_SYMBOLS.items():
        mine = nodes[nodes["mode"] == item_type]
        many, one = (_(word) for word in ITEM_WORDS[item_type])
        fig.add_trace(
            go.Scatter(
                x=[where[n][0] for n in mine["node"]],
                y=[where[n][1] for n in mine["node"]],
                mode="markers",
                name=many,
                marker={"size": 9, "color": "#444", "symbol": symbol},
                hovertext=[f"<b>{html.escape(str(title))}</b><br>{one}" for title in mine["label"]],
                hoverinfo="text",
                customdata=list(mine["node"]),
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
