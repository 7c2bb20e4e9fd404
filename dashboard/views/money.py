"""Money through partnerships: how much EU contribution a region or country received, with which partners, and
through actions coordinated where."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import i18n
from analysis.funding import CONTRIBUTION, LINK_SHARE, FundingLevel
from analysis.i18n import N_, _
from analysis.insights import Insights
from charts import files
from charts.report import Charts
from dashboard import language, state
from dashboard.downloads import MIME, chart_downloads, share_and_bundle, table_download
from dashboard.language import later
from dashboard.layout import header
from dashboard.safe import md

URL_PATH = "money"
PLACE_LEVELS: dict[FundingLevel, str] = {"region": N_("NUTS-2 regions"), "country": N_("Countries")}
PLACE_KEY = "money_place"
TOTALS_COLUMNS = {
    "id": N_("NUTS-2 code, or ISO code of a country"),
    "name": N_("the place's name"),
    "contribution_eur": CONTRIBUTION.definition,
    "with_partners_eur": N_("of it, received in actions with partners in view"),
    "alone_eur": N_("of it, received in actions without partners in view"),
    "participations": N_("participations of the place's organisations in actions in view"),
    "participations_without_amount": N_("of them, those that carry no amount (not counted)"),
}


def page() -> st.Page:
    return st.Page(render, title=_("Money"), url_path=URL_PATH)


def _no_amounts() -> None:
    st.info(
        _(
            "This dataset carries no amounts. Give each participation its EU contribution in the column "
            "contribution_eur of action_participants.csv (CORDIS imports do so from netEcContribution) to see "
            "where the money goes and with whom."
        )
    )


def _place_name(level: FundingLevel, row: pd.Series) -> str:
    name = i18n.country_name(str(row["id"]), str(row["name"])) if level == "country" else str(row["name"])
    return f"{name} ({row['id']})"


def _tiles(insights: Insights, level: FundingLevel, place: str, row: pd.Series) -> None:
    coordination = insights.coordination(level).set_index("id")
    elsewhere = float(coordination.loc[place, "elsewhere_eur"]) if place in coordination.index else 0.0
    total = float(row["contribution_eur"]) if pd.notna(row["contribution_eur"]) else 0.0
    tiles = [
        (_(CONTRIBUTION.label), i18n.euros(total), _(CONTRIBUTION.definition)),
        (
            _("In actions with partners"),
            i18n.euros(float(row["with_partners_eur"] or 0)),
            _("The money spread over partners below; the table adds up to it."),
        ),
        (
            _("In actions without partners in view"),
            i18n.euros(float(row["alone_eur"] or 0)),
            _("Actions in which no other organisation in view takes part."),
        ),
        (
            _("Through actions coordinated elsewhere"),
            i18n.percent(elsewhere / total, 1) if total > 0 else "–",
            _("Share of the EU contribution received in actions whose lead (or organiser) lies in another place."),
        ),
    ]
    for column, (label, value, help_text) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(label, value, help=help_text)


def _partners(charts: Charts, level: FundingLevel, place: str) -> None:
    chart = charts.partnerships(level, place)
    if chart.table.empty:
        st.write(_("No money of this place was received in actions with partners in view."))
        return
    st.plotly_chart(
        chart.figure,
        key="money_partners",
        config={"displaylogo": False},
        alt=_("Bars of the EU contribution received with each partner; the table below holds the same numbers."),
    )
    chart_downloads(charts, chart, "money")
    st.dataframe(
        chart.table,
        hide_index=True,
        column_config={
            "partner": _("Partner"),
            "partner_name": _("Name"),
            "contribution_eur": st.column_config.NumberColumn(
                _("{measure} (EUR)").format(measure=_(CONTRIBUTION.label)), help=_(LINK_SHARE), format="%.2f"
            ),
            "share": st.column_config.NumberColumn(_("Share"), format="percent"),
        },
    )


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    header(
        _("Money through partnerships"),
        insights,
        _(
            "How much EU contribution each region or country received in view, and through partnerships with whom: "
            "each participant's contribution is spread evenly over its partners in each action, so a place's money "
            "by partner adds up to its money in actions with partners."
        ),
    )
    if not insights.has_amounts:
        _no_amounts()
        share_and_bundle(charts, URL_PATH)
        return
    level: FundingLevel = st.segmented_control(
        _("Places"),
        list(PLACE_LEVELS),
        format_func=lambda n: _(PLACE_LEVELS[n]),
        default="region",
        key=language.named("money_level"),
        required=True,
    )
    totals = insights.funding(level)
    totals = totals[totals["contribution_eur"].notna()].reset_index(drop=True)
    if totals.empty:
        money = insights.money()
        none_carry = money.participations == money.without_amount
        st.warning(
            _("No participation in view carries an amount.")
            if none_carry
            else _("No organisation with an amount in view gives its NUTS-2 region: choose Countries.")
        )
        share_and_bundle(charts, URL_PATH)
        return
    labels = {row["id"]: _place_name(level, row) for _i, row in totals.iterrows()}
    if st.session_state.get(PLACE_KEY) not in labels:
        st.session_state[PLACE_KEY] = totals["id"].iloc[0]  # the place that received the most
    place = st.selectbox(_("Place"), list(labels), format_func=labels.get, key=PLACE_KEY)
    row = totals.set_index("id").loc[place]
    _tiles(insights, level, place, row)
    st.subheader(_("Partners of {place}").format(place=md(labels[place])))
    _partners(charts, level, place)

    st.subheader(_("Every place"))
    shown = totals[["id", "name", "contribution_eur", "with_partners_eur", "alone_eur", "participations"]]
    st.dataframe(
        shown.assign(participations_without_amount=totals["participations_without_amount"]),
        hide_index=True,
        column_config={
            "id": _("Code"),
            "name": _("Name"),
            "contribution_eur": st.column_config.NumberColumn(
                _("{measure} (EUR)").format(measure=_(CONTRIBUTION.label)), format="%.2f"
            ),
            "with_partners_eur": st.column_config.NumberColumn(_("With partners (EUR)"), format="%.2f"),
            "alone_eur": st.column_config.NumberColumn(_("Without partners (EUR)"), format="%.2f"),
            "participations": _("Participations"),
            "participations_without_amount": _("Without amount"),
        },
    )
    with st.container(horizontal=True):
        table_download(
            charts,
            _("Download every place's EU contribution (CSV)"),
            lambda: totals,
            f"contribution-{level}",
            "money_totals_csv",
        )
        title = _("EU contribution of every place")
        st.download_button(
            _("The same with each column's meaning (XLSX)"),
            data=later(lambda: files.xlsx_bytes(totals, insights.provenance(title, TOTALS_COLUMNS))),
            file_name=charts.file_name(f"contribution-{level}", "xlsx"),
            mime=MIME["xlsx"],
            on_click="ignore",
            icon=":material/table_view:",
            key="money_totals_xlsx",
        )
    share_and_bundle(charts, URL_PATH)
