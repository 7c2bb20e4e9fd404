"""The page of one organisation: /organisation?id=ID. Who it is and where that is written, a reading in words, its
metrics ranked in the view, its agreements and actions in time, its partners with the items behind each tie, where
they are, its EU contribution by year, its best suggested partners, and the downloads. The filters apply."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus, urlencode

import pandas as pd
import streamlit as st

from analysis import i18n
from analysis.funding import CONTRIBUTION
from analysis.i18n import _, ngettext
from analysis.insights import Insights
from analysis.metrics import METRICS
from analysis.organisation import Organisation, Rank, known
from analysis.words import kind_label, listed, plural
from charts.organisation import PARTNER_COLUMNS, PLACE_LEVELS, OrganisationCharts, far_places
from dashboard import links, progress, state
from dashboard.downloads import (
    chart_with_downloads,
    first_rows,
    share_and_bundle,
    table_download,
    xlsx_download,
)
from dashboard.layout import header
from dashboard.safe import md
from dashboard.views import partners as partners_page
from dashboard.views import sources as sources_page

PAGE = "_page"  # the partners table's column of links to each partner's page


def page() -> st.Page:
    """The page as st.navigation registers it (hidden from the menu: reached by search and links)."""
    return st.Page(render, title=_("Organisation"), url_path=links.ORGANISATION_PATH, visibility="hidden")


def _asked() -> str | None:
    """The id the address asks for, if any."""
    value = st.query_params.get(links.ORGANISATION_KEY, "")
    return value.strip() or None


def page_urls(ids: pd.Series) -> pd.Series:
    """Each organisation's page, keeping the filters and the language (links.organisation_url, for a column of
    thousands: its query string is written once)."""
    stem = links.organisation_url("")  # `organisation?...&id=`: the id comes last
    return stem + ids.astype(str).map(quote_plus)


def _no_id(insights: Insights) -> None:
    header(_("Organisation"), insights)
    st.info(
        _(
            "This page shows one organisation, and its address names none (?id= and the organisation's id). Open it "
            "from a link on another page, or find the organisation with the Search in the sidebar."
        )
    )


def _unknown(insights: Insights, org_id: str) -> None:
    header(_("Organisation not found"), insights)
    st.warning(
        _(
            "No organisation of this dataset has the id {id}. Find the one you are looking for with the Search in "
            "the sidebar."
        ).format(id=md(org_id))
    )


def _outside(page_charts: OrganisationCharts, org: Organisation) -> None:
    """Known, but in no agreement or action the filters keep: why, and the page with no filters."""
    name = md(page_charts.name)
    if org.items_in_dataset == 0:
        st.warning(_("{name} takes part in no agreement and no action of this dataset.").format(name=name))
        return
    st.warning(
        _("{name} is not in this view: none of its {items} in the dataset is kept by the filters in force.").format(
            name=name,
            items=plural(org.items_in_dataset, "{count} agreement or action", "{count} agreements and actions"),
        )
    )
    url = f"{links.ORGANISATION_PATH}?{urlencode({links.ORGANISATION_KEY: org.org_id, i18n.URL_KEY: i18n.language()})}"
    # A new tab is a new session, which reads its (absent) filters from the address.
    st.markdown(_("[Open its page with no filters]({url}) (a new tab, the whole dataset)").format(url=url))


def _tiles(page_charts: OrganisationCharts, org: Organisation) -> None:
    counts = org.item_counts()
    tiles = [
        (
            _("Partners"),
            i18n.integer(len(org.partners)),
            _("Distinct organisations it shares an agreement or action with"),
        ),
        (_("Partner countries"), i18n.integer(len(org.countries)), _("Countries of its partners")),
        (_("Agreements"), i18n.integer(counts["agreement"]), _("Agreements in view it is a party to")),
        (_("Actions"), i18n.integer(counts["action"]), _("Actions in view it takes part in")),
    ]
    money = page_charts.money()
    if money is not None:
        unknown = money.participations > 0 and money.contribution_eur is None
        amount = _("no amount given") if unknown else i18n.euros(money.contribution_eur or 0.0)
        tiles.append((_(CONTRIBUTION.label), amount, _(CONTRIBUTION.definition)))
    for column, (label, value, help_text) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(label, value, help=help_text)


def _identity(page_charts: OrganisationCharts, org: Organisation) -> None:
    """What the dataset says of it, with links to its region's and its country's pages, and its sources."""
    who = org.identity
    assert who is not None
    st.subheader(_("Who it is"))
    names = page_charts.charts._country_names
    country = i18n.country_name(who.country, names.get(who.country))
    lines = [_("**Kind**: {kind}").format(kind=md(kind_label(who.kind)))]
    if who.city:
        lines.append(_("**City**: {city}").format(city=md(who.city)))
    if who.website:
        lines.append(_("**Website**: {url}").format(url=_markdown_link(who.website, who.website)))
    if who.sectors:
        lines.append(_("**Sectors**: {sectors}").format(sectors=md(", ".join(who.sectors))))
    lines.append(_("**Identifier**: {id}").format(id=md(who.org_id)))
    st.markdown("\n".join(f"- {line}" for line in lines))
    with st.container(horizontal=True, key="organisation_places"):
        links.region_link(who.country, _("{country}: its page").format(country=country), icon=":material/flag:")
        if who.nuts2:
            region = f"{who.region} ({who.nuts2})"
            links.region_link(who.nuts2, _("{region}: its page").format(region=region), icon=":material/location_on:")
    if not who.nuts2:
        st.caption(_("The data gives no NUTS-2 region for it."))
    st.markdown(_("**Sources of these facts**"))
    if who.sources.empty:
        st.write(_("No source is cited for this organisation."))
    else:
        st.markdown("\n".join(f"- {_source_line(row)}" for row in who.sources.itertuples(index=False)))
    cited = len(org.source_ids)
    if org.status == "in_view":
        st.caption(
            plural(
                cited,
                "{count} source backs it, its agreements and actions in view and its part in them: the report bundle "
                "lists it.",
                "{count} sources back it, its agreements and actions in view and its part in them: the report bundle "
                "lists them.",
            )
        )
    st.page_link(
        st.Page(sources_page.render, title=_("Sources"), url_path="sources"),
        label=_("Every source and the facts it backs: the Sources page"),
        query_params=links.kept(),
        icon=":material/menu_book:",
    )


def _markdown_link(label: str, url: str) -> str:
    """A markdown link to an http(s) address from the data, the label escaped and the address's brackets encoded."""
    safe = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{md(label)}]({safe})"


def _source_line(row: Any) -> str:
    title = str(row.title)
    url = row.url
    said = _markdown_link(title, url) if isinstance(url, str) and url else md(title)
    more = [str(v) for v in (row.publisher, row.published_on) if isinstance(v, str) and v]
    return " · ".join([said, *(md(v) for v in more)])


def _rank_words(rank: Rank) -> str:
    if rank.rank is None:
        return _("being computed")
    return _("rank {rank} of {count}").format(rank=i18n.integer(rank.rank), count=i18n.integer(rank.ranked))


def _metrics(page_charts: OrganisationCharts) -> None:
    insights = page_charts.insights
    st.subheader(_("Its place in the network"))
    st.caption(
        _(
            "On the organisation network in view; rank 1 is the highest, and organisations with equal values share "
            "the best rank."
        )
    )
    _so_far, done, problem = insights.metrics_so_far("org")
    progress.notice(
        insights,
        done,
        problem,
        _("Betweenness is being computed for the whole network in view: {share}. It fills in when ready."),
    )
    found = page_charts.ranks()
    for column, rank in zip(st.columns(len(found)), found, strict=True):
        metric = METRICS[rank.metric]
        if rank.value is None:
            value = _("being computed")
        elif metric.dtype == "float64":
            value = i18n.decimal(rank.value, 4)
        else:
            value = i18n.integer(int(rank.value))
        column.metric(_(metric.label), value, help=_(metric.definition))
        column.caption(_rank_words(rank))


def _timeline(page_charts: OrganisationCharts, org: Organisation) -> None:
    st.subheader(_("Its agreements and actions in time"))
    chart = page_charts.timeline()
    shown, total = len(chart.table), len(org.items)
    caption = (
        _("Agreements as diamonds at their signing, with a line for their life; actions as bars, styled by status.")
        if shown == total
        else _(
            "The latest {shown} of its {total} agreements and actions by start; the table below lists them all."
        ).format(shown=i18n.integer(shown), total=i18n.integer(total))
    )
    chart_with_downloads(
        page_charts,
        chart,
        "organisation_timeline",
        _("Its agreements and actions in time, coloured by kind; the table below has the same rows."),
        caption,
    )
    with st.expander(
        plural(total, "The {count} agreement or action as a table", "The {count} agreements and actions as a table")
    ):
        table = page_charts.items_table()
        st.dataframe(
            table[["title", "type", "kind", "status", "start", "end", "role", "organisations"]],
            hide_index=True,
            column_config={
                "title": _("Title"),
                "type": _("Type"),
                "kind": _("Kind"),
                "status": _("Status"),
                "start": _("Start"),
                "end": _("End"),
                "role": _("Role"),
                "organisations": st.column_config.NumberColumn(_("Organisations in view")),
            },
        )
        table_download(
            page_charts,
            _("Its agreements and actions (CSV)"),
            page_charts.items_table,
            f"organisation-{org.org_id}-agreements-and-actions",
            "organisation_items_csv",
        )


def _partners(page_charts: OrganisationCharts, org: Organisation) -> None:
    st.subheader(_("Its partners"))
    if org.partners.empty:
        st.write(_("No other organisation in view shares an agreement or action with it."))
        return
    chart = page_charts.partners()
    chart_with_downloads(
        page_charts,
        chart,
        "organisation_partners",
        _("Its partners sharing the most agreements and actions with it, as bars coloured by country."),
        plural(
            len(chart.table),
            "The {count} partner sharing the most agreements and actions with it; the table lists it.",
            "The {count} partners sharing the most agreements and actions with it; the table lists every partner.",
        ),
    )
    table = org.partners
    names = page_charts.charts._country_names
    said = {code: i18n.country_name(code, names.get(code)) for code in org.countries["country"]}
    # Only the columns and rows shown go to the browser: a programme's hub has tens of thousands of partners.
    part = first_rows(table)
    shown = part[["name", "shared", "titles"]].assign(
        country=part["country"].map(said), **{PAGE: page_urls(part["org_id"])}
    )
    st.dataframe(
        shown,
        hide_index=True,
        column_order=["name", "country", "shared", PAGE, "titles"],
        column_config={
            "name": st.column_config.TextColumn(_("Partner"), help=_(PARTNER_COLUMNS["name"])),
            "country": _("Country"),
            "shared": st.column_config.NumberColumn(_("Shared items"), help=_(PARTNER_COLUMNS["shared"])),
            "titles": st.column_config.TextColumn(
                _("The agreements and actions behind the tie"), width="large", help=_(PARTNER_COLUMNS["titles"])
            ),
            PAGE: st.column_config.LinkColumn(
                _("Its page"), display_text=_("open its page"), help=_("The partner's page, with the filters kept")
            ),
        },
    )
    stem = f"organisation-{org.org_id}-all-partners"
    with st.container(horizontal=True, key="organisation_partners_downloads"):
        table_download(page_charts, _("Every partner (CSV)"), page_charts.partners_table, stem, "organisation_all_csv")
        xlsx_download(page_charts, _("Every partner (XLSX)"), page_charts.partners_xlsx, stem, "organisation_all_xlsx")


def _map(page_charts: OrganisationCharts, org: Organisation) -> None:
    if org.partners.empty:
        return
    st.subheader(_("Where its partners are"))
    chart = page_charts.map()
    regions, apart = len(org.regions), org.partners_without_region
    caption = ngettext(
        "Its partners are in {count} NUTS-2 region and {countries}",
        "Its partners are in {count} NUTS-2 regions and {countries}",
        regions,
    ).format(count=i18n.integer(regions), countries=plural(len(org.countries), "{count} country", "{count} countries"))
    if apart:
        caption += plural(
            apart,
            "; {count} partner has no region in the data and is drawn at its country's centre.",
            "; {count} partners have no region in the data and are drawn at their country's centre.",
        )
    else:
        caption += "."
    if far := far_places(page_charts.places()):
        caption += " " + plural(
            far,
            "{count} place lies outside Europe, beyond the first view: drag or zoom out to see it.",
            "{count} places lie outside Europe, beyond the first view: drag or zoom out to see them.",
        )
    chart_with_downloads(
        page_charts,
        chart,
        "organisation_map",
        _("A map of its partners' regions and countries, each sized by its number of partners; the table has them."),
        caption,
    )
    with st.expander(_("The same places as a table")):
        st.dataframe(
            chart.table.assign(level=chart.table["level"].map(_place_level)),
            hide_index=True,
            column_config={
                "place": _("Code"),
                "level": _("Level"),
                "name": _("Name"),
                "country": _("Country code"),
                "partners": st.column_config.NumberColumn(_("Partners")),
            },
        )


def _place_level(level: str) -> str:
    """How the places table says a place's level (the files keep PLACE_LEVELS' values)."""
    if level == PLACE_LEVELS["region"]:
        return _("region (NUTS-2)")
    return _("country (partners without a region)")


def _money(page_charts: OrganisationCharts) -> None:
    money = page_charts.money()
    if money is None:
        return
    st.subheader(_("EU contribution by year"))
    if money.participations == 0:
        st.write(_("It takes part in no action in view: it received no EU contribution here."))
        return
    if money.contribution_eur is None:
        st.write(_("None of its participations in actions in view carries an amount."))
        return
    spread = st.toggle(_("Spread each amount evenly over its action's years"), key="organisation_spread")
    chart = page_charts.contribution_years(spread)
    if chart is None:
        return
    chart_with_downloads(
        page_charts,
        chart,
        "organisation_money",
        _("Its EU contribution per year as bars; the downloads hold the numbers."),
        _capital(_(chart.definitions["contribution_eur"])),
    )


def _capital(text: str) -> str:
    """A definition (written to follow a column's name) as a sentence of its own."""
    return text[:1].upper() + text[1:]


def _suggestions(page_charts: OrganisationCharts, org: Organisation) -> None:
    st.subheader(_("Who it might work with next"))
    found = page_charts.suggestions()
    if not found:
        st.write(_("No organisation in view shares a partner with it without being tied to it already."))
    else:
        st.caption(
            _(
                "Organisations not yet tied to it that share partners with it, best first (Adamic-Adar index); the "
                "Partners page gives the reasons."
            )
        )
        ids = pd.Series([s.node for s in found])
        table = pd.DataFrame(
            {
                "name": [s.label for s in found],
                "country": [s.country for s in found],
                "score": [round(s.score, 4) for s in found],
                "shared": [listed(list(s.shared_labels[:3])) + (" …" if len(s.shared) > 3 else "") for s in found],
                PAGE: page_urls(ids),
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            column_config={
                "name": _("Organisation"),
                "country": _("Country"),
                "score": st.column_config.NumberColumn(_("Score")),
                "shared": st.column_config.TextColumn(_("Shared partners"), width="large"),
                PAGE: st.column_config.LinkColumn(
                    _("Its page"), display_text=_("open its page"), help=_("The partner's page, with the filters kept")
                ),
            },
        )
    st.page_link(
        partners_page.page(),
        label=_("More suggested partners, with the reasons: the Partners page"),
        query_params={**links.kept(), "org": org.org_id},
        icon=":material/group_add:",
    )


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    org_id = _asked()
    if org_id is None:
        _no_id(insights)
        return
    if not known(insights.view, org_id):  # said before anything is kept for it: a mistyped id costs nothing
        _unknown(insights, org_id)
        return
    # A link to the page it is on (the sidebar's Search, from one organisation to another) leaves the browser's
    # address as it was: the id is written again, so the address, a reload and a bookmark name this organisation.
    st.query_params.pop(links.ORGANISATION_KEY, None)
    st.query_params[links.ORGANISATION_KEY] = org_id
    page_charts = state.with_view(("organisation", org_id), lambda view, files: OrganisationCharts(view, org_id, files))
    org = page_charts.profile()
    who = org.identity
    assert who is not None
    names = charts._country_names
    where = [md(i18n.country_name(who.country, names.get(who.country)))]
    if who.region:
        where.insert(0, md(who.region))
    header(
        md(who.name),
        insights,
        _("{kind} in {place}: its agreements, actions and partners in view.").format(
            kind=md(kind_label(who.kind).capitalize()), place=", ".join(where)
        ),
    )
    if org.status == "outside":
        _outside(page_charts, org)
        _identity(page_charts, org)
        share_and_bundle(page_charts, links.ORGANISATION_PATH)
        return
    _tiles(page_charts, org)
    st.markdown("\n".join(f"- {md(sentence)}" for sentence in page_charts.reading()))
    _metrics(page_charts)
    _identity(page_charts, org)
    _timeline(page_charts, org)
    _partners(page_charts, org)
    _map(page_charts, org)
    _money(page_charts)
    _suggestions(page_charts, org)
    share_and_bundle(page_charts, links.ORGANISATION_PATH)
