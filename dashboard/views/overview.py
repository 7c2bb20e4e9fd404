"""Overview: the slice in four numbers, who brokers between countries, a plain reading, and how far to trust it."""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.downloads import chart_downloads, share_and_bundle
from dashboard.layout import header
from dashboard.safe import md


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    header(
        "Overview",
        insights,
        "How creative-industry clusters work with partners across Europe: who signed which agreements "
        "and who joined which joint actions.",
    )
    for column, (label, value) in zip(st.columns(4), insights.kpis().items(), strict=True):
        column.metric(label, f"{value:,}")

    left, right = st.columns([3, 2])
    with left:
        st.subheader("Reading the network")
        st.markdown("\n".join(f"- {md(sentence)}" for sentence in insights.reading()))
    with right:
        st.subheader("Top brokers")
        st.caption("Organisations tied to partners in the most other countries.")
        brokers = insights.brokers(10)
        if brokers.empty:
            st.write("No organisation in view is tied to another country.")
        else:
            st.dataframe(
                brokers[["label", "country", "brokerage", "partners"]],
                hide_index=True,
                column_config={
                    "label": "Organisation",
                    "country": "Country",
                    "brokerage": st.column_config.NumberColumn("Other countries", help="Brokerage"),
                    "partners": st.column_config.NumberColumn("Partners", help="Distinct organisations linked"),
                },
            )

    if not insights.view.organisations.empty:
        st.subheader("Countries in view")
        chart = charts.countries()
        st.plotly_chart(
            chart.figure,
            key="overview_countries",
            config={"displaylogo": False},
            alt="Organisations in view per country; the download holds the same numbers with agreements and actions.",
        )
        chart_downloads(charts, chart, "countries")
        with st.expander("The same numbers as a table"):
            st.dataframe(chart.table, hide_index=True)

    st.subheader("Coverage of this slice")
    c = insights.coverage()
    st.dataframe(
        [
            {"What": "Organisations placed at their own coordinates", "Count": c.placed_by_coordinates},
            {"What": "Organisations placed at their region's centre (no coordinates)", "Count": c.placed_by_region},
            {
                "What": "Organisations placed at their country's centre (no coordinates, no region)",
                "Count": c.placed_by_country,
            },
            {"What": "Organisations that cannot be placed on the map", "Count": c.unplaced},
            {"What": "Agreements and actions dated only to the month", "Count": c.dated_to_month},
            {"What": "Agreements and actions dated only to the year", "Count": c.dated_to_year},
            {
                "What": "Agreements and actions whose dates carry a note on what they stand for (see the timeline's "
                "hover)",
                "Count": c.dates_noted,
            },
            {
                "What": "Organisations in the dataset in no agreement and no action (never shown)",
                "Count": c.organisations_in_nothing,
            },
        ],
        hide_index=True,
    )
    st.caption(f"Out of {c.organisations:,} organisations and {c.items:,} agreements and actions in view.")
    if c.placed_by_coordinates and c.coordinate_sources:
        titles = "; ".join(f"“{md(title)}”" for title in c.coordinate_sources)
        st.caption(f"Where the coordinates come from: {titles}.")
    share_and_bundle(charts, "")  # the Overview is the app's root
