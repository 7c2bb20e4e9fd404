"""Map: where the organisations in view are, how involved each region is, and which regions work together."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from analysis import i18n
from analysis.funding import CONTRIBUTION, ITEMS, MAP_MEASURES, MEASURES, PER_INHABITANT
from analysis.i18n import _
from analysis.places import place_organisations
from analysis.words import kind_label, plural
from charts import map as mapping
from charts.map import MapData
from charts.report import Charts
from dashboard import language, links, measure, state
from dashboard.downloads import chart_downloads, share_and_bundle, table_download
from dashboard.layout import header

CHART_KEY = "map_deck"
PLACE_KEY = "map_place"
CLICKED_KEY = "_map_clicked"


def _swatches(table: pd.DataFrame) -> Styler:
    """The table with its `colour` cells painted in their own colour (a legend without HTML)."""
    return table.style.apply(lambda col: [f"background-color: {c}; color: {c}" for c in col], subset=["colour"])


def _country(data: MapData, code: str) -> str:
    """A country's name as said in the language spoken (the dataset's own name in English)."""
    return i18n.country_name(code, data.country_names.get(code))


def _in_words(table: pd.DataFrame, column: str, say: Callable[[str], str]) -> pd.DataFrame:
    """A copy of a table to show, one column's codes said in words (the downloads keep the codes)."""
    shown = table.copy()
    shown[column] = [say(v) if isinstance(v, str) and v else v for v in shown[column]]
    return shown


def _legend(data: MapData) -> None:
    countries, shading, reading = st.columns([4, 3, 4])
    with countries:
        st.markdown(_("**Organisations, coloured by country**"))
        # The legend names each country as the dataset does: said in the language spoken, by its code.
        given = {data.country_names.get(code, code): code for code in data.palette}
        legend = _in_words(mapping.colour_legend(data), "country", lambda n: _country(data, given.get(n, n)))
        st.dataframe(
            _swatches(legend),
            hide_index=True,
            height=min(35 * (len(data.palette) + 1) + 3, 300),
            column_config={
                "colour": st.column_config.TextColumn(_("Colour"), width="small"),
                "country": _("Country"),
                "organisations": _("Organisations in view"),
            },
        )
    with shading:
        st.markdown(_("**Shading of regions**"))
        measure = MEASURES[data.measure]
        legend = mapping.shade_legend(data.top, data.measure)
        legend[measure.column] = [mapping.shade_value(v, data.measure) for v in legend[measure.column]]
        st.dataframe(
            _swatches(legend),
            hide_index=True,
            column_config={
                "colour": st.column_config.TextColumn(_("Shade"), width="small"),
                measure.column: _(measure.label),
            },
        )
    with reading:
        st.markdown(_("**How to read it**"))
        points = plural(data.top_degree, "{count} partner", "{count} partners")
        st.markdown(
            "\n".join(
                f"- {line}"
                for line in (
                    _shading_words(data),
                    _(
                        "A **point** is an organisation; its size grows with its number of distinct partners (the "
                        "largest: {partners})."
                    ).format(partners=points),
                    _(
                        "An **arc** joins two regions that share agreements or actions; its width grows with how many "
                        "(the thickest: {shared} shared)."
                    ).format(shared=i18n.integer(data.top_weight)),
                    _(
                        "Hover for names and counts; click a region or an organisation to list the region's "
                        "organisations."
                    ),
                )
            )
        )
        st.caption(
            _(
                "Boundaries: © EuroGeographics for the administrative boundaries (NUTS 2021, Eurostat GISCO). "
                "Made with Natural Earth."
            )
        )


def _shading_words(data: MapData) -> str:
    """How the regions are shaded, for the measure chosen."""
    if data.measure == ITEMS.name:
        return _(
            "A **region** (NUTS 2) is shaded by the number of distinct agreements and actions in view that involve at "
            "least one of its organisations; countries outside NUTS coverage are shaded as a whole on the same scale."
        )
    measure = MEASURES[data.measure]
    return _(
        "A **region** (NUTS 2) is shaded by its {measure}: {definition}. Countries outside NUTS coverage are shaded "
        "as a whole on the same scale; a place with no value is pale grey."
    ).format(measure=measure.words, definition=_(measure.definition))


def _coverage(data: MapData) -> None:
    placed = data.placement
    number = i18n.integer
    drawn, total = len(data.points), len(data.organisations) - placed["unplaced"]
    points = (
        _("all {total} placed organisations").format(total=number(total))
        if drawn == total
        else _("the {drawn} most connected of {total} placed organisations").format(
            drawn=number(drawn), total=number(total)
        )
    )
    arcs = (
        _("all {total} links between regions").format(total=number(data.arcs_total))
        if len(data.arcs) == data.arcs_total
        else _("the {drawn} heaviest of {total} links between regions (all are in the tables)").format(
            drawn=number(len(data.arcs)), total=number(data.arcs_total)
        )
    )
    said = [_("Drawn: {organisations}, and {links}.").format(organisations=points, links=arcs)]
    if data.far:
        said.append(
            plural(
                data.far,
                "{count} of them lies outside Europe: zoom out to see it.",
                "{count} of them lie outside Europe: zoom out to see them.",
            )
        )
    if data.unshaded:
        said.append(
            plural(
                data.unshaded,
                "{count} place in view has no value for this measure (no amount, or no population figure): it is "
                "pale grey, not shaded.",
                "{count} places in view have no value for this measure (no amount, or no population figure): they "
                "are pale grey, not shaded.",
            )
        )
    st.caption(" ".join(said))
    st.caption(
        _(
            "Placed by centroid: {region} organisations at their region's centre and {country} at their country's "
            "centre (no coordinates given); {unplaced} cannot be placed at all."
        ).format(
            region=number(placed["region"]), country=number(placed["country"]), unplaced=number(placed["unplaced"])
        )
    )


def _place_chooser(data: MapData, clicked: str | None) -> str | None:
    """A selectbox of the shaded places, kept in step with clicks on the map (the keyboard way to the same list)."""
    labels = {
        row.region: f"{row.name} ({row.region}, {_country(data, row.country)})"
        for row in data.regions.itertuples(index=False)
    }
    labels |= {
        row.country: _("{country} (whole country)").format(country=_country(data, row.country))
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
        _("Organisations of region"),
        sorted(labels, key=lambda code: labels[code].lower()),
        format_func=labels.get,
        index=None,
        placeholder=_("Choose a region, or click one on the map"),
        key=language.named(PLACE_KEY),
    )


def _place_details(data: MapData, place: str) -> None:
    orgs = place_organisations(data.organisations, place)
    st.markdown(
        _("**{organisations} in view**").format(
            organisations=plural(len(orgs), "{count} organisation", "{count} organisations")
        )
    )
    links.region_link(place, _("Everything about this place, on its page"), icon=":material/arrow_forward:")
    st.dataframe(
        links.with_pages(_in_words(orgs, "kind", kind_label), "org_id", "organisation").drop(columns="org_id"),
        hide_index=True,
        column_config={
            links.PAGE_COLUMN: links.page_column(),
            "name": _("Organisation"),
            "country": _("Country"),
            "kind": _("Kind"),
            "items": st.column_config.NumberColumn(_("Agreements and actions"), help=_("Distinct, in view")),
        },
    )


def _money_columns() -> dict[str, object]:
    """How the places' money columns are headed, in the language spoken."""
    return {
        "contribution_eur": st.column_config.NumberColumn(
            _("{measure} (EUR)").format(measure=_(CONTRIBUTION.label)), help=_(CONTRIBUTION.definition), format="%.2f"
        ),
        "participations_without_amount": st.column_config.NumberColumn(
            _("Without amount"), help=_("Participations in actions in view that carry no amount")
        ),
        "population": st.column_config.NumberColumn(_("Population"), help=_("Eurostat, 1 January 2023")),
        "contribution_per_inhabitant_eur": st.column_config.NumberColumn(
            _("{measure} (EUR)").format(measure=_(PER_INHABITANT.label)),
            help=_(PER_INHABITANT.definition),
            format="%.2f",
        ),
    }


def _tables(charts: Charts, data: MapData) -> None:
    st.subheader(_("The map as tables"))
    with st.container(key="map_regions"):
        st.markdown(plural(len(data.regions), "**{count} region (NUTS 2)**", "**{count} regions (NUTS 2)**"))
        st.dataframe(
            data.regions,
            hide_index=True,
            column_config={
                "region": _("Region"),
                "name": _("Name"),
                "country": _("Country"),
                "agreements": _("Agreements"),
                "actions": _("Actions"),
                "items": st.column_config.NumberColumn(
                    _("Agreements and actions"),
                    help=_("Distinct agreements and actions involving the region (shading)"),
                ),
                "organisations": _("Organisations"),
                "inside": st.column_config.NumberColumn(
                    _("Within the region"), help=_("Agreements and actions with two or more of its organisations")
                ),
                **_money_columns(),
            },
        )
    with st.container(key="map_links"):
        st.markdown(plural(len(data.links), "**{count} link between regions**", "**{count} links between regions**"))
        st.dataframe(
            data.links.head(mapping.LINKS_SHOWN),
            hide_index=True,
            column_config={
                "a": _("Region A"),
                "a_name": _("Name A"),
                "b": _("Region B"),
                "b_name": _("Name B"),
                "weight": st.column_config.NumberColumn(_("Shared"), help=_("Distinct agreements and actions")),
            },
        )
        if len(data.links) > mapping.LINKS_SHOWN:
            st.caption(
                _("The {shown} heaviest are listed; the download has all {total}.").format(
                    shown=i18n.integer(mapping.LINKS_SHOWN), total=i18n.integer(len(data.links))
                )
            )
        table_download(
            charts, _("Download the region links (CSV)"), lambda: data.links, "region-links", "map_links_csv"
        )
    if len(data.countries):
        with st.container(key="map_countries"):
            st.markdown(
                plural(
                    len(data.countries),
                    "**{count} country outside NUTS coverage (shaded as a whole)**",
                    "**{count} countries outside NUTS coverage (shaded as a whole)**",
                )
            )
            st.dataframe(
                data.countries,
                hide_index=True,
                column_config={
                    "country": _("Country"),
                    "agreements": _("Agreements"),
                    "actions": _("Actions"),
                    "items": st.column_config.NumberColumn(_("Agreements and actions"), help=_("Shading")),
                    "organisations": _("Organisations"),
                    **_money_columns(),
                },
            )


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    header(
        _("Map"),
        insights,
        _("Where the organisations in view are, how involved each region is, and which regions work together."),
    )
    chosen = measure.choose("map", MAP_MEASURES, insights, _("Shade regions by"))
    with st.spinner(_("Placing organisations on the map…")):
        data = charts.map_data(chosen)
    if data.organisations.empty:
        st.warning(_("No organisation matches these filters."))
        share_and_bundle(charts, "map")
        return
    event = st.pydeck_chart(
        mapping.deck(data),
        on_select="rerun",
        selection_mode="single-object",
        key=CHART_KEY,
        height=mapping.MAP_SIZE[1],
        alt=_(
            "Map of regions shaded by involvement, organisations as points and arcs between regions; "
            "the same values are in the tables below."
        ),
    )
    _coverage(data)
    chart_downloads(charts, charts.map(chosen), "map")
    _legend(data)

    st.subheader(_("Organisations of a region"))
    place = _place_chooser(data, mapping.selected_place(event.selection))
    if place:
        with st.container(key="map_place_orgs"):
            _place_details(data, place)
    _tables(charts, data)
    share_and_bundle(charts, "map")
