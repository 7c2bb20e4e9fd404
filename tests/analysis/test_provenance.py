"""Which sources back the facts in view, and which facts cite a source, on tests/factory.py's dataset.

src-a: organisations klaster-lodz, porto-design, lisboa-camara; agreement lodz-porto-mou; action tokyo-mission;
       here also the participation lodz-porto-mou/klaster-lodz.
src-b: organisations porto-design, patras-hub, tokyo-content; agreement aegean-pact; action open-call-2020;
       here also the participation tokyo-mission/tokyo-content.
src-c: added here, cited by nothing.
"""

from __future__ import annotations

import pytest

from analysis import i18n, load_dataset
from analysis.filters import Filters, apply
from analysis.provenance import citations, cited_facts, facts_citing, safe_url, source_counts
from tests import factory

COUNTS = ["organisations", "agreements", "actions", "participations", "facts"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    tables = factory.tables()
    for row in tables["agreement_parties"]:
        cited = (row["agreement_id"], row["org_id"]) == ("lodz-porto-mou", "klaster-lodz")
        row["source_ids"] = "src-a" if cited else ""
    for row in tables["action_participants"]:
        cited = (row["action_id"], row["org_id"]) == ("tokyo-mission", "tokyo-content")
        row["source_ids"] = "src-b" if cited else ""
    tables["sources"].append(
        {"source_id": "src-c", "title": "Uncited", "url": "", "publisher": "", "published_on": "2020", "language": "en"}
    )
    result = load_dataset(factory.write(tmp_path_factory.mktemp("provenance") / "data", tables))
    assert result.dataset is not None, [p.line() for p in result.errors]
    return result.dataset


@pytest.fixture(scope="module")
def japan(data):
    # tokyo-mission is the one item with a Japanese party: klaster-lodz and tokyo-content are in view.
    return apply(data, Filters(countries=("JP",)))


def test_every_source_with_its_counts(data):
    table = source_counts(data)
    assert list(table["source_id"]) == ["src-a", "src-b", "src-c"]
    assert table.set_index("source_id")[COUNTS].to_dict("index") == {
        "src-a": {"organisations": 3, "agreements": 1, "actions": 1, "participations": 1, "facts": 6},
        "src-b": {"organisations": 3, "agreements": 1, "actions": 1, "participations": 1, "facts": 6},
        "src-c": {"organisations": 0, "agreements": 0, "actions": 0, "participations": 0, "facts": 0},
    }
    assert table["facts"].sum() == len(citations(data))
    assert table.iloc[0][["title", "publisher", "published_on", "language", "url"]].to_list() == [
        "Relatório anual",
        "Exemplo",
        "2017-04",
        "pt",
        "https://example.org/a",
    ]


def test_in_a_view_only_its_facts_count_and_only_their_sources_are_listed(japan, data):
    table = source_counts(data, japan)
    assert list(table["source_id"]) == ["src-a", "src-b"]  # equal counts: by title, Latin before Greek
    assert table.set_index("source_id")[COUNTS].to_dict("index") == {
        "src-a": {"organisations": 1, "agreements": 0, "actions": 1, "participations": 0, "facts": 2},
        "src-b": {"organisations": 1, "agreements": 0, "actions": 0, "participations": 1, "facts": 2},
    }


def test_facts_citing_a_source_with_readable_names(data):
    facts = facts_citing(data, "src-a")
    assert facts[["type", "fact_id", "fact"]].values.tolist() == [
        ["organisation", "porto-design", "Associação Portuguesa de Design"],
        ["organisation", "lisboa-camara", "Câmara Municipal de Lisboa"],
        ["organisation", "klaster-lodz", "Łódzki Klaster Kreatywny"],
        ["agreement", "lodz-porto-mou", "Memorandum Łódź–Porto"],
        ["action", "tokyo-mission", "Missão a Tóquio"],
        ["agreement party", "lodz-porto-mou/klaster-lodz", "Łódzki Klaster Kreatywny in Memorandum Łódź–Porto"],
    ]
    assert facts_citing(data, "src-c").empty


def test_facts_citing_a_source_within_a_view(data, japan):
    facts = facts_citing(data, "src-b", japan)
    assert facts[["type", "fact_id", "fact"]].values.tolist() == [
        ["organisation", "tokyo-content", "Tokyo Content Agency"],
        ["action participant", "tokyo-mission/tokyo-content", "Tokyo Content Agency in Missão a Tóquio"],
    ]


def test_the_kinds_of_fact_in_italian_and_names_as_written(data, japan):
    with i18n.speaking("it"):
        facts = facts_citing(data, "src-a")
        in_view = facts_citing(data, "src-b", japan)
    assert facts["type"].tolist() == [
        "organizzazione",
        "organizzazione",
        "organizzazione",
        "accordo",
        "azione",
        "parte di un accordo",
    ]
    assert facts["fact"].iloc[-1] == "Łódzki Klaster Kreatywny in Memorandum Łódź–Porto"  # dataset text as written
    assert in_view["type"].tolist() == ["organizzazione", "partecipante a un'azione"]


def test_cited_facts_in_a_view_are_a_subset_of_all(data, japan):
    every = cited_facts(data)
    assert len(every) == 12
    in_view = cited_facts(data, japan)
    assert set(zip(in_view["table"], in_view["fact_id"], strict=True)) == {
        ("organisations", "klaster-lodz"),
        ("organisations", "tokyo-content"),
        ("actions", "tokyo-mission"),
        ("action_participants", "tokyo-mission/tokyo-content"),
    }


def test_an_empty_view_lists_no_source(data):
    empty = apply(data, Filters(date_to="2010"))
    table = source_counts(data, empty)
    assert table.empty and list(table.columns)[-5:] == COUNTS


def test_only_web_addresses_are_links():
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url("HTTP://example.org") == "HTTP://example.org"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,<script>alert(1)</script>") is None
    assert safe_url(None) is None


def test_the_sources_of_many_items_at_once_are_each_items_own_in_order():
    """The Network page's details list the sources of an organisation's items in one step: on the curated data, the
    same rows as reading each item's `source_ids` cell from its CSV, in the order asked, a source once per item."""
    from pathlib import Path

    import pandas as pd

    from analysis.provenance import items_sources

    folder = Path(__file__).resolve().parents[2] / "data"
    curated = load_dataset(folder).dataset
    items = apply(curated, Filters()).items.sample(frac=1, random_state=3)[["item", "title"]]
    csv = {name: pd.read_csv(folder / f"{name}s.csv", dtype=str) for name in ("agreement", "action")}
    sources = pd.read_csv(folder / "sources.csv", dtype=str).set_index("source_id")
    expected = []
    for item, title in items.itertuples(index=False):
        kind, _, item_id = item.partition(":")
        cell = csv[kind].set_index(f"{kind}_id").loc[item_id, "source_ids"]
        for source in dict.fromkeys(s.strip() for s in str(cell).split(";") if s.strip()):
            expected.append((title, source, sources.loc[source, "title"]))
    found = items_sources(curated, items)
    assert list(found.columns) == ["fact", "source_id", "title", "publisher", "published_on", "language", "url"]
    assert list(found[["fact", "source_id", "title"]].itertuples(index=False, name=None)) == expected
    assert len(expected) > len(items)  # some items cite several sources
    assert items_sources(curated, items.iloc[:0]).empty
