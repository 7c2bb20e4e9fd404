"""Narrowing at import: which projects to keep, from the command line's words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.dates import DateError, parse_date
from analysis.i18n import _
from analysis.reference import NUTS_TO_ISO, is_country


@dataclass(frozen=True)
class Narrowing:
    """Which projects to import: programmes, topic prefixes, participants' countries, a period of project starts."""

    programmes: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    start_from: str = ""
    start_to: str = ""

    def words(self) -> tuple[str, ...]:
        out = []
        if self.programmes:
            out.append(_("programme {names}").format(names=", ".join(self.programmes)))
        if self.topics:
            out.append(_("topic starting with {names}").format(names=", ".join(self.topics)))
        if self.countries:
            out.append(_("a participant in {names}").format(names=", ".join(self.countries)))
        if self.start_from or self.start_to:
            out.append(_("starting {start} to {end}").format(start=self.start_from or "…", end=self.start_to or "…"))
        return tuple(out)


EVERYTHING = Narrowing()  # no narrowing


def narrowing(
    programmes: Sequence[str] = (),
    topics: Sequence[str] = (),
    countries: Sequence[str] = (),
    start_from: str | None = None,
    start_to: str | None = None,
) -> tuple[Narrowing, list[str]]:
    """Narrowing from the command line's words (lists may be comma-separated), and what cannot be used."""

    def items(values: Sequence[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.strip() for value in values for v in value.split(",") if v.strip()))

    refused = []
    codes = []
    for code in items(countries):
        iso = NUTS_TO_ISO.get(code.upper(), code.upper())
        if is_country(iso):
            codes.append(iso)
        else:
            refused.append(_("--country {code} (not an ISO 3166-1 alpha-2 code)").format(code=code))
    bounds = []
    for option, value in (("--from", start_from), ("--to", start_to)):
        try:
            bounds.append(parse_date(value) if value else None)
        except DateError as exc:
            refused.append(f"{option} {value} ({exc})")
            bounds.append(None)
    first, last = bounds
    if first and last and last.last < first.first:
        refused.append(_("--to {end} is before --from {start}").format(end=start_to, start=start_from))
    chosen = Narrowing(
        tuple(p.upper() for p in items(programmes)),
        tuple(t.upper() for t in items(topics)),
        tuple(codes),
        first.first.isoformat() if first else "",
        last.last.isoformat() if last else "",
    )
    return chosen, refused
