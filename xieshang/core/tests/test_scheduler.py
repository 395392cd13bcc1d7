from django.test import override_settings

from xieshang.core import scheduler


@override_settings(XIESHANG_PERIODIC_JOBS=["a.job", "b.job"], XIESHANG_INPROCESS_JOB_INTERVAL=60)
def test_each_job_runs_at_most_once_an_interval(monkeypatch) -> None:
    monkeypatch.setattr(scheduler, "_last_run", {})
    assert scheduler.due_jobs(1000.0) == ["a.job", "b.job"]
    assert scheduler.due_jobs(1030.0) == []
    assert scheduler.due_jobs(1061.0) == ["a.job", "b.job"]


def test_a_failing_job_is_logged_not_raised_and_its_connections_are_closed(caplog, db, monkeypatch) -> None:
    closed: list[bool] = []
    monkeypatch.setattr(scheduler.connections, "close_all", lambda: closed.append(True))  # not the test's own
    scheduler._run("xieshang.no.such.job")
    assert "failed" in caplog.text and closed == [True]
