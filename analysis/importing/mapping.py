"""An importer's mapping in words: each registry of values and each rule per contract column, written once and
printed by `clusternet import ... --help` and the README."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Mapped:
    """A value as the source gives it, the contract value it becomes, and why when the contract has no exact match."""

    given: str
    contract: str
    why: str = ""


def pairs_text(registry: Sequence[Mapped]) -> str:
    """`coordinator lead, thirdParty participant (nearest: ...)`."""
    return ", ".join(f"{m.given} {m.contract}" + (f" ({m.why})" if m.why else "") for m in registry)


def mapping_words(rules: dict[str, tuple[tuple[str, str], ...]], drop_rule: str, width: int = 100) -> str:
    """Rules (a heading per table, then contract column -> where it comes from) and the rule on dropped rows,
    wrapped to `width`."""
    lines = []
    for heading, column_rules in rules.items():
        lines += textwrap.wrap(heading + ":", width, break_on_hyphens=False)
        for column, rule in column_rules:
            lines += textwrap.wrap(
                rule, width, initial_indent=f"  {column:<19} ", subsequent_indent=" " * 22, break_on_hyphens=False
            )
    lines += textwrap.wrap(drop_rule, width, break_on_hyphens=False)
    return "\n".join(lines)
