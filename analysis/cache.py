"""What the app keeps in memory, and how much: every cache's bound is stated here, once.

- `Memo`: what one view (a dataset under filters) has computed, by method and arguments (see `memoised`).
- `FileCache`: images and report bundles, bounded in bytes, apart from the numbers they are made from.
The dashboard's Streamlit caches take their sizes from the constants below too.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

MB = 1024 * 1024

DATASETS_KEPT = 4  # server datasets loaded at once (the curated one and any given with --data)
SHARED_VIEWS = 64  # views (dataset + filters) of the server's dataset kept for every session
SESSION_VIEWS = 16  # views of an analyst's upload kept in that session only
VIEW_MEMO_ENTRIES = 256  # values one view keeps (networks, metrics, tables, layouts per level and size)
SHARED_FILE_BYTES = 256 * MB  # images and bundles of the server's dataset, all views together
SESSION_FILE_BYTES = 64 * MB  # images and bundles of one session's upload

P = ParamSpec("P")
R = TypeVar("R")


class Memo:
    """Values made once and kept, at most `entries` of them (least recently used go first).

    Each key has its own lock: sessions and download threads asking for the same value wait for one computation,
    while other values (a page's rerun beside a slow export) go ahead.
    """

    def __init__(self, entries: int = VIEW_MEMO_ENTRIES) -> None:
        self.entries = entries
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], R]) -> R:
        with self._guard:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
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
            with self._guard:
                self._values[key] = value
                while len(self._values) > self.entries:
                    old, _ = self._values.popitem(last=False)
                    self._locks.pop(old, None)
            return value

    def __len__(self) -> int:
        return len(self._values)


class HasMemo(Protocol):
    memo: Memo


S = TypeVar("S", bound=HasMemo)


def memoised(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Keep a method's result in its object's `memo`, keyed by the method's name and its (hashable) arguments."""
    name = method.__qualname__
    signature = inspect.signature(method)

    @functools.wraps(method)
    def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
        call = signature.bind(self, *args, **kwargs)
        call.apply_defaults()  # `sources()` and `sources(False)` are one value
        key = (name, *list(call.arguments.values())[1:])
        return self.memo.get(key, lambda: method(self, *args, **kwargs))

    return wrapper


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
