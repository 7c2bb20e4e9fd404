"""What every page shares: its title and the filters it was made under."""

from __future__ import annotations

import streamlit as st

from analysis.i18n import _
from analysis.insights import Insights
from dashboard import state
from dashboard.safe import md


def header(title: str, insights: Insights, intro: str = "", period: str | None = None) -> None:
    """The page's title, what it shows, and the filters in force (`period` in words when the page sets its own)."""
    st.title(title)
    if intro:
        st.caption(intro)
    mine = state.upload()
    if mine is not None and mine.dataset is insights.dataset:
        which = _("your upload {name} ({when}, this session only)").format(
            name=md(mine.dataset.name), when=f"{mine.uploaded_at:%Y-%m-%d %H:%M}"
        )
    else:
        which = md(insights.dataset.name)
    st.info(
        _("**Filters in force:** {filters} · dataset: {dataset}").format(
            filters=md(insights.filters.describe(period=period)), dataset=which
        )
    )
