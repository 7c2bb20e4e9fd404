"""The image engine under faults: a worker that hangs, dies or fails is killed with what it started, restarted,
and the export tried once more; nobody waits past the deadline; stopping leaves no process behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import plotly.graph_objects as go
import pytest

from analysis import i18n
from charts import engine
from charts.engine import Engine, ImageEngineUnavailable
from charts.engine_worker import descendants
from tests.servers import gone_within

# A stand-in worker speaking the real protocol: it answers b"image <format>", after misbehaving as told.
FAKE = """
import os, sys, subprocess, time
from charts.engine_worker import FAILED, LENGTH, OK, answer, read_exactly
mode, marker = sys.argv[1], sys.argv[2]
first = not os.path.exists(marker)
open(marker, "a").close()
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # stands for its Chromium
out = sys.stdout.buffer
while True:
    header = read_exactly(sys.stdin.buffer, LENGTH.size)
    if header is None:
        break
    request = read_exactly(sys.stdin.buffer, LENGTH.unpack(header)[0])
    if mode == "hang" or (mode == "hang-once" and first):
        time.sleep(120)  # a worker that hangs: nothing to wait for, it is the fault under test
    if mode == "die-once" and first:
        os._exit(1)
    if mode == "fail":
        answer(out, FAILED, b"ChannelClosedError: Executor is closed")
        continue
    answer(out, OK, b"image " + request[-12:])
"""
REQUEST = json.dumps({"figure": "{}", "format": "png", "width": 10, "height": 10}).encode()


def fake(mode: str, tmp_path) -> Engine:
    return Engine([sys.executable, "-c", FAKE, mode, str(tmp_path / "marker")], deadline_s=2)


def test_a_worker_that_dies_is_restarted_and_the_export_tried_again(tmp_path):
    engine_ = fake("die-once", tmp_path)
    assert engine_.render(REQUEST).startswith(b"image ")
    assert engine_.restarts == 1
    engine_.stop()


def test_a_hung_worker_is_killed_at_the_deadline_and_replaced(tmp_path):
    engine_ = fake("hang-once", tmp_path)
    started = time.monotonic()
    assert engine_.render(REQUEST).startswith(b"image ")
    assert 2 <= time.monotonic() - started < 6 and engine_.restarts == 1
    engine_.stop()


def test_two_failed_tries_say_why_and_free_the_turn(tmp_path):
    engine_ = fake("fail", tmp_path)
    with pytest.raises(ImageEngineUnavailable, match="ChannelClosedError: Executor is closed"):
        engine_.render(REQUEST)
    assert engine_.restarts == 2 and engine_.failure is not None
    hung = fake("hang", tmp_path)
    started = time.monotonic()
    with pytest.raises(ImageEngineUnavailable, match="no image after"):
        hung.render(REQUEST)
    with pytest.raises(ImageEngineUnavailable):  # the turn was given back: the next export does not wait
        hung.render(REQUEST)
    assert time.monotonic() - started < 12
    hung.stop()


def test_why_images_are_off_is_said_in_each_readers_language(tmp_path, monkeypatch):
    """One engine serves every session: it keeps the reasons, and each reader is told them in their language."""
    hung = fake("hang", tmp_path)
    with i18n.speaking("it"), pytest.raises(ImageEngineUnavailable) as failed:
        hung.render(REQUEST)
    assert str(failed.value) == (
        "Non è stato possibile creare l'immagine (nessuna immagine dopo 30 s; poi nessuna immagine dopo 30 s). "
        "I download PNG e SVG sono disattivati per 60 s, poi si riprova; i download HTML e dei dati funzionano "
        "comunque."
    )
    hung.stop()
    monkeypatch.setattr(engine, "ENGINE", hung)  # its failure is what every page now reads
    assert engine.image_engine_problem().startswith("The image could not be made (no image after 30 s; then no image")
    with i18n.speaking("it"):
        assert engine.image_engine_problem().startswith("Non è stato possibile creare l'immagine (nessuna immagine")
    monkeypatch.setattr(engine, "ENGINE", Engine())
    monkeypatch.setenv("CLUSTERNET_CHROMIUM", "/nonexistent/chromium")
    with i18n.speaking("it"):
        assert engine.image_engine_problem() == (
            "Nessun Chromium trovato per il motore delle immagini: i download PNG e SVG sono disattivati; HTML e "
            "dati funzionano comunque. Installa il pacchetto chromium di Debian (`make test` lo fa) o imposta "
            "CLUSTERNET_CHROMIUM."
        )


def test_stopping_kills_the_worker_and_what_it_started(tmp_path):
    engine_ = fake("ok", tmp_path)
    engine_.render(REQUEST)
    worker = engine_.pid
    started = descendants(worker)
    assert worker is not None and started  # the stand-in for Chromium
    engine_.stop()
    assert gone_within([worker, *started], 0.3) == []


def test_a_worker_left_alone_takes_its_chromium_down(tmp_path):
    """If the server is killed outright, its worker notices and leaves, with its Chromium."""
    script = (
        "import sys, time\n"
        "from charts.engine import Engine\n"
        "engine = Engine()\n"
        "engine.render(sys.argv[1].encode())\n"
        "print(engine.pid, flush=True)\n"
        "time.sleep(120)\n"  # a server that stays up until the test kills it
    )
    figure = json.dumps({"figure": go.Figure().to_json(), "format": "svg", "width": 100, "height": 100})
    server = subprocess.Popen([sys.executable, "-c", script, figure], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(server.stdout.readline())
        chromium = descendants(worker)
        assert chromium
    finally:
        server.kill()  # no atexit, no signal handler: only the worker's own watch can clean up
        server.wait()
    assert gone_within([worker, *chromium], 10) == []


def test_a_real_export_survives_its_chromium_being_killed():
    figure = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))
    assert engine.image_bytes(figure, "png").startswith(b"\x89PNG")
    for pid in descendants(engine.ENGINE.pid):
        os.kill(pid, 9)
    assert engine.image_bytes(figure, "png").startswith(b"\x89PNG")
