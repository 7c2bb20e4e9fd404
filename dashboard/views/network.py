"""Network: who is tied to whom, sized and coloured as the analyst chooses; click a node for its details."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.filters import to_query
from analysis.insights import Insights
from analysis.metrics import METRICS, SIZE_METRICS, metrics_of, said
from analysis.networks import LEVELS, LevelName
from analysis.provenance import item_sources
from charts.report import NETWORK_LIMIT, Charts
from dashboard import state
from dashboard.downloads import chart_downloads, share_and_bundle, table_download
from dashboard.language import spoken
from dashboard.layout import header
from dashboard.safe import md
from dashboard.views import partners

LIMITS = [50, 100, 200, 300, 500]
# Nodes are coloured by country or by a metric that groups them (communities).
COLOURS = {"country": "Country"} | {m.name: m.label for m in METRICS.values() if m.colours_nodes}


def _selected(event: object) -> str | None:
    points = getattr(getattr(event, "selection", None), "points", None) or []
    for point in points:
        value = point.get("customdata")
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str):
            return value
    return None


def _details(insights: Insights, level: LevelName, node: str) -> None:
    row = insights.metrics_so_far(level)[0].set_index("node").loc[node]  # costly values shown once ready
    st.subheader(f"Details: {md(row['label'])}")
    st.caption(" · ".join([md(row["country"]), *(md(text) for text in said(row, level))]))
    if level == "org":
        st.page_link(
            partners.page(),
            label="Suggest partners for this organisation, with reasons",
            query_params={**to_query(insights.filters), "org": node},
        )
    items = insights.items_of(level, node)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Agreements and actions in view ({len(items)})**")
        st.dataframe(
            items[["title", "item_type", "kind", "dates", "role"]],
            hide_index=True,
            column_config={"title": "Title", "item_type": "Type", "kind": "Kind", "dates": "Dates", "role": "Role"},
        )
    with right:
        neighbours = insights.ego(level, node)
        st.markdown(f"**Ego network: {len(neighbours)} direct partners**")
        st.dataframe(
            neighbours[["label", "country", "weight", "items"]],
            hide_index=True,
            column_config={
                "label": "Partner",
                "country": "Country",
                "weight": st.column_config.NumberColumn("Shared items", help="Distinct agreements and actions"),
                "items": "Which",
            },
        )
    st.markdown("**Sources of these agreements and actions**")
    sources = (
        pd.concat(
            [
                item_sources(insights.dataset, item).assign(fact=title)
                for item, title in zip(items["item"], items["title"], strict=True)
            ],
            ignore_index=True,
        )
        if len(items)
        else None
    )
    if sources is None or sources.empty:
        st.write("No source is cited for these items.")
    else:
        st.dataframe(
            sources[["fact", "title", "publisher", "published_on", "url"]],
            hide_index=True,
            column_config={
                "fact": "Agreement or action",
                "title": "Source",
                "publisher": "Publisher",
                "published_on": "Published",
                "url": st.column_config.LinkColumn("Link"),
            },
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
    costly = " and ".join(m.label.lower() for m in METRICS.values() if m.costly)
    st.progress(
        job.progress,
        text=f"Computing {costly} of {len(net.nodes):,} nodes and {len(net.links):,} links: {job.progress:.0%}. "
        "Drawn by degree meanwhile; they fill in when ready.",
    )


def _affiliation(charts: Charts, limit: int) -> None:
    with st.spinner("Laying out the affiliation network…"):
        chart = charts.network("affiliation", limit=limit)
    st.plotly_chart(chart.figure, key="net_affiliation", config={"displaylogo": False})
    st.caption("Circles are organisations (coloured by country), squares agreements and diamonds actions.")
    chart_downloads(charts, chart, "network")
    st.dataframe(chart.table, hide_index=True)


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    header(
        "Network",
        insights,
        "Organisations are linked when they share an agreement or a joint action; "
        "a link's weight counts the distinct agreements and actions they share.",
    )
    level: LevelName = st.segmented_control(
        "Level", list(LEVELS), format_func=lambda n: LEVELS[n].label, default="org", key="net_level", required=True
    )
    size_col, colour_col, limit_col = st.columns(3)
    limit = limit_col.select_slider("Nodes drawn at most", LIMITS, value=NETWORK_LIMIT, key="net_limit")
    if not LEVELS[level].one_mode:
        _affiliation(charts, limit)
        share_and_bundle(charts, "network")
        return
    size_by = size_col.selectbox("Node size", list(SIZE_METRICS), format_func=SIZE_METRICS.get, key="net_size")
    colour_by = colour_col.selectbox("Colour", list(COLOURS), format_func=COLOURS.get, key="net_colour")
    metrics, done, problem = insights.metrics_so_far(level)
    part, _ = charts.drawn(level, limit)
    if metrics.empty:
        st.warning("No organisation matches these filters.")
        share_and_bundle(charts, "network")
        return
    complete = done is None
    if not complete:
        # Drawn at once by what is ready; what the analyst chose is filled in when the costly metrics are.
        size_by = size_by if not METRICS[size_by].costly else "degree"
        colour_by = colour_by if colour_by not in METRICS or not METRICS[colour_by].costly else "country"
        if problem:
            st.error(
                f"Betweenness and communities could not be computed ({md(problem)}); the network is drawn by degree. "
                "Reload the page to try again."
            )
        else:
            _filling_in(insights, level)
    chart = charts.network(level, size_by, colour_by, limit, complete)
    event = st.plotly_chart(
        chart.figure,
        key=f"net_chart_{level}",
        on_select="rerun",
        selection_mode="points",
        config={"displaylogo": False},
    )
    shown = "all" if part.complete else f"the {len(part.nodes):,} most connected of"
    st.caption(
        f"Showing {shown} {part.total_nodes:,} nodes and {len(part.links):,} of {part.total_links:,} links. "
        "Click a node for its details."
    )
    chart_downloads(charts, chart, "network")

    labels = metrics.set_index("node")["label"].to_dict()
    options = sorted(labels, key=lambda n: str(labels[n]).lower())
    clicked = _selected(event)
    if clicked in labels:
        st.session_state[f"net_node_{level}"] = clicked
    chosen = st.selectbox(
        "Details of",
        options,
        format_func=lambda n: str(labels[n]),
        index=None,
        placeholder="Choose a node, or click one on the chart",
        key=f"net_node_{level}",
    )
    if chosen:
        _details(insights, level, chosen)

    st.subheader("Metrics table")
    columns = {m.name: st.column_config.NumberColumn(m.label, help=m.definition) for m in metrics_of(level)}
    st.dataframe(
        metrics, hide_index=True, column_config={"node": "Id", "label": "Name", "country": "Country", **columns}
    )
    pending = "" if complete else ", betweenness and community still being computed: empty"
    table_download(
        charts,
        f"All {len(metrics):,} nodes' metrics (CSV{pending})",
        lambda: insights.metrics_so_far(level)[0],  # what is ready when the button is pressed
        f"metrics-{level}",
        "net_metrics_csv",
    )
    with st.expander("What the metrics mean"):
        st.markdown("\n".join(f"- **{m.name}**: {m.definition}" for m in metrics_of(level)))
    share_and_bundle(charts, "network")
