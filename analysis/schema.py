"""The data contract, read once from data/datapackage.json (the single source of truth)."""

from __future__ import annotations

import importlib.resources
import importlib.util
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any


def _data_dir() -> Path:
    """Where the curated data is: in a checkout, the data/ folder beside analysis/ (whatever else is installed);
    installed from a wheel, the package clusternet_data that pyproject.toml makes of that folder."""
    beside = Path(__file__).resolve().parent.parent / "data"
    if (beside / "datapackage.json").is_file() or importlib.util.find_spec("clusternet_data") is None:
        return beside
    return Path(str(importlib.resources.files("clusternet_data"))).resolve()


DATA_DIR = _data_dir()
DATAPACKAGE = DATA_DIR / "datapackage.json"


@dataclass(frozen=True)
class Field:
    """One column of a table, as the contract defines it."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    kind: str | None = None  # slug, partial_date, country, nuts2, url, language, list
    list_of: tuple[str, str] | None = None  # (table, column) each list item refers to
    extension: bool = False
    example: str = ""  # how the guide shows a value
    examples: tuple[str, ...] = ()  # the template's example rows, valid against the contract


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    ref_column: str


@dataclass(frozen=True)
class Table:
    """One table of the contract: its columns, keys and cross-column checks."""

    name: str
    filename: str
    title: str
    description: str
    required: bool
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    checks: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _field(spec: dict[str, Any]) -> Field:
    cons = spec.get("constraints", {})
    list_of = spec.get("clusternet:list_of")
    return Field(
        name=spec["name"],
        type=spec.get("type", "string"),
        description=spec.get("description", ""),
        required=bool(cons.get("required", False)),
        enum=tuple(cons.get("enum", ())),
        pattern=cons.get("pattern"),
        minimum=cons.get("minimum"),
        maximum=cons.get("maximum"),
        kind=spec.get("clusternet:kind"),
        list_of=(list_of["resource"], list_of["field"]) if list_of else None,
        extension=bool(spec.get("clusternet:extension", False)),
        example=str(spec.get("example", "")),
        examples=tuple(str(v) for v in spec.get("clusternet:examples", ())),
    )


def _table(res: dict[str, Any]) -> Table:
    schema = res["schema"]
    pk = schema.get("primaryKey", [])
    fks = tuple(
        ForeignKey(fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
        for fk in schema.get("foreignKeys", [])
    )
    return Table(
        name=res["name"],
        filename=res["path"],
        title=res.get("title", res["name"]),
        description=res.get("description", ""),
        required=bool(res.get("clusternet:required", True)),
        fields=tuple(_field(f) for f in schema["fields"]),
        primary_key=tuple([pk] if isinstance(pk, str) else pk),
        foreign_keys=fks,
        checks=tuple(schema.get("clusternet:checks", ())),
    )


# Tables of the contract that the curated data has no file for (countries). A Frictionless package must have a file
# (or data) behind every resource, so these are described under this key instead, in the same form.
OPTIONAL_RESOURCES = "clusternet:optional_resources"


@cache
def contract() -> dict[str, Table]:
    """The contract's tables by name: the datapackage's resources in order, then its optional resources."""
    package = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
    return {res["name"]: _table(res) for res in [*package["resources"], *package.get(OPTIONAL_RESOURCES, [])]}
