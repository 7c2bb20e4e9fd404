"""The dataset this session works on and what the pages compute from it, cached outside the rerun path."""

from __future__ import annotations

import os
from dataclasses import astuple
from pathlib import Path

import streamlit as st

from analysis.dataset import CURATED_DIR, Dataset, load_dataset
from analysis.filters import Filters
from analysis.insights import Insights

DATA_ENV = "CLUSTERNET_DATA"
FILTERS_KEY = "_filters"


@st.cache_resource(show_spinner="Loading the dataset…")
def _load(path: str) -> Dataset:
    result = load_dataset(path)
    if result.dataset is None:
        raise ValueError("\n".join(p.line() for p in result.errors))
    return result.dataset


def dataset() -> Dataset:
    """The dataset the server was started on (the curated one by default)."""
    return _load(str(Path(os.environ.get(DATA_ENV, CURATED_DIR)).resolve()))


# Keyed by the dataset's fingerprint and the filters (small keys); the result is shared read-only, not copied.
@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs={Filters: astuple, Dataset: lambda d: d.fingerprint})
def _insights(data: Dataset, filters: Filters) -> Insights:
    return Insights(data, filters)


def use_filters(filters: Filters) -> None:
    """Called once a run by the sidebar: the filters every page of this run works under."""
    st.session_state[FILTERS_KEY] = filters


def current() -> Insights:
    """The dataset in use, seen through the sidebar's filters."""
    return _insights(dataset(), st.session_state.get(FILTERS_KEY, Filters()))
