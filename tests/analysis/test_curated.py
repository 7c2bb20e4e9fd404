"""The curated dataset keeps the brief's promises: it loads cleanly, and every fact has a source."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis import load_dataset
from analysis.provenance import coordinate_sources
from analysis.schema import DATA_DIR, contract
from analysis.validate import split_list

GISCO = "eurostat-gisco-nuts-2021"  # where every NUTS code comes from
CITY_CENTRES = "dossier-city-coordinates"  # where every coordinate comes from


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


def roles(curated, members: str, item_column: str, item: str) -> dict[str, object]:
    """org_id -> role (None when empty) of one agreement's parties or one action's participants."""
    rows = curated.tables[members]
    rows = rows[rows[item_column] == item]
    return {org: (None if pd.isna(role) else role) for org, role in zip(rows["org_id"], rows["role"], strict=True)}


def test_the_recognition_of_puglia_creativa_is_a_decision_it_did_not_sign(curated):
    assert "puglia-creativa-recognition-2012" not in set(curated.agreements["agreement_id"])
    decision = curated.actions.set_index("action_id").loc["puglia-creativa-recognition-2012"]
    assert (decision["kind"], decision["start"]) == ("other", "2012-11")
    who = roles(curated, "action_participants", "action_id", "puglia-creativa-recognition-2012")
    assert who == {"regione-puglia": "lead", "puglia-creativa": None}


def test_roles_say_only_what_the_sources_say(curated):
    # The second session was open to these; the sources do not say they took part.
    session = roles(curated, "action_participants", "action_id", "session-be-creative-be-cluster-2014")
    assert {org: session[org] for org in ("puglia-creativa", "distretto-informatica", "apulian-ict-living-labs")} == {
        "puglia-creativa": None,
        "distretto-informatica": None,
        "apulian-ict-living-labs": None,
    }
    # Both workshops were held on the occasion of Medimex, which the sources give no role.
    for workshop in ("workshop-creative-clusters-2014", "reti-di-impresa-workshop"):
        assert roles(curated, "action_participants", "action_id", workshop)["medimex"] is None


def test_dates_that_stand_for_something_else_say_so(curated):
    actions = curated.actions.set_index("action_id")
    for project in ("talia-project", "sparc-project"):
        assert "not its start" in actions.loc[project, "date_note"]
    agreements = curated.agreements.set_index("agreement_id")
    for consortium in ("eccl-consortium", "ecia-consortium"):
        assert "not a signing" in agreements.loc[consortium, "date_note"]
    # Three years from 8 July 2025, renewable: it no longer runs on in every future window.
    assert agreements.loc["inter-district-protocol-2025", "ends_on"] == "2028-07"


def test_italian_bodies_keep_their_italian_names(curated):
    names = curated.organisations.set_index("org_id")["name"]
    assert names["regione-basilicata"] == "Regione Basilicata"
    assert names["friuli-venezia-giulia"] == "Regione Autonoma Friuli Venezia Giulia"


def test_the_ecia_consortium_and_its_six_members(curated):
    ecia = curated.agreements.set_index("agreement_id").loc["ecia-consortium"]
    assert (ecia["kind"], ecia["signed_on"], ecia["ends_on"]) == ("consortium", "2012-01", "2014-12")
    members = roles(curated, "agreement_parties", "agreement_id", "ecia-consortium")
    assert members["amsterdam-economic-board"] == "lead"
    countries = curated.organisations.set_index("org_id").loc[list(members), "country"]
    assert sorted(countries) == ["DE", "ES", "FI", "FR", "IT", "NL"]


def test_the_dated_facts_added_from_the_dossier(curated):
    actions = curated.actions.set_index("action_id")
    assert actions.loc["buypuglia-2014", "participants_count"] == 220 + 171
    assert roles(curated, "action_participants", "action_id", "buypuglia-2014") == {"pugliapromozione": "organiser"}
    seminar = actions.loc["expo-2015-per-litalia-seminar-2013"]
    assert (seminar["start"], seminar["city"]) == ("2013-12-03", "Martina Franca")
    for action, organiser in [
        ("creative-europe-desk-bari-2014", "mibact"),
        ("conference-of-regions-hearing-2017", "conferenza-delle-regioni"),
        ("oecd-leed-paris-2015", "oecd-leed"),
        ("expo-2015-per-litalia-seminar-2013", "padiglione-italia-expo-2015"),
    ]:
        assert roles(curated, "action_participants", "action_id", action)[organiser] == "organiser"
    camp = roles(curated, "action_participants", "action_id", "eccl-creative-camp-lille-2013")
    assert len([org for org, role in camp.items() if role == "participant"]) == 7  # BUDA Fabric left out


def test_regions_and_coordinates_cite_their_own_sources(curated):
    for row in curated.organisations.itertuples(index=False):
        cited = set(split_list(row.source_ids))
        assert (GISCO in cited) == pd.notna(row.nuts2), row.org_id
        assert (CITY_CENTRES in cited) == pd.notna(row.lat), row.org_id
    (source,) = coordinate_sources(curated).itertuples(index=False)
    assert source.source_id == CITY_CENTRES
    assert "Approximate city-centre coordinates, not addresses" in source.title
    gisco = curated.sources.set_index("source_id").loc[GISCO]
    assert "Eurostat GISCO" in gisco["title"] and "NUTS 2021" in gisco["title"]
