"""ClusterNet dashboard entry point: `clusternet run` serves this file."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts only this folder on sys.path; its parent holds `analysis`, `charts` and `dashboard`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

from analysis.i18n import _
from dashboard import language, state
from dashboard.sidebar import sidebar
from dashboard.views import (
    compare,
    data,
    map,
    money,
    network,
    organisation,
    overview,
    partners,
    region,
    sources,
    timeline,
)

language.speak()  # before any word is said: the navigation, the sidebar and the page speak it
st.set_page_config(page_title="ClusterNet", layout="wide")
page = st.navigation(
    [
        st.Page(overview.render, title=_("Overview"), url_path="overview", default=True),
        st.Page(map.render, title=_("Map"), url_path="map"),
        st.Page(network.render, title=_("Network"), url_path="network"),
        partners.page(),
        money.page(),
        st.Page(timeline.render, title=_("Timeline"), url_path="timeline"),
        st.Page(compare.render, title=_("Compare"), url_path=compare.URL_PATH),
        st.Page(sources.render, title=_("Sources"), url_path="sources"),
        st.Page(data.render, title=_("Data"), url_path="data"),
        organisation.page(),
        region.page(),
    ]
)
sidebar(state.dataset(), period=page.url_path != compare.URL_PATH)
page.run()
