"""The page of one organisation without a browser: its numbers and words on tests/small.py worked by hand, an unknown
or missing id and an organisation outside the view said (never raised), Italian, and betweenness of a large network
shown as being computed, then filled in."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from analysis import i18n
from dashboard.safe import md
from tests import small


def _page() -> None:
    import threading

    import streamlit as st

    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import organisation

    language.speak()  # English unless the URL says `lang`, as dashboard/app.py does before any page
    if st.session_state.get("held") and "gate" not in st.session_state:
        import dataclasses

        from analysis import insights, metrics

        insights.AT_ONCE_WORK = 0  # every network counts as large here
        st.session_state.gate = threading.Event()
        exact = metrics.METRICS["betweenness"]

        def held(net, progress, exact=exact, gate=st.session_state.gate):
            progress(0.5)
            gate.wait(30)
            return exact.compute(net, progress)

        metrics.METRICS["betweenness"] = dataclasses.replace(exact, compute=held)
    state.use_filters(Filters(countries=tuple(st.session_state.get("countries", ()))))
    organisation.render()


def _open(monkeypatch, data, org: str | None, lang: str = "en", countries: tuple[str, ...] = ()) -> AppTest:
    from analysis.dataset import DATA_ENV

    if data is None:
        monkeypatch.delenv(DATA_ENV, raising=False)  # the curated dataset
    else:
        monkeypatch.setenv(DATA_ENV, str(data))
    page = AppTest.from_function(_page, default_timeout=60)
    if org is not None:
        page.query_params["id"] = org
    page.query_params["lang"] = lang
    page.session_state["countries"] = countries
    return page.run()


@pytest.fixture(scope="module")
def funded(tmp_path_factory):
    return small.write_funded(tmp_path_factory.mktemp("funded"))


def tiles(page: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in page.metric}


def test_the_numbers_and_words_of_an_organisation(monkeypatch, funded):
    page = _open(monkeypatch, funded, "c")
    assert not page.exception
    assert page.title[0].value == "Org C"
    # c: ag1 with a, d, e; ac2 (3,000 EUR to c) with e and f. Degree 4 (a, c, e tie), betweenness 0.15 (second,
    # after a), brokerage 3 (a, c, d, e tie) among the 6 organisations in view.
    assert tiles(page) == {
        "Partners": "4",
        "Partner countries": "3",
        "Agreements": "1",
        "Actions": "1",
        "EU contribution": "3,000 EUR",
        "Degree": "4",
        "Betweenness": "0.1500",
        "Brokerage": "3",
    }
    assert [c.value for c in page.caption if c.value.startswith("rank ")] == [
        "rank 1 of 6",
        "rank 2 of 6",
        "rank 1 of 6",
    ]
    reading = [
        "Org C worked with 4 organisations in 3 countries, most often with Org E (2 shared agreements and actions).",
        "It took part in 1 agreement and 1 action in view.",
        "Its partners are most often from Germany (2 partners); 4 from outside Poland.",
        "It received 3,000 EUR of EU contribution in view.",
    ]
    assert "\n".join(f"- {md(s)}" for s in reading) in [m.value for m in page.markdown]
    partners = next(d.value for d in page.dataframe if "titles" in d.value.columns)
    assert list(partners["name"]) == ["Org E", "Org A", "Org D", "Org F"]
    assert list(partners["shared"]) == [2, 1, 1, 1]
    assert partners["titles"].iloc[0] == "Protocol; Project"
    pages = [parse_qs(url.split("?", 1)[1]) for url in partners["_page"]]  # each partner's page, filters kept
    assert pages == [{"lang": ["en"], "id": [org]} for org in ("e", "a", "d", "f")]
    assert list(partners["country"]) == ["Germany", "Italy", "Portugal", "Germany"]
    links = {link.label: link.proto.query_string for link in page.get("page_link")}
    assert parse_qs(links["More suggested partners, with the reasons: the Partners page"]) == {
        "org": ["c"],
        "lang": ["en"],
    }
    assert "Warszawski stołeczny \\(PL91\\)\\: its page" in links
    share = page.get("code")[0].value  # the share link
    assert share.startswith("/organisation?") and parse_qs(share.split("?", 1)[1]) == {"lang": ["en"], "id": ["c"]}
    labels = [b.proto.label for b in page.get("download_button")]
    assert {"Every partner (CSV)", "Every partner (XLSX)", "Report bundle (.zip)", "SVG image"} <= set(labels)


def test_the_page_in_italian(monkeypatch, funded):
    page = _open(monkeypatch, funded, "c", "it")
    assert not page.exception
    assert list(tiles(page))[:5] == ["Partner", "Paesi partner", "Accordi", "Azioni", "Contributo UE"]
    assert tiles(page)["Contributo UE"] == "3.000 EUR"
    reading = next(m.value for m in page.markdown if m.value.startswith("- Org C"))
    assert reading.splitlines()[0] == "- " + md(
        "Org C ha lavorato con 4 organizzazioni in 3 paesi, più spesso con Org E (2 accordi e azioni in comune)."
    )
    assert [h.value for h in page.subheader] == [
        "Il suo posto nella rete",
        "Chi è",
        "I suoi accordi e azioni nel tempo",
        "I suoi partner",
        "Dove si trovano i suoi partner",
        "Contributo UE per anno",
        "Con chi potrebbe lavorare in futuro",
    ]
    assert "posizione 2 su 6" in [c.value for c in page.caption]


def test_an_organisation_outside_the_view_says_so_with_a_wider_link(monkeypatch, funded):
    page = _open(monkeypatch, funded, "b", countries=("PL",))  # b: ag2 and ac1, neither involves Poland
    assert not page.exception
    assert page.title[0].value == "Org B"
    assert page.warning[0].value == md("Org B") + (
        " is not in this view: none of its 2 agreements and actions in the dataset is kept by the filters in force."
    )
    assert "[Open its page with no filters](organisation?id=b&lang=en) (a new tab, the whole dataset)" in [
        m.value for m in page.markdown
    ]
    assert not page.metric  # no numbers of a view it is not in


def test_an_unknown_or_missing_id_says_so(monkeypatch, funded):
    page = _open(monkeypatch, funded, "<b>nobody</b>")
    assert not page.exception
    assert page.title[0].value == "Organisation not found"
    assert page.warning[0].value == (
        f"No organisation of this dataset has the id {md('<b>nobody</b>')}. Find the one you are looking for with "
        "the Search in the sidebar."
    )
    page = _open(monkeypatch, funded, None)
    assert not page.exception
    assert page.info[-1].value.startswith("This page shows one organisation, and its address names none")
    with i18n.speaking("it"):
        page = _open(monkeypatch, funded, "zz", "it")
    assert page.title[0].value == "Organizzazione non trovata"


def test_betweenness_is_filled_in_when_computed(monkeypatch):
    from analysis import insights, metrics
    from analysis.filters import Filters
    from dashboard import state

    exact, at_once = metrics.METRICS["betweenness"], insights.AT_ONCE_WORK
    try:
        from analysis.dataset import DATA_ENV

        monkeypatch.delenv(DATA_ENV, raising=False)
        page = AppTest.from_function(_page, default_timeout=60)
        page.query_params["id"] = "puglia-creativa"
        page.session_state["countries"] = ("FR",)  # a view whose metrics no other test computed
        page.session_state["held"] = True
        page.run()
        assert not page.exception
        (bar,) = page.get("progress")
        # Betweenness not begun (0%) or half done with communities not begun (25%): the job's thread may or may not
        # have reported its half before the page drew.
        assert re.fullmatch(
            r"Betweenness is being computed for the whole network in view: (0|25)%\. It fills in when ready\.",
            bar.proto.text,
        )
        assert tiles(page)["Betweenness"] == "being computed"
        assert tiles(page)["Degree"] != "being computed"  # the quick metrics are there at once
        page.session_state.gate.set()
        view = state.server_data().charts(Filters(countries=("FR",))).insights
        table = view.metrics_job("org").result(timeout=30)
        page.run()  # the rerun the fragment asks for when the job is done
        assert not page.exception and not page.get("progress")
        mine = float(table.set_index("node").loc["puglia-creativa", "betweenness"])
        assert tiles(page)["Betweenness"] == i18n.decimal(mine, 4)
        rank = int((table["betweenness"].round(12) > round(mine, 12)).sum()) + 1
        assert f"rank {rank} of {len(table)}" in [c.value for c in page.caption]
    finally:
        if "page" in locals() and "gate" in page.session_state:
            page.session_state.gate.set()  # a failed check must not leave the job waiting for the next test
        metrics.METRICS["betweenness"], insights.AT_ONCE_WORK = exact, at_once
