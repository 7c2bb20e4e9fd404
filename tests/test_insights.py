"""What the Overview and the detail panels read, on tests/small.py."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from analysis.filters import Filters
from analysis.insights import Insights
from tests import small


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return small.dataset(tmp_path_factory.mktemp("small"))


def test_kpis(data):
    assert Insights(data, Filters()).kpis() == {"Organisations": 6, "Countries": 4, "Agreements": 2, "Actions": 3}
    assert Insights(data, Filters(countries=("PL",), only_selected=True)).kpis() == {
        "Organisations": 1,
        "Countries": 1,
        "Agreements": 1,
        "Actions": 1,
    }


def test_brokers_rank_by_countries_then_partners(data):
    brokers = Insights(data, Filters()).brokers()
    assert list(brokers["node"]) == ["a", "c", "e", "d", "f"]  # b reaches no other country
    assert list(brokers["brokerage"]) == [3, 3, 3, 3, 1]
    assert list(brokers["partners"]) == [4, 4, 4, 3, 2]


def test_coverage(data):
    c = Insights(data, Filters()).coverage
    assert (c.organisations, c.placed_by_region, c.placed_by_country, c.unplaced) == (6, 2, 1, 0)  # b, d; f
    assert (c.items, c.dated_to_month, c.dated_to_year) == (5, 1, 2)  # ag2 2016-05; ag1 2014, ac1 2015
    assert c.organisations_in_nothing == 1  # g


def test_reading_is_computed_from_the_numbers(data):
    assert Insights(data, Filters()).reading() == [
        "6 organisations from 4 countries take part in 2 agreements and 3 joint actions.",
        "They are tied by 9 links, 78% of which cross a border; the network is all one piece.",
        "The widest broker is Org A (IT), tied to partners in 3 other countries.",
        "Most new links appeared in 2014 (6).",
    ]
    assert Insights(data, Filters(date_to="2010")).reading() == ["No agreement or action matches these filters."]


def test_items_of_a_node_with_dates_as_written(data):
    items = Insights(data, Filters()).items_of("org", "a")
    assert list(items["item"]) == ["agreement:ag1", "action:ac1", "agreement:ag2"]
    assert list(items["dates"]) == ["2014 - open-ended", "2015", "2016-05 - 2017"]
    assert set(Insights(data, Filters()).items_of("country", "DE")["item"]) == {"agreement:ag1", "action:ac2"}


def test_memo_computes_once_for_concurrent_callers(tmp_path):
    """Sessions and download threads asking for the same value at once share one computation."""
    insights = Insights(small.dataset(tmp_path), Filters())
    calls = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: insights.memo("answer", slow), range(4)))
    assert results == [42] * 4 and len(calls) == 1
