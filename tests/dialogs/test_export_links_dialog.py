"""A record moved to another database by export and import keeps its ties to the chat: a
thread reply under an announcement posted before the move still objects to it, an edit of a
captured message still updates its record, and members still name polls by the same ids. New
records never take an imported id, on SQLite and PostgreSQL (see docs/export.md)."""

from __future__ import annotations

import json

import pytest
from support import SCHEDULE, Transcript, said

from bot.app import build
from bot.config import Settings
from handlers.events import strip_marks
from storage.archive import export, restore

ON_POSTGRES = True  # on both databases: an export moved between the two databases

NOTICE = "apologies, I can't make the 8 December call"
ANNOUNCEMENT = "I'll be presenting our work at RightsCon on 5 May in Taipei"


def exported(app) -> dict:
    with app.store() as uow:
        return export(uow.session)


def message_id(chat, line: str) -> str:
    """Say `line`; return the console id (mN) of the message the bot answered."""
    answer = said(chat.say(line))[0]
    assert answer.thread and answer.thread.startswith("m"), answer
    return answer.thread


@pytest.fixture
def second_url(db_url, request, tmp_path):
    """The other kind of database than the test's, empty: the record moves from SQLite to
    PostgreSQL and back (a move within one kind is the export round trip of
    test_record_dialog.py)."""
    if db_url.startswith("sqlite"):
        request.getfixturevalue("postgres_available")
        yield request.getfixturevalue("postgres_url_empty")
    else:
        yield f"sqlite:///{tmp_path / 'restored.db'}"


@pytest.fixture
def moved(app, transcript, second_url):
    """A month's record with posts and captured messages, exported, imported into a second
    database, and a console on it; (first export, restored app, its console, message ids)."""
    chat = transcript
    chat.say("!roster-import roster.csv")
    chat.say(SCHEDULE)
    apology = message_id(chat, f"@dana: {NOTICE}")
    announcement = message_id(chat, f"@amina: {ANNOUNCEMENT}")
    chat.say("@bruno thread b1: I object: the sponsor is a vendor we assess")
    chat.say('@facilitator: /pn poll "Adopt the outline?" closes=5d')
    first = exported(app)
    restored = build(Settings(database_url=second_url, facilitators=frozenset({"facilitator"})))
    with restored.store() as uow:
        restore(uow.session, json.loads(json.dumps(first)))
        uow.commit()
    # The chat itself stays where it was: the same messages, and the next post's number.
    console = Transcript(restored)
    console.lines_fed = chat.lines_fed
    console.console.said = dict(chat.console.said)
    console.console.posts = chat.console.posts
    console.say("!group pn-ai")
    yield first, restored, console, {"apology": apology, "announcement": announcement}
    restored.engine.dispose()


def test_the_export_carries_record_ids_and_the_messages_tied_to_them(moved):
    first, _, _, ids = moved
    [group] = first["groups"]
    [outreach] = group["outreach"]
    [poll] = group["polls"]
    [apology] = [a for m in group["meetings"] for a in m["apologies"]]
    [objection] = outreach["objections"]
    posts = {(p["room"], p["message_id"]): p["ref"] for p in group["links"]["posts"]}
    captures = {(c["room"], c["message_id"]): c["ref"] for c in group["links"]["captures"]}
    assert posts[("#pn-ai", "b1")] == f"outreach:{outreach['id']}"
    assert f"poll:{poll['id']}" in posts.values()
    assert captures[("#pn-ai", ids["announcement"])] == f"outreach:{outreach['id']}"
    assert captures[("#pn-ai", ids["apology"])] == f"apology:{apology['id']}"
    assert f"objection:{objection['id']}" in captures.values()


def test_export_import_export_is_identical_with_its_links(moved):
    first, restored, _, _ = moved
    assert json.dumps(exported(restored), sort_keys=True) == json.dumps(first, sort_keys=True)


def test_a_thread_reply_under_an_announcement_posted_before_the_move_still_objects(moved):
    first, restored, console, _ = moved
    [outreach] = first["groups"][0]["outreach"]

    reply = said(console.say("@chen thread b1: I object: it clashes with our own session"))

    assert "objection" in strip_marks(reply[0].text).lower(), reply
    [group] = exported(restored)["groups"]
    [again] = group["outreach"]
    assert again["id"] == outreach["id"]
    assert [o["member"] for o in again["objections"]] == ["bruno", "chen"]


def test_an_edit_of_a_message_captured_before_the_move_still_updates_its_record(moved):
    _, restored, console, ids = moved

    console.say(f"@amina edit {ids['announcement']}: {ANNOUNCEMENT.replace('5 May', '7 May')}")

    [group] = exported(restored)["groups"]
    assert [r["date"] for r in group["outreach"]] == ["2027-05-07"]


def test_members_name_polls_by_the_same_id_and_new_records_take_new_ids(moved):
    first, restored, console, _ = moved
    [poll] = first["groups"][0]["polls"]
    [outreach] = first["groups"][0]["outreach"]

    console.say(f"@chen: /pn vote {poll['id']} agree")
    console.say('@facilitator: /pn poll "Meet in person in June?" closes=5d')
    console.say("@hugo: I'll present the group's report at EuroDIG on 20 June in Strasbourg")

    [group] = exported(restored)["groups"]
    old, new = group["polls"]
    assert old["id"] == poll["id"]
    assert [v["member"] for v in old["votes"]] == ["chen"]
    assert new["id"] > poll["id"]
    assert [r["id"] > outreach["id"] for r in group["outreach"][1:]] == [True]


def test_a_reaction_on_an_announcement_posted_before_the_move_still_objects(moved):
    _, restored, console, _ = moved

    console.say("@dana react :no_entry: b1")

    [group] = exported(restored)["groups"]
    [outreach] = group["outreach"]
    assert [o["member"] for o in outreach["objections"]] == ["bruno", "dana"]
