"""Search across a dataset's organisations, NUTS-2 regions and countries: part of a name, short name, id or city,
accents and case folded. The index is built once per dataset (`index`); a query is a few list scans over its
folded texts, milliseconds at 40,000 organisations."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from analysis import i18n
from analysis.i18n import _
from analysis.reference import nuts2_country, nuts2_names
from analysis.words import kind_label

if TYPE_CHECKING:
    from analysis.dataset import Dataset

HitKind = Literal["organisation", "region", "country"]
KINDS: tuple[HitKind, ...] = ("organisation", "region", "country")
ORGANISATION = KINDS.index("organisation")
LIMIT = 10
MIN_CHARACTERS = 2  # a shorter query (its letters and digits) finds nothing: one letter would list everything
SHORT_NAME_COLUMNS = ("short_name", "shortName", "acronym")  # not in the contract: kept when a dataset brings one
# Letters that NFKD leaves whole (they are not a base letter and a mark): folded to what a keyboard without them types.
LETTERS = {"ł": "l", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "\u0131": "i", "þ": "th", "ð": "d", "ħ": "h"}
WORD = re.compile(r"\w+")
# Ranks, best first: the query is the id or code; the name starts with it; a word of the name does; it is anywhere
# in the name; its words are found elsewhere too (city, id, another word order).
EXACT, STARTS, WORD_STARTS, IN_NAME, ELSEWHERE = range(5)


@cache
def _folding() -> dict[int, str | None]:
    """The translation table after NFKD and casefold: combining marks dropped, the whole letters replaced."""
    table: dict[int, str | None] = {
        c: None for c in range(min(sys.maxunicode, 0x2FFFF) + 1) if unicodedata.combining(chr(c))
    }
    table.update({ord(letter): plain for letter, plain in LETTERS.items()})
    return table


def fold(text: str) -> str:
    """Text as search compares it: accents and other marks dropped, case folded (`Łódź` -> `lodz`, `Αθήνα` ->
    `αθηνα`, `Straße` -> `strasse`)."""
    return unicodedata.normalize("NFKD", text).casefold().translate(_folding())


def key(text: object) -> str:
    """Folded words joined by one space: punctuation and hyphens separate words (`Cluj-Napoca` -> `cluj napoca`)."""
    if not isinstance(text, str) or not text:
        return ""
    return " ".join(WORD.findall(fold(text)))


@dataclass(frozen=True)
class Hit:
    """One result: what it is, its id (org_id, NUTS-2 code or ISO country code), its name, and the words shown
    beside it in the language spoken."""

    kind: HitKind
    id: str
    name: str
    country: str
    country_name: str
    kind_words: str
    region: str  # an organisation's NUTS-2 region by name, a region's own code; empty for a country

    @property
    def label(self) -> str:
        """`Name · country · kind · region`, the parts there are."""
        parts = (self.name, self.country_name, self.kind_words, self.region)
        return " · ".join(part for part in dict.fromkeys(parts) if part)  # a country is not named twice


def _names_field(names: Iterable[str]) -> str:
    """An entry's names as one text: each name after `\\n `, so `\\n q` finds a name starting with q and ` q` a word
    starting with it, and no match runs from one name into the next."""
    return "".join(f"\n {name}" for name in dict.fromkeys(names) if name)


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index keeps of one organisation, region or country."""

    kind: HitKind
    id: str
    name: str
    country: str  # ISO code
    weight: int  # agreements and actions of the whole dataset it is involved in (a place: its organisations')
    names: str  # its names folded (_names_field): name, short name; a country's name in each language
    others: str  # its other texts folded: city and id, a place's code
    exact: frozenset[str]  # folded texts that, typed whole, name it exactly: id or code, short name
    nuts2: str = ""  # an organisation's region and kind
    org_kind: str = ""

    @property
    def text(self) -> str:
        return f"{self.names}\n {self.others}"


class SearchIndex:
    """Organisations, regions (those holding an organisation) and countries of one dataset, with their folded texts,
    in order of involvement (agreements and actions of the whole dataset, then name): a query's matches come out
    already in the order of its ties."""

    def __init__(self, data: Dataset) -> None:
        organisations = data.incidence.organisations
        involvement = np.bincount(data.incidence.member_org, minlength=len(organisations)).astype(np.int64)
        self._given = data.countries.set_index("country")["name"].astype(str).to_dict()  # English names
        self._regions = nuts2_names()
        entries = _organisations(organisations, involvement)
        entries += _places(organisations, involvement, "nuts2", self._regions)
        entries += _places(organisations, involvement, "country", self._given)
        entries.sort(key=lambda e: (-e.weight, e.names, e.id))  # e.names: the folded name first
        self._entries = entries
        self._names = [e.names for e in entries]
        self._texts = [e.text for e in entries]
        self._kinds = [KINDS.index(e.kind) for e in entries]
        self._ids = [e.id for e in entries]
        self._exact: dict[str, list[int]] = {}
        for position, entry in enumerate(entries):
            for exact in entry.exact:
                self._exact.setdefault(exact, []).append(position)

    def __len__(self) -> int:
        return len(self._entries)

    def find(
        self,
        query: str,
        limit: int = LIMIT,
        kinds: Iterable[HitKind] = KINDS,
        among: Container[str] | None = None,
    ) -> list[Hit]:
        """The best `limit` entries of these kinds matching every word of the query (with `among`, only organisations
        whose id it holds), best first; nothing for a query of fewer than MIN_CHARACTERS letters and digits."""
        wanted = key(query)
        if len(wanted.replace(" ", "")) < MIN_CHARACTERS or limit <= 0:
            return []
        words = sorted(set(wanted.split()), key=len, reverse=True)  # the longest first: it leaves the fewest
        positions = [i for i, text in enumerate(self._texts) if words[0] in text]
        for word in words[1:]:
            positions = [i for i in positions if word in self._texts[i]]
        allowed = {KINDS.index(kind) for kind in kinds}

        def wanted_here(p: int) -> bool:
            kind = self._kinds[p]
            return kind in allowed and (among is None or kind != ORGANISATION or self._ids[p] in among)

        return [self._hit(self._entries[p]) for p in self._best(wanted, positions, wanted_here, limit)]

    def _best(self, wanted: str, positions: list[int], keep: Callable[[int], bool], limit: int) -> list[int]:
        """The `limit` best positions that `keep` keeps, by rank (EXACT ... ELSEWHERE), then in their order. Ranked one
        by one; once `limit` rank as well as some rank or better, later ones of that rank cannot come in."""
        exact = [p for p in self._exact.get(wanted, ()) if keep(p)]  # an id is in its entry's text: matched
        seen = set(exact)
        ranked: list[list[int]] = [sorted(exact), [], [], [], []]
        starts, word_starts = f"\n {wanted}", f" {wanted}"
        worst = ELSEWHERE  # the worst rank that can still be among the best
        for p in positions:
            names = self._names[p]
            rank = (
                STARTS
                if starts in names
                else (WORD_STARTS if word_starts in names else IN_NAME if wanted in names else ELSEWHERE)
            )
            if rank > worst or p in seen or not keep(p):
                continue
            ranked[rank].append(p)
            while worst >= STARTS and sum(map(len, ranked[: worst + 1])) >= limit:
                worst -= 1  # `limit` rank as well already and come first: one of this rank seen later cannot
            if worst < STARTS:
                break
        return [p for rank in ranked for p in rank][:limit]

    def _hit(self, entry: Entry) -> Hit:
        """A result, in the language spoken."""
        country = entry.country
        country_name = i18n.country_name(country, self._given.get(country)) if country else ""
        if entry.kind == "organisation":
            region = self._regions.get(entry.nuts2, entry.nuts2) if entry.nuts2 else ""
            words = kind_label(entry.org_kind) if entry.org_kind else ""
            return Hit("organisation", entry.id, entry.name, country, country_name, words, region)
        if entry.kind == "region":
            return Hit("region", entry.id, entry.name, country, country_name, _("NUTS-2 region"), entry.id)
        return Hit("country", entry.id, country_name, country, country_name, _("country"), "")


def _texts(column: pd.Series) -> list[str]:
    """A column's cells as texts, empty for a missing one."""
    return [value if isinstance(value, str) else "" for value in column.astype(object).tolist()]


def _organisations(organisations: pd.DataFrame, involvement: np.ndarray) -> list[Entry]:
    """Each organisation: its names (name, short name), its other texts (city, id), its exact keys."""
    short = next((c for c in SHORT_NAME_COLUMNS if c in organisations.columns), None)
    column = {c: _texts(organisations[c]) for c in ("org_id", "name", "country", "nuts2", "kind", "city")}
    shorts = _texts(organisations[short]) if short else [""] * len(organisations)
    entries = []
    for i, org_id in enumerate(column["org_id"]):
        name, short_key, id_key = column["name"][i], key(shorts[i]), key(org_id)
        entries.append(
            Entry(
                kind="organisation",
                id=org_id,
                name=name,
                country=column["country"][i],
                weight=int(involvement[i]),
                names=_names_field((key(name), short_key)),
                others=f"{key(column['city'][i])}\n {id_key}",
                exact=frozenset({id_key, short_key} - {""}),
                nuts2=column["nuts2"][i],
                org_kind=column["kind"][i],
            )
        )
    return entries


def _places(organisations: pd.DataFrame, involvement: np.ndarray, column: str, names: dict[str, str]) -> list[Entry]:
    """Each region (column `nuts2`) or country holding an organisation: its name (a country's in every language the
    app speaks), its code, and its organisations' involvement together."""
    totals = pd.Series(involvement).groupby(np.array(_texts(organisations[column]), dtype=object)).sum()
    entries = []
    for code, weight in totals.items():
        if not code:
            continue
        if column == "country":
            said = [names.get(code, "")]
            for language in i18n.LANGUAGES:
                with i18n.speaking(language):
                    said.append(i18n.country_name(code, names.get(code)))
            kind: HitKind = "country"
        else:
            said, kind = [names.get(code, "")], "region"
        entries.append(
            Entry(
                kind=kind,
                id=code,
                name=names.get(code, code),
                country=code if kind == "country" else nuts2_country(code),
                weight=int(weight),
                names=_names_field(key(name) for name in said),
                others=key(code),
                exact=frozenset({key(code)}),
            )
        )
    return entries


def index(data: Dataset) -> SearchIndex:
    """The dataset's search index, built on first use and kept with it (the words it shows are said when asked, in
    the language spoken, so one index serves every language)."""
    return data.memo.get(("search index",), lambda: SearchIndex(data))
