"""Compare: what the network gained and lost between two periods, under the sidebar's other filters."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import i18n
from analysis.comparison import (
    MOVER_WORDS,
    PROGRAMME_KEYS,
    STATUS_WORDS,
    TILE_HELP,
    URL_KEYS,
    Periods,
    parse_periods,
    parse_sides,
)
from analysis.dataset import Dataset
from analysis.filters import WIDGET_PREFIX, programmes_of
from analysis.funding import CONTRIBUTION
from analysis.i18n import _
from charts.compare import CONTRIBUTION_TABLES, CompareCharts, signed_euros
from dashboard import links, state
from dashboard.downloads import chart_with_downloads, first_rows, share_and_bundle, table_download
from dashboard.language import spoken
from dashboard.layout import header
from dashboard.safe import md

URL_PATH = "compare"
FAILED = "_compare_metrics_failed"  # why betweenness could not be computed, said in this session
# Widget state under the filters' prefix: a new dataset (an upload) seeds them again from the URL, as the sidebar's.
SEEDED = WIDGET_PREFIX + "compare_seeded"
SLIDERS = {"a": WIDGET_PREFIX + "compare_a", "b": WIDGET_PREFIX + "compare_b"}
EXACT = {key: WIDGET_PREFIX + "compare_" + key for key in URL_KEYS}  # the dates the sliders stand for
SIDES = {"a": "a_programme", "b": "b_programme"}  # each side's key among PROGRAMME_KEYS
PICKED = {side: WIDGET_PREFIX + "compare_" + key for side, key in SIDES.items()}  # each side's programmes
PICKERS = {side: key + "_widget" for side, key in PICKED.items()}  # the widgets that set them


def _slider_years(first: str | None, last: str | None, low: int, high: int) -> tuple[int, int]:
    start = int(first[:4]) if first else low
    end = int(last[:4]) if last else high
    return max(low, min(start, high)), min(high, max(end, low))


def _seed(data: Dataset) -> tuple[list[str], list[str]]:
    """The URL's periods (or the two halves of the dataset's years) and programmes into the page's state; the
    periods and the programmes that were ignored."""
    low, high = data.incidence.years()
    url = {key: st.query_params.get_all(key) for key in (*URL_KEYS, *PROGRAMME_KEYS)}
    a, b, refused = parse_sides(url, programmes_of(data))
    periods, ignored = parse_periods({**url, SIDES["a"]: list(a), SIDES["b"]: list(b)}, (low, high))
    for key in URL_KEYS:
        st.session_state[EXACT[key]] = getattr(periods, key)
    for side in ("a", "b"):
        first, last = getattr(periods, f"{side}_from"), getattr(periods, f"{side}_to")
        st.session_state[SLIDERS[side]] = _slider_years(first, last, low, high)
        st.session_state[PICKED[side]] = st.session_state[PICKERS[side]] = list(getattr(periods, f"{side}_programmes"))
    st.session_state[SEEDED] = True
    return ignored, refused


def _moved(side: str) -> None:
    """A slider speaks in whole years: moving it replaces any finer date from the URL."""
    first, last = st.session_state[SLIDERS[side]]
    st.session_state[EXACT[f"{side}_from"]], st.session_state[EXACT[f"{side}_to"]] = str(first), str(last)


def _picked(side: str) -> None:
    st.session_state[PICKED[side]] = list(st.session_state[PICKERS[side]])


def _sides(data: Dataset) -> None:
    """Two year sliders, A and B (none when the dataset spans one year), each with the programmes that set its side
    beside it (only when the dataset's actions name their programme)."""
    low, high = data.incidence.years()
    programmes = programmes_of(data)
    if low == high and not programmes:
        return
    for column, side in zip(st.columns(2), ("a", "b"), strict=True):
        if low < high:
            column.slider(
                _("Period {side}").format(side=side.upper()),
                low,
                high,
                key=SLIDERS[side],
                on_change=_moved,
                args=(side,),
                help=_("Agreements and actions count in a period when their dates overlap it."),
            )
        if programmes:
            if PICKERS[side] not in st.session_state:  # a widget left unseen on another page loses its state
                st.session_state[PICKERS[side]] = list(st.session_state.get(PICKED[side], []))
            column.multiselect(
                _("Programmes {side}").format(side=side.upper()),
                programmes,
                key=PICKERS[side],
                on_change=_picked,
                args=(side,),
                placeholder=_("The sidebar's programmes"),
                help=_(
                    "Sets this side by the funding programme of its actions, in place of the sidebar's programmes; "
                    "agreements belong to none and count by their dates alone."
                ),
            )


def _in_url(periods: Periods) -> None:
    """The periods and the sides' programmes in the URL, so a link reopens the same comparison."""
    wanted = {key: value if isinstance(value, list) else [value] for key, value in periods.to_query().items()}
    keys = (*URL_KEYS, *PROGRAMME_KEYS)
    if {key: st.query_params.get_all(key) for key in keys if key in st.query_params} != wanted:
        for key in keys:
            st.query_params.pop(key, None)
        st.query_params.update(periods.to_query())


def _tiles(compared: CompareCharts) -> None:
    for column, (label, value) in zip(st.columns(4), compared.comparison().tiles().items(), strict=True):
        column.metric(_(label), i18n.integer(value), help=_(TILE_HELP[label]))


def _amount(value: float) -> str:
    """A period's contribution on a tile; unknown when its participations carry no amount, never said as 0."""
    return _("no amount given") if pd.isna(value) else i18n.euros(value)


def _money_tiles(compared: CompareCharts) -> None:
    """The EU contribution in A and in B (B with the change), under the four tiles; nothing without amounts."""
    money = compared.money
    if money is None:
        return
    help_text = _(CONTRIBUTION.definition)
    change = money.change_eur
    delta = None if pd.isna(change) else signed_euros(change)
    column_a, column_b = st.columns(4)[:2]  # as wide as the tiles above
    column_a.metric(_("EU contribution in A"), _amount(money.a_eur), help=help_text)
    column_b.metric(_("EU contribution in B"), _amount(money.b_eur), delta=delta, help=help_text)


def _shown(table: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy of a table to show: statuses and metrics in words, countries by name, in the language spoken (the
    downloads keep the codes). `names`: the country name columns and their code columns."""
    shown = table.copy()
    for column, words in (("status", STATUS_WORDS), ("metric", MOVER_WORDS)):
        if column in shown:
            shown[column] = [_(words[v]) if v in words else v for v in shown[column]]
    for column, code in (names or {}).items():
        shown[column] = [i18n.country_name(c, n) for c, n in zip(shown[code], shown[column], strict=True)]
    return shown


@st.fragment(run_every=1.0)
@spoken
def _filling_in(compared: CompareCharts) -> None:
    """While either period's betweenness is computed apart (large networks): how far; the movers fill in when done."""
    if compared.ready():
        st.rerun()
    sides = (compared.a.insights, compared.b.insights)
    if FAILED not in st.session_state:
        for side in sides:
            job = side.metrics_job("org")
            if job.done and job.error is not None:
                # Said once in this session; the failed job is dropped, so the next visit (a reload) tries again.
                st.session_state[FAILED] = side.metrics_so_far("org")[2]
    if problem := st.session_state.get(FAILED):
        st.error(
            _(
                "Betweenness could not be computed ({problem}); the movers are shown by degree and weighted degree. "
                "Reload the page to try again."
            ).format(problem=md(problem))
        )
        return
    jobs = [side.metrics_job("org") for side in sides]  # asking keeps them going
    done = sum(job.progress for job in jobs) / len(jobs)
    st.progress(
        done,
        text=_("Computing betweenness in both periods: {share}. The movers by it follow when ready.").format(
            share=i18n.percent(done)
        ),
    )


def _networks(compared: CompareCharts) -> None:
    st.subheader(_("The two networks on one layout"))
    chart = compared.networks()
    chart_with_downloads(
        compared,
        chart,
        "compare_networks",
        _("Organisation networks of periods A and B side by side; the table below lists the drawn organisations."),
        _(
            "The {count} organisations with the most partners in either period, each in the same place in both "
            "panels. Blue marks what is new in B (links, and a ring round organisations that joined); vermillion what "
            "B lost (dotted links, and a ring round organisations that left); grey links are kept."
        ).format(count=i18n.integer(len(chart.table))),
    )
    with st.expander(_("The drawn organisations as a table")):
        st.dataframe(
            links.with_pages(_shown(chart.table), "node", "organisation"),
            hide_index=True,
            column_config={
                links.PAGE_COLUMN: links.page_column(),
                "node": _("Id"),
                "label": _("Organisation"),
                "country": _("Country"),
                "status": _("Status"),
                "degree_a": st.column_config.NumberColumn(_("Partners in A")),
                "degree_b": st.column_config.NumberColumn(_("Partners in B")),
            },
        )


def _countries(compared: CompareCharts) -> None:
    st.subheader(_("Ties between countries won and lost"))
    chart = compared.country_links()
    chart_with_downloads(
        compared,
        chart,
        "compare_country_links",
        _("Map of ties between countries new in B and lost since A; the table below lists every tie."),
        _(
            "Two countries are tied in a period when an agreement or action in it involves organisations of both. "
            "Blue arcs are new in B, dotted vermillion ones were there in A only, grey ones are kept."
        ),
    )
    st.dataframe(
        _shown(chart.table, {"name_a": "a", "name_b": "b"}),
        hide_index=True,
        column_config={
            "a": _("Code"),
            "name_a": _("Country"),
            "b": _("Code"),
            "name_b": _("Country"),
            "weight_a": st.column_config.NumberColumn(_("Shared items in A")),
            "weight_b": st.column_config.NumberColumn(_("Shared items in B")),
            "status": _("Status"),
        },
    )


def _movers(compared: CompareCharts) -> None:
    st.subheader(_("Movers"))
    st.caption(
        _(
            "The organisations whose number of partners (degree), ties counted with their weights (weighted degree) "
            "or place on the shortest paths between others (betweenness) changed most from A to B. An organisation "
            "that is no node in a period counts 0 there."
        )
    )
    found = compared.comparison()
    if found.pending:
        _filling_in(compared)
    st.dataframe(
        links.with_pages(_shown(found.movers), "node", "organisation"),
        hide_index=True,
        column_config={
            links.PAGE_COLUMN: links.page_column(),
            "node": _("Id"),
            "label": _("Organisation"),
            "country": _("Country"),
            "status": _("Status"),
            "metric": _("Metric"),
            "value_a": _("In A"),
            "value_b": _("In B"),
            "change": _("Change"),
        },
    )
    table_download(
        compared, _("Movers (CSV)"), lambda: compared.comparison().movers, "compare-movers", "compare_movers"
    )


def _money_columns(level: str) -> dict[str, object]:
    """How the movers by EU contribution are headed, in the language spoken; amounts stay numbers."""
    money = {
        "contribution_eur_a": st.column_config.NumberColumn(
            _("EU contribution in A (EUR)"), help=_(CONTRIBUTION.definition), format="%.2f"
        ),
        "contribution_eur_b": st.column_config.NumberColumn(_("EU contribution in B (EUR)"), format="%.2f"),
        "change_eur": st.column_config.NumberColumn(_("Change (EUR)"), format="%.2f"),
        "participations_without_amount_a": st.column_config.NumberColumn(
            _("Without amount in A"), help=_("Participations in actions that carry no amount (not counted)")
        ),
        "participations_without_amount_b": st.column_config.NumberColumn(_("Without amount in B")),
    }
    if level == "org":
        return {"id": _("Id"), "name": _("Organisation"), "country": _("Country"), **money}
    return {"id": _("Code"), "name": _("Country"), **money}


def _contribution_movers(compared: CompareCharts) -> None:
    """The organisations and countries whose EU contribution changed most, A to B; nothing without amounts."""
    if compared.money is None:
        return
    st.subheader(_("Movers by EU contribution"))
    st.caption(
        _(
            "The organisations and countries whose EU contribution (the sum of their participations' amounts in "
            "actions in the period) changed most from A to B. One that took part in no action in a period received "
            "nothing there (0); one whose participations in a period carry no amount has no known change and is "
            "left out."
        )
    )
    tabs = st.tabs([_("Organisations"), _("Countries")])
    for tab, level in zip(tabs, ("org", "country"), strict=True):
        with tab:
            chart = compared.contribution_movers(level)
            what = CONTRIBUTION_TABLES[level]
            if chart.table.empty:
                st.info(_("No EU contribution changed from A to B."))
            else:
                chart_with_downloads(
                    compared,
                    chart,
                    what.replace("-", "_") + "_movers",
                    _("Bars of the change in EU contribution from A to B; the table below gives both amounts."),
                    _("Blue bars gained from A to B, vermillion ones lost; the largest change on top."),
                )
                st.dataframe(chart.table, hide_index=True, column_config=_money_columns(level))
            table_download(
                compared,
                _("EU contribution of each organisation in A and B (CSV)")
                if level == "org"
                else _("EU contribution of each country in A and B (CSV)"),
                lambda what=what: compared.tables()[what],
                what,
                what.replace("-", "_"),
            )


def _full_table(
    compared: CompareCharts, table: pd.DataFrame, label: str, what: str, columns: dict[str, object]
) -> None:
    """A long table shown in part (a browser would stall on a million rows); its CSV holds every row."""
    st.dataframe(_shown(first_rows(table)), hide_index=True, column_config=columns)
    table_download(compared, label, lambda: table, what, what.replace("-", "_"))


def _lists(compared: CompareCharts) -> None:
    tables = compared.tables()
    with st.expander(_("Every organisation and every link, with its status")):
        _full_table(
            compared,
            tables["compare-organisations"],
            _("Organisations joined, left and stayed (CSV)"),
            "compare-organisations",
            {"node": _("Id"), "label": _("Organisation"), "country": _("Country"), "status": _("Status")},
        )
        _full_table(
            compared,
            tables["compare-links"],
            _("Links new, lost and kept, with their weights (CSV)"),
            "compare-links",
            {
                "a": _("Organisation A"),
                "b": _("Organisation B"),
                "weight_a": st.column_config.NumberColumn(_("Shared items in A")),
                "weight_b": st.column_config.NumberColumn(_("Shared items in B")),
                "status": _("Status"),
            },
        )


def render() -> None:
    data = state.dataset()
    ignored, refused = ([], []) if st.session_state.get(SEEDED) else _seed(data)
    chosen = (tuple(st.session_state.get(PICKED[side], ())) for side in ("a", "b"))
    periods = Periods(*(st.session_state[EXACT[key]] for key in URL_KEYS), *chosen)
    _in_url(periods)
    compared = state.comparison(periods)
    # The filters in force in both periods: B's but for its period, unless the sides are set by programme (their
    # words name them; the view of the shared filters states the rest).
    by_programme = compared.periods.a_programmes or compared.periods.b_programmes
    shared = state.charts_for(compared.filters).insights if by_programme else compared.b.insights
    header(
        _("Compare"),
        shared,
        _("What the network gained and lost between two periods, A and B. The sidebar's other filters apply to both."),
        period=compared.periods.words,
    )
    _sides(data)
    if ignored:
        st.warning(
            _("The link held periods that cannot apply, replaced by the defaults: {what}").format(
                what=md(", ".join(ignored))
            )
        )
    if refused:
        st.warning(
            _("The link held programmes this dataset does not name, ignored: {what}").format(
                what=md(", ".join(refused))
            )
        )
    _tiles(compared)
    _money_tiles(compared)
    found = compared.comparison()
    orgs = found.organisations
    if not (orgs.joined or orgs.left or orgs.stayed):
        st.info(_("No agreement or action matches these filters in either period."))
        share_and_bundle(compared, URL_PATH)
        return
    st.markdown("\n".join(f"- {md(sentence)}" for sentence in found.story()))
    _networks(compared)
    _countries(compared)
    _movers(compared)
    _contribution_movers(compared)
    _lists(compared)
    share_and_bundle(compared, URL_PATH)
