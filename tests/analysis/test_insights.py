"""What the Overview and the detail panels read, on tests/small.py."""

from __future__ import annotations

import copy

from analysis import i18n, load_dataset
from analysis.filters import Filters
from analysis.insights import Insights
from tests import factory, small


def test_kpis(small_data):
    assert Insights(small_data, Filters()).kpis() == {"Organisations": 6, "Countries": 4, "Agreements": 2, "Actions": 3}
    assert Insights(small_data, Filters(countries=("PL",), only_selected=True)).kpis() == {
        "Organisations": 1,
        "Countries": 1,
        "Agreements": 1,
        "Actions": 1,
    }


def test_brokers_rank_by_countries_then_partners(small_data):
    brokers = Insights(small_data, Filters()).brokers()
    assert list(brokers["node"]) == ["a", "c", "e", "d", "f"]  # b reaches no other country
    assert list(brokers["brokerage"]) == [3, 3, 3, 3, 1]
    assert list(brokers["partners"]) == [4, 4, 4, 3, 2]


def test_coverage(small_data):
    c = Insights(small_data, Filters()).coverage()
    assert (c.organisations, c.placed_by_region, c.placed_by_country, c.unplaced) == (6, 2, 1, 0)  # b, d; f
    assert (c.items, c.dated_to_month, c.dated_to_year) == (5, 1, 2)  # ag2 2016-05; ag1 2014, ac1 2015
    assert c.organisations_in_nothing == 1  # g
    assert c.placed_by_coordinates == 3  # a, c, e
    assert c.coordinate_sources == ()  # every organisation cites the one source, placed or not: none is the places'
    assert c.dates_noted == 0


def test_coverage_counts_the_noted_dates_and_names_the_coordinates_source(tmp_path):
    tables = copy.deepcopy(small.TABLES)
    tables["sources"].append({"source_id": "points", "title": "Approximate city centres"})
    for row in tables["organisations"]:
        if row["lat"]:
            row["source_ids"] += ";points"
    tables["actions"][0]["date_note"] = "The year it was proposed, not its start"
    c = Insights(load_dataset(factory.write(tmp_path / "noted", tables)).dataset, Filters()).coverage()
    assert c.coordinate_sources == ("Approximate city centres",)
    assert c.dates_noted == 1


def test_reading_is_computed_from_the_numbers(small_data):
    assert Insights(small_data, Filters()).reading() == [
        "6 organisations from 4 countries take part in 2 agreements and 3 joint actions.",
        "They are tied by 9 links, 78% of which cross a border; the network is all one piece.",
        "The widest broker is Org A (IT), tied to partners in 3 other countries.",
        "Most new links appeared in 2014 (6).",
    ]
    assert Insights(small_data, Filters(date_to="2010")).reading() == ["No agreement or action matches these filters."]


def test_items_of_a_node_with_dates_as_written(small_data):
    items = Insights(small_data, Filters()).items_of("org", "a")
    assert list(items["item"]) == ["agreement:ag1", "action:ac1", "agreement:ag2"]
    assert list(items["dates"]) == ["2014 - open-ended", "2015", "2016-05 - 2017"]
    assert set(Insights(small_data, Filters()).items_of("country", "DE")["item"]) == {"agreement:ag1", "action:ac2"}


def test_items_of_a_node_in_italian(small_data):
    with i18n.speaking("it"):
        items = Insights(small_data, Filters()).items_of("org", "a")
    assert list(items["dates"]) == ["2014 - senza scadenza", "2015", "2016-05 - 2017"]
    assert items["role"].iloc[0] == "firmatario"
    assert list(items["item_type"]) == ["agreement", "action", "agreement"]  # identifiers, said by the pages


def test_items_of_a_region(small_insights):
    assert set(small_insights.items_of("region", "ITF4")["item"]) == {"agreement:ag1", "agreement:ag2", "action:ac1"}


def test_each_value_is_computed_once_and_kept(small_data):
    insights = Insights(small_data, Filters())
    assert insights.network("org") is insights.network("org")
    assert insights.metrics("country") is insights.metrics("country")
    assert insights.network("org") is not insights.network("country")


def test_country_table_counts_organisations_agreements_and_actions(small_insights):
    assert small_insights.country_table().to_dict("records") == [
        {"country": "DE", "name": "Germany", "organisations": 2, "agreements": 1, "actions": 1},
        {"country": "IT", "name": "Italy", "organisations": 2, "agreements": 2, "actions": 1},
        {"country": "PL", "name": "Poland", "organisations": 1, "agreements": 1, "actions": 1},
        {"country": "PT", "name": "Portugal", "organisations": 1, "agreements": 1, "actions": 1},
    ]
    with i18n.speaking("it"):
        table = small_insights.country_table()
    assert list(table["name"]) == ["Germania", "Italia", "Polonia", "Portogallo"]  # ISO's Italian names
    assert list(table.columns) == ["country", "name", "organisations", "agreements", "actions"]


def test_costly_metrics_of_a_large_network_are_filled_in_apart(small_data, monkeypatch):
    """Above AT_ONCE_WORK the page gets the quick metrics at once and the costly ones when their job is done."""
    import dataclasses
    import threading

    import pandas as pd

    from analysis import insights as insights_module
    from analysis import metrics
    from analysis.metrics import node_metrics

    go_on = threading.Event()
    exact = metrics.METRICS["betweenness"]

    def held(net, progress):
        progress(0.5)
        go_on.wait(10)
        return exact.compute(net, progress)

    monkeypatch.setitem(metrics.METRICS, "betweenness", dataclasses.replace(exact, compute=held))
    monkeypatch.setattr(insights_module, "AT_ONCE_WORK", 0)
    view = Insights(small_data, Filters())
    first, done, problem = view.metrics_so_far("org")
    assert problem is None
    assert first["betweenness"].isna().all() and first["community"].isna().all()
    assert list(first["degree"]) == list(node_metrics(view.network("org"))["degree"])  # the quick ones are there
    assert done is not None and done < 1
    go_on.set()
    view.metrics_job("org").result(timeout=10)
    full, done, _ = view.metrics_so_far("org")
    assert done is None
    pd.testing.assert_frame_equal(full, node_metrics(view.network("org")), check_dtype=False)
    assert view.metrics("org") is full  # the job's table is the view's metrics: computed once


def test_costly_metrics_that_fail_are_said_and_tried_again(small_data, monkeypatch):
    import dataclasses

    from analysis import insights as insights_module
    from analysis import metrics

    exact = metrics.METRICS["community"]
    tries = []

    def fails_once(net, progress):
        tries.append(1)
        if len(tries) == 1:
            raise MemoryError("out of memory")
        return exact.compute(net, progress)

    monkeypatch.setitem(metrics.METRICS, "community", dataclasses.replace(exact, compute=fails_once))
    monkeypatch.setattr(insights_module, "AT_ONCE_WORK", 0)
    view = Insights(small_data, Filters())
    view.metrics_job("org")._done.wait(10)
    table, done, problem = view.metrics_so_far("org")
    assert problem == "MemoryError: out of memory" and table["community"].isna().all()  # the quick ones stand
    view.metrics_job("org").result(timeout=10)  # asked again: a new job, which succeeds
    table, done, problem = view.metrics_so_far("org")
    assert done is None and problem is None and table["community"].notna().all() and len(tries) == 2


def test_another_language_says_the_words_again_but_keeps_the_numbers(small_data):
    insights = Insights(small_data, Filters())
    network, metrics, reading = insights.network("org"), insights.quick_metrics("org"), insights.reading()
    with i18n.speaking("it"):
        assert insights.network("org") is network  # one network for both languages: no recomputation
        assert insights.quick_metrics("org") is metrics
        italian = insights.reading()
    assert italian[0] == "6 organizzazioni di 4 paesi partecipano a 2 accordi e 3 azioni congiunte."
    assert insights.reading() is reading  # English again: kept, not said anew
