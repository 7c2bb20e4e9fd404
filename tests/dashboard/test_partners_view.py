"""The Partners page's logic without a browser: the URL sets the organisation and the candidates' countries, the
table has its columns, best first, and an organisation out of view is said, not raised."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from analysis import i18n, load_curated
from analysis.filters import Filters
from analysis.insights import Insights
from dashboard.safe import md


def _page() -> None:
    import streamlit as st

    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import partners

    language.speak()  # English unless the URL says `lang`, as dashboard/app.py does before any page
    state.use_filters(Filters(countries=tuple(st.session_state.get("countries", ()))))
    partners.render()


def test_the_url_chooses_the_organisation_and_the_candidates():
    page = AppTest.from_function(_page, default_timeout=60)
    page.query_params["org"] = "puglia-creativa"
    page.query_params["in"] = "PL,DE"
    page.run()
    assert not page.exception
    table = page.dataframe[0].value
    assert list(table.columns) == ["Organisation", "Country", "Score", "Shared partners", "Reasons"]
    found = Insights(load_curated(), Filters()).partners("org").suggest("puglia-creativa", ("PL", "DE"))
    assert list(table["Organisation"]) == [s.label for s in found]
    assert set(table["Country"]) <= {"PL", "DE"}
    assert table["Score"].is_monotonic_decreasing
    assert table["Reasons"].iloc[0].startswith(found[0].reasons[0])


def test_an_organisation_out_of_view_is_said():
    page = AppTest.from_function(_page, default_timeout=60)
    page.session_state["countries"] = ("PL",)
    page.query_params["org"] = "no-such-org"
    page.run()
    assert not page.exception
    assert page.warning[0].value.endswith("ignored: " + md("organisation no-such-org (not in view)"))
    assert page.info[-1].value == "Choose an organisation to see who it might work with next."


def test_the_page_in_italian():
    page = AppTest.from_function(_page, default_timeout=60)
    page.query_params["lang"] = "it"
    page.query_params["org"] = "puglia-creativa"
    page.query_params["in"] = "PL,XX"
    page.run()
    assert not page.exception
    assert page.title[0].value == "Partner"
    assert page.warning[0].value.endswith("ignorati: " + md("paese XX"))
    with i18n.speaking("it"):
        found = Insights(load_curated(), Filters()).partners("org").suggest("puglia-creativa", ("PL",))
    heading = f"I migliori {len(found)} suggerimenti per {md('Distretto Produttivo Puglia Creativa (IT)')}"
    assert [h.value for h in page.subheader] == [heading, "La sua rete ego e i partner suggeriti"]
    table = page.dataframe[0]
    # The table keeps the CSV's column names; the page shows them in Italian.
    assert list(table.value.columns) == ["Organisation", "Country", "Score", "Shared partners", "Reasons"]
    headers = [column["label"] for column in json.loads(table.proto.columns).values() if "label" in column]
    assert headers == ["Organizzazione", "Paese", "Punteggio", "Partner in comune", "Motivazioni"]
    assert table.value["Reasons"].iloc[0] == " ".join(found[0].reasons)
    assert found[0].reasons[0].startswith(f"{found[0].shared_labels[0]} lavora sia con ")
    assert page.multiselect[0].label == "Paesi dei candidati"


def _links(page: AppTest) -> list[tuple[str, str, dict[str, list[str]]]]:
    from urllib.parse import parse_qs

    found = page.get("page_link")
    return [(link.proto.page, link.proto.label, parse_qs(link.proto.query_string)) for link in found]


def test_the_organisation_is_found_with_the_search_and_its_page_linked():
    page = AppTest.from_function(_page, default_timeout=60)
    page.query_params["in"] = "PL"
    page.run()
    assert not page.exception
    assert not page.selectbox  # no list of every organisation
    (box,) = page.text_input
    assert (box.label, box.proto.placeholder) == ("Organisation", "Choose an organisation in view")
    box.input("corfu").run()
    # The theatre by its name, the region's authority by its city (Corfu); the candidates' countries kept.
    assert _links(page) == [
        (
            "partners",
            md("Municipal and Regional Theatre of Corfu · Greece · other · Ionia Nisia"),
            {"in": ["PL"], "org": ["theatre-of-corfu"]},
        ),
        (
            "partners",
            md("Region of the Ionian Islands · Greece · public authority · Ionia Nisia"),
            {"in": ["PL"], "org": ["region-of-the-ionian-islands"]},
        ),
    ]
    # Its link followed: the page of that organisation, the candidates' countries kept.
    page.query_params["org"] = "theatre-of-corfu"
    page.run()
    assert not page.exception
    assert f"Chosen: **{md('Municipal and Regional Theatre of Corfu (GR)')}**" in [m.value for m in page.markdown]
    (chosen,) = [link for link in _links(page) if link[0] == "organisation"]
    assert chosen[1] == md("The page of Municipal and Regional Theatre of Corfu (GR)")
    assert chosen[2] == {"lang": ["en"], "id": ["theatre-of-corfu"]}
    assert page.multiselect[0].value == ["PL"]
