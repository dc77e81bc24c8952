"""`pnbot import` restores only what the bot itself would accept: a record with a value no
command would store is refused in one line naming the record and why, exit 2, and nothing is
imported; a good export still restores byte for byte, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys

import pytest
import sqlalchemy as sa
from support import EXAMPLES, clean_env

from bot import cli

SCRIPT = """\
!now 2026-11-20 09:00 UTC
!group pn-ai
!roster-import {roster}
@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Zurich duration=90 link=https://meet.example.org/pn-ai
@kemi: /pn raise Data localisation bills in three countries
@amina: /pn agenda add Review the outline of the annual output
@dana: /pn outreach EuroDIG 2027 on 20 June at Brussels
@facilitator: /pn poll "Should the output recommend a common reporting format?" closes=5d
@amina: /pn vote 1 agree
!now 2026-12-08 11:59 UTC
!advance 1m
@facilitator click minutes.start 1
@amina: #info The consultation closes on 15 January
@facilitator: #agreed The outline goes to public comment
@facilitator: #action @amina Draft the summary due=20 December
@facilitator: /pn meeting end
"""


@pytest.fixture(scope="module")
def record(tmp_path_factory) -> str:
    """A real export: a roster, a series, an issue, an agenda item, an outreach, a poll, and
    a meeting's minutes with a decision and an action item."""
    folder = tmp_path_factory.mktemp("record")
    (folder / "setup.txt").write_text(SCRIPT.format(roster=EXAMPLES / "roster.csv"))
    database = f"sqlite:///{folder / 'pnbot.db'}"
    for args in (["console", "--script", "setup.txt"], ["export", "-o", "record.json"]):
        result = subprocess.run(
            [sys.executable, "-m", "bot", "--database", database, *args],
            cwd=folder,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
    text = (folder / "record.json").read_text(encoding="utf-8")
    (group,) = json.loads(text)["groups"]
    assert group["series"] and group["issues"] and group["outreach"] and group["polls"]
    assert any(m["agenda"]["items"] for m in group["meetings"])
    assert any(m["minutes"] and m["minutes"]["actions"] for m in group["meetings"])
    return text


@pytest.fixture
def pnbot(tmp_path, monkeypatch, capsys):
    """`pnbot --database URL ARGS…` in this process, with no setting from the environment;
    returns (status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key == "DATABASE_URL" or key.startswith(("PNBOT_", "SLACK_", "MATRIX_")):
            monkeypatch.delenv(key)

    def run(database: str, *args: str) -> tuple[int, str, str]:
        status = cli.main(["--database", database, *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def migrated(sqlite_template, tmp_path) -> str:
    """An empty SQLite database of the test's own, already migrated."""
    shutil.copyfile(sqlite_template, tmp_path / "target.db")
    return f"sqlite:///{tmp_path / 'target.db'}"


def count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def first_with_items(group: dict) -> dict:
    return next(m for m in group["meetings"] if m["agenda"]["items"])


def member_zone(g):
    g["members"][0]["timezone"] = "Mars/Olympus_Mons"


def series_zone(g):
    g["series"]["timezone"] = "Nowhere/Land"


def fortnightly(g):
    g["series"]["rrule"] = "FREQ=FORTNIGHTLY"


def approved_without_time(g):
    first_with_items(g)["agenda"].update(status="approved", approved_at=None)


def options_as_text(g):
    g["polls"][0]["options"] = "agree,abstain,disagree,block"


def god(g):
    g["members"][0]["role"] = "god"


def twenty(g):
    g["target_size"] = "twenty"


def long_name(g):
    g["name"] = "pn-" + "a" * 307


def duplicate_member(g):
    g["members"].append(copy.deepcopy(g["members"][0]))


def duplicate_vote(g):
    votes = g["polls"][0]["votes"]
    votes.append(dict(votes[0], cast_at="2026-11-21T09:00:00+00:00"))


def naive_time(g):
    g["issues"][0]["created_at"] = "2026-11-20T09:00:00"


def dangling_issue(g):
    first_with_items(g)["agenda"]["items"][0]["issue"] = 7


def dangling_outreach(g):
    g["polls"][0]["outreach"] = 3


def reused_id(g):
    g["polls"].append(copy.deepcopy(g["polls"][0]))


def half_ids(g):
    g["polls"].append(dict(copy.deepcopy(g["polls"][0]), id=None))


def dangling_link(g):
    g["links"]["posts"][0]["ref"] = "poll:999"


def minutes_of(g) -> dict:
    return next(m["minutes"] for m in g["meetings"] if m["minutes"])


def action_on_no_line(g):
    minutes_of(g)["actions"][0]["line"] = 99


def unknown_tag(g):
    minutes_of(g)["lines"][1]["kind"] = "gossip"


BAD = {
    member_zone: ("member 1 (amina)", "`Mars/Olympus_Mons` is not a time zone"),
    series_zone: ("series, timezone", "`Nowhere/Land` is not a time zone"),
    fortnightly: ("series, rrule", "`FREQ=FORTNIGHTLY` is not an RFC 5545 RRULE"),
    approved_without_time: ("agenda, approved_at", "an approved agenda says when and by whom"),
    options_as_text: ("poll 1, options", "should be a list of 2 to 10 options"),
    god: ("member 1 (amina)", "`god` is not a role. Use one of: member, co-moderator"),
    twenty: ("group pn-ai, target_size", "should be a whole number, not the text `twenty`"),
    long_name: ("group 1 (pn-aaa", "is not a group name: use 1 to 40 lowercase letters"),
    duplicate_member: ("member 21 (amina), added_at", "a second membership of @amina"),
    duplicate_vote: ("poll 1, vote 2 (amina), member", "a second vote of @amina"),
    naive_time: ("issue 1 (kemi), created_at", "`2026-11-20T09:00:00` has no UTC offset"),
    dangling_issue: ("item 1 (amina), issue", "refers to issue 7, but the group has 1 of them"),
    dangling_outreach: ("poll 1, outreach", "refers to outreach announcement 3, but the group"),
    reused_id: ("poll 2, id", "a second poll with id 1"),
    half_ids: ("poll 2, id", "every poll record has an id, or none does"),
    dangling_link: ("links, post 1 (poll:999), ref", "`poll:999` is not a record of this group"),
    action_on_no_line: ("minutes, action item 1 (amina), line", "names no line of these minutes"),
    unknown_tag: ("minutes, line 2 (gossip), kind", "`gossip` is not one of topic, info"),
}


@pytest.mark.parametrize("spoil", list(BAD), ids=[f.__name__ for f in BAD])
def test_a_value_the_bot_would_refuse_is_named_and_nothing_is_imported(
    pnbot, migrated, record, tmp_path, spoil
):
    data = json.loads(record)
    spoil(data["groups"][0])
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")

    status, out, err = pnbot(migrated, "import", "bad.json")

    assert (status, out) == (2, "")
    (line,) = err.splitlines()
    where, why = BAD[spoil]
    assert line.startswith("pnbot: bad.json: ")
    assert where in line
    assert why in line
    assert line.endswith("; nothing was imported")
    assert "Traceback" not in err
    for table in ("groups", "members", "meetings", "polls", "audit_log"):
        assert count(migrated, table) == 0, table


def test_a_refusal_on_postgresql_imports_nothing_either(pnbot, postgres_url, record, tmp_path):
    data = json.loads(record)
    data["groups"][0]["members"][-1]["role"] = "god"  # the last record the import reads
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    status, _, err = pnbot(postgres_url, "import", "bad.json")
    assert status == 2
    assert "`god` is not a role" in err
    assert count(postgres_url, "groups") == count(postgres_url, "meetings") == 0


@pytest.mark.parametrize("where", ["sqlite", "postgres"])
def test_a_good_export_imports_and_exports_identically(pnbot, record, tmp_path, request, where):
    url = request.getfixturevalue("migrated" if where == "sqlite" else "postgres_url")
    (tmp_path / "record.json").write_text(record, encoding="utf-8")
    assert pnbot(url, "import", "record.json") == (0, "imported 1 group from record.json\n", "")
    assert pnbot(url, "export", "--json") == (0, record, "")
