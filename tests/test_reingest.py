"""Issue 17: a report already stored is recognised by its hash, before any model is loaded."""

from __future__ import annotations

from fogwatch.report import Report, content_id


def test_report_id_is_cached_and_follows_its_text_outlet_and_url() -> None:
    report = Report(text="Shelling resumed on Tuesday.", outlet="Wire", url="https://example.org/a")
    first = report.id
    assert first == content_id(report.text, "Wire", "https://example.org/a")
    assert report.id is first  # read from the cache, not hashed again
    report.text = "Shelling stopped on Tuesday."
    assert report.id == content_id("Shelling stopped on Tuesday.", "Wire", "https://example.org/a")
    report.outlet = "Other"
    assert report.id == content_id(report.text, "Other", "https://example.org/a")
    report.url = None
    assert report.id == content_id(report.text, "Other", None)
    report.outlet = None
    assert report.id == content_id(report.text)


def _refuse_model(monkeypatch) -> None:
    """Make any attempt to build the pipeline or load the spaCy model fail the test."""
    import fogwatch.extract
    import fogwatch.nlp

    def refuse(*args, **kwargs):
        raise AssertionError("the model was loaded for a report that is already stored")

    monkeypatch.setattr(fogwatch.extract, "default_pipeline", refuse)
    monkeypatch.setattr(fogwatch.nlp, "load_model", refuse)


def _stored(tmp_path, text: str):
    """A store holding the report a file of ``text`` reads as (stored unread: no model needed)."""
    from fogwatch.ingest import read_paths
    from fogwatch.store import Store

    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    [report] = list(read_paths([path]))
    db = tmp_path / "fogwatch.db"
    with Store(db) as store:
        assert store.add(report)
    return path, db, report.id


TEXT = "Truce holds in Aleppo\n\nThe ceasefire held overnight, the monitor said on Tuesday.\n"


def test_reingest_recognises_a_stored_report_without_loading_the_model(tmp_path, monkeypatch) -> None:
    from fogwatch import jobs
    from fogwatch.store import Store

    path, db, report_id = _stored(tmp_path, TEXT)
    _refuse_model(monkeypatch)
    with Store(db) as store:
        result = jobs.ingest(store, [path])
    assert result.unchanged == [report_id]
    assert result.added == [] and result.failures == []


def test_reingest_from_the_command_line_loads_no_model(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from fogwatch.cli import cli

    path, db, _ = _stored(tmp_path, TEXT)
    _refuse_model(monkeypatch)
    outcome = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(db)])
    assert outcome.exit_code == 0, outcome.output
    assert "0 reports added" in outcome.output and "1 already stored" in outcome.output


def test_a_new_report_beside_a_stored_one_is_still_read(tmp_path, monkeypatch) -> None:
    """Only stored reports skip the pipeline: a new one asks for it (here: the refusal is hit)."""
    import pytest

    from fogwatch import jobs
    from fogwatch.store import Store

    path, db, _ = _stored(tmp_path, TEXT)
    other = tmp_path / "other.txt"
    other.write_text("Shelling resumed in Idlib on Friday, residents said.\n", encoding="utf-8")
    _refuse_model(monkeypatch)
    with Store(db) as store, pytest.raises(AssertionError, match="model was loaded"):
        jobs.ingest(store, [path, other])
