"""ClusterNet's Streamlit app: thin pages over the `analysis` package."""
