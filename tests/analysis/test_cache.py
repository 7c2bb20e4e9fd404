"""The caches: values made once, for every caller at once, and never more than their bound."""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import ThreadPoolExecutor

from analysis.cache import FileCache, Memo, memoised


def test_memo_computes_once_for_concurrent_callers():
    """Sessions and download threads asking for the same value at once share one computation."""
    memo = Memo()
    calls = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)  # the computation itself, long enough for the other callers to arrive meanwhile
        return 42

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: memo.get("answer", slow), range(4)))
    assert results == [42] * 4 and len(calls) == 1


def test_memo_keeps_at_most_its_bound_and_drops_the_least_used():
    memo = Memo(entries=2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 0)  # a is used again: b is now the oldest
    memo.get("c", lambda: 3)
    assert len(memo) == 2
    assert memo.get("a", lambda: -1) == 1 and memo.get("b", lambda: -2) == -2  # b was made again


class Counter:
    def __init__(self) -> None:
        self.memo = Memo()
        self.calls = 0

    @memoised
    def square(self, n: int = 2) -> int:
        self.calls += 1
        return n * n


def test_memoised_methods_key_by_name_and_arguments():
    counter = Counter()
    assert [counter.square(3), counter.square(3), counter.square(n=3), counter.square(4)] == [9, 9, 9, 16]
    assert counter.calls == 2
    assert counter.square() == counter.square(2) == 4 and counter.calls == 3  # a default is its value
    assert Counter().square(3) == 9  # another object keeps its own values


def test_file_cache_is_bounded_in_bytes_and_makes_each_file_once():
    files = FileCache(max_bytes=25)
    made = []
    for key in ("a", "b", "a", "c"):
        files.get(key, lambda key=key: made.append(key) or key.encode() * 10)
    assert made == ["a", "b", "c"]  # a was kept the second time
    assert files.size == 20 and len(files) == 2  # c pushed out the least recently used, b
    assert files.get("b", lambda: b"again") == b"again"
    assert files.get("huge", lambda: b"x" * 100) == b"x" * 100 and files.size <= 25  # too big to keep, still given


def test_failures_keep_nothing_not_even_a_lock():
    memo, files = Memo(), FileCache(max_bytes=100)

    def fails() -> bytes:
        raise RuntimeError("no")

    for key in range(50):
        for cache in (memo, files):
            with contextlib.suppress(RuntimeError):
                cache.get(key, fails)
    assert len(memo) == len(files) == 0
    assert memo._locks == {} and files._locks == {}


def test_a_memo_bounded_in_bytes_drops_the_least_used_by_their_weight_now():
    """The server's views grow as they compute more: the bound is checked against what they weigh when asked."""
    sizes = {"a": 40, "b": 40, "c": 40}
    memo = Memo(entries=10, max_bytes=100, weigh=lambda key: sizes[key])
    for key in ("a", "b", "c"):
        memo.get(key, lambda key=key: key)
    assert len(memo) == 2 and memo.bytes == 80  # a, the least recently used, went for c
    sizes["c"] = 90  # c computed more since
    memo.get("b", lambda: "b")
    assert len(memo) == 1 and memo.get("b", lambda: "again") == "b"  # c went: b was just asked for
    sizes["b"] = 500
    assert memo.get("b", lambda: "again") == "b" and len(memo) == 1  # what was just asked for is never dropped


def test_weight_counts_arrays_frames_and_what_objects_hold_once():
    import numpy as np
    import pandas as pd

    from analysis.cache import weight

    array = np.zeros(1000, dtype=np.int64)
    frame = pd.DataFrame({"n": np.arange(100, dtype=np.int64), "text": ["x"] * 100})
    assert weight(array) == 8000
    assert weight(frame) == frame.memory_usage(index=True, deep=False).sum() >= 1600
    assert weight([array, array, {"again": array}]) == 8000  # shared parts count once

    class Holder:
        def __init__(self) -> None:
            self.array, self.frame = array, frame

    assert weight(Holder()) == weight(array) + weight(frame)
