"""How numbers and codes are said in words, the same on every page, chart and export."""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    """`1 organisation`, `2,400 organisations`."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def listed(names: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def kind_label(kind: str) -> str:
    """A contract code as words: `trade_mission` -> `trade mission`."""
    return kind.replace("_", " ")


def counted(agreements: int, actions: int) -> str:
    """`1 agreement and 2 actions`."""
    return f"{plural(agreements, 'agreement')} and {plural(actions, 'action')}"
