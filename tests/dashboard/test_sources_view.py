"""The Sources page without a browser, in Italian (`?lang=it`): its words, counts as whole sentences, headers and
the facts of a chosen source; English as it was."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

from analysis import i18n, load_curated
from analysis.filters import Filters, apply
from analysis.provenance import facts_citing, source_counts
from analysis.words import plural
from dashboard.safe import md

SOURCE = "seed-agevolazioni-2014"  # the Bari press release: it backs the 2014 protocol and its Polish signatory
FILTERS = Filters(countries=("PL",))


def _page() -> None:
    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import sources

    language.speak()
    state.use_filters(Filters(countries=("PL",)))
    sources.render()


def headers(table: Dataframe) -> dict[str, str]:
    """A shown table's column headers, by column."""
    return {column: c["label"] for column, c in json.loads(table.proto.columns).items() if "label" in c}


def _run(lang: str | None, picked: str | None = None) -> AppTest:
    page = AppTest.from_function(_page, default_timeout=60)
    if lang:
        page.query_params["lang"] = lang
    if picked:
        page.session_state["sources_pick"] = picked
    return page.run()


def test_the_sources_in_italian():
    data = load_curated()
    view = apply(data, FILTERS)
    sources, facts = source_counts(data, view), facts_citing(data, SOURCE, view)
    page = _run("it", SOURCE)
    assert not page.exception
    assert page.title[0].value == "Fonti"
    assert page.toggle[0].label == "Tutte le fonti del dataset"
    assert page.caption[1].value == (
        f"{len(sources)} fonti documentano i fatti in vista; i conteggi riguardano solo quei fatti."
    )
    table, cited = page.dataframe
    assert headers(table)["facts"] == "Fatti che la citano" and headers(table)["publisher"] == "Editore"
    assert page.selectbox[0].label == "Fatti che citano la fonte"
    title = sources.set_index("source_id").loc[SOURCE, "title"]
    assert page.subheader[0].value == f"Fatti che citano: {md(title)}"  # escaped as before
    assert page.caption[2].value == f"{len(facts)} fatti in vista citano questa fonte."
    assert headers(cited) == {"type": "Fatto", "fact": "Nome o titolo", "fact_id": "Identificativo", "page": "Pagina"}
    # An organisation's fact links to its page, filters and language kept; agreements and actions have no page.
    rows = cited.value
    is_org = (facts["table"] == "organisations").to_numpy()
    assert is_org.any() and (~is_org).any()
    assert rows["page"][is_org].tolist() == [
        f"organisation?country=PL&lang=it&id={i}" for i in facts["fact_id"][is_org]
    ]
    assert rows["page"][~is_org].isna().all()
    assert "accordo" in set(cited.value["type"])  # the kind of fact in words (analysis.provenance's)
    assert page.get("download_button")[0].proto.label == "Fonti (CSV)"


def test_every_source_in_italian_and_one_in_the_singular():
    page = _run("it")
    page.toggle[0].set_value(True).run()
    assert not page.exception
    count = len(load_curated().sources)
    assert page.caption[1].value == f"Tutte le {count} fonti del dataset; i conteggi riguardano tutti i suoi fatti."
    with i18n.speaking("it"):  # the page's own messages, for one
        assert plural(1, "{count} fact in view cites this source.", "{count} facts in view cite this source.") == (
            "1 fatto in vista cita questa fonte."
        )
        assert plural(
            1,
            "{count} source backs the facts in view; counts are over those facts only.",
            "{count} sources back the facts in view; counts are over those facts only.",
        ) == ("1 fonte documenta i fatti in vista; i conteggi riguardano solo quei fatti.")


def test_english_stays_as_it_was():
    data = load_curated()
    view = apply(data, FILTERS)
    page = _run(None, SOURCE)
    assert not page.exception
    sources, facts = source_counts(data, view), facts_citing(data, SOURCE, view)
    assert page.caption[1].value == (
        f"{len(sources)} sources back the facts in view; counts are over those facts only."
    )
    assert page.caption[2].value == f"{len(facts)} facts in view cite this source."
    assert page.get("download_button")[0].proto.label == "Sources (CSV)"
