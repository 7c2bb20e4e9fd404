"""Work apart from the pages: one thread, its progress readable, its value or its error given to whoever asks."""

from __future__ import annotations

import threading

import pytest

from analysis.jobs import Job


def test_a_job_reports_progress_and_gives_its_value():
    go_on = threading.Event()

    def work(progress):
        progress(0.25)
        go_on.wait(5)
        progress(0.75)
        return "done"

    job = Job("test", work)
    while job.progress < 0.25:
        threading.Event().wait(0.01)
    assert not job.done and job.progress == 0.25
    with pytest.raises(TimeoutError, match="test is still running"):
        job.result(timeout=0.05)
    go_on.set()
    assert job.result(timeout=5) == "done" and job.done and job.progress == 1.0


def test_a_failed_job_raises_its_error_for_whoever_asks():
    def work(progress):
        raise ValueError("no network")

    job = Job("failing", work)
    for _ in range(2):
        with pytest.raises(ValueError, match="no network"):
            job.result(timeout=5)
    assert job.done
