"""What every page shares: its title and the filters it was made under."""

from __future__ import annotations

import streamlit as st

from analysis.insights import Insights
from dashboard.safe import md


def header(title: str, insights: Insights, intro: str = "") -> None:
    st.title(title)
    if intro:
        st.caption(intro)
    st.info(f"**Filters in force:** {md(insights.filters.describe())} · dataset: {md(insights.dataset.name)}")
