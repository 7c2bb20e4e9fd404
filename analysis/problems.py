"""A problem found in a dataset: where it is, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding; `row` is the spreadsheet row (header = row 1), None for the whole table."""

    table: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: Severity = "error"

    @property
    def blocking(self) -> bool:
        return self.severity == "error"

    def line(self) -> str:
        """`table:row:column: message [value]`, the CLI's one-line form."""
        row = "" if self.row is None else str(self.row)
        text = f"{self.table}:{row}:{self.column or ''}: {self.message}"
        return text if self.value in (None, "") else f"{text} [{self.value}]"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def error(table: str, row: int | None, column: str | None, value: Any, message: str) -> Problem:
    return Problem(table, row, column, None if value is None else str(value), message, "error")


def warning(table: str, row: int | None, column: str | None, value: Any, message: str) -> Problem:
    return Problem(table, row, column, None if value is None else str(value), message, "warning")
