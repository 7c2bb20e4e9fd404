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


def test_a_job_nobody_asks_about_stops_between_rounds(monkeypatch):
    from analysis import jobs

    monkeypatch.setattr(jobs, "UNWATCHED_SECONDS", 0.2)
    rounds = []

    def work(progress):
        for done in range(50):
            threading.Event().wait(0.05)
            rounds.append(done)
            progress((done + 1) / 50)
        return "finished"

    job = Job("unwatched", work)
    with pytest.raises(jobs.Abandoned, match="nobody asked for it"):
        job._done.wait(10)
        job.result(timeout=0)
    assert len(rounds) < 50 and isinstance(job.error, jobs.Abandoned)
    watched = Job("watched", work)
    assert watched.result(timeout=10) == "finished"  # someone waits in result(): it runs to the end
