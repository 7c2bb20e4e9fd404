"""The dataset this session works on, loaded once per dataset and shared read-only."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from analysis.dataset import CURATED_DIR, Dataset, load_dataset

DATA_ENV = "CLUSTERNET_DATA"


@st.cache_resource(show_spinner="Loading the dataset…")
def _load(path: str) -> Dataset:
    result = load_dataset(path)
    if result.dataset is None:
        raise ValueError("\n".join(p.line() for p in result.errors))
    return result.dataset


def dataset() -> Dataset:
    """The dataset the server was started on (the curated one by default)."""
    return _load(str(Path(os.environ.get(DATA_ENV, CURATED_DIR)).resolve()))
