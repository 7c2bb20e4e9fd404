"""The measure a page shades, sizes or weighs by: one control, kept in the URL (`measure=`) like the filters."""

from __future__ import annotations

import streamlit as st

from analysis.funding import MEASURES
from analysis.i18n import _
from analysis.insights import Insights
from dashboard import language
from dashboard.safe import md

URL_KEY = "measure"


def _written(page: str) -> str:
    return f"_{page}_measure_url"  # the measure this page last wrote to the URL


def offered(options: tuple[str, ...], insights: Insights) -> list[str]:
    """The measures that mean something for this dataset: money ones only when it carries amounts."""
    return [m for m in options if insights.has_amounts or not MEASURES[m].money]


def choose(page: str, options: tuple[str, ...], insights: Insights, label: str) -> str:
    """The page's measure: the URL's when the page did not write it itself (a shared link), else the control's; the
    first option is the default and leaves the URL bare. A measure this dataset cannot show is named and ignored."""
    allowed = offered(options, insights)
    key = f"{page}_measure"
    url = st.query_params.get(URL_KEY)
    if url != st.session_state.get(_written(page)):
        if url in allowed:
            st.session_state[key] = url
        elif url:
            reason = (
                _("this dataset carries no amounts (contribution_eur)")
                if url in options
                else _("not a measure of this page")
            )
            st.warning(_("The link's measure {measure} is ignored: {reason}.").format(measure=md(url), reason=reason))
    if st.session_state.get(key) not in allowed:
        st.session_state[key] = allowed[0]
    chosen = allowed[0]
    if len(allowed) > 1:
        chosen = st.segmented_control(
            label,
            allowed,
            format_func=lambda m: _(MEASURES[m].label),
            key=language.named(key),
            required=True,
            help=" ".join(f"{_(MEASURES[m].label)}: {_(MEASURES[m].definition)}." for m in allowed),
        )
    wanted = None if chosen == allowed[0] else chosen
    if st.query_params.get(URL_KEY) != wanted:
        if wanted is None:
            st.query_params.pop(URL_KEY, None)
        else:
            st.query_params[URL_KEY] = wanted
    st.session_state[_written(page)] = wanted
    return chosen
