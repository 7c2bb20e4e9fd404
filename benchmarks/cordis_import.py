"""Benchmark: `clusternet import cordis` on CORDIS-layout files of Horizon 2020 size, beside `pandas.read_csv` of
the same two files. Run on demand: `.venv/bin/python benchmarks/cordis_import.py [--seed N] [--shape S]`.

The files are SYNTHETIC, in the layout of CORDIS's bulk download (semicolon-separated, every text quoted, decimal
commas, multi-line objectives): 35,000 projects, about 180,000 organization rows, about 40,000 organisations.
Each organization row carries its own amounts (`money`): totalCost, ecContribution and netEcContribution.
`--shape` changes how consortia are drawn (`skewed`: many single-beneficiary grants and a long tail up to 150
partners, a few organisations in thousands of projects; `flat`: mid-size consortia, organisations alike), and
`--seed` the draw, so the import is timed on files it was not written against. Both runs are subprocesses; the
peak memory is each one's own maximum resident set size.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.geography import region_centroids
from analysis.reference import ISO_TO_NUTS, nuts2_names

PROJECT_HEADER = [
    *("id", "acronym", "status", "title", "startDate", "endDate", "totalCost", "ecMaxContribution", "legalBasis"),
    *("topics", "ecSignatureDate", "frameworkProgramme", "masterCall", "subCall", "fundingScheme", "nature"),
    *("objective", "contentUpdateDate", "rcn", "grantDoi"),
]
ORGANIZATION_HEADER = [
    *("projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName", "SME", "activityType"),
    *("street", "postCode", "city", "country", "nutsCode", "geolocation", "organizationURL", "contactForm"),
    *("contentUpdateDate", "rcn", "order", "role", "ecContribution", "netEcContribution", "totalCost"),
    *("endOfParticipation", "active"),
]
# Text of titles and objectives, with the separator and both quotes inside, as CORDIS's own texts have.
WORDS = [
    *("creative", "cultural", "heritage", "digital", "network", "regional", "innovation", "cluster", "research"),
    *("europe", "design", "media", "music", "audiovisual", "platform", "smart", "sustainable", "city", "museum"),
    *("data", "open", "social", "market", "skills", "training", "mobility", "energy", "health", "climate"),
    *("circular", "industry", "value", "chain;", "'quoted'", '"double"', "impact", "policy"),
]
ACTIVITY = (["HES", "REC", "PRC", "PUB", "OTH", ""], [0.28, 0.22, 0.35, 0.07, 0.075, 0.005])
ROLES = (
    ["participant", "partner", "thirdParty", "associatedPartner", "internationalPartner"],
    [0.8, 0.06, 0.1, 0.03, 0.01],
)
COUNTRIES = (
    [
        "DE",
        "UK",
        "ES",
        "IT",
        "FR",
        "NL",
        "BE",
        "EL",
        "PT",
        "AT",
        "SE",
        "DK",
        "FI",
        "PL",
        "IE",
        "CH",
        "NO",
        "IL",
        "US",
        "CZ",
        "HU",
        "SI",
        "RO",
        "XK",
    ],
    [
        0.13,
        0.12,
        0.11,
        0.1,
        0.1,
        0.07,
        0.05,
        0.04,
        0.035,
        0.03,
        0.03,
        0.025,
        0.02,
        0.02,
        0.015,
        0.02,
        0.015,
        0.01,
        0.01,
        0.01,
        0.008,
        0.007,
        0.007,
        0.003,
    ],
)


def _text(rng: np.random.Generator, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS, rng.integers(low, high)))


def _amount(euros: float) -> str:
    return f"{euros:.2f}".replace(".", ",").removesuffix(",00")


def money(rng: np.random.Generator, cost: float, activities: list[str], roles: list[str]) -> list[list[str]]:
    """totalCost, ecContribution and netEcContribution of each participant of a project, as CORDIS writes them
    (decimal commas): the project's cost split unevenly (the coordinator's share larger), funded at 100 % or, for
    half the companies, 70 %, scaled down where the sum would pass the project's ecMaxContribution (90 % of its
    cost); associated partners receive nothing; a few participants pass part of their contribution on to third
    parties (net below gross); about 1 % have no net amount (empty), and a tenth of those no gross amount either."""
    weights = rng.gamma(2.0, 1.0, len(activities))
    weights[0] *= 2
    costs = cost * weights / weights.sum()
    rates = np.array([0.7 if a == "PRC" and rng.random() < 0.5 else 1.0 for a in activities])
    rates[[r == "associatedPartner" for r in roles]] = 0.0
    gross = costs * rates * min(1.0, 0.9 * cost / max((costs * rates).sum(), 0.01))
    out = []
    for own, ec in zip(np.round(costs, 2), np.round(gross, 2), strict=True):
        draw = rng.random()
        net = "" if draw < 0.01 else _amount(round(ec * rng.uniform(0.5, 0.95), 2) if draw < 0.04 else ec)
        out.append([_amount(own), "" if draw < 0.001 else _amount(ec), net])
    return out


def generate(folder: Path, seed: int, shape: str, projects: int = 35_000, orgs: int = 42_000) -> tuple[Path, Path]:
    """Write project.csv and organization.csv of the given size; return their paths. The amounts of the
    organization rows are drawn apart (a generator of their own), so the rest is the same as without them."""
    rng = np.random.default_rng(seed)
    amounts_rng = np.random.default_rng([seed, 23])
    regions = sorted(nuts2_names())
    centres = region_centroids()
    by_country: dict[str, list[str]] = {}
    for code in regions:
        by_country.setdefault(code[:2], []).append(code)
    countries = rng.choice(COUNTRIES[0], orgs, p=np.array(COUNTRIES[1]) / sum(COUNTRIES[1]))
    pics = rng.choice(np.arange(880_000_000, 999_999_999), orgs, replace=False)
    org_rows = []
    for i in range(orgs):
        country = countries[i]
        nuts = ISO_TO_NUTS.get(country, country)
        options = by_country.get(nuts, [])
        draw = rng.random()
        region = str(rng.choice(options)) if options else ""
        if options and draw < 0.8:
            nuts_code = region + str(rng.integers(1, 9))
        elif draw < 0.9:
            nuts_code = country
        else:
            nuts_code = "" if draw < 0.97 else f"{country}ZZZ"
        # Near the region's centre (CORDIS geocodes addresses), else anywhere in Europe.
        lat, lon = centres.get(region, (rng.uniform(36, 60), rng.uniform(-9, 28)))
        lat, lon = lat + rng.normal(0, 0.2), lon + rng.normal(0, 0.2)
        url = ("http://www." if rng.random() < 0.6 else "www.") + f"org{i}.example" if rng.random() < 0.7 else ""
        org_rows.append(
            [
                str(pics[i]),
                f"{country}{rng.integers(10**8, 10**9)}",
                (_text(rng, 2, 6).upper() + f" {i}").replace(";", ""),
                f"ORG{i}",
                str(rng.random() < 0.3),
                str(rng.choice(ACTIVITY[0], p=ACTIVITY[1])),
                f"STREET {rng.integers(1, 200)}",
                str(rng.integers(1000, 99999)),
                _text(rng, 1, 3).upper(),
                country,
                nuts_code,
                f"{lat},{lon}" if rng.random() < 0.95 else "",
                url,
            ]
        )
    if shape == "skewed":
        # Half the draws by rank (a few research bodies in thousands of projects), half alike.
        popularity = 1 / np.arange(1, orgs + 1) ** 0.9
        popularity = 0.45 * popularity / popularity.sum() + 0.55 / orgs
        sizes = np.where(rng.random(projects) < 0.4, 1, np.minimum(150, 2 + rng.lognormal(1.6, 0.8, projects)))
    else:
        popularity = np.full(orgs, 1 / orgs)
        sizes = rng.integers(2, 9, projects)
    ids = rng.choice(np.arange(600_000, 1_100_000), projects, replace=False)
    project_path, organization_path = folder / "project.csv", folder / "organization.csv"
    with (
        project_path.open("w", newline="", encoding="utf-8") as pf,
        organization_path.open("w", newline="", encoding="utf-8") as of,
    ):
        projects_out = csv.writer(pf, delimiter=";", quoting=csv.QUOTE_ALL)
        rows_out = csv.writer(of, delimiter=";", quoting=csv.QUOTE_ALL)
        projects_out.writerow(PROJECT_HEADER)
        rows_out.writerow(ORGANIZATION_HEADER)
        for n, (pid, size) in enumerate(zip(ids, sizes.astype(int), strict=True)):
            year = int(rng.integers(2014, 2022))
            start = f"{year}-{rng.integers(1, 13):02d}-01"
            end = f"{year + int(rng.integers(1, 6))}-{rng.integers(1, 13):02d}-28"
            acronym = "".join(rng.choice(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"), rng.integers(3, 10)))
            cost = float(rng.uniform(5e4, 2e7))
            paragraphs = [_text(rng, 60, 140) for _ in range(rng.integers(1, 4))]
            status = rng.choice(["SIGNED", "CLOSED", "TERMINATED"], p=[0.35, 0.62, 0.03])
            topic = f"{rng.choice(['MSCA-IF', 'ERC-STG', 'ICT', 'SC6-CULT-COOP', 'SFS', 'NMBP'])}-{year}"
            projects_out.writerow(
                [
                    pid,
                    acronym,
                    status,
                    _text(rng, 4, 14).capitalize(),
                    start,
                    end,
                    _amount(cost),
                    _amount(cost * 0.9),
                    "H2020-EU.3.6.",
                    topic,
                    f"{year - 1}-11-20",
                    "H2020",
                    f"H2020-{topic}",
                    f"H2020-{topic}-1",
                    "RIA",
                    "",
                    "\n".join(paragraphs),
                    "2022-08-31 10:00:00",
                    n,
                    "",
                ]
            )
            members = list(rng.choice(orgs, size, replace=False, p=popularity))
            if size > 2 and rng.random() < 0.03:  # a beneficiary listed again, as its own third party
                members.append(members[-1])
            rows = []
            for order, m in enumerate(members, start=1):
                repeat = order == len(members) and members.count(m) > 1
                role = (
                    "coordinator" if order == 1 else "thirdParty" if repeat else str(rng.choice(ROLES[0], p=ROLES[1]))
                )
                rows.append((order, org_rows[m], role))
            amounts = money(amounts_rng, cost, [row[5] for _, row, _ in rows], [role for _, _, role in rows])
            for (order, row, role), (own_cost, gross, net) in zip(rows, amounts, strict=True):
                rows_out.writerow(
                    [
                        pid,
                        acronym,
                        row[0],
                        row[1],
                        row[2],
                        row[3],
                        row[4],
                        row[5],
                        row[6],
                        row[7],
                        row[8],
                        row[9],
                        row[10],
                        row[11],
                        row[12],
                        f"https://ec.europa.eu/contact-form/{row[0]}/{pid}",
                        "2023-03-06 16:58:00",
                        n * 10 + order,
                        order,
                        role,
                        gross,
                        net,
                        own_cost,
                        "False",
                        "",
                    ]
                )
    return project_path, organization_path


# SYNTHETIC programmes by start year, for a three-programme import: the generator draws H2020-era years (2014-2021).
PROGRAMME_YEARS = (("FP7", 2015), ("H2020", 2019), ("HORIZON", 9999))


def split_by_programme(files: tuple[Path, Path]) -> list[Path]:
    """The generated pair rewritten as one pair per programme (FP7/, H2020/, HORIZON/ beside it), each project's
    frameworkProgramme set by its start year, as CORDIS publishes a programme's files apart."""
    projects = pd.read_csv(files[0], sep=";", dtype=str, keep_default_na=False)
    rows = pd.read_csv(files[1], sep=";", dtype=str, keep_default_na=False)
    year = projects["startDate"].str[:4].astype(int)
    out = []
    low = 0
    for programme, last in PROGRAMME_YEARS:
        chosen = projects[(year > low) & (year <= last)].assign(frameworkProgramme=programme)
        low = last
        folder = files[0].parent / programme
        folder.mkdir(exist_ok=True)
        for name, frame in (("project.csv", chosen), ("organization.csv", rows[rows["projectID"].isin(chosen["id"])])):
            frame.to_csv(folder / name, sep=";", index=False, quoting=csv.QUOTE_ALL)
            out.append(folder / name)
    return out


# Linux hands a process the peak memory of the one that started it (through fork and exec): each run is started
# from this small launcher, so that the peak measured is the run's own, not this generator's.
LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, text=True)
out = process.stdout.read()
_, status, usage = os.wait4(process.pid, 0)
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": usage.ru_maxrss / 1024,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "code": os.waitstatus_to_exitcode(status), "out": out}))
"""


def measured(command: list[str]) -> tuple[float, float, float, str]:
    """(seconds, CPU seconds, peak resident MB, stdout) of a command run in a fresh process."""
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *command], capture_output=True, text=True, check=True)
    sys.stderr.write(done.stderr)
    result = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{command[:4]} failed:\n{result['out']}")
    return result["seconds"], result["cpu"], result["peak_mb"], result["out"]


# The read alone, timed inside its process (the interpreter's start and pandas' import left out): the yardstick.
PANDAS_READ = (
    "import sys, time, pandas as pd; start, cpu = time.perf_counter(), time.process_time(); "
    "[pd.read_csv(p, sep=';') for p in sys.argv[1:]]; print(time.perf_counter() - start, time.process_time() - cpu)"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--shape", choices=["skewed", "flat"], default="skewed")
    parser.add_argument("--projects", type=int, default=35_000)
    parser.add_argument("--orgs", type=int, default=42_000, help="organisations to draw from (about 40,000 take part)")
    parser.add_argument(
        "--programmes",
        action="store_true",
        help="split the files into FP7, H2020 and Horizon Europe pairs by start year, imported together",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cordis-bench-"))
    started = time.perf_counter()
    pair = generate(folder, args.seed, args.shape, args.projects, args.orgs)
    rows = sum(1 for _ in csv.reader(pair[1].open(encoding="utf-8"), delimiter=";")) - 1
    files = split_by_programme(pair) if args.programmes else list(pair)
    sizes = ", ".join(f"{p.parent.name}/{p.name} {p.stat().st_size / 2**20:.0f} MB" for p in files)
    print(
        f"SYNTHETIC CORDIS files ({args.shape}, seed {args.seed}) in {folder}: {sizes}; {args.projects:,} projects,"
        f" {rows:,} organization rows; written in {time.perf_counter() - started:.0f} s"
    )

    _, _, read_mb, times = measured([sys.executable, "-c", PANDAS_READ, *map(str, files)])
    read_s, read_cpu = map(float, times.split())
    cli = [sys.executable, "-m", "analysis.cli", "import", "cordis", *map(str, files), "--out", str(folder / "out")]
    import_s, import_cpu, import_mb, report = measured(cli)
    print(report)
    if args.programmes:
        kept = pd.read_csv(folder / "out" / "actions.csv", dtype=str, keep_default_na=False)["programme"]
        print("actions by programme:", kept.value_counts().sort_index().to_dict())
    print(f"pandas.read_csv of the files: {read_s:.2f} s ({read_cpu:.2f} s CPU), peak {read_mb:.0f} MB")
    print(
        f"clusternet import cordis (the whole command: start, read, map, validate, write): {import_s:.1f} s "
        f"({import_cpu:.1f} s CPU), peak {import_mb:.0f} MB"
    )
    print(
        f"ratio: {import_s / read_s:.1f}x the pandas read in wall time, {import_cpu / read_cpu:.1f}x in CPU time "
        "(the issue allows 30x); memory limit 3 GB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
