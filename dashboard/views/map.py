"""Map: where the organisations in view are, how involved each region is, and which regions work together."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from analysis.places import place_organisations
from analysis.words import plural
from charts import map as mapping
from charts.map import MapData
from charts.report import Charts
from dashboard import state
from dashboard.downloads import chart_downloads, share_and_bundle, table_download
from dashboard.layout import header

CHART_KEY = "map_deck"
PLACE_KEY = "map_place"
CLICKED_KEY = "_map_clicked"


def _swatches(table: pd.DataFrame) -> Styler:
    """The table with its `colour` cells painted in their own colour (a legend without HTML)."""
    return table.style.apply(lambda col: [f"background-color: {c}; color: {c}" for c in col], subset=["colour"])


def _legend(data: MapData) -> None:
    countries, shading, reading = st.columns([4, 3, 4])
    with countries:
        st.markdown("**Organisations, coloured by country**")
        st.dataframe(
            _swatches(mapping.colour_legend(data)),
            hide_index=True,
            height=min(35 * (len(data.palette) + 1) + 3, 300),
            column_config={
                "colour": st.column_config.TextColumn("Colour", width="small"),
                "country": "Country",
                "organisations": "Organisations in view",
            },
        )
    with shading:
        st.markdown("**Shading of regions**")
        st.dataframe(
            _swatches(mapping.shade_legend(data.top)),
            hide_index=True,
            column_config={
                "colour": st.column_config.TextColumn("Shade", width="small"),
                "items": "Agreements and actions",
            },
        )
    with reading:
        st.markdown("**How to read it**")
        st.markdown(
            "- A **region** (NUTS 2) is shaded by the number of distinct agreements and actions in view that "
            "involve at least one of its organisations; countries outside NUTS coverage are shaded as a whole "
            "on the same scale.\n"
            f"- A **point** is an organisation; its size grows with its number of distinct partners (the largest: "
            f"{plural(data.top_degree, '{count} partner', '{count} partners')}).\n"
            "- An **arc** joins two regions that share agreements or actions; its width grows with how many (the "
            f"thickest: {data.top_weight:,} shared).\n"
            "- Hover for names and counts; click a region or an organisation to list the region's organisations."
        )
        st.caption(
            "Boundaries: © EuroGeographics for the administrative boundaries (NUTS 2021, Eurostat GISCO). "
            "Made with Natural Earth."
        )


def _coverage(data: MapData) -> None:
    placed = data.placement
    drawn, total = len(data.points), len(data.organisations) - placed["unplaced"]
    points = (
        f"all {total:,} placed organisations"
        if drawn == total
        else f"the {drawn:,} most connected of {total:,} placed organisations"
    )
    arcs = (
        f"all {data.arcs_total:,} links between regions"
        if len(data.arcs) == data.arcs_total
        else f"the {len(data.arcs):,} heaviest of {data.arcs_total:,} links between regions (all are in the tables)"
    )
    far = f" {data.far:,} of them lie outside Europe: zoom out to see them." if data.far else ""
    st.caption(f"Drawn: {points}, and {arcs}.{far}")
    st.caption(
        f"Placed by centroid: {placed['region']:,} organisations at their region's centre and {placed['country']:,} "
        f"at their country's centre (no coordinates given); {placed['unplaced']:,} cannot be placed at all."
    )


def _place_chooser(data: MapData, clicked: str | None) -> str | None:
    """A selectbox of the shaded places, kept in step with clicks on the map (the keyboard way to the same list)."""
    names = data.country_names
    labels = {
        row.region: f"{row.name} ({row.region}, {names.get(row.country, row.country)})"
        for row in data.regions.itertuples(index=False)
    }
    labels |= {
        row.country: f"{names.get(row.country, row.country)} (whole country)"
        for row in data.countries.itertuples(index=False)
    }
    # A new click moves the selectbox; the same selection seen again on a rerun must not undo a later choice.
    if clicked != st.session_state.get(CLICKED_KEY):
        st.session_state[CLICKED_KEY] = clicked
        if clicked in labels:
            st.session_state[PLACE_KEY] = clicked
    if st.session_state.get(PLACE_KEY) not in labels:
        st.session_state.pop(PLACE_KEY, None)  # chosen under other filters
    return st.selectbox(
        "Organisations of region",
        sorted(labels, key=lambda code: labels[code].lower()),
        format_func=labels.get,
        index=None,
        placeholder="Choose a region, or click one on the map",
        key=PLACE_KEY,
    )


def _place_details(data: MapData, place: str) -> None:
    orgs = place_organisations(data.organisations, place)
    st.markdown(f"**{plural(len(orgs), '{count} organisation', '{count} organisations')} in view**")
    st.dataframe(
        orgs,
        hide_index=True,
        column_config={
            "name": "Organisation",
            "country": "Country",
            "kind": "Kind",
            "items": st.column_config.NumberColumn("Agreements and actions", help="Distinct, in view"),
        },
    )


def _tables(charts: Charts, data: MapData) -> None:
    st.subheader("The map as tables")
    with st.container(key="map_regions"):
        st.markdown(f"**{len(data.regions):,} regions (NUTS 2)**")
        st.dataframe(
            data.regions,
            hide_index=True,
            column_config={
                "region": "Region",
                "name": "Name",
                "country": "Country",
                "agreements": "Agreements",
                "actions": "Actions",
                "items": st.column_config.NumberColumn(
                    "Agreements and actions", help="Distinct agreements and actions involving the region (shading)"
                ),
                "organisations": "Organisations",
                "inside": st.column_config.NumberColumn(
                    "Within the region", help="Agreements and actions with two or more of its organisations"
                ),
            },
        )
    with st.container(key="map_links"):
        st.markdown(f"**{len(data.links):,} links between regions**")
        st.dataframe(
            data.links.head(mapping.LINKS_SHOWN),
            hide_index=True,
            column_config={
                "a": "Region A",
                "a_name": "Name A",
                "b": "Region B",
                "b_name": "Name B",
                "weight": st.column_config.NumberColumn("Shared", help="Distinct agreements and actions"),
            },
        )
        if len(data.links) > mapping.LINKS_SHOWN:
            st.caption(f"The {mapping.LINKS_SHOWN:,} heaviest are listed; the download has all {len(data.links):,}.")
        table_download(charts, "Download the region links (CSV)", lambda: data.links, "region-links", "map_links_csv")
    if len(data.countries):
        with st.container(key="map_countries"):
            st.markdown(f"**{len(data.countries):,} countries outside NUTS coverage (shaded as a whole)**")
            st.dataframe(
                data.countries,
                hide_index=True,
                column_config={
                    "country": "Country",
                    "agreements": "Agreements",
                    "actions": "Actions",
                    "items": st.column_config.NumberColumn("Agreements and actions", help="Shading"),
                    "organisations": "Organisations",
                },
            )


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    header(
        "Map",
        insights,
        "Where the organisations in view are, how involved each region is, and which regions work together.",
    )
    with st.spinner("Placing organisations on the map…"):
        data = charts.map_data()
    if data.organisations.empty:
        st.warning("No organisation matches these filters.")
        share_and_bundle(charts, "map")
        return
    event = st.pydeck_chart(
        mapping.deck(data),
        on_select="rerun",
        selection_mode="single-object",
        key=CHART_KEY,
        height=mapping.MAP_SIZE[1],
        alt="Map of regions shaded by involvement, organisations as points and arcs between regions; "
        "the same values are in the tables below.",
    )
    _coverage(data)
    chart_downloads(charts, charts.map(), "map")
    _legend(data)

    st.subheader("Organisations of a region")
    place = _place_chooser(data, mapping.selected_place(event.selection))
    if place:
        with st.container(key="map_place_orgs"):
            _place_details(data, place)
    _tables(charts, data)
    share_and_bundle(charts, "map")
