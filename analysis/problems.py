"""A problem found in a dataset: where it is, what is wrong and how to fix it.

A problem keeps its words as a catalogue message and the values that fill it (`Said`), and says them in the language
spoken when it is read (`message`, `line()`, the report), not when it was found: a dataset checked once (in the
upload's own process, or memoised) reads in English or Italian, whichever the page or the command speaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from analysis import i18n
from analysis.i18n import N_, _

Severity = Literal["error", "warning"]

# Problems of no contract table: where they are, in words (the contract's tables keep their names).
PLACES = {
    "dataset": N_("dataset"),
    "archive": N_("archive"),
    "workbook": N_("workbook"),
    "upload": N_("upload"),
    "import": N_("import"),
}
SEVERITIES = {"error": N_("error"), "warning": N_("warning")}


@dataclass(frozen=True)
class Number:
    """A number said in the language spoken: `1,234` / `1.234` (`places` decimals: `1,234.5` / `1.234,5`)."""

    value: float
    places: int = 0

    def __str__(self) -> str:
        return i18n.integer(int(self.value)) if self.places == 0 else i18n.decimal(self.value, self.places)


@dataclass(frozen=True)
class Said:
    """Words said later: a catalogue message (its English text, with `{name}` placeholders) and the values that
    fill them. A value is said as `str()` says it: another `Said` or a `Number` in the language spoken then."""

    text: str
    values: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        if not self.values:  # a message without placeholders may hold braces of its own
            return _(self.text)
        return _(self.text).format(**{name: str(value) for name, value in self.values})


def said(text: str, **values: Any) -> Said:
    """`said(N_("{column} is required"), column="kind")`: a message and its values, put into words when read."""
    return Said(text, tuple(values.items()))


@dataclass(frozen=True)
class Problem:
    """One finding; `row` is the spreadsheet row (header = row 1), None for the whole table."""

    table: str
    row: int | None
    column: str | None
    value: str | Said | None
    said: Said
    severity: Severity = "error"

    @property
    def blocking(self) -> bool:
        return self.severity == "error"

    @property
    def message(self) -> str:
        """What is wrong and how to fix it, in the language spoken now."""
        return str(self.said)

    @property
    def place(self) -> str:
        """The table's name, or where a problem of no table is (dataset, archive, ...), in words."""
        return _(PLACES[self.table]) if self.table in PLACES else self.table

    @property
    def shown_value(self) -> str | None:
        return None if self.value is None else str(self.value)

    def line(self) -> str:
        """`table:row:column: message [value]`, the CLI's one-line form."""
        row = "" if self.row is None else str(self.row)
        text = f"{self.place}:{row}:{self.column or ''}: {self.message}"
        return text if self.shown_value in (None, "") else f"{text} [{self.shown_value}]"

    def as_dict(self) -> dict[str, Any]:
        """The problem as the JSON report and the problems' CSV give it: the message in the language spoken; the
        table (or place), the severity and the column as codes."""
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "value": self.shown_value,
            "message": self.message,
            "severity": self.severity,
        }


def _said(message: str | Said) -> Said:
    return message if isinstance(message, Said) else Said(message)


def _value(value: Any) -> str | Said | None:
    return None if value is None else value if isinstance(value, Said) else str(value)


def error(table: str, row: int | None, column: str | None, value: Any, message: str | Said) -> Problem:
    return Problem(table, row, column, _value(value), _said(message), "error")


def warning(table: str, row: int | None, column: str | None, value: Any, message: str | Said) -> Problem:
    return Problem(table, row, column, _value(value), _said(message), "warning")
