"""The Timeline's rows and figures on tests/small.py, with values worked out by hand.

ag1 protocol 2014, open-ended (a c d e)    ag2 memorandum 2016-05..2017 (a b)
ac1 call 2015, no end, proposed (a b)      ac2 project 2018-03-01..2019-06, completed (c e f)
ac3 event 2020-06-15, completed (d)
"""

from __future__ import annotations

import copy
from datetime import date

import pandas as pd
import pytest

from analysis import load_dataset
from analysis.filters import Filters, apply
from analysis.metrics import yearly
from analysis.networks import network
from analysis.timeline import (
    ORDERS,
    STATUS_STYLES,
    items_table,
    ordered,
    span,
    status_style,
    timeline_figure,
    timeline_rows,
    written,
    yearly_figure,
    yearly_table,
)
from tests import factory, small

T = pd.Timestamp
DAY_MS = 86_400_000


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return small.dataset(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def view(data):
    return apply(data, Filters())


@pytest.fixture(scope="module")
def rows(view):
    return timeline_rows(view).set_index("item", drop=False)


@pytest.fixture(scope="module")
def figure(rows, view):
    return timeline_figure(rows.reset_index(drop=True), span(view), Filters().window)


def traces(figure, name: str, kind: str | None = None) -> list:
    return [t for t in figure.data if t.name == name and (kind is None or t.type == kind)]


def test_dates_are_written_with_their_precision():
    assert written("2014") == "2014 (year only)"
    assert written("2016-05") == "2016-05 (month only)"
    assert written("2018-03-01") == "2018-03-01"
    assert written(None) == ""


def test_the_chart_spans_whole_years_from_the_first_start_to_the_last_finite_date(view):
    assert span(view) == (T("2014-01-01"), T("2020-12-31"))


def test_rows_in_start_order_with_organisations_in_view(rows):
    assert list(rows["item"]) == ["agreement:ag1", "action:ac1", "agreement:ag2", "action:ac2", "action:ac3"]
    assert rows["organisations"].to_dict() == {
        "agreement:ag1": 4,
        "action:ac1": 2,
        "agreement:ag2": 2,
        "action:ac2": 3,
        "action:ac3": 1,
    }


def test_a_year_only_action_with_no_end_spans_its_whole_year_and_says_so(rows):
    ac1 = rows.loc["action:ac1"]
    assert (ac1["start"], ac1["end"]) == (T("2015-01-01"), T("2015-12-31"))
    assert ac1["mark"] == T("2015-07-02 12:00")  # the middle of 2015, where its marker sits
    assert (ac1["start_text"], ac1["precision"]) == ("2015", "year")
    assert pd.isna(ac1["end_text"])  # no end written
    assert ac1["hover"] == (
        "<b>Call</b><br>Action · call · proposed<br>Start: 2015 (year only)<br>"
        "End: not given (drawn over the start’s period)<br>Organisations in view: 2"
    )


def test_month_and_day_precision(rows):
    ag2 = rows.loc["agreement:ag2"]
    assert (ag2["start"], ag2["period_end"], ag2["end"]) == (T("2016-05-01"), T("2016-05-31"), T("2017-12-31"))
    assert ag2["precision"] == "month, end year"
    assert "Signed: 2016-05 (month only)<br>Ends: 2017 (year only)" in ag2["hover"]
    ac2 = rows.loc["action:ac2"]
    assert (ac2["start"], ac2["end"], ac2["precision"]) == (T("2018-03-01"), T("2019-06-30"), "day, end month")
    ac3 = rows.loc["action:ac3"]
    assert (ac3["start"], ac3["end"], ac3["precision"]) == (T("2020-06-15"), T("2020-06-15"), "day")


def test_an_open_ended_agreement_is_clipped_at_the_chart_end(rows):
    ag1 = rows.loc["agreement:ag1"]
    assert ag1["open_ended"]
    assert (ag1["start"], ag1["period_end"], ag1["end"]) == (T("2014-01-01"), T("2014-12-31"), T("2020-12-31"))
    assert (ag1["start_text"], ag1["end_text"]) == ("2014", "open-ended")
    assert "Signed: 2014 (year only)<br>Ends: open-ended (drawn to the chart’s edge)" in ag1["hover"]
    assert not rows.drop(index="agreement:ag1")["open_ended"].any()


def test_status_styles_set_proposed_apart_from_completed():
    def look(status):
        style = status_style(status)
        return style.pattern, style.on_solid, style.symbol, style.tag

    assert look("proposed") == ("x", False, "circle-open", "proposed")  # hatched over nothing: hollow
    assert look("completed") == ("", True, "circle", "")  # solid
    assert status_style("proposed").opacity < status_style("completed").opacity
    assert len({s.legend for s in STATUS_STYLES.values()}) == len(STATUS_STYLES)  # every status reads differently
    assert status_style(None).legend == "status not given (pale)"


def test_figure_traces_one_set_per_kind_and_a_legend(figure):
    # 2 agreement kinds x (band, life line, markers) + 3 action kinds x (bars, markers) + 8 legend entries.
    assert len(figure.data) == 20
    shown = [t.name for t in figure.data if t.showlegend is not False]
    assert shown == [
        "Agreement: protocol",
        "Agreement: memorandum",
        "Action: call",
        "Action: event",
        "Action: project",
        "completed (solid)",
        "proposed (cross-hatched)",
        "open-ended (runs on)",
    ]
    assert list(figure.layout.yaxis.ticktext) == ["Protocol", "Call", "Memo", "Project", "Event"]


def test_the_proposed_call_is_a_hatched_labelled_bar_over_2015(figure):
    (bar,) = traces(figure, "action:call", "bar")
    assert list(bar.y) == ["action:ac1"]
    assert list(bar.base) == ["2015-01-01T00:00:00"]
    assert list(bar.x) == [365 * DAY_MS]
    assert list(bar.marker.pattern.shape) == ["x"]
    assert list(bar.text) == ["proposed"]
    (project,) = traces(figure, "action:project", "bar")
    assert list(project.marker.pattern.shape) == [""]
    assert list(project.text) == [""]
    assert list(project.marker.opacity) != list(bar.marker.opacity)


def test_the_open_ended_agreement_ends_at_the_chart_edge_with_an_arrow(figure):
    band, life, marks = traces(figure, "agreement:protocol")
    assert list(band.base) == ["2014-01-01T00:00:00"] and list(band.x) == [365 * DAY_MS]  # signed in 2014
    assert list(life.x) == ["2014-01-01T00:00:00", "2021-01-01T00:00:00", None]
    assert list(marks.marker.symbol) == ["diamond", "triangle-right"]
    assert list(marks.text) == ["", "open-ended"]
    edge = pd.Timestamp(figure.layout.xaxis.range[1])
    assert edge < T("2022-01-01")  # nothing is drawn towards year 9999


def test_the_filter_period_is_shaded(rows, view):
    fig = timeline_figure(rows.reset_index(drop=True), span(view), Filters(date_from="2015", date_to="2016").window)
    (shape,) = fig.layout.shapes
    assert (shape.x0, shape.x1) == ("2015-01-01T00:00:00", "2017-01-01T00:00:00")
    assert timeline_figure(rows.reset_index(drop=True), span(view), Filters().window).layout.shapes == ()


def test_orders_and_limits(rows):
    frame = rows.reset_index(drop=True)
    most = ordered(frame, "Most organisations")
    assert list(most["item"]) == ["agreement:ag1", "action:ac2", "action:ac1", "agreement:ag2", "action:ac3"]
    assert list(ordered(frame, "Title")["title"]) == ["Call", "Event", "Memo", "Project", "Protocol"]
    assert list(ordered(frame, "End, latest first")["item"])[:2] == ["agreement:ag1", "action:ac3"]
    assert set(ORDERS) >= {"Start, earliest first", "Most organisations"}
    fig = timeline_figure(most.head(2), (T("2014-01-01"), T("2020-12-31")))
    assert list(fig.layout.yaxis.tickvals) == ["agreement:ag1", "action:ac2"]


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


def test_filters_count_organisations_in_view(data):
    partners = timeline_rows(apply(data, Filters(countries=("PL",)))).set_index("item")["organisations"]
    assert partners.to_dict() == {"agreement:ag1": 4, "action:ac2": 3}
    only = timeline_rows(apply(data, Filters(countries=("PL",), only_selected=True))).set_index("item")["organisations"]
    assert only.to_dict() == {"agreement:ag1": 1, "action:ac2": 1}


def test_a_late_period_stretches_the_chart_to_it(data):
    late = apply(data, Filters(date_from="2030"))  # only the open-ended protocol reaches 2030
    assert span(late) == (T("2014-01-01"), T("2030-12-31"))
    fig = timeline_figure(timeline_rows(late), span(late), late.filters.window)
    (shape,) = fig.layout.shapes
    assert (shape.x0, shape.x1) == ("2030-01-01T00:00:00", "2031-01-01T00:00:00")


def test_an_empty_view_draws_nothing(data):
    empty = apply(data, Filters(date_to="2013"))
    rows = timeline_rows(empty)
    assert rows.empty
    fig = timeline_figure(rows, span(empty))
    assert len(fig.data) == 0 and fig.layout.annotations[0].text == "No agreement or action in view"


def test_titles_are_escaped_in_labels_and_hover(tmp_path):
    tables = copy.deepcopy(small.TABLES)
    tables["actions"][0]["title"] = "<img src=x onerror=alert(1)> & <b>bold</b>"
    loaded = load_dataset(factory.write(tmp_path / "html", tables)).dataset
    row = timeline_rows(apply(loaded, Filters())).set_index("item").loc["action:ac1"]
    assert row["label"] == "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    assert row["hover"].startswith("<b>&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</b><br>")
    assert "<img" not in row["hover"] and "<b>bold" not in row["hover"]


def test_long_titles_are_cut_on_the_axis_and_wrapped_in_the_hover(tmp_path):
    tables = copy.deepcopy(small.TABLES)
    tables["actions"][0]["title"] = "A very long title " * 6
    loaded = load_dataset(factory.write(tmp_path / "long", tables)).dataset
    row = timeline_rows(apply(loaded, Filters())).set_index("item").loc["action:ac1"]
    assert len(row["label"]) == 48 and row["label"].endswith("…")
    assert row["hover"].count("<br>") == 4 + 1  # the title wraps onto two lines


def test_yearly_figure_and_table(view):
    series = yearly(view, network(view, "org"))
    fig = yearly_figure(series)
    assert [t.name for t in fig.data] == [
        "Agreements active",
        "Actions active",
        "New links between organisations",
        "New partner countries",
    ]
    assert list(fig.data[0].x) == list(range(2014, 2021))
    table = yearly_table(series)
    assert list(table.columns) == [
        "Year",
        "Agreements active",
        "Actions active",
        "New links between organisations",
        "New partner countries",
    ]
    assert len(table) == len(series) == 7
