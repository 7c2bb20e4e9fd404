"""The filters in the sidebar, shared by every page and kept in the URL so a link reproduces the view.

The URL keys, the widgets and their reading are analysis.filters' codec (FIELDS). Widgets are seeded from the URL
on a session's first run; after that the widgets lead and the URL follows, on every page.
"""

from __future__ import annotations

import streamlit as st

from analysis import filters as codec
from analysis import i18n
from analysis.dataset import Dataset
from analysis.filters import FIELD, KIND_FIELDS, Filters
from analysis.i18n import _
from analysis.words import kind_label
from dashboard import language, search, state
from dashboard.safe import md

SEEDED = state.SEEDED_KEY
YEARS = codec.WIDGET_PREFIX + "years"  # the Period slider: whole years; the dates it stands for are in date_from/_to
DATE_FROM, DATE_TO = FIELD["date_from"].widget_key, FIELD["date_to"].widget_key
FILTER_KEYS = {f.url for f in codec.FIELDS}


def _countries(data: Dataset) -> tuple[dict[str, str], list[str]]:
    """Country names by code, and the codes of the dataset's organisations in the order of their names."""
    names = data.country_names()
    return names, sorted(data.organisations["country"].dropna().unique(), key=lambda c: names.get(c, c))


def _year_range(data: Dataset) -> tuple[int, int]:
    """The years the Period slider spans (read from the dataset's arrays: no cache needed)."""
    return data.incidence.years()


def _slider_years(filters: Filters, low: int, high: int) -> tuple[int, int]:
    """The slider's position for the filters' period, kept inside the dataset's years."""
    first = int(filters.date_from[:4]) if filters.date_from else low
    last = int(filters.date_to[:4]) if filters.date_to else high
    return max(low, min(first, high)), min(high, max(last, low))


def _url() -> dict[str, list[str]]:
    """The page's query string, every value of a repeated key kept."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _seed_from_url(data: Dataset, countries: list[str]) -> list[str]:
    """Put the URL's filters into the widgets' state; return what had to be ignored, in words."""
    filters, ignored = codec.from_query(_url(), countries, codec.programmes_of(data))
    st.session_state.update(codec.to_widgets(filters))
    st.session_state[YEARS] = _slider_years(filters, *_year_range(data))
    st.session_state[SEEDED] = True
    return ignored


def _years_changed() -> None:
    """The slider speaks in years: moving it replaces any finer URL date."""
    low, high = _year_range(state.dataset())
    first, last = st.session_state[YEARS]
    st.session_state[DATE_FROM] = None if first == low else str(first)
    st.session_state[DATE_TO] = None if last == high else str(last)


def _reset() -> None:
    st.session_state.update(codec.to_widgets(Filters()))
    st.session_state[YEARS] = _year_range(state.dataset())


def _to_url(filters: Filters) -> None:
    """The filters' keys follow the widgets; a page's own keys (the Compare page's periods) are left as they are."""
    wanted = codec.to_query(filters)
    url = _url()
    if {k: v for k, v in url.items() if k in FILTER_KEYS} != {
        k: v if isinstance(v, list) else [v] for k, v in wanted.items()
    }:
        st.query_params.from_dict({**{k: v for k, v in url.items() if k not in FILTER_KEYS}, **wanted})


def sidebar(data: Dataset, period: bool = True) -> Filters:
    """Draw the filters and return them; the URL is kept in step. Without `period`, the page sets its own periods
    (the Period slider is not shown, and the sidebar's period stays as it was for the other pages)."""
    names, countries = data.memo.get(("sidebar countries", i18n.language()), lambda: _countries(data))
    ignored = [] if st.session_state.get(SEEDED) else _seed_from_url(data, countries)
    low, high = _year_range(data)
    with st.sidebar:
        language.switch()
        if (mine := state.upload()) is not None:
            st.info(_("**Your upload:** {name}, in this browser session only.").format(name=md(mine.dataset.name)))
            st.button(_("Back to the curated data"), on_click=state.drop_upload, key="back_to_curated_sidebar")
        searching = st.container()  # the search, above the filters; drawn once they are read, so its links keep them
        st.header(_("Filters"))
        field = FIELD["countries"]
        st.multiselect(
            _(field.label),
            countries,
            format_func=lambda c: names.get(c, c),
            key=language.named(field.widget_key),
            placeholder=_("Choose options"),
        )
        field = FIELD["only_selected"]
        st.checkbox(_(field.label), key=field.widget_key, help=_(field.help))
        if not period:
            st.caption(_("Period: this page compares two periods, chosen on the page."))
        elif low < high:
            st.slider(_("Period"), low, high, key=YEARS, on_change=_years_changed)
        if programmes := codec.programmes_of(data):  # only a dataset whose actions name their programme
            field = FIELD["programmes"]
            st.multiselect(
                _(field.label),
                programmes,
                key=field.widget_key,
                placeholder=_("Choose options"),
                help=_("Keeps the actions of these programmes; agreements belong to none and stay in view."),
            )
        for field in KIND_FIELDS:
            st.multiselect(
                _(field.label),
                field.choices(),
                format_func=kind_label,
                key=language.named(field.widget_key),
                placeholder=_("Choose options"),
            )
        st.button(_("Reset filters"), on_click=_reset, width="stretch")
        filters = codec.from_widgets(st.session_state)
        if ignored:
            st.warning(
                _("The link held filters this dataset cannot use, ignored: {what}").format(what=md(", ".join(ignored)))
            )
        language.mark_page()  # in the sidebar: an element of its own, out of the page's layout
    _to_url(filters)
    language.keep_in_url()
    state.use_filters(filters)
    with searching:
        search.sidebar_box()
    return filters
