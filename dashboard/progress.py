"""How far the costly metrics of a large network got, on the pages that show the rest while they are computed."""

from __future__ import annotations

import streamlit as st

from analysis import i18n
from analysis.insights import Insights
from analysis.networks import LevelName
from dashboard.language import spoken


@st.fragment(run_every=1.0)
@spoken
def filling_in(insights: Insights, words: str, level: LevelName = "org") -> None:
    """A bar of the metrics computed apart, `words` saying it (`{share}`: how far, in the language spoken); the whole
    page reruns to fill them in when they are ready."""
    job = insights.metrics_job(level)  # asking keeps it going: an unwatched job stops after analysis.jobs' limit
    if job.done:
        st.rerun()
    st.progress(job.progress, text=words.format(share=i18n.percent(job.progress)))
