"""keep.eu as it is downloaded (Interact's database of Interreg projects and partners) -> a contract dataset.

keep.eu has published two exports: the search export workbook (sheets "Search results, projects" and "Search results,
partners") and the older per-period export (sheets "Projects (lead partners)" and "Partners", the partners also as a
`;`-separated partnership CSV). Projects become actions, partners organisations (one org_id across projects) and
participations. The reading, narrowing and reporting are the importers' frame (analysis.importing); this module is
keep.eu's mapping and its quirks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
import pycountry

from analysis import i18n, search
from analysis.dataset import LoadResult
from analysis.i18n import N_, _, ngettext
from analysis.importing import frame
from analysis.importing.frame import Conversion, Importer, Job, missing_file
from analysis.importing.mapping import Mapped, mapping_words, pairs_text
from analysis.importing.narrow import EVERYTHING, Narrowing
from analysis.importing.read import Formats, Found, Layout, Progress
from analysis.importing.report import ImportReport
from analysis.importing.values import (
    NUTS_ELSEWHERE,
    NUTS_ONLY_COUNTRY,
    NUTS_UNKNOWN,
    contract_frame,
    non_negative,
    number_text,
    nuts2,
    per_value,
    slug,
    when,
)
from analysis.problems import Problem
from analysis.reference import NUTS_TO_ISO, is_country, nuts2_country, nuts2_names

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
SEARCH_PROJECTS = Layout(
    "project",
    ("Programme", "Project acronym", "Project name in English"),
    (
        *("Project ID (2021-2027 only)", "Period", "Project start", "Project end"),
        *("Project's total budget / expenditure", BUDGET_COLUMN, "Theme 1", "Theme 2", "Theme 3"),
    ),
    {
        "Programme": "programme",
        "Project acronym": "acronym",
        "Project name in English": "title",
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
SEARCH_PARTNERS = Layout(
    "partner",
    ("Programme", "Project acronym", "Organisation in English"),
    (
        *("Project ID (2021-2027 only)", "Lead partner", "Country code", "Town", "Type of Organisation"),
        *("NUTS2 code (or equivalent)", "Participant Identification Code"),
        *("Partner's total eligible budget / expenditure", "ERDF contribution (2014-2020 only)"),
        "Partner's programme co-financing (EUR) (2021-2027 only)",
    ),
    {
        "Programme": "programme",
        "Project acronym": "acronym",
        "Organisation in English": "name",
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
PERIOD_PROJECTS = Layout(
    "project",
    ("Programme", "Acronym", "Project Name"),
    (
        *("Period", "Project start", "Project end", "Budget", "EU Funding", "ERDF budget"),
        *("Thematic1", "Thematic2", "Thematic3"),
    ),
    {
        "Programme": "programme",
        "Acronym": "acronym",
        "Project Name": "title",
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
PERIOD_PARTNERS = Layout(
    "partner",
    ("Programme", "Acronym", "Project Partner", "Lead Partner"),
    ("Town", "Country", "Country code", "Legal Status", "NUTS2 (or equivalent)"),
    {
        "Programme": "programme",
        "Acronym": "acronym",
        "Project Partner": "name",
        "Lead Partner": "lead",
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


# --- Values as keep.eu writes them. ---


def _amount(values: pd.Series) -> pd.Series:
    """Amounts as keep.eu writes them: 892,228.58 (thousands commas), 892228.58, 892.228,58 or 1234,5; NaN when
    empty, unreadable or < 0."""
    text = values.str.replace(r"[\s\u00a0€]|EUR", "", regex=True)
    comma_last = text.str.rfind(",") > text.str.rfind(".")
    thousands_only = text.str.fullmatch(r"\d{1,3}(,\d{3})+")
    decimal_comma = comma_last & ~thousands_only
    text = text.where(~decimal_comma, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    text = text.where(decimal_comma, text.str.replace(",", "", regex=False))
    return non_negative(pd.to_numeric(text, errors="coerce"))


def _days(values: pd.Series) -> pd.Series:
    iso = values.str.extract(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:[ T][0-9:.+Z-]*)?$")
    european = values.str.extract(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
    year = iso[0].fillna(european[2])
    month = iso[1].fillna(european[1])
    day = iso[2].fillna(european[0])
    text = year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2)
    real = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").notna()
    return text.where(real, "").fillna("")


def _day(values: pd.Series) -> pd.Series:
    """YYYY-MM-DD of a keep.eu date, or '' when it is no real date."""
    return per_value(values, _days).astype(str)


def _hex(values: pd.Series) -> pd.Series:
    """8 hex digits of each text: a short, stable id."""
    return per_value(values, lambda v: v.map(lambda t: hashlib.sha1(t.encode()).hexdigest()[:8]))


def _countries(codes: pd.Series, names: pd.Series) -> pd.Series:
    """ISO alpha-2 of each partner: the code before the name in `Country code`, else the Country name as the file's
    other rows code it, else as ISO names it; '' when none is an ISO country."""
    code = codes.str.extract(r"^\s*([A-Za-z]{2})\b", expand=False).fillna("").str.upper()
    code = per_value(code, lambda c: c.map(lambda v: NUTS_TO_ISO.get(v, v)))
    code = code.where(per_value(code, lambda c: c.map(is_country)).astype(bool), "")
    learned = pd.DataFrame({"name": names.str.casefold(), "code": code})
    learned = learned[(learned["name"] != "") & (learned["code"] != "")].drop_duplicates("name")
    by_name = dict(zip(learned["name"], learned["code"], strict=True))
    named = per_value(names.str.casefold(), lambda v: v.map(lambda n: by_name.get(n) or _iso_of(n)))
    return code.where(code != "", named).astype(str)


def _iso_of(name: str) -> str:
    if not name:
        return ""
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return ""


# What the report counts rows of (said when the import is made, in the language spoken then).
PROJECT_ROWS = N_("project rows")
PARTNER_ROWS = N_("partner rows")
NUTS_REASONS = {
    NUTS_ONLY_COUNTRY: N_("the NUTS2 code is only the country level: nuts2 left empty"),
    NUTS_UNKNOWN: N_("the NUTS2 code is not a NUTS 2021 code (keep.eu may give an older version): nuts2 left empty"),
    NUTS_ELSEWHERE: N_("the NUTS2 code lies in another country: nuts2 left empty"),
}


class _Import(Job):
    """keep.eu's conversion. A project is keyed by its programme and id or acronym (`pkey`), an organisation by its
    PIC or its name, country and town (`okey`)."""

    def __init__(self, found: Sequence[Found], only: Narrowing, as_of: date, progress: Progress) -> None:
        super().__init__(found, only, as_of, progress)
        self.projects = self.together("project", PROJECT_COLUMNS)
        self.rows = self.together("partner", PARTNER_COLUMNS)
        self.sources = self._file_sources()
        for f in found:
            if f.short:
                cut = self.rows[(self.rows["_file"] == f.name) & self.rows["_row"].isin(f.short)]
                self.emptied.add(
                    _(PARTNER_ROWS),
                    _("cut short by a line break inside a value: its missing cells left empty"),
                    cut,
                    ("acronym", "name"),
                )

    def _file_sources(self) -> dict[str, str]:
        """File -> its source_id (keep-eu-projects, keep-eu-partners, numbered when several)."""
        out = {}
        for kind in ("project", "partner"):
            names = [f.name for f in self.found if f.layout.kind == kind]
            for i, name in enumerate(names, start=1):
                out[name] = f"keep-eu-{kind}s" + (f"-{i}" if len(names) > 1 else "")
        return out

    def read_counts(self) -> dict[str, int]:
        p, r = self.projects, self.rows
        return {
            _(PROJECT_ROWS): len(p),
            _("projects (programme and acronym)"): len(
                p.loc[p["acronym"] != "", ["programme", "acronym"]].drop_duplicates()
            ),
            _(PARTNER_ROWS): len(r),
        }

    # Projects.

    def clean_projects(self) -> pd.DataFrame:
        p, shown = self.projects, ("programme", "acronym")
        p = self.drop(PROJECT_ROWS, p, p["programme"] == "", _("no Programme"), shown)
        keyless = (p["acronym"] == "") & (p["project_id"] == "")
        p = self.drop(PROJECT_ROWS, p, keyless, _("neither a project acronym nor a project id"), shown)
        p = p.assign(
            pkey=_project_keys(p),
            start_day=_day(p["start"]),
            end_day=_day(p["end"]),
            programme_key=p["programme"].map(search.key),
        )
        p = self.drop(PROJECT_ROWS, p, p["start_day"] == "", _("no readable Project start"), (*shown, "start"))
        return self.drop(
            PROJECT_ROWS,
            p,
            p["pkey"].duplicated(),
            _("the project is listed again (once per lead-partner row): its first row kept"),
            shown,
        )

    def narrow_projects(self, p: pd.DataFrame) -> pd.DataFrame:
        only, shown = self.only, ("programme", "acronym")
        if only.programmes:
            wanted = [search.key(name) for name in only.programmes]
            outside = ~p["programme_key"].map(lambda k: any(w in k for w in wanted)).astype(bool)
            reason = _("not of --programme {names}").format(names=", ".join(only.programmes))
            p = self.drop(PROJECT_ROWS, p, outside, reason, shown)
        return self.narrow_by_start(PROJECT_ROWS, p, "start_day", (*shown, "start"))

    # Partner rows and their organisations.

    def clean_rows(self, p: pd.DataFrame) -> pd.DataFrame:
        r, shown = self.rows, ("programme", "acronym", "name")
        r = self.drop(PARTNER_ROWS, r, r["programme"] == "", _("no Programme"), shown)
        keyless = (r["acronym"] == "") & (r["project_id"] == "")
        r = self.drop(PARTNER_ROWS, r, keyless, _("neither a project acronym nor a project id"), shown)
        r = self.drop(PARTNER_ROWS, r, r["name"] == "", _("no organisation name"), shown)
        listed = _project_keys(self.projects[self.projects["programme"] != ""])
        by_acronym = _acronym_keys(self.projects)
        key = _project_keys(r)
        # A partner row without the project's id finds it by its acronym.
        key = key.where(key.isin(listed), r["programme"] + "\x1f" + "acronym" + "\x1f" + r["acronym"]).map(
            lambda k: by_acronym.get(k, k)
        )
        r = r.assign(pkey=key)
        r = self.drop(PARTNER_ROWS, r, ~r["pkey"].isin(listed), _("its project is not in the projects sheet"), shown)
        return self.drop(
            PARTNER_ROWS, r, ~r["pkey"].isin(p["pkey"]), _("its project was dropped (see the project rows)"), shown
        )

    def organisations(self, r: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(rows with their organisation's key `okey`, one row per organisation: its first row)."""
        iso = _countries(r["country_code"], r["country_name"])
        r = r.assign(iso=iso)
        r = self.drop(
            PARTNER_ROWS,
            r,
            r["iso"] == "",
            _("no ISO 3166-1 country (Country code, Country)"),
            ("acronym", "name", "country_code", "country_name"),
        )
        name_key = per_value(r["name"], lambda v: v.map(search.key))
        town_key = per_value(r["town"], lambda v: v.map(search.key))
        place = name_key + "\x1f" + r["iso"] + "\x1f" + town_key
        pic = r["pic"].str.replace(r"\s", "", regex=True)
        pic = pic.where(pic.str.fullmatch(PIC), "")
        # A partner without a PIC joins the one organisation with a PIC of the same name, country and town.
        pics = pd.DataFrame({"place": place, "pic": pic})[pic != ""].drop_duplicates()
        single = pics[~pics["place"].duplicated(keep=False)].set_index("place")["pic"]
        pic = pic.where(pic != "", place.map(single).astype(object).fillna(""))
        okey = ("pic:" + pic).where(pic != "", "place:" + place)
        r = r.assign(okey=okey, name_key=name_key, town_key=town_key, pic_given=pic)
        self._report_merges(r)
        orgs = r[~r["okey"].duplicated()]
        return r, orgs

    def _report_merges(self, r: pd.DataFrame) -> None:
        """Count the organisations whose rows spell them apart (merged), and those of one name and country in
        different towns (left apart)."""
        spellings = r.drop_duplicates(["okey", "name"])
        several = spellings[spellings["okey"].duplicated(keep=False)]
        self.merged.add(
            _("spellings"),
            ngettext(
                "of {count} organisation spelled apart in different rows, merged (same PIC, or same name, country "
                "and town)",
                "of {count} organisations spelled apart in different rows, merged (same PIC, or same name, country "
                "and town)",
                several["okey"].nunique(),
            ).format(count=i18n.integer(several["okey"].nunique())),
            several.sort_values(["okey", "_file", "_row"], kind="stable"),
            ("name", "iso", "town"),
        )
        orgs = r.drop_duplicates("okey")
        towns = orgs[["name_key", "iso", "town_key"]].drop_duplicates()
        apart = towns[towns[["name_key", "iso"]].duplicated(keep=False)]
        near = orgs.merge(apart[["name_key", "iso"]].drop_duplicates(), on=["name_key", "iso"])
        self.merged.add(
            _("organisations"),
            _("the same name and country in another town: left apart (check whether they are one)"),
            near.sort_values(["name_key", "_file", "_row"]),
            ("name", "iso", "town"),
        )

    def narrow_by_country(self, p: pd.DataFrame, r: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
        if not self.only.countries:
            return p, r
        with_local = r.loc[r["iso"].isin(self.only.countries), "pkey"].unique()
        words = ", ".join(self.only.countries)
        p = self.drop(
            PROJECT_ROWS,
            p,
            ~p["pkey"].isin(with_local),
            _("no partner in --country {codes}").format(codes=words),
            ("programme", "acronym"),
        )
        r = self.drop(
            PARTNER_ROWS,
            r,
            ~r["pkey"].isin(with_local),
            _("its project has no partner in --country {codes}").format(codes=words),
            ("acronym", "name"),
        )
        return p, r

    def amounts(self, r: pd.DataFrame) -> pd.DataFrame:
        """Each row's `contribution` (ERDF, else programme co-financing) and `cost` (total eligible budget) in EUR;
        NaN when not given; an amount that cannot be read is left empty and counted, never read as 0."""
        shown = ("acronym", "name")
        erdf, cofinancing, cost = _amount(r["erdf"]), _amount(r["cofinancing"]), _amount(r["total"])
        for column, value in (("erdf", erdf), ("cofinancing", cofinancing), ("total", cost)):
            self.emptied.add(
                _("participations"),
                _("{column} is not an amount (unreadable or negative): left empty").format(column=column),
                r[(r[column] != "") & value.isna()],
                (*shown, column),
            )
        return r.assign(contribution=erdf.where(erdf.notna(), cofinancing), cost=cost)

    def one_per_pair(self, r: pd.DataFrame) -> pd.DataFrame:
        """One participation per (project, organisation): the same row again counts once; rows that differ keep the
        leading role and their amounts summed."""
        same = r.duplicated(["pkey", "okey", "lead", "erdf", "cofinancing", "total"])
        r = self.drop(
            PARTNER_ROWS,
            r,
            same,
            _("the same partner row again (in this file or another): counted once"),
            ("acronym", "name"),
        )
        mapped = r["lead"].str.casefold().map(LEAD_WORDS).fillna("partner")
        rank = mapped.map({role: i for i, role in enumerate(ROLE_RANK)})
        return self.pairs(r.assign(mapped=mapped), PARTNER_ROWS, rank, ("acronym", "name", "lead"))

    # The contract's tables.

    def actions(self, p: pd.DataFrame, listed: pd.Series) -> pd.DataFrame:
        shown = ("programme", "acronym")
        ends_early = (p["end_day"] != "") & (p["end_day"] < p["start_day"])
        self.emptied.add(
            _("projects"),
            _("Project end missing or unreadable: end left empty"),
            p[p["end_day"] == ""],
            (*shown, "end"),
        )
        self.emptied.add(
            _("projects"),
            _("Project end before Project start: end left empty"),
            p[ends_early],
            (*shown, "start", "end"),
        )
        end = p["end_day"].where(~ends_early, "")
        # Without an end, a project that has started may be running or over: its status is left empty.
        status = np.select(
            [p["start_day"] > self.as_of, end == "", end < self.as_of], ["planned", "", "completed"], "ongoing"
        )
        budget = _amount(p["eu_funding"])
        self.emptied.add(
            _("projects"),
            _("{column} empty or not an amount: budget_eur left empty").format(column=BUDGET_COLUMN),
            p[budget.isna()],
            (*shown, "eu_funding"),
        )
        acronym, title = p["acronym"], p["title"]
        both = (acronym != "") & (title != "")
        short = slug(acronym.where(acronym != "", p["project_id"]), 40)
        count = p["pkey"].map(listed).fillna(0).astype("int64")
        return pd.DataFrame(
            {
                "action_id": "keep-" + when(short != "", short + "-") + _hex(p["pkey"]),
                "title": (acronym + ": " + title).where(
                    both, (acronym + title).where(acronym + title != "", "keep.eu project " + p["project_id"])
                ),
                "kind": "project",
                "start": p["start_day"],
                "end": end,
                "status": status,
                "participants_count": count.astype(str).where(count > 0, ""),
                "budget_eur": number_text(budget),
                "programme": p["programme"],
                "summary": self._summary(p),
                "source_ids": p["_file"].map(self.sources),
            }
        )

    def _summary(self, p: pd.DataFrame) -> pd.Series:
        """A project's programme, period, themes and money in words."""
        themes = (p["theme1"] + "; " + p["theme2"] + "; " + p["theme3"]).str.replace(r"(; )+$|^(; )+", "", regex=True)
        themes = themes.str.replace(r"(; ){2,}", "; ", regex=True)
        total, erdf = number_text(_amount(p["budget"])), number_text(_amount(p["erdf"]))
        return (
            "Interreg project of "
            + p["programme"]
            + when(p["period"] != "", ", period " + p["period"])
            + when(p["project_id"] != "", ", project id " + p["project_id"])
            + "."
            + when(themes != "", " Themes: " + themes + ".")
            + when(total != "", " Total budget EUR " + total + ".")
            + when(erdf != "", " ERDF budget EUR " + erdf + ".")
            + " budget_eur is keep.eu's EU funding."
        )

    def organisation_table(self, orgs: pd.DataFrame) -> pd.DataFrame:
        shown = ("name", "iso")
        kinds = {m.given.casefold(): m.contract for m in KINDS}
        kind = orgs["kind_text"].str.casefold().map(kinds)
        self.emptied.add(
            _("organisations"),
            _("Type of Organisation empty or unknown (or only a legal status): kind {kind}").format(kind=KIND_UNKNOWN),
            orgs[kind.isna()],
            (*shown, "kind_text", "legal_status"),
        )
        code = orgs["nuts"].str.extract(r"^\s*([A-Za-z]{2}[A-Za-z0-9]{0,3})\b", expand=False).fillna("")
        region, why = nuts2(code, orgs["iso"])
        # An older NUTS version's code whose label names a NUTS 2021 region of the country is that region (FR82 /
        # Provence-Alpes-Côte d'Azur is FRL0); a region split since (HU10) names none and stays empty.
        named = _region_named(orgs["nuts"], orgs["iso"]).where(why == NUTS_UNKNOWN, "")
        self.emptied.add(
            _("organisations"),
            _("the NUTS2 code is of an older NUTS version, its label the name of a NUTS 2021 region: read as it"),
            orgs[named != ""],
            (*shown, "nuts"),
        )
        renamed = named != ""
        region, why = region.where(~renamed, named), why.where(~renamed, "")
        for reason in dict.fromkeys(why[why != ""]):
            self.emptied.add(_("organisations"), _(NUTS_REASONS[reason]), orgs[why == reason], (*shown, "nuts"))
        name_slug = slug(orgs["name"], 40)
        tail = orgs["pic_given"].where(orgs["pic_given"] != "", orgs["iso"].str.lower() + "-" + _hex(orgs["okey"]))
        notes = (
            when(orgs["pic_given"] != "", "PIC " + orgs["pic_given"] + "; ")
            + ("Type of Organisation " + orgs["kind_text"]).where(orgs["kind_text"] != "", "no Type of Organisation")
            + when(orgs["legal_status"] != "", "; legal status " + orgs["legal_status"])
            + when(why != "", "; NUTS2 " + orgs["nuts"] + " " + why + ": nuts2 left empty")
            + when(
                renamed, "; NUTS2 " + orgs["nuts"] + " is of an older NUTS version: read as " + named + " by its name"
            )
        )
        return pd.DataFrame(
            {
                "org_id": (name_slug + "-").where(name_slug != "", "org-") + tail,
                "name": orgs["name"],
                "kind": kind.fillna(KIND_UNKNOWN),
                "country": orgs["iso"],
                "nuts2": region,
                "city": orgs["town"],
                "source_ids": orgs["_file"].map(self.sources),
                "notes": notes,
            }
        )

    def participation_table(self, r: pd.DataFrame, action_ids: pd.Series, org_ids: pd.Series) -> pd.DataFrame:
        unknown = ~r["lead"].str.casefold().isin(list(LEAD_WORDS))
        self.emptied.add(
            _("participations"),
            _("Lead partner empty or not Yes or No: role partner"),
            r[unknown],
            ("acronym", "name", "lead"),
        )
        return pd.DataFrame(
            {
                "action_id": r["pkey"].map(action_ids),
                "org_id": r["okey"].map(org_ids),
                "role": r["mapped"],
                "contribution_eur": number_text(r["contribution"]),
                "cost_eur": number_text(r["cost"]),
                "source_ids": r["_file"].map(self.sources),
                "notes": ("Lead partner " + r["lead"]).where(r["lead"] != "", "keep.eu gives no Lead partner"),
            }
        )

    def source_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "source_id": self.sources[f.name],
                    "title": f"keep.eu {f.layout.kind}s, {f.name}; imported {self.as_of}",
                    "url": HOME,
                    "publisher": PUBLISHER,
                    "language": "en",
                }
                for f in sorted(self.found, key=lambda f: f.layout.kind != "project")
            ]
        )

    def run(self) -> dict[str, pd.DataFrame]:
        self.progress(
            _("Mapping {projects} projects and {rows} partner rows").format(
                projects=i18n.integer(len(self.projects)), rows=i18n.integer(len(self.rows))
            )
        )
        p = self.narrow_projects(self.clean_projects())
        r = self.clean_rows(p)
        r, orgs = self.organisations(r)
        p, r = self.narrow_by_country(p, r)
        r = self.one_per_pair(self.amounts(r))
        orgs = orgs[orgs["okey"].isin(r["okey"].unique())]
        listed = r.groupby("pkey")["okey"].nunique()
        actions = self.actions(p, listed)
        organisations = self.organisation_table(orgs)
        organisations["org_id"] = _unique(organisations["org_id"])
        action_ids = pd.Series(actions["action_id"].to_numpy(), index=p["pkey"].to_numpy())
        org_ids = pd.Series(organisations["org_id"].to_numpy(), index=orgs["okey"].to_numpy())
        participants = self.participation_table(r, action_ids, org_ids)
        self.count_money(pd.Series(_amount(p["eu_funding"]).to_numpy(), index=p["pkey"].to_numpy()), r, action_ids)
        tables = {
            "organisations": organisations,
            "agreements": pd.DataFrame(),
            "agreement_parties": pd.DataFrame(),
            "actions": actions,
            "action_participants": participants,
            "sources": self.source_table(),
        }
        return {name: contract_frame(name, table) for name, table in tables.items()}


def _region_named(labels: pd.Series, countries: pd.Series) -> pd.Series:
    """The NUTS 2021 level-2 region of each organisation's country that its NUTS label names ('FR82  / Corse': FRM0),
    or ''; names compared with accents, case and punctuation ignored."""
    names = pd.Series(nuts2_names())
    regions = pd.DataFrame({"code": names.index, "key": names.map(search.key).to_numpy()})
    regions["country"] = regions["code"].map(nuts2_country)
    regions = regions.drop_duplicates(["country", "key"], keep=False)
    by_name = dict(zip(zip(regions["country"], regions["key"], strict=True), regions["code"], strict=True))
    label = per_value(labels.str.partition("/")[2], lambda v: v.map(search.key))
    return pd.Series(
        [by_name.get((c, k), "") if k else "" for c, k in zip(countries, label, strict=True)], index=labels.index
    )


def _project_keys(rows: pd.DataFrame) -> pd.Series:
    """A project's key: its programme and id where given, else its programme and acronym."""
    by_id = rows["programme"] + "\x1fid\x1f" + rows["project_id"]
    by_acronym = rows["programme"] + "\x1facronym\x1f" + rows["acronym"]
    return by_id.where(rows["project_id"] != "", by_acronym)


def _acronym_keys(projects: pd.DataFrame) -> dict[str, str]:
    """Programme-and-acronym key -> the key of the one project with an id it names (partner rows of a 2021-2027
    project may leave the id out)."""
    with_id = projects[(projects["project_id"] != "") & (projects["acronym"] != "")]
    acronym = with_id["programme"] + "\x1facronym\x1f" + with_id["acronym"]
    keys = pd.Series(_project_keys(with_id).to_numpy(), index=acronym.to_numpy())
    keys = keys[~keys.index.duplicated(keep=False)]
    return keys.to_dict()


def _unique(ids: pd.Series) -> pd.Series:
    """Ids made unique by a counter where two organisations' slugs and digests meet."""
    again = ids.groupby(ids).cumcount()
    return ids.where(again == 0, ids + "-" + (again + 1).astype(str))


def _caption(report: ImportReport) -> str:
    return _(
        "budget_eur is keep.eu's {column} (the programme's contribution); partners' contribution_eur is their ERDF "
        "contribution (2014-2020) or programme co-financing (2021-2027) where the export gives them; statuses are "
        "read by the projects' dates on {day}."
    ).format(column=BUDGET_COLUMN, day=i18n.written_date(report.as_of))


def _missing(kind: str, given: str) -> Problem:
    layouts = [layout for layout in LAYOUTS if layout.kind == kind]
    return missing_file(
        kind,
        given,
        N_(
            "no keep.eu {kind} sheet was found: add the export's {kind}s (a sheet or CSV file whose header has "
            "{columns}) as downloaded from keep.eu"
        ),
        kind=kind,
        columns=" or ".join(", ".join(layout.required) for layout in layouts),
    )


IMPORTER = Importer("keep", FORMATS, _Import, _missing, mapping_text, _caption, BUDGET_COLUMN)


def convert(
    files: Sequence[tuple[str, bytes]],
    only: Narrowing = EVERYTHING,
    as_of: date | None = None,
    progress: Progress = frame.quiet,
) -> Conversion:
    """keep.eu files (name, content) -> the contract's tables as text, and the report of what was kept and dropped."""
    return frame.convert(IMPORTER, files, only, as_of, progress)


def load(
    files: Sequence[tuple[str, bytes]],
    name: str,
    only: Narrowing = EVERYTHING,
    as_of: date | None = None,
    progress: Progress = frame.quiet,
) -> LoadResult:
    """Convert keep.eu files and load the result as any dataset is loaded (validated, typed), with the report."""
    return frame.load(IMPORTER, files, name, only, as_of, progress)
