"""Two periods drawn side by side: the organisation networks of A and B on one layout (a node stands in the same place
in both), the map of country-to-country ties won and lost and, with amounts, the movers by EU contribution; with the
Compare page's tables and its files."""

from __future__ import annotations

import html
from dataclasses import astuple
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis import i18n
from analysis.cache import FileCache, Memo, memoised
from analysis.comparison import Change, Comparison, Money, Periods, compare
from analysis.filters import Filters
from analysis.funding import CONTRIBUTION
from analysis.geography import EUROPE, country_centroids
from analysis.i18n import N_, _
from analysis.metrics import degrees
from analysis.networks import Network
from analysis.places import in_europe
from analysis.provenance import Provenance
from charts.map_figure import MARGIN, arc_path, land_trace, map_axes
from charts.network import layout, link_lines, marker_sizes, short
from charts.palette import OTHER, colours
from charts.report import Chart, Charts, Exports

# Okabe-Ito blue and vermillion: told apart with the common colour-vision deficiencies, and from the grey of kept ties.
NEW = "#0072B2"
LOST = "#D55E00"
KEPT = "#7d8288"
COMPARE_LIMIT = 100  # organisations drawn in each panel: the most connected in either period
LABELLED = 5

# Column definitions: N_() here, said in the language of the files that carry them (Provenance.about_rows).
NETWORK_COLUMNS = {
    "node": N_("organisation id"),
    "status": N_("joined (a node in B only), left (in A only) or stayed (in both)"),
    "degree_a": N_("distinct partners in period A (0: no node then)"),
    "degree_b": N_("distinct partners in period B (0: no node then)"),
}
COUNTRY_LINK_COLUMNS = {
    "a": N_("ISO code of one country (the first in alphabetical order)"),
    "name_a": N_("its name in the language of the file"),
    "b": N_("ISO code of the other country"),
    "name_b": N_("its name in the language of the file"),
    "status": N_("new (tied in B only), lost (tied in A only) or kept (tied in both)"),
    "weight_a": N_("distinct agreements and actions in period A involving organisations of both countries (0: none)"),
    "weight_b": N_("the same in period B"),
}
LINK_COLUMNS = {
    "a": N_("organisation id (the first in alphabetical order)"),
    "b": N_("organisation id"),
    "status": N_("new (linked in B only), lost (linked in A only) or kept (linked in both)"),
    "weight_a": N_("distinct agreements and actions both took part in during period A (0: not linked)"),
    "weight_b": N_("the same in period B"),
}
MOVER_COLUMNS = {
    "metric": N_(
        "degree (distinct partners), weighted degree (sum of link weights) or betweenness (unweighted, "
        "normalised); the organisations whose value changed most, per metric"
    ),
    "value_a": N_("the value in period A (0 when the organisation is no node then)"),
    "value_b": N_("the value in period B"),
    "change": N_("value in B minus value in A"),
}


_CONTRIBUTION_VALUES = {
    "contribution_eur_a": N_(
        "EU contribution in period A (sum of contribution_eur over its participations in actions then); empty when "
        "none of them carries an amount, 0 when it took part in no action then"
    ),
    "contribution_eur_b": N_("the same in period B"),
    "change_eur": N_(
        "EU contribution in B minus in A; the largest changes either way, those unknown in a period left out"
    ),
    "participations_without_amount_a": N_("participations in actions in period A that carry no amount (not counted)"),
    "participations_without_amount_b": N_("the same in period B"),
}
CONTRIBUTION_MOVER_COLUMNS = {  # by level: the organisations' chart, the countries'
    "org": {
        "id": N_("organisation id"),
        "name": N_("organisation name"),
        "country": N_("ISO 3166-1 alpha-2 code"),
        **_CONTRIBUTION_VALUES,
    },
    "country": {
        "id": N_("ISO 3166-1 alpha-2 code"),
        "name": N_("its name in the language of the file"),
        **_CONTRIBUTION_VALUES,
    },
}
CONTRIBUTION_TITLES = {
    "org": N_("Organisations whose EU contribution changed most, {periods}"),
    "country": N_("Countries whose EU contribution changed most, {periods}"),
}
CONTRIBUTION_NAMES = {"org": "compare-contribution-movers", "country": "compare-country-contribution-movers"}
CONTRIBUTION_TABLES = {"org": "compare-contribution", "country": "compare-country-contribution"}  # every key


def drawn_nodes(degree_a: pd.Series, degree_b: pd.Series, limit: int) -> list[str]:
    """The `limit` organisations with the most partners in either period (ties by id), drawn in both panels."""
    most = pd.concat([degree_a, degree_b], axis=1).fillna(0).max(axis=1)
    table = pd.DataFrame({"node": most.index.astype(str), "most": most.to_numpy()})
    return list(table.sort_values(["most", "node"], ascending=[False, True]).head(limit)["node"])


LINK_STYLES = {  # status -> legend name (said through the catalogue), colour, width, dash
    "kept": (N_("Kept link"), KEPT, 0.8, "solid"),
    "lost": (N_("Lost link (A only)"), LOST, 1.4, "dot"),
    "new": (N_("New link (B only)"), NEW, 1.4, "solid"),
}
NODE_RINGS = {
    "stayed": (N_("Stayed"), "white", 0.5),
    "left": (N_("Left (A only)"), LOST, 3),
    "joined": (N_("Joined (B only)"), NEW, 3),
}
# An organisation's hover line per status: whole sentences, so each language says them its own way.
PARTNERS_IN_BOTH = {
    "stayed": N_("partners: {a} in A, {b} in B (stayed)"),
    "left": N_("partners: {a} in A, {b} in B (left)"),
    "joined": N_("partners: {a} in A, {b} in B (joined)"),
}


def networks_figure(
    change: Change,
    net_a: Network,
    net_b: Network,
    periods: Periods,
    country_names: dict[str, str],
    all_countries: list[str],
    limit: int = COMPARE_LIMIT,
) -> tuple[go.Figure, pd.DataFrame]:
    """A's and B's organisation networks side by side on one seeded layout; lost links and organisations that left
    are marked in A, new links and organisations that joined in B. With one row per drawn organisation. Words in the
    language spoken; `country_names` as it names the countries."""
    degree_a, degree_b = degrees(net_a), degrees(net_b)
    nodes = drawn_nodes(degree_a, degree_b, limit)
    inside = set(nodes)
    links = change.links[change.links["a"].isin(inside) & change.links["b"].isin(inside)]
    where = layout(nodes, links.assign(weight=links[["weight_a", "weight_b"]].max(axis=1)))
    info = pd.concat([net_a.nodes[["node", "label", "country"]], net_b.nodes[["node", "label", "country"]]])
    info = info.drop_duplicates("node", keep="last").set_index("node").loc[nodes]
    table = pd.DataFrame(
        {
            "node": nodes,
            "label": info["label"].to_numpy(),
            "country": info["country"].to_numpy(),
            "status": [
                "joined" if n not in degree_a.index else "left" if n not in degree_b.index else "stayed" for n in nodes
            ],
            "degree_a": degree_a.reindex(nodes).fillna(0).astype(int).to_numpy(),
            "degree_b": degree_b.reindex(nodes).fillna(0).astype(int).to_numpy(),
        }
    )
    # One scale for both panels: a node twice as connected in B looks it.
    sizes = marker_sizes(pd.concat([table["degree_a"], table["degree_b"]], ignore_index=True))
    size_of = {
        "a": dict(zip(table["node"], sizes[: len(table)], strict=True)),
        "b": dict(zip(table["node"], sizes[len(table) :], strict=True)),
    }
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(f"A: {html.escape(periods.a_words)}", f"B: {html.escape(periods.b_words)}"),
        horizontal_spacing=0.02,
    )
    palette = colours(all_countries)
    shown: set[str] = set()
    for col, side, present in ((1, "a", degree_a.index), (2, "b", degree_b.index)):
        mine = links[links[f"weight_{side}"] > 0]
        for status in ("kept", "lost", "new"):
            chosen = mine[mine["status"] == status]
            if chosen.empty:
                continue
            name, colour, width, dash = LINK_STYLES[status]
            xs, ys = link_lines(where, zip(chosen["a"], chosen["b"], strict=True))
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": colour, "width": width, "dash": dash},
                    hoverinfo="skip",
                    name=_(name),
                    legendgroup=status,
                    showlegend=status not in shown,
                ),
                row=1,
                col=col,
            )
            shown.add(status)
        rows = table[table["node"].isin(present)]
        labelled = set(rows.sort_values(f"degree_{side}", ascending=False).head(LABELLED)["node"])
        for status in ("stayed", "left", "joined"):
            group = rows[rows["status"] == status]
            if group.empty:
                continue
            name, ring, ring_width = NODE_RINGS[status]
            fig.add_trace(
                go.Scatter(
                    x=[where[n][0] for n in group["node"]],
                    y=[where[n][1] for n in group["node"]],
                    mode="markers+text",
                    marker={
                        "size": [size_of[side][n] for n in group["node"]],
                        "color": [palette.get(c, OTHER) for c in group["country"]],
                        "line": {"color": ring, "width": ring_width},
                    },
                    text=[html.escape(short(str(r.label))) if r.node in labelled else "" for r in group.itertuples()],
                    textposition="top center",
                    textfont={"size": 10},
                    hovertext=[_hover(r, country_names) for r in group.itertuples()],
                    hoverinfo="text",
                    customdata=group["node"].to_numpy(),
                    name=_(name),
                    legendgroup=status,
                    showlegend=status not in shown,
                ),
                row=1,
                col=col,
            )
            shown.add(status)
    _same_frame(fig, where)
    fig.update_layout(
        height=620,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        plot_bgcolor="white",
        dragmode="pan",
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
    )
    return fig, table


def _hover(row: object, country_names: dict[str, str]) -> str:
    """Escaped: dataset text reaches plotly's HTML."""
    country = country_names.get(row.country, row.country)  # type: ignore[attr-defined]
    partners = _(PARTNERS_IN_BOTH[row.status]).format(  # type: ignore[attr-defined]
        a=i18n.integer(row.degree_a),  # type: ignore[attr-defined]
        b=i18n.integer(row.degree_b),  # type: ignore[attr-defined]
    )
    return f"<b>{html.escape(str(row.label))}</b><br>{html.escape(str(country))}<br>{partners}"  # type: ignore[attr-defined]


def _same_frame(fig: go.Figure, where: dict[str, tuple[float, float]]) -> None:
    """Both panels over the same ranges, so a node stands in the same place in each."""
    if not where:
        xs = ys = [0.0]
    else:
        xs, ys = [p[0] for p in where.values()], [p[1] for p in where.values()]
    pad_x, pad_y = 0.08 * (max(xs) - min(xs)) + 0.5, 0.08 * (max(ys) - min(ys)) + 0.5
    for axis in ("xaxis", "xaxis2"):
        fig.layout[axis].update(range=[min(xs) - pad_x, max(xs) + pad_x], visible=False)
    for axis in ("yaxis", "yaxis2"):  # no fixed aspect: each panel's drawing fills its half of the chart
        fig.layout[axis].update(range=[min(ys) - pad_y, max(ys) + pad_y], visible=False)


def country_links_figure(change: Change, country_names: dict[str, str]) -> tuple[go.Figure, pd.DataFrame]:
    """Country-to-country ties won (B only) and lost (A only) as arcs between the countries' centres, kept ones faint;
    with one row per tie of either period. Words in the language spoken; `country_names` as it names the countries."""
    centres = country_centroids()  # (lat, lon)
    order = {status: i for i, status in enumerate(("new", "lost", "kept"))}
    table = change.links.assign(
        rank=change.links["status"].map(order), most=change.links[["weight_a", "weight_b"]].max(axis=1)
    )
    table = table.sort_values(["rank", "most", "a", "b"], ascending=[True, False, True, True], ignore_index=True)
    table = table.drop(columns=["rank", "most"])
    table.insert(1, "name_a", table["a"].map(lambda c: country_names.get(c, c)))
    table.insert(3, "name_b", table["b"].map(lambda c: country_names.get(c, c)))
    fig = go.Figure()
    fig.add_trace(land_trace())
    placed = table[table["a"].isin(centres) & table["b"].isin(centres)]
    top = max(int(placed[["weight_a", "weight_b"]].to_numpy().max()) if len(placed) else 1, 1)
    for status in ("kept", "lost", "new"):
        name, colour, _width, dash = LINK_STYLES[status]
        chosen = placed[placed["status"] == status]
        if chosen.empty:
            continue
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, b in zip(chosen["a"], chosen["b"], strict=True):
            arc_x, arc_y = arc_path([centres[a][1], centres[a][0]], [centres[b][1], centres[b][0]])
            xs += [*arc_x, None]
            ys += [*arc_y, None]
        weight = chosen[["weight_a", "weight_b"]].max(axis=1)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={
                    "color": colour,
                    "width": 1 if status == "kept" else 1.5 + 3 * float(weight.mean()) / top,
                    "dash": dash,
                },
                opacity=0.7 if status == "kept" else 0.9,
                hoverinfo="skip",
                name=f"{_(name)}: {i18n.integer(len(chosen))}",
            )
        )
    codes = sorted(set(placed["a"]) | set(placed["b"]))
    fig.add_trace(
        go.Scatter(
            x=[centres[c][1] for c in codes],
            y=[centres[c][0] for c in codes],
            mode="markers+text",
            marker={"size": 7, "color": "#333"},
            text=codes,
            textposition="top center",
            textfont={"size": 11},
            hovertext=[html.escape(str(country_names.get(c, c))) for c in codes],
            hoverinfo="text",
            name=_("Country"),
            showlegend=False,
        )
    )
    map_axes(fig, *_bounds([centres[c] for c in codes]))
    fig.update_layout(
        height=620,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        paper_bgcolor="white",
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
    )
    return fig, table


def _bounds(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """west, east, south, north around the countries drawn; Europe's when they lie mostly there."""
    if not points:
        west, south, east, north = EUROPE
        return west, east, south, north
    lats = pd.Series([p[0] for p in points], dtype=float)
    lons = pd.Series([p[1] for p in points], dtype=float)
    inside = in_europe(lats, lons)
    if inside.any():
        lats, lons = lats[inside], lons[inside]
    return lons.min() - MARGIN, lons.max() + MARGIN, lats.min() - MARGIN, lats.max() + MARGIN


def signed_euros(amount: float) -> str:
    """A change in euros with its sign: `+3,000 EUR`, `-600 EUR`."""
    return ("+" if amount > 0 else "") + i18n.euros(amount)


def contribution_movers_figure(table: pd.DataFrame, names: list[str]) -> go.Figure:
    """The movers' change of EU contribution from A to B as horizontal bars, the largest on top: gains blue, losses
    vermillion; `names` label the bars (escaped here: dataset text reaches plotly's HTML)."""
    ids = table["id"].astype(str).tolist()  # bars keyed by id: two organisations may share a name
    hover = [
        "<br>".join(
            [
                f"<b>{html.escape(str(name))}</b>",
                _("in A: {amount}").format(amount=i18n.euros(row.contribution_eur_a)),
                _("in B: {amount}").format(amount=i18n.euros(row.contribution_eur_b)),
                _("change: {amount}").format(amount=signed_euros(row.change_eur)),
            ]
        )
        for name, row in zip(names, table.itertuples(index=False), strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=table["change_eur"].to_numpy(),
            y=ids,
            orientation="h",
            marker={"color": [NEW if change > 0 else LOST for change in table["change_eur"]]},
            hovertext=hover,
            hoverinfo="text",
            name=_(CONTRIBUTION.label),
            showlegend=False,
        )
    )
    fig.update_yaxes(
        type="category",
        autorange="reversed",
        tickvals=ids,
        ticktext=[html.escape(short(str(name))) for name in names],
    )
    fig.update_layout(
        height=max(240, 60 + 32 * len(ids)),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
        xaxis_title=_("Change in EU contribution from A to B (EUR)"),
        xaxis={"zeroline": True, "zerolinecolor": KEPT, "gridcolor": "#eee"},
    )
    return fig


class CompareCharts(Exports):
    """The Compare page's numbers, charts and files for two periods under the same other filters; each period's
    networks and metrics come from that period's own view (`Charts`), shared with the other pages."""

    def __init__(self, periods: Periods, a: Charts, b: Charts, files: FileCache) -> None:
        self.periods = periods
        self.a, self.b = a, b
        self.filters: Filters = periods.shared(a.insights.filters)  # A's programmes are in the periods' words
        self.files = files
        self.memo = Memo()

    def weight(self) -> int:
        """Bytes this comparison holds (each period's view is counted where it is kept)."""
        return self.memo.bytes

    def ready(self) -> bool:
        """Whether both periods' costly metrics (betweenness) are computed, so the movers are complete."""
        return self.a.insights.metrics_ready("org") and self.b.insights.metrics_ready("org")

    def comparison(self) -> Comparison:
        """The comparison with every mover metric ready so far (`pending` names the others)."""
        return self._comparison(self.ready())

    @memoised
    def _comparison(self, ready: bool) -> Comparison:
        return compare(self.periods, self.a.insights, self.b.insights, wait=False)

    @property
    def _country_names(self) -> dict[str, str]:
        return self.b._country_names  # one dataset: the same names

    @memoised
    def networks(self, limit: int = COMPARE_LIMIT) -> Chart:
        found = self.comparison()
        fig, table = networks_figure(
            found.organisations,
            self.a.insights.network("org"),
            self.b.insights.network("org"),
            self.periods,
            self._country_names,
            self.b._all_countries,
            limit,
        )
        title = _("Organisation network, {periods}").format(periods=self.periods.words)
        return Chart("compare-networks", title, fig, table, NETWORK_COLUMNS)

    @memoised
    def country_links(self) -> Chart:
        fig, table = country_links_figure(self.comparison().countries, self._country_names)
        title = _("Ties between countries won and lost, {periods}").format(periods=self.periods.words)
        return Chart("compare-country-links", title, fig, table, COUNTRY_LINK_COLUMNS)

    @property
    def money(self) -> Money | None:
        """Both periods' EU contribution; None when the dataset carries no amounts."""
        return self.comparison().money

    @memoised
    def contribution_movers(self, level: str) -> Chart:
        """The organisations ("org") or countries ("country") whose EU contribution changed most (needs amounts)."""
        money = self.money
        assert money is not None, "the dataset carries no amounts"
        table = money.movers(level)
        if level == "country":  # named as the other charts name countries, in the language spoken
            table = table.assign(
                name=[i18n.country_name(c, n) for c, n in zip(table["id"], table["name"], strict=True)]
            )
        names = table["name"].astype(str).tolist()
        title = _(CONTRIBUTION_TITLES[level]).format(periods=self.periods.words)
        figure = contribution_movers_figure(table, names)
        return Chart(CONTRIBUTION_NAMES[level], title, figure, table, CONTRIBUTION_MOVER_COLUMNS[level])

    def tables(self) -> dict[str, pd.DataFrame]:
        """The comparison's tables in full, by file-name stem (made once per state of the costly metrics)."""
        return self._tables(self.ready())

    @memoised
    def _tables(self, ready: bool) -> dict[str, pd.DataFrame]:
        found = self._comparison(ready)
        orgs = found.organisations
        names = pd.concat([n.nodes[["node", "label", "country"]] for n in self._networks()]).drop_duplicates("node")
        names = names.set_index("node")
        organisations = pd.DataFrame(orgs.nodes(), columns=["status", "node"])
        organisations = organisations.join(names, on="node")[["node", "label", "country", "status"]]
        money = (
            {}
            if found.money is None
            else {CONTRIBUTION_TABLES[level]: getattr(found.money, level) for level in CONTRIBUTION_TABLES}
        )
        return {
            "compare-organisations": organisations,
            "compare-links": orgs.links,
            "compare-movers": found.movers,
            **money,
        }

    def _networks(self) -> tuple[Network, Network]:
        return self.a.insights.network("org"), self.b.insights.network("org")

    def report_charts(self) -> list[Chart]:
        money = [] if self.money is None else [self.contribution_movers(level) for level in CONTRIBUTION_NAMES]
        return [self.networks(), self.country_links(), *money]

    # Files

    def provenance(self, chart: Chart) -> Provenance:
        return self._provenance(chart.title, chart.definitions)

    def _provenance(self, title: str, definitions: dict[str, str] | None = None) -> Provenance:
        """Both periods' sources: every fact either network stands on."""
        sources = pd.concat([self.a.insights.sources(), self.b.insights.sources()]).drop_duplicates("source_id")
        return Provenance(
            title,
            self.filters,
            self.a.insights.dataset.name,
            sources.reset_index(drop=True),
            definitions or {},
            period=self.periods.words,
        )

    def file_name(self, what: str, extension: str) -> str:
        return f"{what}_{self.filters.slug()}_{self.periods.slug()}.{extension}"

    def _key(self, *parts: object) -> tuple:
        dataset = self.a.insights.dataset.fingerprint
        return (dataset, "compare", astuple(self.filters), astuple(self.periods), *parts, date.today())

    def bundle(self) -> bytes:
        """The comparison's charts (PNG, SVG, CSV), its full tables, summary.txt and the sources, zipped."""
        ready = self.ready()
        return self.files.get(self._key("bundle", ready), self._bundle)

    def _bundle(self) -> bytes:
        story = "\n".join(self.comparison().story()) + "\n"
        money = _CONTRIBUTION_VALUES if self.money is not None else {}
        prov = self._provenance(_("ClusterNet comparison of two periods"), LINK_COLUMNS | MOVER_COLUMNS | money)
        return self.zipped(self.report_charts(), self.tables(), prov, {"summary.txt": story.encode("utf-8")})
