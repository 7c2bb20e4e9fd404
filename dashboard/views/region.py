"""Placeholder of the region page (issue 24): replaced by its view."""

from __future__ import annotations

import streamlit as st

from analysis.i18n import _
from dashboard import links


def page() -> st.Page:
    """The page as st.navigation registers it (hidden from the menu: reached by search and links)."""
    return st.Page(render, title=_("Region"), url_path=links.REGION_PATH, visibility="hidden")


def render() -> None:
    st.write("region")
