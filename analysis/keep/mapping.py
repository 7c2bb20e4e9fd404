"""keep.eu's mapping, each table defined once: the two exports' layouts (their columns named as the conversion reads
them), the registry of organisation types, and the rules per contract column that `clusternet import keep --help`
and the README print."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.i18n import _
from analysis.importing.mapping import Mapped, mapping_words, pairs_text
from analysis.importing.read import Formats, Layout
from analysis.reference import NUTS_TO_ISO

SOURCE = "keep.eu"
PUBLISHER = "Interact, keep.eu"
HOME = "https://keep.eu/"
BUDGET_COLUMN = "Project's EU funding"
PIC = r"[0-9]{9}"  # a Participant Identification Code


# --- The mapping, each table defined once: the code reads these, and so do `--help` and the README. ---


KINDS = (
    Mapped("Local public authority", "public_authority"),
    Mapped("Regional public authority", "public_authority"),
    Mapped("National public authority", "public_authority"),
    Mapped("Sectoral agency", "agency"),
    Mapped("Higher education and research organisations", "university", "nearest: research centres are in it too"),
    Mapped("Education/training centre and school", "other"),
    Mapped("Enterprise, except SME", "company"),
    Mapped("Large enterprise", "company"),
    Mapped("SME", "company"),
    Mapped("Business support organisation", "agency", "nearest: chambers, development agencies, clusters"),
    Mapped("Interest groups including NGOs", "association", "nearest"),
    Mapped("Infrastructure and (public) service provider", "other"),
    Mapped("International organisation, EEIG under national law", "other"),
    Mapped("EGTC", "other"),
    Mapped("General public", "other"),
    Mapped("Hospitals and medical centres", "other"),
)
KIND_UNKNOWN = "other"  # an empty or unknown type, and the older export's legal status (public, private); counted
LEAD_WORDS = {"yes": "lead", "no": "partner"}
ROLE_RANK = ("lead", "partner")

# The columns read, named as this module reads them: the two exports name the same things apart.
PROJECT_COLUMNS = (
    *("programme", "acronym", "project_id", "title", "period", "start", "end", "budget", "eu_funding", "erdf"),
    *("theme1", "theme2", "theme3"),
)
PARTNER_COLUMNS = (
    *("programme", "acronym", "project_id", "name", "lead", "country_code", "country_name", "town", "kind_text"),
    *("legal_status", "nuts", "pic", "total", "erdf", "cofinancing"),
)


def _layout(kind: str, required: dict[str, str], optional: dict[str, str], lenient: bool = False) -> Layout:
    """A keep.eu layout from its columns, each with the name this module reads it by: written once."""
    return Layout(kind, tuple(required), tuple(optional), {**required, **optional}, lenient)


SEARCH_PROJECTS = _layout(
    "project",
    {"Programme": "programme", "Project acronym": "acronym", "Project name in English": "title"},
    {
        "Project ID (2021-2027 only)": "project_id",
        "Period": "period",
        "Project start": "start",
        "Project end": "end",
        "Project's total budget / expenditure": "budget",
        BUDGET_COLUMN: "eu_funding",
        "Theme 1": "theme1",
        "Theme 2": "theme2",
        "Theme 3": "theme3",
    },
)
SEARCH_PARTNERS = _layout(
    "partner",
    {"Programme": "programme", "Project acronym": "acronym", "Organisation in English": "name"},
    {
        "Project ID (2021-2027 only)": "project_id",
        "Lead partner": "lead",
        "Country code": "country_code",
        "Town": "town",
        "Type of Organisation": "kind_text",
        "NUTS2 code (or equivalent)": "nuts",
        "Participant Identification Code": "pic",
        "Partner's total eligible budget / expenditure": "total",
        "ERDF contribution (2014-2020 only)": "erdf",
        "Partner's programme co-financing (EUR) (2021-2027 only)": "cofinancing",
    },
    lenient=True,
)
PERIOD_PROJECTS = _layout(
    "project",
    {"Programme": "programme", "Acronym": "acronym", "Project Name": "title"},
    {
        "Period": "period",
        "Project start": "start",
        "Project end": "end",
        "Budget": "budget",
        "EU Funding": "eu_funding",
        "ERDF budget": "erdf",
        "Thematic1": "theme1",
        "Thematic2": "theme2",
        "Thematic3": "theme3",
    },
)
PERIOD_PARTNERS = _layout(
    "partner",
    {"Programme": "programme", "Acronym": "acronym", "Project Partner": "name", "Lead Partner": "lead"},
    {
        "Town": "town",
        "Country": "country_name",
        "Country code": "country_code",
        "Legal Status": "legal_status",
        "NUTS2 (or equivalent)": "nuts",
    },
    lenient=True,
)
LAYOUTS = (SEARCH_PROJECTS, SEARCH_PARTNERS, PERIOD_PROJECTS, PERIOD_PARTNERS)


def _rules() -> dict[str, tuple[tuple[str, str], ...]]:
    """Contract column -> where it comes from, per table, in words. Columns as the search export names them, the
    older export's name after a slash where it differs."""
    return {
        "Each project (a row of the projects sheet: Search results, projects / Projects (lead partners)) becomes an "
        "action": (
            (
                "action_id",
                "keep-<acronym>-<8 hex digits of programme and project>; a project is its Programme and Project ID "
                "(2021-2027 only), else its Programme and Project acronym / Acronym (an acronym is unique only "
                "within its programme); a project listed again (once per lead-partner row) keeps its first row",
            ),
            ("title", "'<acronym>: <Project name in English / Project Name>'"),
            ("kind", "project"),
            (
                "start, end",
                "Project start, Project end (2015/10/27, 2015-10-27, 27/10/2015 or a spreadsheet date); a project "
                "without a readable start is dropped; an end missing, unreadable or before the start leaves end empty",
            ),
            (
                "status",
                "by its dates on the day of the import (or --as-of): planned, ongoing or completed; empty for a "
                "started project without an end",
            ),
            (
                "budget_eur",
                f"{BUDGET_COLUMN} / EU Funding, the programme's contribution (the contract's budget of a grant); "
                "thousands separators are read (892,228.58)",
            ),
            ("programme", "Programme, as written (2014 - 2020 INTERREG VB Central Europe)"),
            ("participants_count", "the distinct organisations the partners list for the project"),
            ("summary", "programme, period, themes, total budget (Project's total budget / Budget) and ERDF budget"),
            ("source_ids", "the projects file"),
        ),
        "Each partner's organisation (one org_id however many projects) becomes an organisation": (
            (
                "org_id",
                "<name>-<PIC> where a Participant Identification Code is given; else <name>-<country>-<8 hex digits> "
                "of its name, country and town, compared with accents, case and punctuation ignored; a partner "
                "without a PIC whose name, country and town match one organisation with a PIC is that organisation. "
                "The report lists the spellings merged, and organisations of the same name and country in another "
                "town, left apart",
            ),
            ("name", "Organisation in English / Project Partner, as first written"),
            (
                "kind",
                f"from Type of Organisation: {pairs_text(KINDS)}; empty or any other, and the older export's Legal "
                f"Status (public, private: not a kind): {KIND_UNKNOWN} (counted)",
            ),
            (
                "country",
                "the two letters before the name in Country code (DE Germany / DEUTSCHLAND, or DE), as ISO 3166-1: "
                + ", ".join(f"{n} read as {i}" for n, i in NUTS_TO_ISO.items())
                + "; where empty, the Country name (as other rows of the file name it, else ISO's English names); "
                "a partner without an ISO country is dropped",
            ),
            (
                "nuts2",
                "NUTS2 code (or equivalent) / NUTS2 (or equivalent), its label dropped (DEG0  / Thüringen: DEG0), "
                "when a NUTS 2021 level-2 code of the organisation's country; a code of an older NUTS version whose "
                "label names a NUTS 2021 region of the country is that region (FR82  / Corse: FRM0, counted); else "
                "empty (counted); a partner outside NUTS keeps its country",
            ),
            ("city", "Town, as written"),
            ("website", "empty: keep.eu's partner Website is often the programme's site"),
            ("source_ids", "the partners file"),
        ),
        "Each partner row becomes a participation of action_participants.csv": (
            (
                "action_id, org_id",
                "its project (Programme and Project ID, else Programme and acronym) and its organisation; an "
                "organisation listed twice in a project becomes one participation with the leading role and the "
                "amounts of its rows summed (the same row again, as in the workbook and the partnership CSV, counts "
                "once)",
            ),
            ("role", "Lead partner / Lead Partner: Yes lead, No partner; empty or any other: partner (counted)"),
            (
                "contribution_eur",
                "ERDF contribution (2014-2020 only), else Partner's programme co-financing (EUR) (2021-2027 only); "
                "the older export has none: empty; unreadable or negative: empty (counted), never 0",
            ),
            ("cost_eur", "Partner's total eligible budget / expenditure; unreadable or negative: empty (counted)"),
            ("notes", "Lead partner as written"),
            ("source_ids", "the partners file"),
        ),
        "Sources (sources.csv)": (("the files", "one source per file imported (keep.eu, https://keep.eu/)"),),
    }


DROP_RULE = (
    "Rows that cannot be mapped are dropped and counted, never guessed: a project row without a programme, without "
    "an acronym and a project id, or without a readable start, or repeating a project; a partner row without a "
    "programme, an acronym or project id, or an organisation name, whose project is not in the projects sheet (or "
    "was dropped), or whose organisation has no ISO country. agreements.csv and agreement_parties.csv stay empty: "
    "keep.eu lists projects, not agreements."
)


def mapping_text(width: int = 100) -> str:
    """The whole mapping in words: printed by `clusternet import keep --help` and quoted in the README."""
    return mapping_words(_rules(), DROP_RULE, width)


def _not_recognised(header: Sequence[str]) -> str:
    return _(
        "not a keep.eu projects or partners sheet (a projects sheet has {projects}, or {period_projects}; a partners "
        "sheet has {partners}, or {period_partners})"
    ).format(
        projects=", ".join(SEARCH_PROJECTS.required),
        period_projects=", ".join(PERIOD_PROJECTS.required),
        partners=", ".join(SEARCH_PARTNERS.required),
        period_partners=", ".join(PERIOD_PARTNERS.required),
    )


FORMATS = Formats(SOURCE, LAYOUTS, _not_recognised)
