"""Agreements and actions as one concept, the item: its two types, its identity, and the one written form of that
identity (`agreement:<id>`, `action:<id>`), built and parsed here only. Participations (`<item id>/<org id>`) and
the affiliation network's organisation nodes (`org:<id>`) are written here too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from analysis.dates import Interval, interval
from analysis.i18n import N_

ItemTypeName = Literal["agreement", "action"]
SEPARATOR = ":"
PARTICIPATION_SEPARATOR = "/"
ORG_NODE_PREFIX = "org"


@dataclass(frozen=True)
class ItemType:
    """Where one type of item lives in the contract and how its dates read."""

    name: ItemTypeName
    plural: str
    table: str  # the contract table of the items
    id_column: str
    start_column: str
    end_column: str
    members_table: str  # parties or participants
    open_ended: bool  # without an end: runs on (agreements) or covers its start's period (actions)
    status_column: str | None  # actions say how far they got; agreements do not
    # An optional extension column (declared in datapackage.json): what the dates stand for when they are not what
    # the columns say, e.g. the first year a project is attested rather than its start. Empty for most items.
    date_note_column: str = "date_note"

    def interval(self, start: str, end: object) -> Interval:
        """The days this item covers, by the contract's date rules."""
        return interval(start, end if isinstance(end, str) and end else None, self.open_ended)


ITEM_TYPES: dict[ItemTypeName, ItemType] = {
    "agreement": ItemType(
        "agreement", "agreements", "agreements", "agreement_id", "signed_on", "ends_on", "agreement_parties", True, None
    ),
    "action": ItemType(
        "action", "actions", "actions", "action_id", "start", "end", "action_participants", False, "status"
    ),
}
BY_MEMBERS_TABLE = {t.members_table: t for t in ITEM_TYPES.values()}
# How a page, a table or a chart names one item of each type: catalogue messages, said with `_()` (the types' names
# and plurals above are identifiers: the contract's values and tables' columns, the same in every language).
TYPE_WORDS: dict[ItemTypeName, str] = {"agreement": N_("agreement"), "action": N_("action")}
# The contract's roles of parties and participants in words (catalogue messages; the tables keep the values).
ROLE_WORDS = {
    "signatory": N_("signatory"),
    "lead": N_("lead"),
    "promoter": N_("promoter"),
    "supporter": N_("supporter"),
    "observer": N_("observer"),
    "organiser": N_("organiser"),
    "partner": N_("partner"),
    "participant": N_("participant"),
    "funder": N_("funder"),
}


@dataclass(frozen=True, order=True)
class ItemKey:
    """An agreement or an action, by type and id; `str()` gives its written form, `parse` reads it back."""

    type: ItemTypeName
    id: str

    def __str__(self) -> str:
        return f"{self.type}{SEPARATOR}{self.id}"

    @classmethod
    def parse(cls, text: str) -> ItemKey:
        item_type, sep, item_id = str(text).partition(SEPARATOR)
        if not sep or item_type not in ITEM_TYPES or not item_id:
            raise ValueError(f"not an item key: {text!r} (expected agreement:<id> or action:<id>)")
        return cls(item_type, item_id)  # type: ignore[arg-type]

    @property
    def item_type(self) -> ItemType:
        return ITEM_TYPES[self.type]


def item_key(item_type: ItemTypeName, item_id: str) -> str:
    """The written key of one item."""
    return str(ItemKey(item_type, item_id))


def item_keys(item_type: ItemTypeName, ids: pd.Series) -> pd.Series:
    """The written keys of many items of one type (vectorised)."""
    return item_type + SEPARATOR + ids.astype(str)


def key_types(keys: pd.Series) -> pd.Series:
    """`agreement` or `action` for each written key."""
    return keys.str.split(SEPARATOR, n=1).str[0]


def key_ids(keys: pd.Series) -> pd.Series:
    """The item id of each written key."""
    return keys.str.split(SEPARATOR, n=1).str[1]


def participation_id(item_id: str | pd.Series, org_id: str | pd.Series) -> str | pd.Series:
    """How a party or participant is named as a fact: `<item id>/<org id>` (scalars or Series)."""
    return item_id + PARTICIPATION_SEPARATOR + org_id  # type: ignore[operator]


def split_participation(ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Participation ids -> (item ids, org ids)."""
    parts = ids.str.split(PARTICIPATION_SEPARATOR, n=1)
    return parts.str[0], parts.str[1]


def org_node(org_id: str) -> str:
    """An organisation's node in the two-mode affiliation network, apart from the item nodes."""
    return f"{ORG_NODE_PREFIX}{SEPARATOR}{org_id}"
