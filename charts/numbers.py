"""Plotly's own number formatting in the language spoken: the separators its axes and `%{y:,}` hovers use."""

from __future__ import annotations

import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol

from analysis import i18n


def separators() -> str:
    """Plotly's `separators`, the decimal mark then the thousands one: `.,` in English (1,234.5), `,.` in Italian
    (1.234,5)."""
    locale = i18n.babel_locale()
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def spoken_numbers(fig: go.Figure) -> go.Figure:
    """The figure with its axes' and hovers' numbers written for the language spoken."""
    fig.update_layout(separators=separators())
    return fig


def ranked_bars(fig: go.Figure, labels: list[str], x_title: str, row: int = 26, least: int = 260) -> go.Figure:
    """The layout of horizontal bars ranked top down, one `row` of pixels per label (already escaped), numbers in the
    language spoken: the money by partner, an organisation's partners, a place's kinds."""
    fig.update_layout(
        height=max(least, row * len(labels) + 90),
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        yaxis={
            "autorange": "reversed",
            "tickmode": "array",
            "tickvals": list(range(len(labels))),
            "ticktext": labels,
            "title": None,
        },
        xaxis={"title": x_title},
        plot_bgcolor="white",
    )
    return spoken_numbers(fig)
