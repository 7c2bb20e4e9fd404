"""The page of one place: /region?nuts2=CODE (a NUTS-2 region) or /region?country=CC (a country). `country` is also the
sidebar's country filter, so the page of a country is the view of that country and its partners."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analysis import i18n
from analysis.filters import FIELD
from analysis.funding import CONTRIBUTION
from analysis.i18n import _
from analysis.insights import Insights
from analysis.region import (
    BROKER_COLUMNS,
    HALF_COLUMNS,
    ORGANISATION_COLUMNS,
    PARTNER_COLUMNS,
    Place,
    PlaceLevel,
    UnknownPlace,
    find_place,
)
from analysis.words import kind_label, listed
from charts.map import ARCS_LIMIT
from charts.region import RegionCharts
from dashboard import links, progress, state
from dashboard.downloads import chart_with_downloads, share_and_bundle, table_download, xlsx_download
from dashboard.layout import header
from dashboard.safe import md
from dashboard.views import compare

LEVEL_OF_KEY: dict[str, PlaceLevel] = {"nuts2": "region", "country": "country"}
RESEEDED = "_region_reseeded"  # the country whose page last set the sidebar's country filter in this session
ADDRESS = "_region_address"  # the page's keys (nuts2, country) as its last run left them in the URL
DRAWN = "region_organisations_csv"  # a widget's key every full drawing of the page has


def page() -> st.Page:
    """The page as st.navigation registers it (hidden from the menu: reached by search and links)."""
    return st.Page(render, title=_("Region"), url_path=links.REGION_PATH, visibility="hidden")


def _initial(key: str) -> str | None:
    """A key of the address this run was asked for. Once a session is under way the sidebar makes the URL's filter
    keys follow its widgets, so a link's `country` may be gone from st.query_params before the page runs; the run's
    first query string, which Streamlit keeps to seed widgets, still holds it (None where it cannot be read)."""
    value = None
    ctx = get_script_run_ctx()
    if ctx is not None and hasattr(ctx.session_state, "query_params"):
        with ctx.session_state.query_params() as params:
            getter = getattr(params, "get_initial_value", None)
            value = getter(key) if getter is not None else None
    if isinstance(value, list):
        value = value[-1] if value else None
    return value or None


def _address(key: str) -> str | None:
    """A key as the address asked for it, else as the URL holds it now."""
    return _initial(key) or st.query_params.get(key)


def _keys(read: Callable[[str], str | None]) -> tuple[str | None, ...]:
    return tuple(read(key) or None for key in LEVEL_OF_KEY)


def _own_rerun() -> bool:
    """Whether this run is the page's own rerun from the address its last run left (a sidebar widget, the language
    switch), not a link or a new address: the sidebar then leads, as on every page. A widget of the page's last run
    is still in the session state only when no other page ran since."""
    return DRAWN in st.session_state and st.session_state.get(ADDRESS) == _keys(_initial)


def _asked(own: bool) -> tuple[str, str] | None:
    """The URL's key (`nuts2` or `country`) and the code it gives; a NUTS-2 code first, as links write one or the
    other. On the page's `own` reruns, as the URL holds it now."""
    read = st.query_params.get if own else _address
    for key in LEVEL_OF_KEY:
        code = read(key)
        if code and code.strip():
            return key, code.strip()
    return None


def _follow_country(code: str) -> None:
    """Make the sidebar's country filter the page's country, as a new session opened on this address would; once per
    country and session (the sidebar ignores a country without organisations, which must not rerun for ever)."""
    if state.filters().countries == (code,):
        st.session_state.pop(RESEEDED, None)
        return
    if st.session_state.get(RESEEDED) == code:
        return
    st.session_state[RESEEDED] = code
    st.query_params[FIELD["countries"].url] = code
    st.session_state.pop(state.SEEDED_KEY, None)  # the sidebar reads the address again before drawing its widgets
    st.rerun()


def _write_again(key: str, code: str) -> None:
    """The page's key written again after a link was followed: a link to the page it is on (a region's page to its
    country's) leaves the browser's address as it was, and writing sends the whole address the page now has."""
    st.query_params.pop(key, None)
    st.query_params[key] = code


def _country(insights: Insights, code: str) -> str:
    """A country's name in the language spoken, as every page names it (the dataset's in English)."""
    return insights.dataset.country_names().get(code) or i18n.country_name(code)


def _no_place(insights: Insights) -> None:
    header(_("Place not found"), insights)
    st.warning(
        _(
            "This page shows one place, and its address names none: add ?nuts2= and a NUTS-2 code (ITF4 is Puglia) "
            "or ?country= and a country's ISO code (IT), or find a region or a country with the Search in the "
            "sidebar."
        )
    )


def _unknown(insights: Insights, key: str, code: str) -> None:
    header(_("Place not found"), insights)
    if LEVEL_OF_KEY[key] == "region":
        said = _(
            "There is no NUTS-2 region {code}: NUTS 2021 level-2 codes have four characters, like ITF4 (Puglia). "
            "Find a region or a country with the Search in the sidebar."
        )
    else:
        said = _(
            "There is no country {code}: a country is given by its ISO 3166-1 code, like IT or PL. Find a region or "
            "a country with the Search in the sidebar."
        )
    st.error(said.format(code=md(code)))


def _several(insights: Insights, codes: list[str]) -> None:
    """The sidebar's countries now name several: the page of each is one link away."""
    header(_("Countries"), insights)
    st.info(_("This page shows one country, and the address names several. Open one:"))
    for code in codes:
        links.region_link(code, f"{_country(insights, code)} ({code})")


def _tiles(report_charts: RegionCharts) -> None:
    report = report_charts.report
    s = report.summary()
    region = report.place.level == "region"
    tiles = [
        (_("Organisations"), i18n.integer(s.organisations), _("The place's organisations taking part in view")),
        (
            _("Partner regions") if region else _("Partner countries"),
            i18n.integer(s.partners),
            _(PARTNER_COLUMNS["weight"]),
        ),
        (_("Agreements and actions"), i18n.integer(s.items), _("Distinct agreements and actions in view involving it")),
        (
            _("Within the region") if region else _("Within the country"),
            i18n.integer(s.inside),
            _("Agreements and actions with two or more of its organisations"),
        ),
    ]
    money = report.money()
    if money is not None:
        unknown = money.participations > 0 and money.participations == money.without_amount
        amount = _("no amount given") if unknown else i18n.euros(money.contribution_eur)
        tiles.append((_(CONTRIBUTION.label), amount, _(CONTRIBUTION.definition)))
    for column, (label, value, help_text) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(label, value, help=help_text)


def _partners(rc: RegionCharts) -> None:
    place = rc.place
    region = place.level == "region"
    st.subheader(_("Partner regions") if region else _("Partner countries"))
    partners = rc.report.partners()
    if partners.empty:
        st.write(
            _("No organisation of another region shares an agreement or action with it in view.")
            if region
            else _("No organisation of another country shares an agreement or action with it in view.")
        )
        return
    chart = rc.map()
    chart_with_downloads(
        rc,
        chart,
        "region_map",
        _("A map of the place and its partner places, joined by arcs wider for more shared agreements and actions."),
        _(
            "The place in red, its partners shaded darker and joined by wider arcs for more shared agreements and "
            "actions; {drawn} of {partners} drawn (at most {limit}, the strongest; places without a boundary are in "
            "the table only)."
        ).format(
            drawn=i18n.integer(len(chart.table)), partners=i18n.integer(len(partners)), limit=i18n.integer(ARCS_LIMIT)
        ),
    )
    if region:
        st.caption(_("Organisations without a NUTS-2 code take no part in the region network."))
    st.dataframe(
        links.with_pages(partners, "partner", "region"),
        hide_index=True,
        column_order=[
            "name",
            "partner",
            *(["country"] if region else []),
            "weight",
            "organisations",
            links.PAGE_COLUMN,
        ],
        column_config={
            "name": _("Region") if region else _("Country"),
            "partner": _("Code"),
            "country": _("Country code"),
            "weight": st.column_config.NumberColumn(_("Shared items"), help=_(PARTNER_COLUMNS["weight"])),
            "organisations": st.column_config.NumberColumn(
                _("Their organisations"), help=_(PARTNER_COLUMNS["organisations"])
            ),
            links.PAGE_COLUMN: links.page_column(),
        },
    )


def _organisations(rc: RegionCharts) -> None:
    st.subheader(_("Its organisations"))
    table = rc.report.organisations()
    words = table.assign(
        kind=[kind_label(k) for k in table["kind"]], city=table["city"].fillna(""), nuts2=table["nuts2"].fillna("")
    )
    shown = links.with_pages(words, "org_id", "organisation")
    country = rc.place.level == "country"
    st.dataframe(
        shown,
        hide_index=True,
        column_order=["name", "kind", "city", *(["nuts2"] if country else []), "items", "partners", links.PAGE_COLUMN],
        column_config={
            "name": _("Organisation"),
            "kind": _("Kind"),
            "city": _("City"),
            "nuts2": _("NUTS-2 region"),
            "items": st.column_config.NumberColumn(_("Agreements and actions"), help=_(ORGANISATION_COLUMNS["items"])),
            "partners": st.column_config.NumberColumn(_("Partners"), help=_(ORGANISATION_COLUMNS["partners"])),
            links.PAGE_COLUMN: links.page_column(),
        },
    )
    stem = f"{rc.stem}-organisations"
    with st.container(horizontal=True, key="region_organisations_downloads"):
        table_download(rc, _("Organisations (CSV)"), rc.report.organisations, stem, DRAWN)
        xlsx_download(rc, _("Organisations (XLSX)"), lambda: rc.xlsx_table(stem), stem, "region_organisations_xlsx")
    chart = rc.kinds()
    chart_with_downloads(
        rc, chart, "region_kinds", _("The place's organisations in view by kind; the table above lists them.")
    )


def _brokers(rc: RegionCharts) -> None:
    st.subheader(_("Its brokers"))
    st.caption(
        _(
            "Its organisations that reach furthest: tied to partners in the most other countries, then the most "
            "between others (betweenness in the organisation network)."
        )
    )
    table, done, problem = rc.report.brokers()
    progress.notice(
        rc.insights,
        done,
        problem,
        _(
            "Betweenness is being computed: {share}. Meanwhile the brokers are ranked by the other countries they "
            "reach."
        ),
    )
    if table.empty:
        st.write(_("None of its organisations has a partner in view."))
        return
    st.dataframe(
        links.with_pages(table, "org_id", "organisation"),
        hide_index=True,
        column_order=["name", "brokerage", "betweenness", "partners", links.PAGE_COLUMN],
        column_config={
            "name": _("Organisation"),
            "brokerage": st.column_config.NumberColumn(_("Other countries"), help=_(BROKER_COLUMNS["brokerage"])),
            "betweenness": st.column_config.NumberColumn(
                _("Betweenness"), help=_(BROKER_COLUMNS["betweenness"]), format="%.4f"
            ),
            "partners": st.column_config.NumberColumn(_("Partners"), help=_(BROKER_COLUMNS["partners"])),
            links.PAGE_COLUMN: links.page_column(),
        },
    )
    table_download(rc, _("Brokers (CSV)"), lambda: rc.report.brokers()[0], f"{rc.stem}-brokers", "region_brokers_csv")


def _over_time(rc: RegionCharts) -> None:
    st.subheader(_("Its agreements and actions over time"))
    chart = rc.years()
    chart_with_downloads(
        rc,
        chart,
        "region_years",
        _("The place's agreements and actions by the year they start; the downloads hold the numbers."),
    )


def compare_url(place: Place, periods: dict[str, str]) -> str:
    """The Compare page with the two halves as its periods and the place's country (and its partners) in view; the
    sidebar's other filters kept."""
    params = {**links.kept(), FIELD["countries"].url: place.country, **periods}
    params.pop(FIELD["only_selected"].url, None)
    return f"{compare.URL_PATH}?{urlencode(params, safe=',', doseq=True)}"


def _halves(rc: RegionCharts) -> None:
    st.subheader(_("What changed between the two halves of the period"))
    found = rc.report.halves()
    if found is None:
        st.write(_("The view spans a single year: there are no two halves to compare."))
        return
    table = rc.report.halves_table()
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "period": _("Half"),
            "from": _("From"),
            "to": _("To"),
            "items": st.column_config.NumberColumn(_("Agreements and actions"), help=_(HALF_COLUMNS["items"])),
            "organisations": st.column_config.NumberColumn(_("Organisations"), help=_(HALF_COLUMNS["organisations"])),
            "partners": st.column_config.NumberColumn(_("Partner places"), help=_(HALF_COLUMNS["partners"])),
        },
    )
    names = dict(zip(rc.report.partners()["partner"], rc.report.partners()["name"], strict=True))
    for codes, said in (
        (found.gained, _("**Partners gained in {b}**: {places}")),
        (found.lost, _("**Partners lost after {a}**: {places}")),
    ):
        if codes:
            places = listed([f"{names.get(c, c)} ({c})" for c in codes])
            st.markdown(said.format(a=md(found.a.words), b=md(found.b.words), places=md(places)))
    url = compare_url(rc.place, found.periods.to_query())
    st.markdown(
        _(
            "[Compare {a} with {b} on the Compare page]({url}) (a new tab, with {country} and its partners in view)"
        ).format(a=md(found.a.words), b=md(found.b.words), url=url, country=md(_country(rc.insights, rc.place.country)))
    )


def _money(rc: RegionCharts) -> None:
    money = rc.report.money()
    if money is None:
        return
    st.subheader(_("Money"))
    if money.participations == 0:
        st.write(_("None of its organisations takes part in an action in view: it received no EU contribution."))
        return
    if money.without_amount == money.participations:
        st.write(_("None of its participations in actions in view carries an amount."))
        return
    left, middle, right = st.columns(3)
    left.metric(_("Led from the place"), i18n.euros(money.here_eur), help=_("In actions whose lead lies in the place"))
    middle.metric(
        _("Led from elsewhere"), i18n.euros(money.elsewhere_eur), help=_("In actions led from other places only")
    )
    right.metric(
        _("Lead not placed"), i18n.euros(money.not_given_eur), help=_("In actions that name no lead with a place")
    )
    chart = rc.money()
    if chart is not None:
        chart_with_downloads(
            rc,
            chart,
            "region_money",
            _("The place's EU contribution by partner place; the downloads hold every partner."),
        )


def _empty(rc: RegionCharts) -> None:
    """A known place with no organisation in view: why, and the place with no filters (a new tab: a new session
    reads its filters from the address)."""
    for sentence in rc.report.reading():
        st.info(md(sentence))
    if rc.report.summary().in_dataset:
        key = "country" if rc.place.level == "country" else "nuts2"
        url = f"{links.REGION_PATH}?{urlencode({key: rc.place.code, i18n.URL_KEY: i18n.language()})}"
        st.markdown(_("[Open {place} with no filters]({url}) (a new tab)").format(place=md(rc.place.said()), url=url))
    else:
        st.caption(_("Find a region or a country with organisations with the Search in the sidebar."))


def render() -> None:
    _render()
    st.session_state[ADDRESS] = _keys(st.query_params.get)  # not after a rerun asked for: that run ends here


def _render() -> None:
    charts = state.charts()
    insights = charts.insights
    own = _own_rerun()
    asked = _asked(own)
    if asked is None:
        _no_place(insights)
        return
    key, code = asked
    if key == "country" and "," in code:
        _several(insights, [c.strip().upper() for c in code.split(",") if c.strip()])
        return
    try:
        place = find_place(insights.dataset, LEVEL_OF_KEY[key], code)
    except UnknownPlace:
        _unknown(insights, key, code)
        return
    if place.level == "country" and place.code in insights.dataset.incidence.codes["country"].labels:
        _follow_country(place.code)
    if not own:
        _write_again(key, place.code)
    rc = state.with_view(("region", place.level, place.code), lambda c, files: RegionCharts(c, place, files))
    insights = rc.insights
    country = md(_country(insights, place.country))
    header(
        md(place.said()),
        insights,
        _(
            "A NUTS-2 region of {country}: its organisations, partners, brokers and agreements and actions in view."
        ).format(country=country)
        if place.level == "region"
        else _("A country: its organisations, partner countries, brokers and agreements and actions in view."),
    )
    if place.level == "region":
        links.region_link(
            place.country,
            _("The page of {country}").format(country=f"{_country(insights, place.country)} ({place.country})"),
            icon=":material/arrow_upward:",
        )
    if rc.report.summary().organisations == 0:
        _empty(rc)
        share_and_bundle(rc, links.REGION_PATH)
        return
    _tiles(rc)
    st.markdown(" ".join(md(sentence) for sentence in rc.report.reading()))
    if insights.filters.only_selected:
        st.caption(_("Only the selected countries are in view: partners from other countries are left out."))
    _partners(rc)
    _organisations(rc)
    _brokers(rc)
    _over_time(rc)
    _halves(rc)
    _money(rc)
    share_and_bundle(rc, links.REGION_PATH)
