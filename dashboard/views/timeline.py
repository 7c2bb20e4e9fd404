"""Timeline: when agreements were signed and joint actions ran, at the precision the sources give, and year by year."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import i18n
from analysis.growth import LABELS as GROWTH_LABELS
from analysis.i18n import N_, _
from analysis.timeline import ORDERS
from analysis.words import plural
from charts.report import Charts
from dashboard import language, state
from dashboard.downloads import chart_downloads, chart_with_downloads, share_and_bundle
from dashboard.layout import header

LIMITS = [50, 100, 200, 300]
DEFAULT_LIMIT = 200
KEY = N_(
    "◆ marks an agreement's signing, with a pale band over the whole month or year when only that is known, "
    "and a line for as long as it runs (▶ open-ended: it runs on past the chart's edge). "
    "● marks the start of an action, whose bar runs to its end (an action with no end covers its start's day, "
    "month or year); hollow markers and hatched bars are proposed or planned actions."
)


def _controls() -> tuple[str, int]:
    """The order to draw in (its English name, the value every language shares) and how many items at most."""
    left, right, __ = st.columns([2, 1, 3])
    order = left.selectbox(_("Order"), list(ORDERS), format_func=_, key=language.named("timeline_order"))
    limit = right.selectbox(
        _("Draw at most"),
        LIMITS,
        index=LIMITS.index(DEFAULT_LIMIT),
        format_func=i18n.integer,
        key=language.named("timeline_limit"),
        help=_("A chart of more than a few hundred rows is slow to draw and hard to read; narrow the filters instead."),
    )
    return order, limit


def _drawn_caption(drawn: int, total: int, order: str) -> str:
    said = _(order).lower()
    if total == 1:
        return _("Drawing the one agreement or action in view.")
    if drawn == total:
        return _("Drawing all {total} agreements and actions in view, ordered by {order}.").format(
            total=i18n.integer(total), order=said
        )
    return _(
        "Drawing {drawn} of {total} agreements and actions in view: the first {drawn} by {order}. "
        "Change the order or the limit, or narrow the filters, to see others."
    ).format(drawn=i18n.integer(drawn), total=i18n.integer(total), order=said)


def _timeline(charts: Charts, rows: pd.DataFrame) -> None:
    order, limit = _controls()
    chart = charts.timeline(order, limit)
    drawn = chart.table
    st.caption(_drawn_caption(len(drawn), len(rows), order) + " " + _(KEY))
    st.plotly_chart(
        chart.figure,
        key="timeline_chart",
        config={"displaylogo": False},
        alt=_("Timeline of {count} agreements and actions; the table below lists the same rows.").format(
            count=i18n.integer(len(drawn))
        ),
    )
    chart_downloads(charts, chart, "timeline")
    st.markdown("**{}**".format(_("The same rows as a table")))
    st.dataframe(
        drawn,
        hide_index=True,
        placeholder="",
        column_config={
            "title": st.column_config.TextColumn(_("Title"), width="medium"),
            "type": _("Type"),
            "kind": _("Kind"),
            "status": _("Status"),
            "start": st.column_config.TextColumn(_("Start"), help=_("As written in the data")),
            "end": st.column_config.TextColumn(_("End"), help=_("As written in the data; empty when not given")),
            "precision": _("Precision"),
            "organisations": st.column_config.NumberColumn(_("Organisations"), help=_("Organisations in view")),
            "drawn_from": st.column_config.DateColumn(_("Drawn from")),
            "drawn_to": st.column_config.DateColumn(
                _("Drawn to"), help=_("Open-ended agreements stop at the chart's end")
            ),
        },
    )


def _headers(table: pd.DataFrame, formats: dict[str, str] | None = None) -> dict[str, object]:
    """A chart table's columns (English names, as its downloads keep them) headed in the language spoken; `formats`
    gives some columns a number format."""
    formats = formats or {}
    return {
        column: st.column_config.NumberColumn(_(column), format=formats[column])
        if column in formats
        else st.column_config.Column(_(column))
        for column in table.columns
    }


def _yearly(charts: Charts) -> None:
    st.subheader(_("Year by year"))
    if charts.insights.yearly().empty:
        st.write(_("No year to show."))
        return
    chart = charts.yearly()
    chart_with_downloads(
        charts,
        chart,
        "yearly",
        _("Agreements and actions active, new links and new partner countries per year; the table below lists them."),
        _(
            "Active: agreements and actions whose interval overlaps the year (an open-ended agreement stays active). "
            "New links: pairs of organisations first tied that year. New partner countries: countries whose first "
            "agreement or action in view starts that year."
        ),
    )
    st.markdown("**{}**".format(_("The same numbers as a table")))
    st.dataframe(chart.table, hide_index=True, column_config=_headers(chart.table, {"Year": "%d"}))


SPREAD = {False: N_("By start year"), True: N_("Spread over the action's years")}


def _money(charts: Charts) -> None:
    """The view's EU contribution per year, when the dataset carries amounts: by start year or spread (a choice)."""
    if not charts.insights.has_amounts:
        return
    st.subheader(_("EU contribution per year"))
    spread = st.segmented_control(
        _("Count each amount"),
        list(SPREAD),
        format_func=lambda s: _(SPREAD[s]),
        default=False,
        key=language.named("timeline_spread"),
        required=True,
    )
    chart = charts.contribution_years(bool(spread))
    money = charts.insights.money()
    said = (
        _("Each participation's amount is spread evenly over the calendar years its action covers.")
        if spread
        else _("Each participation's amount is counted in the year its action starts.")
    )
    if money.without_amount:
        said += " " + plural(
            money.without_amount,
            "{count} participation in view carries no amount and is not counted.",
            "{count} participations in view carry no amount and are not counted.",
        )
    if charts.insights.filters.date_from or charts.insights.filters.date_to:
        said += " " + _(
            "An action overlapping the period counts in full, so some of its amount may fall in years outside it."
        )
    chart_with_downloads(
        charts,
        chart,
        "contribution_years",
        _("Bars of the EU contribution per year; the table below lists them."),
        said,
    )
    st.dataframe(
        chart.table,
        hide_index=True,
        column_config={
            "year": st.column_config.NumberColumn(_("Year"), format="%d"),
            "contribution_eur": st.column_config.NumberColumn(_("EU contribution (EUR)"), format="%.2f"),
        },
    )


SCOPES_CAPTION = N_(
    "That year: the organisations and links of the agreements and actions running in that year. Up to that year: "
    "those of every agreement and action from the period's start (or the data's first year) to the end of that year, "
    "so an open-ended agreement counts in every year from its signing on. Components are the network's separate "
    "parts (an organisation with no link is a part of its own); the largest component's share is the share of "
    "organisations in the biggest part."
)


def _steps_caption(drawn: int, total: int) -> str:
    if drawn == total:
        return _(
            "All {drawn} organisations of the period, placed once so that each stays in the same spot: every panel "
            "shows those in the network up to that year and their links. Organisations new that year are ringed in "
            "orange, links new that year drawn in orange."
        ).format(drawn=i18n.integer(drawn))
    return _(
        "The {drawn} most connected of {total} organisations of the period, placed once so that each stays in the "
        "same spot: every panel shows those in the network up to that year and their links. Organisations new that "
        "year are ringed in orange, links new that year drawn in orange."
    ).format(drawn=i18n.integer(drawn), total=i18n.integer(total))


def _growth(charts: Charts) -> None:
    st.subheader(_("Growth year by year"))
    if charts.insights.growth().empty:
        st.write(_("The period has no year with a dated agreement or action to show."))
        return
    chart = charts.growth()
    chart_with_downloads(
        charts,
        chart,
        "growth",
        _(
            "Organisations, links, countries, components and the largest component's share per year, that year and "
            "up to that year; the table below lists them."
        ),
        _(SCOPES_CAPTION),
    )
    st.markdown("**{}**".format(_("The same numbers as a table")))
    scope = GROWTH_LABELS["scope"]
    table = chart.table.assign(**{scope: chart.table[scope].map(_)})  # "that year", "up to that year" in words
    st.dataframe(
        table,
        hide_index=True,
        column_config=_headers(table, {GROWTH_LABELS["year"]: "%d", GROWTH_LABELS["largest_share"]: "percent"}),
    )
    steps = charts.growth_steps()
    st.markdown("**{}**".format(_("The network growing, year by year")))
    st.caption(_steps_caption(len(steps.table), len(charts.insights.network("org").nodes)))
    chart_with_downloads(
        charts,
        steps,
        "growth_steps",
        _(
            "Small multiples of the organisation network, one per year, on one layout; the download lists the "
            "organisations drawn and the year each arrives."
        ),
    )


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    header(
        _("Timeline"),
        insights,
        _(
            "When agreements were signed and joint actions ran, drawn at the precision the sources give "
            "(a date known only to the year covers the whole year)."
        ),
    )
    rows = insights.timeline_rows()
    if rows.empty:
        st.info(_("No agreement or action matches these filters."))
        share_and_bundle(charts, "timeline")
        return
    _timeline(charts, rows)
    _yearly(charts)
    _money(charts)
    _growth(charts)
    share_and_bundle(charts, "timeline")
