"""The Timeline drawn with plotly: agreements as signing milestones with a line for their life, actions as bars by
kind, styled by status, from analysis.timeline's rows.

Dataset text is untrusted and plotly renders a subset of HTML in labels and hover text, so every
title that reaches a figure goes through html.escape here.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis import i18n
from analysis.dates import FAR_FUTURE
from analysis.i18n import N_, _
from analysis.items import ITEM_TYPES
from analysis.timeline import YEARLY_LABELS, stamp, written
from analysis.words import kind_label
from charts.numbers import spoken_numbers
from charts.palette import ACTION_COLOURS, AGREEMENT_COLOURS

DAY = timedelta(days=1)
LABEL_CHARS = 48  # y-axis labels are cut here; the hover and the table hold the full title
HOVER_CHARS = 60  # hover lines wrap here
ROW_PX = 24
LEGEND_COLUMNS = 4
LEGEND_ROW_PX = 22
LEGEND_GREY = "#6B6B6B"
TRANSPARENT = "rgba(0,0,0,0)"


@dataclass(frozen=True)
class StatusStyle:
    """How an action of one status is drawn: its bar's fill, its start marker, and the word written beside it (the
    legend and the tag are catalogue messages, said with `_()`)."""

    legend: str
    opacity: float
    pattern: str  # plotly bar pattern shape; "" is a plain fill
    on_solid: bool  # pattern drawn over a solid fill (True) or over nothing, leaving the bar hollow (False)
    symbol: str
    tag: str


STATUS_STYLES = {
    "completed": StatusStyle(N_("completed (solid)"), 0.9, "", True, "circle", ""),
    "ongoing": StatusStyle(N_("ongoing (dotted)"), 0.9, ".", True, "circle-dot", N_("ongoing")),
    "planned": StatusStyle(N_("planned (hatched)"), 0.7, "/", False, "circle-open-dot", N_("planned")),
    "proposed": StatusStyle(N_("proposed (cross-hatched)"), 0.7, "x", False, "circle-open", N_("proposed")),
    "cancelled": StatusStyle(N_("cancelled (faint)"), 0.35, "-", False, "x-thin-open", N_("cancelled")),
}
NO_STATUS = StatusStyle(N_("status not given (pale)"), 0.5, "", True, "circle", "")
# The contract's action statuses in words (a status outside the contract is shown as written).
STATUS_WORDS = {
    "completed": N_("completed"),
    "ongoing": N_("ongoing"),
    "planned": N_("planned"),
    "proposed": N_("proposed"),
    "cancelled": N_("cancelled"),
}


def status_style(status: object) -> StatusStyle:
    return STATUS_STYLES.get(status, NO_STATUS) if isinstance(status, str) else NO_STATUS


def label(title: str) -> str:
    """The y-axis label: the title cut to LABEL_CHARS, escaped (cut first, so no entity is split)."""
    short = title if len(title) <= LABEL_CHARS else title[: LABEL_CHARS - 1].rstrip() + "…"
    return html.escape(short)


def wrapped(text: str) -> str:
    """Dataset text wrapped at HOVER_CHARS and escaped, one line at a time."""
    return "<br>".join(html.escape(part) for part in textwrap.wrap(text, HOVER_CHARS) or [""])


def hover(title: str, lines: list[str]) -> str:
    """Hover HTML: the wrapped, escaped title in bold, then lines that are already safe."""
    return "<br>".join([f"<b>{wrapped(title)}</b>", *lines])


# How each type of item and its dates read in its hover (catalogue messages, said with `_()`).
ITEM_WORDS = {"agreement": N_("Agreement"), "action": N_("Action")}
DATE_WORDS = {
    "agreement": (N_("Signed: {date}"), N_("Ends: {date}")),
    "action": (N_("Start: {date}"), N_("End: {date}")),
}
NO_END = {
    "agreement": N_("open-ended (drawn to the chart’s edge)"),
    "action": N_("not given (drawn over the start’s period)"),
}
KIND_LEGENDS = {"agreement": N_("Agreement: {kind}"), "action": N_("Action: {kind}")}


def hover_of(row: pd.Series) -> str:
    """A row's hover in the language spoken: title, type, kind and status, its dates as written (with the dataset's
    note on what they stand for, if any) and its organisations in view."""
    kind = html.escape(kind_label(str(row["kind"])))
    what = f"{_(ITEM_WORDS[row['item_type']])} · {kind}"
    if ITEM_TYPES[row["item_type"]].status_column:
        status = row["status"]
        if not isinstance(status, str):
            status = _("status not given")
        elif status in STATUS_WORDS:
            status = _(STATUS_WORDS[status])
        what += f" · {html.escape(status)}"
    start_words, end_words = DATE_WORDS[row["item_type"]]
    given = isinstance(row["end_text"], str) and not row["open_ended"]
    end = html.escape(written(row["end_text"])) if given else _(NO_END[row["item_type"]])
    note = row.get("date_note")
    return hover(
        str(row["title"]),
        [
            what,
            _(start_words).format(date=html.escape(written(row["start_text"]))),
            _(end_words).format(date=end),
            *([wrapped(_("About these dates: {note}").format(note=note))] if isinstance(note, str) and note else []),
            _("Organisations in view: {count}").format(count=i18n.integer(row["organisations"])),
        ],
    )


def with_texts(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with their escaped axis `label` and `hover` text, as the figure draws them."""
    return rows.assign(
        label=[label(str(t)) for t in rows["title"]],
        hover=[hover_of(r) for _i, r in rows.iterrows()],
    )


def _ms(delta: pd.Series) -> list[float]:
    return [d.total_seconds() * 1000 for d in delta]


def _iso(stamps: pd.Series) -> list[str]:
    return [s.isoformat() for s in stamps]


def _action_traces(group: pd.DataFrame, colour: str, key: str) -> list[go.BaseTraceType]:
    styles = [status_style(s) for s in group["status"]]
    common = {"legendgroup": key, "showlegend": False, "name": key, "hovertext": list(group["hover"])}
    bars = go.Bar(
        orientation="h",
        y=list(group["item"]),
        base=_iso(group["start"]),
        x=_ms(group["end"] + DAY - group["start"]),  # inclusive end: a day-precise action is one day wide
        width=0.6,
        marker={
            "color": colour,
            "opacity": [s.opacity for s in styles],
            "line": {"color": colour, "width": 1.5},
            "pattern": {
                "shape": [s.pattern for s in styles],
                "fgcolor": ["white" if s.on_solid else colour for s in styles],
                "bgcolor": [colour if s.on_solid else TRANSPARENT for s in styles],
                "solidity": 0.35,
            },
        },
        # The status in words just past the bar's end, where it overlaps nothing of its own row.
        text=[_(s.tag) if s.tag else "" for s in styles],
        textposition="outside",
        textfont={"size": 11, "color": colour},
        cliponaxis=False,
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=list(group["item"]),
        **common,
    )
    marks = go.Scatter(
        x=_iso(group["mark"]),
        y=list(group["item"]),
        mode="markers",
        marker={
            "symbol": [s.symbol for s in styles],
            "color": colour,
            "size": 10,
            "line": {"color": colour, "width": 2},
        },
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=list(group["item"]),
        **common,
    )
    return [bars, marks]


def _agreement_traces(group: pd.DataFrame, colour: str, key: str) -> list[go.BaseTraceType]:
    common = {"legendgroup": key, "showlegend": False, "name": key}
    # The signing's period as a pale band: a year-only signing covers its whole year.
    band = go.Bar(
        orientation="h",
        y=list(group["item"]),
        base=_iso(group["start"]),
        x=_ms(group["period_end"] + DAY - group["start"]),
        width=0.5,
        marker={"color": colour, "opacity": 0.3, "line": {"color": colour, "width": 1}},
        hovertext=list(group["hover"]),
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=list(group["item"]),
        **common,
    )
    xs: list[str | None] = []
    ys: list[str | None] = []
    for item, start, end in zip(group["item"], group["start"], group["end"], strict=True):
        xs += [start.isoformat(), (end + DAY).isoformat(), None]
        ys += [item, item, None]
    life = go.Scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 2}, hoverinfo="skip", **common)
    open_ended = group[group["open_ended"]]
    marks = go.Scatter(
        x=_iso(group["mark"]) + _iso(open_ended["end"] + DAY),
        y=list(group["item"]) + list(open_ended["item"]),
        mode="markers+text",
        marker={
            "symbol": ["diamond"] * len(group) + ["triangle-right"] * len(open_ended),
            "color": colour,
            "size": [12] * len(group) + [11] * len(open_ended),
            "line": {"color": "white", "width": 1},
        },
        text=[""] * len(group) + [_("open-ended")] * len(open_ended),
        textposition="top left",
        textfont={"size": 10, "color": colour},
        hovertext=list(group["hover"]) + list(open_ended["hover"]),
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=list(group["item"]) + list(open_ended["item"]),
        **common,
    )
    return [band, life, marks]


def kind_colour(item_type: str, kind: str) -> str:
    colours = AGREEMENT_COLOURS if item_type == "agreement" else ACTION_COLOURS
    return colours.get(kind, LEGEND_GREY)


def _groups(rows: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """(item type, kind, rows) for every kind drawn, agreements first, kinds in the contract's order."""
    rank = {("agreement", k): i for i, k in enumerate(AGREEMENT_COLOURS)}
    rank |= {("action", k): len(rank) + i for i, k in enumerate(ACTION_COLOURS)}
    keys = sorted({(t, k) for t, k in zip(rows["item_type"], rows["kind"], strict=True)}, key=lambda p: rank.get(p, 99))
    return [(t, k, rows[(rows["item_type"] == t) & (rows["kind"] == k)]) for t, k in keys]


def _legend_traces(rows: pd.DataFrame) -> list[go.BaseTraceType]:
    """Legend-only entries: a colour per kind drawn, a fill per action status drawn, the open-ended arrow."""
    traces: list[go.BaseTraceType] = []
    for item_type, kind, _rows in _groups(rows):
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "diamond" if item_type == "agreement" else "square", "size": 12},
                marker_color=kind_colour(item_type, kind),
                name=_(KIND_LEGENDS[item_type]).format(kind=html.escape(kind_label(kind))),
                legendgroup=f"{item_type}:{kind}",
            )
        )
    statuses = {s if isinstance(s, str) else None for s in rows.loc[rows["item_type"] == "action", "status"]}
    for status in [*STATUS_STYLES, None]:
        if status not in statuses:
            continue
        style = status_style(status)
        traces.append(
            go.Bar(
                x=[None],
                y=[None],
                orientation="h",
                name=_(style.legend),
                legendgroup=f"status:{status}",
                marker={
                    "color": LEGEND_GREY,
                    "opacity": style.opacity,
                    "line": {"color": LEGEND_GREY, "width": 1.5},
                    "pattern": {
                        "shape": style.pattern,
                        "fgcolor": "white" if style.on_solid else LEGEND_GREY,
                        "bgcolor": LEGEND_GREY if style.on_solid else TRANSPARENT,
                        "solidity": 0.35,
                    },
                },
            )
        )
    if rows["open_ended"].any():
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines+markers",
                marker={"symbol": "triangle-right", "size": 11, "color": LEGEND_GREY},
                line={"color": LEGEND_GREY, "width": 2},
                name=_("open-ended (runs on)"),
                legendgroup="open-ended",
            )
        )
    return traces


def timeline_figure(
    rows: pd.DataFrame, chart_span: tuple[pd.Timestamp, pd.Timestamp], window: tuple[date, date] | None = None
) -> go.Figure:
    """Agreements as signing milestones with a line for their life; actions as bars by kind, styled by status."""
    fig = go.Figure()
    if rows.empty:
        fig.add_annotation(
            text=_("No agreement or action in view"), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
        )
        return fig
    rows = with_texts(rows)
    for item_type, kind, group in _groups(rows):
        draw = _agreement_traces if item_type == "agreement" else _action_traces
        fig.add_traces(draw(group, kind_colour(item_type, kind), f"{item_type}:{kind}"))
    legend = _legend_traces(rows)
    fig.add_traces(legend)
    start, end = chart_span
    pad = (end - start) * 0.02
    if window is not None:
        _shade(fig, window, chart_span)
    # The legend sits above the chart in rows of LEGEND_COLUMNS, over the date axis, so both stay in sight.
    legend_px = LEGEND_ROW_PX * -(-len(legend) // LEGEND_COLUMNS) + 20
    fig.update_layout(
        barmode="overlay",
        height=max(320, ROW_PX * len(rows) + legend_px + 80),
        margin={"l": 10, "r": 10, "t": legend_px + 40, "b": 30},
        hovermode="closest",
        legend={
            "orientation": "h",
            "xref": "container",
            "yref": "container",
            "x": 0,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "entrywidth": 1 / LEGEND_COLUMNS,
            "entrywidthmode": "fraction",
            "traceorder": "normal",
            "groupclick": "togglegroup",
            "font": {"size": 12},
        },
        xaxis={"type": "date", "range": [(start - pad).isoformat(), (end + DAY + pad).isoformat()], "side": "top"},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": list(rows["item"]),
            "tickmode": "array",
            "tickvals": list(rows["item"]),
            "ticktext": list(rows["label"]),
            "range": [len(rows) - 0.5, -0.5],
            "tickfont": {"size": 11},
        },
    )
    return fig


def _shade(fig: go.Figure, window: tuple[date, date], chart_span: tuple[pd.Timestamp, pd.Timestamp]) -> None:
    """Shade the filters' period, when one is set, so it is clear which part of each item is in it."""
    first, last = window
    if first == date.min and last == FAR_FUTURE:
        return
    x0 = max(stamp(first), chart_span[0]) if first != date.min else chart_span[0]
    x1 = min(stamp(last) + DAY, chart_span[1] + DAY) if last != FAR_FUTURE else chart_span[1] + DAY
    if x1 <= x0:
        return
    fig.add_vrect(
        x0=x0.isoformat(),
        x1=x1.isoformat(),
        fillcolor="#FFE9A8",
        opacity=0.35,
        layer="below",
        line_width=0,
        annotation_text=_("period in view"),
        annotation_position="bottom left",
    )


def yearly_figure(yearly: pd.DataFrame) -> go.Figure:
    """Per year: agreements and actions active (lines), new links and new partner countries (bars), stacked."""
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.09,
        subplot_titles=[
            _("Agreements and actions active"),
            _(YEARLY_LABELS["new_links"]),
            _(YEARLY_LABELS["new_countries"]),
        ],
    )
    years = list(yearly["year"])
    for column, colour in (("agreements_active", AGREEMENT_COLOURS["protocol"]), ("actions_active", "#D55E00")):
        fig.add_trace(
            go.Scatter(
                x=years, y=list(yearly[column]), mode="lines+markers", name=_(YEARLY_LABELS[column]), line_color=colour
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Bar(
            x=years,
            y=list(yearly["new_links"]),
            name=_(YEARLY_LABELS["new_links"]),
            marker_color="#0072B2",
            showlegend=False,
        ),
        row=2,
        col=1,
    )
    fig.add_trace(
        go.Bar(
            x=years,
            y=list(yearly["new_countries"]),
            name=_(YEARLY_LABELS["new_countries"]),
            marker_color="#009E73",
            showlegend=False,
        ),
        row=3,
        col=1,
    )
    fig.update_xaxes(dtick=1 if len(years) <= 30 else 5, tickformat="d")
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(height=560, margin={"l": 10, "r": 10, "t": 40, "b": 30}, hovermode="x unified")
    return spoken_numbers(fig)
