"""Sources travel with facts: which sources back a fact, and which facts cite a source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analysis import i18n
from analysis.dataset import Dataset
from analysis.filters import Filters, View
from analysis.i18n import N_, _
from analysis.items import (
    BY_MEMBERS_TABLE,
    ITEM_TYPES,
    item_keys,
    key_ids,
    key_types,
    participation_id,
    split_participation,
)
from analysis.validate import split_list
from analysis.words import plural

# table -> (id column, label column) of the facts that cite sources
FACT_TABLES = {"organisations": ("org_id", "name")} | {t.table: (t.id_column, "title") for t in ITEM_TYPES.values()}
SOURCE_COLUMNS = ["source_id", "title", "publisher", "published_on", "language", "url"]


def citations(data: Dataset) -> pd.DataFrame:
    """One row per (source, fact): source_id, table, fact_id, fact (its name or title)."""
    rows = []
    for table, (id_col, label_col) in FACT_TABLES.items():
        frame = data.tables[table]
        for fact_id, label, cited in frame[[id_col, label_col, "source_ids"]].itertuples(index=False):
            for source in split_list(cited if isinstance(cited, str) else ""):
                rows.append((source, table, fact_id, label))
    for t in ITEM_TYPES.values():
        frame = data.tables[t.members_table]
        for item, org, cited in frame[[t.id_column, "org_id", "source_ids"]].itertuples(index=False):
            for source in split_list(cited if isinstance(cited, str) else ""):
                rows.append((source, t.members_table, participation_id(item, org), _in(org, item)))
    return pd.DataFrame(rows, columns=["source_id", "table", "fact_id", "fact"])


def _in(organisation: object, item: object) -> str:
    """A participation in words: `Organisation name in Agreement title`."""
    return _("{organisation} in {item}").format(organisation=organisation, item=item)


def sources_for(data: Dataset, table: str, fact_id: str) -> pd.DataFrame:
    """The sources cited by one organisation, agreement or action, with their titles and links."""
    id_col = FACT_TABLES[table][0]
    frame = data.tables[table]
    cells = frame.loc[frame[id_col] == fact_id, "source_ids"].dropna()
    wanted = [s for cell in cells for s in split_list(cell)]
    sources = data.sources.set_index("source_id", drop=False)
    return sources.loc[[s for s in dict.fromkeys(wanted) if s in sources.index], SOURCE_COLUMNS].reset_index(drop=True)


def items_sources(data: Dataset, items: pd.DataFrame) -> pd.DataFrame:
    """Sources of many items at once (`item` keys, `title`): one row per item and source it cites, in the items'
    order, `fact` its title. One pass per item type: a hub's thousand items cost what one does."""
    wanted = items.reset_index(drop=True).assign(_order=lambda f: f.index, _type=key_types(items["item"]).to_numpy())
    wanted["_id"] = key_ids(wanted["item"])
    cited = []
    for t in ITEM_TYPES.values():
        mine = wanted[wanted["_type"] == t.name]
        if mine.empty:
            continue
        frame = data.tables[t.table][[t.id_column, "source_ids"]].dropna(subset=["source_ids"])
        rows = mine.merge(frame, left_on="_id", right_on=t.id_column)
        cited.append(rows[["_order", "title", "source_ids"]])
    columns = ["fact", *SOURCE_COLUMNS]
    if not cited:
        return pd.DataFrame(columns=columns)
    pairs = pd.concat(cited).assign(source_id=lambda f: f["source_ids"].map(split_list)).explode("source_id")
    pairs = pairs.dropna(subset=["source_id"]).drop_duplicates(["_order", "source_id"])
    found = pairs.merge(data.sources[SOURCE_COLUMNS], on="source_id").sort_values("_order", kind="stable")
    return found.rename(columns={"title_x": "fact", "title_y": "title"})[columns].reset_index(drop=True)


# Fact tables -> the words a page shows for them (said in the language spoken by facts_citing).
FACT_TYPES = {
    "organisations": N_("organisation"),
    "agreements": N_("agreement"),
    "actions": N_("action"),
    "agreement_parties": N_("agreement party"),
    "action_participants": N_("action participant"),
}
PARTICIPATIONS = tuple(BY_MEMBERS_TABLE)
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
    members = view.members
    for t in ITEM_TYPES.values():
        keep |= (cited["table"] == t.table) & item_keys(t.name, cited["fact_id"]).isin(items)
        mine = members[key_types(members["item"]) == t.name]
        pairs = set(participation_id(key_ids(mine["item"]), mine["org_id"]))
        keep |= (cited["table"] == t.members_table) & cited["fact_id"].isin(pairs)
    return keep


def _named(data: Dataset, cited: pd.DataFrame) -> pd.Series:
    """Readable fact names: participations become `Organisation name in Agreement title`."""
    names = cited["fact"].astype(object).copy()
    org_names = data.organisations.set_index("org_id")["name"]
    for t in ITEM_TYPES.values():
        rows = cited["table"] == t.members_table
        if not rows.any():
            continue
        titles = data.tables[t.table].set_index(t.id_column)["title"]
        item_ids, org_ids = split_participation(cited.loc[rows, "fact_id"])
        names.loc[rows] = [
            _in(org_names.get(org, org), titles.get(item, item)) for item, org in zip(item_ids, org_ids, strict=True)
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
    """The facts that cite one source (type in words, fact_id, fact name), only those in the view if one is given."""
    cited = cited_facts(data, view)
    mine = cited[cited["source_id"] == source_id]
    order = {table: i for i, table in enumerate(FACT_TYPES)}
    types = {table: _(word) for table, word in FACT_TYPES.items()}
    mine = mine.assign(type=mine["table"].map(types), rank=mine["table"].map(order))
    mine = mine.sort_values(["rank", "fact", "fact_id"])
    return mine[["type", "fact_id", "fact", "table"]].reset_index(drop=True)


def coordinate_sources(data: Dataset) -> pd.DataFrame:
    """The sources behind the organisations' coordinates: those cited by every organisation that has coordinates and by
    none that has not (a source of names, kinds or regions is cited by both). Empty when no source fits."""
    orgs = data.organisations
    placed = (orgs["lat"].notna() & orgs["lon"].notna()).tolist()
    cited = [set(split_list(cell if isinstance(cell, str) else "")) for cell in orgs["source_ids"]]
    with_point = [c for c, p in zip(cited, placed, strict=True) if p]
    without = [c for c, p in zip(cited, placed, strict=True) if not p]
    found = set.intersection(*with_point) - set().union(*without) if with_point else set()
    sources = data.sources[data.sources["source_id"].isin(found)]
    return sources[SOURCE_COLUMNS].sort_values("source_id").reset_index(drop=True)


@dataclass(frozen=True)
class Provenance:
    """What travels with every export: what it shows, under which filters, from which dataset and sources."""

    title: str
    filters: Filters
    dataset: str
    sources: pd.DataFrame = field(repr=False)  # source_id, title, publisher, published_on, url
    definitions: dict[str, str] = field(default_factory=dict)
    made_on: date = field(default_factory=date.today)
    period: str | None = None  # the period in words when it is not the filters' own (two periods compared)

    @property
    def filters_text(self) -> str:
        return self.filters.describe(period=self.period)

    @property
    def made_line(self) -> str:
        """`Poland and partners, 2014-2019, all kinds · data · made with ClusterNet on 24 November 2026`: the first
        line under a chart's title."""
        return _("{filters} · {dataset} · made with ClusterNet on {date}").format(
            filters=self.filters_text, dataset=self.dataset, date=i18n.day(self.made_on)
        )

    def source_line(self, limit: int = 4) -> str:
        """`Sources: Publisher A, Publisher B and 12 more publishers (103 sources in all)` for a chart's foot."""
        names = [str(p) for p in self.sources.get("publisher", pd.Series(dtype=str)).dropna().unique()]
        if not names:
            names = [str(t) for t in self.sources.get("title", pd.Series(dtype=str)).dropna().head(limit)]
        if not names:
            return _("Sources: none cited")
        shown = ", ".join(names[:limit])
        if len(names) > limit:
            more = plural(len(names) - limit, "{count} more publisher", "{count} more publishers")
            shown = _("{publishers} and {more}").format(publishers=shown, more=more)
        return _("Sources: {publishers} ({sources})").format(
            publishers=shown, sources=plural(len(self.sources), "{count} source in all", "{count} sources in all")
        )

    def about_rows(self) -> list[tuple[str, str]]:
        """What, value: the title, the filters in words, the dataset, the date and each column's meaning, in the
        language spoken (the column names stay as the files write them)."""
        rows = [
            (_("Title"), self.title),
            (_("Filters"), self.filters_text),
            (_("Dataset"), self.dataset),
            (_("Made on"), i18n.day(self.made_on)),
            (_("Made with"), "ClusterNet"),
        ]
        # Definitions are catalogue messages (N_ where they are defined): said here.
        rows += [(_("Column {name}").format(name=name), _(text)) for name, text in self.definitions.items()]
        return rows
