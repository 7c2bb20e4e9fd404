"""The filters of the contract - countries, period, kinds, programmes - as one object every page, command and export
uses, and the one codec between that object and its written forms: the URL, the sidebar's widgets and the CLI's
options."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from analysis.dataset import Dataset
from analysis.dates import FAR_FUTURE, DateError, parse_date
from analysis.i18n import N_, _
from analysis.incidence import Codes, column_codes
from analysis.items import ITEM_TYPES, ItemTypeName
from analysis.reference import country_name
from analysis.schema import contract
from analysis.words import kind_label, listed

FieldKind = Literal["countries", "flag", "date", "kinds", "programmes"]
KINDS_HELP = N_("repeat for several")


@dataclass(frozen=True)
class FilterField:
    """One filter as every interface writes it: the Filters attribute, the URL key, the CLI option, its label."""

    attr: str
    url: str
    option: str
    label: str
    kind: FieldKind
    table: str | None = None  # kinds: the contract table whose `kind` column lists the choices (and its name, in words)
    help: str = KINDS_HELP

    @property
    def widget_key(self) -> str:
        """The session-state key of the sidebar widget that holds this filter."""
        return WIDGET_PREFIX + self.attr

    def choices(self) -> tuple[str, ...]:
        """The kinds the contract allows (kinds fields only)."""
        return contract()[self.table].field("kind").enum if self.table else ()


WIDGET_PREFIX = "f_"
FIELDS: tuple[FilterField, ...] = (
    FilterField(
        "countries", "country", "--country", N_("Countries"), "countries", help=N_("ISO code; repeat for several")
    ),
    FilterField(
        "only_selected",
        "only",
        "--only-selected",
        N_("Only selected countries"),
        "flag",
        help=N_("Leave out partners from other countries, and every link to them."),
    ),
    FilterField("date_from", "from", "--from", N_("period start"), "date", help=N_("2014, 2014-11 or 2014-11-07")),
    FilterField("date_to", "to", "--to", N_("period end"), "date", help=N_("2019, 2019-06 or 2019-06-30")),
    FilterField("agreement_kinds", "agreement_kind", "--agreement-kind", N_("Agreement kinds"), "kinds", "agreements"),
    FilterField("action_kinds", "action_kind", "--action-kind", N_("Action kinds"), "kinds", "actions"),
    FilterField("org_kinds", "org_kind", "--org-kind", N_("Organisation kinds"), "kinds", "organisations"),
    FilterField(
        "programmes",
        "programme",
        "--programme",
        N_("Programmes"),
        "programmes",
        help=N_("the actions' funding programme as the dataset names it (H2020); repeat for several"),
    ),
)
KIND_FIELDS = tuple(f for f in FIELDS if f.kind == "kinds")
TABLE_WORDS = {"agreements": N_("agreements"), "actions": N_("actions"), "organisations": N_("organisations")}
FIELD = {f.attr: f for f in FIELDS}


def period_words(date_from: str | None, date_to: str | None) -> str:
    """A period in words: `2014-2019`, `from 2014-11`, `until 2019`, `all years`."""
    if date_from and date_to:
        return date_from if date_from == date_to else f"{date_from}-{date_to}"
    if date_from:
        return _("from {date}").format(date=date_from)
    return _("until {date}").format(date=date_to) if date_to else _("all years")


def reversed_period(date_from: str | None, date_to: str | None) -> bool:
    """Whether a period ends before it starts (both dates valid contract dates)."""
    return bool(date_from and date_to and parse_date(date_to).last < parse_date(date_from).first)


@dataclass(frozen=True)
class Filters:
    """What the analyst keeps in view; empty means everything. Hashable, so it can key a cache."""

    countries: tuple[str, ...] = ()
    only_selected: bool = False
    date_from: str | None = None  # contract date: 2014, 2014-11 or 2014-11-07
    date_to: str | None = None
    agreement_kinds: tuple[str, ...] = ()
    action_kinds: tuple[str, ...] = ()
    org_kinds: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()  # the actions' `programme`, as the dataset writes it

    def __post_init__(self) -> None:
        # Normalise so that equal filters hash equal whatever order the widgets gave.
        for name in [f.attr for f in FIELDS if f.kind in ("countries", "kinds", "programmes")]:
            object.__setattr__(self, name, tuple(sorted(set(getattr(self, name)))))
        for name, label in [(f.attr, f.label) for f in FIELDS if f.kind == "date"]:
            value = getattr(self, name)
            if value is not None:
                try:
                    parse_date(value)
                except DateError as exc:
                    raise DateError(f"{_(label)} '{value}' {exc}") from None
        if reversed_period(self.date_from, self.date_to):
            raise ValueError(
                _("the period ends ({end}) before it starts ({start})").format(end=self.date_to, start=self.date_from)
            )

    @property
    def window(self) -> tuple[date, date]:
        first = parse_date(self.date_from).first if self.date_from else date.min
        last = parse_date(self.date_to).last if self.date_to else FAR_FUTURE
        return first, last

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)

    def describe(self, name: Callable[[str], str] = country_name, period: str | None = None) -> str:
        """The filters in words, e.g. 'Poland and partners, 2014-2019, all kinds'; `period` says the period instead
        (a comparison of two periods)."""
        if not self.countries:
            where = _("All countries")
        else:
            names = listed([name(c) for c in self.countries])
            where = (_("{countries} only") if self.only_selected else _("{countries} and partners")).format(
                countries=names
            )
        when = period_words(self.date_from, self.date_to) if period is None else period
        kinds = [(_(TABLE_WORDS[f.table]), getattr(self, f.attr)) for f in KIND_FIELDS if f.table]
        narrowed = [f"{noun}: {', '.join(map(kind_label, chosen))}" for noun, chosen in kinds if chosen]
        programmes = [programme_words(self.programmes)] if self.programmes else []
        return ", ".join([where, when, *programmes, "; ".join(narrowed) if narrowed else _("all kinds")])

    def slug(self) -> str:
        """Short text for file names, e.g. 'PL-PT_2014-2019', or 'all_protocol-call' with kinds chosen."""
        parts = ["-".join(self.countries) + ("-only" if self.only_selected else "") if self.countries else "all"]
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or 'start'}-{self.date_to or 'end'}")
        kinds = [kind for f in KIND_FIELDS for kind in getattr(self, f.attr)]
        if kinds:  # two views differing only in kinds must not download under the same name
            parts.append("-".join(kinds))
        if self.programmes:  # nor two differing in programmes
            parts.append(programme_slug(self.programmes))
        return "_".join(parts)


def programme_words(programmes: Collection[str]) -> str:
    """`programmes: FP7, H2020` (the names as the dataset writes them)."""
    return _("programmes: {names}").format(names=", ".join(programmes))


def programme_slug(programmes: Collection[str]) -> str:
    """Programme names fit for a file name: `FP7-H2020`, `2014-2020-INTERREG-VB-Central-Europe`."""
    return "-".join(re.sub(r"[^A-Za-z0-9]+", "-", p).strip("-") or "programme" for p in programmes)


def unknown_programme(name: str, known: Collection[str]) -> str:
    """Why a programme cannot filter: `programme X (the dataset's programmes: FP7, H2020)`."""
    if not known:
        return _("programme {name} (no action of the dataset names its programme)").format(name=name)
    return _("programme {name} (the dataset's programmes: {known})").format(name=name, known=", ".join(known))


def _texts(raw: object) -> list[str]:
    """A written value as its non-empty texts: one text, or several (a repeated URL key or CLI option)."""
    texts = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, Iterable) else []
    return [str(text).strip() for text in texts if text is not None and str(text).strip()]


def _values(raw: object) -> list[str]:
    """Comma-separated texts as one list."""
    return [v.strip() for text in _texts(raw) for v in text.split(",") if v.strip()]


def _last(raw: object) -> str | None:
    """A single value: the last one written."""
    return (_texts(raw) or [None])[-1]


def parse(
    values: Mapping[str, object],
    countries: Collection[str] | None = None,
    programmes: Collection[str] | None = None,
) -> tuple[Filters, list[str]]:
    """Filters from written values keyed by Filters attribute (text, lists of text or booleans); what cannot apply
    (a malformed date, a reversed period, an unknown kind, a country not in `countries`, a programme not in
    `programmes`) is left out and named."""
    ignored: list[str] = []
    chosen: dict[str, object] = {}
    for f in FIELDS:
        raw = values.get(f.attr)
        if f.kind == "flag":
            chosen[f.attr] = raw is True or _last(raw) in ("1", "true", "yes")
        elif f.kind == "date":
            value = _last(raw)
            try:
                chosen[f.attr] = parse_date(value).text if value else None
            except DateError as exc:
                chosen[f.attr] = None
                ignored.append(f"{_(f.label)} {value} ({exc})")
        elif f.kind == "programmes":
            chosen[f.attr], refused = known_programmes(raw, programmes)
            ignored += refused
        else:
            wanted = _values(raw)
            if f.kind == "countries":
                wanted = [c.upper() for c in wanted]
                allowed: Collection[str] | None = countries
            else:
                allowed = f.choices()
            chosen[f.attr] = tuple(v for v in wanted if allowed is None or v in allowed)
            noun = _("country") if f.kind == "countries" else kind_label(f.url)
            ignored += [f"{noun} {v}" for v in dict.fromkeys(wanted) if allowed is not None and v not in allowed]
    first, last = chosen["date_from"], chosen["date_to"]
    if reversed_period(first, last):  # type: ignore[arg-type]
        ignored.append(_("period {start} to {end} (it ends before it starts)").format(start=first, end=last))
        chosen["date_from"] = chosen["date_to"] = None
    if chosen["only_selected"] and not chosen["countries"]:
        chosen["only_selected"] = False  # "only the selected countries" means nothing without countries
        ignored.append(_("only the selected countries (no country is selected)"))
    return Filters(**chosen), ignored  # type: ignore[arg-type]


def known_programmes(raw: object, programmes: Collection[str] | None) -> tuple[tuple[str, ...], list[str]]:
    """Programme names as written (each whole: a name may hold a comma, so several are a repeated key or option),
    those not among `programmes` (None: any) left out and named."""
    wanted = list(dict.fromkeys(_texts(raw)))
    if programmes is None:
        return tuple(wanted), []
    known = sorted(programmes)
    return tuple(p for p in wanted if p in programmes), [unknown_programme(p, known) for p in wanted if p not in known]


def from_query(
    params: Mapping[str, object],
    countries: Collection[str] | None = None,
    programmes: Collection[str] | None = None,
) -> tuple[Filters, list[str]]:
    """Filters from URL parameters (a repeated key counts as a comma-separated list, programmes as several names);
    see `parse`."""
    return parse({f.attr: params.get(f.url) for f in FIELDS}, countries, programmes)


def to_query(filters: Filters) -> dict[str, str | list[str]]:
    """The URL parameters of the filters; defaults are left out, so an unfiltered view has a bare URL. Programmes are
    a repeated key (a list), the other lists comma-separated."""
    out: dict[str, str | list[str]] = {}
    for f in FIELDS:
        value = getattr(filters, f.attr)
        if f.kind == "programmes":
            if value:
                out[f.url] = list(value)
        elif f.kind == "flag":
            if value:
                out[f.url] = "1"
        elif isinstance(value, tuple):
            if value:
                out[f.url] = ",".join(value)
        elif value:
            out[f.url] = str(value)
    return out


def to_widgets(filters: Filters) -> dict[str, object]:
    """The sidebar widgets' state for the filters, by widget key."""
    return {f.widget_key: list(v) if isinstance(v := getattr(filters, f.attr), tuple) else v for f in FIELDS}


def from_widgets(state: Mapping[str, object]) -> Filters:
    """Filters from the sidebar widgets' state (what `to_widgets` writes)."""
    return parse({f.attr: state.get(f.widget_key) for f in FIELDS})[0]


def add_options(parser: argparse.ArgumentParser, period: bool = True) -> None:
    """The filters as CLI options, one per field (without --from and --to if `period` is False: a command that
    takes its periods otherwise)."""
    for f in FIELDS:
        if f.kind == "date" and not period:
            continue
        if f.kind == "flag":
            parser.add_argument(f.option, dest=f.attr, action="store_true", help=f.help)
        elif f.kind == "date":
            parser.add_argument(f.option, dest=f.attr, help=f.help)
        else:
            parser.add_argument(f.option, dest=f.attr, action="append", default=[], help=f.help)


def from_options(
    args: argparse.Namespace, countries: Collection[str] | None = None, programmes: Collection[str] | None = None
) -> tuple[Filters, list[str]]:
    """Filters from parsed CLI options; see `parse`."""
    return parse({f.attr: getattr(args, f.attr, None) for f in FIELDS}, countries, programmes)


def programmes_of(data: Dataset) -> tuple[str, ...]:
    """The programmes the dataset's actions name, sorted; () when none does (the curated dataset)."""
    return tuple(str(p) for p in _programme_codes(data).labels)


def _programme_codes(data: Dataset) -> Codes:
    """Each item's programme as a code into the dataset's programmes (-1: an agreement, or an action naming none);
    made once per dataset, so a filter state is one mask."""

    def make() -> Codes:
        inc = data.incidence
        codes = np.full(len(inc.items), -1, dtype=np.int64)
        if "programme" not in data.actions.columns:
            return Codes(codes, np.zeros(0, dtype=object))
        found = column_codes(data.actions["programme"].astype(object).map(_stripped))
        start, stop = inc.spans["action"]
        codes[start:stop] = found.codes
        return Codes(codes, found.labels)

    return data.memo.get(("programme codes",), make)


def _stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


@dataclass(frozen=True)
class View:
    """The slice of a dataset the filters keep.

    `items` has one row per agreement or action kept (item, item_type, item_id, kind, first, last);
    `members` one row per organisation taking part (item, org_id, role); `organisations` the nodes,
    with `in_selection` False for partners outside the selected countries.
    """

    dataset: Dataset
    filters: Filters
    items: pd.DataFrame
    members: pd.DataFrame
    organisations: pd.DataFrame = field(repr=False)
    # The same rows by position in the dataset's arrays (Dataset.incidence): items, participations, organisations.
    item_rows: np.ndarray = field(repr=False)
    member_rows: np.ndarray = field(repr=False)
    org_rows: np.ndarray = field(repr=False)

    def rows_of(self, item_type: ItemTypeName) -> pd.DataFrame:
        """The dataset's rows of the agreements (or actions) kept."""
        table = self.dataset.tables[ITEM_TYPES[item_type].table]
        return table.take(self.dataset.incidence.table_rows(item_type, self.item_rows))

    @property
    def agreements(self) -> pd.DataFrame:
        return self.rows_of("agreement")

    @property
    def actions(self) -> pd.DataFrame:
        return self.rows_of("action")


def apply(data: Dataset, filters: Filters) -> View:
    """Apply the contract's filter semantics to a dataset: boolean masks over its arrays (analysis.incidence)."""
    inc = data.incidence
    first, last = filters.window
    keep = (inc.first <= last.toordinal()) & (inc.last >= first.toordinal())
    types, kinds = inc.items["item_type"].to_numpy(), inc.items["kind"].to_numpy()
    for item_type, chosen in (("agreement", filters.agreement_kinds), ("action", filters.action_kinds)):
        if chosen:
            keep &= (types != item_type) | np.isin(kinds, list(chosen))
    if filters.programmes:  # narrows actions only: agreements belong to no programme
        programme = _programme_codes(data)
        chosen = np.isin(programme.labels, list(filters.programmes))[programme.codes] & (programme.codes >= 0)
        keep &= (types != "action") | chosen
    taking_part = keep[inc.member_item]
    if filters.org_kinds:
        taking_part &= inc.rows_where("kind", filters.org_kinds)[inc.member_org]
    if filters.countries:
        selected = inc.rows_where("country", filters.countries)[inc.member_org]
        touching = np.zeros(len(keep), dtype=bool)
        touching[inc.member_item[taking_part & selected]] = True
        taking_part &= touching[inc.member_item]
        if filters.only_selected:
            taking_part &= selected
    if filters.org_kinds or filters.countries:
        # Organisation filters keep an item only while some organisation in view takes part in it.
        involved = np.zeros(len(keep), dtype=bool)
        involved[inc.member_item[taking_part]] = True
        keep &= involved
    item_rows = np.flatnonzero(keep)
    member_rows = np.flatnonzero(taking_part)
    org_rows = pd.unique(inc.member_org[member_rows])  # in order of first appearance
    in_view = inc.organisations.take(org_rows).reset_index(drop=True)
    in_view["in_selection"] = in_view["country"].isin(filters.countries) if filters.countries else True
    return View(
        data,
        filters,
        inc.items.take(item_rows).reset_index(drop=True),
        inc.members.take(member_rows).reset_index(drop=True),
        in_view,
        item_rows,
        member_rows,
        org_rows,
    )
