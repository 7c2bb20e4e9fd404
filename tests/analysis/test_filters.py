"""Filters as the contract defines them, on the hand-made network of tests/small.py."""

from __future__ import annotations

import argparse

import pytest

from analysis import filters as codec
from analysis.dates import DateError
from analysis.filters import Filters, apply


def kept(small_data, **filters) -> list[str]:
    return sorted(apply(small_data, Filters(**filters)).items["item"])


def nodes(small_data, **filters) -> list[str]:
    return sorted(apply(small_data, Filters(**filters)).organisations["org_id"])


def test_no_filter_keeps_everything_but_the_organisation_in_nothing(small_data):
    assert kept(small_data) == ["action:ac1", "action:ac2", "action:ac3", "agreement:ag1", "agreement:ag2"]
    assert nodes(small_data) == ["a", "b", "c", "d", "e", "f"]


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        ("2015", "2015", ["action:ac1", "agreement:ag1"]),  # ag1 is open-ended, ac1 is the year 2015
        ("2017", "2017-12", ["agreement:ag1", "agreement:ag2"]),  # ag2 ends in 2017 (whole year)
        (None, "2014-12", ["agreement:ag1"]),  # a year-only signing covers the whole year
        ("2019-07", None, ["action:ac3", "agreement:ag1"]),  # ac2 ended with June 2019
        ("2019-06", None, ["action:ac2", "action:ac3", "agreement:ag1"]),  # ... which June 2019 still covers
        ("2016", "2016", ["agreement:ag1", "agreement:ag2"]),  # an action with no end is one period: not 2016
        ("2020-06-16", None, ["agreement:ag1"]),  # a day-only action is that day
    ],
)
def test_period_keeps_items_whose_interval_overlaps(small_data, date_from, date_to, expected):
    assert kept(small_data, date_from=date_from, date_to=date_to) == expected


def test_country_keeps_items_with_one_of_its_organisations_and_their_partners(small_data):
    view = apply(small_data, Filters(countries=("PL",)))
    assert sorted(view.items["item"]) == ["action:ac2", "agreement:ag1"]
    selection = dict(zip(view.organisations["org_id"], view.organisations["in_selection"], strict=True))
    assert selection == {"a": False, "c": True, "d": False, "e": False, "f": False}


def test_only_selected_countries_drops_partners(small_data):
    view = apply(small_data, Filters(countries=("PL", "DE"), only_selected=True))
    assert sorted(view.organisations["org_id"]) == ["c", "e", "f"]
    assert sorted(view.members["item"] + "/" + view.members["org_id"]) == [
        "action:ac2/c",
        "action:ac2/e",
        "action:ac2/f",
        "agreement:ag1/c",
        "agreement:ag1/e",
    ]


def test_kinds_narrow_and_empty_means_all(small_data):
    assert kept(small_data, agreement_kinds=("memorandum",)) == [
        "action:ac1",
        "action:ac2",
        "action:ac3",
        "agreement:ag2",
    ]
    assert kept(small_data, action_kinds=("call", "event")) == [
        "action:ac1",
        "action:ac3",
        "agreement:ag1",
        "agreement:ag2",
    ]
    # Organisation kinds keep only those organisations, and the items they take part in.
    assert nodes(small_data, org_kinds=("company", "public_authority")) == ["b", "f"]
    assert kept(small_data, org_kinds=("company", "public_authority")) == ["action:ac1", "action:ac2", "agreement:ag2"]


def test_filters_combine(small_data):
    assert kept(small_data, countries=("IT",), date_from="2016", action_kinds=("project",)) == [
        "agreement:ag1",
        "agreement:ag2",
    ]


def test_describe_in_words():
    assert Filters().describe() == "All countries, all years, all kinds"
    assert Filters(countries=("PL",), date_from="2014", date_to="2019").describe() == (
        "Poland and partners, 2014-2019, all kinds"
    )
    assert Filters(countries=("PT", "PL"), only_selected=True, action_kinds=("trade_mission",)).describe() == (
        "Poland and Portugal only, all years, actions: trade mission"
    )
    assert Filters(countries=("PT", "PL"), date_from="2014", date_to="2019").slug() == "PL-PT_2014-2019"


def test_filters_are_normalised_and_checked():
    assert Filters(countries=("PT", "PL", "PT")) == Filters(countries=("PL", "PT"))
    assert hash(Filters(countries=("PT", "PL"))) == hash(Filters(countries=("PL", "PT")))
    with pytest.raises(DateError, match="period start '2014-13' has month 13"):
        Filters(date_from="2014-13")
    with pytest.raises(ValueError, match="ends"):
        Filters(date_from="2019", date_to="2014")


# The codec: one reading of the URL, the widgets and the CLI options.


def test_a_url_becomes_filters_and_back():
    params = {"country": "pl,PT", "from": "2014", "to": "2019-06", "only": "1", "action_kind": "call,project"}
    filters, ignored = codec.from_query(params, countries=["PL", "PT", "IT"])
    assert ignored == []
    assert filters == Filters(("PL", "PT"), True, "2014", "2019-06", action_kinds=("call", "project"))
    assert codec.to_query(filters) == {
        "country": "PL,PT",
        "only": "1",
        "from": "2014",
        "to": "2019-06",
        "action_kind": "call,project",
    }
    assert codec.to_query(Filters()) == {}  # an unfiltered view has a bare URL


def test_what_a_link_cannot_use_is_left_out_and_named():
    params = {"country": "XX,PL", "from": "2014-13", "agreement_kind": "treaty,protocol", "org_kind": "cluster"}
    filters, ignored = codec.from_query(params, countries=["PL"])
    assert filters == Filters(("PL",), agreement_kinds=("protocol",), org_kinds=("cluster",))
    assert ignored == [
        "country XX",
        "period start 2014-13 (has month 13, which does not exist)",
        "agreement kind treaty",
    ]


def test_a_reversed_period_and_a_lone_only_are_dropped():
    filters, ignored = codec.from_query({"from": "2020", "to": "2015", "only": "1"})
    assert filters == Filters()
    assert ignored == [
        "period 2020 to 2015 (it ends before it starts)",
        "only the selected countries (no country is selected)",
    ]


def test_a_repeated_url_key_keeps_every_value():
    filters, _ = codec.from_query({"country": ["IT", "PL"], "to": ["2015", "2016"]})
    assert (filters.countries, filters.date_to) == (("IT", "PL"), "2016")  # lists join; a date takes the last


def test_widgets_hold_the_same_filters():
    filters = Filters(("PL",), True, "2014", None, org_kinds=("cluster",))
    state = codec.to_widgets(filters)
    assert state["f_countries"] == ["PL"] and state["f_only_selected"] is True
    assert codec.from_widgets(state) == filters


def test_cli_options_read_the_same_way():
    parser = argparse.ArgumentParser()
    codec.add_options(parser)
    args = parser.parse_args(["--country", "pl", "--country", "IT", "--from", "2014", "--org-kind", "cluster"])
    filters, ignored = codec.from_options(args)
    assert ignored == [] and filters == Filters(("IT", "PL"), date_from="2014", org_kinds=("cluster",))
    assert {f.option for f in codec.FIELDS} == {a for action in parser._actions for a in action.option_strings} - {
        "-h",
        "--help",
    }
