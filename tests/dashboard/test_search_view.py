"""The sidebar's Search without a browser: above the filters, its best matches are page links to each organisation's,
region's or country's page with the filters and the language kept; a line when nothing matches; in Italian."""

from __future__ import annotations

from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from analysis import i18n, load_curated
from analysis.search import index
from dashboard.safe import md


def _page() -> None:
    import streamlit as st

    from dashboard import language, state
    from dashboard.sidebar import sidebar

    language.speak()  # as dashboard/app.py does before the sidebar
    sidebar(state.dataset())
    st.write("a page")


def _opened(url: str = "") -> AppTest:
    page = AppTest.from_function(_page, default_timeout=60)
    for key, value in parse_qs(url).items():
        page.query_params[key] = value[0]
    return page.run()


def _links(page: AppTest) -> list[tuple[str, str, dict[str, list[str]]]]:
    """The sidebar's page links: (page, label, query)."""
    links = page.sidebar.get("page_link")
    return [(link.proto.page, link.proto.label, parse_qs(link.proto.query_string)) for link in links]


def _sidebar_order(page: AppTest) -> list[str]:
    """The sidebar's widgets and headers in the order they are drawn."""
    order = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if child.type in ("text_input", "header", "multiselect"):
                order.append(f"{child.type} {child.label if child.type != 'header' else child.value}")
            walk(child)

    walk(page.sidebar)
    return order


def test_the_search_lists_the_best_matches_as_links_keeping_the_filters():
    page = _opened("country=IT&from=2015")
    assert not page.exception
    assert _sidebar_order(page)[:3] == ["text_input Search", "header Filters", "multiselect Countries"]
    (box,) = page.sidebar.text_input
    assert (box.label, box.proto.placeholder) == ("Search", "Organisation, city, region or id")
    assert not page.sidebar.get("page_link")  # nothing typed, nothing listed
    box.input("pug").run()
    assert not page.exception
    with i18n.speaking("en"):
        hits = index(load_curated()).find("pug", limit=11)
    assert len(hits) == 11  # more match than are shown
    found = _links(page)
    assert [label for _page, label, _query in found] == [md(h.label) for h in hits[:10]]
    assert found[0] == ("region", md("Puglia · Italy · NUTS-2 region · ITF4"), {"nuts2": ["ITF4"], **_kept()})
    assert ("organisation", md("Distretto Produttivo Puglia Creativa · Italy · cluster · Puglia")) in [
        (p, label) for p, label, _query in found
    ]
    for kind, _label, query in found[1:]:
        assert kind == "organisation" and query == {"id": query["id"], **_kept()}
    assert {query["id"][0] for _p, _l, query in found[1:]} == {h.id for h in hits[1:10]}
    assert page.sidebar.caption[-1].value == "The 10 best matches: type more to narrow them."


def _kept() -> dict[str, list[str]]:
    return {"country": ["IT"], "from": ["2015"], "lang": ["en"]}


def test_accents_are_folded_and_a_city_finds_its_organisations():
    page = _opened()
    page.sidebar.text_input[0].input("METROPOLE").run()  # Métropole
    assert [q["id"] for _p, _l, q in _links(page)] == [["lille-metropole"], ["nantes-metropole"]]
    assert _links(page)[0][1] == md("Lille Métropole · France · public authority · Nord-Pas de Calais")
    page.sidebar.text_input[0].input("universita salento").run()  # Università del Salento
    assert [q["id"] for _p, _l, q in _links(page)] == [["universita-del-salento"]]
    page.sidebar.text_input[0].input("lecce").run()  # its city
    assert [q["id"] for _p, _l, q in _links(page)] == [["universita-del-salento"]]


def test_a_line_when_nothing_matches_or_too_little_is_typed():
    page = _opened()
    page.sidebar.text_input[0].input("zzqx").run()
    assert not page.sidebar.get("page_link")
    assert page.sidebar.caption[-1].value == "Nothing matches zzqx."
    page.sidebar.text_input[0].input("p").run()
    assert page.sidebar.caption[-1].value == "Type at least two letters."
    page.sidebar.text_input[0].input("<zq>*").run()  # dataset-like text reaches markdown escaped
    assert page.sidebar.caption[-1].value == f"Nothing matches {md('<zq>*')}."


def test_in_italian_the_box_is_cerca_and_a_country_links_to_its_page():
    page = _opened("lang=it")
    (box,) = page.sidebar.text_input
    assert (box.label, box.proto.placeholder) == ("Cerca", "Organizzazione, città, regione o id")
    box.input("germania").run()
    assert not page.exception
    assert _links(page)[0] == ("region", md("Germania · paese"), {"country": ["DE"], "lang": ["it"]})
    box.input("puglia creativa").run()
    assert _links(page)[0][1] == md("Distretto Produttivo Puglia Creativa · Italia · cluster · Puglia")
    box.input("zzqx").run()
    assert page.sidebar.caption[-1].value == "Nessun risultato per zzqx."
