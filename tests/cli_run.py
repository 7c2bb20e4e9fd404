"""`clusternet ARGS` run in the test's own process: its exit code and what it printed, as subprocess.run gives them.
A subprocess costs a Python start and the imports (about a second of CPU each); tests/analysis/test_cli.py keeps
running the installed command itself."""

from __future__ import annotations

import contextlib
import io
import subprocess

from analysis.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exited:  # argparse's usage errors (2), and commands that exit
            code = exited.code if isinstance(exited.code, int) else 0 if exited.code is None else 1
    return subprocess.CompletedProcess(["clusternet", *args], code, out.getvalue(), err.getvalue())
