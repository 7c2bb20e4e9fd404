"""`clusternet`: validate a dataset, import one from CORDIS, or serve the dashboard on one."""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd

from analysis import comparison, cordis, funding, i18n, importers, keep, suggest, synthetic
from analysis import filters as filter_codec
from analysis.allocator import use_system_allocator
from analysis.dataset import CURATED_DIR, DATA_ENV, Dataset, LoadResult, load_dataset
from analysis.dates import parse_date
from analysis.export import dataset_files
from analysis.filters import Filters, apply
from analysis.i18n import _, ngettext
from analysis.importing.narrow import narrowing
from analysis.importing.read import files_from_paths
from analysis.load import MAX_UPLOAD_BYTES, MB
from analysis.metrics import node_metrics
from analysis.networks import LEVELS, network
from analysis.reference import is_country
from analysis.validate import validate

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
TEXT_COLOUR = "#111111"
PATH_HELP = "a folder of CSVs, a .zip of one, or an .xlsx workbook"
PRIMARY_COLOUR = "#a51c30"


def report_text(path: str, result: LoadResult) -> str:
    """What `clusternet validate` prints: the verdict, every problem on a line, and the count of warnings."""
    lines = []
    if result.dataset is not None:
        sizes = ", ".join(f"{name} {n}" for name, n in result.dataset.sizes().items())
        lines.append(_("{path}: valid ({sizes})").format(path=path, sizes=sizes))
    else:
        errors = len(result.errors)
        lines.append(
            ngettext(
                "{path}: {count} blocking problem; nothing was loaded",
                "{path}: {count} blocking problems; nothing was loaded",
                errors,
            ).format(path=path, count=i18n.integer(errors))
        )
    lines += [p.line() if p.blocking else warning_line(p.line()) for p in result.problems]
    if result.warnings:
        count = len(result.warnings)
        lines.append(ngettext("{count} warning", "{count} warnings", count).format(count=i18n.integer(count)))
    return "\n".join(lines)


def warning_line(text: str) -> str:
    """`warning: ...` (`avviso: ...`)."""
    return _("warning: {text}").format(text=text)


def _report_json(path: str, result: LoadResult) -> str:
    return json.dumps(
        {
            "path": path,
            "valid": result.ok,
            "sizes": result.dataset.sizes() if result.dataset is not None else None,
            "errors": [p.as_dict() for p in result.errors],
            "warnings": [p.as_dict() for p in result.warnings],
        },
        ensure_ascii=False,
        indent=2,
    )


def cmd_validate(args: argparse.Namespace) -> int:
    result = load_dataset(args.path)
    report = _report_json if args.format == "json" else report_text
    print(report(args.path, result))
    return 0 if result.ok else 1


def _filtered(args: argparse.Namespace, command: str) -> tuple[Dataset | None, Filters, int]:
    """The dataset and the filters of a command's options; on a problem it is printed and the exit code given (a
    programme the dataset's actions do not name is refused once the dataset is read)."""
    filters, refused = filter_codec.from_options(args)
    refused += [
        _("country {code} (not an ISO 3166-1 alpha-2 code)").format(code=c)
        for c in filters.countries
        if not is_country(c)
    ]
    if refused:
        print(
            _("clusternet {command}: cannot filter by {what}").format(command=command, what=", ".join(refused)),
            file=sys.stderr,
        )
        return None, filters, 2
    result = load_dataset(args.path)
    if result.dataset is None:
        print(report_text(args.path, result), file=sys.stderr)
        return None, filters, 1
    unknown = filter_codec.from_options(args, programmes=filter_codec.programmes_of(result.dataset))[1]
    if unknown:
        said = _("clusternet {command}: cannot filter by {what}").format(command=command, what=", ".join(unknown))
        print(said, file=sys.stderr)
        return None, filters, 2
    present = set(result.dataset.organisations["country"].dropna())
    if absent := [c for c in filters.countries if c not in present]:
        said = _("no organisation of {countries} in {path}").format(countries=", ".join(absent), path=args.path)
        print(warning_line(said), file=sys.stderr)
    return result.dataset, filters, 0


def cmd_metrics(args: argparse.Namespace) -> int:
    data, filters, code = _filtered(args, "metrics")
    if data is None:
        return code
    view = apply(data, filters)
    net = network(view, args.level)
    nodes = ngettext("{count} node", "{count} nodes", len(net.nodes)).format(count=i18n.integer(len(net.nodes)))
    links = ngettext("{count} link", "{count} links", len(net.links)).format(count=i18n.integer(len(net.links)))
    print(
        _("{filters}: {nodes}, {links}").format(filters=filters.describe(), nodes=nodes, links=links), file=sys.stderr
    )
    table = net.with_items(net.edges)[["a", "b", "weight", "items"]] if args.edges else node_metrics(net)
    if args.format == "json":
        print(table.to_json(orient="records", force_ascii=False, indent=2))
    else:
        sys.stdout.write(table.to_csv(index=False))
    return 0


def cmd_funding(args: argparse.Namespace) -> int:
    prog = "clusternet funding"
    wrong = []
    if args.per_inhabitant and (args.level == "org" or args.by is not None):
        wrong.append(_("--per-inhabitant needs --level region or country, without --by"))
    if args.spread and args.by != "year":
        wrong.append(_("--spread needs --by year"))
    if wrong:
        print(cannot_use(prog, wrong), file=sys.stderr)
        return 2
    data, filters, code = _filtered(args, "funding")
    if data is None:
        return code
    view = apply(data, filters)
    money = funding.summary(view)
    print(
        _("{filters}: {measure} {amount} EUR in {participations}; {without} without an amount").format(
            filters=filters.describe(),
            measure=_(funding.CONTRIBUTION.label),
            amount=i18n.decimal(money.contribution_eur, 2),
            participations=ngettext("{count} participation", "{count} participations", money.participations).format(
                count=i18n.integer(money.participations)
            ),
            without=i18n.integer(money.without_amount),
        ),
        file=sys.stderr,
    )
    if not funding.has_amounts(view):
        print(
            warning_line(_("no participation of {path} carries an amount (contribution_eur)").format(path=args.path)),
            file=sys.stderr,
        )
    table = funding.funding_table(view, args.level, args.by, args.per_inhabitant, args.spread)
    if args.format == "json":
        # json.dumps writes each amount as Python's shortest repr (1500.3), where pandas' writer adds binary noise
        rows = table.astype(object).where(table.notna(), None).to_dict("records")
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=int))
    else:
        sys.stdout.write(table.to_csv(index=False))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    try:
        spans = [comparison.parse_span(text) if text else None for text in (args.a, args.b)]
    except ValueError as exc:
        print(f"clusternet compare: {exc}", file=sys.stderr)
        return 2
    data, filters, code = _filtered(args, "compare")
    if data is None:
        return code
    sides = {"a_programme": args.a_programme, "b_programme": args.b_programme}
    a_programmes, b_programmes, unknown = comparison.parse_sides(sides, filter_codec.programmes_of(data))
    if unknown:
        said = _("clusternet {command}: cannot filter by {what}").format(command="compare", what=", ".join(unknown))
        print(said, file=sys.stderr)
        return 2
    default = comparison.defaults(data.incidence.years(), a_programmes, b_programmes)
    a = spans[0] or (default.a_from, default.a_to)
    b = spans[1] or (default.b_from, default.b_to)
    periods = comparison.Periods(*a, *b, a_programmes, b_programmes).resolved(filters)
    print(_("Comparing {what}").format(what=filters.describe(period=periods.words)), file=sys.stderr)
    found = comparison.compare_dataset(data, periods, filters)
    if args.format == "json":
        print(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(found.rows().to_csv(index=False))
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    prog = "clusternet suggest"
    within = [c.strip().upper() for text in args.within for c in text.split(",") if c.strip()]
    wrong = [_("--in {code} (not an ISO 3166-1 alpha-2 code)").format(code=c) for c in within if not is_country(c)]
    if args.backtest is None and args.level == "org" and not args.org:
        wrong.append(_("no --org (the organisation to suggest partners for)"))
    if args.backtest is None and args.level != "org" and not args.place:
        wrong.append(
            _("--level {level} without --place (the {level} to suggest partners for)").format(level=args.level)
        )
    if args.top < 0:
        wrong.append(_("--top must be at least 0 (was {top})").format(top=args.top))
    if wrong:
        print(cannot_use(prog, wrong), file=sys.stderr)
        return 2
    data, filters, code = _filtered(args, "suggest")
    if data is None:
        return code
    if args.backtest is not None:
        try:
            found = suggest.backtest(data, filters, parse_date(args.backtest).text)  # DateError is a ValueError
        except ValueError as exc:
            print(f"{prog}: {exc}", file=sys.stderr)
            return 2
        print("\n".join(found.lines()), file=sys.stderr)
        if args.format == "json":
            print(json.dumps(found.as_dict(), indent=2))
        else:
            sys.stdout.write(found.table().to_csv(index=False))
        return 0
    node = args.org if args.level == "org" else args.place
    partners = suggest.partners_for(data, filters, args.level)
    kinds = [k for text in args.in_kind for k in text.split(",") if k]
    try:
        found = partners.suggest(node, within, kinds, args.top or None)
    except suggest.UnknownNode:
        where = {"node": node, "path": args.path, "filters": filters.describe(), "level": args.level}
        if args.level == "org":
            said = _("no organisation '{node}' in view in {path} ({filters})").format(**where)
        else:
            said = _("no {level} (place) '{node}' in view in {path} ({filters})").format(**where)
        print(f"{prog}: {said}", file=sys.stderr)
        return 2
    key = "org_id" if args.level == "org" else "place"
    rows = [s.as_dict(key) for s in found]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        table = pd.DataFrame(rows, columns=[key, "name", "country", "score", "common_partners", "reasons"])
        table["common_partners"] = table["common_partners"].map(";".join)
        table["reasons"] = table["reasons"].map(" | ".join)
        sys.stdout.write(table.to_csv(index=False))
    return 0


def cmd_synthetic(args: argparse.Namespace) -> int:
    wrong = [
        _("--{name} must be at least {least} (was {value})").format(name=name, least=least, value=value)
        for name, value, least in (
            ("orgs", args.orgs, 1),
            ("agreements", args.agreements, 0),
            ("actions", args.actions, 0),
            ("max-consortium", args.max_consortium, 2),
        )
        if value < least
    ]
    if wrong:
        print(f"clusternet synthetic: {'; '.join(wrong)}", file=sys.stderr)
        return 2
    out = Path(args.out)
    if out.resolve() == CURATED_DIR.resolve():
        print(_("clusternet synthetic: refusing to write synthetic data over the curated dataset"), file=sys.stderr)
        return 2
    tables = synthetic.generate(args.orgs, args.agreements, args.actions, args.seed, args.shape, args.max_consortium)
    synthetic.write(out, tables)
    sizes = ", ".join(f"{name} {len(frame)}" for name, frame in tables.items())
    print(_("SYNTHETIC dataset written to {out} ({sizes})").format(out=out, sizes=sizes))
    return 0


WARNINGS_PRINTED = 20  # of a converted dataset's warnings; the rest are counted


def cmd_import(args: argparse.Namespace) -> int:
    importer = importers.by_command(args.layout)
    prog = f"clusternet import {importer.command}"
    topics = getattr(args, "topic", [])
    only, refused = narrowing(args.programme, topics, args.country, args.start_from, args.start_to)
    try:
        as_of = parse_date(args.as_of).first if args.as_of else None
    except ValueError as exc:
        refused.append(f"--as-of {args.as_of} ({exc})")
    out = Path(args.out)
    if out.resolve() == CURATED_DIR.resolve():
        refused.append(_("--out {out} (the curated dataset: choose another folder)").format(out=out))
    elif out.exists() and not out.is_dir():
        refused.append(_("--out {out} (a file, not a folder)").format(out=out))
    if refused:
        print(cannot_use(prog, refused), file=sys.stderr)
        return 2
    started = time.monotonic()

    def progress(step: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {step}", file=sys.stderr, flush=True)

    files, missing = files_from_paths(args.paths)
    if missing:
        print("\n".join(f"{prog}: {p.value}: {p.message}" for p in missing), file=sys.stderr)
        return 2
    done = importer.convert(files, only, as_of, progress)
    print("\n".join(done.report.lines()))
    if done.tables is not None:
        print(importer.caption(done.report))
    if done.tables is None:
        print(_("Nothing was written to {out}.").format(out=out))
        return 1
    raw = importer.raw_dataset(done, files, out.resolve().name, only)
    del files  # the raw bytes can go before the tables are checked and written
    rows = sum(len(t.frame) for t in raw.tables.values())
    progress(_("Checking {rows} rows against the contract").format(rows=i18n.integer(rows)))
    problems = validate(raw)
    if errors := [p for p in problems if p.blocking]:  # a fault of the conversion: say so, write nothing
        print(
            _("Nothing was written to {out}: the converted tables break the contract (please report this):").format(
                out=out
            )
        )
        print("\n".join(p.line() for p in errors))
        return 1
    progress(_("Writing {out}").format(out=out))
    out.mkdir(parents=True, exist_ok=True)
    written = dataset_files(done.tables)
    for filename, data in written.items():
        (out / filename).write_bytes(data)
    sizes = ", ".join(f"{name} {len(frame)}" for name, frame in done.tables.items())
    warnings = [p for p in problems if not p.blocking]
    if warnings:
        print(
            ngettext(
                "Wrote {out} ({sizes}); it validates with {count} warning:",
                "Wrote {out} ({sizes}); it validates with {count} warnings:",
                len(warnings),
            ).format(out=out, sizes=sizes, count=i18n.integer(len(warnings)))
        )
    else:
        print(_("Wrote {out} ({sizes}); it validates.").format(out=out, sizes=sizes))
    for problem in warnings[:WARNINGS_PRINTED]:
        print(warning_line(problem.line()))
    if (more := len(warnings) - WARNINGS_PRINTED) > 0:
        print(
            ngettext(
                "... and {count} more warning: clusternet validate {out} lists them all",
                "... and {count} more warnings: clusternet validate {out} lists them all",
                more,
            ).format(count=i18n.integer(more), out=out)
        )
    if others := sorted(p.name for p in out.glob("*.csv") if p.name not in written):
        print(
            _("Note: {out} also holds {files}, which clusternet validate {out} reads too").format(
                out=out, files=", ".join(others)
            )
        )
    progress(_("Done"))
    return 0


def _port_problem(address: str, port: int) -> str | None:
    """Why the dashboard could not listen on this port, or None."""
    if not 1 <= port <= 65535:
        return _("--port must be between 1 and 65535 (was {port})").format(port=port)
    try:
        with socket.create_server((address, port)):
            return None
    except OSError as exc:
        return _("cannot listen on {address}:{port} ({reason}): choose another --port or --address").format(
            address=address, port=port, reason=exc.strerror or exc
        )


def cannot_use(prog: str, wrong: list[str]) -> str:
    """`clusternet suggest: cannot use --top must be ...; ...`."""
    return _("{prog}: cannot use {what}").format(prog=prog, what="; ".join(wrong))


def cmd_run(args: argparse.Namespace) -> int:
    if problem := _port_problem(args.address, args.port):
        print(f"clusternet run: {problem}", file=sys.stderr)
        return 2
    data = Path(args.data).resolve()
    env = dict(os.environ, **{DATA_ENV: str(data)})
    options = [
        "--server.headless=true",
        f"--server.port={args.port}",
        f"--server.address={args.address}",
        "--browser.gatherUsageStats=false",
        f"--server.maxUploadSize={MAX_UPLOAD_BYTES // MB}",  # the server refuses bigger files outright
        # Tables' built-in CSV export writes dataset text as is, formulas included; the pages offer
        # neutralised CSV/XLSX downloads instead (charts.files).
        "--client.disableDataExport=true",
        # Analysts get no developer actions ("Deploy", rerun settings) in the toolbar.
        "--client.toolbarMode=viewer",
        # Streamlit collects all of Python's garbage after every run: with a programme's dataset in memory that is
        # 0.1-0.2 s of a whole core, holding the lock the websocket needs to send the run's end (a measure switch at
        # Horizon 2020 size). Python's own collector still runs; dashboard.serve freezes the loaded dataset out of it.
        "--runner.postScriptGC=false",
        # WCAG 2.1 AA: text at 4.5:1 or more. Streamlit fades captions and tints selected controls from these two;
        # its defaults give 3.9:1 and 4.5:1 less a hair (axe-core, tests/e2e/test_accessibility.py).
        f"--theme.textColor={TEXT_COLOUR}",
        f"--theme.primaryColor={PRIMARY_COLOUR}",
    ]
    # dashboard.serve loads and checks the dataset (printing the problems and exiting 1 if it does not load), then
    # becomes the Streamlit server in the same process, with the dataset and the pages' modules already in memory.
    print(
        _("Serving ClusterNet on {url} with {data}").format(url=f"http://{args.address}:{args.port}", data=data),
        flush=True,
    )
    cache = ["--no-cache"] if args.no_cache else []  # else dashboard.serve reads the dataset from the cache if it can
    os.execve(sys.executable, [sys.executable, "-m", "dashboard.serve", *cache, str(APP), *options], env)
    return 0  # not reached: execve replaces this process


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="clusternet", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check a dataset against the data contract")
    check.add_argument("path", help=PATH_HELP)
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(func=cmd_validate)
    metrics = commands.add_parser("metrics", help="node metrics or links of a network, under filters")
    metrics.add_argument("path", help=PATH_HELP)
    metrics.add_argument(
        "--level",
        choices=list(LEVELS),
        default="org",
        help="; ".join(f"{name}: {level.title.lower()}" for name, level in LEVELS.items()),
    )
    filter_codec.add_options(metrics)
    metrics.add_argument("--edges", action="store_true", help="the link table (a,b,weight,items) instead of nodes")
    metrics.add_argument("--format", choices=["csv", "json"], default="csv")
    metrics.set_defaults(func=cmd_metrics)
    money = commands.add_parser(
        "funding",
        help="EU contribution per organisation, region or country; by partner or by year; under filters",
        description=textwrap.fill(
            "The EU contribution (the sum of contribution_eur over the participations in view, each once; "
            "participations without an amount are counted, never read as zero) per organisation, NUTS-2 region or "
            "country. --by partner: the money each received in actions shared with each partner, each participant's "
            "amount spread evenly over its partners in the action (partner empty: actions without partners; equal "
            "to the id: partners of the same region or country). --by year: by the actions' start year, or spread "
            "evenly over their years with --spread. Amounts are rounded to the cent; each id's rows add up to its "
            "total.",
            100,
        ),
    )
    money.add_argument("path", help=PATH_HELP)
    money.add_argument("--level", choices=list(funding.LEVEL_COLUMNS), default="org")
    money.add_argument("--by", choices=funding.BY, help="one row per (id, partner) or (id, year)")
    money.add_argument("--spread", action="store_true", help="with --by year: spread over each action's years")
    money.add_argument(
        "--per-inhabitant",
        action="store_true",
        help="add population (Eurostat, 1 January 2023) and the contribution per inhabitant (region or country)",
    )
    filter_codec.add_options(money)
    money.add_argument("--format", choices=["csv", "json"], default="csv")
    money.set_defaults(func=cmd_funding)
    compare = commands.add_parser(
        "compare",
        help="what changed between two periods: organisations joined and left, links new and lost, movers",
        description="Compare the networks of two periods under the same other filters. Without --a and --b, the "
        "dataset's years are cut in two halves; a side set by programme (--a-programme, --b-programme, in place of "
        "--programme) spans every year.",
    )
    compare.add_argument("path", help=PATH_HELP)
    compare.add_argument("--a", metavar="FROM:TO", help="the first period, e.g. 2011:2014 (2014-11:2015, :2014)")
    compare.add_argument("--b", metavar="FROM:TO", help="the second period, e.g. 2015:2025 (2015: for no end)")
    for side in ("a", "b"):
        compare.add_argument(
            f"--{side}-programme",
            action="append",
            default=[],
            metavar="PROGRAMME",
            help=f"set {side.upper()} by programme (repeat for several; without --{side}, every year of it)",
        )
    filter_codec.add_options(compare, period=False)
    compare.add_argument("--format", choices=["json", "csv"], default="json")
    compare.set_defaults(func=cmd_compare)
    sug = commands.add_parser(
        "suggest",
        help="partners an organisation (or a region, a country) might work with next, with reasons; or a backtest",
        description="Rank the organisations not yet tied to --org by the Adamic-Adar index (the sum over common "
        "partners of 1 / ln(their degree)) on the organisation network under the filters; with --level region or "
        "country, the places not yet tied to --place. --backtest hides the links that first appear after a date and "
        "reports AUC and precision at 10 of Adamic-Adar, common neighbours and a seeded random ranking.",
    )
    sug.add_argument("path", help=PATH_HELP)
    sug.add_argument("--org", metavar="ORG_ID", help="the organisation to suggest partners for")
    sug.add_argument("--level", choices=["org", "region", "country"], default="org")
    sug.add_argument("--place", metavar="CODE", help="the region (NUTS-2) or country (ISO) with --level")
    sug.add_argument(
        "--in", dest="within", action="append", default=[], metavar="CC", help="candidates of this country only"
    )
    sug.add_argument("--in-kind", action="append", default=[], metavar="KIND", help="candidates of this kind only")
    sug.add_argument("--top", type=int, default=suggest.DEFAULT_TOP, help="how many (0: every candidate)")
    sug.add_argument("--backtest", metavar="SPLIT_DATE", help="the backtest's figures for a split date (e.g. 2018)")
    filter_codec.add_options(sug)
    sug.add_argument("--format", choices=["json", "csv"], default="json")
    sug.set_defaults(func=cmd_suggest)
    synth = commands.add_parser("synthetic", help="write a SYNTHETIC dataset (for benchmarks) to a folder")
    synth.add_argument("out")
    synth.add_argument("--orgs", type=int, default=10_000)
    synth.add_argument("--agreements", type=int, default=2_000)
    synth.add_argument("--actions", type=int, default=5_000)
    synth.add_argument("--seed", type=int, default=synthetic.SEED)
    synth.add_argument(
        "--shape",
        choices=synthetic.SHAPES,
        default="classic",
        help="classic: items of 2-4 organisations, a few of 20-60, regions uniform; programme: Horizon 2020-like, "
        "consortia with a heavy tail up to --max-consortium and a programme-like country mix",
    )
    synth.add_argument(
        "--max-consortium",
        type=int,
        default=synthetic.MAX_CONSORTIUM,
        help=f"largest number of organisations in one item (programme shape; default {synthetic.MAX_CONSORTIUM})",
    )
    synth.set_defaults(func=cmd_synthetic)
    imports = commands.add_parser("import", help="make a dataset from files of another layout (CORDIS, keep.eu)")
    layouts = imports.add_subparsers(dest="layout", required=True)
    cordis_cmd = layouts.add_parser(
        "cordis",
        help="CORDIS project and organization files, as downloaded, to a dataset",
        description=textwrap.fill(
            "Read CORDIS files (project.csv and organization.csv, comma- or semicolon-separated, or the .xlsx "
            "versions; loose, in a folder or in a .zip), each recognised by its columns, and write a dataset of the "
            "contract to --out, checked as `clusternet validate` checks it. Prints what was read, kept and dropped "
            "(with the reasons and the first rows of each kind); progress goes to stderr.",
            100,
        ),
        epilog=cordis.mapping_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    import_arguments(cordis_cmd, "CORDIS", "participant")
    cordis_cmd.add_argument(
        "--programme", action="append", default=[], help="keep projects of this frameworkProgramme (HORIZON, H2020)"
    )
    cordis_cmd.add_argument(
        "--topic", action="append", default=[], help="keep projects whose topic starts so (HORIZON-CL2)"
    )
    cordis_cmd.add_argument(
        "--as-of", help="the day SIGNED projects' status is read against their dates (default: today)"
    )
    cordis_cmd.set_defaults(func=cmd_import)
    keep_cmd = layouts.add_parser(
        "keep",
        help="keep.eu (Interreg) project and partner exports, as downloaded, to a dataset",
        description=textwrap.fill(
            "Read keep.eu exports (the search export workbook with its projects and partners sheets, or the older "
            "per-period workbook, with or without its ;-separated partnership CSV; loose, in a folder or in a .zip), "
            "each sheet or file recognised by its columns, and write a dataset of the contract to --out, checked as "
            "`clusternet validate` checks it. Prints what was read, kept, merged and dropped (with the reasons and "
            "the first rows of each kind); progress goes to stderr.",
            100,
        ),
        epilog=keep.mapping_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    import_arguments(keep_cmd, "keep.eu", "partner")
    keep_cmd.add_argument(
        "--programme",
        action="append",
        default=[],
        help="keep projects of the programmes whose name holds this (Central Europe), accents and case ignored",
    )
    keep_cmd.add_argument("--as-of", help="the day statuses are read against the projects' dates (default: today)")
    keep_cmd.set_defaults(func=cmd_import)
    run = commands.add_parser("run", help="serve the dashboard")
    run.add_argument("--data", default=str(CURATED_DIR), help="dataset to open (default: the curated one)")
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--address", default="localhost")
    run.add_argument(
        "--no-cache",
        action="store_true",
        help="read and check the dataset's files at this start, and keep nothing in the cache of checked datasets",
    )
    run.set_defaults(func=cmd_run)
    for command in (check, metrics, money, compare, sug, synth, cordis_cmd, keep_cmd, run):
        with_language(command)
    return top


def import_arguments(command: argparse.ArgumentParser, source: str, member: str) -> None:
    """What every `clusternet import` takes: the files, --out, and narrowing by country and start."""
    command.add_argument("paths", nargs="+", metavar="PATH", help=f"{source} files, folders of them, or .zip files")
    command.add_argument("--out", required=True, metavar="DIR", help="the folder to write the dataset to")
    command.add_argument(
        "--country",
        action="append",
        default=[],
        help=f"keep projects with a {member} of this country (ISO, or EL/UK), with all their {member}s",
    )
    command.add_argument("--from", dest="start_from", help="keep projects starting on or after this date")
    command.add_argument("--to", dest="start_to", help="keep projects starting on or before this date")


def with_language(command: argparse.ArgumentParser) -> None:
    """`--lang`: the language every command speaks (its messages, the problems it reports, the words of its
    output), English by default. The dashboard's pages take theirs from the URL or the browser."""
    command.add_argument(
        "--lang",
        choices=list(i18n.LANGUAGES),
        default=i18n.ENGLISH,
        help="the language of the messages: en (English, the default) or it (Italiano)",
    )


def main(argv: list[str] | None = None) -> int:
    use_system_allocator()
    args = parser().parse_args(argv)
    try:
        with i18n.speaking(args.lang):
            return args.func(args)
    except BrokenPipeError:
        # `clusternet compare ... | head` closed the pipe early: what was wanted was read; no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
