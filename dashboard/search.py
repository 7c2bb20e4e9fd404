"""The search box: a text field whose best matches are links in the page (an <a> each, read by screen readers). It
is a fragment, so a keystroke reruns the box alone; the matching runs on the server (analysis.search), and only the
ten best reach the browser."""

from __future__ import annotations

from collections.abc import Callable, Container

import streamlit as st

from analysis import i18n, search
from analysis.i18n import _
from analysis.search import KINDS, LIMIT, MIN_CHARACTERS, Hit, HitKind
from dashboard import links, state
from dashboard.language import spoken
from dashboard.safe import md

# The field commits on every change (Streamlit's `live`): a pause would add itself to every keystroke's wait, and a
# search is a fragment run of a few milliseconds on the server.
TYPING_PAUSE = "0ms"
SIDEBAR_KEY = "_search_sidebar"


def to_its_page(hit: Hit) -> None:
    """A hit's link to its own page: an organisation's, a region's or a country's, the filters kept."""
    if hit.kind == "organisation":
        links.organisation_link(hit.id, hit.label)
    else:
        links.region_link(hit.id, hit.label)  # a country's 2-letter code opens the country's page


@st.fragment
@spoken
def _box(
    key: str,
    label: str,
    placeholder: str,
    kinds: tuple[HitKind, ...],
    among: Container[str] | None,
    link: Callable[[Hit], None],
) -> None:
    query = st.text_input(label, key=key, type="search", live=TYPING_PAUSE, placeholder=placeholder)
    query = (query or "").strip()
    if not query:
        return
    if len(search.key(query).replace(" ", "")) < MIN_CHARACTERS:
        st.caption(_("Type at least two letters."))
        return
    hits = search.index(state.dataset()).find(query, LIMIT + 1, kinds, among)
    if not hits:
        st.caption(_("Nothing matches {query}.").format(query=md(query)))
        return
    for hit in hits[:LIMIT]:
        link(hit)
    if len(hits) > LIMIT:
        st.caption(_("The {count} best matches: type more to narrow them.").format(count=i18n.integer(LIMIT)))


def box(
    key: str,
    label: str,
    placeholder: str,
    link: Callable[[Hit], None] = to_its_page,
    kinds: tuple[HitKind, ...] = KINDS,
    among: Container[str] | None = None,
) -> None:
    """A search field (widget `key`) over the dataset's entries of these kinds (organisations only among `among`'s
    ids, if given); each of the best matches drawn by `link`, a link to its own page unless said otherwise."""
    _box(key, label, placeholder, kinds, among, link)


def sidebar_box() -> None:
    """The search of every page, in the sidebar: organisations, regions and countries, each to its page."""
    box(SIDEBAR_KEY, _("Search"), _("Organisation, city, region or id"))
