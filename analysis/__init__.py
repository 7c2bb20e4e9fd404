"""ClusterNet's numbers: the contract, loading, validation, filters, networks, metrics, places, provenance and
timeline rows. No drawing and no streamlit here (charts draws, dashboard shows)."""

from analysis.dataset import Dataset, LoadResult, load_curated, load_dataset, load_files
from analysis.problems import Problem

__all__ = ["Dataset", "LoadResult", "Problem", "load_curated", "load_dataset", "load_files"]
