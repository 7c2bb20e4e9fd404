"""Overview: what the dataset in use holds."""

from __future__ import annotations

import streamlit as st

from dashboard.safe import md
from dashboard.state import dataset


def render() -> None:
    data = dataset()
    st.title("ClusterNet")
    st.caption(
        "How creative-industry clusters around Puglia work with partners across Europe: "
        "who signed which agreements and who joined which joint actions."
    )
    sizes = data.sizes()
    tiles = [
        ("Organisations", sizes["organisations"]),
        ("Countries", data.organisations["country"].nunique()),
        ("Agreements", sizes["agreements"]),
        ("Actions", sizes["actions"]),
        ("Sources", sizes["sources"]),
    ]
    for column, (label, value) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(label, value)
    st.caption(f"Dataset: {md(data.name)} · {len(data.warnings)} validation warning(s)")
