"""One catalogue of every error fogwatch raises on purpose.

Each entry says what went wrong, why, and how to fix it, so that the CLI, the
store and (later) the HTTP API can all show the same clear one-line message.
Codes are stable: tests and users may rely on them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorSpec:
    """A catalogue entry: a stable code, a message template and a fix.

    ``usage`` marks errors that mean the user asked for something that is not
    there or cannot be asked (an unknown id, a filter that would match
    everything): the command line was wrong (exit 2), not the store (exit 3).
    """

    code: str
    message: str
    fix: str
    usage: bool = False


class Errors:
    """The catalogue. Messages are ``str.format`` templates."""

    E001 = ErrorSpec("E001", "the file is empty", "give a file that contains report text")
    E002 = ErrorSpec(
        "E002",
        "the file looks binary ({detail}), not text",
        "give plain text, HTML or JSON Lines; extract text from PDFs or images first",
    )
    E003 = ErrorSpec(
        "E003",
        "the file is not valid UTF-8 (first bad byte at offset {offset})",
        "re-encode it as UTF-8 (for example: iconv -f LATIN1 -t UTF-8 FILE)",
    )
    E004 = ErrorSpec(
        "E004",
        "the file is too large ({size} bytes; the limit is {limit})",
        "split it into one report per file, or raise the limit with --max-bytes",
    )
    E005 = ErrorSpec("E005", "the file cannot be read: {reason}", "check the path and its permissions")
    E006 = ErrorSpec(
        "E006",
        "the HTML holds no readable main text",
        "check that the page is an article; pages built by scripts must be saved after rendering",
    )
    E007 = ErrorSpec(
        "E007",
        "line {line}: {reason}",
        "each JSON Lines record must be one JSON object with a non-empty string field 'text'",
    )
    E008 = ErrorSpec(
        "E008",
        "publication date {value!r} is not a date fogwatch can use ({reason})",
        "give an ISO date such as 2016-12-14 (years 1900 to 2100)",
    )
    E009 = ErrorSpec(
        "E009",
        "the report holds no text once site chrome is set aside",
        "check that the file is a report and not only a page frame",
    )
    E010 = ErrorSpec(
        "E010",
        "stage {stage!r} requires {missing} but no earlier stage assigns it",
        "put a stage that assigns it earlier in the pipeline, or drop {stage!r}",
    )
    E011 = ErrorSpec(
        "E011",
        "no stage called {name!r} is registered (known: {known})",
        "check the spelling, or register the stage with fogwatch.pipeline.register_stage",
    )
    E012 = ErrorSpec(
        "E012",
        "the spaCy model {model!r} is not installed",
        "run the README's install command, which installs the pinned model package",
    )
    E013 = ErrorSpec(
        "E013",
        "no stored report matches {key!r}",
        "list stored reports with 'fogwatch reports', then give an id, an id prefix or a file name",
        usage=True,
    )
    E014 = ErrorSpec(
        "E014",
        "{key!r} matches {count} stored reports",
        "give a longer id prefix",
        usage=True,
    )
    E015 = ErrorSpec(
        "E015",
        "the database {path} cannot be used: {reason}",
        "check the path, or start a new database with a different --db",
    )
    E016 = ErrorSpec(
        "E016",
        "the actor dictionary {path} is invalid: {reason}",
        "see the actor dictionary format in the README",
    )
    E017 = ErrorSpec(
        "E017",
        "the gazetteer file {path} is invalid: {reason}",
        "give a GeoNames dump (XX.zip or XX.txt) or a supplement TSV in fogwatch's format",
    )

    E018 = ErrorSpec(
        "E018",
        "{url} was not fetched: {reason}",
        "check the address; private and local addresses are refused unless --allow-private-addresses is given",
    )
    E019 = ErrorSpec(
        "E019",
        "no linked event has the id {key}",
        "list linked events with 'fogwatch events', then give one of their ids",
        usage=True,
    )
    E020 = ErrorSpec(
        "E020",
        "a filter of {length} characters is longer than the limit ({limit})",
        "filters match names, ids and words: give a shorter value",
        usage=True,
    )
    E021 = ErrorSpec(
        "E021",
        "a value holds a NUL character, which PostgreSQL cannot take",
        "remove the NUL character (no stored text holds one)",
        usage=True,
    )
    E022 = ErrorSpec(
        "E022",
        "there is no database at {path}",
        "check --db (or $FOGWATCH_DB); to start one, store reports with 'fogwatch ingest' or 'fogwatch demo'",
    )
    E023 = ErrorSpec(
        "E023",
        "the folder {folder} for the database does not exist",
        "check the --db path, or create the folder first (mkdir -p)",
    )
    E024 = ErrorSpec(
        "E024",
        "not read: {reason}; in a directory only report files ({suffixes}) are read",
        "name the file on the command line to read it anyway",
    )
    E025 = ErrorSpec(
        "E025",
        "{url} was not read: fogwatch does not fetch {scheme}: addresses",
        "give an http:// or https:// address, or a local file by its path",
    )
    E026 = ErrorSpec(
        "E026",
        "the {name} filter {value!r} holds nothing to match once spaces, punctuation and symbols are set aside",
        "give part of a name (letters or digits), or leave the filter out",
        usage=True,
    )
    E027 = ErrorSpec(
        "E027",
        "cannot listen on {host}:{port}: {reason}",
        "choose another --port (or --port 0 for any free one), or stop what is using it; for an address "
        "this machine does not have, check --host",
    )
    E028 = ErrorSpec(
        "E028",
        "the token file {path} is empty",
        "write a token of at least 16 characters into it, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(32))' > FILE",
        usage=True,
    )
    E029 = ErrorSpec(
        "E029",
        "manifest {path}, line {line}: {reason}",
        "give a CSV or TSV file whose first line names its columns, of path, outlet, published, url and "
        "title (path required; relative paths are read from the manifest's folder; dates ISO, e.g. 2016-12-14)",
        usage=True,
    )
    E030 = ErrorSpec(
        "E030",
        "report {report} was stopped after stage {stage!r}: it ran past its time budget of {budget:g} s "
        "({seconds:.1f} s spent); a report this long (or written to be slow) would hold the worker from every "
        "other report",
        "split it into smaller reports, or raise the budget with FOGWATCH_TIME_BUDGET=SECONDS (0: no limit)",
    )
    E031 = ErrorSpec(
        "E031",
        "FOGWATCH_TIME_BUDGET={value!r} is not a number of seconds",
        "set it to the seconds one report may take, e.g. 300, or to 0 for no limit",
        usage=True,
    )
    E032 = ErrorSpec(
        "E032",
        "report {report} was abandoned after stage {stage!r}: the client that sent it went away",
        "send it again and wait for the answer (large reports take minutes)",
    )


class FogwatchError(Exception):
    """Base class: carries its catalogue entry and renders ``E00N what (fix: ...)``."""

    def __init__(self, spec: ErrorSpec, **details: object) -> None:
        self.spec = spec
        self.details = details
        self.reason = spec.message.format(**details)
        super().__init__(f"[{spec.code}] {self.reason}")

    @property
    def code(self) -> str:
        return self.spec.code

    def describe(self) -> str:
        """The one-line form the CLI prints: what and how to fix it."""
        return f"[{self.spec.code}] {self.reason} (fix: {self.spec.fix})"


class InputError(FogwatchError):
    """A report could not be read; the batch goes on without it."""


class PipelineError(FogwatchError):
    """The pipeline was assembled wrongly; nothing can run."""


class StoreError(FogwatchError):
    """The store cannot be opened or does not hold what was asked for."""


class BudgetError(FogwatchError):
    """A report ran past its time budget or was abandoned; the batch goes on without it."""


class ResourceError(FogwatchError):
    """A bundled or user-supplied resource (model, dictionary, gazetteer) is missing or broken."""
