"""Programme as a filter (issue 26): the codec's keys, apply() against plain pandas on a dataset of four programmes,
unknown programmes refused, the filter line, and the Compare page's sides set by programme."""

from __future__ import annotations

import argparse

import pytest

from analysis import filters as codec
from analysis import i18n
from analysis.comparison import Periods, compare_dataset, defaults, parse_periods
from analysis.filters import Filters, apply, programmes_of
from tests import programmes

INTERREG = "Interreg V-A, Italy-Croatia"
KNOWN = (
    "the dataset's programmes: FP7, H2020, HORIZON, Interreg V-A, Italy-Croatia"  # sorted, as the sidebar lists them
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("programmes")


@pytest.fixture(scope="module")
def data(folder):
    return programmes.dataset(folder)


@pytest.fixture(scope="module")
def raw(folder, data):
    return programmes.raw(folder)


def test_the_dataset_names_its_programmes_and_the_curated_one_none(data, small_data):
    assert programmes_of(data) == tuple(sorted(programmes.PROGRAMMES))
    assert programmes_of(small_data) == ()


def test_the_url_codec_round_trips_programmes_each_whole():
    params = {"programme": ["H2020", INTERREG], "country": "IT"}
    filters, ignored = codec.from_query(params, programmes=programmes.PROGRAMMES)
    assert ignored == []
    assert filters == Filters(countries=("IT",), programmes=("H2020", INTERREG))
    query = codec.to_query(filters)
    assert query == {"country": "IT", "programme": ["H2020", INTERREG]}  # a repeated key: a name may hold a comma
    assert codec.from_query(query, programmes=programmes.PROGRAMMES) == (filters, [])
    assert codec.from_widgets(codec.to_widgets(filters)) == filters
    assert Filters(programmes=("H2020", "FP7")) == Filters(programmes=("FP7", "H2020"))  # sorted like the others


def test_the_cli_option_reads_the_same_way():
    parser = argparse.ArgumentParser()
    codec.add_options(parser)
    args = parser.parse_args(["--programme", "H2020", "--programme", INTERREG])
    assert codec.from_options(args, programmes=programmes.PROGRAMMES) == (Filters(programmes=("H2020", INTERREG)), [])


def test_an_unknown_programme_is_refused_naming_the_datasets_programmes():
    filters, ignored = codec.from_query({"programme": ["H2021", "FP7"]}, programmes=programmes.PROGRAMMES)
    assert filters == Filters(programmes=("FP7",))
    assert ignored == [f"programme H2021 ({KNOWN})"]
    _, ignored = codec.from_query({"programme": "FP7"}, programmes=())
    assert ignored == ["programme FP7 (no action of the dataset names its programme)"]


@pytest.mark.parametrize("chosen", [("H2020",), ("FP7",), ("FP7", INTERREG)])
def test_apply_keeps_exactly_the_actions_of_the_programmes_and_every_agreement(data, raw, chosen):
    view = apply(data, Filters(programmes=chosen))
    wanted = raw["actions"][raw["actions"]["programme"].isin(chosen)]
    assert sorted(view.actions["action_id"]) == sorted(wanted["action_id"])
    assert sorted(view.agreements["agreement_id"]) == sorted(raw["agreements"]["agreement_id"])  # not narrowed
    parts = raw["action_participants"]
    kept = parts[parts["action_id"].isin(wanted["action_id"])]
    members = view.members[view.members["item"].str.startswith("action:")]
    assert sorted(zip(members["item"].str.removeprefix("action:"), members["org_id"], strict=True)) == sorted(
        zip(kept["action_id"], kept["org_id"], strict=True)
    )
    assert len(view.organisations) == programmes.overview(raw, chosen)["Organisations"]


def test_programmes_combine_with_the_other_filters(data, raw):
    actions = raw["actions"]
    kind = actions["kind"].iloc[0]
    view = apply(data, Filters(programmes=("H2020",), action_kinds=(kind,), date_from="2015"))
    # The last year an action covers: its end's, or without an end its start's (it lasts its start's precision).
    last_year = actions["end"].where(actions["end"] != "", actions["start"]).str[:4].astype(int)
    wanted = actions[(actions["programme"] == "H2020") & (actions["kind"] == kind) & (last_year >= 2015)]
    assert 0 < len(wanted) < len(actions[(actions["programme"] == "H2020") & (actions["kind"] == kind)])
    assert sorted(view.actions["action_id"]) == sorted(wanted["action_id"])


def test_an_empty_selection_keeps_everything(data, raw):
    view = apply(data, Filters())
    assert len(view.actions) == len(raw["actions"])  # the actions naming no programme too


def test_the_filter_line_and_file_names_name_the_programmes():
    filters = Filters(countries=("IT",), programmes=("H2020", "FP7"))
    assert filters.describe() == "Italy and partners, all years, programmes: FP7, H2020, all kinds"
    assert Filters(programmes=(INTERREG,)).slug() == "all_Interreg-V-A-Italy-Croatia"
    with i18n.speaking("it"):
        assert filters.describe() == "Italia e partner, tutti gli anni, programmi: FP7, H2020, tutti i tipi"


# The Compare page: A and B set by programme.


def test_the_compare_keys_round_trip_and_a_side_set_by_programme_spans_every_year():
    url = {"a_programme": ["FP7"], "b_programme": ["H2020", INTERREG], "b_from": "2015"}
    periods, ignored = parse_periods(url, (2008, 2024), programmes.PROGRAMMES)
    assert ignored == []
    assert periods == Periods(None, None, "2015", None, ("FP7",), ("H2020", INTERREG))
    assert periods.to_query() == {"b_from": "2015", "a_programme": ["FP7"], "b_programme": ["H2020", INTERREG]}
    assert parse_periods(periods.to_query(), (2008, 2024), programmes.PROGRAMMES) == (periods, [])
    assert periods.words == "FP7 compared with H2020, Interreg V-A, Italy-Croatia, from 2015"
    assert defaults((2008, 2024), (), ("H2020",)) == Periods("2008", "2015", None, None, (), ("H2020",))
    assert parse_periods({}, (2008, 2024)) == (Periods("2008", "2015", "2016", "2024"), [])  # as before


def test_an_unknown_programme_of_a_side_is_left_out_and_named():
    periods, ignored = parse_periods({"a_programme": "FP6"}, (2008, 2024), programmes.PROGRAMMES)
    assert periods == Periods("2008", "2015", "2016", "2024")
    assert ignored == [f"A: programme FP6 ({KNOWN})"]


def test_compare_by_programme_equals_pandas(data, raw):
    found = compare_dataset(data, Periods(None, None, None, None, ("FP7",), ("H2020",)), Filters())
    assert found.tiles() == programmes.compared(raw, ("FP7",), ("H2020",))
    nodes_a, _ = programmes.linked_pairs(raw, ("FP7",))
    assert set(found.organisations.left) | set(found.organisations.stayed) == nodes_a
    assert found.filters == Filters()  # the sides' programmes are in the periods' words, not the shared filters
    assert found.filters.describe(period=found.periods.words) == "All countries, FP7 compared with H2020, all kinds"


def test_a_side_without_programmes_takes_the_shared_ones(data, raw):
    found = compare_dataset(data, Periods(None, None, None, None, ("FP7",), ()), Filters(programmes=("HORIZON",)))
    assert (found.periods.a_programmes, found.periods.b_programmes) == (("FP7",), ("HORIZON",))
    assert found.tiles() == programmes.compared(raw, ("FP7",), ("HORIZON",))
