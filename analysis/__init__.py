"""ClusterNet's analysis core: loading, validation, and (later) networks and geography. No streamlit here."""

from analysis.dataset import Dataset, LoadResult, load_curated, load_dataset, load_files
from analysis.problems import Problem

__all__ = ["Dataset", "LoadResult", "Problem", "load_curated", "load_dataset", "load_files"]
