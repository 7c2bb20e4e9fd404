"""The curated dataset keeps the brief's promises: it loads cleanly, and every fact has a source."""

from __future__ import annotations

import csv

import pytest

from analysis import load_dataset
from analysis.schema import DATA_DIR, contract
from analysis.validate import split_list


def test_loads_without_errors_or_warnings():
    result = load_dataset(DATA_DIR)
    assert result.ok
    assert [p.line() for p in result.problems] == []


def test_csv_headers_follow_the_datapackage():
    for table in contract().values():
        path = DATA_DIR / table.filename
        if not table.required and not path.exists():
            continue
        with path.open(encoding="utf-8") as f:
            assert next(csv.reader(f)) == list(table.columns), table.name


@pytest.mark.parametrize(
    "table", ["organisations", "agreements", "actions", "agreement_parties", "action_participants"]
)
def test_every_fact_row_cites_a_known_source(curated, table):
    known = set(curated.sources["source_id"])
    cited = curated.tables[table]["source_ids"]
    assert cited.notna().all(), f"{table}: rows without a source"
    for cell in cited:
        assert split_list(cell) and set(split_list(cell)) <= known


def test_the_2014_protocol_links_italy_poland_portugal_and_germany(curated):
    protocol = curated.agreements.set_index("agreement_id").loc["bari-protocol-2014"]
    assert protocol["kind"] == "protocol"
    assert protocol["signed_on"] == "2014"  # signed during Medimex, 30 Oct - 1 Nov 2014: only the year is true
    assert "30 October" in protocol["summary"] and "1 November" in protocol["summary"]
    parties = curated.agreement_parties[curated.agreement_parties["agreement_id"] == "bari-protocol-2014"]
    countries = curated.organisations.set_index("org_id").loc[parties["org_id"], "country"]
    assert set(countries) == {"IT", "PL", "PT", "DE"}


def test_unnamed_parties_say_so(curated):
    orgs = curated.organisations.set_index("org_id")
    for org in ("unnamed-pl-signatory-2014", "unnamed-pt-signatory-2014", "unnamed-de-signatory-2014"):
        assert "not named in the sources" in orgs.loc[org, "name"]


def test_expo_2015_and_matera_2019_calls_are_actions_of_the_protocol(curated):
    actions = curated.actions.set_index("action_id")
    for call in ("call-expo-2015", "call-matera-2019"):
        assert actions.loc[call, "kind"] == "call"
        assert actions.loc[call, "agreement_id"] == "bari-protocol-2014"
        assert actions.loc[call, "status"] == "proposed"
    assert "Expo 2015" in actions.loc["call-expo-2015", "title"]
    assert "Matera 2019" in actions.loc["call-matera-2019", "title"]


def test_the_eccl_partners_and_budget(curated):
    parties = curated.agreement_parties[curated.agreement_parties["agreement_id"] == "eccl-consortium"]
    assert len(parties) == 5
    assert curated.actions.set_index("action_id").loc["eccl-project", "budget_eur"] == 1_496_700
