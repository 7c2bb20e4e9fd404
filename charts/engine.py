"""The image engine: kaleido driving the one Chromium named by CLUSTERNET_CHROMIUM, one export at a time."""

from __future__ import annotations

import os
import shutil
import threading
import time
import warnings

import plotly.graph_objects as go

CHROMIUM_ENV = "CLUSTERNET_CHROMIUM"  # the one setting for Chromium: image export and the end-to-end tests
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
PNG_WIDTH, PNG_HEIGHT = 1800, 1000
_ENGINE = threading.Lock()  # kaleido serves one page at a time: concurrent exports swap images
ENGINE_WAIT_S = 120
FAILURE_KEPT_S = 60  # after a failed export, images stay off this long, then the engine is tried again
_failure: tuple[str, float] | None = None  # why the last export failed: download threads cannot tell the page


class ImageEngineUnavailable(RuntimeError):
    """Static images cannot be made here (no kaleido or no Chromium); HTML and data downloads still work."""


def chromium() -> str | None:
    """The Chromium to use: $CLUSTERNET_CHROMIUM if set (and nothing else then), else the first one on the PATH;
    None if it is not an executable."""
    path = os.environ.get(CHROMIUM_ENV) or next((p for p in map(shutil.which, CANDIDATES) if p), None)
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def image_engine_problem() -> str | None:
    """Why static images cannot be made here, or None when kaleido and a Chromium are at hand (and the last
    export did not fail)."""
    if _failure and time.monotonic() - _failure[1] < FAILURE_KEPT_S:
        return _failure[0]
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "The image engine (kaleido) is not installed: PNG and SVG downloads are off; HTML and data still work."
    if chromium() is None:
        return (
            "No Chromium was found for the image engine: PNG and SVG downloads are off; HTML and data still work. "
            f"Install Debian's chromium (`make test` does) or set {CHROMIUM_ENV}."
        )
    return None


def image_bytes(fig: go.Figure, fmt: str, width: int = PNG_WIDTH, height: int | None = None) -> bytes:
    """PNG or SVG of a (stamped) figure, one export at a time; ImageEngineUnavailable if it cannot be made.

    The height is the figure's own (a long timeline stays readable), else PNG_HEIGHT.
    """
    global _failure
    height = height or fig.layout.height or PNG_HEIGHT
    if not _ENGINE.acquire(timeout=ENGINE_WAIT_S):  # a hung Chromium must not hold every later export forever
        raise ImageEngineUnavailable(f"The image engine is busy (waited {ENGINE_WAIT_S} s): try again shortly.")
    try:
        import kaleido

        browser = chromium()
        if browser is None:
            raise FileNotFoundError(f"no Chromium at ${CHROMIUM_ENV} or on the PATH")
        os.environ["BROWSER_PATH"] = browser  # where kaleido looks for it
        kaleido.start_sync_server(silence_warnings=True)  # once per process; later calls are no-ops
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # plotly notes that a running server ignores kopts
            image = fig.to_image(format=fmt, width=width, height=height)
        _failure = None
        return image
    except Exception as exc:  # kaleido reports a missing browser in several ways
        message = (
            f"The image engine could not draw the last chart ({type(exc).__name__}: {exc}). "
            "PNG and SVG downloads are off for a minute; HTML and data downloads still work."
        )
        _failure = (message, time.monotonic())
        raise ImageEngineUnavailable(message) from exc
    finally:
        _ENGINE.release()
