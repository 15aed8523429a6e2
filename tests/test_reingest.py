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
