"""A dataset whose actions carry the contract's `programme` (issue 26): SYNTHETIC tables of a seed of their own, the
actions spread over FP7, H2020, HORIZON and an Interreg programme whose name holds a comma, a few naming none; and
the independent pandas readings the tests hold the filters to."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import load_dataset, synthetic
from analysis.dataset import Dataset

SEED = 2626
PROGRAMMES = ("FP7", "H2020", "HORIZON", "Interreg V-A, Italy-Croatia")
CYCLE = [*PROGRAMMES, "FP7", "H2020", ""]  # most actions in FP7 and H2020; one in seven names no programme


def tables() -> dict[str, pd.DataFrame]:
    """The tables as CSV writes them: every action's programme by its position in CYCLE."""
    found = synthetic.generate(orgs=160, agreements=12, actions=140, seed=SEED)
    found["actions"]["programme"] = [CYCLE[i % len(CYCLE)] for i in range(len(found["actions"]))]
    return found


def write(folder: Path) -> Path:
    return synthetic.write(folder / "programmes", tables())


def dataset(folder: Path) -> Dataset:
    result = load_dataset(write(folder))
    assert result.dataset is not None, [p.line() for p in result.errors]
    return result.dataset


def raw(folder: Path) -> dict[str, pd.DataFrame]:
    """The written CSVs read back with plain pandas, every cell as text (empty: ""), for independent readings."""
    return {
        name: pd.read_csv(folder / "programmes" / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in ("organisations", "agreements", "agreement_parties", "actions", "action_participants")
    }


def overview(tables: dict[str, pd.DataFrame], programmes: tuple[str, ...]) -> dict[str, int]:
    """The Overview's four numbers under a programme filter alone, read from the raw tables: the actions of those
    programmes, every agreement, and the organisations taking part in any of them."""
    actions = tables["actions"][tables["actions"]["programme"].isin(programmes)]
    members = pd.concat(
        [
            tables["agreement_parties"]["org_id"],
            tables["action_participants"].loc[
                tables["action_participants"]["action_id"].isin(actions["action_id"]), "org_id"
            ],
        ]
    )
    orgs = tables["organisations"][tables["organisations"]["org_id"].isin(members)]
    return {
        "Organisations": len(orgs),
        "Countries": int(orgs["country"].nunique()),
        "Agreements": len(tables["agreements"]),
        "Actions": len(actions),
    }


def linked_pairs(tables: dict[str, pd.DataFrame], programmes: tuple[str, ...]) -> tuple[set[str], set[tuple]]:
    """The organisation network of every agreement and the actions of `programmes` (all years), from the raw tables:
    its nodes and its links (pairs a < b sharing an item)."""
    actions = tables["actions"][tables["actions"]["programme"].isin(programmes)]["action_id"]
    parts = tables["action_participants"]
    groups = [
        *tables["agreement_parties"].groupby("agreement_id")["org_id"].apply(list),
        *parts[parts["action_id"].isin(actions)].groupby("action_id")["org_id"].apply(list),
    ]
    nodes = {org for group in groups for org in group}
    links = {(a, b) for group in groups for a in group for b in group if a < b}
    return nodes, links


def compared(tables: dict[str, pd.DataFrame], a: tuple[str, ...], b: tuple[str, ...]) -> dict[str, int]:
    """The Compare page's four tiles for A and B set by programme over every year, from the raw tables."""
    nodes_a, links_a = linked_pairs(tables, a)
    nodes_b, links_b = linked_pairs(tables, b)
    return {
        "Joined": len(nodes_b - nodes_a),
        "Left": len(nodes_a - nodes_b),
        "New links": len(links_b - links_a),
        "Lost links": len(links_a - links_b),
    }


def amounts(tables: dict[str, pd.DataFrame], programmes: tuple[str, ...]) -> float:
    """The EU contribution of the actions of `programmes` (participations' amounts, empty ones left out)."""
    actions = tables["actions"][tables["actions"]["programme"].isin(programmes)]["action_id"]
    parts = tables["action_participants"]
    given = parts.loc[parts["action_id"].isin(actions), "contribution_eur"]
    return float(np.sum(pd.to_numeric(given[given != ""])))
