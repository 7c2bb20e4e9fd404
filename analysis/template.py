"""The upload template and the column guide, both generated from the contract (data/datapackage.json).

The validator reads the same contract, so the template, the guide and the checks cannot drift apart. The contract's
words (what a table holds, what a column means, the examples written as phrases) are catalogue messages
(`contract_texts`, which analysis.messages extracts): the guide and the template say them in the language spoken;
the table, file and column names and the codes stay the contract's.
"""

from __future__ import annotations

import csv
import io
import textwrap
import zipfile

import pandas as pd

from analysis.i18n import N_, _
from analysis.schema import Field, Table, contract

TEMPLATE_FOLDER = "clusternet-template"
README = "README.txt"  # the template's instructions, beside its CSV files
EXAMPLE_ROWS = 2

# How the guide names a column's kind of value; the contract's `clusternet:kind` first, then its type.
KIND_WORDS = {
    "slug": N_("identifier"),
    "partial_date": N_("date"),
    "country": N_("country code"),
    "nuts2": N_("NUTS-2 code"),
    "url": N_("web address"),
    "language": N_("language code"),
    "list": N_("list"),
}
TYPE_WORDS = {
    "string": N_("text"),
    "number": N_("number"),
    "integer": N_("whole number"),
    "boolean": N_("true or false"),
}
KIND_RULES = {
    "slug": N_("lower-case letters, digits and hyphens, starting with a letter or digit"),
    "partial_date": N_("YYYY-MM-DD, YYYY-MM or YYYY (the precision is kept)"),
    "country": N_("ISO 3166-1 alpha-2, upper case (IT, DE, GR, GB)"),
    "nuts2": N_("NUTS 2021 level-2 code (ITF4, DE11)"),
    "url": N_("a full http:// or https:// address"),
    "language": N_("ISO 639-1 (it, en, de)"),
    "list": N_("several values separated by semicolons"),
}
GUIDE_COLUMNS = ["table", "column", "type", "required", "meaning", "rules", "example"]


def is_phrase(value: str) -> bool:
    """An example written in words (`Example Creative Cluster`, `2020-03-15, 2020-03 or 2020`), which the template
    and the guide say in the language spoken; single values (ids, codes, numbers, places, addresses) stay as given."""
    return " " in value.strip() and "://" not in value


def contract_texts() -> list[str]:
    """The contract's words this module says through the catalogue, in the contract's order: each table's
    description, each column's description, and its examples written as phrases."""
    texts: list[str] = []
    for table in contract().values():
        texts.append(table.description)
        for f in table.fields:
            texts += [f.description, *(v for v in (f.example, *f.examples) if is_phrase(v))]
    return [t for t in dict.fromkeys(texts) if t]


def _said(value: str) -> str:
    """An example value: a phrase in the language spoken, anything else as the contract gives it."""
    return _(value) if is_phrase(value) else value


def example_rows(table: Table) -> list[dict[str, str]]:
    """The table's example rows, read from each field's `clusternet:examples`."""
    return [
        {f.name: (_said(f.examples[i]) if i < len(f.examples) else "") for f in table.fields}
        for i in range(EXAMPLE_ROWS)
    ]


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
    """A folder of the contract's CSV files, zipped: the shape of a dataset to fill in, with its instructions
    (README.txt, in the language spoken; the loader reads only the CSV files)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{TEMPLATE_FOLDER}/{README}", instructions().encode("utf-8-sig"))
        for name, frame in template_tables().items():
            archive.writestr(f"{TEMPLATE_FOLDER}/{contract()[name].filename}", _csv(frame))
    return buffer.getvalue()


def _column_note(table: Table, f: Field) -> str:
    """What a column holds and the rules it is checked by, in words."""
    head = _("{column} ({type}, required)") if f.required else _("{column} ({type})")
    lines = [head.format(column=f.name, type=_type(f)) + (f": {_(f.description)}" if f.description else "")]
    if rules := _rules(table, f):
        lines.append(_("rules: {rules}").format(rules=rules))
    if example := _said(f.example or (f.examples[0] if f.examples else "")):
        lines.append(_("example: {example}").format(example=example))
    return "\n".join(lines)


def instructions() -> str:
    """The template's instructions (README.txt of the .zip): how to fill it in, then every table and column with
    what it holds and its rules, generated from the contract like the column guide."""
    out = [
        _("ClusterNet: the dataset template"),
        "",
        textwrap.fill(
            _(
                "Each CSV file of this folder is a table of the data contract, with its column names on row 1 and "
                "two example rows that pass validation. Replace the example rows with your own; keep the file names "
                "and the column names. Save the files as CSV UTF-8, comma-separated."
            ),
            100,
        ),
        "",
        textwrap.fill(
            _(
                "Then upload the folder as a .zip (or the CSV files) on the Data page of ClusterNet, or check it "
                "first with: clusternet validate FOLDER"
            ),
            100,
        ),
    ]
    for table in contract().values():
        label = _("{file} (required)") if table.required else _("{file} (optional)")
        out += ["", label.format(file=table.filename) + (f": {_(table.description)}" if table.description else "")]
        for f in table.fields:
            first, *more = _column_note(table, f).split("\n")
            out += [f"  - {first}", *(f"      {line}" for line in more)]
    return "\n".join(out) + "\n"


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
            for i, f in enumerate(table.fields):  # each header cell says, as a note, what the column holds
                sheet.write_comment(0, i, _column_note(table, f), {"x_scale": 3, "y_scale": 2})
    return buffer.getvalue()


def _type(f: Field) -> str:
    if f.enum:
        return _("one of a list")
    words = KIND_WORDS.get(f.kind or "") or TYPE_WORDS.get(f.type)
    return _(words) if words else f.type


def _bounds(f: Field) -> str:
    """The bounds as the file writes them (a dot for decimals, whatever the language)."""
    low = None if f.minimum is None else f"{f.minimum:g}"
    high = None if f.maximum is None else f"{f.maximum:g}"
    if low is not None and high is not None:
        return _("at least {minimum} and at most {maximum}").format(minimum=low, maximum=high)
    if low is not None:
        return _("at least {minimum}").format(minimum=low)
    return _("at most {maximum}").format(maximum=high)


def _rules(table: Table, f: Field) -> str:
    """The checks the validator applies to this column, in words."""
    rules = []
    if f.enum:
        rules.append(_("one of: {values}").format(values=", ".join(f.enum)))
    elif f.kind in KIND_RULES:
        rules.append(_(KIND_RULES[f.kind]))
    if f.minimum is not None or f.maximum is not None:
        rules.append(_bounds(f))
    if table.primary_key == (f.name,):
        rules.append(_("unique in the table"))
    elif f.name in table.primary_key:
        rules.append(_("{columns} together unique").format(columns=" + ".join(table.primary_key)))
    for fk in table.foreign_keys:
        if fk.column == f.name:
            rules.append(
                _("must be listed in {file} ({column})").format(
                    file=contract()[fk.table].filename, column=fk.ref_column
                )
            )
    if f.list_of:
        ref_table, ref_column = f.list_of
        rules.append(
            _("each must be listed in {file} ({column})").format(file=contract()[ref_table].filename, column=ref_column)
        )
    for check in table.checks:
        rules += _check_rule(check, f.name)
    if f.extension:
        rules.append(_("optional extra column, kept as it is"))
    return "; ".join(rules)


def _check_rule(check: dict, column: str) -> list[str]:
    kind = check["check"]
    if kind == "pair" and column in check["fields"]:
        first, second = check["fields"]
        return [_("give {first} and {second} together, or neither").format(first=first, second=second)]
    if kind == "nuts_in_country" and column == check["field"]:
        return [_("must lie in {column}").format(column=check["country_field"])]
    if kind == "not_before" and column == check["field"]:
        return [_("not before {column}").format(column=check["other"])]
    if kind == "near_region" and column in check["fields"]:
        return [
            _("a warning if over {km} km from the {column} region").format(
                km=check["max_km"], column=check["region_field"]
            )
        ]
    return []


def guide() -> pd.DataFrame:
    """One row per column of every table: what it holds and the rules the validator checks."""
    rows = [
        {
            "table": table.filename,
            "column": f.name,
            "type": _type(f),
            "required": _("yes") if f.required else "",
            "meaning": _(f.description) if f.description else "",
            "rules": _rules(table, f),
            "example": _said(f.example or (f.examples[0] if f.examples else "")),
        }
        for table in contract().values()
        for f in table.fields
    ]
    return pd.DataFrame(rows, columns=GUIDE_COLUMNS)


def tables_guide() -> pd.DataFrame:
    """One row per table: its file, whether it must be there, and what it holds."""
    return pd.DataFrame(
        [
            {
                "table": t.filename,
                "required": _("yes") if t.required else _("optional"),
                "holds": _(t.description) if t.description else "",
            }
            for t in contract().values()
        ]
    )
