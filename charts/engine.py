"""The image engine: kaleido driving the one Chromium named by CLUSTERNET_CHROMIUM, supervised.

Kaleido and its Chromium run in a worker process (charts.engine_worker). Each export has a deadline; a failed or
timed-out export kills the worker with everything it started, starts a new one and is tried once more. One export
runs at a time (kaleido swaps images between concurrent ones), and nobody holds that turn past its deadline. When
the server stops, the worker and its Chromium are killed with it; if the server is killed outright, the worker
notices and takes its Chromium down.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import threading
import time

import plotly.graph_objects as go

from analysis.i18n import N_, _
from charts.engine_worker import FAILED, LENGTH, OK, kill_tree

CHROMIUM_ENV = "CLUSTERNET_CHROMIUM"  # the one setting for Chromium: image export and the end-to-end tests
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
PNG_WIDTH, PNG_HEIGHT = 1800, 1000
EXPORT_DEADLINE_S = 30.0  # one try; the first export of a worker starts Chromium, which takes seconds
TRIES = 2  # a failed or timed-out try restarts the worker, then tries once more
FAILURE_KEPT_S = 60  # after an export failed twice, images stay off this long (with the reason), then are tried again
WORKER = [sys.executable, "-m", "charts.engine_worker"]


class ImageEngineUnavailable(RuntimeError):
    """Static images cannot be made here now (no Chromium, or it failed twice); HTML and data downloads still work."""


class WorkerFailed(RuntimeError):
    """One try went wrong: the worker said so, died, or missed its deadline. `message` is a catalogue message
    (N_) with its `values`: the reason is kept, and said later in the language of whoever reads it."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message.format(**values))
        self.message = message
        self.values = values

    def said(self) -> str:
        """The reason in the language spoken."""
        return _(self.message).format(**self.values)


def failure_message(reasons: list[WorkerFailed]) -> str:
    """Why images are off for a while, in the language spoken."""
    why = reasons[0].said() if reasons else _("the server is stopping")
    for reason in reasons[1:]:
        why = _("{earlier}; then {later}").format(earlier=why, later=reason.said())
    return _(
        "The image could not be made ({why}). PNG and SVG downloads are off for {seconds} s, then tried again; "
        "HTML and data downloads still work."
    ).format(why=why, seconds=FAILURE_KEPT_S)


def chromium() -> str | None:
    """The Chromium to use: $CLUSTERNET_CHROMIUM if set (and nothing else then), else the first one on the PATH;
    None if it is not an executable."""
    path = os.environ.get(CHROMIUM_ENV) or next((p for p in map(shutil.which, CANDIDATES) if p), None)
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


class Worker:
    """One worker process and the pipes to it."""

    def __init__(self, command: list[str], browser: str) -> None:
        env = {**os.environ, "BROWSER_PATH": browser}  # where kaleido looks for Chromium
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
        )

    def ask(self, request: bytes, deadline: float) -> bytes:
        """Send one request; the image, or WorkerFailed once the deadline (a monotonic time) has passed."""
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(LENGTH.pack(len(request)) + request)
            self.process.stdin.flush()
        except OSError as exc:
            raise WorkerFailed(N_("the worker is gone ({error})"), error=exc) from exc
        status = self._read(1, deadline)
        payload = self._read(LENGTH.unpack(self._read(LENGTH.size, deadline))[0], deadline)
        if status == OK:
            return payload
        if status == FAILED:  # kaleido's or Chromium's own words, as they are
            raise WorkerFailed("{error}", error=payload.decode(errors="replace"))
        raise WorkerFailed(N_("the worker answered nonsense"))

    def _read(self, size: int, deadline: float) -> bytes:
        stream = self.process.stdout
        assert stream is not None
        data = b""
        while len(data) < size:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerFailed(N_("no image after {seconds} s"), seconds=f"{EXPORT_DEADLINE_S:.0f}")
            ready = select.select([stream], [], [], left)[0]
            if ready:
                chunk = os.read(stream.fileno(), size - len(data))
                if not chunk:
                    raise WorkerFailed(N_("the worker stopped"))
                data += chunk
        return data

    def stop(self) -> None:
        """Kill the worker and every process it started (its Chromium)."""
        kill_tree(self.process.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


class Engine:
    """Exports one image at a time through a supervised worker."""

    def __init__(self, command: list[str] | None = None, deadline_s: float = EXPORT_DEADLINE_S) -> None:
        self.command = command or WORKER
        self.deadline_s = deadline_s
        self._turn = threading.Lock()
        self._worker: Worker | None = None
        self._stopping = False
        self.failure: tuple[list[WorkerFailed], float] | None = None  # why the last export failed, and when
        self.restarts = 0

    def render(self, request: bytes) -> bytes:
        """Draw one image; ImageEngineUnavailable with the reason after TRIES failed tries."""
        wait = self.deadline_s * TRIES + 5  # the export before this one ends by then, made or not
        if not self._turn.acquire(timeout=wait):
            raise ImageEngineUnavailable(
                _(
                    "The image engine is busy with other exports (waited {seconds} s): try again shortly. "
                    "HTML and data downloads still work."
                ).format(seconds=f"{wait:.0f}")
            )
        try:
            reasons: list[WorkerFailed] = []
            for _try in range(TRIES):
                if self._stopping:
                    break
                try:
                    image = self._ready().ask(request, time.monotonic() + self.deadline_s)
                except WorkerFailed as exc:
                    reasons.append(exc)
                    self._restart()
                    continue
                self.failure = None
                return image
            self.failure = (reasons, time.monotonic())  # said in each reader's language (image_engine_problem)
            raise ImageEngineUnavailable(failure_message(reasons))
        finally:
            self._turn.release()

    def _ready(self) -> Worker:
        if self._worker is None or self._worker.process.poll() is not None:
            if self._worker is not None:
                self._worker.stop()
            browser = chromium()
            if browser is None:
                raise WorkerFailed(N_("no Chromium at ${setting} or on the PATH"), setting=CHROMIUM_ENV)
            self._worker = Worker(self.command, browser)
        return self._worker

    def _restart(self) -> None:
        """Kill the worker; the next try starts a new one."""
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
            self.restarts += 1

    def stop(self) -> None:
        """Kill the worker and its Chromium now, whatever they are doing (a waiting export then fails at once)."""
        self._stopping = True
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()

    @property
    def pid(self) -> int | None:
        """The worker's process id, if one runs."""
        return self._worker.process.pid if self._worker is not None else None


ENGINE = Engine()


def _stop_at_exit() -> None:
    ENGINE.stop()


# Before the interpreter joins its threads at exit (threading's own atexit hooks run first, ours last-registered
# first): a download thread waiting on the worker would otherwise hold the server's exit until its deadline.
threading._register_atexit(_stop_at_exit)  # type: ignore[attr-defined]


def image_engine_problem() -> str | None:
    """Why static images cannot be made here now, in the language spoken, or None when kaleido and a Chromium are at
    hand (and the last export did not fail within FAILURE_KEPT_S)."""
    if ENGINE.failure and time.monotonic() - ENGINE.failure[1] < FAILURE_KEPT_S:
        return failure_message(ENGINE.failure[0])
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return _(
            "The image engine (kaleido) is not installed: PNG and SVG downloads are off; HTML and data still work."
        )
    if chromium() is None:
        return _(
            "No Chromium was found for the image engine: PNG and SVG downloads are off; HTML and data still work. "
            "Install Debian's chromium (`make test` does) or set {setting}."
        ).format(setting=CHROMIUM_ENV)
    return None


def image_bytes(fig: go.Figure, fmt: str, width: int = PNG_WIDTH, height: int | None = None) -> bytes:
    """PNG or SVG of a (stamped) figure; ImageEngineUnavailable if it cannot be made.

    The height is the figure's own (a long timeline stays readable), else PNG_HEIGHT.
    """
    request = {
        "figure": fig.to_json(),
        "format": fmt,
        "width": width,
        "height": height or fig.layout.height or PNG_HEIGHT,
    }
    return ENGINE.render(json.dumps(request).encode())
