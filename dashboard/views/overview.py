"""Overview: the slice in four numbers, who brokers between countries, a plain reading, and how far to trust it."""

from __future__ import annotations

import streamlit as st

from analysis import i18n
from analysis.funding import CONTRIBUTION
from analysis.i18n import _
from analysis.insights import KPI_CONTRIBUTION
from dashboard import links, state
from dashboard.downloads import chart_downloads, share_and_bundle
from dashboard.layout import header
from dashboard.safe import md


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    header(
        _("Overview"),
        insights,
        _(
            "How creative-industry clusters work with partners across Europe: who signed which agreements "
            "and who joined which joint actions."
        ),
    )
    tiles = {_(label): i18n.integer(value) for label, value in insights.kpis().items()}
    if insights.has_amounts:  # a dataset without amounts has no money to show, not a zero
        money = insights.money()
        # Participations in view, none with an amount: unknown, not zero (no participation at all: nothing received)
        unknown = money.participations > 0 and money.participations == money.without_amount
        tiles[_(KPI_CONTRIBUTION)] = _("no amount given") if unknown else i18n.euros(money.contribution_eur)
    for column, (label, value) in zip(st.columns(len(tiles)), tiles.items(), strict=True):
        column.metric(label, value, help=_(CONTRIBUTION.definition) if label == _(KPI_CONTRIBUTION) else None)

    left, right = st.columns([3, 2])
    with left:
        st.subheader(_("Reading the network"))
        st.markdown("\n".join(f"- {md(sentence)}" for sentence in insights.reading()))
    with right:
        st.subheader(_("Top brokers"))
        st.caption(_("Organisations tied to partners in the most other countries."))
        brokers = insights.brokers(10)
        if brokers.empty:
            st.write(_("No organisation in view is tied to another country."))
        else:
            st.dataframe(
                links.with_pages(brokers, "node", "organisation")[
                    ["label", "country", "brokerage", "partners", "page"]
                ],
                hide_index=True,
                column_config={
                    "label": _("Organisation"),
                    "country": _("Country"),
                    "brokerage": st.column_config.NumberColumn(_("Other countries"), help=_("Brokerage")),
                    "partners": st.column_config.NumberColumn(_("Partners"), help=_("Distinct organisations linked")),
                    links.PAGE_COLUMN: links.page_column(),
                },
            )

    if not insights.view.organisations.empty:
        st.subheader(_("Countries in view"))
        chart = charts.countries()
        st.plotly_chart(
            chart.figure,
            key="overview_countries",
            config={"displaylogo": False},
            alt=_(
                "Organisations in view per country; the download holds the same numbers with agreements and actions."
            ),
        )
        chart_downloads(charts, chart, "countries")
        with st.expander(_("The same numbers as a table")):
            st.dataframe(chart.table, hide_index=True)

    st.subheader(_("Coverage of this slice"))
    c = insights.coverage()
    rows = [
        (_("Organisations placed at their own coordinates"), c.placed_by_coordinates),
        (_("Organisations placed at their region's centre (no coordinates)"), c.placed_by_region),
        (_("Organisations placed at their country's centre (no coordinates, no region)"), c.placed_by_country),
        (_("Organisations that cannot be placed on the map"), c.unplaced),
        (_("Agreements and actions dated only to the month"), c.dated_to_month),
        (_("Agreements and actions dated only to the year"), c.dated_to_year),
        (
            _("Agreements and actions whose dates carry a note on what they stand for (see the timeline's hover)"),
            c.dates_noted,
        ),
        (_("Organisations in the dataset in no agreement and no action (never shown)"), c.organisations_in_nothing),
    ]
    if insights.has_amounts:
        rows.append(
            (
                _("Participations in actions that carry no amount (not counted in the EU contribution)"),
                insights.money().without_amount,
            )
        )
    st.dataframe([{_("What"): what, _("Count"): i18n.integer(count)} for what, count in rows], hide_index=True)
    st.caption(
        _("Out of {organisations} organisations and {items} agreements and actions in view.").format(
            organisations=i18n.integer(c.organisations), items=i18n.integer(c.items)
        )
    )
    if c.placed_by_coordinates and c.coordinate_sources:
        titles = "; ".join(f"“{md(title)}”" for title in c.coordinate_sources)
        st.caption(_("Where the coordinates come from: {titles}.").format(titles=titles))
    share_and_bundle(charts, "")  # the Overview is the app's root
