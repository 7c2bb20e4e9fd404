"""The Compare page on networks too large to compute betweenness while it waits: the movers by degree at once, the
progress shown, betweenness filled in when done; and a failed computation said, not raised."""

from __future__ import annotations

import contextlib

from streamlit.testing.v1 import AppTest

from analysis.comparison import halves
from analysis.filters import Filters


def _page() -> None:
    import dataclasses
    import threading

    import streamlit as st

    from analysis import insights, metrics
    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import compare

    language.speak()  # English unless the URL says `lang`, as dashboard/app.py does before any page
    insights.AT_ONCE_WORK = 0  # every network counts as large here
    if "gate" not in st.session_state:
        st.session_state.gate = threading.Event()
        exact = metrics.METRICS["betweenness"]
        failing = bool(st.session_state.get("fail"))

        def held(net, progress, exact=exact, gate=st.session_state.gate, fail=failing):
            progress(0.5)
            gate.wait(30)
            if fail:
                raise MemoryError("out of memory")
            return exact.compute(net, progress)

        metrics.METRICS["betweenness"] = dataclasses.replace(exact, compute=held)
    state.use_filters(Filters(countries=tuple(st.session_state.get("countries", ("PT",)))))
    compare.render()


def _views(countries: tuple[str, ...]):
    from dashboard import state

    data = state.server_data()
    a, b = halves(data.dataset.incidence.years()).of(Filters(countries=countries))
    return data.charts(a).insights, data.charts(b).insights


def _movers(page) -> set[str]:
    """The metrics of the movers table, as the page says them (movers, then the two full lists)."""
    return set(page.dataframe[-3].value["metric"])


def test_the_movers_wait_for_betweenness_and_fill_in():
    from analysis import insights, metrics

    exact, at_once = metrics.METRICS["betweenness"], insights.AT_ONCE_WORK
    try:
        page = AppTest.from_function(_page, default_timeout=60).run()
        assert not page.exception
        bars = page.get("progress")
        assert bars and "Computing betweenness in both periods" in bars[0].proto.text
        assert [m.label for m in page.metric] == ["Joined", "Left", "New links", "Lost links"]
        assert _movers(page) == {"degree", "weighted degree"}
        page.session_state.gate.set()
        for view in _views(("PT",)):
            view.metrics_job("org").result(timeout=30)
        page.run()  # the rerun the fragment asks for when both jobs are done
        assert not page.exception and not page.get("progress")
        assert _movers(page) == {"degree", "weighted degree", "betweenness"}
    finally:
        metrics.METRICS["betweenness"], insights.AT_ONCE_WORK = exact, at_once


def test_the_page_in_italian_while_betweenness_is_computed():
    from analysis import insights, metrics

    exact, at_once = metrics.METRICS["betweenness"], insights.AT_ONCE_WORK
    try:
        page = AppTest.from_function(_page, default_timeout=60)
        page.query_params["lang"] = "it"
        page.session_state["countries"] = ["GR"]  # views whose metrics no other test here computed
        page.run()
        assert not page.exception
        assert page.title[0].value == "Confronto"
        assert not page.warning  # a bare URL: the default periods, nothing ignored
        assert [s.label for s in page.slider] == ["Periodo A", "Periodo B"]
        assert [m.label for m in page.metric] == ["Entrate", "Uscite", "Nuovi legami", "Legami persi"]
        (bar,) = page.get("progress")
        assert bar.proto.text.startswith("Calcolo della centralità di intermediazione in entrambi i periodi: ")
        assert page.markdown[0].value.startswith("- Tra il periodo A \\(")
        assert [h.value for h in page.subheader] == [
            "Le due reti sulla stessa disposizione",
            "Legami tra paesi acquisiti e persi",
            "Maggiori variazioni",
        ]
        assert _movers(page) == {"grado", "grado pesato"}
        assert set(page.dataframe[-3].value["status"]) <= {"entrata", "uscita", "rimasta"}
        page.session_state.gate.set()
        for view in _views(("GR",)):
            view.metrics_job("org").result(timeout=30)
        page.run()  # the rerun the fragment asks for when both jobs are done
        assert not page.exception and not page.get("progress")
        assert _movers(page) == {"grado", "grado pesato", "centralità di intermediazione"}
    finally:
        metrics.METRICS["betweenness"], insights.AT_ONCE_WORK = exact, at_once


def test_a_failed_betweenness_is_said_and_the_rest_of_the_page_stays():
    from analysis import insights, metrics

    exact, at_once = metrics.METRICS["betweenness"], insights.AT_ONCE_WORK
    try:
        page = AppTest.from_function(_page, default_timeout=60)
        page.session_state["fail"] = True
        page.session_state["countries"] = ["DE"]
        page.run()
        page.session_state.gate.set()
        for view in _views(("DE",)):
            with contextlib.suppress(MemoryError):
                view.metrics_job("org").result(timeout=30)
        page.run()  # the fragment's run that finds the failure
        page.run()
        assert not page.exception
        (said,) = [e.value for e in page.error]
        assert said.startswith("Betweenness could not be computed (MemoryError") and "out of memory" in said
        assert not page.get("progress")
        assert _movers(page) == {"degree", "weighted degree"}
    finally:
        metrics.METRICS["betweenness"], insights.AT_ONCE_WORK = exact, at_once


def _money_page() -> None:
    import streamlit as st

    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import compare

    language.speak()
    state.use_filters(Filters(countries=tuple(st.session_state.get("countries", ()))))
    compare.render()


def _money(tmp_path, monkeypatch, tables: dict, lang: str = "en") -> AppTest:
    from analysis.dataset import DATA_ENV
    from tests import factory

    monkeypatch.setenv(DATA_ENV, str(factory.write(tmp_path / "data", tables)))
    page = AppTest.from_function(_money_page, default_timeout=60)
    page.query_params.update({"lang": lang, "a_from": "2014", "a_to": "2015", "b_from": "2016", "b_to": "2019"})
    return page.run()


def test_the_eu_contribution_in_a_and_b_and_its_movers(tmp_path, monkeypatch):
    from tests.analysis.test_comparison import funded_tables

    page = _money(tmp_path, monkeypatch, funded_tables())  # amounts worked by hand in test_comparison
    assert not page.exception
    tiles = {m.label: m for m in page.metric}
    assert list(tiles)[4:] == ["EU contribution in A", "EU contribution in B"]
    assert (tiles["EU contribution in A"].value, tiles["EU contribution in B"].value) == ("1,500 EUR", "4,901 EUR")
    assert tiles["EU contribution in B"].proto.delta == "+3,401 EUR"
    assert "Movers by EU contribution" in [h.value for h in page.subheader]
    (orgs,) = [d.value for d in page.dataframe if "contribution_eur_a" in d.value and "country" in d.value]
    assert orgs["id"].tolist() == ["c", "e", "a", "b"]
    assert orgs["change_eur"].round(3).tolist() == [3000, 1500.3, -599.544, -500]  # numbers, not formatted text


def test_no_money_shows_for_a_dataset_without_amounts(tmp_path, monkeypatch):
    from tests import small

    page = _money(tmp_path, monkeypatch, small.TABLES)
    assert not page.exception
    assert [m.label for m in page.metric] == ["Joined", "Left", "New links", "Lost links"]
    assert "Movers by EU contribution" not in [h.value for h in page.subheader]
    assert "Movers" in [h.value for h in page.subheader]  # the page itself did draw


def test_the_money_tiles_in_italian(tmp_path, monkeypatch):
    from tests.analysis.test_comparison import funded_tables

    page = _money(tmp_path, monkeypatch, funded_tables(), "it")
    assert not page.exception
    tiles = {m.label: m.value for m in page.metric}
    assert (tiles["Contributo UE in A"], tiles["Contributo UE in B"]) == ("1.500 EUR", "4.901 EUR")
    assert "Maggiori variazioni del contributo UE" in [h.value for h in page.subheader]
