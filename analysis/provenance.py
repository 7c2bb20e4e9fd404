"""Sources travel with facts: which sources back a fact, and which facts cite a source."""

from __future__ import annotations

import pandas as pd

from analysis.dataset import Dataset
from analysis.validate import split_list

# table -> (id column, label column) of the facts that cite sources
FACT_TABLES = {
    "organisations": ("org_id", "name"),
    "agreements": ("agreement_id", "title"),
    "actions": ("action_id", "title"),
}
SOURCE_COLUMNS = ["source_id", "title", "publisher", "published_on", "language", "url"]


def citations(data: Dataset) -> pd.DataFrame:
    """One row per (source, fact): source_id, table, fact_id, fact (its name or title)."""
    rows = []
    for table, (id_col, label_col) in FACT_TABLES.items():
        frame = data.tables[table]
        for fact_id, label, cited in frame[[id_col, label_col, "source_ids"]].itertuples(index=False):
            for source in split_list(cited if isinstance(cited, str) else ""):
                rows.append((source, table, fact_id, label))
    for table, key in (("agreement_parties", "agreement_id"), ("action_participants", "action_id")):
        frame = data.tables[table]
        for item, org, cited in frame[[key, "org_id", "source_ids"]].itertuples(index=False):
            for source in split_list(cited if isinstance(cited, str) else ""):
                rows.append((source, table, f"{item}/{org}", f"{org} in {item}"))
    return pd.DataFrame(rows, columns=["source_id", "table", "fact_id", "fact"])


def sources_for(data: Dataset, table: str, fact_id: str) -> pd.DataFrame:
    """The sources cited by one organisation, agreement or action, with their titles and links."""
    id_col = FACT_TABLES[table][0]
    frame = data.tables[table]
    cells = frame.loc[frame[id_col] == fact_id, "source_ids"].dropna()
    wanted = [s for cell in cells for s in split_list(cell)]
    sources = data.sources.set_index("source_id", drop=False)
    return sources.loc[[s for s in dict.fromkeys(wanted) if s in sources.index], SOURCE_COLUMNS].reset_index(drop=True)


def item_sources(data: Dataset, item: str) -> pd.DataFrame:
    """Sources of a view item key such as `agreement:bari-protocol-2014` or `action:call-expo-2015`."""
    item_type, item_id = item.split(":", 1)
    return sources_for(data, "agreements" if item_type == "agreement" else "actions", item_id)
