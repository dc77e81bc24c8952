"""A review round of the output document through the console: the draft shared in the room,
comments by command and in its thread in English, French and Spanish, an acknowledgement, the
reminder two days before the end to those who said nothing, the comments by stakeholder group
to the facilitator, and the endorsement poll opened at the close.

The clock starts on Tuesday 1 December 2026 at 09:00 UTC; comments run until the end of
Thursday 10 December (UTC).
"""

from __future__ import annotations

import json

import pytest
from support import MEMBERS, dms, said, snapshot, the_reply

from handlers.events import strip_marks
from storage.archive import export, restore

SHARE = (
    '@facilitator: /pn draft share "Output document, draft 2" '
    "https://docs.example.org/pn-ai-draft-2 comments-until=2026-12-10 endorse=yes"
)


def text(printed: str) -> str:
    return strip_marks(the_reply(printed).text)


@pytest.fixture
def chat(transcript):
    transcript.say("!roster-import roster.csv")
    return transcript


@pytest.fixture
def commented(chat):
    chat.say(SHARE)
    chat.say("@amina: /pn comment 1 Section 3 should cite the regional consultations.")
    chat.say("@dana thread b1: La section 2 oublie les petits États insulaires.")
    chat.say("@rosa: /pn comment 1 Falta una referencia a la consulta de América Latina.")
    chat.say("@hugo: /pn ack 1")
    return chat


def test_the_draft_is_posted_in_the_room_with_how_to_comment(chat):
    printed = chat.say(SHARE)

    [posted] = [s for s in said(printed) if s.post]
    assert posted.lines == [
        "Draft 1 for review: Output document, draft 2",
        "https://docs.example.org/pn-ai-draft-2",
        "Comments until Fri 11 Dec 2026, 00:00 UTC; then a consensus poll on the final version.",
        "Comment with `comment 1 <text>` or by replying in the draft's thread; `ack 1` says you "
        "have read it and have no comment.",
    ]


def test_a_comment_in_the_drafts_thread_is_recorded_and_answered_there(chat):
    chat.say(SHARE)

    printed = chat.say("@dana thread b1: La section 2 oublie les petits États insulaires.")

    [answer] = said(printed)
    assert answer.thread == "b1"
    assert answer.text.startswith("Recorded your comment on draft 1 (Output document, draft 2)")


def test_members_who_said_nothing_are_reminded_two_days_before_the_end(commented):
    printed = commented.say("!advance 8d")

    told = dms(printed)
    reminded = {h for h, texts in told.items() if any("you have not commented" in t for t in texts)}
    assert reminded == MEMBERS - {"amina", "dana", "rosa", "hugo"}
    at = {s.at for s in said(printed) if "you have not commented" in s.text}
    assert at == {"2026-12-09 00:00 UTC"}


def test_the_close_gives_the_facilitator_the_comments_by_stakeholder_group_and_opens_the_poll(
    commented,
):
    printed = commented.say("!advance 10d")

    posts = [s for s in said(printed) if s.post]
    assert posts[0].text == (
        "The review of draft 1 (Output document, draft 2) is closed: 3 comments from 3 people, "
        "1 acknowledged without comment. Poll 1 asks whether the group endorses the final version."
    )
    assert posts[1].first == (
        "Poll 1: Does the group endorse the final version of Output document, draft 2? "
        "https://docs.example.org/pn-ai-draft-2"
    )
    [report] = [t for t in dms(printed)["facilitator"] if t.startswith("Comments on draft 1")]
    assert strip_marks(report).splitlines() == [
        "Comments on draft 1 (Output document, draft 2) by stakeholder group; 3 comments from "
        "3 people, 1 acknowledged without comment:",
        "  government (2):",
        "    @dana: La section 2 oublie les petits États insulaires.",
        "    @rosa: Falta una referencia a la consulta de América Latina.",
        "  civil-society (1):",
        "    @amina: Section 3 should cite the regional consultations.",
    ]


def test_every_round_is_kept_with_what_the_group_endorsed(commented):
    commented.say("!advance 10d")
    for handle in sorted(MEMBERS):
        commented.say(f"@{handle}: /pn vote 1 agree")
    commented.say("!advance 7d")
    commented.say('@facilitator: /pn outcome 1 consensus "Every member agreed."')

    shown = text(commented.say("@amina: /pn draft show 1"))
    listed = text(commented.say("@amina: /pn drafts"))

    assert shown.splitlines() == [
        "Draft 1: Output document, draft 2, https://docs.example.org/pn-ai-draft-2",
        "Shared by @facilitator Tue 1 Dec 2026, 09:00 UTC (12:00 Africa/Nairobi); closed "
        "Fri 11 Dec 2026, 00:00 UTC (03:00 Africa/Nairobi).",
        "3 comments from 3 people, 1 acknowledged without comment.",
        "Commented or acknowledged: @amina, @dana, @hugo, @rosa.",
        "Endorsement: poll 1, consensus.",
    ]
    assert listed.splitlines()[1].startswith("  1. Output document, draft 2, shared Tue 1 Dec 2026")


def test_late_comments_and_strangers_are_refused_and_change_nothing(commented, app):
    before = snapshot(app.engine)
    stranger = text(commented.say("@zed: /pn comment 1 hello"))
    commented.say("!advance 10d")
    after_close = snapshot(app.engine)

    late = text(commented.say("@amina: /pn comment 1 one more thing"))

    assert stranger == "Comments on the group's drafts come from people on its roster."
    assert late == "The review of draft 1 closed Fri 11 Dec 2026, 00:00 UTC (03:00 Africa/Nairobi)."
    assert snapshot(app.engine) == after_close
    assert before["draft_comments"] == after_close["draft_comments"]


@pytest.mark.parametrize(
    "line, answer",
    [
        (
            '@facilitator: /pn draft share "D" docs.example.org comments-until=2026-12-10',
            "`docs.example.org` should be the draft's web address, starting with https://.",
        ),
        (
            '@facilitator: /pn draft share "D" https://d.example.org comments-until=2027-06-10',
            "A review round runs from today to 90 days ahead: `comments-until=2027-01-15`.",
        ),
        ("@amina: /pn comment 9 hello", "There is no draft 9 in pn-ai; see `drafts`."),
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(chat, app, line, answer):
    before = snapshot(app.engine)

    assert text(chat.say(line)) == answer
    assert snapshot(app.engine) == before


def test_rounds_are_in_the_export_and_survive_a_round_trip(commented, app, tmp_path):
    commented.say("!advance 10d")

    with app.store() as uow:
        first = export(uow.session)
    [drafts] = [g["drafts"] for g in first["groups"]]
    assert [(c["member"], c["kind"], c["source"]) for c in drafts[0]["comments"]] == [
        ("amina", "comment", "command"),
        ("dana", "comment", "thread"),
        ("rosa", "comment", "command"),
        ("hugo", "ack", "command"),
    ]
    assert drafts[0]["poll"] == 1

    from bot.app import build
    from bot.config import Settings

    twin = build(Settings(database_url=f"sqlite:///{tmp_path / 'twin.db'}"))
    with twin.store() as uow:
        restore(uow.session, json.loads(json.dumps(first)))
        uow.commit()
    with twin.store() as uow:
        again = export(uow.session)
    twin.engine.dispose()
    assert json.dumps(again, sort_keys=True) == json.dumps(first, sort_keys=True)


def test_the_end_of_the_round_is_on_the_calendar(chat):
    from icalendar import Calendar

    chat.say(SHARE)

    ics = the_reply(chat.say("@amina: /pn meetings ics")).text
    [event] = [e for e in Calendar.from_ical(ics).walk("VEVENT") if "draft" in e["uid"]]

    assert str(event["summary"]) == "pn-ai: comments on Output document, draft 2 close"
    assert event.decoded("dtend").isoformat() == "2026-12-11T00:00:00+00:00"
    assert str(event["url"]) == "https://docs.example.org/pn-ai-draft-2"
