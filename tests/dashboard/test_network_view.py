"""The Network page on a network too large to compute every metric while it waits: drawn by degree at once, the
costly metrics' progress shown, and filled in when their job is done."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import threading

    import streamlit as st

    from analysis import insights
    from analysis.filters import Filters
    from dashboard import state
    from dashboard.views import network

    insights.AT_ONCE_WORK = 0  # every network counts as large here
    if "gate" not in st.session_state:
        st.session_state.gate = threading.Event()
        from analysis import metrics

        exact = metrics.METRICS["betweenness"]

        def held(net, progress, exact=exact, gate=st.session_state.gate):
            progress(0.5)
            gate.wait(30)
            return exact.compute(net, progress)

        import dataclasses

        metrics.METRICS["betweenness"] = dataclasses.replace(exact, compute=held)
    state.use_filters(Filters(countries=("PL",)))
    network.render()


def test_the_network_is_drawn_by_degree_while_betweenness_is_computed():
    from analysis import insights, metrics

    exact, at_once = metrics.METRICS["betweenness"], insights.AT_ONCE_WORK
    try:
        page = AppTest.from_function(_page, default_timeout=60).run()
        assert not page.exception
        bars = page.get("progress")
        assert bars and "betweenness and community" in bars[0].proto.text
        assert "Drawn by degree meanwhile" in bars[0].proto.text
        assert page.get("plotly_chart")  # the chart is there already
        page.session_state.gate.set()
        from analysis.filters import Filters
        from dashboard import state

        state.server_data().charts(Filters(countries=("PL",))).insights.metrics_job("org").result(timeout=30)
        page.run()  # the rerun the fragment asks for when the job is done
        assert not page.exception and not page.get("progress")
    finally:
        metrics.METRICS["betweenness"], insights.AT_ONCE_WORK = exact, at_once
