"""Servers the read-only end-to-end tests share: one `clusternet run` per dataset for the whole run, whatever the
number of pytest-xdist workers (one per worker for the datasets of PER_WORKER). The first process to ask starts it
(under a file lock), every process reads its address from the run's server folder, and the process that began the
run stops them all at its end."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis import load_dataset, synthetic
from analysis.store import CACHE_ENV
from charts.engine_worker import alive
from tests import cordis_files, factory

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FOLDER_ENV = "CLUSTERNET_TEST_SERVERS"  # set by the process that begins the run; its xdist workers inherit it
FORMULA = '=HYPERLINK("http://evil.example","click me")'
HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def free_port() -> int:
    """A port free now and never handed out before in this run: two workers' servers cannot be given the same one
    between the check and the server's bind."""
    with _locked("ports") as folder:
        given = folder / "ports.txt"
        taken = set(given.read_text().split()) if given.exists() else set()
        while True:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            if str(port) not in taken:
                with given.open("a") as out:
                    out.write(f"{port}\n")
                return port


class PortTaken(RuntimeError):
    """Another process bound the port between free_port() and the server's start."""


@dataclass
class App:
    """A running `clusternet run` server: its address, its log, and the dataset folder it serves (None: curated)."""

    url: str
    log: Path
    data: Path | None
    pid: int
    process: subprocess.Popen | None = None  # only in the process that started it

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    @classmethod
    def start(
        cls, data: Path | None, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 60
    ) -> App:
        """Start a server of the test's own and wait until it answers."""
        for _ in range(3):
            app = cls.launch(data, env, cwd)
            try:
                app.wait_healthy(timeout)
                return app
            except PortTaken:
                continue
        raise RuntimeError(f"no free port for clusternet run after 3 tries: {app.log.read_text()}")

    @classmethod
    def launch(cls, data: Path | None, env: dict[str, str] | None = None, cwd: Path | None = None) -> App:
        """Start a server without waiting for it."""
        port = free_port()
        args = [sys.executable, "-m", "analysis.cli", "run", "--port", str(port), "--address", "127.0.0.1"]
        if data is not None:
            args += ["--data", str(data)]
        ARTIFACTS.mkdir(exist_ok=True)
        log = ARTIFACTS / f"server-{port}.log"
        process = subprocess.Popen(
            args, stdout=log.open("w"), stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, cwd=cwd
        )
        return cls(f"http://127.0.0.1:{port}", log, data, process.pid, process)

    def wait_healthy(self, timeout: float = 60) -> None:
        # A server's readiness has no event to wait on from outside: ask its health endpoint until it answers.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (self.process.poll() is not None) if self.process is not None else not alive(self.pid):
                log = self.log.read_text()
                if f"Port {self.port} is not available" in log:
                    raise PortTaken(log)
                raise RuntimeError(f"clusternet run exited: {log}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)  # not answering yet: ask again
        raise RuntimeError(f"clusternet run did not answer in {timeout}s: {self.log.read_text()}")

    def stop(self) -> None:
        assert self.process is not None, "a shared server is stopped by the run that started it"
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def formula_data(folder: Path) -> Path:
    """The unseen dataset with a Polish organisation whose name is a spreadsheet formula."""
    tables = factory.tables()
    for org in tables["organisations"]:
        if org["org_id"] == "klaster-lodz":
            org["name"] = FORMULA
    return factory.write(folder, tables)


def hostile_data(folder: Path) -> Path:
    """The unseen dataset with names that are HTML, a formula and a deck.gl accessor, and a country named in HTML."""
    tables = factory.tables()
    names = {"klaster-lodz": HOSTILE, "porto-design": "@@=alert(3)", "tokyo-content": "@@#evil.name"}
    for org in tables["organisations"]:
        org["name"] = names.get(org["org_id"], org["name"])
    tables["countries"] = [{"country": "PL", "name": "<img src=y onerror=alert(4)>", "eu_member": "true"}]
    return factory.write(folder, tables)


HTML_FOLDER = "<img src=z onerror=alert(5)>"  # the dataset's folder name, shown on the Overview


def html_data(folder: Path) -> Path:
    """The unseen dataset with HTML in an organisation's name, an action's title, a source's title and its folder."""
    tables = factory.tables()
    tables["organisations"][0]["name"] = "<script>alert('org')</script>"
    tables["actions"][1]["title"] = "<img src=x onerror=alert(1)>"
    tables["sources"][1]["title"] = "<img src=x onerror=alert(2)>"
    return factory.write(folder / HTML_FOLDER, tables)


def synthetic_data(folder: Path) -> Path:
    """A synthetic dataset the pages were not made for (seed 31)."""
    return synthetic.write(folder, synthetic.generate(200, 40, 100, seed=31))


def cordis_he_data(folder: Path) -> Path:
    """The real Horizon Europe sample (../shared/realworld), imported as an analyst does: `clusternet import cordis`."""
    out = folder / "horizon-europe-sample"
    command = ["import", "cordis", str(cordis_files.HE_PROJECTS), str(cordis_files.HE_ORGANIZATIONS), "--out", str(out)]
    done = subprocess.run([sys.executable, "-m", "analysis.cli", *command], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


# Each shared server: its name (also its fixture's, with "_app") and how its dataset is written (None: curated).
DATASETS: dict[str, Callable[[Path], Path] | None] = {
    "curated": None,
    "formula": formula_data,
    "hostile": hostile_data,
    "html": html_data,
    "synthetic": synthetic_data,
    "cordis_he": cordis_he_data,
}
# What a dataset needs that a machine may lack: the files it is made from (its tests skip, naming them, without).
MISSING = {"cordis_he": cordis_files.MISSING_SAMPLES}


def available(name: str) -> bool:
    return not MISSING.get(name)


def fixture_name(name: str) -> str:
    return f"{name}_app"


def begin() -> Path:
    """The run's server folder, made by the process that begins the run (workers inherit it)."""
    folder = Path(tempfile.mkdtemp(prefix="clusternet-servers-"))
    os.environ[FOLDER_ENV] = str(folder)
    # The servers of a run keep their checked datasets in a cache of the run's own, not in the user's.
    os.environ[CACHE_ENV] = str(folder / "cache")
    return folder


def _folder() -> Path:
    folder = os.environ.get(FOLDER_ENV)
    return Path(folder) if folder else begin()  # a process that did not begin through pytest_configure


@contextlib.contextmanager
def _locked(name: str) -> Iterator[Path]:
    folder = _folder()
    with (folder / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield folder


# Servers whose tests click deferred downloads get one per worker. Streamlit keeps a deferred download's file in no
# session, and each session that ends sweeps such files (the first sweep marks, the second deletes): with four
# workers' sessions ending on one server, two sweeps between a click and its fetch were seen to turn a download into a
# nameless 404 (the template in test_data). One server per worker keeps the churn of the sequential suite.
PER_WORKER = {"curated", "formula"}


def _key(name: str) -> str:
    return f"{name}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}" if name in PER_WORKER else name


def launch(name: str) -> App:
    """The shared server of a dataset, started now if no process of this run has started it (no wait)."""
    with _locked(_key(name)) as folder:
        state = folder / f"{_key(name)}.json"
        if state.exists():
            known = json.loads(state.read_text())
            return App(known["url"], Path(known["log"]), Path(known["data"]) if known["data"] else None, known["pid"])
        write = DATASETS[name]
        data = write(folder / _key(name)) if write is not None else None
        assert data is None or load_dataset(data).dataset is not None, f"the {name} dataset does not load"
        app = App.launch(data)
        state.write_text(
            json.dumps({"url": app.url, "log": str(app.log), "data": str(data or ""), "pid": app.process.pid})
        )
        return app


def shared(name: str) -> App:
    """The shared server of a dataset, answering."""
    for _ in range(3):
        app = launch(name)
        try:
            app.wait_healthy()
            return app
        except PortTaken:
            with _locked(_key(name)) as folder:
                state = folder / f"{_key(name)}.json"
                if state.exists() and json.loads(state.read_text())["pid"] == app.pid:
                    state.unlink()  # start afresh on another port (unless another process already did)
    raise RuntimeError(f"no free port for the {name} server after 3 tries")


def gone_within(pids: list[int], seconds: float) -> list[int]:
    """The processes still running `seconds` from now; returns as soon as none is. A process that is not our child
    leaves no event to wait on, only its entry in /proc: look again every 50 ms."""
    deadline = time.monotonic() + seconds
    while (running := [pid for pid in pids if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)  # /proc only: look again
    return running


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (user and system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop_all(folder: Path) -> dict[str, float]:
    """Stop every shared server of the run (the process that began it, at its end); the CPU seconds each used."""
    known = {p.stem: json.loads(p.read_text())["pid"] for p in folder.glob("*.json")}
    used = {}
    for name, pid in known.items():
        with contextlib.suppress(OSError, IndexError):
            used[name] = cpu_seconds(pid)
    pids = list(known.values())
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for pid in gone_within(pids, 10):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return used
