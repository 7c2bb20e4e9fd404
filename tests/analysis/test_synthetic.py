"""SYNTHETIC data for benchmarks: the classic shape, and the programme shape (Horizon 2020-like consortia)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import synthetic
from analysis.reference import nuts2_country


def sizes(tables) -> np.ndarray:
    return tables["action_participants"].groupby("action_id").size().to_numpy()


def test_programme_consortia_have_a_heavy_tail_up_to_the_maximum():
    tables = synthetic.generate(orgs=3000, agreements=10, actions=4000, seed=3, shape="programme", max_consortium=80)
    found = sizes(tables)
    assert found.min() >= 2 and found.max() <= 80
    assert 4 <= found.mean() <= 6.5  # Horizon 2020: about 5 participations per project
    assert np.median(found) <= 4 and (found >= 30).sum() >= 10  # most are small, some very large


def test_programme_countries_follow_programme_shares():
    tables = synthetic.generate(orgs=5000, agreements=10, actions=10, seed=4, shape="programme")
    countries = tables["organisations"]["country"].value_counts(normalize=True)
    assert countries.index[0] == "DE" and countries["DE"] == pytest.approx(0.13, abs=0.02)
    assert countries["IT"] == pytest.approx(0.10, abs=0.02) and countries.get("MT", 0) < 0.02


def test_classic_shape_is_unchanged_and_every_region_lies_in_its_country():
    tables = synthetic.generate(orgs=500, agreements=50, actions=200, seed=5)
    assert set(sizes(tables)) <= set(range(2, 5)) | set(range(20, 61))
    orgs = tables["organisations"]
    placed = orgs[orgs["nuts2"] != ""]
    assert (placed["nuts2"].map(nuts2_country) == placed["country"]).all()
    with pytest.raises(ValueError, match="unknown shape 'odd'"):
        synthetic.generate(orgs=5, shape="odd")
