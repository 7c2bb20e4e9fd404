"""The server process `clusternet run` becomes: the dataset loaded, checked and indexed, and the pages' modules
imported, before Streamlit listens; the first analyst then waits for neither. `python -m dashboard.serve APP
[streamlit options]`; the dataset is the one CLUSTERNET_DATA names (the curated one if unset)."""

from __future__ import annotations

import gc
import importlib
import pkgutil
import sys
import time

from analysis.cli import report_text
from analysis.dataset import load_dataset
from dashboard import state, views


def import_pages() -> None:
    """Every page's module, imported once here rather than by the first analyst's run (none is left out: the
    list is the folder's, not one to keep in step with dashboard/app.py)."""
    for module in pkgutil.iter_modules(views.__path__):
        importlib.import_module(f"{views.__name__}.{module.name}")


def main(argv: list[str]) -> int:
    path = state.server_path()
    started = time.perf_counter()
    print(f"Loading and checking {path}…", file=sys.stderr, flush=True)
    result = load_dataset(path)
    if result.dataset is None:
        print(report_text(path, result), file=sys.stderr)
        return 1
    print(
        f"Dataset loaded and checked in {time.perf_counter() - started:.1f} s; preparing the unfiltered view…",
        file=sys.stderr,
        flush=True,
    )
    import_pages()
    state.serve(path, result.dataset).warm()
    print(f"Unfiltered view prepared after {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    gc.freeze()  # the dataset and its indexes live as long as the server: the collector need not scan them again
    from streamlit.web import cli as streamlit_cli  # here: only the server needs it

    sys.argv = ["streamlit", "run", *argv]
    return streamlit_cli.main()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
