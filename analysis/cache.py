"""What the app keeps in memory, and how much: every cache's bound is stated here, once.

- `Memo`: what one view (a dataset under filters) has computed, by method and arguments (see `memoised`); what a
  dataset computes whatever the filters (`Dataset.memo`); the views of the server's dataset, bounded in bytes too.
- `FileCache`: images and report bundles, bounded in bytes, apart from the numbers they are made from.
The server holds one dataset (the one `clusternet run --data` names), once for every session
(dashboard.state.ServerData); an analyst's upload lives in that analyst's session only.
"""

from __future__ import annotations

import functools
import inspect
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from analysis import i18n

MB = 1024 * 1024

SHARED_VIEWS = 64  # views (dataset + filters) of the server's dataset kept for every session...
SHARED_VIEW_BYTES = 1024 * MB  # ...and at most this much of their tables, arrays and figures, by `weight`
SESSION_VIEWS = 16  # views of an analyst's upload kept in that session only
VIEW_MEMO_ENTRIES = 256  # values one view keeps (networks, metrics, tables, layouts per level and size)
SHARED_FILE_BYTES = 256 * MB  # images and bundles of the server's dataset, all views together
SESSION_FILE_BYTES = 64 * MB  # images and bundles of one session's upload

P = ParamSpec("P")
POINTER = 8  # bytes of one reference in an object column: its text is mostly shared with the dataset's tables


def weight(value: object, seen: set[int] | None = None) -> int:
    """An estimate of the bytes a value holds: numpy arrays, pandas frames (object columns as references), sparse
    matrices, figures (their JSON), and containers and objects of these. Shared parts are counted once."""
    seen = set() if seen is None else seen
    if id(value) in seen or value is None or isinstance(value, (int, float, bool, str, bytes)):
        return 0 if id(value) in seen or value is None else sys.getsizeof(value)
    seen.add(id(value))
    if hasattr(value, "memory_usage") and hasattr(value, "columns"):  # a DataFrame
        return int(value.memory_usage(index=True, deep=False).sum())  # type: ignore[attr-defined]
    if hasattr(value, "memory_usage"):  # a Series
        return int(value.memory_usage(index=True, deep=False))  # type: ignore[attr-defined]
    if hasattr(value, "nbytes") and hasattr(value, "dtype"):  # a numpy array
        return int(value.nbytes)  # type: ignore[attr-defined]
    if hasattr(value, "indptr"):  # a scipy sparse matrix
        return sum(int(getattr(value, part).nbytes) for part in ("data", "indices", "indptr"))
    if hasattr(value, "to_plotly_json"):  # a plotly figure: what it would send to the browser
        return len(value.to_json())  # type: ignore[attr-defined]
    if isinstance(value, dict):
        return sum(weight(v, seen) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return sum(weight(v, seen) for v in value)
    if hasattr(value, "__dict__"):  # dataclasses and other objects: their attributes (cached properties too)
        return sum(weight(v, seen) for k, v in vars(value).items() if not k.startswith("_lock"))
    return sys.getsizeof(value)


R = TypeVar("R")


class Memo:
    """Values made once and kept: at most `entries` of them, and with `max_bytes` at most that many bytes by
    `weigh`, weighed when asked (a kept view grows as it computes more); the least recently used go first.

    Each key has its own lock: sessions and download threads asking for the same value wait for one computation,
    while other values (a page's rerun beside a slow export) go ahead. No lock is held across two keys' work.
    """

    def __init__(
        self, entries: int = VIEW_MEMO_ENTRIES, max_bytes: int | None = None, weigh: Callable[[Any], int] = weight
    ) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.weigh = weigh
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._sizes: dict[Hashable, int] = {}  # each value's weight when it was added
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], R]) -> R:
        with self._guard:
            if key in self._values:
                self._values.move_to_end(key)
                value = self._values[key]
                self._trim(keep=key)
                return value
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._values:
                    return self._values[key]
            try:
                value = make()
            except BaseException:
                with self._guard:  # nothing kept: nor its lock (a failing key must not grow the memo)
                    self._locks.pop(key, None)
                raise
            size = self.weigh(value)
            with self._guard:
                self._values[key] = value
                self._sizes[key] = size
                self._trim(keep=key)
            return value

    def _trim(self, keep: Hashable) -> None:
        """Drop the least recently used values beyond the bounds, never `keep` (just asked for). Under _guard."""
        if self.max_bytes is not None:
            self._sizes = {key: self.weigh(value) for key, value in self._values.items()}
        for key in list(self._values):
            over = len(self._values) > self.entries
            if self.max_bytes is not None:
                over = over or sum(self._sizes.values()) > self.max_bytes
            if not over or key == keep:
                break
            del self._values[key]
            self._sizes.pop(key, None)
            self._locks.pop(key, None)

    @property
    def bytes(self) -> int:
        """The weight of the values held (as weighed when added, or at the last trim of a bounded memo)."""
        return sum(self._sizes.values())

    def __len__(self) -> int:
        return len(self._values)


class HasMemo(Protocol):
    memo: Memo


S = TypeVar("S", bound=HasMemo)


def memoised(
    method: Callable[Concatenate[S, P], R] | None = None, *, words: bool = True
) -> Callable[Concatenate[S, P], R] | Callable[[Callable[Concatenate[S, P], R]], Callable[Concatenate[S, P], R]]:
    """Keep a method's result in its object's `memo`, keyed by the method's name, its (hashable) arguments and the
    language spoken. `@memoised(words=False)` marks a result without words (a network, metrics, a layout): one value
    for every language, so an Italian page never recomputes what an English one has."""

    def decorate(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
        name = method.__qualname__
        signature = inspect.signature(method)

        @functools.wraps(method)
        def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
            call = signature.bind(self, *args, **kwargs)
            call.apply_defaults()  # `sources()` and `sources(False)` are one value
            key = (name, *list(call.arguments.values())[1:])
            if words:
                key = (*key, i18n.language())
            return self.memo.get(key, lambda: method(self, *args, **kwargs))

        return wrapper

    return decorate if method is None else decorate(method)


class FileCache:
    """Made files (images, bundles) by key, at most `max_bytes` in all; the least recently used go first.

    Two requests for the same file wait for one making of it.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._files: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def _held(self, key: Hashable) -> bytes | None:
        with self._guard:
            if key in self._files:
                self._files.move_to_end(key)
                return self._files[key]
            return None

    def get(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """The file of `key` in the language spoken (its titles, stamps and notes are in words), made once."""
        key = (key, i18n.language())
        if (data := self._held(key)) is not None:
            return data
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if (data := self._held(key)) is not None:
                return data
            try:
                data = make()
            finally:
                with self._guard:
                    self._locks.pop(key, None)  # kept or not, made or failed: the lock is done with
            with self._guard:
                if len(data) <= self.max_bytes:
                    self._files[key] = data
                    self._size += len(data)
                    while self._size > self.max_bytes:
                        _, old = self._files.popitem(last=False)
                        self._size -= len(old)
            return data

    @property
    def size(self) -> int:
        """Bytes held."""
        return self._size

    def __len__(self) -> int:
        return len(self._files)
