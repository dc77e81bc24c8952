"""The `pnbot` commands run as real processes (and in-process where that is simpler) against
real databases: roster import, export and restore, explain, db upgrade and the console."""

from __future__ import annotations

import csv
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from support import EXAMPLES, MEMBERS, clean_env, run_pnbot, twin_database

from bot import cli

ROSTER = EXAMPLES / "roster.csv"
HANDLES = sorted(MEMBERS)  # the example roster, in the order the export lists it
MEMBER_KEYS = {
    "handle",
    "name",
    "role",
    "stakeholder_group",
    "region",
    "gender",
    "organisation",
    "capacity",
    "timezone",
}


class Pnbot:
    """Runs `pnbot --database URL ...` in a folder of its own (in this process)."""

    def __init__(self, cwd: Path, database: str):
        self.cwd = cwd
        self.database = database

    def __call__(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return run_pnbot(self.cwd, ["--database", self.database, *args], input=input)

    def ok(self, *args: str, input: str | None = None) -> str:
        result = self(*args, input=input)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        return result.stdout

    def export(self) -> dict:
        return json.loads(self.ok("export", "--json"))


def assert_fails(result: subprocess.CompletedProcess, status: int = 2) -> str:
    """The command failed with one line on stderr and no stack trace; returns that line."""
    assert result.returncode == status, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pnbot: ")
    return lines[0]


def count_rows(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def work(tmp_path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def pnbot(work) -> Pnbot:
    """pnbot on a SQLite file."""
    return Pnbot(work, f"sqlite:///{work / 'pnbot.db'}")


@pytest.fixture
def pnbot_on(work, db_url) -> Pnbot:
    """pnbot on a SQLite file, then on PostgreSQL."""
    return Pnbot(work, db_url)


@pytest.fixture
def empty_twin(db_url, tmp_path):
    """A second empty database of the same kind as `db_url`."""
    with twin_database(db_url, tmp_path) as url:
        yield url


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def example_rows() -> list[list[str]]:
    with ROSTER.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


# roster import ------------------------------------------------------------------------------


def test_roster_import_adds_the_example_roster_to_a_new_group(pnbot):
    out = pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    assert out == "Imported roster.csv into pn-ai: 20 added, 0 updated.\n"
    (group,) = pnbot.export()["groups"]
    assert group["name"] == "pn-ai"
    assert [m["handle"] for m in group["members"]] == HANDLES
    bruno = next(m for m in group["members"] if m["handle"] == "bruno")
    assert {k: bruno[k] for k in MEMBER_KEYS} == {
        "handle": "bruno",
        "name": "Bruno Costa",
        "role": "co-moderator",
        "stakeholder_group": "technical-community",
        "region": "latin-america-caribbean",
        "gender": "man",
        "organisation": "LACNIC",
        "capacity": "organisation",
        "timezone": "America/Montevideo",
    }


def test_a_second_import_of_the_same_file_updates_everyone_and_adds_no_one(pnbot):
    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    first = pnbot.export()
    out = pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai")
    assert out == "Imported roster.csv into pn-ai: 0 added, 20 updated.\n"
    second = pnbot.export()
    imports = [e["detail"] for e in second["groups"][0].pop("audit")]
    first["groups"][0].pop("audit")
    assert second == first  # nothing but the audit log's line for the second import
    assert imports[-1].endswith("0 added, 20 updated")


def test_an_import_that_changes_a_row_updates_that_member(pnbot, work):
    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    rows = example_rows()
    rows[1][8] = "Europe/Paris"
    changed = write_csv(work / "changed.csv", rows)
    assert pnbot.ok("roster", "import", str(changed)) == (
        "Imported changed.csv into pn-ai: 0 added, 20 updated.\n"
    )
    members = pnbot.export()["groups"][0]["members"]
    assert next(m for m in members if m["handle"] == "amina")["timezone"] == "Europe/Paris"


def test_a_bad_row_stops_the_import_naming_its_line_and_value(pnbot, work):
    rows = example_rows()
    rows[3][4] = "atlantis"  # line 4 of the file: the header is line 1
    bad = write_csv(work / "bad-region.csv", rows)
    line = assert_fails(pnbot("roster", "import", str(bad), "--group", "pn-ai"))
    assert "bad-region.csv" in line
    assert "line 4" in line.lower()
    assert "atlantis" in line
    assert "region" in line
    assert "nothing was imported" in line.lower()
    assert count_rows(pnbot.database, "members") == 0
    assert pnbot.export()["groups"] == []


def test_a_bad_row_leaves_an_existing_roster_as_it_was(pnbot, work):
    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    before = pnbot.ok("export", "--json")
    rows = example_rows()
    rows[1][1] = "Amina O."
    rows[2][8] = "Not/AZone"
    bad = write_csv(work / "bad-zone.csv", rows)
    line = assert_fails(pnbot("roster", "import", str(bad), "--group", "pn-ai"))
    assert "line 3" in line.lower()
    assert "Not/AZone" in line
    assert pnbot.ok("export", "--json") == before


def test_a_file_with_a_wrong_header_is_refused(pnbot, work):
    rows = example_rows()
    rows[0][3] = "constituency"
    bad = write_csv(work / "header.csv", rows)
    line = assert_fails(pnbot("roster", "import", str(bad), "--group", "pn-ai"))
    assert "line 1" in line
    assert "handle,name,role,stakeholder_group,region,gender,organisation,capacity,timezone" in (
        line
    )
    assert count_rows(pnbot.database, "members") == 0


def test_a_row_with_too_few_fields_is_refused(pnbot, work):
    rows = example_rows()
    rows[5] = rows[5][:4]
    bad = write_csv(work / "short.csv", rows)
    line = assert_fails(pnbot("roster", "import", str(bad), "--group", "pn-ai"))
    assert "line 6" in line
    assert count_rows(pnbot.database, "members") == 0


def test_a_handle_listed_twice_is_refused_naming_both_lines(pnbot, work):
    rows = example_rows()
    rows[7][0] = "amina"
    bad = write_csv(work / "twice.csv", rows)
    line = assert_fails(pnbot("roster", "import", str(bad), "--group", "pn-ai"))
    assert "line 8: @amina already appears on line 2" in line
    assert count_rows(pnbot.database, "members") == 0


def test_a_spreadsheet_export_with_a_byte_order_mark_and_crlf_imports(pnbot, work):
    saved = work / "excel.csv"
    saved.write_bytes(
        b"\xef\xbb\xbf" + ROSTER.read_text(encoding="utf-8").replace("\n", "\r\n").encode()
    )
    assert pnbot.ok("roster", "import", str(saved), "--group", "pn-ai", "--create") == (
        "Imported excel.csv into pn-ai: 20 added, 0 updated.\n"
    )
    assert [m["handle"] for m in pnbot.export()["groups"][0]["members"]] == HANDLES


def test_an_import_into_a_badly_named_group_is_refused(pnbot):
    line = assert_fails(pnbot("roster", "import", str(ROSTER), "--group", "PN AI!"))
    assert "not a group name" in line
    assert count_rows(pnbot.database, "groups") == 0


def test_a_missing_file_is_refused(pnbot, work):
    line = assert_fails(pnbot("roster", "import", str(work / "nowhere.csv"), "--group", "pn-ai"))
    assert "nowhere.csv" in line
    assert "cannot read it" in line


def test_a_file_that_is_not_text_is_refused(pnbot, work):
    binary = work / "roster.xlsx"
    binary.write_bytes(b"PK\x03\x04\xff\xfe\x00\x81 not a csv \xc3\x28")
    line = assert_fails(pnbot("roster", "import", str(binary), "--group", "pn-ai"))
    assert "roster.xlsx" in line
    assert "cannot read it" in line


def test_an_import_without_a_group_into_an_empty_database_asks_for_one(pnbot):
    line = assert_fails(pnbot("roster", "import", str(ROSTER)))
    assert "--group" in line
    assert count_rows(pnbot.database, "groups") == 0


def test_an_import_into_an_unknown_group_is_refused_without_create(pnbot):
    line = assert_fails(pnbot("roster", "import", str(ROSTER), "--group", "nope"))
    assert "no group called nope" in line
    assert "--create" in line
    assert count_rows(pnbot.database, "groups") == 0

    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    line = assert_fails(pnbot("roster", "import", str(ROSTER), "--group", "pn-aj"))
    assert "(there is pn-ai)" in line
    assert [g["name"] for g in pnbot.export()["groups"]] == ["pn-ai"]


def test_a_handle_written_with_an_at_sign_is_the_same_person(pnbot, work):
    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    rows = example_rows()
    kemi = next(row for row in rows if row[0] == "kemi")
    kemi[0], kemi[8] = "@kemi", "Europe/Paris"
    out = pnbot.ok("roster", "import", str(write_csv(work / "at.csv", [rows[0], kemi])))
    assert out == "Imported at.csv into pn-ai: 0 added, 1 updated.\n"
    members = pnbot.export()["groups"][0]["members"]
    assert [m["handle"] for m in members] == HANDLES
    assert next(m for m in members if m["handle"] == "kemi")["timezone"] == "Europe/Paris"


def test_a_handle_with_and_without_at_sign_is_listed_twice(pnbot, work):
    rows = example_rows()
    rows[7][0] = "@amina"
    line = assert_fails(pnbot("roster", "import", str(write_csv(work / "twice.csv", rows))))
    assert "line 8: @amina already appears on line 2" in line


def test_every_bad_row_is_reported_at_once(pnbot, work):
    rows = example_rows()
    rows[2][4] = "atlantis"
    rows[5] = rows[5][:4]
    rows[9][8] = "Not/AZone"
    rows[12][3] = "academia"
    rows[12][5] = "unknown"
    line = assert_fails(pnbot("roster", "import", str(write_csv(work / "bad.csv", rows))))
    assert "4 rows need fixing, so nothing was imported" in line
    positions = [line.index(f"line {n}: ") for n in (3, 6, 10, 13)]
    assert positions == sorted(positions)
    assert "atlantis" in line and "Not/AZone" in line
    assert "academia" in line and "unknown" in line
    assert count_rows(pnbot.database, "members") == 0


# export -------------------------------------------------------------------------------------


def test_export_writes_the_documented_keys(pnbot):
    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    data = json.loads(pnbot.ok("export", "--json"))
    assert isinstance(data["groups"], list)
    (group,) = data["groups"]
    assert {"name", "members"} <= set(group)
    assert len(group["members"]) == 20
    for member in group["members"]:
        assert set(member) >= MEMBER_KEYS, member
    amina = group["members"][0]
    assert (amina["handle"], amina["organisation"], amina["timezone"]) == (
        "amina",
        "Data Rights Lab",
        "Africa/Nairobi",
    )


def test_export_of_one_group_leaves_the_others_out(pnbot, work):
    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    cyber = write_csv(work / "cyber.csv", [example_rows()[0], example_rows()[5]])
    pnbot.ok("roster", "import", str(cyber), "--group", "pn-cyber", "--create")
    assert [g["name"] for g in pnbot.export()["groups"]] == ["pn-ai", "pn-cyber"]
    only = json.loads(pnbot.ok("export", "--json", "--group", "pn-cyber"))
    assert [g["name"] for g in only["groups"]] == ["pn-cyber"]
    assert [m["handle"] for m in only["groups"][0]["members"]] == ["elif"]


def test_export_to_a_file_writes_what_stdout_would(pnbot, work):
    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    assert pnbot.ok("export", "--json", "-o", str(work / "record.json")) == ""
    assert (work / "record.json").read_text(encoding="utf-8") == pnbot.ok("export", "--json")


def test_export_is_json_with_or_without_the_json_flag(pnbot):
    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    assert pnbot.ok("export") == pnbot.ok("export", "--json")
    assert "--json" not in pnbot.ok("export", "--help")


@pytest.mark.parametrize("command", ["export", "calendar"])
def test_writing_into_a_missing_folder_fails_in_one_line(pnbot, work, command):
    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    target = work / "no" / "such" / "dir" / "out.txt"
    line = assert_fails(pnbot(command, "-o", str(target)))
    assert f"cannot write {target}: its folder does not exist" in line
    assert "Errno" not in line
    assert not target.parent.exists()


def test_writing_onto_a_folder_fails_in_one_line(pnbot, work):
    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    line = assert_fails(pnbot("export", "-o", str(work)))
    assert f"cannot write {work}: is a directory" in line


def test_export_of_an_unknown_group_fails_clearly(pnbot):
    pnbot.ok("roster", "import", str(ROSTER), "--group", "pn-ai", "--create")
    result = pnbot("export", "--json", "--group", "nope")
    line = assert_fails(result)
    assert "nope" in line
    assert result.stdout == ""


# import (restore) ---------------------------------------------------------------------------

SCRIPT = """\
!now 2026-12-01 09:00 UTC
!group pn-ai
!roster-import {roster}
!advance 1d
!group pn-cyber
@facilitator: /pn member add @zoe group=civil-society region=africa gender=woman org="Ångström Lab" name="Zoë Ångström" capacity=personal
!roster-import observers.csv
"""


def populate(pnbot: Pnbot) -> None:
    """Two groups with rooms, a full roster, non-ASCII names and empty fields."""
    write_csv(
        pnbot.cwd / "observers.csv",
        [example_rows()[0], ["olga", "", "observer", "", "", "", "", "", ""]],
    )
    (pnbot.cwd / "setup.txt").write_text(SCRIPT.format(roster=ROSTER), encoding="utf-8")
    out = pnbot.ok("console", "--script", str(pnbot.cwd / "setup.txt"))
    assert "20 added" in out
    assert "Added Zoë Ångström" in out


def test_import_restores_an_export_into_an_empty_database_identically(pnbot_on, empty_twin, work):
    populate(pnbot_on)
    exported = pnbot_on.ok("export", "--json")
    data = json.loads(exported)
    assert [g["name"] for g in data["groups"]] == ["pn-ai", "pn-cyber"]
    assert [m["handle"] for m in data["groups"][1]["members"]] == ["olga", "zoe"]
    record = work / "record.json"
    record.write_text(exported, encoding="utf-8")

    twin = Pnbot(work, empty_twin)
    assert twin.ok("import", str(record)) == f"imported 2 groups from {record}\n"
    assert twin.ok("export", "--json") == exported


def test_export_import_export_is_byte_identical_through_a_file(pnbot_on, empty_twin, work):
    populate(pnbot_on)
    pnbot_on.ok("export", "--json", "-o", str(work / "first.json"))
    twin = Pnbot(work, empty_twin)
    twin.ok("import", str(work / "first.json"))
    twin.ok("export", "--json", "-o", str(work / "second.json"))
    assert (work / "second.json").read_bytes() == (work / "first.json").read_bytes()


def test_a_sqlite_export_restores_into_postgresql_identically(sqlite_url, postgres_url, work):
    on_sqlite = Pnbot(work, sqlite_url)
    populate(on_sqlite)
    exported = on_sqlite.ok("export", "--json")
    (work / "record.json").write_text(exported, encoding="utf-8")
    on_postgres = Pnbot(work, postgres_url)
    on_postgres.ok("import", str(work / "record.json"))
    assert on_postgres.ok("export", "--json") == exported


def test_a_postgresql_export_restores_into_sqlite_identically(sqlite_url, postgres_url, work):
    on_postgres = Pnbot(work, postgres_url)
    populate(on_postgres)
    exported = on_postgres.ok("export", "--json")
    (work / "record.json").write_text(exported, encoding="utf-8")
    on_sqlite = Pnbot(work, sqlite_url)
    on_sqlite.ok("import", str(work / "record.json"))
    assert on_sqlite.ok("export", "--json") == exported


def test_import_into_a_database_that_holds_groups_is_refused_and_changes_nothing(pnbot_on, work):
    populate(pnbot_on)
    before = pnbot_on.ok("export", "--json")
    other = json.loads(before)
    other["groups"] = [dict(other["groups"][0], name="pn-other", rooms=[])]
    (work / "other.json").write_text(json.dumps(other), encoding="utf-8")
    line = assert_fails(pnbot_on("import", str(work / "other.json")))
    assert "empty" in line
    assert "nothing was imported" in line
    assert pnbot_on.ok("export", "--json") == before


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"format": 1, "groups": [', "cannot read it as JSON"),
        ("", "cannot read it as JSON"),
        ('{"format": 2, "groups": []}', "format 1"),
        ('[{"name": "pn-ai"}]', "format 1"),
    ],
    ids=["truncated", "empty", "other-format", "not-an-object"],
)
def test_a_file_that_is_not_an_export_is_refused(pnbot_on, work, content, problem):
    (work / "record.json").write_text(content, encoding="utf-8")
    line = assert_fails(pnbot_on("import", str(work / "record.json")))
    assert "record.json" in line
    assert problem in line
    assert pnbot_on.export()["groups"] == []


def test_an_incomplete_export_restores_nothing(pnbot_on, work):
    incomplete = {
        "format": 1,
        "groups": [{"name": "pn-ai", "target_size": 20, "created_at": "2026-12-01T09:00:00+00:00"}],
    }
    (work / "record.json").write_text(json.dumps(incomplete), encoding="utf-8")
    line = assert_fails(pnbot_on("import", str(work / "record.json")))
    assert "group pn-ai: the export is incomplete: it lacks 'rooms'; nothing was imported" in line
    assert "KeyError" not in line
    assert count_rows(pnbot_on.database, "groups") == 0


def test_import_of_a_missing_file_is_refused(pnbot, work):
    line = assert_fails(pnbot("import", str(work / "absent.json")))
    assert line == f"pnbot: {work / 'absent.json'}: no such file"


# explain ------------------------------------------------------------------------------------


@pytest.fixture
def in_process(tmp_path, monkeypatch):
    """Run `bot.cli.main` here with no pnbot setting from the environment or a `.env` file."""
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key == "DATABASE_URL" or key.startswith(("PNBOT_", "SLACK_")):
            monkeypatch.delenv(key)
    return cli.main


def test_explain_prints_one_json_reading(in_process, capsys):
    status = in_process(
        [
            "explain",
            "some text",
            "--at",
            "2026-12-01T09:00:00+00:00",
            "--tz",
            "Europe/Paris",
        ]
    )
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 1
    reading = json.loads(lines[0])
    assert set(reading) == {"kind", "date", "event", "language", "confidence", "why"}
    assert reading["kind"] == "none"
    assert reading["why"] == {"nothing": "no cue of any kind"}


@pytest.mark.parametrize(
    ("text", "confidence", "cue", "date"),
    [
        ("Apologies, I can't make Tuesday's call", "sure", "can't make", "2026-12-01"),
        ("Please note my absence on the 8th", "ask", "note my absence", "2026-12-08"),
    ],
)
def test_explain_shows_confidence_and_why(in_process, capsys, text, confidence, cue, date):
    status = in_process(["explain", text, "--at", "2026-12-01T09:00:00+00:00", "--tz", "UTC"])
    out, _ = capsys.readouterr()
    reading = json.loads(out)
    assert status == 0
    assert (reading["kind"], reading["confidence"]) == ("availability", confidence)
    assert reading["why"]["cue"] == cue
    assert reading["why"]["date"] == date == reading["date"]


def test_explain_as_a_process_prints_one_json_reading(pnbot):
    out = pnbot.ok("explain", "some text", "--at", "2026-12-01T09:00:00+00:00", "--tz", "UTC")
    assert json.loads(out)["kind"] == "none"
    assert out.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--tz", "Mars/Olympus_Mons", "--at", "2026-12-01T09:00:00+00:00"], "--tz"),
        (["--tz", "Europe/Paris", "--at", "next tuesday"], "--at"),
        (["--tz", "Europe/Paris", "--at", "2026-13-01T09:00:00"], "--at"),
    ],
    ids=["bad-tz", "bad-at", "impossible-date"],
)
def test_explain_refuses_a_bad_option_in_one_line(in_process, capsys, args, names):
    status = in_process(["explain", "some text", *args])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"pnbot: {names}: ")


def test_explain_as_a_process_refuses_a_bad_zone_in_one_line(pnbot):
    line = assert_fails(pnbot("explain", "some text", "--tz", "Nowhere/Land"))
    assert "--tz" in line
    assert "Nowhere/Land" in line


# db upgrade and help ------------------------------------------------------------------------


def test_db_upgrade_can_run_twice(pnbot_on):
    assert pnbot_on.ok("db", "upgrade") == "database is up to date\n"
    assert pnbot_on.ok("db", "upgrade") == "database is up to date\n"
    assert count_rows(pnbot_on.database, "alembic_version") == 1


def test_db_upgrade_on_an_unreachable_database_fails_in_one_line(work):
    pnbot = Pnbot(work, "postgresql://nobody@127.0.0.1:1/none?connect_timeout=3")
    line = assert_fails(pnbot("db", "upgrade"))
    assert "cannot use the database" in line


def test_help_lists_the_commands_and_exits_zero(work):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        cwd=work,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: pnbot")
    for command in ("run", "console", "db", "roster", "export", "import", "explain"):
        assert command in result.stdout


def test_an_unknown_command_is_a_usage_error(pnbot):
    result = pnbot("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "invalid choice" in result.stderr


# the console --------------------------------------------------------------------------------


def test_the_interactive_console_reaches_its_prompt_and_answers_help(pnbot):
    out = pnbot.ok("console", input="/pn help\n")
    assert "facilitator@#general> " in out
    assert "Commands (type them after /pn" in out
    assert "member add" in out
    assert out.count("facilitator@#general> ") == 2  # asked again after the reply, then Ctrl-D


def test_the_interactive_console_explains_a_bad_line_and_carries_on(pnbot):
    out = pnbot.ok("console", input="!frobnicate\n/pn help member add\n")
    assert "unknown directive !frobnicate" in out
    assert "Add a person to the roster." in out


def test_clock_lines_at_the_prompt_are_refused_on_a_database_file(pnbot, work):
    out = pnbot.ok("console", input="!advance 3d\n!now 2027-01-05 09:00 UTC\n/pn help\n")
    assert out.count("works in scripts and on a scratch database only") == 2
    assert "`!advance`" in out and "`!now`" in out
    assert f"into sqlite:///{work / 'pnbot.db'} as if it were then" in out
    assert "pnbot --database sqlite:// console" in out
    assert "clock set to" not in out
    assert "Commands (type them after /pn" in out  # and the prompt carries on


def test_clock_lines_at_the_prompt_work_on_a_scratch_database(work):
    out = Pnbot(work, "sqlite://").ok("console", input="!now 2027-01-05 09:00 UTC\n!advance 1d\n")
    assert "clock set to 2027-01-05 09:00 UTC" in out
    assert "scratch database" not in out


def test_the_prompt_takes_a_mention_and_a_button_as_the_bot_prints_them(pnbot):
    typed = (
        "/pn group create pn-ai\n"
        '/pn member add @amina group=civil-society region=africa gender=woman org="Data Rights Lab"\n'
        "/pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Zurich\n"
        "/as amina\n"
        "@pnbot member show\n"
        "/pn away next\n"
        "[Undo: click availability.undo 1]\n"
        "/pn away next\n"
        "click availability.undo 2\n"
    )
    out = pnbot.ok("console", input=typed)
    assert "not a console line" not in out
    assert "pnbot (to amina only): amina (@amina) — Data Rights Lab" in out
    assert out.count("Noted: you will miss the pn-ai meeting") == 2
    assert out.count("you are expected at the meeting") == 2


def test_the_prompt_recalls_the_last_line_with_the_up_arrow(work):
    main, terminal = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "--database", f"sqlite:///{work / 'pnbot.db'}", "console"],
        cwd=work,
        env=clean_env(TERM="xterm"),
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
    )
    os.close(terminal)
    seen = b""

    def until(text: bytes, count: int) -> None:
        nonlocal seen
        deadline = time.monotonic() + 120
        while seen.count(text) < count and time.monotonic() < deadline:
            if select.select([main], [], [], 1)[0]:
                try:
                    seen += os.read(main, 65536)
                except OSError:  # the terminal closed: the console ended
                    break

    prompt = b"facilitator@#general> "
    try:
        until(prompt, 1)
        os.write(main, b"/pn help\r")
        until(prompt, 2)
        os.write(main, b"\x1b[A\r")  # the up arrow, then Enter
        until(prompt, 3)
        os.write(main, b"\x04")
        assert process.wait(timeout=60) == 0
        until(b"Commands (type them after /pn", 2)  # what is left to read
    finally:
        if process.poll() is None:
            process.kill()
        os.close(main)
    assert seen.count(b"Commands (type them after /pn") == 2, seen.decode(errors="replace")
    assert b"Traceback" not in seen


CONSOLE_SCRIPT = """\
!now 2026-12-01 09:00 UTC
!group pn-ai
@facilitator: /pn member add @uma group=civil-society region=africa gender=woman org="Data Rights Lab"
@facilitator: /pn roster
"""


def test_a_script_runs_on_its_own_clock_in_the_group_room(pnbot, work):
    (work / "script.txt").write_text(CONSOLE_SCRIPT, encoding="utf-8")
    result = pnbot("console", "--script", str(work / "script.txt"))
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    entries = [line for line in lines if not line.startswith(" ")]
    assert entries, result.stdout
    assert all(line.startswith("[2026-12-01 09:00 UTC] ") for line in entries), result.stdout
    assert "[2026-12-01 09:00 UTC] now in #pn-ai" in lines
    assert any(
        line.startswith("[2026-12-01 09:00 UTC] #pn-ai pnbot") and "Added uma (@uma)" in line
        for line in lines
    ), result.stdout
    roster = lines.index("[2026-12-01 09:00 UTC] #pn-ai <facilitator> /pn roster")
    assert "#pn-ai pnbot (to facilitator only): Roster of pn-ai:" in lines[roster + 1]
    assert "uma (@uma)" in result.stdout.split("Roster of pn-ai:")[1]


def test_advancing_the_clock_shows_on_the_next_line(pnbot, work):
    script = CONSOLE_SCRIPT + "!advance 2d\n@facilitator: /pn group\n"
    (work / "script.txt").write_text(script, encoding="utf-8")
    lines = pnbot.ok("console", "--script", str(work / "script.txt")).splitlines()
    group = lines.index("[2026-12-03 09:00 UTC] #pn-ai <facilitator> /pn group")
    assert lines[group + 1].startswith("[2026-12-03 09:00 UTC] #pn-ai pnbot")
    assert not any(line.startswith("[2026-12-03") for line in lines[:group])


def test_a_script_stops_at_a_malformed_line_naming_it(pnbot, work):
    script = CONSOLE_SCRIPT.replace("@facilitator: /pn roster", "facilitator says hello")
    script += "@facilitator: /pn roster\n"
    (work / "script.txt").write_text(script, encoding="utf-8")
    result = pnbot("console", "--script", str(work / "script.txt"))
    line = assert_fails(result)
    assert "script.txt" in line
    assert "line 4" in line
    assert "facilitator says hello" in line
    assert "Roster of" not in result.stdout


def test_a_missing_script_is_refused(pnbot, work):
    line = assert_fails(pnbot("console", "--script", str(work / "absent.txt")))
    assert "absent.txt" in line
