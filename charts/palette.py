"""Colours that stay put: a country keeps its colour whatever the filters, so maps and charts can be compared."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import plotly.express as px

# Ten colours told apart with normal vision and with protanopia, deuteranopia and tritanopia (CIEDE2000 >= 10 between
# any two, in the Machado 2009 simulation of each), each at least 3:1 against the white page (WCAG 1.4.11). Chosen
# greedily from Okabe-Ito's blue, vermillion and green by the largest smallest difference; tests/charts/test_palette.py
# checks every claim. Countries take them by prominence (`by_prominence`); past the tenth the colours come from
# plotly's Dark24 and Alphabet: there, the legend, the hover and the table alternative say the country, as always.
SAFE: tuple[str, ...] = (
    "#0078B4",
    "#D25A00",
    "#00A578",
    "#961E00",
    "#2D2DD2",
    "#8787FF",
    "#78694B",
    "#005A78",
    "#697887",
    "#A587B4",
)
PALETTE: tuple[str, ...] = SAFE + tuple(px.colors.qualitative.Dark24) + tuple(px.colors.qualitative.Alphabet)
OTHER = "#8E9399"  # past the palette's end, and the kind `other` of actions
OTHER_DARK = "#555555"  # the kind `other` of agreements
# Every kind of one timeline told apart (the ten safe colours and the two greys): agreements and actions share a chart.
AGREEMENT_COLOURS = {"protocol": SAFE[0], "memorandum": SAFE[1], "partnership": SAFE[2], "consortium": SAFE[3]}
AGREEMENT_COLOURS["other"] = OTHER_DARK
ACTION_COLOURS = {
    "call": SAFE[4],
    "event": SAFE[5],
    "workshop": SAFE[6],
    "project": SAFE[7],
    "trade_mission": SAFE[8],
    "exhibition": SAFE[9],
    "other": OTHER,
}


def colours(keys: Iterable[str]) -> dict[str, str]:
    """Hex colour per key, by the key's place in the list as given (repeats dropped): the first ten take the safe
    colours; grey past the palette's end."""
    ordered = list(dict.fromkeys(keys))
    return {key: PALETTE[i] if i < len(PALETTE) else OTHER for i, key in enumerate(ordered)}


def by_prominence(countries: Iterable[str]) -> list[str]:
    """A dataset's countries, most organisations first (ties by code): the order that gives the ten countries a
    reader meets most the colours told apart by everyone, and every country the same colour whatever the filters."""
    counts = Counter(countries)
    return sorted(counts, key=lambda code: (-counts[code], code))


def rgb(hex_colour: str) -> list[int]:
    """`#2E91E5` -> [46, 145, 229], the form pydeck wants."""
    value = hex_colour.lstrip("#")
    return [int(value[i : i + 2], 16) for i in (0, 2, 4)]
