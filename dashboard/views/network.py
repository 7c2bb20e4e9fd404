"""Network: who is tied to whom, sized and coloured as the analyst chooses; click a node for its details."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis import i18n
from analysis.filters import to_query
from analysis.funding import CONTRIBUTION, LINK_CONTRIBUTION, NETWORK_MEASURES
from analysis.i18n import N_, _
from analysis.insights import Insights
from analysis.items import ROLE_WORDS, TYPE_WORDS
from analysis.metrics import METRICS, SIZE_METRICS, metrics_of, said
from analysis.networks import LEVELS, LevelName
from analysis.search import Hit
from analysis.words import kind_label, listed, plural
from charts.network import left_out, without_note
from charts.report import NETWORK_LIMIT, Charts
from dashboard import language, links, measure, search, state
from dashboard.downloads import chart_downloads, first_rows, share_and_bundle, table_download
from dashboard.language import spoken
from dashboard.layout import header
from dashboard.safe import md
from dashboard.views import partners

URL_PATH = "network"
NODE_KEY = "node"  # in the URL: the organisation whose details are shown (a search result's link sets it)
NODE_WRITTEN = "_net_node_url"  # the organisation this page last wrote to the URL
NODE_PREFIX = "net_node_"  # the node whose details are shown, by level
SEARCH_KEY = "_net_search"
LIMITS = [50, 100, 200, 300, 500]
CLICKED_PREFIX = "_net_clicked_"  # the chart's last click seen, by level
# Nodes are coloured by country or by a metric that groups them (communities); said with `_()` where shown.
COLOURS = {"country": N_("Country")} | {m.name: m.label for m in METRICS.values() if m.colours_nodes}


def page() -> st.Page:
    """The page as st.navigation registers it; its details' search links to it."""
    return st.Page(render, title=_("Network"), url_path=URL_PATH)


def _selected(event: object) -> str | None:
    points = getattr(getattr(event, "selection", None), "points", None) or []
    for point in points:
        value = point.get("customdata")
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str):
            return value
    return None


def _roles(text: object) -> object:
    """`lead, signatory` in the language spoken (words already said stay as they are)."""
    if not isinstance(text, str) or not text:
        return text
    return ", ".join(_(ROLE_WORDS[r]) if r in ROLE_WORDS else r for r in text.split(", "))


def _words(table: pd.DataFrame, say: dict[str, Callable[[object], object]]) -> pd.DataFrame:
    """A copy of a table to show, some columns' codes said in words (the downloads keep the codes)."""
    shown = table.copy()
    for column, word in say.items():
        shown[column] = [word(v) for v in shown[column]]
    return shown


def _kind(code: object) -> object:
    return kind_label(code) if isinstance(code, str) and code else code


def _item_type(code: object) -> object:
    return _(TYPE_WORDS[code]) if code in TYPE_WORDS else code


def _details(charts: Charts, level: LevelName, node: str) -> None:
    insights = charts.insights
    row = insights.metrics_so_far(level)[0].set_index("node").loc[node]  # costly values shown once ready
    st.subheader(_("Details: {name}").format(name=md(row["label"])))
    st.caption(" · ".join([md(row["country"]), *(md(text) for text in said(row, level))]))
    if level == "org":
        links.organisation_link(node, _("The page of {name}").format(name=row["label"]))
        st.page_link(
            partners.page(),
            label=_("Suggest partners for this organisation, with reasons"),
            query_params={**to_query(insights.filters), "org": node},
        )
    else:
        links.region_link(node, _("The page of {name}").format(name=row["label"]))
    items = insights.items_of(level, node)
    left, right = st.columns(2)
    with left:
        st.markdown(_("**Agreements and actions in view ({count})**").format(count=i18n.integer(len(items))))
        st.dataframe(
            _words(
                first_rows(items)[["title", "item_type", "kind", "dates", "role"]],
                {"item_type": _item_type, "kind": _kind, "role": _roles},
            ),
            hide_index=True,
            column_config={
                "title": _("Title"),
                "item_type": _("Type"),
                "kind": _("Kind"),
                "dates": _("Dates"),
                "role": _("Role"),
            },
        )
        stem = f"network-{level}-{node}"
        table_download(charts, _("Its agreements and actions (CSV)"), lambda: items, f"{stem}-items", "details_items")
    with right:
        neighbours = insights.ego(level, node)
        st.markdown(
            plural(
                len(neighbours), "**Ego network: {count} direct partner**", "**Ego network: {count} direct partners**"
            )
        )
        st.dataframe(
            first_rows(neighbours)[["label", "country", "weight", "items"]],
            hide_index=True,
            column_config={
                "label": _("Partner"),
                "country": _("Country"),
                "weight": st.column_config.NumberColumn(_("Shared items"), help=_("Distinct agreements and actions")),
                "items": _("Which"),
            },
        )
        table_download(charts, _("Every partner (CSV)"), lambda: neighbours, f"{stem}-partners", "details_partners")
    st.markdown(_("**Sources of these agreements and actions**"))
    sources = insights.sources_of(level, node)
    if sources.empty:
        st.write(_("No source is cited for these items."))
    else:
        st.dataframe(
            first_rows(sources)[["fact", "title", "publisher", "published_on", "url"]],
            hide_index=True,
            column_config={
                "fact": _("Agreement or action"),
                "title": _("Source"),
                "publisher": _("Publisher"),
                "published_on": _("Published"),
                "url": st.column_config.LinkColumn(_("Link")),
            },
        )
        table_download(
            charts, _("Sources (CSV)"), lambda: sources, f"network-{level}-{node}-sources", "details_sources"
        )


@st.fragment(run_every=1.0)
@spoken
def _filling_in(insights: Insights, level: LevelName) -> None:
    """While the costly metrics of a large network are computed apart: how far they got; the page fills them in
    (a whole rerun) when they are ready. Everything else on the page works meanwhile."""
    job = insights.metrics_job(level)  # asking keeps it going: an unwatched job stops after analysis.jobs' limit
    if job.done:
        st.rerun()
    net = insights.network(level)
    costly = listed([_(m.label).lower() for m in METRICS.values() if m.costly])
    st.progress(
        job.progress,
        text=_(
            "Computing {metrics} of {nodes} nodes and {links} links: {share}. Drawn by degree meanwhile; they fill in "
            "when ready."
        ).format(
            metrics=costly,
            nodes=i18n.integer(len(net.nodes)),
            links=i18n.integer(len(net.links)),
            share=i18n.percent(job.progress),
        ),
    )


def _affiliation(charts: Charts, limit: int) -> None:
    with st.spinner(_("Laying out the affiliation network…")):
        chart = charts.network("affiliation", limit=limit)
    st.plotly_chart(chart.figure, key="net_affiliation", config={"displaylogo": False})
    st.caption(_("Circles are organisations (coloured by country), squares agreements and diamonds actions."))
    chart_downloads(charts, chart, "network")
    st.dataframe(
        _words(chart.table, {"role": _roles}),
        hide_index=True,
        column_config={
            "org_id": _("Organisation id"),
            "organisation": _("Organisation"),
            "country": _("Country"),
            "item": _("Agreement or action id"),
            "title": _("Title"),
            "role": _("Role"),
        },
    )


@st.fragment
@spoken
def _drawn_network(level: LevelName) -> None:
    """The drawing's controls (size, colour, measure, how many nodes), the network drawn and its downloads: a
    fragment, so a new measure or size redraws only the chart, not the node list and metrics table below."""
    charts = state.charts()
    insights = charts.insights
    size_col, colour_col, limit_col = st.columns(3)
    limit = limit_col.select_slider(_("Nodes drawn at most"), LIMITS, value=NETWORK_LIMIT, key="net_limit")
    weigh_by = measure.choose("network", NETWORK_MEASURES, insights, _("Weigh links and size nodes by"))
    if weigh_by == CONTRIBUTION.name:
        size_by = "degree"  # the figure sizes by EU contribution; the drawn part is still chosen by degree
        size_col.caption(
            _(
                "Nodes are sized by their EU contribution, and links drawn wider for more money on them: {definition}."
            ).format(definition=_(LINK_CONTRIBUTION))
        )
    else:
        size_by = size_col.selectbox(
            _("Node size"),
            list(SIZE_METRICS),
            format_func=lambda m: _(SIZE_METRICS[m]),
            key=language.named("net_size"),
        )
    colour_by = colour_col.selectbox(
        _("Colour"), list(COLOURS), format_func=lambda c: _(COLOURS[c]), key=language.named("net_colour")
    )
    metrics, done, _problem = insights.metrics_so_far(level)
    complete = done is None
    if not complete:
        # Drawn at once by what is ready; what the analyst chose is filled in when the costly metrics are.
        size_by = size_by if not METRICS[size_by].costly else "degree"
        colour_by = colour_by if colour_by not in METRICS or not METRICS[colour_by].costly else "country"
    part = charts.drawn(level, limit)[0]
    chart = charts.network(level, size_by, colour_by, limit, complete, weigh_by)
    # What the drawing leaves out is said in the caption under it; the figure without that note is kept with the view.
    key = ("network on the page", level, size_by, colour_by, limit, complete, weigh_by, i18n.language())
    event = st.plotly_chart(
        charts.memo.get(key, lambda: without_note(chart.figure)),
        key=f"net_chart_{level}",
        on_select="rerun",
        selection_mode="points",
        config={"displaylogo": False},
    )
    counts = {
        "drawn": i18n.integer(len(part.nodes)),
        "nodes": i18n.integer(part.total_nodes),
        "links": i18n.integer(len(part.links)),
        "total_links": i18n.integer(part.total_links),
    }
    if note := left_out(level, part):
        st.caption(" ".join([note, _("Click a node for its details.")]))  # our words and numbers: no dataset text
    else:
        st.caption(
            (
                _("Showing all {nodes} nodes and {links} of {total_links} links. Click a node for its details.")
                if part.complete
                else _(
                    "Showing the {drawn} most connected of {nodes} nodes and {links} of {total_links} links. Click a "
                    "node for its details."
                )
            ).format(**counts)
        )
    chart_downloads(charts, chart, "network")
    if weigh_by == CONTRIBUTION.name:
        table_download(
            charts,
            _("Every link's EU contribution (CSV: a, b, contribution_eur)"),
            lambda: insights.link_money(level),  # the whole network's links, made when asked
            f"link-contribution-{level}",
            "net_link_money_csv",
        )
    table_download(
        charts,
        _("Every link of the network (CSV: a, b, weight, first)"),
        lambda: insights.network(level).links[["a", "b", "weight", "first"]],  # made when asked
        f"links-{level}",
        "net_links_csv",
    )
    share_and_bundle(charts, "network")  # here, so the shared link follows the measure
    clicked = _selected(event)
    if clicked != st.session_state.get(f"{CLICKED_PREFIX}{level}"):  # a new click, not the same one seen again
        st.session_state[f"{CLICKED_PREFIX}{level}"] = clicked
        if clicked in set(metrics["node"]):
            st.session_state[f"{NODE_PREFIX}{level}"] = clicked
            st.rerun(scope="app")  # its details are drawn below, by the whole page


def _to_details(hit: Hit) -> None:
    """A search result's link: this page with its details, the filters and the page's other URL keys kept."""
    url = {key: st.query_params[key] for key in st.query_params if key != NODE_KEY}
    st.page_link(page(), label=md(hit.label), query_params={**url, NODE_KEY: hit.id})


def _chosen_organisation(metrics: pd.DataFrame) -> str | None:
    """The organisation whose details are shown: a URL's `node` the page did not write (a search result, a shared
    link) chooses it, as a click on the chart does; found with the search among those in view; kept in the URL."""
    key = f"{NODE_PREFIX}org"
    in_view = set(metrics["node"])
    url = st.query_params.get(NODE_KEY)
    followed = bool(url) and url != st.session_state.get(NODE_WRITTEN)
    if followed:
        if url in in_view:
            st.session_state[key] = url
        else:
            st.warning(_("The link's organisation {org} is not in view: no details are shown.").format(org=md(url)))
    chosen = st.session_state.get(key)
    if chosen not in in_view:
        chosen = st.session_state[key] = None  # a filter change took it out of view
    search.box(
        SEARCH_KEY,
        _("Details of"),
        _("Type part of a name, city or id, or click a node on the chart"),
        link=_to_details,
        kinds=("organisation",),
        among=in_view,
    )
    # Written again after a link was followed: a link to the page it is on leaves the browser's address as it was.
    if followed or st.query_params.get(NODE_KEY) != chosen:
        if chosen is None:
            st.query_params.pop(NODE_KEY, None)
        else:
            st.query_params[NODE_KEY] = chosen
    st.session_state[NODE_WRITTEN] = chosen
    return chosen


def _chosen_place(metrics: pd.DataFrame, level: LevelName) -> str | None:
    """A region or country whose details are shown: a few hundred at most, so a list of them all."""
    labels = metrics.set_index("node")["label"].to_dict()
    return st.selectbox(
        _("Details of"),
        sorted(labels, key=lambda n: str(labels[n]).lower()),
        format_func=lambda n: str(labels[n]),
        index=None,
        placeholder=_("Choose a node, or click one on the chart"),
        key=f"{NODE_PREFIX}{level}",
    )


def _pages(insights: Insights, level: LevelName, nodes: pd.Series) -> dict[str, str | None]:
    """Each node's page (links.page_urls), kept with the view per language: not made again on every run."""

    def made() -> dict[str, str | None]:
        kind = "organisation" if level == "org" else "region"
        return dict(zip(nodes, links.page_urls(nodes, [kind] * len(nodes)), strict=True))

    return insights.memo.get(("network pages", level, i18n.language()), made)


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    header(
        _("Network"),
        insights,
        _(
            "Organisations are linked when they share an agreement or a joint action; "
            "a link's weight counts the distinct agreements and actions they share."
        ),
    )
    level: LevelName = st.segmented_control(
        _("Level"),
        list(LEVELS),
        format_func=lambda n: _(LEVELS[n].label),
        default="org",
        key=language.named("net_level"),
        required=True,
    )
    if not LEVELS[level].one_mode:
        limit = st.select_slider(_("Nodes drawn at most"), LIMITS, value=NETWORK_LIMIT, key="net_limit")
        _affiliation(charts, limit)
        share_and_bundle(charts, "network")
        return
    metrics, done, problem = insights.metrics_so_far(level)
    if metrics.empty:
        st.warning(_("No organisation matches these filters."))
        share_and_bundle(charts, "network")
        return
    complete = done is None
    if not complete:
        if problem:
            st.error(
                _(
                    "Betweenness and communities could not be computed ({problem}); the network is drawn by degree. "
                    "Reload the page to try again."
                ).format(problem=md(problem))
            )
        else:
            _filling_in(insights, level)
    _drawn_network(level)

    chosen = _chosen_organisation(metrics) if level == "org" else _chosen_place(metrics, level)
    if chosen:
        _details(charts, level, chosen)

    st.subheader(_("Metrics table"))
    columns = {m.name: st.column_config.NumberColumn(_(m.label), help=_(m.definition)) for m in metrics_of(level)}
    pages = _pages(insights, level, metrics["node"])
    st.dataframe(
        metrics.assign(**{links.PAGE_COLUMN: metrics["node"].map(pages)}),
        hide_index=True,
        column_config={
            "node": _("Id"),
            "label": _("Name"),
            "country": _("Country"),
            **columns,
            links.PAGE_COLUMN: links.page_column(),
        },
    )
    download = (
        _("All {count} nodes' metrics (CSV)")
        if complete
        else _("All {count} nodes' metrics (CSV, betweenness and community still being computed: empty)")
    )
    table_download(
        charts,
        download.format(count=i18n.integer(len(metrics))),
        lambda: insights.metrics_so_far(level)[0],  # what is ready when the button is pressed
        f"metrics-{level}",
        "net_metrics_csv",
    )
    with st.expander(_("What the metrics mean")):
        st.markdown("\n".join(f"- **{_(m.label)}** (`{m.name}`): {_(m.definition)}" for m in metrics_of(level)))
