"""The Timeline's rows on tests/small.py, with values worked out by hand.

ag1 protocol 2014, open-ended (a c d e)    ag2 memorandum 2016-05..2017 (a b)
ac1 call 2015, no end, proposed (a b)      ac2 project 2018-03-01..2019-06, completed (c e f)
ac3 event 2020-06-15, completed (d)
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis import i18n
from analysis.filters import Filters, apply
from analysis.i18n import _
from analysis.timeline import ORDERS, YEARLY_LABELS, items_table, ordered, span, timeline_rows, written

T = pd.Timestamp


@pytest.fixture(scope="module")
def rows(small_view):
    return timeline_rows(small_view).set_index("item", drop=False)


def test_dates_are_written_with_their_precision():
    assert written("2014") == "2014 (year only)"
    assert written("2016-05") == "2016-05 (month only)"
    assert written("2018-03-01") == "2018-03-01"
    assert written(None) == ""


def test_the_chart_spans_whole_years_from_the_first_start_to_the_last_finite_date(small_view):
    assert span(small_view) == (T("2014-01-01"), T("2020-12-31"))


def test_rows_in_start_order_with_organisations_in_view(rows):
    assert list(rows["item"]) == ["agreement:ag1", "action:ac1", "agreement:ag2", "action:ac2", "action:ac3"]
    assert rows["organisations"].to_dict() == {
        "agreement:ag1": 4,
        "action:ac1": 2,
        "agreement:ag2": 2,
        "action:ac2": 3,
        "action:ac3": 1,
    }


def test_a_year_only_action_with_no_end_spans_its_whole_year(rows):
    ac1 = rows.loc["action:ac1"]
    assert (ac1["start"], ac1["end"]) == (T("2015-01-01"), T("2015-12-31"))
    assert ac1["mark"] == T("2015-07-02 12:00")  # the middle of 2015, where its marker sits
    assert (ac1["start_text"], ac1["precision"], ac1["status"]) == ("2015", "year", "proposed")
    assert pd.isna(ac1["end_text"])  # no end written


def test_month_and_day_precision(rows):
    ag2 = rows.loc["agreement:ag2"]
    assert (ag2["start"], ag2["period_end"], ag2["end"]) == (T("2016-05-01"), T("2016-05-31"), T("2017-12-31"))
    assert (ag2["precision"], ag2["end_text"]) == ("month, end year", "2017")
    ac2 = rows.loc["action:ac2"]
    assert (ac2["start"], ac2["end"], ac2["precision"]) == (T("2018-03-01"), T("2019-06-30"), "day, end month")
    ac3 = rows.loc["action:ac3"]
    assert (ac3["start"], ac3["end"], ac3["precision"]) == (T("2020-06-15"), T("2020-06-15"), "day")


def test_an_open_ended_agreement_is_clipped_at_the_chart_end(rows):
    ag1 = rows.loc["agreement:ag1"]
    assert ag1["open_ended"]
    assert (ag1["start"], ag1["period_end"], ag1["end"]) == (T("2014-01-01"), T("2014-12-31"), T("2020-12-31"))
    assert (ag1["start_text"], ag1["end_text"]) == ("2014", "open-ended")
    assert not rows.drop(index="agreement:ag1")["open_ended"].any()


def test_orders(rows):
    frame = rows.reset_index(drop=True)
    most = ordered(frame, "Most organisations")
    assert list(most["item"]) == ["agreement:ag1", "action:ac2", "action:ac1", "agreement:ag2", "action:ac3"]
    assert list(ordered(frame, "Title")["title"]) == ["Call", "Event", "Memo", "Project", "Protocol"]
    assert list(ordered(frame, "End, latest first")["item"])[:2] == ["agreement:ag1", "action:ac3"]
    assert set(ORDERS) >= {"Start, earliest first", "Most organisations"}


def test_the_table_alternative_has_the_same_rows(rows):
    table = items_table(rows.reset_index(drop=True))
    assert len(table) == 5
    call = table.iloc[1].to_dict()
    assert pd.isna(call.pop("end"))
    assert call == {
        "title": "Call",
        "type": "action",
        "kind": "call",
        "status": "proposed",
        "start": "2015",
        "precision": "year",
        "organisations": 2,
        "drawn_from": date(2015, 1, 1),
        "drawn_to": date(2015, 12, 31),
    }
    assert table.iloc[0][["end", "drawn_to"]].to_list() == ["open-ended", date(2020, 12, 31)]


def test_the_table_alternative_in_italian(rows):
    """Its words in Italian (type, kind, status, precision, an open end); its column names and dates as written."""
    with i18n.speaking("it"):
        table = items_table(rows.reset_index(drop=True))
    assert list(table.columns) == list(items_table(rows.reset_index(drop=True)).columns)
    protocol, call, memo, project = (table.iloc[i].to_dict() for i in range(4))
    assert (protocol["type"], protocol["kind"], protocol["end"]) == ("accordo", "protocollo", "senza scadenza")
    assert (call["type"], call["kind"], call["status"], call["precision"]) == ("azione", "bando", "proposta", "anno")
    assert (memo["start"], memo["precision"]) == ("2016-05", "mese; fine: anno")
    assert (project["status"], project["precision"]) == ("completata", "giorno; fine: mese")


def test_dates_and_orders_are_said_in_italian():
    with i18n.speaking("it"):
        assert written("2014") == "2014 (solo l'anno)"
        assert written("2016-05") == "2016-05 (solo il mese)"
        assert written("2018-03-01") == "2018-03-01"
        assert [_(order) for order in ORDERS][:3] == [
            "Data di inizio, dalla meno recente",
            "Data di inizio, dalla più recente",
            "Data di fine, dalla più tarda",
        ]
        assert _(YEARLY_LABELS["new_countries"]) == "Nuovi paesi partner"
    assert next(iter(ORDERS)) == "Start, earliest first"  # the orders' names, the controls' values, stay English


def test_filters_count_organisations_in_view(small_data):
    partners = timeline_rows(apply(small_data, Filters(countries=("PL",)))).set_index("item")["organisations"]
    assert partners.to_dict() == {"agreement:ag1": 4, "action:ac2": 3}
    only = apply(small_data, Filters(countries=("PL",), only_selected=True))
    assert timeline_rows(only).set_index("item")["organisations"].to_dict() == {"agreement:ag1": 1, "action:ac2": 1}


def test_a_late_period_stretches_the_chart_to_it(small_data):
    late = apply(small_data, Filters(date_from="2030"))  # only the open-ended protocol reaches 2030
    assert span(late) == (T("2014-01-01"), T("2030-12-31"))


def test_an_empty_view_has_empty_typed_rows(small_data):
    rows = timeline_rows(apply(small_data, Filters(date_to="2013")))
    assert rows.empty
    assert items_table(rows).empty  # the table of an empty view still has its columns
