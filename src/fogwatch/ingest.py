"""Reading reports in: plain text, HTML, JSON Lines, RSS/Atom feeds and WARC files.

Every reader either yields ``Report`` records or a ``Failure`` saying exactly
which file (and line) could not be read and why; a batch never stops at one
bad input. Bytes are checked before anything is parsed: empty, binary, not
UTF-8 and oversized inputs get their own catalogue errors.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from .errors import Errors, InputError
from .extract import Failure
from .fetch import FetchPolicy, fetch, is_url
from .report import Report
from .timex import MAX_YEAR, MIN_YEAR

# 20 MB of text is about 3 million words: far beyond any single news report
# (the longest long-reads are ~20,000 words), yet small enough that one file
# cannot exhaust memory. Users can raise it per run.
DEFAULT_MAX_BYTES = 20_000_000

# Share of control characters (other than tab, CR, LF, FF) above which decoded
# "text" is really a binary file that happened to decode. Real reports have
# none; 1% tolerates a stray escape code in a scraped page.
MAX_CONTROL_SHARE = 0.01

# A first line this short and without final punctuation, followed by a blank
# line, is taken as the headline of a plain-text report (headlines in wire
# copy run 6 to 20 words).
MAX_HEADLINE_WORDS = 25
# Without a blank line after it, a first line is the headline only when it is
# also clearly shorter than the lines after it: a hard-wrapped first paragraph
# has lines of about one width, a headline above an unwrapped body does not.
HEADLINE_WIDTH_SHARE = 0.75
# Words a headline does not end on but a line broken mid-sentence often does.
CONTINUING_WORDS = frozenset(
    "a an the of to in on at for from by with and or but as that which who than into onto over said says".split()
)

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
WARC_NAMES = (".warc", ".warc.gz")
# What a directory walk reads: the formats above, less Markdown (.md and .text are read
# when named, but in a folder of reports they are usually notes). JSON that is not JSON
# Lines (.json), tables (.csv) and the rest are named as not read, never read as text.
REPORT_SUFFIXES = frozenset({".txt", *HTML_SUFFIXES, *JSONL_SUFFIXES, *FEED_SUFFIXES, *WARC_NAMES})
# An address with a scheme (file://, ftp://...): never taken for a local path.
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")

# Block-level elements whose text starts a new paragraph when an HTML fragment
# (a feed entry's content) is flattened to text.
BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br", "tr")

METADATA_FIELDS = ("title", "outlet", "published", "language", "url")
# Alternative names for metadata fields that common exports use.
FIELD_ALIASES = {
    "outlet": ("outlet", "source", "sitename", "publisher", "site"),
    "published": ("published", "date", "pubdate", "published_at", "publication_date"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "language": ("language", "lang"),
}


@dataclass
class Metadata:
    """Metadata given on the command line; it overrides what the file itself says."""

    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None

    def given(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


def parse_published(value: Any) -> str:
    """Validate a publication date and return it as ISO (date, or datetime when a time is given).

    Raises ``InputError`` (E008) for anything that is not a real date between
    1900 and 2100: a wrong date must be refused, never guessed.
    """
    text = str(value).strip()
    try:
        if len(text) <= 10:
            parsed: date = date.fromisoformat(text)
        else:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise InputError(Errors.E008, value=text, reason=str(err)) from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise InputError(Errors.E008, value=text, reason=f"the year is outside {MIN_YEAR}-{MAX_YEAR}")
    return parsed.isoformat()


def decode(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Bytes to text, refusing empty, oversized, binary and non-UTF-8 input with a clear reason."""
    if not data.strip():
        raise InputError(Errors.E001)
    if len(data) > max_bytes:
        raise InputError(Errors.E004, size=len(data), limit=max_bytes)
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and b"\x00" in data[:8192]:
        raise InputError(Errors.E002, detail="it contains NUL bytes")
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(Errors.E003, offset=err.start) from None
    controls = sum(1 for ch in text[:100_000] if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > MAX_CONTROL_SHARE * min(len(text), 100_000):
        raise InputError(Errors.E002, detail=f"{controls} control characters")
    return text


def looks_like_feed(text: str) -> bool:
    head = text[:1000].lstrip().lower()
    return "<rss" in head or "<feed" in head or "<rdf:rdf" in head


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def headline(text: str) -> str | None:
    """The first line of a plain-text report when it reads as a headline.

    Either a short first paragraph of one line, or (as wire copy often has it)
    a short first line straight above the body that has a headline's shape:
    no final punctuation, not ending on a word that continues a sentence, the
    next line starting a new one, and clearly shorter than the lines below it.
    Only the title is set; the text, and so every offset, is left as it is.
    """
    from .stages.chrome import is_chrome

    blocks = [b.strip() for b in text.split("\n\n")]
    for block in blocks:
        if not block or is_chrome(block):
            continue
        first, *rest = [line.strip() for line in block.split("\n")]
        if len(first.split()) > MAX_HEADLINE_WORDS or first[-1] in ".!?:;,":
            return None
        if rest and not _headline_above(first, rest):
            return None
        return first
    return None


def _headline_above(first: str, body: list[str]) -> bool:
    """Whether ``first``, with ``body`` lines straight below it, is a headline rather than a wrapped line."""
    last_word = first.split()[-1].lower()
    opener = body[0][:1]
    widest = max(len(line) for line in body[:3])
    return (
        last_word not in CONTINUING_WORDS
        and not first.endswith(("-", "—", "–"))
        and (opener.isupper() or opener.isdigit() or opener in "\"“‘'(«")
        and len(first) < HEADLINE_WIDTH_SHARE * widest
    )


def report_from_text(text: str, origin: str, meta: Metadata) -> Report:
    if not text.strip():
        raise InputError(Errors.E001)
    report = Report(text=text, origin=origin, title=headline(text))
    return _apply(report, meta.given())


def report_from_html(markup: str, origin: str, meta: Metadata) -> Report:
    """Main text and metadata from a web page via trafilatura (navigation, ads, comments dropped)."""
    from trafilatura import bare_extraction

    try:
        doc = bare_extraction(markup, with_metadata=True, include_comments=False)
    except Exception as err:  # noqa: BLE001 - trafilatura raises many kinds on broken markup
        raise InputError(Errors.E006) from err
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError(Errors.E006)
    report = Report(text=text, origin=origin)
    found = {
        "title": doc.title,
        "outlet": doc.sitename or doc.hostname,
        "url": doc.url,
        "language": doc.language,
    }
    report = _apply(report, {k: v for k, v in found.items() if v})
    if doc.date:
        _set_published(report, doc.date, "the page's date")
    return _apply(report, meta.given())


def _set_published(report: Report, value: Any, where: str) -> None:
    try:
        report.published = parse_published(value)
    except InputError as err:
        report.notes.append(f"{where} {value!r} was ignored: {err.reason}")


def _apply(report: Report, values: dict[str, Any]) -> Report:
    for key, value in values.items():
        if key == "published":
            _set_published(report, value, "publication date")
        elif value is not None:
            setattr(report, key, str(value))
    return report


def reports_from_jsonl(
    text: str, origin: str, meta: Metadata, first_line: int = 1
) -> Iterator[Report | Failure]:
    """One report per line; a bad line is a Failure naming the line, the rest go on.

    Lines end at "\n" only: JSON strings may hold U+2028 and other characters
    that ``str.splitlines`` would wrongly treat as line ends.
    """
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            yield _record_to_report(line, number, where, meta)
        except InputError as err:
            yield Failure(where, err.describe(), err.code)


def _record_to_report(line: str, number: int, where: str, meta: Metadata) -> Report:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(Errors.E007, line=number, reason=f"not JSON ({err.msg})") from None
    if not isinstance(record, dict):
        raise InputError(Errors.E007, line=number, reason="not a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(Errors.E007, line=number, reason="no non-empty string field 'text'")
    report = Report(text=text, origin=where)
    values = {}
    for name, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            value = record.get(alias)
            if isinstance(value, (str, int, float)) and str(value).strip():
                values[name] = value
                break
    report = _apply(report, values)
    return _apply(report, meta.given())


def fragment_text(markup: str) -> str:
    """The text of an HTML fragment, one paragraph per block element, scripts and styles dropped."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (ParserError, ValueError):
        return markup.strip()
    for bad in root.iter("script", "style", "iframe", "noscript"):
        bad.drop_tree()
    for block in root.iter(*BLOCK_TAGS):
        block.tail = "\n\n" + (block.tail or "")
    paragraphs = (" ".join(p.split()) for p in root.text_content().split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def reports_from_feed(text: str, origin: str, meta: Metadata) -> Iterator[Report | Failure]:
    """One report per RSS/Atom entry: its title, link and date from the feed, the outlet from the feed title."""
    import feedparser

    try:
        feed = feedparser.parse(text)
    except Exception as exc:  # noqa: BLE001 -- feedparser fails on some malformed feeds (KeyError: 'links')
        failure = InputError(Errors.E005, reason=f"a malformed feed the feed parser cannot read ({type(exc).__name__})")
        yield Failure(origin, failure.describe(), failure.code)
        return
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{origin}#{number}"
        contents = entry.get("content") or []
        markup = contents[0].get("value", "") if contents else entry.get("summary", "")
        body = fragment_text(markup) if markup else ""
        if not body:
            yield Failure(where, InputError(Errors.E001).describe(), Errors.E001.code)
            continue
        title = " ".join(str(entry.get("title", "")).split()) or None
        text = f"{title}\n\n{body}\n" if title else body + "\n"
        report = Report(text=text, origin=where, title=title, outlet=outlet, url=entry.get("link"))
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            _set_published(report, date(*stamp[:3]).isoformat(), "the entry's date")
        yield _apply(report, meta.given())


def reports_from_warc(path: Path, meta: Metadata, max_bytes: int) -> Iterator[Report | Failure]:
    """One report per HTML response in a WARC file, streamed record by record.

    The crawl date (WARC-Date) is when the page was fetched, not published, so
    it is never used as the publication date; the page's own date is.
    """
    with path.open("rb") as stream:
        if stream.read(5) != b"WARC/" and not _is_gzip(path):
            failure = InputError(Errors.E005, reason="not a WARC file (no WARC/ header)")
            yield Failure(str(path), failure.describe(), failure.code)
            return
        stream.seek(0)
        try:
            for number, record in enumerate(_warc_records(stream), start=1):
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                kind = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in kind.lower():
                    continue
                where = f"{path}#{number}"
                try:
                    data = _warc_content(record, max_bytes)
                    report = report_from_html(decode(data, max_bytes), where, meta)
                    if not report.url and uri:
                        report.url = uri
                    yield report
                except InputError as err:
                    yield Failure(where, err.describe(), err.code)
        except InputError as err:
            yield Failure(str(path), err.describe(), err.code)


def _warc_unreadable(err: Exception) -> InputError:
    return InputError(Errors.E005, reason=f"not a readable WARC file ({type(err).__name__}: {err})")


def _warc_records(stream: BinaryIO) -> Iterator[Any]:
    """warcio's records, with whatever it raises on a malformed file turned into E005.

    warcio meets broken records with many kinds of error, not only its own
    ArchiveLoadFailed: a response record without WARC-Target-URI raises
    AttributeError (found by fuzzing, ``fuzz/``).
    """
    from warcio.archiveiterator import ArchiveIterator

    records = iter(ArchiveIterator(stream))
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except Exception as err:  # noqa: BLE001 - see above: warcio's errors on broken input have no common base
            raise _warc_unreadable(err) from None
        yield record


def _warc_content(record: Any, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a record's payload (decoded from chunks or gzip by warcio)."""
    try:
        return record.content_stream().read(max_bytes + 1)
    except Exception as err:  # noqa: BLE001 - as in _warc_records
        raise _warc_unreadable(err) from None


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(2) == b"\x1f\x8b"


def read_file(path: Path, meta: Metadata | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Report | Failure]:
    """Reports from one file, by its suffix (or by sniffing when the suffix says nothing)."""
    meta = meta or Metadata()
    origin = str(path)
    try:
        size = path.stat().st_size
        if path.name.lower().endswith(WARC_NAMES):
            yield from reports_from_warc(path, meta, max_bytes)
            return
        if size > max_bytes:
            raise InputError(Errors.E004, size=size, limit=max_bytes)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
        text = decode(data, max_bytes)
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            yield from reports_from_jsonl(text, origin, meta)
        elif (suffix in FEED_SUFFIXES or suffix not in TEXT_SUFFIXES) and looks_like_feed(text):
            yield from reports_from_feed(text, origin, meta)
        elif suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_html(text)):
            yield report_from_html(text, origin, meta)
        else:
            yield report_from_text(text, origin, meta)
    except InputError as err:
        yield Failure(origin, err.describe(), err.code)
    except OSError as err:
        wrapped = InputError(Errors.E005, reason=err.strerror or str(err))
        yield Failure(origin, wrapped.describe(), wrapped.code)


def walk_inputs(paths: Iterable[Path]) -> Iterator[Path | Failure]:
    """What to read under the given paths: a file named is read whatever its name; in a
    directory (walked in a stable order) only report files are, and every other entry is
    named with the reason it was not read (E024): hidden ones (a hidden folder once, not
    its contents), files of other kinds (data.csv, notes.md), symbolic links (a link named
    like a report may point anywhere: its target is read when named itself) and what is
    not a regular file (a FIFO named like a report would block the walk)."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for root, dirs, files in os.walk(path):
            for name in sorted(dirs):
                if name.startswith("."):
                    yield _not_read(Path(root) / name, "a hidden folder (its name starts with a dot)")
                elif (Path(root) / name).is_symlink():
                    yield _not_read(Path(root) / name, "a symbolic link to a folder (name that folder to read it)")
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (Path(root) / d).is_symlink())
            for name in sorted(files):
                file = Path(root) / name
                if name.startswith("."):
                    yield _not_read(file, "a hidden file (its name starts with a dot)")
                elif not is_report_name(name):
                    yield _not_read(file, f"not a report file ({_suffix(name) or 'no extension'})")
                elif file.is_symlink():
                    yield _not_read(file, "a symbolic link (name it or its target to read it)")
                elif not file.is_file():
                    yield _not_read(file, "not a regular file")
                else:
                    yield file


def is_report_name(name: str) -> bool:
    """Whether a directory walk reads a file of this name (see ``REPORT_SUFFIXES``)."""
    lower = name.lower()
    return lower.endswith(WARC_NAMES) or Path(lower).suffix in REPORT_SUFFIXES


def _suffix(name: str) -> str:
    return Path(name.lower()).suffix


def _not_read(path: Path, reason: str) -> Failure:
    suffixes = ", ".join(sorted(REPORT_SUFFIXES))
    err = InputError(Errors.E024, reason=reason, suffixes=suffixes)
    return Failure(str(path), err.describe(), err.code)


def public_origin(origin: str | None) -> str | None:
    """Where a report was read from, as the API and exports show it: addresses and relative paths as
    they are, a file given by an absolute path (or one climbing out with ``..``) by its name alone,
    so that a server's folders are not shown to whoever reads its API."""
    if not origin or is_url(origin) or SCHEME.match(origin):
        return origin
    path = Path(origin)
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:[\\/]", origin):
        return re.split(r"[\\/]", origin)[-1] or None
    return origin


def read_url(url: str, meta: Metadata | None = None, policy: FetchPolicy | None = None) -> Iterator[Report | Failure]:
    """Reports from a web page or feed, fetched under the safety policy of ``fetch.py``."""
    meta = meta or Metadata()
    try:
        fetched = fetch(url, policy)
        text = decode(fetched.body, (policy or FetchPolicy()).max_bytes)
        if fetched.content_type in ("application/x-ndjson", "application/jsonl"):
            yield from reports_from_jsonl(text, url, meta)
        elif looks_like_feed(text):
            yield from reports_from_feed(text, url, meta)
        elif "html" in fetched.content_type or looks_like_html(text):
            report = report_from_html(text, url, meta)
            report.url = report.url or fetched.url
            yield report
        else:
            yield _apply(report_from_text(text, url, meta), {"url": fetched.url})
    except InputError as err:
        yield Failure(url, err.describe(), err.code)


def read_paths(
    paths: Iterable[Path | str], meta: Metadata | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
    policy: FetchPolicy | None = None,
) -> Iterator[Report | Failure]:
    """Reports from files, directories (walked) and http(s) addresses, in the order given.

    Any other address (``file://``, ``ftp://``) is refused as such (E025) rather
    than looked for as a local file of that name.
    """
    for item in paths:
        if isinstance(item, str) and is_url(item):
            yield from read_url(item, meta, policy)
            continue
        scheme = SCHEME.match(item) if isinstance(item, str) else None
        if scheme:
            err = InputError(Errors.E025, url=item, scheme=scheme.group(1).lower())
            yield Failure(item, err.describe(), err.code)
            continue
        for path in walk_inputs([Path(item)]):
            if isinstance(path, Failure):
                yield path
            else:
                yield from read_file(path, meta, max_bytes)


# -- manifests: per-file metadata ---------------------------------------------------

MANIFEST_COLUMNS = ("path", "outlet", "published", "url", "title")


@dataclass
class ManifestEntry:
    """One manifest row: what to read and the metadata that holds for it alone."""

    path: Path | str
    meta: Metadata
    line: int


def read_manifest(path: Path) -> list[ManifestEntry | Failure]:
    """Per-file metadata from a CSV or TSV manifest (columns path, outlet, published, url, title).

    Command-line flags hold for every input; a manifest says which outlet and date
    hold for which file. A manifest the reader cannot use at all (unreadable, no
    header naming ``path``, an unknown column) is refused (E029); a row with a bad
    date or no path is one Failure naming its line, and the other rows are read.
    Relative paths are read from the manifest's folder, not the working directory.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(Errors.E029, path=path, line=1, reason=f"cannot be read ({err})") from None
    header = text.split("\n", 1)[0]
    rows = csv.reader(text.splitlines(), delimiter="\t" if "\t" in header else ",")
    columns = [c.strip().lower() for c in next(rows, [])]
    unknown = [c for c in columns if c not in MANIFEST_COLUMNS]
    if "path" not in columns or unknown:
        reason = f"unknown columns {', '.join(unknown)}" if unknown else "the first line names no 'path' column"
        raise InputError(Errors.E029, path=path, line=1, reason=reason)
    return [_manifest_entry(path, number, dict(zip(columns, row, strict=False)))
            for number, row in enumerate(rows, start=2) if any(cell.strip() for cell in row)]


def _manifest_entry(manifest: Path, line: int, row: dict[str, str]) -> ManifestEntry | Failure:
    values = {k: (v or "").strip() or None for k, v in row.items()}
    try:
        if not values.get("path"):
            raise InputError(Errors.E029, path=manifest, line=line, reason="no path")
        if values.get("published"):
            try:
                values["published"] = parse_published(values["published"])
            except InputError as err:
                raise InputError(Errors.E029, path=manifest, line=line, reason=err.reason) from None
    except InputError as err:
        return Failure(f"{manifest}:{line}", err.describe(), err.code)
    target: Path | str = values["path"]
    if not (is_url(values["path"]) or SCHEME.match(values["path"])):
        target = manifest.parent / Path(values["path"]).expanduser()
    meta = Metadata(**{k: values.get(k) for k in ("title", "outlet", "published", "url")})
    return ManifestEntry(target, meta, line)


def read_manifest_inputs(
    entries: Iterable[ManifestEntry | Failure], meta: Metadata | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
    policy: FetchPolicy | None = None,
) -> Iterator[Report | Failure]:
    """Reports from a manifest's rows, each with its row's metadata over the command line's."""
    common = (meta or Metadata()).given()
    for entry in entries:
        if isinstance(entry, Failure):
            yield entry
            continue
        yield from read_paths([entry.path], Metadata(**{**common, **entry.meta.given()}), max_bytes, policy)
