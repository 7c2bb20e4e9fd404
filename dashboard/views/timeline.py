"""Timeline: when agreements were signed and joint actions ran, at the precision the sources give, and year by year."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.timeline import ORDERS
from charts.report import Charts
from dashboard import state
from dashboard.downloads import chart_downloads, chart_with_downloads, share_and_bundle
from dashboard.layout import header

LIMITS = [50, 100, 200, 300]
DEFAULT_LIMIT = 200
KEY = (
    "◆ marks an agreement's signing, with a pale band over the whole month or year when only that is known, "
    "and a line for as long as it runs (▶ open-ended: it runs on past the chart's edge). "
    "● marks the start of an action, whose bar runs to its end (an action with no end covers its start's day, "
    "month or year); hollow markers and hatched bars are proposed or planned actions."
)


def _controls() -> tuple[str, int]:
    """The order to draw in and how many items to draw at most."""
    left, right, _ = st.columns([2, 1, 3])
    order = left.selectbox("Order", list(ORDERS), key="timeline_order")
    limit = right.selectbox(
        "Draw at most",
        LIMITS,
        index=LIMITS.index(DEFAULT_LIMIT),
        key="timeline_limit",
        help="A chart of more than a few hundred rows is slow to draw and hard to read; narrow the filters instead.",
    )
    return order, limit


def _drawn_caption(drawn: int, total: int, order: str) -> str:
    if total == 1:
        return "Drawing the one agreement or action in view."
    if drawn == total:
        return f"Drawing all {total:,} agreements and actions in view, ordered by {order.lower()}."
    return (
        f"Drawing {drawn:,} of {total:,} agreements and actions in view: the first {drawn:,} by {order.lower()}. "
        "Change the order or the limit, or narrow the filters, to see others."
    )


def _timeline(charts: Charts, rows: pd.DataFrame) -> None:
    order, limit = _controls()
    chart = charts.timeline(order, limit)
    drawn = chart.table
    st.caption(_drawn_caption(len(drawn), len(rows), order) + " " + KEY)
    st.plotly_chart(
        chart.figure,
        key="timeline_chart",
        config={"displaylogo": False},
        alt=f"Timeline of {len(drawn):,} agreements and actions; the table below lists the same rows.",
    )
    chart_downloads(charts, chart, "timeline")
    st.markdown("**The same rows as a table**")
    st.dataframe(
        drawn,
        hide_index=True,
        placeholder="",
        column_config={
            "title": st.column_config.TextColumn("Title", width="medium"),
            "type": "Type",
            "kind": "Kind",
            "status": "Status",
            "start": st.column_config.TextColumn("Start", help="As written in the data"),
            "end": st.column_config.TextColumn("End", help="As written in the data; empty when not given"),
            "precision": "Precision",
            "organisations": st.column_config.NumberColumn("Organisations", help="Organisations in view"),
            "drawn_from": st.column_config.DateColumn("Drawn from"),
            "drawn_to": st.column_config.DateColumn("Drawn to", help="Open-ended agreements stop at the chart's end"),
        },
    )


def _yearly(charts: Charts) -> None:
    st.subheader("Year by year")
    if charts.insights.yearly().empty:
        st.write("No year to show.")
        return
    chart = charts.yearly()
    chart_with_downloads(
        charts,
        chart,
        "yearly",
        "Agreements and actions active, new links and new partner countries per year; the table below lists them.",
        "Active: agreements and actions whose interval overlaps the year (an open-ended agreement stays active). "
        "New links: pairs of organisations first tied that year. New partner countries: countries whose first "
        "agreement or action in view starts that year.",
    )
    st.markdown("**The same numbers as a table**")
    st.dataframe(chart.table, hide_index=True, column_config={"Year": st.column_config.NumberColumn(format="%d")})


SCOPES_CAPTION = (
    "That year: the organisations and links of the agreements and actions running in that year. Up to that year: "
    "those of every agreement and action from the period's start (or the data's first year) to the end of that year, "
    "so an open-ended agreement counts in every year from its signing on. Components are the network's separate "
    "parts (an organisation with no link is a part of its own); the largest component's share is the share of "
    "organisations in the biggest part."
)


def _steps_caption(drawn: int, total: int) -> str:
    which = (
        f"All {drawn:,} organisations" if drawn == total else f"The {drawn:,} most connected of {total:,} organisations"
    )
    return (
        f"{which} of the period, placed once so that each stays in the same spot: every panel shows those in the "
        "network up to that year and their links. Organisations new that year are ringed in orange, links new that "
        "year drawn in orange."
    )


def _growth(charts: Charts) -> None:
    st.subheader("Growth year by year")
    if charts.insights.growth().empty:
        st.write("The period has no year with a dated agreement or action to show.")
        return
    chart = charts.growth()
    chart_with_downloads(
        charts,
        chart,
        "growth",
        "Organisations, links, countries, components and the largest component's share per year, that year and "
        "up to that year; the table below lists them.",
        SCOPES_CAPTION,
    )
    st.markdown("**The same numbers as a table**")
    st.dataframe(
        chart.table,
        hide_index=True,
        column_config={
            "Year": st.column_config.NumberColumn(format="%d"),
            "Largest component's share": st.column_config.NumberColumn(format="percent"),
        },
    )
    steps = charts.growth_steps()
    st.markdown("**The network growing, year by year**")
    st.caption(_steps_caption(len(steps.table), len(charts.insights.network("org").nodes)))
    chart_with_downloads(
        charts,
        steps,
        "growth_steps",
        "Small multiples of the organisation network, one per year, on one layout; the download lists the "
        "organisations drawn and the year each arrives.",
    )


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    header(
        "Timeline",
        insights,
        "When agreements were signed and joint actions ran, drawn at the precision the sources give "
        "(a date known only to the year covers the whole year).",
    )
    rows = insights.timeline_rows()
    if rows.empty:
        st.info("No agreement or action matches these filters.")
        share_and_bundle(charts, "timeline")
        return
    _timeline(charts, rows)
    _yearly(charts)
    _growth(charts)
    share_and_bundle(charts, "timeline")
