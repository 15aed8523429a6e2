"""Reading inputs: every bad file gets its own clear reason and the good ones still come through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fogwatch.errors import InputError
from fogwatch.extract import Failure
from fogwatch.ingest import Metadata, decode, headline, parse_published, public_origin, read_file, read_paths
from fogwatch.report import Report

STORY = "Rebels shelled the town on Monday, officials said.\n"


def only(items: list) -> Report | Failure:
    assert len(items) == 1
    return items[0]


def test_plain_text_keeps_the_text_exactly(tmp_path: Path) -> None:
    text = "Heavy fighting in the north\n\nRebels shelled the town on Monday, officials said.\r\n"
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode())
    report = only(list(read_file(path, Metadata(published="2019-05-07"))))
    assert isinstance(report, Report)
    assert report.text == text
    assert report.title == "Heavy fighting in the north"
    assert report.published == "2019-05-07"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "E001"),
        (b"  \n\t\n", "E001"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E002"),
        ("Caf\u00e9 shelled".encode("latin-1"), "E003"),
        (b"\x01\x02\x03\x04\x05 text with controls \x06\x07\x08", "E002"),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(tmp_path: Path, data: bytes, code: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    failure = only(list(read_file(path)))
    assert isinstance(failure, Failure)
    assert failure.code == code
    assert failure.origin == str(path)
    assert failure.reason.startswith(f"[{code}]") and "fix:" in failure.reason


def test_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(STORY.encode() * 1000)
    failure = only(list(read_file(path, max_bytes=10_000)))
    assert isinstance(failure, Failure) and failure.code == "E004"


def test_unreadable_path(tmp_path: Path) -> None:
    failure = only(list(read_file(tmp_path / "missing.txt")))
    assert isinstance(failure, Failure) and failure.code == "E005"


def test_utf16_with_bom_is_read() -> None:
    assert decode("Shelling in Aleppo".encode("utf-16")) == "Shelling in Aleppo"


def test_utf8_bom_is_dropped() -> None:
    assert decode(b"\xef\xbb\xbfShelling") == "Shelling"


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Strike on clinic | Example</title>"
        '<meta property="og:site_name" content="Example Wire">'
        '<meta property="article:published_time" content="2020-02-03T08:00:00Z"></head>'
        "<body><nav>Home | World | Sport</nav><article><h1>Strike on clinic</h1>"
        "<p>An airstrike hit a clinic in the north of the province on Sunday night, killing three nurses, "
        "the health ministry said in a statement.</p>"
        "<p>The coalition said it was reviewing the report and denied targeting medical facilities.</p>"
        "</article><footer>Contact us</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    report = only(list(read_file(path)))
    assert isinstance(report, Report)
    assert "airstrike hit a clinic" in report.text
    assert "Home | World" not in report.text
    assert report.outlet == "Example Wire"
    assert report.published == "2020-02-03"


def test_html_without_story_is_a_clear_failure(tmp_path: Path) -> None:
    path = tmp_path / "frame.html"
    path.write_text("<html><body><div><script>var a = 1;</script></div></body></html>", encoding="utf-8")
    failure = only(list(read_file(path)))
    assert isinstance(failure, Failure) and failure.code == "E006"


def test_jsonl_bad_lines_fail_alone(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": STORY, "outlet": "A", "date": "2019-01-02"}),
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": 42}),
        json.dumps({"text": STORY + "Second.", "published": "2019-02-30"}),
        "",
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_file(path))
    reports = [i for i in items if isinstance(i, Report)]
    failures = [i for i in items if isinstance(i, Failure)]
    assert [r.outlet for r in reports] == ["A", None]
    assert reports[0].published == "2019-01-02"
    assert reports[1].published is None and "ignored" in reports[1].notes[0]
    assert [f.origin.rsplit(":", 1)[1] for f in failures] == ["2", "3", "4", "5"]
    assert all(f.code == "E007" for f in failures)


def test_directory_walk_is_sorted_and_names_what_it_skips(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Another " + STORY, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.bin").write_bytes(b"\x00\x01\x02")
    items = list(read_paths([tmp_path]))
    assert [Path(i.origin).name for i in items] == [".hidden.txt", "a.txt", "b.txt", "c.bin"]
    assert [type(i).__name__ for i in items] == ["Failure", "Report", "Report", "Failure"]
    assert "hidden file" in items[0].reason and "not a report file (.bin)" in items[3].reason


def test_a_directory_yields_only_reports_and_says_why_the_rest_was_not_read(tmp_path: Path) -> None:
    """data.csv and notes.md are not reports: named as not read (E024), never stored as text."""
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "page.htm").write_text("<html><body><article><p>" + STORY * 3 + "</p></article></body></html>",
                                       encoding="utf-8")
    (tmp_path / "data.csv").write_text("place,toll\nAleppo,6\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("Ask the desk about the toll.\n", encoding="utf-8")
    (tmp_path / "dump.json").write_text(json.dumps({"text": STORY}), encoding="utf-8")
    (tmp_path / "README").write_text("What this folder is.\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    items = list(read_paths([tmp_path]))
    read = sorted(Path(i.origin).name for i in items if isinstance(i, Report))
    skipped = {Path(i.origin).name: i for i in items if isinstance(i, Failure)}
    assert read == ["page.htm", "story.txt"]
    assert set(skipped) == {".git", "data.csv", "notes.md", "dump.json", "README"}
    assert all(f.code == "E024" and "not read" in f.reason and ".jsonl" in f.reason for f in skipped.values())
    assert "hidden folder" in skipped[".git"].reason and "(.csv)" in skipped["data.csv"].reason
    assert "no extension" in skipped["README"].reason


def test_a_directory_walk_reads_no_link_and_no_special_file_and_names_them(tmp_path: Path) -> None:
    """A link named like a report can point anywhere (report.txt -> /etc/passwd was stored as a report), a
    linked folder was passed over without a word, and a FIFO named like a report would block the walk."""
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (folder / "report.txt").symlink_to(outside)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "other.txt").write_text(STORY.replace("town", "city"), encoding="utf-8")
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")
    items = list(read_paths([folder]))
    read = [Path(i.origin).name for i in items if isinstance(i, Report)]
    skipped = {Path(i.origin).name: i.reason for i in items if isinstance(i, Failure)}
    assert read == ["story.txt"]
    assert set(skipped) == {"report.txt", "linked", "pipe.txt"}
    assert "symbolic link" in skipped["report.txt"] and "symbolic link" in skipped["linked"]
    assert "not a regular file" in skipped["pipe.txt"]
    assert all("[E024]" in reason for reason in skipped.values())
    # Named on the command line, a link is read: the user chose it.
    assert isinstance(only(list(read_paths([folder / "report.txt"]))), Report)


def test_a_file_named_on_the_command_line_is_read_whatever_its_name(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(STORY, encoding="utf-8")
    assert isinstance(only(list(read_paths([notes]))), Report)


@pytest.mark.parametrize("address", ["file:///etc/passwd", "ftp://example.org/report.txt",
                                     "gopher://example.org/1/news", "FILE://localhost/etc/hosts"])
def test_other_schemes_are_refused_as_such(address: str) -> None:
    failure = only(list(read_paths([address])))
    assert isinstance(failure, Failure) and failure.code == "E025" and failure.origin == address
    scheme = address.split(":")[0].lower()
    assert f"does not fetch {scheme}: addresses" in failure.reason and "cannot be read" not in failure.reason


@pytest.mark.parametrize("address", ["HTTP://127.0.0.1/report", "Https://10.0.0.1/report"])
def test_a_scheme_in_capitals_is_still_http(address: str) -> None:
    """Schemes are case-insensitive: 'HTTP://' is fetched under the fetch policy (here refused as a private
    address, E018), not refused as a scheme fogwatch does not fetch ('does not fetch http: addresses')."""
    failure = only(list(read_paths([address])))
    assert isinstance(failure, Failure) and failure.code == "E018", failure.reason
    assert "does not fetch" not in failure.reason


@pytest.mark.parametrize(("origin", "shown"), [
    ("/srv/mirror/src/fogwatch/data/demo/reports.jsonl:3", "reports.jsonl:3"),
    ("/home/analyst/inbox/aleppo.txt", "aleppo.txt"),
    ("../../home/analyst/x.rss#2", "x.rss#2"),
    ("C:\\Users\\analyst\\a.txt", "a.txt"),
    ("demo/reports.jsonl:3", "demo/reports.jsonl:3"),
    ("reports/a.txt", "reports/a.txt"),
    ("https://example.org/story", "https://example.org/story"),
    ("http-api", "http-api"),
    (None, None),
])
def test_public_origin_shows_no_server_folders(origin: str | None, shown: str | None) -> None:
    assert public_origin(origin) == shown


@pytest.mark.parametrize("value", ["2016-12-14", "2016-12-14T09:30:00", "2016-12-14T09:30:00Z"])
def test_published_accepts_iso(value: str) -> None:
    assert parse_published(value).startswith("2016-12-14")


@pytest.mark.parametrize("value", ["14/12/2016", "yesterday", "0000-01-01", "9999-12-31", "2016-02-30", ""])
def test_published_refuses_wrong_dates(value: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_published(value)
    assert caught.value.code == "E008"


def test_headline_needs_a_short_first_block() -> None:
    assert headline("This story is over 5 years old.\n\nTruce collapses\n\nBody.") == "Truce collapses"
    assert headline("Rebels shelled the town on Monday, officials said.\n\nMore.") is None


WIRE = (
    "Syrian army retakes last rebel districts of east Aleppo\n"
    "BEIRUT (Reuters) - The Syrian army and its allies retook the last rebel-held districts of eastern Aleppo "
    "on Thursday, ending four years of fighting for the city, a monitoring group said.\n"
)


def test_a_headline_line_straight_above_the_body_is_the_title(tmp_path: Path) -> None:
    """Wire copy often has no blank line after its headline; the text and its offsets stay as they were."""
    assert headline(WIRE) == "Syrian army retakes last rebel districts of east Aleppo"
    path = tmp_path / "wire.txt"
    path.write_text(WIRE, encoding="utf-8")
    report = only(list(read_file(path)))
    assert isinstance(report, Report) and report.text == WIRE
    assert report.title == "Syrian army retakes last rebel districts of east Aleppo"


@pytest.mark.parametrize("text", [
    # a hard-wrapped first paragraph: every line about one width
    "Rebels shelled the town of Maarat al-Numan on Monday morning\nKilling at least six civilians in the "
    "market\nand wounding dozens more, the monitor said.\n",
    # a line broken on a word that continues the sentence
    "Rebels shelled the market in the town of\nMaarat al-Numan on Monday, killing at least six civilians and "
    "wounding many more, medics said.\n",
    # the next line carries on in lower case
    "Shelling resumed near the dam\nafter a night of calm that residents had hoped would last into the week "
    "and bring the first convoys in.\n",
    # a sentence, not a headline
    "Shelling resumed near the dam on Monday.\nResidents fled north towards the border crossing in their "
    "hundreds, officials said.\n",
])
def test_a_wrapped_first_line_is_not_a_headline(text: str) -> None:
    assert headline(text) is None


FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example Wire - World</title>
<item><title>Rockets hit border town</title><link>https://example.org/a</link>
<pubDate>Tue, 07 May 2019 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Rockets hit the town on Monday.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;Three people died, medics said.&lt;/p&gt;</description></item>
<item><title>Empty entry</title><link>https://example.org/b</link></item>
<item><title>Truce talks</title><link>https://example.org/c</link>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>Talks resumed.</p>]]></content:encoded>
</item></channel></rss>
"""


def test_feed_entries_become_reports(tmp_path: Path) -> None:
    path = tmp_path / "world.rss"
    path.write_text(FEED, encoding="utf-8")
    items = list(read_file(path))
    first, failure, third = items
    assert isinstance(first, Report) and isinstance(third, Report)
    assert first.text == "Rockets hit border town\n\nRockets hit the town on Monday.\n\nThree people died, medics said.\n"
    assert (first.outlet, first.url, first.published) == ("Example Wire - World", "https://example.org/a", "2019-05-07")
    assert "alert" not in first.text
    assert isinstance(failure, Failure) and failure.origin.endswith("#2") and failure.code == "E001"
    assert third.published is None and third.title == "Truce talks"


def _write_warc(path: Path, pages: list[tuple[str, str, bytes]]) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for uri, kind, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=headers))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_become_reports(tmp_path: Path, name: str) -> None:
    article = (
        "<html><head><title>Clashes near the dam</title></head><body><article><h1>Clashes near the dam</h1>"
        "<p>Fighting broke out near the dam on Friday between army units and a local militia, two residents said "
        "by telephone, adding that the road to the city had been closed since the morning.</p></article></body></html>"
    ).encode()
    path = tmp_path / name
    _write_warc(path, [
        ("https://example.org/story", "text/html; charset=utf-8", article),
        ("https://example.org/logo.png", "image/png", b"\x89PNG\x00"),
        ("https://example.org/broken", "text/html", b"\xff\xfe\x00\x00bad"),
    ])
    items = list(read_file(path))
    reports = [i for i in items if isinstance(i, Report)]
    assert len(reports) == 1
    assert reports[0].url == "https://example.org/story"
    assert "Fighting broke out near the dam" in reports[0].text
    assert reports[0].published is None
    # The image is passed over (not HTML); the broken page is named, never dropped without a word.
    failures = [(i.origin.rsplit("#", 1)[1], i.code) for i in items if i not in reports]
    assert failures == [("3", "E003")], items


def test_a_corrupt_warc_is_one_clear_failure(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(b"this is not a warc file at all\r\n\r\n")
    failure = only(list(read_file(path)))
    assert isinstance(failure, Failure) and failure.code == "E005"


def test_jsonl_lines_end_only_at_newline(tmp_path: Path) -> None:
    record = {"text": "Shelling resumed.\u2028Residents fled.\x85More.", "outlet": "A"}
    path = tmp_path / "sep.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\r\n", encoding="utf-8")
    report = only(list(read_file(path)))
    assert isinstance(report, Report) and report.text == record["text"]


def test_a_manifest_gives_each_file_its_own_metadata(tmp_path: Path) -> None:
    from fogwatch.ingest import ManifestEntry, read_manifest, read_manifest_inputs

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Troops withdrew from the town, the ministry said.\n", encoding="utf-8")
    manifest = tmp_path / "list.tsv"
    manifest.write_text("path\toutlet\tpublished\turl\ttitle\nin/a.txt\tAgency\t2016-12-14\t\t\n"
                        "b.txt\tDaily\t2019-05-07\thttps://example.org/b\tWithdrawal\n\n"
                        "c.txt\tWeekly\t2019-02-30\t\t\n\tNobody\t\t\t\n", encoding="utf-8")
    entries = read_manifest(manifest)
    assert [e.path for e in entries if isinstance(e, ManifestEntry)] == [tmp_path / "in" / "a.txt", tmp_path / "b.txt"]
    bad = [e for e in entries if isinstance(e, Failure)]
    assert [f.origin for f in bad] == [f"{manifest}:5", f"{manifest}:6"] and {f.code for f in bad} == {"E029"}
    items = list(read_manifest_inputs(entries, Metadata(outlet="Flag", title="Flag title")))
    reports = {r.outlet: r for r in items if isinstance(r, Report)}
    assert set(reports) == {"Agency", "Daily"}
    assert (reports["Agency"].published, reports["Agency"].title) == ("2016-12-14", "Flag title")
    assert (reports["Daily"].url, reports["Daily"].title) == ("https://example.org/b", "Withdrawal")


@pytest.mark.parametrize("header", ["file,outlet\n", "path,outlet,date\n", ""])
def test_a_manifest_without_a_path_column_or_with_unknown_columns_is_refused(tmp_path: Path, header: str) -> None:
    from fogwatch.ingest import read_manifest

    manifest = tmp_path / "m.csv"
    manifest.write_text(header + "a.txt,Agency\n" if header else "", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_manifest(manifest)
    assert refused.value.code == "E029" and "line 1" in str(refused.value)
