"""Colours that stay put: a country keeps its colour whatever the filters, so maps and charts can be compared."""

from __future__ import annotations

from collections.abc import Iterable

import plotly.express as px

PALETTE: tuple[str, ...] = tuple(px.colors.qualitative.Dark24) + tuple(px.colors.qualitative.Alphabet)
OTHER = "#9aa0a6"


def colours(keys: Iterable[str]) -> dict[str, str]:
    """Hex colour per key, by the key's place in the sorted list of all keys; grey past the palette's end."""
    ordered = sorted(set(keys))
    return {key: PALETTE[i] if i < len(PALETTE) else OTHER for i, key in enumerate(ordered)}


def rgb(hex_colour: str) -> list[int]:
    """`#2E91E5` -> [46, 145, 229], the form pydeck wants."""
    value = hex_colour.lstrip("#")
    return [int(value[i : i + 2], 16) for i in (0, 2, 4)]
