"""ClusterNet dashboard entry point: `clusternet run` serves this file."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts only this folder on sys.path; the project root holds `analysis` and `dashboard`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

from dashboard.pages import overview

st.set_page_config(page_title="ClusterNet", layout="wide")
page = st.navigation([st.Page(overview.render, title="Overview", url_path="", default=True)])
page.run()
