"""The Timeline drawn from its rows on tests/small.py, with values worked out by hand.

ag1 protocol 2014, open-ended (a c d e)    ag2 memorandum 2016-05..2017 (a b)
ac1 call 2015, no end, proposed (a b)      ac2 project 2018-03-01..2019-06, completed (c e f)
ac3 event 2020-06-15, completed (d)
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from analysis import i18n, load_dataset
from analysis.filters import Filters, apply
from analysis.metrics import yearly
from analysis.networks import network
from analysis.timeline import ordered, span, timeline_rows, yearly_table
from charts.timeline import STATUS_STYLES, status_style, timeline_figure, with_texts, yearly_figure
from tests import factory, small

T = pd.Timestamp
DAY_MS = 86_400_000


@pytest.fixture(scope="module")
def rows(small_view):
    return with_texts(timeline_rows(small_view)).set_index("item", drop=False)


@pytest.fixture(scope="module")
def figure(rows, small_view):
    return timeline_figure(rows.reset_index(drop=True), span(small_view), Filters().window)


def traces(figure, name: str, kind: str | None = None) -> list:
    return [t for t in figure.data if t.name == name and (kind is None or t.type == kind)]


def test_a_year_only_action_with_no_end_says_so(rows):
    ac1 = rows.loc["action:ac1"]
    assert ac1["hover"] == (
        "<b>Call</b><br>Action · call · proposed<br>Start: 2015 (year only)<br>"
        "End: not given (drawn over the start’s period)<br>Organisations in view: 2"
    )


def test_hovers_say_dates_with_their_precision(rows):
    assert "Signed: 2016-05 (month only)<br>Ends: 2017 (year only)" in rows.loc["agreement:ag2", "hover"]
    assert (
        "Signed: 2014 (year only)<br>Ends: open-ended (drawn to the chart’s edge)" in rows.loc["agreement:ag1", "hover"]
    )
    assert rows.loc["agreement:ag1", "hover"].startswith("<b>Protocol</b><br>Agreement · protocol<br>")


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


def test_the_filter_period_is_shaded(rows, small_view):
    fig = timeline_figure(
        rows.reset_index(drop=True), span(small_view), Filters(date_from="2015", date_to="2016").window
    )
    (shape,) = fig.layout.shapes
    assert (shape.x0, shape.x1) == ("2015-01-01T00:00:00", "2017-01-01T00:00:00")
    assert timeline_figure(rows.reset_index(drop=True), span(small_view), Filters().window).layout.shapes == ()


def test_a_limited_order_draws_its_first_rows(rows):
    most = ordered(rows.reset_index(drop=True), "Most organisations")
    fig = timeline_figure(most.head(2), (T("2014-01-01"), T("2020-12-31")))
    assert list(fig.layout.yaxis.tickvals) == ["agreement:ag1", "action:ac2"]


def test_a_late_period_is_shaded_at_the_chart_end(small_data):
    late = apply(small_data, Filters(date_from="2030"))  # only the open-ended protocol reaches 2030
    fig = timeline_figure(timeline_rows(late), span(late), late.filters.window)
    (shape,) = fig.layout.shapes
    assert (shape.x0, shape.x1) == ("2030-01-01T00:00:00", "2031-01-01T00:00:00")


def test_an_empty_view_draws_nothing(small_data):
    empty = apply(small_data, Filters(date_to="2013"))
    rows = timeline_rows(empty)
    assert rows.empty
    fig = timeline_figure(rows, span(empty))
    assert len(fig.data) == 0 and fig.layout.annotations[0].text == "No agreement or action in view"


def test_titles_are_escaped_in_labels_and_hover(tmp_path):
    tables = copy.deepcopy(small.TABLES)
    tables["actions"][0]["title"] = "<img src=x onerror=alert(1)> & <b>bold</b>"
    loaded = load_dataset(factory.write(tmp_path / "html", tables)).dataset
    row = with_texts(timeline_rows(apply(loaded, Filters()))).set_index("item").loc["action:ac1"]
    assert row["label"] == "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    assert row["hover"].startswith("<b>&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</b><br>")
    assert "<img" not in row["hover"] and "<b>bold" not in row["hover"]


def test_long_titles_are_cut_on_the_axis_and_wrapped_in_the_hover(tmp_path):
    tables = copy.deepcopy(small.TABLES)
    tables["actions"][0]["title"] = "A very long title " * 6
    loaded = load_dataset(factory.write(tmp_path / "long", tables)).dataset
    row = with_texts(timeline_rows(apply(loaded, Filters()))).set_index("item").loc["action:ac1"]
    assert len(row["label"]) == 48 and row["label"].endswith("…")
    assert row["hover"].count("<br>") == 4 + 1  # the title wraps onto two lines


def test_the_hover_says_what_noted_dates_stand_for(tmp_path):
    tables = copy.deepcopy(small.TABLES)
    tables["actions"][0]["date_note"] = "The year it was <b>proposed</b>, not the call's own dates, which are unknown"
    loaded = load_dataset(factory.write(tmp_path / "noted", tables)).dataset
    rows = with_texts(timeline_rows(apply(loaded, Filters()))).set_index("item")
    hover = rows.loc["action:ac1", "hover"]
    assert "About these dates: The year it was &lt;b&gt;proposed&lt;/b&gt;, not the<br>call&#x27;s own dates" in hover
    assert hover.index("Start: 2015 (year only)") < hover.index("About these dates") < hover.index("Organisations")
    assert "About these dates" not in rows.loc["action:ac2", "hover"]


def test_yearly_figure_and_table(small_view):
    series = yearly(small_view, network(small_view, "org"))
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


def test_hovers_legends_and_notes_in_italian(small_view, tmp_path):
    tables = copy.deepcopy(small.TABLES)
    tables["actions"][0]["date_note"] = "L'anno del bando"
    loaded = load_dataset(factory.write(tmp_path / "noted", tables)).dataset
    with i18n.speaking("it"):
        drawn = timeline_rows(apply(loaded, Filters()))
        rows = with_texts(drawn).set_index("item")
        fig = timeline_figure(drawn, span(small_view), Filters(date_from="2016").window)
        empty = timeline_figure(drawn.head(0), span(small_view))
        yearly_fig = yearly_figure(yearly(small_view, network(small_view, "org")))
    ac1 = rows.loc["action:ac1", "hover"].split("<br>")
    assert ac1[1] == "Azione · bando · proposta"
    assert ac1[3] == "Fine: non indicata (disegnata sul periodo dell'inizio)"
    assert ac1[4:] == ["Su queste date: L&#x27;anno del bando", "Organizzazioni in vista: 2"]
    ag1 = rows.loc["agreement:ag1", "hover"].split("<br>")
    assert ag1[1] == "Accordo · protocollo"
    assert ag1[2].startswith("Firmato: 2014")  # the date as written (analysis.timeline.written)
    assert ag1[3] == "Scade: senza scadenza (disegnato fino al bordo del grafico)"
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend[-3:] == ["completata (piena)", "proposta (a reticolo)", "senza scadenza (prosegue)"]
    assert "proposta" in [text for t in fig.data if t.type == "bar" and t.text for text in t.text]
    assert "senza scadenza" in [text for t in fig.data if t.type == "scatter" and t.text for text in t.text]
    assert [a.text for a in fig.layout.annotations] == ["periodo in vista"]
    assert [a.text for a in empty.layout.annotations] == ["Nessun accordo o azione in vista"]
    assert yearly_fig.layout.annotations[0].text == "Accordi e azioni attivi"
    assert yearly_fig.layout.separators == ",."
