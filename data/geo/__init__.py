"""Makes data/geo/ the package clusternet_data.geo (pyproject.toml), so a wheel ships the map boundaries."""
