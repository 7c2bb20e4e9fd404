"""SYNTHETIC datasets of the contract's shape, for benchmarks and tests only - never mixed with the curated data.

Every name says "Synthetic", and the one source row says the data is generated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.geography import region_centroids
from analysis.reference import nuts2_country
from analysis.schema import contract

SEED = 20141030
SHAPES = ("classic", "programme")
MAX_CONSORTIUM = 150  # the largest Horizon 2020 consortia have about this many partners
# Programme-like country mix: rough shares of participations in EU framework programmes (larger member states
# first), for generating plausible SYNTHETIC data only; the countries not listed share what is left evenly.
PROGRAMME_COUNTRY_SHARES = {
    "DE": 0.13, "ES": 0.10, "FR": 0.10, "IT": 0.10, "UK": 0.09, "NL": 0.06, "BE": 0.05, "EL": 0.04,
    "AT": 0.03, "PT": 0.03, "SE": 0.03, "DK": 0.02, "FI": 0.02, "PL": 0.02, "IE": 0.02, "CZ": 0.01,
}  # fmt: skip


def _regions(rng: np.random.Generator, orgs: int, shape: str) -> np.ndarray:
    """Each organisation's NUTS-2 region: uniform over regions (classic), or by country shares (programme)."""
    regions = np.array(sorted(region_centroids()))
    if shape == "classic":
        return rng.choice(regions, size=orgs)
    countries = np.array([code[:2] for code in regions])
    listed = set(PROGRAMME_COUNTRY_SHARES)
    others = sorted(set(countries) - listed)
    rest = max(0.0, 1 - sum(PROGRAMME_COUNTRY_SHARES.values())) / max(len(others), 1)
    shares = {**PROGRAMME_COUNTRY_SHARES, **dict.fromkeys(others, rest)}
    per_region = np.array([shares.get(c, 0.0) / (countries == c).sum() for c in countries])
    return rng.choice(regions, size=orgs, p=per_region / per_region.sum())


def _sizes(rng: np.random.Generator, count: int, orgs: int, shape: str, max_consortium: int) -> np.ndarray:
    """How many organisations each item joins. Classic: 2-4, and 20-60 for about 4.5 in 100. Programme: a heavy
    (Pareto) tail from 2 up to `max_consortium`, about 5 on average, as in Horizon 2020."""
    if shape == "classic":
        big = rng.random(count) < 0.045
        sizes = np.where(big, rng.integers(20, 61, count), rng.integers(2, 5, count))
    else:
        sizes = np.floor(2 + rng.pareto(1.8, count) * 3).astype(np.int64)
    return np.minimum(np.minimum(sizes, max_consortium), orgs)


def generate(
    orgs: int = 10_000,
    agreements: int = 2_000,
    actions: int = 5_000,
    seed: int = SEED,
    shape: str = "classic",
    max_consortium: int = MAX_CONSORTIUM,
) -> dict[str, pd.DataFrame]:
    """SYNTHETIC tables of the contract's shape; `shape` says how consortia and countries are drawn (see _sizes,
    _regions)."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}: use one of {', '.join(SHAPES)}")
    rng = np.random.default_rng(seed)
    region = _regions(rng, orgs, shape)
    centre = np.array([region_centroids()[r] for r in region])
    has_coords = rng.random(orgs) < 0.7
    org_ids = [f"syn-org-{i:05d}" for i in range(orgs)]
    organisations = pd.DataFrame(
        {
            "org_id": org_ids,
            "name": [f"Synthetic organisation {i:05d}" for i in range(orgs)],
            "kind": rng.choice(contract()["organisations"].field("kind").enum, size=orgs),
            "country": [nuts2_country(r) for r in region],
            "nuts2": np.where(rng.random(orgs) < 0.9, region, ""),
            "lat": np.where(has_coords, np.round(centre[:, 0] + rng.normal(0, 0.05, orgs), 4).astype(str), ""),
            "lon": np.where(has_coords, np.round(centre[:, 1] + rng.normal(0, 0.05, orgs), 4).astype(str), ""),
            "source_ids": "synthetic",
        }
    )
    popularity = rng.pareto(1.5, orgs) + 1
    popularity /= popularity.sum()

    def members(count: int) -> list[np.ndarray]:
        sizes = _sizes(rng, count, orgs, shape, max_consortium)
        return [rng.choice(orgs, size=s, replace=False, p=popularity) for s in sizes]

    def dates(count: int) -> tuple[list[str], list[str]]:
        year = rng.integers(2008, 2025, count)
        month = rng.integers(1, 13, count)
        precision = rng.random(count)
        start = [
            f"{y}" if p < 0.2 else f"{y}-{m:02d}" if p < 0.5 else f"{y}-{m:02d}-{int(d):02d}"
            for y, m, p, d in zip(year, month, precision, rng.integers(1, 29, count), strict=True)
        ]
        length = rng.integers(0, 4, count)
        end = ["" if n == 0 else str(y + n) for y, n in zip(year, length, strict=True)]
        return start, end

    ag_ids = [f"syn-agreement-{i:04d}" for i in range(agreements)]
    signed, ends = dates(agreements)
    agreements_t = pd.DataFrame(
        {
            "agreement_id": ag_ids,
            "title": [f"Synthetic agreement {i:04d}" for i in range(agreements)],
            "kind": rng.choice(contract()["agreements"].field("kind").enum, size=agreements),
            "signed_on": signed,
            "ends_on": ends,
            "source_ids": "synthetic",
        }
    )
    ac_ids = [f"syn-action-{i:04d}" for i in range(actions)]
    start, end = dates(actions)
    actions_t = pd.DataFrame(
        {
            "action_id": ac_ids,
            "title": [f"Synthetic action {i:04d}" for i in range(actions)],
            "kind": rng.choice(contract()["actions"].field("kind").enum, size=actions),
            "start": start,
            "end": end,
            "status": rng.choice(contract()["actions"].field("status").enum, size=actions),
            "source_ids": "synthetic",
        }
    )

    def participation(ids: list[str], key: str, extra: dict[str, str]) -> pd.DataFrame:
        groups = members(len(ids))
        return pd.DataFrame(
            {key: np.repeat(ids, [len(g) for g in groups]), "org_id": [org_ids[i] for g in groups for i in g], **extra}
        )

    parties = participation(ag_ids, "agreement_id", {"role": "signatory"})
    participants = participation(ac_ids, "action_id", {"role": "partner"})
    # Drawn last, so every other table is the same as before amounts existed. Grants of a few thousand to a few
    # million euros (log-normal, as framework programmes' are), about 3 in 100 without an amount.
    amount = np.round(rng.lognormal(12.3, 1.1, len(participants)), 2)
    participants["contribution_eur"] = np.where(rng.random(len(participants)) < 0.03, "", amount.astype(str))
    sources = pd.DataFrame(
        {
            "source_id": ["synthetic"],
            "title": ["SYNTHETIC DATA generated by `clusternet synthetic` for benchmarks - not real facts"],
            "publisher": ["ClusterNet"],
        }
    )
    return {
        "organisations": organisations,
        "agreements": agreements_t,
        "agreement_parties": parties,
        "actions": actions_t,
        "action_participants": participants,
        "sources": sources,
    }


def write(folder: Path, tables: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder
