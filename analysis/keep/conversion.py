"""keep.eu's conversion: projects keyed by programme and id or acronym, partners joined to them, organisations
merged by PIC or name, country and town, each row that cannot be mapped dropped and counted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from analysis import i18n, search
from analysis.i18n import N_, _, ngettext
from analysis.importing.frame import Job
from analysis.importing.narrow import Narrowing
from analysis.importing.read import Found, Progress
from analysis.importing.values import (
    NUTS_ELSEWHERE,
    NUTS_ONLY_COUNTRY,
    NUTS_UNKNOWN,
    contract_frame,
    number_text,
    nuts2,
    per_value,
    slug,
    when,
)
from analysis.keep.mapping import (
    BUDGET_COLUMN,
    HOME,
    KIND_UNKNOWN,
    KINDS,
    LEAD_WORDS,
    PARTNER_COLUMNS,
    PIC,
    PROJECT_COLUMNS,
    PUBLISHER,
    ROLE_RANK,
)
from analysis.keep.values import amount, countries, day, digest, region_named

# What the report counts rows of (said when the import is made, in the language spoken then).
PROJECT_ROWS = N_("project rows")
PARTNER_ROWS = N_("partner rows")
NUTS_REASONS = {
    NUTS_ONLY_COUNTRY: N_("the NUTS2 code is only the country level: nuts2 left empty"),
    NUTS_UNKNOWN: N_("the NUTS2 code is not a NUTS 2021 code (keep.eu may give an older version): nuts2 left empty"),
    NUTS_ELSEWHERE: N_("the NUTS2 code lies in another country: nuts2 left empty"),
}


class KeepJob(Job):
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
            start_day=day(p["start"]),
            end_day=day(p["end"]),
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
        iso = countries(r["country_code"], r["country_name"])
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
        words = (
            PROJECT_ROWS,
            PARTNER_ROWS,
            N_("no partner in --country {codes}"),
            N_("its project has no partner in --country {codes}"),
        )
        shown = (("programme", "acronym"), ("acronym", "name"))
        return super().narrow_by_country(p, r, r["iso"].isin(self.only.countries), words, shown)

    def amounts(self, r: pd.DataFrame) -> pd.DataFrame:
        """Each row's `contribution` (ERDF, else programme co-financing) and `cost` (total eligible budget) in EUR;
        NaN when not given; an amount that cannot be read is left empty and counted, never read as 0."""
        shown = ("acronym", "name")
        erdf, cofinancing, cost = amount(r["erdf"]), amount(r["cofinancing"]), amount(r["total"])
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
        budget = amount(p["eu_funding"])
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
                "action_id": "keep-" + when(short != "", short + "-") + digest(p["pkey"]),
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
        total, erdf = number_text(amount(p["budget"])), number_text(amount(p["erdf"]))
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
        named = region_named(orgs["nuts"], orgs["iso"]).where(why == NUTS_UNKNOWN, "")
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
        tail = orgs["pic_given"].where(orgs["pic_given"] != "", orgs["iso"].str.lower() + "-" + digest(orgs["okey"]))
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
        self.count_money(pd.Series(amount(p["eu_funding"]).to_numpy(), index=p["pkey"].to_numpy()), r, action_ids)
        tables = {
            "organisations": organisations,
            "agreements": pd.DataFrame(),
            "agreement_parties": pd.DataFrame(),
            "actions": actions,
            "action_participants": participants,
            "sources": self.source_table(),
        }
        return {name: contract_frame(name, table) for name, table in tables.items()}


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
