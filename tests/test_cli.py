"""The command line end to end: extract, ingest, show, export, demo, and the exit codes."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from fogwatch.cli import EXIT_FATAL, EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, cli
from fogwatch.store import Store

pytestmark = pytest.mark.model

STORY = (
    "Truce breaks down in the north\n\n"
    "Artillery shelled the town of Maarat al-Numan on Monday morning, killing at least six civilians, "
    "according to the Syrian Observatory for Human Rights.\n\n"
    "\u201cThe shells fell on the market,\u201d said Karim Saleh, a local nurse.\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_every_command_has_help(runner: CliRunner) -> None:
    for command in ([], ["extract"], ["ingest"], ["show"], ["export"], ["demo"], ["reports"], ["events"], ["event"],
                    ["claims"], ["ceasefires"], ["blame"], ["batch"], ["serve"], ["unlink"], ["gazetteer", "add"]):
        result = runner.invoke(cli, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage:" in result.output


def test_extract_prints_the_contract(runner: CliRunner, story: Path) -> None:
    result = runner.invoke(cli, ["extract", str(story), "--published", "2019-05-07", "--outlet", "Demo"])
    assert result.exit_code == EXIT_OK, result.stderr
    reading = json.loads(result.stdout)
    assert set(reading) >= {"report", "actors", "places", "times", "quantities", "claims", "events"}
    assert reading["report"]["published"] == "2019-05-07"
    assert reading["report"]["title"] == "Truce breaks down in the north"
    for layer in ("places", "times", "quantities", "claims", "events"):
        assert reading[layer], f"the story's {layer} are gone: the offsets below would check nothing"
        for item in reading[layer]:
            assert 0 <= item["start"] <= item["end"] <= len(STORY), (layer, item)


def test_extract_goes_on_past_bad_files(runner: CliRunner, story: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\x00\x00")
    result = runner.invoke(cli, ["extract", str(empty), str(story), str(binary), "--published", "2019-05-07"])
    assert result.exit_code == EXIT_SOME_FAILED
    assert len(result.stdout.strip().splitlines()) == 1
    assert f"skipped {empty}: [E001]" in result.stderr
    assert f"skipped {binary}: [E002]" in result.stderr


def test_wrong_published_date_is_a_usage_error(runner: CliRunner, story: Path) -> None:
    result = runner.invoke(cli, ["extract", str(story), "--published", "2019-13-40"])
    assert result.exit_code == EXIT_USAGE
    assert "E008" in result.stderr


def test_without_a_date_times_stay_unresolved(runner: CliRunner, story: Path) -> None:
    result = runner.invoke(cli, ["extract", str(story)])
    reading = json.loads(result.stdout)
    assert reading["report"]["published"] is None
    relative = [t for t in reading["times"] if "Monday" in t["text"]]
    assert relative and all(t["value"] is None or not t["anchored"] for t in relative)


def test_ingest_is_idempotent_and_show_reads_back(runner: CliRunner, story: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    first = runner.invoke(cli, ["ingest", str(story), "--published", "2019-05-07", "--db", db])
    assert first.exit_code == EXIT_OK, first.stderr
    assert "1 reports added (0 of them wire copies)" in first.stdout
    again = runner.invoke(cli, ["ingest", str(story), "--published", "2019-05-07", "--db", db])
    assert "0 reports added (0 of them wire copies), 1 already stored" in again.stdout
    shown = runner.invoke(cli, ["show", "story.txt", "--db", db])
    assert shown.exit_code == EXIT_OK, shown.stderr
    assert "Truce breaks down in the north" in shown.stdout
    assert "CLAIMS" in shown.stdout and "EVENTS" in shown.stdout
    missing = runner.invoke(cli, ["show", "nothing", "--db", db])
    assert missing.exit_code == EXIT_USAGE and "E013" in missing.stderr


def test_export_writes_everything(runner: CliRunner, story: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    runner.invoke(cli, ["ingest", str(story), "--published", "2019-05-07", "--db", db])
    jsonl = runner.invoke(cli, ["export", "--format", "jsonl", "--db", db])
    line = json.loads(jsonl.stdout)
    assert line["text"] == STORY
    csv_out = runner.invoke(cli, ["export", "--format", "csv", "--db", db])
    rows = csv_out.stdout.strip().splitlines()
    assert rows[0].startswith("report_id,layer,index")
    assert len(rows) > 1


def test_database_that_cannot_be_opened(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 50)
    result = runner.invoke(cli, ["reports", "--db", str(bad)])
    assert result.exit_code == EXIT_FATAL
    assert "E015" in result.stderr


def test_demo_stores_and_summarises(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = runner.invoke(cli, ["demo", "--db", str(db)])
    assert result.exit_code == EXIT_OK, result.stderr
    assert f"Database: {db.resolve()}" in result.stdout
    assert "5 demo reports added" in result.stdout
    assert "    claim  " in result.stdout and "    event  " in result.stdout
    again = runner.invoke(cli, ["demo", "--db", str(db)])
    assert "0 demo reports added, 5 already stored" in again.stdout


GEONAMES_ROW = "\t".join([
    "9999001", "Testville", "Testville", "Testvil", "35.5", "36.5", "P", "PPL", "SY", "", "08", "", "", "",
    "600", "", "", "Asia/Damascus", "2020-01-01",
]) + "\n"


def test_gazetteer_add_and_info(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOGWATCH_HOME", str(tmp_path / "home"))
    dump = tmp_path / "XX.txt"
    dump.write_text(GEONAMES_ROW, encoding="utf-8")
    added = runner.invoke(cli, ["gazetteer", "add", str(dump)])
    assert added.exit_code == EXIT_OK, added.stderr
    assert "1 places added (geonames)" in added.stdout
    info = json.loads(runner.invoke(cli, ["gazetteer", "info"]).stdout)
    assert [f["kind"] for f in info["user_files"]] == ["geonames"]
    bad = tmp_path / "bad.txt"
    bad.write_text("not\ta\tgazetteer\n", encoding="utf-8")
    refused = runner.invoke(cli, ["gazetteer", "add", str(bad)])
    assert refused.exit_code == EXIT_FATAL and "E017" in refused.stderr


def test_no_tagger_flag_turns_the_claims_tagger_off(monkeypatch, tmp_path) -> None:
    import os

    from click.testing import CliRunner

    from fogwatch.cli import cli

    monkeypatch.setenv("FOGWATCH_TAGGER", "1")
    Store(tmp_path / "empty.db").close()
    result = CliRunner().invoke(cli, ["--no-tagger", "reports", "--db", str(tmp_path / "empty.db")])
    assert result.exit_code == 0, result.output
    assert os.environ["FOGWATCH_TAGGER"] == "0"


# -- a mistyped --db, unknown ids, filters, serve's start --------------------------------------

READING_COMMANDS = (["reports"], ["events"], ["blame"], ["claims"], ["ceasefires"], ["export"], ["show", "x"],
                    ["event", "1"], ["unlink", "x", "0"], ["serve", "--port", "0"])


@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: c[0])
def test_reading_commands_refuse_a_store_that_does_not_exist(runner: CliRunner, tmp_path: Path,
                                                             command: list[str]) -> None:
    """A typo in --db must not answer 'nothing stored' from a fresh empty database (nor make folders)."""
    for db in (tmp_path / "typo.db", tmp_path / "no" / "such" / "x.db"):
        result = runner.invoke(cli, [*command, "--db", str(db)])
        assert result.exit_code == EXIT_FATAL, result.output
        assert "[E022]" in result.stderr and str(db) in result.stderr
        assert "No events." not in result.stdout and not db.exists()
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: c[0])
def test_reading_commands_refuse_an_empty_file_for_a_store(runner: CliRunner, tmp_path: Path,
                                                          command: list[str]) -> None:
    """SQLite takes a file of no bytes for an empty database: 'touch typo.db' then a reading command
    wrote a whole schema into it and answered 'nothing stored'."""
    db = tmp_path / "touched.db"
    db.touch()
    result = runner.invoke(cli, [*command, "--db", str(db)])
    assert result.exit_code == EXIT_FATAL, result.output
    assert "[E022]" in result.stderr and db.stat().st_size == 0


@pytest.mark.parametrize("command", [["demo"], ["ingest", "STORY"]], ids=lambda c: c[0])
def test_writing_commands_create_a_store_but_not_missing_folders(runner: CliRunner, story: Path, tmp_path: Path,
                                                                 command: list[str]) -> None:
    args = [str(story) if a == "STORY" else a for a in command]
    db = tmp_path / "no" / "such" / "x.db"
    refused = runner.invoke(cli, [*args, "--db", str(db)])
    assert refused.exit_code == EXIT_FATAL and "[E023]" in refused.stderr
    assert str(db.parent) in refused.stderr and not (tmp_path / "no").exists()
    created = runner.invoke(cli, [*args, "--db", str(tmp_path / "new.db")])
    assert created.exit_code == EXIT_OK, created.output
    assert (tmp_path / "new.db").is_file()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("cli-demo") / "demo.db")
    assert CliRunner().invoke(cli, ["demo", "--db", db]).exit_code == EXIT_OK
    return db


@pytest.mark.parametrize("command,code", [(["show", "ffffffff"], "E013"), (["event", "999999"], "E019"),
                                          (["unlink", "ffffffff", "0"], "E013")])
def test_an_unknown_id_is_a_usage_error(runner: CliRunner, demo_db: str, command: list[str], code: str) -> None:
    """Exit 3 means the database is unusable; asking for an id that is not there is the command line's fault."""
    result = runner.invoke(cli, [*command, "--db", demo_db])
    assert result.exit_code == EXIT_USAGE and f"[{code}]" in result.stderr


@pytest.mark.parametrize("option,value", [("--source", "\U0001f642"), ("--source", "!!!"), ("--source", "\x00"),
                                          ("--source", "the "), ("--actor", "\x00"), ("--actor", "Rus\x00")])
def test_event_filters_that_would_match_everything_are_refused(runner: CliRunner, demo_db: str, option: str,
                                                               value: str) -> None:
    every = runner.invoke(cli, ["events", "--db", demo_db, "--json", "--limit", "1000"])
    assert json.loads(every.stdout), "the demo holds no events to tell 'all' from 'none'"
    result = runner.invoke(cli, ["events", option, value, "--db", demo_db, "--json", "--limit", "1000"])
    assert result.exit_code == EXIT_USAGE, result.output
    assert "E026" in result.stderr or "E021" in result.stderr


# Every text filter of the reading commands, found from the commands themselves so that one added
# later is checked too (dates are checked as dates by their own callback).
TEXT_FILTERS = [
    (name, param.opts[0])
    for name in ("reports", "events", "claims", "blame", "ceasefires", "export", "show", "event")
    for param in cli.commands[name].params
    if param.param_type_name == "option" and param.opts[0] not in ("--db", "--from", "--to")
    and param.type.name == "text" and not getattr(param, "is_flag", False)
]


def test_the_filter_list_is_not_empty() -> None:
    assert {("events", "--place"), ("events", "--actor"), ("events", "--source"), ("claims", "--source"),
            ("blame", "--place")} <= set(TEXT_FILTERS)


@pytest.mark.parametrize("command,option", TEXT_FILTERS)
@pytest.mark.parametrize("value,code", [("", "E026"), ("  ", "E026"), ("!!!", "E026"), ("\U0001f642", "E026"),
                                        ("a" * 1001, "E020")], ids=["empty", "spaces", "punct", "emoji", "long"])
def test_every_cli_filter_that_would_match_everything_or_nothing_sensible_is_refused(
        runner: CliRunner, demo_db: str, command: str, option: str, value: str, code: str) -> None:
    """'--actor " "' matched every actor with two words, '--place ""' every event: such a value is an error."""
    result = runner.invoke(cli, [command, option, value, "--db", demo_db, "--json"])
    assert result.exit_code == EXIT_USAGE, (command, option, result.output[-300:])
    assert f"[{code}]" in result.stderr


def test_events_say_when_more_match_than_shown(runner: CliRunner, demo_db: str) -> None:
    every = json.loads(runner.invoke(cli, ["events", "--db", demo_db, "--json", "--limit", "1000"]).stdout)
    assert len(every) > 2
    first = runner.invoke(cli, ["events", "--db", demo_db, "--json", "--limit", "2"])
    assert [e["id"] for e in json.loads(first.stdout)] == [e["id"] for e in every[:2]]
    assert "showing events 1-2" in first.stderr and "--offset 2" in first.stderr
    last = runner.invoke(cli, ["events", "--db", demo_db, "--json", "--offset", str(len(every) - 1)])
    assert [e["id"] for e in json.loads(last.stdout)] == [every[-1]["id"]] and "more match" not in last.stderr


@pytest.fixture
def no_serving(monkeypatch: pytest.MonkeyPatch) -> dict:
    """uvicorn's Server.run replaced: what serve would have served is recorded instead."""
    import uvicorn

    seen: dict = {}
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets: seen.update(app=server.config.app))
    monkeypatch.delenv("FOGWATCH_TOKEN", raising=False)
    return seen


def test_serve_says_the_port_is_in_use_before_announcing_anything(runner: CliRunner, tmp_path: Path,
                                                                  no_serving: dict) -> None:
    db = tmp_path / "s.db"
    Store(db).close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--db", str(db), "--port", str(port)])
    assert result.exit_code == EXIT_FATAL, result.output
    assert "[E027]" in result.stderr and f"127.0.0.1:{port}" in result.stderr and "in use" in result.stderr
    assert "serving" not in result.output and "Errno" not in result.output and not no_serving


@pytest.mark.parametrize("host", ["192.0.2.1", "no-such-host.invalid"])
def test_serve_on_an_address_this_machine_lacks_points_at_the_host(runner: CliRunner, tmp_path: Path,
                                                                  no_serving: dict, host: str) -> None:
    """Not a port in use: the fix must not send the user to --port alone."""
    db = tmp_path / "s.db"
    Store(db).close()
    result = runner.invoke(cli, ["serve", "--db", str(db), "--host", host, "--port", "0"])
    assert result.exit_code == EXIT_FATAL, result.output
    assert "[E027]" in result.stderr and host in result.stderr and "check --host" in result.stderr
    assert "serving" not in result.output and not no_serving


def test_serve_refuses_an_empty_token_file_and_warns_of_a_short_token(runner: CliRunner, tmp_path: Path,
                                                                      no_serving: dict) -> None:
    db = tmp_path / "s.db"
    Store(db).close()
    empty = tmp_path / "empty-token"
    empty.write_text("  \n", encoding="utf-8")
    refused = runner.invoke(cli, ["serve", "--db", str(db), "--port", "0", "--token-file", str(empty)])
    assert refused.exit_code == EXIT_USAGE and "E028" in refused.stderr and not no_serving
    short = tmp_path / "short-token"
    short.write_text("abc123\n", encoding="utf-8")
    warned = runner.invoke(cli, ["serve", "--db", str(db), "--port", "0", "--token-file", str(short)])
    assert warned.exit_code == EXIT_OK, warned.output
    assert "warning" in warned.stderr and "6 characters" in warned.stderr
    assert no_serving["app"].state.settings.token == "abc123"
    strong = tmp_path / "token"
    strong.write_text("x" * 32, encoding="utf-8")
    quiet = runner.invoke(cli, ["serve", "--db", str(db), "--port", "0", "--token-file", str(strong)])
    assert quiet.exit_code == EXIT_OK and "warning" not in quiet.stderr


def test_directory_ingest_names_what_it_did_not_read(runner: CliRunner, story: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "notes.md").write_text("Call the desk about the toll.\n", encoding="utf-8")
    (folder / ".draft.txt").write_text(STORY, encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(folder), "--db", str(tmp_path / "d.db")])
    assert result.exit_code == EXIT_SOME_FAILED, result.output
    assert "1 reports added" in result.stdout and "3 skipped" in result.stdout
    for name in ("data.csv", "notes.md", ".draft.txt"):
        assert f"skipped {folder / name}: [E024] not read:" in result.stderr, name


def test_ingest_takes_a_manifest_and_counts_what_it_did(runner: CliRunner, story: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from fogwatch import cli as cli_module

    monkeypatch.setattr(cli_module.Progress, "PLAIN_EVERY", 0.0)  # a line per input, as a long run gives
    manifest = tmp_path / "list.csv"
    manifest.write_text(f"path,outlet,published\n{story.name},Agency,2019-05-07\nmissing.txt,Daily,2019-05-08\n",
                        encoding="utf-8")
    db = str(tmp_path / "m.db")
    result = runner.invoke(cli, ["ingest", "--manifest", str(manifest), "--db", db])
    assert result.exit_code == EXIT_SOME_FAILED, result.output
    assert "1 reports added (0 of them wire copies), 0 already stored, 0 skipped (not reports), 1 failed" \
        in result.stdout
    assert "fogwatch: 2 of 2 inputs read in" in result.stderr and "1 stored, 0 copies" in result.stderr
    assert "Agency" in runner.invoke(cli, ["reports", "--db", db]).stdout
    refused = runner.invoke(cli, ["ingest", "--db", db])
    assert refused.exit_code == EXIT_USAGE and "--manifest" in refused.output
    manifest.write_text("file,outlet\nstory.txt,Agency\n", encoding="utf-8")
    bad = runner.invoke(cli, ["ingest", "--manifest", str(manifest), "--db", db])
    assert bad.exit_code == EXIT_USAGE and "[E029]" in bad.stderr


@pytest.mark.parametrize("value", ["abc", "nan", "-5"])
def test_a_time_budget_that_is_not_a_number_of_seconds_is_e031(runner: CliRunner, story: Path,
                                                               monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """From the environment the README's E031 (click named '--time-budget', which the user never typed);
    on the command line the option is named, with the same code."""
    monkeypatch.delenv("FOGWATCH_TIME_BUDGET", raising=False)
    from_env = CliRunner(env={"FOGWATCH_TIME_BUDGET": value}).invoke(cli, ["extract", str(story)])
    assert from_env.exit_code == EXIT_USAGE and "[E031] FOGWATCH_TIME_BUDGET=" in from_env.stderr, from_env.output
    flag = runner.invoke(cli, ["extract", str(story), "--time-budget", value])
    assert flag.exit_code == EXIT_USAGE and "[E031]" in flag.stderr and "--time-budget" in flag.stderr
    assert "FOGWATCH_TIME_BUDGET=" not in flag.stderr, flag.stderr


def test_a_blank_time_budget_in_the_environment_is_the_default(story: Path) -> None:
    result = CliRunner(env={"FOGWATCH_TIME_BUDGET": " "}).invoke(cli, ["extract", str(story)])
    assert result.exit_code == EXIT_OK, result.output
