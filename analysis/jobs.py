"""Work that must not block a page: computed on a thread of its own, shared by every session that asks for it, with
the share done readable while it runs."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
RUNNING_AT_ONCE = 1  # one core for jobs (NetworKit runs on one thread: analysis.metrics), the rest for the pages
JOB_NICENESS = 10  # below the pages' threads, as `nice 10`
_turns = threading.BoundedSemaphore(RUNNING_AT_ONCE)


class Job(Generic[T]):
    """One computation started at once on a daemon thread (a server that stops does not wait for it)."""

    def __init__(self, name: str, work: Callable[[Callable[[float], None]], T]) -> None:
        self.name = name
        self.progress = 0.0  # share done, 0..1, as the work reports it
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, args=(work,), name=f"job: {name}", daemon=True).start()

    def _run(self, work: Callable[[Callable[[float], None]], T]) -> None:
        with contextlib.suppress(OSError):  # Linux niceness is per thread: pages' threads go first
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), JOB_NICENESS)
        try:
            with _turns:
                self._value = work(self._told)
        except BaseException as exc:  # kept for whoever asks for the result: a thread has no one else to tell
            self._error = exc
        finally:
            self.progress = 1.0
            self._done.set()

    def _told(self, share: float) -> None:
        self.progress = max(self.progress, min(share, 1.0))

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def result(self, timeout: float | None = None) -> T:
        """The value, waiting for it; the work's exception if it failed."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"{self.name} is still running")
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
