"""Issue 17: a time budget per report, checked between stages, in every entry point.

The pipelines here are built from small stages written for these tests (one sleeps), so no
model is loaded; the API tests swap them in for the default pipeline.
"""

from __future__ import annotations

import threading
import time
import warnings

import pytest

from fogwatch import extract
from fogwatch.errors import BudgetError, PipelineError
from fogwatch.extract import Failure, read_many
from fogwatch.pipeline import DEFAULT_TIME_BUDGET_S, Pipeline, StageInfo, abandon_when, time_budget
from fogwatch.report import Report

SLOW_WORD = "SLOW"
SLEEP_S = 0.5


class Mark:
    """A stage that marks a report as read; with SLOW_WORD in the text it takes SLEEP_S."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, report: Report) -> None:
        if SLOW_WORD in report.text:
            time.sleep(SLEEP_S)
        if self.name not in report.notes:  # as real stages do, reading again assigns, never adds
            report.notes.append(self.name)


def toy_pipeline(budget: float | None) -> Pipeline:
    names = ("first", "second", "third")
    infos = [StageInfo(n, (), (n,), lambda n=n: Mark(n)) for n in names]
    return Pipeline(infos=infos, stages=[Mark(n) for n in names], budget=budget)


def test_budget_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.delenv("FOGWATCH_TIME_BUDGET", raising=False)
    assert time_budget() == DEFAULT_TIME_BUDGET_S
    monkeypatch.setenv("FOGWATCH_TIME_BUDGET", "12.5")
    assert time_budget() == 12.5
    monkeypatch.setenv("FOGWATCH_TIME_BUDGET", "0")
    assert time_budget() is None
    monkeypatch.setenv("FOGWATCH_TIME_BUDGET", "soon")
    with pytest.raises(PipelineError) as caught:
        time_budget()
    assert caught.value.code == "E031"


def test_a_report_past_its_budget_is_stopped_naming_it_and_the_stage() -> None:
    pipeline = toy_pipeline(budget=0.1)
    with pytest.raises(BudgetError) as caught:
        pipeline(Report(text=f"{SLOW_WORD} report", origin="inbox/long.txt"))
    err = caught.value
    assert err.code == "E030"
    assert "inbox/long.txt" in err.describe() and "'first'" in err.describe() and "fix:" in err.describe()


def test_the_last_stage_finishing_late_still_gives_the_reading() -> None:
    pipeline = Pipeline(infos=toy_pipeline(None).infos[:1], stages=[Mark("first")], budget=0.1)
    assert pipeline(Report(text=f"{SLOW_WORD} report")).notes == ["first"]


def test_a_batch_goes_on_past_the_slow_report_and_records_it() -> None:
    reports = [Report(text="quick one", origin="a.txt"), Report(text=f"{SLOW_WORD}", origin="b.txt"),
               Report(text="quick two", origin="c.txt")]
    out = list(read_many(reports, toy_pipeline(budget=0.2)))
    assert [type(item).__name__ for item in out] == ["Report", "Failure", "Report"]
    assert out[1].origin == "b.txt" and out[1].code == "E030"
    assert out[0].notes == ["first", "second", "third"]


def test_a_read_is_abandoned_when_asked() -> None:
    gone = threading.Event()
    gone.set()
    with abandon_when(gone):
        [out] = list(read_many([Report(text="quick", origin="http-api")], toy_pipeline(budget=None)))
    assert isinstance(out, Failure) and out.code == "E032"
    [after] = list(read_many([Report(text="quick")], toy_pipeline(budget=None)))
    assert isinstance(after, Report)  # the watch ends with its block


# -- the API -------------------------------------------------------------------

TOKEN = "test-token-0123456789"


@pytest.fixture
def api(tmp_path, monkeypatch):
    """A client over an empty store whose reads go through the toy pipeline."""
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from fogwatch.web import create_app

    pipeline = toy_pipeline(budget=SLEEP_S / 2)
    monkeypatch.setattr(extract, "default_pipeline", lambda *a, **k: pipeline)
    with TestClient(create_app(tmp_path / "api.db", token=TOKEN)) as client:
        yield client


def post(client, text: str):
    return client.post("/api/reports", json={"text": text}, headers={"Authorization": f"Bearer {TOKEN}"})


def test_api_refuses_a_report_past_its_budget_with_the_catalogue_error(api) -> None:
    response = post(api, f"{SLOW_WORD} and more words")
    assert response.status_code == 422
    error = response.json()["error"]
    assert "E030" in error["message"] and "'first'" in error["message"]
    assert post(api, "A quick report.").status_code == 201  # the next one is read as usual


def test_api_answers_other_requests_while_a_report_is_read(api, monkeypatch) -> None:
    monkeypatch.setattr(extract, "default_pipeline", lambda *a, **k: toy_pipeline(budget=None))
    slow = threading.Thread(target=post, args=(api, f"{SLOW_WORD} for three stages"))  # 3 x SLEEP_S
    slow.start()
    time.sleep(0.1)
    assert api.get("/api/reports").status_code == 200
    assert slow.is_alive(), "the list was answered only after the report was read"
    slow.join()


def test_api_abandons_a_read_when_its_client_goes_away(tmp_path, monkeypatch) -> None:
    import asyncio

    from fogwatch.web import submit

    gone_after = time.perf_counter() + SLEEP_S / 2

    async def is_disconnected() -> bool:
        return time.perf_counter() > gone_after

    report = Report(text=f"{SLOW_WORD} read", origin="http-api")
    pipeline = toy_pipeline(budget=None)
    monkeypatch.setattr(extract, "default_pipeline", lambda *a, **k: pipeline)
    with pytest.raises(submit.ApiError) as caught:
        asyncio.run(submit.read_while_connected(is_disconnected, tmp_path / "gone.db", report))
    assert "E032" in caught.value.reason
    assert "third" not in report.notes  # stopped at a stage boundary (the client is polled every 0.5 s)


def test_api_answers_a_stored_report_without_reading_it(api, monkeypatch) -> None:
    assert post(api, "A quick report.").status_code == 201

    def refuse(*args, **kwargs):
        raise AssertionError("the pipeline was built for a stored report")

    monkeypatch.setattr(extract, "default_pipeline", refuse)
    again = post(api, "A quick report.")
    assert again.status_code == 200 and again.json()["added"] is False


def test_a_batch_partition_records_the_slow_report_and_keeps_the_rest(tmp_path, monkeypatch) -> None:
    pytest.importorskip("pyarrow")
    from fogwatch import batch

    for name, text in (("a.txt", "Quick one."), ("b.txt", f"{SLOW_WORD} one."), ("c.txt", "Quick two.")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(extract, "default_pipeline", lambda *a, **k: toy_pipeline(budget=SLEEP_S / 2))
    [part] = batch.plan([tmp_path])
    done = batch.run_partition(part, str(tmp_path), {}, 10_000)
    items = list(batch.load_partition(done.path))
    assert (done.reports, done.failures) == (2, 1)
    [failure] = [item for item in items if isinstance(item, Failure)]
    assert failure.code == "E030" and failure.origin.endswith("b.txt")


# -- the command line ------------------------------------------------------------


def budget_from_environment() -> Pipeline:
    """The toy pipeline with the budget the environment gives when it is built, as the default one."""
    names = ("first", "second", "third")
    return Pipeline(infos=[StageInfo(n, (), (n,), lambda n=n: Mark(n)) for n in names], stages=[Mark(n) for n in names])


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_cli_time_budget_option_is_honoured(tmp_path, monkeypatch, command: str) -> None:
    from click.testing import CliRunner

    from fogwatch.cli import cli

    monkeypatch.setenv("FOGWATCH_TIME_BUDGET", "600")  # the option wins over the environment
    monkeypatch.setattr(extract, "default_pipeline", lambda *a, **k: budget_from_environment())
    (tmp_path / "slow.txt").write_text(f"{SLOW_WORD} report.", encoding="utf-8")
    (tmp_path / "quick.txt").write_text("A quick report.", encoding="utf-8")
    store = ["--db", str(tmp_path / "cli.db")] if command == "ingest" else []
    paths = [str(tmp_path / "slow.txt"), str(tmp_path / "quick.txt")]
    stopped = CliRunner().invoke(cli, [command, *store, "--time-budget", str(SLEEP_S / 2), *paths])
    assert stopped.exit_code == 1, stopped.output
    assert "E030" in stopped.stderr and "slow.txt" in stopped.stderr and "quick.txt" not in stopped.stderr
    store = ["--db", str(tmp_path / "cli2.db")] if command == "ingest" else []
    unlimited = CliRunner().invoke(cli, [command, *store, "--time-budget", "0", *paths])
    assert unlimited.exit_code == 0, unlimited.output


def test_cli_time_budget_refuses_a_negative_value() -> None:
    from click.testing import CliRunner

    from fogwatch.cli import cli

    assert CliRunner().invoke(cli, ["ingest", "--time-budget", "-1", "x.txt"]).exit_code == 2
