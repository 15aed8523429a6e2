"""The ``fogwatch`` command: a thin shell over the library (``jobs``, ``ledger``, ``exports``, the store).

Each command calls library functions and turns fogwatch's errors into a
one-line message and an exit code at the edge.

Exit codes: 0 every input was read; 1 some inputs could not be read (each is
named on standard error, the rest were processed); 2 the command line was
wrong (a bad option value, an unknown report or event id, a filter that would
match everything); 3 nothing could be done (database, model or resource
unusable: a database that does not exist, a port already in use).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__, exports, jobs, ledger, views
from .errors import Errors, FogwatchError, InputError
from .extract import Failure
from .fetch import FetchPolicy
from .ingest import DEFAULT_MAX_BYTES, Metadata, parse_published
from .paths import default_db
from .pipeline import DEFAULT_TIME_BUDGET_S, TIME_BUDGET_ENV
from .terminal import (
    describe_linked_event,
    show_blame,
    show_ceasefire,
    show_linked_event,
    show_report,
    summarise,
)
from .store import Store

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_FATAL = 0, 1, 2, 3
DEFAULT_PORT = 8321
# A write token shorter than this can be guessed by trying; 16 random characters cannot.
MIN_TOKEN_CHARS = 16
# On SIGTERM or Ctrl-C, requests in flight get this long to finish before they are abandoned
# (a report being stored is one transaction: it is then wholly stored or not at all).
SHUTDOWN_GRACE_SECONDS = 3


def _published(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_published(value)
    except InputError as err:
        raise click.BadParameter(err.describe()) from None


def _open_store(db: str | None, create: bool = False, read_only: bool = False, reads_only: bool = False) -> Store:
    """The store; only commands that store reports pass ``create``, those that only read it ``reads_only``
    (see ``jobs.open_store``)."""
    return jobs.open_store(db or default_db(), create=create, read_only=read_only, reads_only=reads_only)


def _name_filter(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Every text filter of the reading commands: one that would match everything (or names by their
    spaces) is refused (see ``jobs.name_filter``)."""
    try:
        return jobs.name_filter(param.opts[0].lstrip("-"), value)
    except FogwatchError as err:
        raise click.BadParameter(err.describe()) from None


db_option = click.option(
    "--db", envvar="FOGWATCH_DB", type=click.Path(dir_okay=False),
    help="SQLite file or postgresql:// address (default: ~/.fogwatch/fogwatch.db, or $FOGWATCH_DB).",
)
max_bytes_option = click.option(
    "--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
    help="Refuse input files larger than this.",
)


def _set_time_budget(ctx: click.Context, param: click.Parameter, value: str | None) -> float:
    """Hand the budget on through the environment: the pipeline reads it when it is built, here, in the
    batch workers this process starts and in the API's reader alike (as --no-tagger does).

    A value that is not a number of seconds (nor 0 or more) is E031, named as the user gave it: the
    variable when it came from $FOGWATCH_TIME_BUDGET, the option otherwise. A blank variable is the
    default, as the pipeline reads it."""
    raw = (value or "").strip()
    try:
        seconds = float(raw) if raw else DEFAULT_TIME_BUDGET_S
        if not seconds >= 0:  # also NaN
            raise ValueError(raw)
    except ValueError:
        from click.core import ParameterSource

        if ctx.get_parameter_source(param.name or "") is ParameterSource.ENVIRONMENT:
            raise click.UsageError(FogwatchError(Errors.E031, value=value).describe(), ctx) from None
        raise click.BadParameter(f"[E031] {value!r} is not a number of seconds (fix: {Errors.E031.fix})") from None
    os.environ[TIME_BUDGET_ENV] = repr(seconds)
    return seconds


time_budget_option = click.option(
    "--time-budget", envvar=TIME_BUDGET_ENV, default=None,
    callback=_set_time_budget, expose_value=False, metavar="SECONDS",
    help=f"Seconds one report may take to read before it is stopped with E030 and named, the rest going on "
         f"(default: ${TIME_BUDGET_ENV}, else {DEFAULT_TIME_BUDGET_S:.0f}; 0: no limit).",
)


def metadata_options(func):
    for option in reversed((
        click.option("--published", callback=_published, help="Publication date (ISO, e.g. 2016-12-14); "
                     "relative dates resolve against it. Overrides the file's own."),
        click.option("--title", help="Report title (overrides the file's own)."),
        click.option("--outlet", help="Outlet that published it (overrides the file's own)."),
        click.option("--url", help="Address it was published at."),
    )):
        func = option(func)
    return func


def _fail(err: FogwatchError) -> None:
    """One line on stderr; exit 2 when the user asked for what is not there (an unknown id), else 3."""
    click.echo(f"fogwatch: {err.describe()}", err=True)
    sys.exit(EXIT_USAGE if err.spec.usage else EXIT_FATAL)


def _report_failure(failure: Failure) -> None:
    click.echo(f"fogwatch: skipped {failure.origin}: {failure.reason}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fogwatch")
@click.option("--no-tagger", is_flag=True,
              help="Claims from the parse rules alone (same as FOGWATCH_TAGGER=0): about twice as fast, "
                   "fewer claims; see bench/RESULTS.md.")
def cli(no_tagger: bool) -> None:
    """fogwatch: a sourced ledger of armed conflict from news reports.

    Reads reports (text, HTML, JSON Lines) and extracts who says what, who
    blames whom, what happened, where and when — every item pointing back at
    the words it rests on.
    """
    if no_tagger:
        # Read when the claims stage is built, here and in the batch workers this process starts.
        os.environ["FOGWATCH_TAGGER"] = "0"


private_option = click.option(
    "--allow-private-addresses", "allow_private", is_flag=True,
    help="Let http(s) inputs reach private, loopback and link-local addresses (refused by default).",
)


@cli.command()
@click.argument("files", nargs=-1, required=True)
@metadata_options
@max_bytes_option
@private_option
@click.option("--with-text", is_flag=True, help="Include each report's text in its JSON object.")
@time_budget_option
def extract(files: tuple[str, ...], published, title, outlet, url, max_bytes: int, allow_private: bool,
            with_text: bool) -> None:
    """Print one JSON object per report (JSON Lines) following fogwatch's contract.

    FILES may be text, HTML, JSON Lines, RSS/Atom or WARC files, directories to walk, or http(s) addresses.
    """
    meta = Metadata(title=title, outlet=outlet, published=published, url=url)
    failed = 0
    try:
        for item in jobs.extract(files, meta, max_bytes, FetchPolicy(allow_private=allow_private)):
            if isinstance(item, Failure):
                _report_failure(item)
                failed += 1
            else:
                click.echo(jobs.reading_json(item, with_text))
    except FogwatchError as err:
        _fail(err)
    sys.exit(EXIT_SOME_FAILED if failed else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV or TSV with columns path, outlet, published, url, title: metadata per file (over the "
                   "flags below); relative paths are read from the manifest's folder.")
@metadata_options
@max_bytes_option
@private_option
@db_option
@time_budget_option
def ingest(paths: tuple[str, ...], manifest: Path | None, published, title, outlet, url, max_bytes: int,
           allow_private: bool, db: str | None) -> None:
    """Read and store reports (files, directories, http(s) pages and feeds, the rows of a --manifest); a report
    already stored is left unchanged. Shows progress on stderr: a bar on a terminal, a line every few seconds
    otherwise."""
    if not paths and manifest is None:
        raise click.UsageError("give files, directories or addresses to read, or --manifest FILE")
    meta = Metadata(title=title, outlet=outlet, published=published, url=url)
    try:
        with _open_store(db, create=True) as store, Progress(jobs.count_inputs(paths, manifest)) as progress:
            result = jobs.ingest(store, paths, meta, max_bytes, FetchPolicy(allow_private=allow_private),
                                 manifest=manifest, progress=progress)
            location = store.location
    except FogwatchError as err:
        _fail(err)
    for failure in result.failures:
        _report_failure(failure)
    for link in result.copies:
        click.echo(f"copy: {link.report_id} repeats {link.original_id} (similarity {link.similarity:.2f})")
    click.echo(f"{len(result.added)} reports added ({len(result.copies)} of them wire copies), "
               f"{len(result.unchanged)} already stored, {len(result.skipped)} skipped (not reports), "
               f"{len(result.failed)} failed — database {location}")
    sys.exit(EXIT_SOME_FAILED if result.failures else EXIT_OK)


class Progress:
    """Where a long ingest is, on stderr: a tqdm bar on a terminal; in a pipe or a log, a plain line
    every PLAIN_EVERY seconds (a bar's carriage returns would fill a log file)."""

    PLAIN_EVERY = 5.0

    def __init__(self, total: int | None) -> None:
        import time

        self.total, self.clock = total, time.monotonic
        self.started = self.last = self.clock()
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=" input", file=sys.stderr, dynamic_ncols=True, leave=False)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def __call__(self, result: jobs.IngestResult) -> None:
        counts = (f"{len(result.added)} stored, {len(result.copies)} copies, {len(result.unchanged)} already "
                  f"stored, {len(result.skipped)} skipped, {len(result.failed)} failed")
        if self.bar is not None:
            self.bar.update(result.seen - self.bar.n)
            self.bar.set_postfix_str(counts, refresh=False)
            return
        now = self.clock()
        if now - self.last >= self.PLAIN_EVERY:
            self.last = now
            of = f" of {self.total}" if self.total else ""
            click.echo(f"fogwatch: {result.seen}{of} inputs read in {now - self.started:.0f} s: {counts}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--cluster", default="local", show_default=True,
              help="'local' for worker processes on this machine, or a scheduler address tcp://HOST:PORT.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Local worker processes.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default="fogwatch-batch",
              show_default=True, help="Folder for the Parquet partitions.")
@click.option("--records", type=click.IntRange(min=1), default=500, show_default=True,
              help="JSON Lines records per partition, on average (cut at equal shares of the bytes).")
@click.option("--no-store", is_flag=True, help="Only write Parquet partitions; do not load them into the database.")
@metadata_options
@max_bytes_option
@db_option
@time_budget_option
def batch(paths, cluster: str, workers: int, out_dir: Path, records: int, no_store: bool, published, title, outlet,
          url, max_bytes: int, db) -> None:
    """Analyse many reports on a Dask cluster, write Parquet partitions, and load them into the store."""
    from . import batch as batch_mode

    meta = Metadata(title=title, outlet=outlet, published=published, url=url)
    store = None
    try:
        store = None if no_store else _open_store(db, create=True)
        result = batch_mode.run(paths, out_dir, cluster=cluster, workers=workers, meta=meta, max_bytes=max_bytes,
                                records=records, store=store)
    except FogwatchError as err:
        _fail(err)
    finally:
        if store is not None:
            store.close()
    for failure in result.failures:
        _report_failure(failure)
    for where, reason in result.failed_partitions:
        click.echo(f"fogwatch: partition failed after retries: {where}: {reason}", err=True)
    stored = result.stored
    click.echo(f"{result.partitions} partitions, {result.readings} readings written to {out_dir}"
               + (f"; {len(stored.added)} reports added ({len(stored.copies)} wire copies), "
                  f"{len(stored.unchanged)} already stored" if stored else ""))
    if result.peak_rss_mb:
        click.echo(f"peak memory per worker process: {max(result.peak_rss_mb.values()):.0f} MB")
    sys.exit(EXIT_SOME_FAILED if result.failures or result.failed_partitions else EXIT_OK)


@cli.command()
@click.argument("report")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the stored reading as JSON instead.")
def show(report: str, db: str | None, as_json: bool) -> None:
    """Print the reading of one stored report (give its id, an id prefix or its file name)."""
    try:
        with _open_store(db, reads_only=True) as store:
            loaded = store.load(store.resolve(report))
    except FogwatchError as err:
        _fail(err)
    click.echo(jobs.reading_json(loaded, with_text=True) if as_json else show_report(loaded))


@cli.command()
@db_option
def reports(db: str | None) -> None:
    """List stored reports: id, publication date, outlet and title."""
    try:
        with _open_store(db, reads_only=True) as store:
            for item in store.reports():
                click.echo(f"{item.id}  {item.published or '----------'}  {item.outlet or '?'}  —  "
                           f"{item.title or item.origin or ''}")
    except FogwatchError as err:
        _fail(err)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), default="jsonl", show_default=True,
              help="jsonl: readings with text; csv: one row per item; acled: one row per linked event; "
                   "geojson: linked events on a map.")
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-", help="Output file (default: stdout).")
@db_option
def export(fmt: str, out, db: str | None) -> None:
    """Write everything stored, or the linked events (acled, geojson)."""
    try:
        with _open_store(db, reads_only=True) as store:
            count = exports.export(store, fmt, out)
    except FogwatchError as err:
        _fail(err)
    what = {"jsonl": "reports", "csv": "items", "acled": "events", "geojson": "mapped events"}[fmt]
    click.echo(f"exported {count} {what}", err=True)


def _as_json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=1)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


@cli.command()
@click.option("--place", help="Place name, e.g. Aleppo.", callback=_name_filter)
@click.option("--country", help="ISO alpha-2 country code of the place, e.g. SY.", callback=_name_filter)
@click.option("--from", "date_from", callback=_published, help="Earliest date (ISO).")
@click.option("--to", "date_to", callback=_published, help="Latest date (ISO).")
@click.option("--type", "event_type", help="Event type, e.g. ASSAULT, CEASEFIRE, KILL.", callback=_name_filter)
@click.option("--actor", help="An actor taking part, e.g. Russia.", callback=_name_filter)
@click.option("--source", callback=_name_filter, help="A source or outlet that reports it.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Events to skip.")
@db_option
@json_option
def events(place, country, date_from, date_to, event_type, actor, source, limit: int, offset: int, db,
           as_json: bool) -> None:
    """Events linked across reports, newest first, with their sources and contradictions."""
    try:
        with _open_store(db, reads_only=True) as store:
            # One event past the page tells whether more match, without reading every event.
            found = views.query_events(store, place=place, country=country, date_from=date_from, date_to=date_to,
                                        type=event_type, actor=actor, source=source, limit=limit + 1,
                                        offset=offset)
    except FogwatchError as err:
        _fail(err)
    more, found = len(found) > limit, found[:limit]
    click.echo(_as_json(found) if as_json else "\n".join(describe_linked_event(e) for e in found) or "No events.")
    if more:
        click.echo(f"fogwatch: showing events {offset + 1}-{offset + limit}; more match: "
                   f"use --offset {offset + limit} (or a larger --limit) for the rest", err=True)


@cli.command()
@click.argument("event_id", type=int)
@db_option
@json_option
def event(event_id: int, db, as_json: bool) -> None:
    """One linked event: every mention, why it was linked, claims side by side, figures, contradictions."""
    try:
        with _open_store(db, reads_only=True) as store:
            found = views.event_ledger(store, event_id)
    except FogwatchError as err:
        _fail(err)
    click.echo(_as_json(found) if as_json else show_linked_event(found))


@cli.command()
@click.argument("report")
@click.argument("index", type=click.IntRange(min=0))
@db_option
def unlink(report: str, index: int, db) -> None:
    """Undo a merge: give event INDEX of REPORT an event of its own (and keep it apart from now on)."""
    try:
        with _open_store(db) as store:
            event_id = ledger.unlink(store, store.resolve(report), index)
            views.refresh(store)
    except FogwatchError as err:
        _fail(err)
    except (IndexError, KeyError):
        raise click.BadParameter(f"report {report} has no event {index}") from None
    click.echo(f"mention moved to event #{event_id}")


@cli.command()
@click.option("--all", "everything", is_flag=True,
              help="Recompute every view from the readings (after an upgrade changed how they are read).")
@db_option
def refresh(everything: bool, db) -> None:
    """Bring the ledger's kept views (contested claims, the cease-fire board, blame) up to date."""
    try:
        with _open_store(db) as store:  # opening for writing refreshes what is stale
            if everything:
                views.rebuild(store)
    except FogwatchError as err:
        _fail(err)
    click.echo("views up to date")


@cli.command()
@click.option("--contested", is_flag=True, help="Only events whose sources contradict each other.")
@click.option("--source", help="Only claims made by this source.", callback=_name_filter)
@db_option
@json_option
def claims(contested: bool, source: str | None, db, as_json: bool) -> None:
    """Claims across all reports, or with --contested the events whose sources disagree."""
    try:
        with _open_store(db, reads_only=True) as store:
            if contested:
                found = views.contested_claims(store)
                text = "\n\n".join(show_linked_event(e) for e in found) or "No contradictions found."
            else:
                found = [row for row in map(dict, store.rows("claims"))
                         if not source or source.lower() in (row["source"] or "").lower()]
                text = "\n".join(f"[{r['kind']}] {r['source']} — {r['cue']} ({r['report_id'][:10]})" for r in found)
    except FogwatchError as err:
        _fail(err)
    click.echo(_as_json(found) if as_json else text or "No claims.")


@cli.command()
@db_option
@json_option
def ceasefires(db, as_json: bool) -> None:
    """The ceasefire board: each ceasefire's brokers, parties, dates, terms, and what followed."""
    try:
        with _open_store(db, reads_only=True) as store:
            found = views.ceasefires(store)
    except FogwatchError as err:
        _fail(err)
    click.echo(_as_json(found) if as_json else "\n\n".join(map(show_ceasefire, found)) or "No ceasefires.")


@cli.command()
@click.option("--place", callback=_name_filter,
              help="Only claims of reports naming this place or a place in this province, e.g. Idlib.")
@click.option("--from", "date_from", callback=_published, help="Reports published on or after this date (ISO).")
@click.option("--to", "date_to", callback=_published, help="Reports published on or before this date (ISO).")
@db_option
@json_option
def blame(place: str | None, date_from: str | None, date_to: str | None, db, as_json: bool) -> None:
    """Who blames whom, how often, and the claims behind it.

    People and forces are counted under their state or organisation (Lavrov and
    "Russian forces" under Russia); the names behind each number are listed under it.
    """
    try:
        with _open_store(db, reads_only=True) as store:
            found = views.blame_matrix(store, place=place, date_from=date_from, date_to=date_to)
    except FogwatchError as err:
        _fail(err)
    click.echo(_as_json(found) if as_json else show_blame(found))


@cli.command()
@db_option
def demo(db: str | None) -> None:
    """Store the bundled demo reports and print a summary of what was read."""
    try:
        with _open_store(db, create=True) as store:
            result = jobs.ingest_demo(store)
            click.echo(summarise(store))
            location = store.location
    except FogwatchError as err:
        _fail(err)
    click.echo("")
    click.echo(f"{len(result.added)} demo reports added, {len(result.unchanged)} already stored.")
    click.echo(f"Database: {location}")
    click.echo(f"Dashboard: fogwatch serve{'' if db is None else f' --db {db}'}  then open http://127.0.0.1:{DEFAULT_PORT}/")
    click.echo("Next: fogwatch reports · fogwatch show ID · fogwatch ceasefires · fogwatch export --format acled")


def _token_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> str | None:
    """The token in ``--token-file``; an empty file is refused (E028), not taken as 'no token'."""
    if value is None:
        return None
    token = value.read_text(encoding="utf-8").strip()
    if not token:
        raise click.BadParameter(FogwatchError(Errors.E028, path=value).describe())
    return token


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port (0: any free one).")
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), callback=_token_file,
              help="File holding the token that POST /api/reports requires (default: $FOGWATCH_TOKEN; "
                   "with neither, writes are refused). An empty file is refused.")
@click.option("--max-body", type=click.IntRange(min=1), default=None,
              help="Largest request body accepted by POST /api/reports, in bytes (default 2,000,000).")
@click.option("--read-only", "read_only", is_flag=True, envvar="FOGWATCH_READ_ONLY",
              help="Refuse every write (403) and open the store read-only, so that not even a bug can write "
                   "(default: $FOGWATCH_READ_ONLY).")
@time_budget_option
def serve(db: str | None, host: str, port: int, token_file: str | None, max_body: int | None,
          read_only: bool) -> None:
    """Serve the HTTP API (/api, spec at /openapi.json) and the dashboard over the store.

    Stops on SIGTERM or Ctrl-C, giving requests in flight a few seconds to finish.
    """
    import uvicorn

    from .web import DEFAULT_MAX_BODY, create_app, listen

    token = token_file if token_file is not None else os.environ.get("FOGWATCH_TOKEN") or None
    if token and not read_only and len(token) < MIN_TOKEN_CHARS:
        click.echo(f"fogwatch: warning: the write token has {len(token)} characters; use at least "
                   f"{MIN_TOKEN_CHARS} random ones, or anyone who can reach the server may guess it", err=True)
    try:
        with _open_store(db, read_only=read_only) as store:
            target, shown = store.location, store.path or "the PostgreSQL database"
        # Bound and listening before anything is announced: a port in use is one clear error, and the
        # address printed is the real one (even with --port 0) and answers.
        sock = listen(host, port)
    except FogwatchError as err:
        _fail(err)
    app = create_app(target, token=token, max_body=max_body or DEFAULT_MAX_BODY, read_only=read_only)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS)
    server = uvicorn.Server(config)
    writes = ("read-only (--read-only: the store is opened read-only)" if read_only
              else "writes enabled (token set)" if token else "read-only (no token configured)")
    click.echo(f"fogwatch: serving {shown} — {writes}")
    host, port = sock.getsockname()[:2]
    click.echo(f"fogwatch: dashboard at http://{host}:{port}/  ·  API spec at http://{host}:{port}/openapi.json")
    server.run(sockets=[sock])


@cli.group()
def gazetteer() -> None:
    """The place gazetteer: what it holds, and adding GeoNames country dumps or your own places."""


@gazetteer.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def gazetteer_add(files: tuple[Path, ...]) -> None:
    """Add GeoNames dumps (XX.zip or XX.txt, as GeoNames publishes them) or a supplement TSV."""
    from .gazetteer import add_geonames_file

    try:
        for path in files:
            summary = add_geonames_file(path)
            click.echo(f"{path}: {summary['rows']} places added ({summary['kind']})")
    except FogwatchError as err:
        _fail(err)


@gazetteer.command("info")
def gazetteer_info() -> None:
    """How many places and names the gazetteer holds, and which user files were added."""
    from .gazetteer import gazetteer_info as info

    try:
        details = info()
    except FogwatchError as err:
        _fail(err)
    click.echo(_as_json(details))


def main() -> None:
    cli(prog_name="fogwatch")
