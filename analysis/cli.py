"""`clusternet`: validate a dataset, or serve the dashboard on one."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from analysis.dataset import CURATED_DIR, LoadResult, load_dataset

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
DATA_ENV = "CLUSTERNET_DATA"


def _report_text(path: str, result: LoadResult) -> str:
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
    report = _report_json if args.format == "json" else _report_text
    print(report(args.path, result))
    return 0 if result.ok else 1


def cmd_run(args: argparse.Namespace) -> int:
    data = Path(args.data).resolve()
    result = load_dataset(data)
    if not result.ok:
        print(_report_text(str(data), result), file=sys.stderr)
        return 1
    env = dict(os.environ, **{DATA_ENV: str(data)})
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless=true",
        f"--server.port={args.port}",
        f"--server.address={args.address}",
        "--browser.gatherUsageStats=false",
    ]
    print(f"Serving ClusterNet on http://{args.address}:{args.port} with {data}", flush=True)
    os.execve(sys.executable, command, env)
    return 0  # not reached: execve replaces this process


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="clusternet", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check a dataset against the data contract")
    check.add_argument("path", help="a folder of CSVs, a .zip of one, or an .xlsx workbook")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(func=cmd_validate)
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
