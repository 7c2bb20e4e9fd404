"""The page of one place without a browser, on the curated data: its tiles, reading and tables for a region and a
country, in English and Italian; an unknown or missing code said, never raised; a country link followed in a session
whose filters name another country; brokers shown while betweenness is still being computed."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analysis import i18n, load_curated
from analysis.filters import Filters
from analysis.insights import Insights
from analysis.region import PlaceReport, find_place
from dashboard.safe import md


def _page() -> None:
    import streamlit as st

    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import region

    language.speak()  # English unless the URL says `lang`, as dashboard/app.py does before any page
    state.use_filters(Filters(**st.session_state.get("filters", {})))
    region.render()


def _app() -> None:
    """The page under the real sidebar, as dashboard/app.py runs it."""
    from dashboard import language, state
    from dashboard.sidebar import sidebar
    from dashboard.views import region

    language.speak()
    sidebar(state.dataset())
    region.render()


def expected(level: str, code: str, filters: Filters | None = None) -> PlaceReport:
    data = load_curated()
    return PlaceReport(Insights(data, filters or Filters()), find_place(data, level, code))


def tiles(page) -> dict[str, str]:
    return {m.label: m.value for m in page.metric}


def open_page(script=_page, lang: str | None = None, **params: str) -> AppTest:
    page = AppTest.from_function(script, default_timeout=90)
    for key, value in {**params, **({"lang": lang} if lang else {})}.items():
        page.query_params[key] = value
    return page


def test_a_region_shows_its_numbers_and_tables():
    page = open_page(nuts2="ITF4").run()
    assert not page.exception
    puglia = expected("region", "ITF4")
    s = puglia.summary()
    assert page.title[0].value == md("Puglia (ITF4)")
    assert tiles(page) == {
        "Organisations": str(s.organisations),
        "Partner regions": str(s.partners),
        "Agreements and actions": str(s.items),
        "Within the region": str(s.inside),
    }
    assert s.organisations > 20 and s.partners > 10  # the curated data's home region
    reading = page.markdown[0].value
    assert reading.startswith(md(puglia.reading()[0]))
    assert md(f"{s.organisations} organisations in Puglia (ITF4) took part in") in reading
    partners = page.dataframe[0].value
    assert list(partners["partner"]) == list(puglia.partners()["partner"])
    assert partners["page"].iloc[0].startswith("region?") and "nuts2=" in partners["page"].iloc[0]
    organisations = page.dataframe[1].value
    assert len(organisations) == s.organisations
    assert organisations["page"].iloc[0].startswith("organisation?") and "id=" in organisations["page"].iloc[0]
    assert [h.value for h in page.subheader] == [
        "Partner regions",
        "Its organisations",
        "Its brokers",
        "Its agreements and actions over time",
        "What changed between the two halves of the period",
    ]
    compare = [m.value for m in page.markdown if "Compare page" in m.value]
    assert compare and "](compare?" in compare[0] and "country=IT" in compare[0] and "a_from=" in compare[0]


def test_a_country_page():
    page = open_page(country="IT").run()
    assert not page.exception
    italy = expected("country", "IT")
    assert page.title[0].value == md("Italy (IT)")
    assert tiles(page)["Partner countries"] == str(italy.summary().partners)
    assert tiles(page)["Organisations"] == str(italy.summary().organisations)
    assert list(page.dataframe[0].value["partner"]) == list(italy.partners()["partner"])


def test_unknown_and_missing_codes_are_said():
    page = open_page(nuts2="XX99").run()
    assert not page.exception
    assert page.title[0].value == "Place not found"
    assert page.error[0].value.startswith("There is no NUTS-2 region XX99: ")
    assert "Search in the sidebar" in page.error[0].value
    page = open_page(country="ZZ").run()
    assert not page.exception and page.error[0].value.startswith("There is no country ZZ: ")
    page = open_page().run()
    assert not page.exception
    assert page.warning[0].value.startswith("This page shows one place, and its address names none")
    page = open_page(nuts2="<script>alert(1)</script>").run()
    assert not page.exception and md("<script>") in page.error[0].value


def test_a_place_with_nobody_in_view_and_one_with_nobody_at_all():
    page = open_page(nuts2="FRY1").run()  # Guadeloupe: a NUTS code the curated data has no organisation in
    assert not page.exception
    assert page.info[-1].value == md("The dataset has no organisation in Guadeloupe (FRY1).")
    filters = Filters(org_kinds=("fair",))
    data = load_curated()
    regions = sorted(set(data.organisations["nuts2"].dropna()))
    empty = next(
        code
        for code in regions
        if (s := expected("region", code, filters).summary()).organisations == 0 and s.in_dataset
    )
    page = open_page(nuts2=empty)
    page.session_state["filters"] = {"org_kinds": ("fair",)}
    page.run()
    assert not page.exception
    assert "but none takes part in an agreement or action in view" in page.info[-1].value
    (link,) = [m.value for m in page.markdown if "with no filters" in m.value]
    assert f"](region?nuts2={empty}&lang=en)" in link


def test_the_page_in_italian():
    page = open_page(lang="it", nuts2="ITF4").run()
    assert not page.exception
    assert list(tiles(page)) == ["Organizzazioni", "Regioni partner", "Accordi e azioni", "All'interno della regione"]
    with i18n.speaking("it"):
        first = expected("region", "ITF4").reading()[0]
    assert first.startswith("26 organizzazioni in Puglia (ITF4) hanno preso parte a ")
    assert page.markdown[0].value.startswith(md(first))
    assert "Le sue organizzazioni" in [h.value for h in page.subheader]
    page = open_page(lang="it", nuts2="XX99").run()
    assert page.title[0].value == "Luogo non trovato"
    assert page.error[0].value.startswith("Non esiste una regione NUTS-2 XX99")


def test_a_country_link_in_a_session_whose_filters_name_another_country():
    """`country` is the sidebar's filter too: once a session is under way the sidebar leads and drops a link's
    country from the URL; the page takes it from the address and makes it the filter, as a new session would."""
    page = open_page(_app, country="PL").run()
    assert not page.exception
    assert page.multiselect[0].value == ["PL"]  # a new session: the sidebar read it from the address
    page.query_params["country"] = "IT"  # the link to Italy's page, in the same session
    page.run()
    assert not page.exception
    assert page.title[0].value == md("Italy (IT)")
    assert page.multiselect[0].value == ["IT"]
    assert tiles(page)["Partner countries"] == str(
        expected("country", "IT", Filters(countries=("IT",))).summary().partners
    )
    page.query_params["nuts2"] = "ITF4"  # a region's page keeps the session's filters
    page.run()
    assert page.title[0].value == md("Puglia (ITF4)") and page.multiselect[0].value == ["IT"]


def test_the_sidebar_leads_on_the_pages_own_reruns():
    """On a country's page, the sidebar's countries changed by the analyst are not undone: adding one offers each
    country's page, removing the country leaves the page without a place."""
    page = open_page(_app, country="IT").run()
    assert page.title[0].value == md("Italy (IT)") and page.multiselect[0].value == ["IT"]
    page.multiselect[0].select("PL").run()
    assert not page.exception
    assert page.multiselect[0].value == ["IT", "PL"]
    assert page.info[-1].value == "This page shows one country, and the address names several. Open one:"
    page = open_page(_app, country="IT").run()
    page.multiselect[0].unselect("IT").run()
    assert not page.exception
    assert page.multiselect[0].value == []
    assert page.warning[0].value.startswith("This page shows one place, and its address names none")


def _slow_page() -> None:
    import dataclasses
    import threading

    import streamlit as st

    from analysis import insights, metrics
    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import region

    language.speak()
    insights.AT_ONCE_WORK = 0  # every network counts as large here
    if "gate" not in st.session_state:
        st.session_state.gate = threading.Event()
        exact = metrics.METRICS["betweenness"]

        def held(net, progress, exact=exact, gate=st.session_state.gate):
            progress(0.5)
            gate.wait(30)
            return exact.compute(net, progress)

        metrics.METRICS["betweenness"] = dataclasses.replace(exact, compute=held)
    state.use_filters(Filters(date_from="2012"))  # a view whose metrics no other test here computes
    region.render()


def test_brokers_are_shown_while_betweenness_is_computed():
    from analysis import insights, metrics
    from dashboard import state

    exact, at_once = metrics.METRICS["betweenness"], insights.AT_ONCE_WORK
    try:
        page = AppTest.from_function(_slow_page, default_timeout=60)
        page.query_params["nuts2"] = "ITF4"
        page.run()
        assert not page.exception
        (bar,) = page.get("progress")
        assert bar.proto.text.startswith("Betweenness is being computed: ")
        brokers = page.dataframe[2].value
        assert brokers["betweenness"].isna().all() and brokers["brokerage"].iloc[0] > 0
        assert tiles(page)["Organisations"] == str(
            expected("region", "ITF4", Filters(date_from="2012")).summary().organisations
        )
        page.session_state.gate.set()
        state.server_data().charts(Filters(date_from="2012")).insights.metrics_job("org").result(timeout=30)
        page.run()  # the rerun the fragment asks for when betweenness is done
        assert not page.exception and not page.get("progress")
        assert page.dataframe[2].value["betweenness"].notna().all()
    finally:
        if "page" in locals() and "gate" in page.session_state:
            page.session_state.gate.set()  # a failed check must not leave the job waiting for the next test
        metrics.METRICS["betweenness"], insights.AT_ONCE_WORK = exact, at_once
