"""How numbers and codes are said in words, the same on every page, chart and export, in the language spoken."""

from __future__ import annotations

from babel.lists import format_list

from analysis import i18n
from analysis.i18n import _, ngettext


def plural(count: int, one: str, many: str) -> str:
    """`plural(n, "{count} organisation", "{count} organisations")`: the form for `n`, its number written for the
    language (`2,400 organisations`, `2.400 organizzazioni`). Both forms are catalogue messages (keyword `plural`)."""
    return ngettext(one, many, count).format(count=i18n.integer(count))


def listed(names: list[str]) -> str:
    """`A`, `A and B`, `A, B and C` (`A, B e C` in Italian)."""
    return format_list(list(names), locale=i18n.babel_locale()) if names else ""


def kind_label(kind: str) -> str:
    """A contract code as words: `trade_mission` -> `trade mission` (`missione commerciale`); the contract's codes
    are catalogue messages (tests/test_i18n.py checks every one has its translation)."""
    return _(kind.replace("_", " "))


def counted(agreements: int, actions: int) -> str:
    """`1 agreement and 2 actions`."""
    return _("{agreements} and {actions}").format(
        agreements=plural(agreements, "{count} agreement", "{count} agreements"),
        actions=plural(actions, "{count} action", "{count} actions"),
    )
