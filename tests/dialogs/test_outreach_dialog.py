"""Outreach announcements and objections to them, through the console.

A member announces that they will present the group's work at an outside event, in chat or
by command (terms of reference II.3: "upon informing the group"). The bot posts the
announcement in the room and opens an objection window: 72 hours, never past the event.
Members object by command, by a reply in the announcement's thread (English, French or
Spanish) or with a :no_entry: reaction, after which the bot asks privately for the reason;
the facilitator is told of each objection. When the window closes the announcement is cleared
in its thread, or, with objections standing, a consensus poll opens by itself. The morning
after the event the bot asks the member privately how it went; `report` keeps the answer.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta

import pytest
from support import MEMBERS, START, dms, said, snapshot, the_reply

from bot import cli
from bot.dispatch import CRASH_REPLY
from handlers import capture

STAFF = {"facilitator", "sekou"}  # the configured facilitator and the secretariat on the roster
ANNOUNCEMENT = "I'll be presenting our work at RightsCon on 5 May in Taipei"
RIGHTSCON = "RightsCon in Taipei on Wed 5 May 2027"
WINDOW_END = "Fri 4 Dec 2026, 09:00 UTC"  # 72 hours after 1 December, 09:00 UTC
POSTED = (
    f"Outreach 1: Amina Odhiambo (@amina) will present the group's work at {RIGHTSCON}. "
    f"Objections until {WINDOW_END}: reply `I object: <reason>` in this thread, react with "
    ":no_entry:, or type `object 1 <reason>`."
)


def records(app) -> list[dict]:
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        return [
            {
                "id": r.id,
                "member": r.member,
                "event": r.event,
                "date": r.date,
                "place": r.place,
                "link": r.link,
                "status": r.status,
                "source": r.source,
                "window_closes_at": r.window_closes_at.astimezone(UTC),
                "report": r.report,
            }
            for r in uow.outreach.all(group.id)
        ]


def objections(app) -> list[tuple[int, int, str, str | None, str, str]]:
    """(id, outreach, member, reason, status, source) of every objection."""
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        ids = [r.id for r in uow.outreach.all(group.id)]
        return [
            (o.id, o.outreach_id, o.member, o.reason, o.status, o.source)
            for o in uow.objections.for_outreach(ids)
        ]


@pytest.fixture
def chat(transcript):
    """pn-ai on Tuesday 1 December 2026, 09:00 UTC: the example roster (amina is in
    Nairobi), @olga an observer and @sekou of the secretariat."""
    transcript.say(
        """
        !roster-import roster.csv
        @facilitator: /pn member add @olga group=government region=eastern-europe gender=woman org="Observer Institute" role=observer
        @facilitator: /pn member add @sekou group=civil-society region=africa gender=man org="Secretariat" role=secretariat
        """
    )
    return transcript


@pytest.fixture
def announced(chat):
    """@amina's RightsCon announcement said in chat; the bot's announcement is post b1."""
    printed = chat.say(f"@amina: {ANNOUNCEMENT}")
    assert [s.post for s in said(printed) if s.post] == ["b1"], printed
    return chat


# announcing -----------------------------------------------------------------------------------


def test_an_announcement_said_in_chat_informs_the_group_and_opens_a_72_hour_window(app, chat):
    printed = chat.say(f"@amina: {ANNOUNCEMENT}")

    confirmation, post = said(printed)
    assert confirmation.where == "#pn-ai"
    assert confirmation.thread and confirmation.thread.startswith("m")  # her message's thread
    assert confirmation.only is None
    assert confirmation.text.splitlines() == [
        f"Recorded outreach 1: {RIGHTSCON}. The group is informed; objections are open until "
        f"{WINDOW_END}. To undo: `outreach withdraw 1`.",
        "[Undo: click outreach.withdraw 1]",
    ]
    assert (post.where, post.post, post.thread, post.text) == ("#pn-ai", "b1", None, POSTED)
    assert records(app) == [
        {
            "id": 1,
            "member": "amina",
            "event": "RightsCon",
            "date": date(2027, 5, 5),
            "place": "Taipei",
            "link": None,
            "status": "announced",
            "source": "chat",
            "window_closes_at": START + timedelta(hours=72),
            "report": None,
        }
    ]


def test_an_announcement_by_command_is_confirmed_privately_with_its_link(app, chat):
    printed = chat.say(
        "@dana: /pn outreach EuroDIG 2027 on 20 June at Brussels https://eurodig.org"
    )

    confirmation, post = said(printed)
    eurodig = "EuroDIG 2027 in Brussels on Sun 20 Jun 2027 (https://eurodig.org)"
    assert confirmation.only == "dana"
    assert confirmation.text.splitlines()[0] == (
        f"Recorded outreach 1: {eurodig}. The group is informed; objections are open until "
        f"{WINDOW_END} (10:00 Europe/Ljubljana). To undo: `outreach withdraw 1`."
    )
    assert post.text == (
        f"Outreach 1: Dana Novak (@dana) will present the group's work at {eurodig}. "
        f"Objections until {WINDOW_END}: reply `I object: <reason>` in this thread, react with "
        ":no_entry:, or type `object 1 <reason>`."
    )
    [record] = records(app)
    assert (record["link"], record["place"], record["source"]) == (
        "https://eurodig.org",
        "Brussels",
        "command",
    )


def test_the_objection_window_never_runs_past_the_event(app, chat):
    # Dana is in Ljubljana: her event's day starts there at 23:00 UTC the day before
    printed = chat.say("@dana: /pn outreach Ljubljana IGF on 3 December at Ljubljana")

    assert "objections are open until Wed 2 Dec 2026, 23:00 UTC (Thu 3 Dec, 00:00 " in (
        said(printed)[0].text
    )
    [record] = records(app)
    assert record["window_closes_at"] == datetime(2026, 12, 2, 23, 0, tzinfo=UTC)


def test_an_announcement_without_a_single_date_is_asked_about_and_not_recorded(app, chat):
    before = snapshot(app.engine)

    reply = the_reply(chat.say("@amina: I'll be presenting our work at RightsCon next week"))

    assert reply.thread and reply.thread.startswith("m")
    assert reply.text.startswith("That sounds like outreach for the group; tell me ")
    assert "`outreach RightsCon on " in reply.text
    after = snapshot(app.engine)
    assert after["outreach"] == before["outreach"] == []


def test_an_observer_telling_the_room_of_a_talk_is_not_taken_as_outreach(app, chat):
    printed = chat.say(f"@olga: {ANNOUNCEMENT}")

    assert said(printed) == []
    assert records(app) == []


# objecting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "text", "reason"),
    [
        ("bruno", "I object: the event is sponsored by a vendor we assess", None),
        ("hugo", "je m'oppose : le sponsor est un fournisseur que nous évaluons", None),
        ("rosa", "me opongo porque no es un foro multiactor", "no es un foro multiactor"),
    ],
    ids=["english", "french", "spanish"],
)
def test_an_objection_replied_in_the_thread_is_recorded_and_the_facilitator_told(
    app, announced, who, text, reason
):
    reason = reason or text.split(":", 1)[1].strip()

    printed = announced.say(f"@{who} thread b1: {text}")

    replies = [s for s in said(printed) if not s.where.startswith("dm ")]
    assert [(s.where, s.thread, s.text) for s in replies] == [
        (
            "#pn-ai",
            "b1",
            f"Recorded your objection 1 to outreach 1 (RightsCon): {reason}. "
            "To take it back: `withdraw 1`.",
        )
    ]
    told = f"Objection 1 by @{who} to outreach 1 ({RIGHTSCON} by @amina): {reason}."
    assert dms(printed) == {"facilitator": [told], "sekou": [told]}
    assert objections(app) == [(1, 1, who, reason, "standing", "thread")]


def test_an_objection_in_the_thread_of_the_members_own_message_counts_too(app, chat):
    message = said(chat.say(f"@amina: {ANNOUNCEMENT}"))[0].thread

    printed = chat.say(f"@bruno thread {message}: -1, the sponsor is a vendor we assess")

    assert said(printed)[0].thread == message
    assert objections(app) == [
        (1, 1, "bruno", "the sponsor is a vendor we assess", "standing", "thread")
    ]


def test_a_friendly_reply_in_the_thread_is_no_objection(app, announced):
    printed = announced.say("@dana thread b1: Good luck, great venue! No objection from me.")

    assert said(printed) == []
    assert objections(app) == []


def test_an_objection_by_command_tells_the_facilitator_and_the_secretariat(app, announced):
    printed = announced.say(
        "@chen dm: object 1 we should present at a multistakeholder venue first"
    )

    assert dms(printed) == {
        "chen": [
            "Recorded your objection 1 to outreach 1 (RightsCon): we should present at a "
            "multistakeholder venue first. To take it back: `withdraw 1`."
        ],
        **{
            person: [
                f"Objection 1 by @chen to outreach 1 ({RIGHTSCON} by @amina): we should "
                "present at a multistakeholder venue first."
            ]
            for person in STAFF
        },
    }
    assert objections(app) == [
        (1, 1, "chen", "we should present at a multistakeholder venue first", "standing", "command")
    ]


def test_a_reaction_objects_and_the_bot_asks_privately_for_the_reason(app, announced):
    printed = announced.say("@chen react :no_entry: b1")

    assert dms(printed) == {
        "chen": [
            "You objected to outreach 1 (RightsCon) with a reaction. Why? `object 1 <reason>`: "
            "the group weighs objections by their reasons."
        ],
        **{
            person: [f"Objection 1 by @chen to outreach 1 ({RIGHTSCON} by @amina): reason awaited."]
            for person in STAFF
        },
    }
    assert [s for s in said(printed) if not s.where.startswith("dm ")] == []
    assert objections(app) == [(1, 1, "chen", None, "awaiting-reason", "reaction")]

    completed = announced.say("@chen dm: object 1 the sponsor is a vendor we assess")

    assert dms(completed)["chen"] == [
        "Recorded your objection 1 to outreach 1 (RightsCon): the sponsor is a vendor we "
        "assess. To take it back: `withdraw 1`."
    ]
    assert dms(completed)["facilitator"] == [
        f"Objection 1 by @chen to outreach 1 ({RIGHTSCON} by @amina): the sponsor is a "
        "vendor we assess."
    ]
    assert objections(app) == [
        (1, 1, "chen", "the sponsor is a vendor we assess", "standing", "reaction")
    ]


def test_removing_the_reaction_withdraws_the_objection(app, announced):
    announced.say("@chen react :no_entry: b1")

    reply = the_reply(announced.say("@chen unreact :no_entry: b1"))

    assert (reply.only, reply.text) == (
        "chen",
        "Your objection 1 to outreach 1 is withdrawn (reaction removed).",
    )
    assert objections(app) == [(1, 1, "chen", None, "withdrawn", "reaction")]


def test_another_reaction_is_no_objection(app, announced):
    printed = announced.say("@chen react :tada: b1")

    assert said(printed) == []
    assert objections(app) == []


def test_withdraw_takes_back_an_objection_and_tells_the_facilitator(app, announced):
    announced.say("@bruno: /pn object 1 the sponsor is a vendor we assess")

    printed = announced.say("@bruno dm: withdraw 1")

    assert dms(printed) == {
        "bruno": ["Withdrew your objection 1 to outreach 1."],
        **{person: ["@bruno withdrew objection 1 to outreach 1."] for person in STAFF},
    }
    assert objections(app)[0][4] == "withdrawn"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "@amina: /pn object 1 on second thoughts",
            "That is your own announcement; to drop it: `outreach withdraw 1`.",
        ),
        (
            "@amina react :no_entry: b1",
            "That is your own announcement; to drop it: `outreach withdraw 1`.",
        ),
        (
            "@zoe thread b1: I object: not neutral",
            "Only people on the group's roster object to outreach; see `roster`.",
        ),
        (
            "@facilitator thread b1: I object: not neutral",
            "As facilitator you stay neutral and do not object to outreach.",
        ),
    ],
    ids=["own", "own by reaction", "stranger", "facilitator"],
)
def test_objections_from_outside_the_members_are_refused_and_change_nothing(
    app, announced, line, expected
):
    before = snapshot(app.engine)

    reply = the_reply(announced.say(line))

    assert reply.text == expected
    assert snapshot(app.engine) == before


def test_an_objection_after_the_window_closed_is_refused(app, announced):
    announced.say("!advance 3d")
    before = snapshot(app.engine)

    reply = the_reply(announced.say("@bruno thread b1: I object: too late, I know"))

    assert reply.text == (
        f"The objection window of outreach 1 closed {WINDOW_END} (06:00 America/Montevideo); "
        "ask the facilitator."
    )
    assert snapshot(app.engine) == before


# the window closes ------------------------------------------------------------------------------


def test_with_no_standing_objection_the_outreach_is_cleared_in_its_thread(app, announced):
    announced.say(
        """
        @bruno: /pn object 1 the sponsor is a vendor we assess
        @bruno: /pn withdraw 1
        """
    )

    printed = announced.say("!advance 3d")

    assert [(s.at, s.where, s.thread, s.text) for s in said(printed)] == [
        (
            "2026-12-04 09:00 UTC",
            "#pn-ai",
            "b1",
            "No objection: outreach 1 is cleared. Good luck at RightsCon, @amina!",
        )
    ]
    assert records(app)[0]["status"] == "cleared"


def test_standing_objections_open_a_poll_by_themselves(app, announced):
    announced.say(
        """
        @bruno thread b1: I object: the sponsor is a vendor we assess
        @chen react :no_entry: b1
        """
    )

    printed = announced.say("!advance 3d")

    question = (
        f"Should Amina Odhiambo present the group's work at {RIGHTSCON}? Objections: "
        "@bruno: the sponsor is a vendor we assess; @chen: (reason awaited)"
    )
    posts = [s for s in said(printed) if s.post]
    assert [(s.at, s.thread, s.text.splitlines()[0]) for s in posts] == [
        ("2026-12-04 09:00 UTC", None, f"Poll 1: {question}"),
        ("2026-12-04 09:00 UTC", "b1", "Objections stand, so the group decides: poll 1 is open."),
    ]
    assert "Open until Fri 11 Dec 2026, 09:00 UTC; 0 of 20 members have voted." in posts[0].text
    told = dms(printed)
    assert set(told) == MEMBERS
    assert told["amina"] == [
        "A consensus poll is open in pn-ai, until Fri 11 Dec 2026, 09:00 UTC (12:00 "
        "Africa/Nairobi); your vote counts as much as anyone's.\n"
        f"Poll 1: {question}\n"
        "`vote 1 <option> [reason]` with one of: agree, abstain, disagree, block.\n"
        "[agree: click poll.vote 1:agree] [abstain: click poll.vote 1:abstain] "
        "[disagree: click poll.vote 1:disagree] [block: click poll.vote 1:block]"
    ]
    assert records(app)[0]["status"] == "polling"


def test_long_objections_still_open_the_poll(app, announced):
    # each reason may hold 1000 characters; the poll's question quotes them all
    first = "the sponsor is a vendor we assess, " * 11
    second = "we should present at a multistakeholder venue first, " * 7
    announced.say(
        f"""
        @bruno: /pn object 1 {first}
        @chen: /pn object 1 {second}
        """
    )

    printed = announced.say("!advance 3d")

    assert [s.thread for s in said(printed) if s.post] == [None, "b1"]
    assert records(app)[0]["status"] == "polling"
    with app.store() as uow:
        [poll] = uow.polls.all(uow.groups.named("pn-ai").id)
        assert poll.outreach_id == 1


# after the event ----------------------------------------------------------------------------------

LISBON = "@amina: /pn outreach Lisbon Forum on 10 December at Lisbon"
ASKED = (
    "How did Lisbon Forum go? A few lines for the group's outreach report: "
    "`report 1 <what happened, who you reached>`."
)


def test_the_member_is_asked_once_how_it_went_and_report_keeps_the_answer(app, chat):
    chat.say(LISBON)
    chat.say("!advance 3d")  # cleared on 4 December
    assert [s for s in said(chat.say("!advance 6d")) if s.where == "dm amina"] == []

    morning_after = said(chat.say("!advance 1d"))  # 11 December, 09:00 UTC

    assert [(s.at, s.where, s.text) for s in morning_after] == [
        ("2026-12-11 09:00 UTC", "dm amina", ASKED)
    ]
    assert said(chat.say("!advance 2d")) == []

    reply = the_reply(
        chat.say("@amina dm: report 1 Full room, good questions on transparency; two new contacts")
    )

    assert reply.text == "Thank you; your report on Lisbon Forum is kept with the record."
    assert records(app)[0]["report"] == (
        "Full room, good questions on transparency; two new contacts"
    )
    listing = the_reply(chat.say("@amina: /pn outreach list"))
    assert listing.text.splitlines() == [
        "Past:",
        "  1. @amina: Lisbon Forum in Lisbon on Thu 10 Dec 2026 [cleared] — report in",
    ]


def test_the_question_comes_the_morning_after_even_when_the_clock_runs_on(chat):
    chat.say(LISBON)
    chat.say("!advance 3d")

    asked = [s for s in said(chat.say("!advance 10d")) if s.where == "dm amina"]

    assert [(s.at, s.text) for s in asked] == [("2026-12-11 09:00 UTC", ASKED)]


def test_a_withdrawn_outreach_is_not_asked_about(chat):
    chat.say(LISBON)
    chat.say("@amina: /pn outreach withdraw 1")

    printed = chat.say("!advance 10d") + chat.say("@amina: /pn outreach list")

    assert "dm amina" not in {s.where for s in said(printed)}


# listing and withdrawing ------------------------------------------------------------------------


def test_outreach_list_shows_coming_and_past_with_their_status(chat):
    chat.say(
        """
        @dana: /pn outreach Ljubljana IGF on 3 December at Ljubljana
        @amina: /pn outreach RightsCon on 5 May at Taipei
        @chen: /pn outreach Shanghai Expo on 20 December
        @chen: /pn outreach withdraw 3
        !advance 3d
        """
    )

    listing = the_reply(chat.say("@zoe: /pn outreach list"))

    assert listing.only == "zoe"
    assert listing.text.splitlines() == [
        "Coming:",
        "  3. @chen: Shanghai Expo on Sun 20 Dec 2026 [withdrawn]",
        "  2. @amina: RightsCon in Taipei on Wed 5 May 2027 [cleared]",
        "Past:",
        "  1. @dana: Ljubljana IGF in Ljubljana on Thu 3 Dec 2026 [cleared]",
    ]


def test_an_empty_outreach_list_says_how_to_announce(chat):
    assert the_reply(chat.say("@amina: /pn outreach list")).text == (
        "No outreach announced yet: `outreach <event> on <date>`."
    )


def test_the_undo_button_withdraws_the_announcement_and_says_so_in_its_thread(app, announced):
    printed = announced.say("@amina click outreach.withdraw 1")

    assert [(s.where, s.thread, s.post, s.text) for s in said(printed)] == [
        ("#pn-ai", None, None, "Withdrew outreach 1 (RightsCon)."),
        ("#pn-ai", "b1", "b2", "Outreach 1 was withdrawn by @amina."),
    ]
    assert records(app)[0]["status"] == "withdrawn"
    assert said(announced.say("!advance 3d")) == []  # no clearing, no poll


def test_the_facilitator_may_withdraw_an_announcement_but_another_member_may_not(app, announced):
    refused = the_reply(announced.say("@bruno: /pn outreach withdraw 1"))
    assert refused.text == "Outreach 1 is @amina's to withdraw."

    printed = announced.say("@facilitator: /pn outreach withdraw 1")

    assert said(printed)[-1].text == "Outreach 1 was withdrawn by @facilitator."
    assert records(app)[0]["status"] == "withdrawn"


def test_an_outcome_does_not_revive_an_outreach_its_member_withdrew(app, announced):
    announced.say(
        """
        @bruno: /pn object 1 the sponsor is a vendor we assess
        !advance 3d
        @amina: /pn outreach withdraw 1
        @facilitator: /pn poll close 1
        """
    )

    printed = announced.say('@facilitator: /pn outcome 1 consensus "Broad support"')

    assert records(app)[0]["status"] == "withdrawn"
    assert "may go ahead" not in "\n".join(dms(printed).get("amina", []))


def test_an_overlong_place_gets_a_specific_reply_and_writes_nothing(app, chat):
    before = snapshot(app.engine)
    place = "the big conference centre next to the old harbour " * 5  # 250 characters

    printed = chat.say(f"@amina: /pn outreach RightsCon on 5 May at {place}")

    assert CRASH_REPLY not in printed
    assert "Recorded outreach" not in printed, "a 250-character place was taken"
    assert [s.only for s in said(printed)] == ["amina"]
    assert snapshot(app.engine) == before


# what the capture sees ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        (
            ANNOUNCEMENT,
            {"kind": "outreach", "date": "2027-05-05", "event": "RightsCon", "language": "en"},
        ),
        (
            "je présenterai nos travaux au FGI Afrique le 12 septembre",
            {"kind": "outreach", "date": "2027-09-12", "event": "FGI Afrique", "language": "fr"},
        ),
        (
            "I object: the event is sponsored by a vendor we assess",
            {"kind": "objection", "date": None, "event": None, "language": "en"},
        ),
        (
            "je m'oppose : le sponsor est un fournisseur",
            {"kind": "objection", "date": None, "event": None, "language": "fr"},
        ),
        (
            "me opongo porque no es un foro multiactor",
            {"kind": "objection", "date": None, "event": None, "language": "es"},
        ),
        ("no objection from me", {"kind": "none", "date": None, "event": None, "language": None}),
    ],
    ids=["outreach en", "outreach fr", "objection en", "objection fr", "objection es", "none"],
)
def test_explain_reports_outreach_and_objections(text, reading, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key == "DATABASE_URL" or key.startswith(("PNBOT_", "SLACK_")):
            monkeypatch.delenv(key)

    status = cli.main(["explain", text, "--at", START.isoformat(), "--tz", "Africa/Nairobi"])

    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    explained = json.loads(out)
    assert {key: explained[key] for key in reading} == reading
    assert explained["confidence"] == (None if reading["kind"] == "none" else "sure")
    assert ("nothing" if reading["kind"] == "none" else "cue") in explained["why"]
    read = capture.read(text, START, "Africa/Nairobi").as_json()
    assert {key: read[key] for key in reading} == reading
