"""CORDIS's mapping, each table defined once: its files' layouts, the registries of roles, kinds and statuses, and
the rules per contract column that `clusternet import cordis --help` and the README print."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.i18n import _
from analysis.importing.mapping import Mapped, mapping_words, pairs_text
from analysis.importing.read import Formats, Layout
from analysis.reference import NUTS_TO_ISO

PROJECT_PAGE = "https://cordis.europa.eu/project/id/"
PUBLISHER = "European Commission, CORDIS"
SOURCE = "CORDIS"
BUDGET_COLUMN = "ecMaxContribution"
# A participation's money in organization.csv: the EU contribution net of what the participant passes on to its third
# parties (which have rows of their own, so net amounts add up without double counting), the contribution before
# that, and the participant's own eligible cost.
NET_COLUMN = "netEcContribution"
GROSS_COLUMN = "ecContribution"
COST_COLUMN = "totalCost"

# --- The mapping, each table defined once: the code reads these, and so do `--help` and the README. ---


ROLES = (
    Mapped("coordinator", "lead"),
    Mapped("participant", "partner"),
    Mapped("beneficiary", "partner"),
    Mapped("associatedPartner", "participant", "nearest: takes part without signing the grant agreement"),
    Mapped("thirdParty", "participant", "nearest: an affiliated entity or third party, taking part via a beneficiary"),
    Mapped("internationalPartner", "participant", "nearest: a partner from a third country, outside the grant"),
    Mapped("partner", "participant", "nearest: a partner organisation that is not a beneficiary"),
)
# A (project, organisation) pair listed twice keeps the first of these roles it has.
ROLE_RANK = ("lead", "partner", "participant")

KINDS = (
    Mapped("HES", "university", "higher or secondary education"),
    Mapped("REC", "research_centre", "research organisation"),
    Mapped("PRC", "company", "private for-profit entity"),
    Mapped("PUB", "public_authority", "public body"),
    Mapped("OTH", "other"),
)
KIND_UNKNOWN = "other"  # an empty or unknown activityType; counted

STATUSES = (
    Mapped("CLOSED", "completed"),
    Mapped("TERMINATED", "cancelled"),
    Mapped("SIGNED", "planned/ongoing/completed", "by its dates on the day of the import, or --as-of"),
)

PROGRAMMES = {"HORIZON": "Horizon Europe", "H2020": "Horizon 2020", "FP7": "FP7"}


PROJECTS = Layout(
    "project",
    ("id", "acronym", "title", "startDate", "endDate"),
    (
        "status",
        "frameworkProgramme",
        "topics",
        "legalBasis",
        "fundingScheme",
        BUDGET_COLUMN,
        "totalCost",
        "contentUpdateDate",
    ),
)
PARTICIPANTS = Layout(
    "organization",
    ("projectID", "organisationID", "name", "country"),
    (
        *("role", "activityType", "city", "nutsCode", "geolocation", "organizationURL", "contentUpdateDate"),
        *(NET_COLUMN, GROSS_COLUMN, COST_COLUMN),
    ),
)
LAYOUTS = (PROJECTS, PARTICIPANTS)


def _rules() -> dict[str, tuple[tuple[str, str], ...]]:
    """Contract column -> where it comes from, per table, in words."""
    return {
        "Each project (a row of project.csv) becomes an action of actions.csv": (
            ("action_id", "cordis-<id>-<acronym>, the CORDIS id kept (cordis-101116741-doe)"),
            ("title", "'<acronym>: <title>' (the one given, if the other is empty)"),
            ("kind", "project"),
            (
                "start, end",
                "startDate, endDate at day precision; a project without a readable startDate is dropped; "
                "an endDate missing, unreadable or before the start leaves end empty",
            ),
            ("status", f"from status: {pairs_text(STATUSES)}; any other: empty"),
            (
                "budget_eur",
                f"{BUDGET_COLUMN}, the EU's maximum contribution (not totalCost, which CORDIS gives as 0 "
                "for many lump-sum grants); a decimal comma is read",
            ),
            ("participants_count", "the distinct organisations organization.csv lists for the project"),
            ("programme", "frameworkProgramme, as written (FP7, H2020, HORIZON)"),
            (
                "summary",
                "programme (frameworkProgramme), topic (topics), funding scheme, legal basis, the CORDIS "
                "status and totalCost, in words",
            ),
            ("source_ids", "the project's CORDIS page (https://cordis.europa.eu/project/id/<id>) and the project file"),
        ),
        "Each organisation (CORDIS organisationID, one row however many projects) becomes an organisation": (
            ("org_id", "<name>-<organisationID>; the organisation's latest row (contentUpdateDate) gives the values"),
            ("name", "name, as written"),
            ("kind", f"from activityType: {pairs_text(KINDS)}; empty or any other: {KIND_UNKNOWN} (counted)"),
            (
                "country",
                "country as ISO 3166-1: "
                + ", ".join(f"{n} read as {i}" for n, i in NUTS_TO_ISO.items())
                + "; an organisation without an ISO country is dropped with its rows",
            ),
            (
                "nuts2",
                "nutsCode reduced to its NUTS-2 code (first four characters) when that is a NUTS 2021 level-2 "
                "code of the organisation's country; else empty (counted)",
            ),
            ("city", "city, as written"),
            ("lat, lon", "geolocation ('lat,lon'); unreadable or out of range: empty (counted)"),
            ("website", "organizationURL when it is an http(s) address; else empty (counted)"),
            ("source_ids", "the organization file"),
        ),
        "Each row of organization.csv becomes a participation of action_participants.csv": (
            (
                "action_id, org_id",
                "its projectID and organisationID; a pair listed twice becomes one participation with the leading role "
                "and the amounts of its rows summed",
            ),
            ("role", f"from role: {pairs_text(ROLES)}; any other: empty (counted)"),
            (
                "contribution_eur",
                f"{NET_COLUMN}, the EU contribution the participant keeps (a beneficiary's is net of what it passes "
                f"on to its third parties, which have rows of their own); where it is empty, {GROSS_COLUMN} (counted); "
                "a decimal comma is read; unreadable or negative: empty (counted), never 0",
            ),
            (
                "cost_eur",
                f"{COST_COLUMN} of organization.csv, the participant's eligible cost (CORDIS gives 0 for many "
                "lump-sum grants); unreadable or negative: empty (counted)",
            ),
            ("notes", "the CORDIS role as written"),
            ("source_ids", "the project's CORDIS page and the organization file"),
        ),
        "Sources (sources.csv)": (
            ("the files", "one source per file imported, dated by its latest contentUpdateDate"),
            ("the projects", "one source per project: its CORDIS page"),
        ),
    }


DROP_RULE = (
    "Rows that cannot be mapped are dropped and counted, never guessed: a project row without a numeric id or a "
    "readable startDate, or repeating an id; an organization row without a numeric projectID or organisationID, "
    "whose project is not in the project file (or was dropped), or whose organisation has no name or no ISO "
    "country. agreements.csv and agreement_parties.csv stay empty: CORDIS lists projects, not agreements."
)


def mapping_text(width: int = 100) -> str:
    """The whole mapping in words: printed by `clusternet import cordis --help` and quoted in the README."""
    return mapping_words(_rules(), DROP_RULE, width)


def _not_recognised(header: Sequence[str]) -> str:
    names = {h.strip() for h in header}
    if {"rcn", "reference"} <= names and "id" not in names:
        return _("the 2016 CORDIS layout (reference, not id): download the current files from CORDIS")
    return _(
        "not a CORDIS project or organization file (a project file has {projects}; an organization file has "
        "{organizations})"
    ).format(projects=", ".join(PROJECTS.required), organizations=", ".join(PARTICIPANTS.required))


FORMATS = Formats(SOURCE, LAYOUTS, _not_recognised)
