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
        assert [s.label for s in page.selectbox] == ["Dimensione dei nodi", "Colore"]
        assert [t.label for t in page.text_input] == ["Dettagli di"]  # the search: no list of every node
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


def _italy_page() -> None:
    import streamlit as st

    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import network

    language.speak()
    state.use_filters(Filters(countries=("IT",)))
    if "country" not in st.query_params:
        st.query_params["country"] = "IT"  # what the sidebar writes for these filters
    network.render()


def _links(page: AppTest) -> list[tuple[str, str, dict[str, list[str]]]]:
    from urllib.parse import parse_qs

    found = page.get("page_link")
    return [(link.proto.page, link.proto.label, parse_qs(link.proto.query_string)) for link in found]


def test_the_details_search_links_to_this_page_with_the_node_and_the_filters():
    from dashboard.safe import md

    page = AppTest.from_function(_italy_page, default_timeout=60).run()
    assert not page.exception
    (box,) = page.text_input
    assert box.label == "Details of" and not page.get("page_link")
    box.input("puglia cre").run()
    assert _links(page) == [
        (
            "network",
            md("Distretto Produttivo Puglia Creativa · Italy · cluster · Puglia"),
            {"country": ["IT"], "node": ["puglia-creativa"]},
        )
    ]
    box.input("lille").run()  # Lille Métropole is Italy's partner, in view; other organisations of Lille are not
    assert [query["node"] for _p, _l, query in _links(page)] == [["lille-metropole"]]


def test_a_node_in_the_url_opens_its_details_with_a_link_to_its_page():
    from analysis import load_curated
    from analysis.filters import Filters
    from analysis.insights import Insights

    page = AppTest.from_function(_italy_page, default_timeout=60)
    page.query_params["node"] = "puglia-creativa"  # a search result's link
    page.run()
    assert not page.exception
    assert page.subheader[0].value == "Details: Distretto Produttivo Puglia Creativa"
    links = {label: (target, query) for target, label, query in _links(page)}
    target, query = links["The page of Distretto Produttivo Puglia Creativa"]
    assert target == "organisation" and query == {"country": ["IT"], "lang": ["en"], "id": ["puglia-creativa"]}
    table = next(t.value for t in page.dataframe if "degree" in t.value.columns)
    expected = Insights(load_curated(), Filters(countries=("IT",))).metrics("org")
    assert sorted(table["node"]) == sorted(expected["node"])
    assert table["page"].tolist() == [f"organisation?country=IT&lang=en&id={node}" for node in table["node"]]


def test_a_node_out_of_view_is_said():
    page = AppTest.from_function(_italy_page, default_timeout=60)
    page.query_params["node"] = "lille-design"  # French, tied to no Italian organisation: not in Italy's view
    page.run()
    assert not page.exception
    assert page.warning[0].value == "The link's organisation lille\\-design is not in view: no details are shown."
    assert not [s for s in page.subheader if s.value.startswith("Details: ")]


def test_at_region_level_a_list_of_regions_and_their_pages():
    page = AppTest.from_function(_italy_page, default_timeout=60).run()
    page.get("button_group")[0].set_value("region").run()
    assert not page.exception and not page.text_input
    chooser = next(s for s in page.selectbox if s.label == "Details of")
    assert "ITF4" in chooser.options or "Puglia" in chooser.options
    chooser.set_value("ITF4").run()
    assert page.subheader[0].value == "Details: Puglia"
    links = {label: (target, query) for target, label, query in _links(page)}
    assert links["The page of Puglia"] == ("region", {"country": ["IT"], "lang": ["en"], "nuts2": ["ITF4"]})
    table = next(t.value for t in page.dataframe if "degree" in t.value.columns)
    assert table.set_index("node").loc["ITF4", "page"] == "region?country=IT&lang=en&nuts2=ITF4"
