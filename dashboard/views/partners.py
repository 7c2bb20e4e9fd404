"""Partners: who an organisation might work with next, and why, under the sidebar's filters."""

from __future__ import annotations

import streamlit as st

from analysis import i18n
from analysis.filters import WIDGET_PREFIX
from analysis.i18n import _, ngettext
from analysis.search import Hit
from analysis.suggest import DEFAULT_TOP
from charts.partners import SHARED_DRAWN, TABLE_COLUMNS
from dashboard import language, links, search, state
from dashboard.downloads import chart_downloads, share_and_bundle, table_download
from dashboard.layout import header
from dashboard.safe import md

URL_PATH = "partners"
URL_KEYS = ("org", "in")  # the organisation, and the candidates' countries (comma-separated ISO codes)
# Widget state under the filters' prefix: a new dataset (an upload) seeds them again from the URL, as the sidebar's.
ORG = WIDGET_PREFIX + "partners_org"  # the organisation chosen (no widget: the search's links set it in the URL)
SEARCH_KEY = "_partners_search"
WITHIN = WIDGET_PREFIX + "partners_in"
WRITTEN = WIDGET_PREFIX + "partners_url"  # the page's keys as last written to the URL


def page() -> st.Page:
    """The page as st.navigation registers it and st.page_link links to it (one definition for both)."""
    return st.Page(render, title=_("Partners"), url_path=URL_PATH)


def _own_keys() -> dict[str, str]:
    return {key: st.query_params[key] for key in URL_KEYS if key in st.query_params}


def _seed(organisations: set[str], countries: set[str]) -> list[str]:
    """A URL the page did not write itself (a link, the Network page's details) sets the widgets; what was ignored."""
    url = _own_keys()
    if not url or url == st.session_state.get(WRITTEN):
        return []
    ignored = []
    org = url.get("org") or None
    if org is not None and org not in organisations:
        ignored.append(_("organisation {org} (not in view)").format(org=org))
        org = None
    st.session_state[ORG] = org
    within = list(dict.fromkeys(c.strip().upper() for c in url.get("in", "").split(",") if c.strip()))
    ignored += [_("country {code}").format(code=c) for c in within if c not in countries]
    st.session_state[WITHIN] = [c for c in within if c in countries]
    return ignored


def _in_url(org: str | None, within: list[str], followed: bool) -> None:
    """The organisation and the countries in the URL, so a link reopens the same suggestions; written again after a
    link was `followed`: a link to the page it is on (a search result) leaves the browser's address as it was."""
    wanted = {"org": org} if org else {}
    if within:
        wanted["in"] = ",".join(within)
    if followed or _own_keys() != wanted:
        for key in URL_KEYS:
            st.query_params.pop(key, None)
        st.query_params.update(wanted)
    st.session_state[WRITTEN] = wanted


def _to_suggestions(hit: Hit) -> None:
    """A search result's link: this page for that organisation, the filters and the candidates' countries kept."""
    url = {key: st.query_params[key] for key in st.query_params if key != "org"}
    st.page_link(page(), label=md(hit.label), query_params={**url, "org": hit.id})


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    header(
        _("Partners"),
        insights,
        _(
            "Who an organisation might work with next: organisations not yet tied to it that share partners with it, "
            "ranked by the Adamic-Adar index (each shared partner counts 1 / ln of its number of partners, so a "
            "partner with few ties says more), with the reasons."
        ),
    )
    labels = insights.organisation_choices()  # kept with the view: 36,000 at programme scale
    given = charts._country_names
    names = {c: i18n.country_name(c, given.get(c)) for c in insights.country_table()["country"]}
    countries = sorted(names, key=lambda c: names[c].lower())
    followed = bool(_own_keys()) and _own_keys() != st.session_state.get(WRITTEN)
    ignored = _seed(set(labels), set(countries))
    if st.session_state.get(ORG) not in labels:
        st.session_state[ORG] = None  # a filter change took it out of view
    st.session_state[WITHIN] = [c for c in st.session_state.get(WITHIN, []) if c in countries]
    left, right = st.columns([2, 1])
    org = st.session_state.get(ORG)
    within = right.multiselect(
        _("Candidates from"),
        countries,
        format_func=lambda c: names.get(c, c),
        key=language.named(WITHIN),
        help=_("Empty: every country"),
        placeholder=_("Choose options"),
    )
    _in_url(org, within, followed)  # before the search: its links keep the URL
    with left:
        search.box(
            SEARCH_KEY,
            _("Organisation"),
            _("Choose an organisation in view"),
            link=_to_suggestions,
            kinds=("organisation",),
            among=labels,
        )
        if org:
            st.markdown(_("Chosen: **{name}**").format(name=md(labels[org])))
            links.organisation_link(org, _("The page of {name}").format(name=labels[org]))
    if ignored:
        st.warning(_("The link held values this view cannot use, ignored: {what}").format(what=md(", ".join(ignored))))
    if not org:
        st.info(_("Choose an organisation to see who it might work with next."))
        share_and_bundle(charts, URL_PATH)
        return
    suggested = state.partners(org, tuple(within))
    found = suggested.suggestions()
    if not found:
        st.info(
            (
                _(
                    "No suggestion for {name}: no organisation in view of the chosen countries shares a partner with "
                    "it without being tied to it already."
                )
                if within
                else _(
                    "No suggestion for {name}: no organisation in view shares a partner with it without being tied "
                    "to it already."
                )
            ).format(name=md(labels[org]))
        )
        share_and_bundle(suggested, URL_PATH)
        return
    st.subheader(
        ngettext(
            "The {count} best suggestion for {name}", "The {count} best suggestions for {name}", len(found)
        ).format(count=i18n.integer(len(found)), name=md(labels[org]))
    )
    table = suggested.table()
    # The table keeps the CSV's column names; the page shows them in the language spoken.
    st.dataframe(
        table[["Organisation", "Country", "Score", "Shared partners", "Reasons"]],
        hide_index=True,
        column_config={
            "Organisation": st.column_config.TextColumn(_("Organisation"), help=_(TABLE_COLUMNS["Organisation"])),
            "Country": st.column_config.TextColumn(_("Country"), help=_(TABLE_COLUMNS["Country"])),
            "Score": st.column_config.NumberColumn(_("Score"), help=_(TABLE_COLUMNS["Score"])),
            "Shared partners": st.column_config.TextColumn(
                _("Shared partners"), help=_(TABLE_COLUMNS["Shared partners"])
            ),
            "Reasons": st.column_config.TextColumn(_("Reasons"), width="large", help=_(TABLE_COLUMNS["Reasons"])),
        },
    )
    table_download(suggested, _("Suggestions with reasons (CSV)"), suggested.table, f"partners-{org}", "partners_csv")
    with st.expander(_("Why {name}, in full").format(name=md(found[0].label))):
        st.markdown("\n".join(f"- {md(reason)}" for reason in found[0].reasons))
    st.subheader(_("Its ego network and the suggested partners"))
    chart = suggested.ego()
    st.plotly_chart(
        chart.figure,
        key="partners_ego",
        config={"displaylogo": False},
        alt=_("The organisation, its partners, and the suggested partners joined to it by dashed lines."),
    )
    st.caption(
        _(
            "The organisation (black ring), the partners its {top} best suggestions share with it (up to {shared} "
            "each, the rarest-tied first; the table lists them all) and its strongest others, and the suggested "
            "partners (blue ring) joined to it by dashed blue lines; dotted lines are the shared partners' ties to "
            "them."
        ).format(top=i18n.integer(DEFAULT_TOP), shared=i18n.integer(SHARED_DRAWN))
    )
    chart_downloads(suggested, chart, "partners_ego")
    share_and_bundle(suggested, URL_PATH)
