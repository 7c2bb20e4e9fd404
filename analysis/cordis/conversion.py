"""CORDIS's conversion: projects, organisations and participation rows mapped step by step, each row that cannot be
mapped dropped and counted, each value that cannot be mapped left empty and counted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from analysis import i18n
from analysis.cordis.mapping import (
    BUDGET_COLUMN,
    COST_COLUMN,
    GROSS_COLUMN,
    KIND_UNKNOWN,
    KINDS,
    LAYOUTS,
    NET_COLUMN,
    PARTICIPANTS,
    PROGRAMMES,
    PROJECT_PAGE,
    PROJECTS,
    PUBLISHER,
    ROLE_RANK,
    ROLES,
    STATUSES,
)
from analysis.i18n import N_, _
from analysis.importing.frame import Job
from analysis.importing.narrow import Narrowing
from analysis.importing.read import Found, Progress
from analysis.importing.values import (
    NUTS_ELSEWHERE,
    NUTS_ONLY_COUNTRY,
    NUTS_UNKNOWN,
    amount,
    contract_frame,
    number_text,
    nuts2,
    per_value,
    slug,
    when,
)
from analysis.reference import NUTS_TO_ISO, is_country
from analysis.validate import is_web_address

# What the report counts rows of (said when the import is made, in the language spoken then).
PROJECT_ROWS = N_("project rows")
ORGANIZATION_ROWS = N_("organization rows")
# Why a NUTS code gives no nuts2 (the converted dataset's notes keep the English words, as dataset text).
NUTS_REASONS = {
    NUTS_ONLY_COUNTRY: N_("nutsCode is only the country level: nuts2 left empty"),
    NUTS_UNKNOWN: N_("nutsCode is not a NUTS 2021 code: nuts2 left empty"),
    NUTS_ELSEWHERE: N_("nutsCode lies in another country: nuts2 left empty"),
}
NUMERIC_ID = r"[0-9]{1,18}"  # CORDIS ids are numbers (a PIC has 9 digits); 18 digits still fit an int64


def _days(values: pd.Series) -> pd.Series:
    day = values.str.extract(r"^(\d{4}-\d{2}-\d{2})(?:[ T][0-9:.+Z-]*)?$", expand=False).fillna("")
    real = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce").notna()
    return day.where(real, "")


def _day(values: pd.Series) -> pd.Series:
    """YYYY-MM-DD of a CORDIS date (a time after it is dropped), or '' when it is no real date."""
    return per_value(values, _days).astype(str)


class CordisJob(Job):
    """CORDIS's conversion. Projects and organisations are joined on their ids as integers (`key`, `pkey`, `okey`),
    which pandas hashes fast."""

    def __init__(self, found: Sequence[Found], only: Narrowing, as_of: date, progress: Progress) -> None:
        super().__init__(found, only, as_of, progress)
        self.projects = self.together(PROJECTS.kind, PROJECTS.columns)
        self.rows = self.together(PARTICIPANTS.kind, PARTICIPANTS.columns)
        self.sources = self._file_sources()

    def _file_sources(self) -> dict[str, str]:
        """File -> its source_id (cordis-project-file, cordis-organization-file, numbered when several)."""
        out = {}
        for layout in LAYOUTS:
            names = [f.name for f in self.found if f.layout is layout]
            for i, name in enumerate(names, start=1):
                out[name] = f"cordis-{layout.kind}-file" + (f"-{i}" if len(names) > 1 else "")
        return out

    def read_counts(self) -> dict[str, int]:
        p, r = self.projects, self.rows
        given = r[(r["projectID"] != "") & (r["organisationID"] != "")]
        return {
            _(PROJECT_ROWS): len(p),
            _("projects"): int(p.loc[p["id"] != "", "id"].nunique()),
            _(ORGANIZATION_ROWS): len(r),
            _("organisations"): int(r.loc[r["organisationID"] != "", "organisationID"].nunique()),
            _("(project, organisation) pairs"): len(given[["projectID", "organisationID"]].drop_duplicates()),
        }

    # Projects.

    def clean_projects(self) -> pd.DataFrame:
        p, shown = self.projects, ("id", "acronym")
        p = self.drop(PROJECT_ROWS, p, ~p["id"].str.fullmatch(NUMERIC_ID), _("no numeric CORDIS id"), shown)
        p = p.assign(key=p["id"].astype("int64"), start=_day(p["startDate"]), end=_day(p["endDate"]))
        p = p.assign(id=p["key"].astype(str))  # one spelling of a number (no leading zeros)
        p = self.drop(PROJECT_ROWS, p, p["start"] == "", _("no readable startDate (YYYY-MM-DD)"), (*shown, "startDate"))
        return self.drop(PROJECT_ROWS, p, p["key"].duplicated(), _("the id is repeated: the first row was kept"), shown)

    def narrow_projects(self, p: pd.DataFrame) -> pd.DataFrame:
        only, shown = self.only, ("id", "acronym")
        if only.programmes:
            outside = ~p["frameworkProgramme"].str.upper().isin(only.programmes)
            reason = _("not of --programme {names}").format(names=", ".join(only.programmes))
            p = self.drop(PROJECT_ROWS, p, outside, reason, (*shown, "frameworkProgramme"))
        if only.topics:
            outside = ~p["topics"].str.upper().str.startswith(only.topics)
            reason = _("no topic starting with --topic {names}").format(names=", ".join(only.topics))
            p = self.drop(PROJECT_ROWS, p, outside, reason, (*shown, "topics"))
        return self.narrow_by_start(PROJECT_ROWS, p, "start", (*shown, "startDate"))

    # Participation rows and their organisations.

    def clean_rows(self, kept: pd.Series) -> pd.DataFrame:
        r, shown = self.rows, ("projectID", "organisationID")
        r = self.drop(ORGANIZATION_ROWS, r, ~r["projectID"].str.fullmatch(NUMERIC_ID), _("no numeric projectID"), shown)
        no_org = ~r["organisationID"].str.fullmatch(NUMERIC_ID)
        r = self.drop(ORGANIZATION_ROWS, r, no_org, _("no numeric organisationID"), shown)
        r = r.assign(pkey=r["projectID"].astype("int64"), okey=r["organisationID"].astype("int64"))
        r = r.assign(projectID=r["pkey"].astype(str), organisationID=r["okey"].astype(str))
        ids = self.projects["id"]
        listed = ids[ids.str.fullmatch(NUMERIC_ID)].astype("int64")
        r = self.drop(
            ORGANIZATION_ROWS,
            r,
            ~r["pkey"].isin(listed),
            _("its project is not in the project file"),
            shown,
        )
        return self.drop(
            ORGANIZATION_ROWS, r, ~r["pkey"].isin(kept), _("its project was dropped (see the project rows)"), shown
        )

    def organisations(self, r: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(rows whose organisation can be mapped, one row per organisation: its latest record)."""
        # Sorted by the keys alone, then one take: sorting the whole table moves every text column twice.
        keys = pd.DataFrame(
            {"okey": r["okey"].to_numpy(), "updated": r["contentUpdateDate"].to_numpy(), "at": np.arange(len(r))}
        )
        keys = keys.sort_values(["okey", "updated", "at"], ascending=[True, False, True])
        orgs = r.iloc[np.sort(keys.drop_duplicates("okey")["at"].to_numpy())]
        iso = per_value(orgs["country"].str.upper(), lambda c: c.map(lambda v: NUTS_TO_ISO.get(v, v)))
        valid = per_value(iso, lambda c: c.map(is_country)).astype(bool)
        orgs = orgs.assign(iso=iso.astype(str))
        shown = ("organisationID", "name", "country")
        unnamed = orgs["name"] == ""
        r = self.drop(
            ORGANIZATION_ROWS, r, r["okey"].isin(orgs.loc[unnamed, "okey"]), _("its organisation has no name"), shown
        )
        stateless = ~unnamed & ~valid
        r = self.drop(
            ORGANIZATION_ROWS,
            r,
            r["okey"].isin(orgs.loc[stateless, "okey"]),
            _("its organisation has no ISO 3166-1 country"),
            shown,
        )
        return r, orgs[~unnamed & valid]

    def report_across_files(self, p: pd.DataFrame, r: pd.DataFrame) -> None:
        """Count the organisations of several programmes (one org_id each, by organisationID), and those whose name
        or country one file writes otherwise than another (the latest row's are kept)."""
        programme = pd.Series(p["frameworkProgramme"].str.upper().to_numpy(), index=p["key"].to_numpy())
        rows = r.assign(programme=r["pkey"].map(programme))
        per_org = rows.groupby("okey").agg(programmes=("programme", "nunique"), files=("_file", "nunique"))
        several = rows[rows["okey"].isin(per_org.index[per_org["programmes"] > 1])].drop_duplicates("okey")
        self.merged.add(
            _("organisations"),
            _("in projects of several programmes: one org_id each (CORDIS organisationID)"),
            several,
            ("organisationID", "name", "programme"),
        )
        in_files = rows[rows["okey"].isin(per_org.index[per_org["files"] > 1])]
        for column, reason in (
            ("name", N_("named otherwise in another file: the latest row's name kept")),
            ("country", N_("of another country in another file: the latest row's country kept")),
        ):
            written = in_files.drop_duplicates(["okey", column])
            apart = written[written["okey"].duplicated(keep=False)].sort_values(["okey", "_file", "_row"])
            self.merged.add(_(ORGANIZATION_ROWS), _(reason), apart, ("organisationID", "name", "country"))

    def narrow_by_country(self, p: pd.DataFrame, r: pd.DataFrame, orgs: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
        if not self.only.countries:
            return p, r
        local = r["okey"].isin(orgs.loc[orgs["iso"].isin(self.only.countries), "okey"])
        words = (
            PROJECT_ROWS,
            ORGANIZATION_ROWS,
            N_("no participant in --country {codes}"),
            N_("its project has no participant in --country {codes}"),
        )
        shown = (("id", "acronym"), ("projectID", "organisationID"))
        p, r = super().narrow_by_country(p.assign(pkey=p["key"]), r, local, words, shown)
        return p.drop(columns="pkey"), r

    def one_per_pair(self, r: pd.DataFrame) -> pd.DataFrame:
        """One row per (project, organisation): the one with the leading role, in the file's order."""
        roles = {m.given: m.contract for m in ROLES}
        mapped = per_value(r["role"], lambda v: v.map(roles).fillna("")).astype(str)
        rank = per_value(mapped, lambda v: v.map({role: i for i, role in enumerate(ROLE_RANK)}).fillna(9))
        r = r.assign(mapped=mapped)
        return self.pairs(r, ORGANIZATION_ROWS, rank, ("projectID", "organisationID", "role"))

    def amounts(self, r: pd.DataFrame) -> pd.DataFrame:
        """Each row's `contribution` (netEcContribution, else ecContribution) and `cost` (totalCost) in EUR; NaN when
        not given. An amount that cannot be read is left empty and counted, never read as 0."""
        shown = ("projectID", "organisationID")
        net, gross, cost = amount(r[NET_COLUMN]), amount(r[GROSS_COLUMN]), amount(r[COST_COLUMN])
        no_net = r[NET_COLUMN] == ""
        for column, value, read, target in (
            (NET_COLUMN, net, ~no_net, "contribution_eur"),
            (GROSS_COLUMN, gross, no_net, "contribution_eur"),  # read only in place of an empty net amount
            (COST_COLUMN, cost, pd.Series(True, index=r.index), "cost_eur"),
        ):
            self.emptied.add(
                _("participations"),
                _("{column} is not an amount (unreadable or negative): {target} left empty").format(
                    column=column, target=target
                ),
                r[read & (r[column] != "") & value.isna()],
                (*shown, column),
            )
        self.emptied.add(
            _("participations"),
            _("{gross} used, {net} empty").format(gross=GROSS_COLUMN, net=NET_COLUMN),
            r[no_net & gross.notna()],
            (*shown, GROSS_COLUMN),
        )
        return r.assign(contribution=net.where(~no_net, gross), cost=cost)

    # The contract's tables.

    def actions(self, p: pd.DataFrame, listed: pd.Series) -> pd.DataFrame:
        shown = ("id", "acronym")
        ends_early = (p["end"] != "") & (p["end"] < p["start"])
        self.emptied.add(
            _("projects"), _("endDate missing or unreadable: end left empty"), p[p["end"] == ""], (*shown, "endDate")
        )
        self.emptied.add(
            _("projects"),
            _("endDate before startDate: end left empty"),
            p[ends_early],
            (*shown, "startDate", "endDate"),
        )
        end = p["end"].where(~ends_early, "")
        status = self._status(p, end)
        budget = amount(p[BUDGET_COLUMN])
        self.emptied.add(
            _("projects"),
            _("{column} empty or not an amount: budget_eur left empty").format(column=BUDGET_COLUMN),
            p[budget.isna()],
            (*shown, BUDGET_COLUMN),
        )
        acronym, title = p["acronym"], p["title"]
        untitled = (acronym == "") & (title == "")
        self.emptied.add(_("projects"), _("no acronym and no title: titled 'CORDIS project <id>'"), p[untitled], shown)
        both = (acronym != "") & (title != "")
        short = slug(acronym, 40)
        count = p["key"].map(listed).fillna(0).astype("int64")
        return pd.DataFrame(
            {
                "action_id": "cordis-" + p["id"] + when(short != "", "-" + short),
                "title": (acronym + ": " + title).where(
                    both, (acronym + title).where(~untitled, "CORDIS project " + p["id"])
                ),
                "kind": "project",
                "start": p["start"],
                "end": end,
                "status": status,
                "participants_count": count.astype(str).where(count > 0, ""),
                "budget_eur": number_text(budget),
                "programme": p["frameworkProgramme"],
                "summary": self._summary(p, status, budget),
                "source_ids": "cordis-project-" + p["id"] + ";" + p["_file"].map(self.sources),
            }
        )

    def _status(self, p: pd.DataFrame, end: pd.Series) -> pd.Series:
        given = p["status"].str.upper()
        fixed = {m.given: m.contract for m in STATUSES if m.given != "SIGNED"}
        by_dates = np.where(
            p["start"] > self.as_of, "planned", np.where((end != "") & (end < self.as_of), "completed", "ongoing")
        )
        status = pd.Series(np.where(given == "SIGNED", by_dates, given.map(fixed).fillna("")), index=p.index)
        known = [m.given for m in STATUSES]
        self.emptied.add(
            _("projects"),
            _("status empty or not {values}: status left empty").format(values=", ".join(known)),
            p[~given.isin(known)],
            ("id", "acronym", "status"),
        )
        return status.astype(str)

    def _summary(self, p: pd.DataFrame, status: pd.Series, budget: pd.Series) -> pd.Series:
        """A project's programme, topic, status and money in words."""
        programme = p["frameworkProgramme"]
        name = programme.str.upper().map(PROGRAMMES).fillna(programme).astype(str)
        head = (name + " (" + programme + ") project").where(name != programme, when(name != "", name + " project"))
        head = head.where(head != "", "CORDIS project")
        given = p["status"].str.upper()
        total = number_text(amount(p["totalCost"]))
        return (
            head
            + when(p["topics"] != "", ", topic " + p["topics"])
            + when(p["fundingScheme"] != "", ", funding scheme " + p["fundingScheme"])
            + when(p["legalBasis"] != "", ", legal basis " + p["legalBasis"])
            + "."
            + when(given == "SIGNED", " CORDIS status SIGNED: " + status + " by its dates on " + self.as_of + ".")
            + when((given != "SIGNED") & (given != ""), " CORDIS status " + given + ".")
            + when(budget.notna(), f" budget_eur is CORDIS's {BUDGET_COLUMN} (the EU's maximum contribution).")
            + when(total != "", " Total cost EUR " + total + ".")
        )

    def organisation_table(self, orgs: pd.DataFrame) -> pd.DataFrame:
        shown = ("organisationID", "name")
        kinds = {m.given: m.contract for m in KINDS}
        kind = orgs["activityType"].str.upper().map(kinds)
        self.emptied.add(
            _("organisations"),
            _("activityType empty or unknown: kind {kind}").format(kind=KIND_UNKNOWN),
            orgs[kind.isna()],
            (*shown, "activityType"),
        )
        region, why = nuts2(orgs["nutsCode"], orgs["iso"])
        for reason in dict.fromkeys(why[why != ""]):
            self.emptied.add(
                _("organisations"),
                _(NUTS_REASONS[reason]),
                orgs[why == reason],
                (*shown, "country", "nutsCode"),
            )
        lat, lon = _coordinates(orgs["geolocation"])
        unreadable = (orgs["geolocation"] != "") & (lat == "")
        self.emptied.add(
            _("organisations"),
            _("geolocation empty: lat and lon left empty"),
            orgs[orgs["geolocation"] == ""],
            shown,
        )
        self.emptied.add(
            _("organisations"),
            _("geolocation is not 'lat,lon' within range: lat and lon left empty"),
            orgs[unreadable],
            (*shown, "geolocation"),
        )
        url = orgs["organizationURL"]
        # Only an address that starts like one is parsed: the validator's own rule decides.
        web = url.str.match(r"(?i)https?://").fillna(False).astype(bool)
        web[web] = url[web].map(is_web_address).astype(bool)
        not_web = (url != "") & ~web
        self.emptied.add(
            _("organisations"),
            _("organizationURL is not an http(s) address: website left empty"),
            orgs[not_web],
            (*shown, "organizationURL"),
        )
        name_slug = slug(orgs["name"], 40)
        notes = (
            "CORDIS organisationID "
            + orgs["organisationID"]
            + "; "
            + ("activityType " + orgs["activityType"]).where(orgs["activityType"] != "", "no activityType")
            + when(why != "", "; nutsCode " + orgs["nutsCode"] + " " + why + ": nuts2 left empty")
            + when(unreadable, "; geolocation " + orgs["geolocation"] + " unreadable: lat and lon left empty")
            + when(not_web, "; organizationURL " + url + " is not an http(s) address: website left empty")
        )
        return pd.DataFrame(
            {
                "org_id": (name_slug + "-").where(name_slug != "", "org-") + orgs["organisationID"],
                "name": orgs["name"],
                "kind": kind.fillna(KIND_UNKNOWN),
                "country": orgs["iso"],
                "nuts2": region,
                "city": orgs["city"],
                "lat": lat,
                "lon": lon,
                "website": url.where(web, ""),
                "source_ids": orgs["_file"].map(self.sources),
                "notes": notes,
            }
        )

    def participation_table(self, r: pd.DataFrame, action_ids: pd.Series, org_ids: pd.Series) -> pd.DataFrame:
        known = [m.given for m in ROLES]
        self.emptied.add(
            _("participations"),
            _("role empty or not {values}: role left empty").format(values=", ".join(known)),
            r[~r["role"].isin(known)],
            ("projectID", "organisationID", "role"),
        )
        return pd.DataFrame(
            {
                "action_id": r["pkey"].map(action_ids),
                "org_id": r["okey"].map(org_ids),
                "role": r["mapped"],
                "contribution_eur": number_text(r["contribution"]),
                "cost_eur": number_text(r["cost"]),
                "source_ids": "cordis-project-" + r["projectID"] + ";" + r["_file"].map(self.sources),
                "notes": ("CORDIS role " + r["role"]).where(r["role"] != "", "CORDIS gives no role"),
            }
        )

    def source_table(self, p: pd.DataFrame) -> pd.DataFrame:
        files = []
        for f in sorted(
            self.found, key=lambda f: [layout.kind for layout in LAYOUTS].index(f.layout.kind)
        ):  # project files first, in any order given
            rows = self.projects if f.layout.kind == PROJECTS.kind else self.rows
            updated = _latest_date(rows.loc[rows["_file"] == f.name, "contentUpdateDate"])
            files.append(
                {
                    "source_id": self.sources[f.name],
                    "title": f"CORDIS {f.layout.kind} file {PurePosixPath(f.name).name}"
                    + (f", records updated up to {updated}" if updated else "")
                    + f"; imported {self.as_of}",
                    "publisher": PUBLISHER,
                    "published_on": updated,
                    "language": "en",
                }
            )
        pages = pd.DataFrame(
            {
                "source_id": "cordis-project-" + p["id"],
                "title": "CORDIS project page: "
                + p["acronym"].where(p["acronym"] != "", p["id"])
                + " (project "
                + p["id"]
                + ")",
                "url": PROJECT_PAGE + p["id"],
                "publisher": PUBLISHER,
                "language": "en",
            }
        )
        return pd.concat([pd.DataFrame(files), pages], ignore_index=True)

    def run(self) -> dict[str, pd.DataFrame]:
        self.progress(
            _("Mapping {projects} projects and {rows} participation rows").format(
                projects=i18n.integer(len(self.projects)), rows=i18n.integer(len(self.rows))
            )
        )
        p = self.narrow_projects(self.clean_projects())
        r = self.clean_rows(p["key"])
        r, orgs = self.organisations(r)
        p, r = self.narrow_by_country(p, r, orgs)
        self.report_across_files(p, r)
        r = self.one_per_pair(self.amounts(r))
        orgs = orgs[orgs["okey"].isin(r["okey"].unique())]
        listed = self._listed()
        actions = self.actions(p, listed)
        organisations = self.organisation_table(orgs)
        action_ids = pd.Series(actions["action_id"].to_numpy(), index=p["key"].to_numpy())
        participants = self.participation_table(
            r, action_ids, pd.Series(organisations["org_id"].to_numpy(), index=orgs["okey"].to_numpy())
        )
        self.count_money(pd.Series(amount(p[BUDGET_COLUMN]).to_numpy(), index=p["key"].to_numpy()), r, action_ids)
        tables = {
            "organisations": organisations,
            "agreements": pd.DataFrame(),
            "agreement_parties": pd.DataFrame(),
            "actions": actions,
            "action_participants": participants,
            "sources": self.source_table(p),
        }
        return {name: contract_frame(name, frame) for name, frame in tables.items()}

    def _listed(self) -> pd.Series:
        """Project key -> how many distinct organisations the organization file lists for it."""
        r = self.rows
        numeric = r["projectID"].str.fullmatch(NUMERIC_ID) & r["organisationID"].str.fullmatch(NUMERIC_ID)
        keys = r.loc[numeric, ["projectID", "organisationID"]].astype("int64")
        return keys.groupby("projectID")["organisationID"].nunique()


def _latest_date(values: pd.Series) -> str:
    """The day of a file's latest contentUpdateDate: how recent its records are."""
    days = _day(pd.Series(values.unique()))
    days = days[days != ""]
    return days.max() if len(days) else ""


def _coordinates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(lat, lon) as written in CORDIS's `geolocation` ('52.41,16.91'), '' when unreadable or out of range."""
    parts = values.str.extract(r"^\(?\s*([-+]?\d+(?:\.\d+)?)\s*[,;]\s*([-+]?\d+(?:\.\d+)?)\s*\)?$").fillna("")
    lat, lon = parts[0], parts[1]
    numbers = pd.to_numeric(lat, errors="coerce"), pd.to_numeric(lon, errors="coerce")
    ok = numbers[0].abs().le(90) & numbers[1].abs().le(180)
    return lat.where(ok, ""), lon.where(ok, "")
