"""Each rule of the contract, broken once, reported with its exact table, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import i18n, load_dataset
from analysis.problems import Problem
from tests import factory


def problems_of(tmp_path: Path, data: dict) -> list[Problem]:
    return list(load_dataset(factory.write(tmp_path / "ds", data)).problems)


def only_errors(tmp_path: Path, data: dict) -> list[tuple[str, int | None, str | None, str | None]]:
    return [(p.table, p.row, p.column, p.value) for p in problems_of(tmp_path, data) if p.blocking]


def test_the_factory_dataset_is_valid_and_warns_nothing(tmp_path):
    result = load_dataset(factory.write(tmp_path / "ds"))
    assert result.ok
    assert result.problems == ()


def test_five_planted_errors_are_all_reported_with_their_rows(tmp_path):
    data = factory.tables()
    data["organisations"].append(dict(data["organisations"][0], name="Copy"))  # duplicate id, row 7
    data["organisations"][3]["country"] = "XX"  # unknown country, row 5
    data["organisations"][0]["nuts2"] = "PT17"  # NUTS of another country, row 2
    data["actions"][0]["end"] = "2017-02-30"  # impossible date, row 2
    data["agreement_parties"][2]["agreement_id"] = "no-such-agreement"  # broken foreign key, row 4
    result = load_dataset(factory.write(tmp_path / "ds", data))
    assert not result.ok
    assert result.dataset is None
    found = {(p.table, p.row, p.column) for p in result.errors}
    assert found == {
        ("organisations", 7, "org_id"),
        ("organisations", 5, "country"),
        ("organisations", 2, "nuts2"),
        ("actions", 2, "end"),
        ("agreement_parties", 4, "agreement_id"),
    }


def test_duplicate_key_names_the_first_row(tmp_path):
    data = factory.tables()
    data["sources"].append(dict(data["sources"][0], title="Again"))
    dup = [p for p in problems_of(tmp_path, data) if p.blocking]
    assert [(p.table, p.row, p.column, p.value) for p in dup] == [("sources", 4, "source_id", "src-a")]
    assert "row 2 has the same" in dup[0].message


def test_duplicate_composite_key(tmp_path):
    data = factory.tables()
    data["action_participants"].append(dict(data["action_participants"][0], role="partner"))
    assert only_errors(tmp_path, data) == [
        ("action_participants", 6, "action_id+org_id", "tokyo-mission, klaster-lodz")
    ]


def test_missing_required_table(tmp_path):
    data = factory.tables()
    del data["sources"]
    errors = [p for p in problems_of(tmp_path, data) if p.blocking]
    assert [(p.table, p.row, p.column) for p in errors] == [("sources", None, None)]
    assert "sources.csv is missing" in errors[0].message


def test_missing_required_column(tmp_path):
    data = factory.tables()
    for row in data["agreements"]:
        del row["signed_on"]
    assert only_errors(tmp_path, data) == [("agreements", 1, "signed_on", None)]


def test_empty_required_value(tmp_path):
    data = factory.tables()
    data["actions"][1]["title"] = ""
    assert only_errors(tmp_path, data) == [("actions", 3, "title", "")]


def test_value_outside_enum_suggests_the_spelling(tmp_path):
    data = factory.tables()
    data["organisations"][2]["kind"] = "Public Authority"
    errors = [p for p in problems_of(tmp_path, data) if p.blocking]
    assert [(p.table, p.row, p.column, p.value) for p in errors] == [("organisations", 4, "kind", "Public Authority")]
    assert "write 'public_authority'" in errors[0].message


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("agreements", "signed_on", "07/11/2014"),
        ("agreements", "signed_on", "2014-13"),
        ("actions", "participants_count", "about 12"),
        ("actions", "participants_count", "12.5"),
        ("actions", "budget_eur", "25.000,50"),
        ("actions", "budget_eur", "-1"),
        ("actions", "budget_eur", "nan"),
        ("action_participants", "contribution_eur", "inf"),
        ("action_participants", "contribution_eur", "1e400"),
        ("action_participants", "contribution_eur", "-250"),
        ("action_participants", "cost_eur", "12 000"),
    ],
)
def test_unreadable_date_or_number(tmp_path, table, column, value):
    data = factory.tables()
    data[table][0][column] = value
    assert only_errors(tmp_path, data) == [(table, 2, column, value)]


def test_contributions_above_their_actions_budget_are_a_warning_naming_the_action(tmp_path):
    data = factory.tables()
    action = data["actions"][0]
    action["budget_eur"] = "1000"
    mine = [row for row in data["action_participants"] if row["action_id"] == action["action_id"]]
    mine[0]["contribution_eur"], mine[1]["contribution_eur"] = "600", "420.50"  # 1,020.50: 2% above
    found = [p for p in problems_of(tmp_path, data) if p.column == "budget_eur"]
    assert [(p.table, p.row, p.severity, p.value) for p in found] == [("actions", 2, "warning", "1000")]
    assert (
        f"the contributions of action {action['action_id']}'s participants add up to 1,020.50 EUR" in found[0].message
    )
    mine[1]["contribution_eur"] = "409.99"  # 1,009.99: within the 1% of rounding
    assert [p for p in problems_of(tmp_path, data) if p.column == "budget_eur"] == []


def test_end_before_start(tmp_path):
    data = factory.tables()
    data["agreements"][0]["ends_on"] = "2016-04"  # signed 2016-05
    assert only_errors(tmp_path, data) == [("agreements", 2, "ends_on", "2016-04")]


def test_partial_end_covering_the_start_is_fine(tmp_path):
    data = factory.tables()
    data["actions"][0]["end"] = "2017"  # starts 2017-03-14: the year covers it
    assert only_errors(tmp_path, data) == []


def test_coordinates_out_of_range_and_half_given(tmp_path):
    data = factory.tables()
    data["organisations"][0]["lat"] = "151.76"
    data["organisations"][4]["lon"] = ""
    assert only_errors(tmp_path, data) == [("organisations", 2, "lat", "151.76"), ("organisations", 6, "lon", "")]


def test_unknown_nuts_code_and_lower_case_country(tmp_path):
    data = factory.tables()
    data["organisations"][0]["nuts2"] = "PL99"
    data["organisations"][1]["country"] = "pt"
    errors = [p for p in problems_of(tmp_path, data) if p.blocking]
    assert [(p.table, p.row, p.column) for p in errors] == [
        ("organisations", 2, "nuts2"),
        ("organisations", 3, "country"),
    ]
    assert "write PT" in errors[1].message


def test_nuts_spelling_of_greece_is_read_as_iso_with_a_warning(tmp_path):
    data = factory.tables()
    data["organisations"][2]["country"] = "EL"
    result = load_dataset(factory.write(tmp_path / "ds", data))
    assert result.ok
    assert [(p.table, p.row, p.column) for p in result.warnings] == [("organisations", 4, "country")]
    assert result.dataset.organisations.loc[2, "country"] == "GR"


def test_nuts_outside_its_country_names_both(tmp_path):
    data = factory.tables()
    data["organisations"][2]["nuts2"] = "ITF4"  # a Greek organisation placed in Puglia
    errors = [p for p in problems_of(tmp_path, data) if p.blocking]
    assert [(p.table, p.row, p.column) for p in errors] == [("organisations", 4, "nuts2")]
    assert errors[0].message.startswith("ITF4 (Puglia) lies in IT, not in GR")


def test_broken_source_reference_in_a_list(tmp_path):
    data = factory.tables()
    data["organisations"][1]["source_ids"] = "src-a; src-z"
    assert only_errors(tmp_path, data) == [("organisations", 3, "source_ids", "src-z")]


def test_bad_slug_url_and_language(tmp_path):
    data = factory.tables()
    data["sources"][0]["source_id"] = "Src A"
    data["organisations"][0]["source_ids"] = "Src A"
    data["organisations"][3]["source_ids"] = "src-b"
    data["organisations"][4]["source_ids"] = "src-b"
    data["agreements"][0]["source_ids"] = "src-b"
    data["actions"][0]["source_ids"] = "src-b"
    data["organisations"][1]["source_ids"] = "src-b"
    data["organisations"][0]["website"] = "javascript:alert(1)"
    data["sources"][1]["language"] = "greek"
    errors = [p for p in problems_of(tmp_path, data) if p.blocking]
    assert [(p.table, p.row, p.column) for p in errors] == [
        ("organisations", 2, "website"),
        ("sources", 2, "source_id"),
        ("sources", 3, "language"),
    ]
    assert "'src-a'" in errors[1].message


def test_warnings_do_not_block(tmp_path):
    data = factory.tables()
    for row in data["organisations"]:
        row["remarks"] = "x"  # unknown extra column
    data["organisations"].append(
        {
            "org_id": "lonely",
            "name": "Lonely Org",
            "kind": "other",
            "country": "IT",
            "nuts2": "ITF4",
            "city": "",
            "lat": "45.46",
            "lon": "9.19",
            "sectors": "",
            "website": "",
            "source_ids": "",
            "remarks": "",
        }
    )
    result = load_dataset(factory.write(tmp_path / "ds", data))
    assert result.ok
    assert [(p.table, p.row, p.column) for p in result.warnings] == [
        ("organisations", 1, "remarks"),  # extra column
        ("organisations", 7, "lat"),  # Milan is far outside Puglia
        ("organisations", 7, "org_id"),  # in no agreement and no action
        ("organisations", 7, "source_ids"),  # no source
    ]
    assert "remarks" in result.dataset.organisations.columns


def test_every_problem_reported_at_once(tmp_path):
    data = factory.tables()
    for row in data["organisations"]:
        row["kind"] = "club"
    assert [(t, r) for t, r, _, _ in only_errors(tmp_path, data)] == [("organisations", r) for r in range(2, 7)]


def test_one_kind_of_problem_is_listed_a_thousand_times_then_counted(tmp_path):
    tables = factory.tables()
    template = tables["organisations"][0]
    tables["organisations"] += [{**template, "org_id": f"idle-{i}"} for i in range(1500)]
    result = load_dataset(factory.write(tmp_path / "idle", tables))
    idle = [p for p in result.warnings if p.column == "org_id" and "in no agreement and no action" in p.message]
    assert len(idle) == 1001
    assert idle[-1].row is None and str(idle[-1].value) == "500 more rows"
    assert idle[-1].message.startswith("and 500 more rows like the above: this organisation is in no agreement")


def test_problems_are_said_in_the_language_they_are_read_in(tmp_path):
    """Checked once, a problem reads in English or in Italian: its words are put together when it is read."""
    data = factory.tables()
    data["organisations"].append(dict(data["organisations"][0], name="Copy"))  # duplicate id, row 7
    data["organisations"][0]["nuts2"] = "PT17"  # NUTS of another country, row 2
    data["organisations"][1]["kind"] = "Public Authority"
    data["actions"][0]["end"] = "2017-02-30"  # impossible date, row 2
    data["agreement_parties"][2]["agreement_id"] = "no-such-agreement"  # broken foreign key, row 4
    problems = {(p.table, p.row, p.column): p for p in problems_of(tmp_path, data)}
    duplicate, nuts = problems[("organisations", 7, "org_id")], problems[("organisations", 2, "nuts2")]
    date, key = problems[("actions", 2, "end")], problems[("agreement_parties", 4, "agreement_id")]
    kind = problems[("organisations", 3, "kind")]
    english = [p.message for p in (duplicate, nuts, date, key, kind)]
    with i18n.speaking("it"):
        assert duplicate.message == (
            "org_id duplicato: la riga 2 ha lo stesso valore; dare a ogni riga il proprio identificatore o "
            "eliminare la riga ripetuta"
        )
        assert nuts.message == (
            "PT17 (Área Metropolitana de Lisboa) si trova in PT, non in PL: correggere la regione o il paese"
        )
        assert date.message.startswith("ha il giorno 30, ma febbraio 2017 ha 28 giorni: scrivere la data come")
        assert key.line() == (
            "agreement_parties:4:agreement_id: nessuna riga di agreements.csv ha agreement_id 'no-such-agreement': "
            "aggiungere quella riga o correggere l'identificatore [no-such-agreement]"
        )
        assert kind.message == "'Public Authority' non è un valore ammesso di kind: scrivere 'public_authority'"
        assert kind.as_dict()["message"] == kind.message and kind.as_dict()["severity"] == "error"
    assert [p.message for p in (duplicate, nuts, date, key, kind)] == english  # and English again
    assert date.message.startswith("has day 30, but February 2017 has 28 days: write the date as YYYY-MM-DD")


def test_the_count_of_many_alike_problems_reads_in_italian(tmp_path):
    tables = factory.tables()
    template = tables["organisations"][0]
    tables["organisations"] += [{**template, "org_id": f"idle-{i}"} for i in range(1500)]
    result = load_dataset(factory.write(tmp_path / "idle", tables))
    last = [p for p in result.warnings if p.column == "org_id"][-1]
    with i18n.speaking("it"):
        assert str(last.value) == "altre 500 righe"
        assert last.message.startswith(
            "e altre 500 righe come quelle sopra: questa organizzazione non è in alcun accordo né in alcuna azione"
        )
