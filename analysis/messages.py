"""The catalogue's upkeep: every message the code says (Babel's extractor), and which lack a translation.

`python -m analysis.messages missing it` prints the missing ones as a `.po` to translate and add to
`analysis/locale/it/LC_MESSAGES/`; tests/test_i18n.py fails while any is missing.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from analysis import i18n
from analysis.schema import contract

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("analysis", "charts", "dashboard")
# `_`, `ngettext` and the rest as gettext knows them, `N_` for messages said later, and analysis.words' `plural`
# (its second and third arguments are the singular and the plural).
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "plural": (2, 3)}
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_]*)[^{}]*\}")


@dataclass(frozen=True)
class Message:
    """One message of the code: its English text (and plural), and where it is said."""

    id: str
    plural: str | None
    where: str


def kind_messages() -> list[Message]:
    """The contract's kinds as words (analysis.words.kind_label says them through the catalogue)."""
    kinds = {
        value
        for table in contract().values()
        for column in table.fields
        if column.name == "kind" or column.name.endswith("_kind")
        for value in column.enum
    }
    return [Message(kind.replace("_", " "), None, "datapackage.json") for kind in sorted(kinds)]


def contract_messages() -> list[Message]:
    """The contract's words the analyst reads, as analysis.template says them through the catalogue: what each table
    holds, what each column means, and the examples written as phrases (the upload guide and the template)."""
    from analysis.template import contract_texts  # the rule of what is said lives with the code that says it

    return [Message(text, None, "datapackage.json") for text in contract_texts()]


def extracted() -> list[Message]:
    """Every message the code says, in code order, once each."""
    seen: dict[str, Message] = {}
    for package in PACKAGES:
        for path, line, text, _comments, _context in extract_from_dir(
            ROOT / package, [("**.py", "python")], keywords=KEYWORDS
        ):
            one, many = (text[0], text[1]) if isinstance(text, tuple) else (text, None)
            if one and one not in seen:
                seen[one] = Message(one, many, f"{package}/{path}:{line}")
    for message in [*kind_messages(), *contract_messages()]:
        seen.setdefault(message.id, message)
    return list(seen.values())


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a message (the translation must keep the same ones)."""
    return set(PLACEHOLDER.findall(text))


def missing(code: str) -> list[Message]:
    """The messages without a translation in `code`'s catalogue."""
    catalogue = i18n.catalogue(code)
    out = []
    for message in extracted():
        entry = catalogue.get(message.id)
        strings = entry.string if entry is not None else ""
        forms = list(strings) if isinstance(strings, tuple) else [strings]
        if entry is None or entry.fuzzy or not all(forms):
            out.append(message)
    return out


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def as_po(messages: list[Message]) -> str:
    """Messages as `.po` entries with empty translations."""
    entries = []
    for m in messages:
        if m.plural is None:
            entries.append(f'#: {m.where}\nmsgid {_quote(m.id)}\nmsgstr ""\n')
        else:
            entries.append(
                f'#: {m.where}\nmsgid {_quote(m.id)}\nmsgid_plural {_quote(m.plural)}\nmsgstr[0] ""\nmsgstr[1] ""\n'
            )
    return "\n".join(entries)


if __name__ == "__main__":
    args = sys.argv[1:] or ["missing"]
    command, code = args[0], (args[1:] or ["it"])[0]
    if command != "missing":
        sys.exit("usage: python -m analysis.messages missing [LANGUAGE]")
    print(as_po(missing(code)))
