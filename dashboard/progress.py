"""How far the costly metrics of a large network got, on the pages that show the rest while they are computed."""

from __future__ import annotations

import streamlit as st

from analysis import i18n
from analysis.i18n import _
from analysis.insights import Insights
from analysis.networks import LevelName
from dashboard.language import spoken
from dashboard.safe import md


@st.fragment(run_every=1.0)
@spoken
def filling_in(insights: Insights, words: str, level: LevelName = "org") -> None:
    """A bar of the metrics computed apart, `words` saying it (`{share}`: how far, in the language spoken); the whole
    page reruns to fill them in when they are ready."""
    job = insights.metrics_job(level)  # asking keeps it going: an unwatched job stops after analysis.jobs' limit
    if job.done:
        st.rerun()
    st.progress(job.progress, text=words.format(share=i18n.percent(job.progress)))


def notice(insights: Insights, done: float | None, problem: str | None, words: str) -> None:
    """What a page says of the costly metrics it shows (Insights.metrics_so_far's `done` and `problem`): why they
    failed, or how far they got (filling_in with `words`); nothing once they are in."""
    if problem:
        st.error(
            _("Betweenness could not be computed ({problem}). Reload the page to try again.").format(
                problem=md(problem)
            )
        )
    elif done is not None:
        filling_in(insights, words)
