"""`clusternet`: validate a dataset, or serve the dashboard on one."""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from pathlib import Path

from analysis import filters as filter_codec
from analysis import synthetic
from analysis.dataset import CURATED_DIR, DATA_ENV, LoadResult, load_dataset
from analysis.filters import apply
from analysis.load import MAX_UPLOAD_BYTES, MB
from analysis.metrics import node_metrics
from analysis.networks import LEVELS, network
from analysis.reference import is_country

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def report_text(path: str, result: LoadResult) -> str:
    """What `clusternet validate` prints: the verdict, every problem on a line, and the count of warnings."""
    lines = []
    if result.dataset is not None:
        sizes = ", ".join(f"{name} {n}" for name, n in result.dataset.sizes().items())
        lines.append(f"{path}: valid ({sizes})")
    else:
        lines.append(f"{path}: {len(result.errors)} blocking problem(s); nothing was loaded")
    lines += [f"{p.line()}" if p.blocking else f"warning: {p.line()}" for p in result.problems]
    if result.warnings:
        lines.append(f"{len(result.warnings)} warning(s)")
    return "\n".join(lines)


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


def cmd_metrics(args: argparse.Namespace) -> int:
    filters, refused = filter_codec.from_options(args)
    refused += [f"country {c} (not an ISO 3166-1 alpha-2 code)" for c in filters.countries if not is_country(c)]
    if refused:
        print(f"clusternet metrics: cannot filter by {', '.join(refused)}", file=sys.stderr)
        return 2
    result = load_dataset(args.path)
    if result.dataset is None:
        print(report_text(args.path, result), file=sys.stderr)
        return 1
    present = set(result.dataset.organisations["country"].dropna())
    if absent := [c for c in filters.countries if c not in present]:
        print(f"warning: no organisation of {', '.join(absent)} in {args.path}", file=sys.stderr)
    view = apply(result.dataset, filters)
    net = network(view, args.level)
    print(f"{filters.describe()}: {len(net.nodes)} nodes, {len(net.links)} links", file=sys.stderr)
    table = net.with_items(net.edges)[["a", "b", "weight", "items"]] if args.edges else node_metrics(net)
    if args.format == "json":
        print(table.to_json(orient="records", force_ascii=False, indent=2))
    else:
        sys.stdout.write(table.to_csv(index=False))
    return 0


def cmd_synthetic(args: argparse.Namespace) -> int:
    wrong = [
        f"--{name} must be at least {least} (was {value})"
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
        print("clusternet synthetic: refusing to write synthetic data over the curated dataset", file=sys.stderr)
        return 2
    tables = synthetic.generate(args.orgs, args.agreements, args.actions, args.seed, args.shape, args.max_consortium)
    synthetic.write(out, tables)
    sizes = ", ".join(f"{name} {len(frame)}" for name, frame in tables.items())
    print(f"SYNTHETIC dataset written to {out} ({sizes})")
    return 0


def _port_problem(address: str, port: int) -> str | None:
    """Why the dashboard could not listen on this port, or None."""
    if not 1 <= port <= 65535:
        return f"--port must be between 1 and 65535 (was {port})"
    try:
        with socket.create_server((address, port)):
            return None
    except OSError as exc:
        return f"cannot listen on {address}:{port} ({exc.strerror or exc}): choose another --port or --address"


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
    ]
    # dashboard.serve loads and checks the dataset (printing the problems and exiting 1 if it does not load), then
    # becomes the Streamlit server in the same process, with the dataset and the pages' modules already in memory.
    print(f"Serving ClusterNet on http://{args.address}:{args.port} with {data}", flush=True)
    os.execve(sys.executable, [sys.executable, "-m", "dashboard.serve", str(APP), *options], env)
    return 0  # not reached: execve replaces this process


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="clusternet", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check a dataset against the data contract")
    check.add_argument("path", help="a folder of CSVs, a .zip of one, or an .xlsx workbook")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(func=cmd_validate)
    metrics = commands.add_parser("metrics", help="node metrics or links of a network, under filters")
    metrics.add_argument("path", help="a folder of CSVs, a .zip of one, or an .xlsx workbook")
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
    run = commands.add_parser("run", help="serve the dashboard")
    run.add_argument("--data", default=str(CURATED_DIR), help="dataset to open (default: the curated one)")
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--address", default="localhost")
    run.set_defaults(func=cmd_run)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
