"""The image engine's worker process: kaleido and its Chromium, apart from the server, so that the server can kill
and restart them when they hang or die (charts.engine). Run as `python -m charts.engine_worker`.

Protocol on stdin/stdout: a request is an 8-byte length and a JSON object {"figure", "format", "width", "height"};
the answer is one status byte (b"0" an image follows, b"1" a message follows), an 8-byte length and the bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import sys
import threading
import time
import warnings
from typing import BinaryIO

LENGTH = struct.Struct(">Q")
OK, FAILED = b"0", b"1"
PARENT_CHECK_S = 0.5


def read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    """`size` bytes, or None at the end of the stream."""
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def answer(stream: BinaryIO, status: bytes, payload: bytes) -> None:
    stream.write(status + LENGTH.pack(len(payload)) + payload)
    stream.flush()


def _stat(pid: int | str) -> list[bytes] | None:
    """The fields of /proc/<pid>/stat after the process's name (state, parent id, ...); None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # The name in parentheses may hold spaces: the fields start after its closing one.
            return stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its parent counts as gone)."""
    fields = _stat(pid)
    return bool(fields) and fields[0] != b"Z"


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children first come first), read from /proc; empty where there is no /proc."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if entry.isdigit() and (fields := _stat(entry)) and len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, queue = [], list(children.get(pid, []))
    while queue:
        child = queue.pop(0)
        found.append(child)
        queue += children.get(child, [])
    return found


def kill_tree(pid: int, include_self: bool = True) -> None:
    """SIGKILL a process and everything it started (Chromium starts in sessions of its own: a process group
    would miss it). The tree is read before anything is killed, so no orphan escapes."""
    for target in [*descendants(pid), *([pid] if include_self else [])]:
        with contextlib.suppress(OSError):
            os.kill(target, 9)


def watch_parent() -> None:
    """If the server dies without stopping us (SIGKILL, a crash), take Chromium down and leave."""
    parent = os.getppid()
    while True:
        time.sleep(PARENT_CHECK_S)
        if os.getppid() != parent:
            kill_tree(os.getpid(), include_self=False)
            os._exit(0)


def render(request: dict) -> bytes:
    import kaleido
    import plotly.io as pio

    kaleido.start_sync_server(silence_warnings=True)  # once per process; later calls are no-ops
    figure = pio.from_json(request["figure"], skip_invalid=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # plotly notes that a running server ignores kopts
        return figure.to_image(format=request["format"], width=request["width"], height=request["height"])


def main() -> None:
    requests = sys.stdin.buffer
    # Answers go out on a private copy of stdout; anything a library prints goes to stderr instead.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    threading.Thread(target=watch_parent, daemon=True).start()
    while True:
        header = read_exactly(requests, LENGTH.size)
        if header is None:
            return  # the server closed the pipe: done
        body = read_exactly(requests, LENGTH.unpack(header)[0])
        if body is None:
            return
        try:
            image = render(json.loads(body))
        except Exception as exc:  # kaleido and Chromium fail in many ways; the server restarts us
            answer(answers, FAILED, f"{type(exc).__name__}: {exc}".encode())
            continue
        answer(answers, OK, image)


if __name__ == "__main__":
    main()
