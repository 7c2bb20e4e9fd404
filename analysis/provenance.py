"""Sources travel with facts: which sources back a fact, and which facts cite a source."""

from __future__ import annotations

import pandas as pd

from analysis.dataset import Dataset
from analysis.filters import View
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


# Fact tables -> the words a page shows for them.
FACT_TYPES = {
    "organisations": "organisation",
    "agreements": "agreement",
    "actions": "action",
    "agreement_parties": "agreement party",
    "action_participants": "action participant",
}
PARTICIPATIONS = {"agreement_parties": ("agreement", "agreements"), "action_participants": ("action", "actions")}
COUNT_COLUMNS = ["organisations", "agreements", "actions", "participations", "facts"]


def safe_url(url: object) -> str | None:
    """The address if it is http(s), else None (the validator already refuses others; this keeps it so)."""
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    return None


def _in_view(cited: pd.DataFrame, view: View) -> pd.Series:
    """Which citation rows back a fact in the view: its organisations, agreements, actions and participations."""
    keep = (cited["table"] == "organisations") & cited["fact_id"].isin(view.organisations["org_id"])
    items = set(view.items["item"])
    keep |= (cited["table"] == "agreements") & ("agreement:" + cited["fact_id"]).isin(items)
    keep |= (cited["table"] == "actions") & ("action:" + cited["fact_id"]).isin(items)
    members = set(view.members["item"] + "/" + view.members["org_id"])
    for table, (item_type, _) in PARTICIPATIONS.items():
        # A participation's fact_id is `item_id/org_id`; the view keys it `item_type:item_id` and org_id.
        keep |= (cited["table"] == table) & (item_type + ":" + cited["fact_id"]).isin(members)
    return keep


def _named(data: Dataset, cited: pd.DataFrame) -> pd.Series:
    """Readable fact names: participations become `Organisation name in Agreement title`."""
    names = cited["fact"].astype(object).copy()
    org_names = data.organisations.set_index("org_id")["name"]
    for table, (_, items_table) in PARTICIPATIONS.items():
        rows = cited["table"] == table
        if not rows.any():
            continue
        id_col, title_col = FACT_TABLES[items_table]
        titles = data.tables[items_table].set_index(id_col)[title_col]
        item_ids = cited.loc[rows, "fact_id"].str.split("/", n=1).str[0]
        org_ids = cited.loc[rows, "fact_id"].str.split("/", n=1).str[1]
        names.loc[rows] = [
            f"{org_names.get(org, org)} in {titles.get(item, item)}"
            for item, org in zip(item_ids, org_ids, strict=True)
        ]
    return names


def cited_facts(data: Dataset, view: View | None = None) -> pd.DataFrame:
    """Citations with readable fact names (source_id, table, fact_id, fact), only facts in the view if one is given."""
    cited = citations(data)
    if view is not None:
        cited = cited[_in_view(cited, view)]
    cited = cited.reset_index(drop=True)
    return cited.assign(fact=_named(data, cited))


def source_counts(data: Dataset, view: View | None = None) -> pd.DataFrame:
    """Sources with how many facts cite them, by kind of fact and in all (`facts`), most cited first.

    With a view, only the facts in it count and only the sources they cite are listed; without, every source is.
    """
    cited = cited_facts(data, view)
    kind = cited["table"].where(~cited["table"].isin(list(PARTICIPATIONS)), "participations")
    counts = pd.crosstab(cited["source_id"], kind).reindex(columns=COUNT_COLUMNS[:-1], fill_value=0)
    counts["facts"] = counts.sum(axis=1)
    sources = data.sources[SOURCE_COLUMNS].copy()
    sources["url"] = sources["url"].map(safe_url)
    table = sources.merge(counts, left_on="source_id", right_index=True, how="inner" if view is not None else "left")
    table[COUNT_COLUMNS] = table[COUNT_COLUMNS].fillna(0).astype("int64")
    return table.sort_values(["facts", "title", "source_id"], ascending=[False, True, True]).reset_index(drop=True)


def facts_citing(data: Dataset, source_id: str, view: View | None = None) -> pd.DataFrame:
    """The facts that cite one source (type, fact_id, fact name), only those in the view if one is given."""
    cited = cited_facts(data, view)
    mine = cited[cited["source_id"] == source_id]
    order = {table: i for i, table in enumerate(FACT_TYPES)}
    mine = mine.assign(type=mine["table"].map(FACT_TYPES), rank=mine["table"].map(order))
    mine = mine.sort_values(["rank", "fact", "fact_id"])
    return mine[["type", "fact_id", "fact", "table"]].reset_index(drop=True)
