"""Work that must not block a page: computed on a thread of its own, shared by every session that asks for it, with
the share done readable while it runs.

A job's name and its own messages (a thread's name, Abandoned, TimeoutError) are for logs and code, in English: one
job serves sessions of every language, and its thread speaks none. A page says the progress and a failure in its own
words (analysis.i18n), with the share done as a number."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
RUNNING_AT_ONCE = 1  # one core for jobs (NetworKit runs on one thread: analysis.metrics), the rest for the pages
JOB_NICENESS = 10  # below the pages' threads, as `nice 10`
UNWATCHED_SECONDS = 30  # a job nobody has asked about for this long stops (a page polls it every second)


class Abandoned(RuntimeError):
    """A job stopped because nobody was waiting for it any more (the analyst moved on)."""


_turns = threading.BoundedSemaphore(RUNNING_AT_ONCE)


class Job(Generic[T]):
    """One computation started at once on a daemon thread (a server that stops does not wait for it)."""

    def __init__(self, name: str, work: Callable[[Callable[[float], None]], T]) -> None:
        self.name = name
        self.progress = 0.0  # share done, 0..1, as the work reports it
        self.asked = time.monotonic()  # when someone last looked (see `ask`)
        self._waiting = 0  # callers blocked in `result`
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, args=(work,), name=f"job: {name}", daemon=True).start()

    def _run(self, work: Callable[[Callable[[float], None]], T]) -> None:
        with contextlib.suppress(OSError):  # Linux niceness is per thread: pages' threads go first
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), JOB_NICENESS)
        try:
            with _turns:
                self._still_wanted()  # queued behind other jobs while the analyst moved on: do not start
                self._value = work(self._told)
        except BaseException as exc:  # kept for whoever asks for the result: a thread has no one else to tell
            self._error = exc
        finally:
            self.progress = 1.0
            self._done.set()

    def _told(self, share: float) -> None:
        self.progress = max(self.progress, min(share, 1.0))
        self._still_wanted()  # between rounds of the work: stop if nobody waits for it

    def _still_wanted(self) -> None:
        if not self._waiting and time.monotonic() - self.asked > UNWATCHED_SECONDS:
            raise Abandoned(f"{self.name}: nobody asked for it for {UNWATCHED_SECONDS} s")

    def ask(self) -> None:
        """Someone is looking at this job (a page showing its progress): keep it going."""
        self.asked = time.monotonic()

    @property
    def error(self) -> BaseException | None:
        """Why the job failed, once done (None while running or if it succeeded)."""
        return self._error if self.done else None

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def result(self, timeout: float | None = None) -> T:
        """The value, waiting for it; the work's exception if it failed."""
        self._waiting += 1
        try:
            finished = self._done.wait(timeout)
        finally:
            self._waiting -= 1
        if not finished:
            raise TimeoutError(f"{self.name} is still running")
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
