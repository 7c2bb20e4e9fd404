"""Growth through time drawn with plotly: the yearly numbers of both scopes as lines, and small multiples of the
network growing year by year on one layout. Dataset text is escaped: plotly renders some HTML in labels and hovers."""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.growth import LABELS, SCOPES, Steps
from analysis.i18n import N_, _
from analysis.words import plural
from charts.numbers import spoken_numbers
from charts.palette import OTHER, colours

STEPS_LIMIT = 60  # organisations drawn in each small multiple: the most connected of the whole period
PANELS_PER_ROW = 4
PANEL_PX = 260
MEASURES = ["organisations", "links", "countries", "components", "largest_share"]
SCOPE_STYLES = {  # scope label -> line style: the cumulative count as the solid line, the year alone dashed
    SCOPES["cumulative"]: {"color": "#1F3F77", "dash": "solid"},
    SCOPES["year"]: {"color": "#D55E00", "dash": "dash"},
}
NEW_COLOUR = "#D55E00"  # links new that year, and the ring of organisations new that year
OLD_LINK = "#c5c8cc"
STEPS_COLUMNS = {  # said in the language of the files that carry them (Provenance.about_rows)
    "node": N_("organisation id"),
    "label": N_("organisation name"),
    "country": N_("ISO 3166-1 alpha-2 code"),
    "arrival": N_(
        "first year the organisation is in the network up to that year: the year its first agreement or "
        "action in view starts (the period's first year for one running before it)"
    ),
    "links_drawn": N_("its links to other drawn organisations by the period's last year"),
}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def growth_figure(frame: pd.DataFrame) -> go.Figure:
    """One panel per measure, each with a line per scope; the years on every x-axis."""
    fig = make_subplots(
        rows=3,
        cols=2,
        shared_xaxes=True,
        vertical_spacing=0.1,
        horizontal_spacing=0.08,
        subplot_titles=[_(LABELS[m]) for m in MEASURES],
    )
    for i, measure in enumerate(MEASURES):
        row, col = divmod(i, 2)
        for scope, style in SCOPE_STYLES.items():
            # The scope as analysis.growth writes it in the frame (its English, or its words if it says them).
            rows = frame[frame["scope"].isin({scope, _(scope)})]
            said = _(scope)
            fig.add_trace(
                go.Scatter(
                    x=list(rows["year"]),
                    y=list(rows[measure]),
                    mode="lines+markers",
                    name=_capitalised(said),
                    legendgroup=scope,
                    showlegend=i == 0,
                    line=style,
                    hovertemplate=f"{said}: %{{y:{'.0%' if measure == 'largest_share' else ','}}}<extra></extra>",
                ),
                row=row + 1,
                col=col + 1,
            )
    years = frame["year"].nunique()
    fig.update_xaxes(dtick=1 if years <= 12 else 2 if years <= 24 else 5, tickformat="d", showticklabels=True)
    fig.update_yaxes(rangemode="tozero")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05], row=3, col=1)
    fig.update_layout(
        height=620,
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
        hovermode="x unified",
        legend={"orientation": "h", "x": 0.55, "y": 0.2, "xanchor": "left"},
    )
    return spoken_numbers(fig)


def steps_table(steps: Steps) -> pd.DataFrame:
    """The small multiples' rows: each drawn organisation, when it arrives, and its drawn links."""
    ends = pd.concat([steps.links["a"], steps.links["b"]]).value_counts()
    table = steps.nodes[["node", "label", "country", "arrival"]].copy()
    table["links_drawn"] = table["node"].map(ends).fillna(0).astype("int64")
    return table.sort_values(["arrival", "label"], ignore_index=True)


def steps_figure(
    steps: Steps, where: dict[str, tuple[float, float]], country_names: dict[str, str], all_countries: list[str]
) -> go.Figure:
    """One panel per year on the same layout and axes: the drawn organisations and links there by that year,
    coloured by country; links new that year in colour, organisations new that year ringed."""
    years = steps.years
    cols = max(1, min(PANELS_PER_ROW, len(years)))
    rows = max(1, math.ceil(len(years) / cols))
    titles = []
    for year in years:
        nodes, links = steps.at(year)
        organisations = plural(len(nodes), "{count} organisation", "{count} organisations")
        drawn = plural(len(links), "{count} link", "{count} links")
        titles.append(f"<b>{year}</b><br>{organisations}, {drawn}")
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.02, vertical_spacing=min(0.2, 0.25 / rows)
    )
    fig.update_annotations(font_size=11)  # the panels' titles: narrow panels, two short lines
    palette = colours(all_countries)
    xs = [p[0] for p in where.values()] or [0.0]
    ys = [p[1] for p in where.values()] or [0.0]
    pad = 0.5
    x_range, y_range = [min(xs) - pad, max(xs) + pad], [min(ys) - pad, max(ys) + pad]
    for i, year in enumerate(years):
        row, col = divmod(i, cols)
        nodes, links = steps.at(year)
        new = links["arrival"] == year
        for chosen, colour, width in ((links[~new], OLD_LINK, 0.6), (links[new], NEW_COLOUR, 1.4)):
            fig.add_trace(_lines(chosen, where, colour, width), row=row + 1, col=col + 1)
        fig.add_trace(_nodes(nodes, year, where, palette, country_names), row=row + 1, col=col + 1)
    for i in range(rows * cols):
        suffix = "" if i == 0 else str(i + 1)
        fig.layout[f"xaxis{suffix}"].update(range=x_range, visible=False)
        fig.layout[f"yaxis{suffix}"].update(range=y_range, visible=False, scaleanchor=f"x{suffix}", constrain="domain")
    # A legend of the countries drawn and of what "new" looks like, once for all panels.
    shown = sorted(steps.nodes["country"].astype(str).unique(), key=lambda c: (country_names.get(c, c), c))
    for code in shown:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=html.escape(country_names.get(code, code)),
                marker={"size": 9, "color": palette.get(code, OTHER)},
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=_("new that year (ringed)"),
            marker={"size": 9, "color": "white", "line": {"width": 2, "color": NEW_COLOUR}},
        )
    )
    fig.add_trace(
        go.Scatter(x=[None], y=[None], mode="lines", name=_("link new that year"), line={"color": NEW_COLOUR})
    )
    fig.update_layout(
        height=PANEL_PX * rows + 60,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        plot_bgcolor="white",
        legend={"title": {"text": _("Country")}},
        dragmode=False,
    )
    return fig


def _lines(links: pd.DataFrame, where: dict[str, tuple[float, float]], colour: str, width: float) -> go.Scatter:
    """Links as one trace of segments, each closed by a gap; arrays, as plotly checks lists value by value."""
    ends = [np.array([where[n][axis] for n in links[end]], dtype=float) for axis in (0, 1) for end in ("a", "b")]
    gap = np.full(len(links), np.nan)
    xs = np.column_stack([ends[0], ends[1], gap]).ravel()
    ys = np.column_stack([ends[2], ends[3], gap]).ravel()
    return go.Scatter(
        x=xs, y=ys, mode="lines", line={"width": width, "color": colour}, hoverinfo="skip", showlegend=False
    )


def _nodes(
    nodes: pd.DataFrame,
    year: int,
    where: dict[str, tuple[float, float]],
    palette: dict[str, str],
    country_names: dict[str, str],
) -> go.Scatter:
    new = (nodes["arrival"] == year).to_numpy()
    country = nodes["country"].astype(str)
    return go.Scatter(
        x=[where[n][0] for n in nodes["node"]],
        y=[where[n][1] for n in nodes["node"]],
        mode="markers",
        marker={
            "size": [10 if n else 8 for n in new],
            "color": [palette.get(c, OTHER) for c in country],
            "line": {"width": [2 if n else 0.5 for n in new], "color": [NEW_COLOUR if n else "white" for n in new]},
        },
        hovertext=[
            f"<b>{html.escape(str(label))}</b><br>{html.escape(country_names.get(c, c))}<br>"
            + (_("new in the network this year") if n else _("in the network since {year}").format(year=since))
            for label, c, n, since in zip(nodes["label"], country, new, nodes["arrival"], strict=True)
        ],
        hoverinfo="text",
        customdata=nodes["node"].to_numpy(),
        showlegend=False,
    )
