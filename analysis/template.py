"""The upload template and the column guide, both generated from the contract (data/datapackage.json).

The validator reads the same contract, so the template, the guide and the checks cannot drift apart.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd

from analysis.schema import Field, Table, contract

TEMPLATE_FOLDER = "clusternet-template"
EXAMPLE_ROWS = 2

# How the guide names a column's kind of value; the contract's `clusternet:kind` first, then its type.
KIND_WORDS = {
    "slug": "identifier",
    "partial_date": "date",
    "country": "country code",
    "nuts2": "NUTS-2 code",
    "url": "web address",
    "language": "language code",
    "list": "list",
}
TYPE_WORDS = {"string": "text", "number": "number", "integer": "whole number", "boolean": "true or false"}
KIND_RULES = {
    "slug": "lower-case letters, digits and hyphens, starting with a letter or digit",
    "partial_date": "YYYY-MM-DD, YYYY-MM or YYYY (the precision is kept)",
    "country": "ISO 3166-1 alpha-2, upper case (IT, DE, GR, GB)",
    "nuts2": "NUTS 2021 level-2 code (ITF4, DE11)",
    "url": "a full http:// or https:// address",
    "language": "ISO 639-1 (it, en, de)",
    "list": "several values separated by semicolons",
}
GUIDE_COLUMNS = ["table", "column", "type", "required", "meaning", "rules", "example"]


def example_rows(table: Table) -> list[dict[str, str]]:
    """The table's example rows, read from each field's `clusternet:examples`."""
    return [{f.name: (f.examples[i] if i < len(f.examples) else "") for f in table.fields} for i in range(EXAMPLE_ROWS)]


def template_tables() -> dict[str, pd.DataFrame]:
    """Every contract table with its columns in order and the example rows, all as text."""
    tables = contract().items()
    return {name: pd.DataFrame(example_rows(t), columns=list(t.columns), dtype=object) for name, t in tables}


def _csv(frame: pd.DataFrame) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.itertuples(index=False))
    return out.getvalue().encode("utf-8-sig")  # the mark lets Excel open accents right; the loader accepts it


def template_zip() -> bytes:
    """A folder of the contract's CSV files, zipped: the shape of a dataset to fill in."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in template_tables().items():
            archive.writestr(f"{TEMPLATE_FOLDER}/{contract()[name].filename}", _csv(frame))
    return buffer.getvalue()


def _cell(f: Field, value: str) -> str | float | int:
    """Numbers go in as numbers, so Excel does not flag them; everything else as text, dates included."""
    if value and f.type == "integer":
        return int(value)
    if value and f.type == "number":
        return float(value)
    return value


def template_xlsx() -> bytes:
    """One sheet per table, named like its file without `.csv`; text is never turned into formulas."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        for name, table in contract().items():
            rows = [[_cell(f, row[f.name]) for f in table.fields] for row in example_rows(table)]
            frame = pd.DataFrame(rows, columns=list(table.columns), dtype=object)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for i, column in enumerate(table.columns):
                width = max(len(column), *(len(str(r[i])) for r in rows))
                sheet.set_column(i, i, min(width + 2, 60))
            sheet.freeze_panes(1, 0)
    return buffer.getvalue()


def _type(f: Field) -> str:
    if f.enum:
        return "one of a list"
    return KIND_WORDS.get(f.kind or "", TYPE_WORDS.get(f.type, f.type))


def _rules(table: Table, f: Field) -> str:
    """The checks the validator applies to this column, in words."""
    rules = []
    if f.enum:
        rules.append("one of: " + ", ".join(f.enum))
    elif f.kind in KIND_RULES:
        rules.append(KIND_RULES[f.kind])
    if f.minimum is not None or f.maximum is not None:
        low = "" if f.minimum is None else f"at least {f.minimum:g}"
        high = "" if f.maximum is None else f"at most {f.maximum:g}"
        rules.append(" and ".join(r for r in (low, high) if r))
    if table.primary_key == (f.name,):
        rules.append("unique in the table")
    elif f.name in table.primary_key:
        rules.append(" + ".join(table.primary_key) + " together unique")
    for fk in table.foreign_keys:
        if fk.column == f.name:
            rules.append(f"must be listed in {contract()[fk.table].filename} ({fk.ref_column})")
    if f.list_of:
        ref_table, ref_column = f.list_of
        rules.append(f"each must be listed in {contract()[ref_table].filename} ({ref_column})")
    for check in table.checks:
        rules += _check_rule(check, f.name)
    if f.extension:
        rules.append("optional extra column, kept as it is")
    return "; ".join(rules)


def _check_rule(check: dict, column: str) -> list[str]:
    kind = check["check"]
    if kind == "pair" and column in check["fields"]:
        return ["give " + " and ".join(check["fields"]) + " together, or neither"]
    if kind == "nuts_in_country" and column == check["field"]:
        return [f"must lie in {check['country_field']}"]
    if kind == "not_before" and column == check["field"]:
        return [f"not before {check['other']}"]
    if kind == "near_region" and column in check["fields"]:
        return [f"a warning if over {check['max_km']} km from the {check['region_field']} region"]
    return []


def guide() -> pd.DataFrame:
    """One row per column of every table: what it holds and the rules the validator checks."""
    rows = [
        {
            "table": table.filename,
            "column": f.name,
            "type": _type(f),
            "required": "yes" if f.required else "",
            "meaning": f.description,
            "rules": _rules(table, f),
            "example": f.example or (f.examples[0] if f.examples else ""),
        }
        for table in contract().values()
        for f in table.fields
    ]
    return pd.DataFrame(rows, columns=GUIDE_COLUMNS)


def tables_guide() -> pd.DataFrame:
    """One row per table: its file, whether it must be there, and what it holds."""
    return pd.DataFrame(
        [
            {"table": t.filename, "required": "yes" if t.required else "optional", "holds": t.description}
            for t in contract().values()
        ]
    )
