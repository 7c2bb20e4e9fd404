"""The server process `clusternet run` becomes: the dataset loaded, checked and indexed, and the pages' modules
imported, before Streamlit listens; the first analyst then waits for neither. `python -m dashboard.serve [--no-cache]
APP [streamlit options]`; the dataset is the one CLUSTERNET_DATA names (the curated one if unset), read from the cache
of checked datasets (analysis.store) when the same files were checked before, unless --no-cache is given."""

from __future__ import annotations

import gc
import importlib
import pkgutil
import sys
import time

from analysis import store
from analysis.allocator import use_system_allocator
from analysis.cli import report_text
from analysis.dataset import LoadResult, load_dataset
from dashboard import state, views


def import_pages() -> None:
    """Every page's module, imported once here rather than by the first analyst's run (none is left out: the
    list is the folder's, not one to keep in step with dashboard/app.py)."""
    for module in pkgutil.iter_modules(views.__path__):
        importlib.import_module(f"{views.__name__}.{module.name}")


NO_CACHE = "--no-cache"


def say(line: str) -> None:
    """A line of the server's start on its log."""
    print(line, file=sys.stderr, flush=True)


def load(path: str, cached: bool) -> LoadResult:
    """The server's dataset, from the cache if the same files were checked before (when `cached`), else from the
    files (kept in the cache for the next start); says which, and how long it took."""
    started = time.perf_counter()
    kept = store.Store(store.cache_dir(), say=say) if cached else None
    say(f"Loading {path}…" if kept is None else f"Loading {path} (cache: {kept.folder})…")
    result = load_dataset(path, kept)
    if result.dataset is not None:
        how = "read from the cache" if result.from_cache else "read and checked from the files"
        say(f"Dataset {how} in {time.perf_counter() - started:.1f} s")
    return result


def main(argv: list[str]) -> int:
    use_system_allocator()
    cached = NO_CACHE not in argv[:1]
    argv = argv[1:] if not cached else argv
    path = state.server_path()
    started = time.perf_counter()
    result = load(path, cached)
    if result.dataset is None:
        print(report_text(path, result), file=sys.stderr)
        return 1
    say("Preparing the unfiltered view…")
    import_pages()
    served = state.serve(path, result.dataset)
    served.warm()
    say(f"Unfiltered view prepared after {time.perf_counter() - started:.1f} s")
    gc.freeze()  # the dataset and its indexes live as long as the server: the collector need not scan them again
    served.warm_rest()
    from streamlit.web import cli as streamlit_cli  # here: only the server needs it

    sys.argv = ["streamlit", "run", *argv]
    return streamlit_cli.main()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
