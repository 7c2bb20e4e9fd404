"""ClusterNet dashboard entry point: `clusternet run` serves this file."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts only this folder on sys.path; its parent holds `analysis`, `charts` and `dashboard`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

from dashboard import state
from dashboard.sidebar import sidebar
from dashboard.views import compare, data, map, network, overview, partners, sources, timeline

st.set_page_config(page_title="ClusterNet", layout="wide")
page = st.navigation(
    [
        st.Page(overview.render, title="Overview", url_path="overview", default=True),
        st.Page(map.render, title="Map", url_path="map"),
        st.Page(network.render, title="Network", url_path="network"),
        partners.page(),
        st.Page(timeline.render, title="Timeline", url_path="timeline"),
        st.Page(compare.render, title="Compare", url_path=compare.URL_PATH),
        st.Page(sources.render, title="Sources", url_path="sources"),
        st.Page(data.render, title="Data", url_path="data"),
    ]
)
sidebar(state.dataset(), period=page.url_path != compare.URL_PATH)
page.run()
