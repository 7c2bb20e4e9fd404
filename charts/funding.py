"""Money drawn: a place's EU contribution by partner, and EU contribution per year."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from analysis import i18n
from analysis.i18n import _
from charts.numbers import ranked_bars, spoken_numbers

BARS = 20  # partners drawn; the table has them all
BAR_COLOUR = "#1f5a96"
WITHIN_COLOUR = "#7a9cc6"


def partners_figure(table: pd.DataFrame, place: str) -> go.Figure:
    """Horizontal bars of the money a place received in actions shared with each partner, the largest `BARS` on top;
    the place itself (money with partners of the same place) in a lighter blue. Labels escaped: dataset text."""
    shown = table.head(BARS)
    labels = [html.escape(str(name)) for name in shown["partner_name"]]
    fig = go.Figure(
        go.Bar(
            x=shown["contribution_eur"],
            y=list(range(len(shown))),
            orientation="h",
            marker={"color": [WITHIN_COLOUR if p == place else BAR_COLOUR for p in shown["partner"]]},
            hovertext=[
                _("{partner}: {amount} ({share})").format(
                    partner=label, amount=i18n.euros(amount), share=i18n.percent(share, 1)
                )
                for label, amount, share in zip(labels, shown["contribution_eur"], shown["share"], strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    return ranked_bars(fig, labels, _("EU contribution received in actions shared with the partner (EUR)"))


def years_figure(table: pd.DataFrame) -> go.Figure:
    """Bars of the EU contribution per year (one row per year: year, contribution_eur)."""
    fig = go.Figure(
        go.Bar(
            x=table["year"],
            y=table["contribution_eur"],
            marker={"color": BAR_COLOUR},
            hovertext=[
                f"{year}: {i18n.euros(amount)}"
                for year, amount in zip(table["year"], table["contribution_eur"], strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        xaxis={"title": _("Year"), "dtick": 1},
        yaxis={"title": _("EU contribution (EUR)")},
        plot_bgcolor="white",
    )
    spoken_numbers(fig)
    return fig
