"""The Network page on a network too large to compute every metric while it waits: drawn by degree at once, the
costly metrics' progress shown, and filled in when their job is done."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analysis import i18n


def _page() -> None:
    import threading

    import streamlit as st

    from analysis import insights
    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import network

    language.speak()  # English unless the URL says `lang`, as dashboard/app.py does before any page
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
    state.use_filters(Filters(countries=tuple(st.session_state.get("countries", ("PL",)))))
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


def test_the_page_in_italian_while_betweenness_is_computed():
    from analysis import insights, metrics

    exact, at_once = metrics.METRICS["betweenness"], insights.AT_ONCE_WORK
    try:
        page = AppTest.from_function(_page, default_timeout=60)
        page.query_params["lang"] = "it"
        page.session_state["countries"] = ("PT",)  # a view whose metrics no other test computed
        page.run()
        assert not page.exception
        assert page.title[0].value == "Rete"
        (bar,) = page.get("progress")
        assert bar.proto.text.startswith("Calcolo di ") and "Intanto la rete è disegnata per grado" in bar.proto.text
        assert page.caption[1].value.startswith("Sono mostrati tutti i nodi (")
        assert [s.label for s in page.selectbox] == ["Dimensione dei nodi", "Colore", "Dettagli di"]
        assert page.subheader[0].value == "Tabella delle metriche"
        metrics_csv = next(b for b in page.get("download_button") if b.key == "net_metrics_csv")
        assert metrics_csv.proto.label.startswith("Metriche di tutti i nodi (")
        page.session_state.gate.set()
        from analysis.filters import Filters
        from dashboard import state

        state.server_data().charts(Filters(countries=("PT",))).insights.metrics_job("org").result(timeout=30)
        # AppTest formats the selectboxes' options again outside the page's run, in this thread's language.
        with i18n.speaking("it"):
            page.run()
        assert not page.exception and not page.get("progress")
        assert page.expander[-1].label == "Cosa significano le metriche"
    finally:
        metrics.METRICS["betweenness"], insights.AT_ONCE_WORK = exact, at_once


def _funded_page() -> None:
    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import network

    language.speak()
    state.use_filters(Filters())
    network.render()


def test_a_link_with_measure_contribution_sizes_nodes_and_weighs_links_by_money(tmp_path, monkeypatch):
    import json

    from analysis.dataset import DATA_ENV
    from tests import small

    monkeypatch.setenv(DATA_ENV, str(small.write_funded(tmp_path)))
    page = AppTest.from_function(_funded_page, default_timeout=60)
    page.query_params["measure"] = "contribution"
    page.run()
    assert not page.exception
    control = page.get("button_group")[1]  # after the level
    assert (control.label, control.value) == ("Weigh links and size nodes by", "contribution")
    assert page.caption[1].value.startswith("Nodes are sized by their EU contribution")
    spec = json.loads(page.get("plotly_chart")[0].proto.spec)
    widths = sorted({shape["line"]["width"] for shape in spec["layout"]["shapes"]})
    assert widths == [0.6, 2.6, 4.2]  # b-a (1500) and e-f (750.15) lighter than c-e (2250.15) and c-f (1500)
    hovers = [h for t in spec["data"] if t.get("mode") == "markers+text" for h in t["hovertext"]]
    assert any("Org C" in h and "EU contribution 3,000 EUR" in h for h in hovers)
    assert any("Org F" in h and "no EU contribution given" in h for h in hovers)
    page.get("button_group")[1].set_value("items").run()
    assert "measure" not in page.query_params
    assert page.selectbox[0].label == "Node size"
