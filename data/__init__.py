"""Makes data/ the package clusternet_data (pyproject.toml), so a wheel ships the curated dataset and geo files."""
