"""Agendas, emerging issues and the meeting cycle over time, through the console.

The group meets on the second Tuesday at 13:00 Paris time: Tuesday 8 December 2026 at
12:00 UTC. With the default timing the bot calls for items 10 days before (28 November),
sends the draft to the facilitator 7 days before (1 December), reminds them 3 days before
if it is still unapproved (5 December), posts the approved agenda 5 days before (3 December)
and reminds the room 24 hours and 1 hour before.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select
from support import DECEMBER, LINK, SCHEDULE, Said, Transcript, said, snapshot

from storage.models import OutboxItem

DECEMBER_PARIS = f"{DECEMBER} (13:00 Europe/Paris)"
_APPROVE = re.compile(r"\[Approve agenda: click agenda\.approve (\d+)\]")


def the_reply(printed: str) -> str:
    replies = said(printed)
    assert len(replies) == 1, printed
    return replies[0].text


def scheduled(printed: str) -> list[Said]:
    """What the scheduler said: posts in rooms and direct messages nobody asked for."""
    return [s for s in said(printed) if s.post or (s.where.startswith("dm ") and not s.only)]


def summary(printed: str) -> list[tuple[str, str, str]]:
    return [(s.at, s.where, s.first) for s in scheduled(printed)]


def approve_value(text: str) -> str:
    found = _APPROVE.search(text)
    assert found, f"no approve button in {text!r}"
    return found[1]


CALL = (
    f"Call for agenda items: the pn-ai meeting of {DECEMBER_PARIS}. Propose an item with "
    "`agenda add <text>` before Tue 1 Dec 2026, 12:00 UTC (13:00 Europe/Paris); see the draft "
    "with `agenda`."
)
DRAFT = "The draft agenda of the pn-ai meeting is ready for your approval."
UNAPPROVED = f"The agenda of the pn-ai meeting of {DECEMBER} is still not approved."
REMIND_24H = (
    f"Reminder: the pn-ai meeting is tomorrow, {DECEMBER_PARIS}. "
    "Open to observers; `agenda` shows the agenda."
)
# At the meeting's time, the button that opens its minutes (handlers/minutes_schedule.py).
START_MINUTES = (
    f"The meeting of {DECEMBER} is starting. A chair opens the minutes with the button or "
    "`meeting start`; then tag lines with #topic, #info, #link, #idea, #action @who, #agreed."
)
REMIND_1H = (
    f"Reminder: the pn-ai meeting is in one hour, {DECEMBER_PARIS}. "
    "Open to observers; `agenda` shows the agenda."
)
AGENDA_HEAD = f"Agenda of the pn-ai meeting of {DECEMBER_PARIS}, 90 min. Open to observers."


@pytest.fixture
def chat(transcript):
    """pn-ai on 1 December with the example roster and its monthly series."""
    transcript.say("!roster-import roster.csv")
    transcript.say(SCHEDULE)
    return transcript


@pytest.fixture
def early(app):
    """pn-ai on Friday 20 November, before any step of the 8 December meeting."""
    chat = Transcript(app, now=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    chat.say("!group pn-ai")
    chat.say("!roster-import roster.csv")
    chat.say(SCHEDULE)
    return chat


def outbox(app) -> dict[str, tuple[datetime | None, datetime | None]]:
    """{step key without the meeting id: (sent_at, skipped_at)} of the outbox."""
    with app.store() as uow:
        rows = uow.session.exec(select(OutboxItem)).all()
        return {
            row.key.split(":", 2)[2]: (
                row.sent_at and row.sent_at.astimezone(UTC),
                row.skipped_at and row.skipped_at.astimezone(UTC),
            )
            for row in rows
        }


# agenda items --------------------------------------------------------------------------------


def test_a_member_adds_an_item_to_the_next_meetings_draft_agenda(chat):
    added = said(chat.say("@amina: /pn agenda add Review the draft outline of the annual output"))

    assert [(s.where, s.only, s.text) for s in added] == [
        (
            "#pn-ai",
            None,
            # in the room, in UTC: not in the author's zone
            f"Added item 1 to the agenda of {DECEMBER}: "
            "Review the draft outline of the annual output",
        )
    ]
    chat.say("@bruno: /pn agenda add Regional consultations")
    shown = said(chat.say("@chen: /pn agenda"))
    assert [(s.only, s.text.splitlines()) for s in shown] == [
        (
            "chen",
            [
                f"Agenda (draft) for the meeting of {DECEMBER} (20:00 Asia/Shanghai):",
                "  1. Review the draft outline of the annual output (@amina)",
                "  2. Regional consultations (@bruno)",
            ],
        )
    ]


def test_an_empty_agenda_says_how_to_add_an_item(chat):
    assert the_reply(chat.say("@zoe: /pn agenda")).splitlines() == [
        f"Agenda (draft) for the meeting of {DECEMBER}:",
        "  (no items yet: `agenda add <text>`)",
    ]


def test_someone_not_on_the_roster_cannot_add_an_item(app, chat):
    before = snapshot(app.engine)

    answer = the_reply(chat.say("@zoe: /pn agenda add My product launch"))

    assert answer == "Only people on the roster propose agenda items; see `roster`."
    assert snapshot(app.engine) == before


def test_the_author_removes_their_own_item(chat):
    chat.say("@amina: /pn agenda add Review the draft outline")

    answer = the_reply(chat.say("@amina: /pn agenda remove 1"))

    assert answer == "Removed item 1 (Review the draft outline) from the agenda."
    assert "(no items yet" in the_reply(chat.say("@amina: /pn agenda"))


def test_another_member_cannot_remove_an_item(app, chat):
    chat.say("@amina: /pn agenda add Review the draft outline")
    before = snapshot(app.engine)

    answer = the_reply(chat.say("@bruno: /pn agenda remove 1"))

    assert answer == "Item 1 was proposed by @amina; only they or the facilitator remove it."
    assert snapshot(app.engine) == before


def test_the_facilitator_removes_anyones_item(chat):
    chat.say("@amina: /pn agenda add Review the draft outline")

    answer = the_reply(chat.say("@facilitator: /pn agenda remove 1"))

    assert answer == "Removed item 1 (Review the draft outline) from the agenda."


def test_removing_an_item_that_is_not_there_says_so(app, chat):
    before = snapshot(app.engine)

    answer = the_reply(chat.say("@amina: /pn agenda remove 4"))

    assert answer == "There is no item 4 on the next agenda; see `agenda`."
    assert snapshot(app.engine) == before


def test_the_facilitator_approves_the_agenda(chat):
    chat.say("@amina: /pn agenda add Review the draft outline")

    answer = said(chat.say("@facilitator: /pn agenda approve"))

    assert [(s.only, s.text) for s in answer] == [
        (
            None,
            f"Approved the agenda of {DECEMBER}; it will be posted in the room "
            "Thu 3 Dec 2026, 12:00 UTC.",
        )
    ]
    assert the_reply(chat.say("@amina: /pn agenda")).splitlines()[0] == (
        f"Agenda (approved) for the meeting of {DECEMBER} (15:00 Africa/Nairobi):"
    )


def test_an_approved_agenda_is_closed_to_members_but_not_to_the_facilitator(app, chat):
    chat.say(
        """
        @amina: /pn agenda add Review the draft outline
        @facilitator: /pn agenda approve
        """
    )
    before = snapshot(app.engine)

    refused = the_reply(chat.say("@bruno: /pn agenda add One more thing"))
    twice = the_reply(chat.say("@facilitator: /pn agenda approve"))

    assert refused == "The agenda is approved already; ask the facilitator to add your item."
    assert twice == f"The agenda of {DECEMBER} is approved already."
    assert snapshot(app.engine) == before
    assert the_reply(chat.say("@facilitator: /pn agenda add One more thing")).startswith(
        "Added item 2"
    )


def test_agenda_timing_shows_and_sets_the_offsets(app, chat):
    shown = said(chat.say("@facilitator: /pn agenda timing"))
    assert shown[0].only == "facilitator"
    assert shown[0].text.splitlines()[1] == "  call=10d: call for items in the room"

    changed = said(chat.say("@facilitator: /pn agenda timing call=14d"))

    assert [(s.only, s.text.splitlines()) for s in changed] == [
        (
            None,
            [
                "Before each pn-ai meeting:",
                "  call=14d: call for items in the room",
                "  draft=7d: draft sent to the facilitator",
                "  post=5d: approved agenda posted in the room",
                "  remind=3d: reminder to the facilitator if still unapproved",
                "  and reminders in the room 24 hours and 1 hour before.",
            ],
        )
    ]
    with app.store() as uow:
        assert uow.groups.named("pn-ai").settings == {"agenda": {"call": "14d"}}


@pytest.mark.parametrize("value", ["31d", "soon", "30m", "0h"])
def test_agenda_timing_refuses_an_offset_it_cannot_use(app, chat, value):
    before = snapshot(app.engine)

    answer = the_reply(chat.say(f"@facilitator: /pn agenda timing call={value}"))

    assert answer == (
        f"`call={value}` should be days or hours before the meeting, like 10d or 36h (at most 30d)."
    )
    assert snapshot(app.engine) == before


# emerging issues ----------------------------------------------------------------------------


def test_an_issue_backed_by_two_stakeholder_groups_is_proposed_for_the_next_agenda(chat):
    raised = the_reply(chat.say("@amina: /pn raise New EU rules on AI audits"))
    assert raised == (
        "Emerging issue #1 raised by @amina: New EU rules on AI audits\n"
        "Support it with `support 1` or a :+1: reaction to this message; with members of 2 "
        "stakeholder groups behind it, it goes on the next agenda."
    )

    same_group = the_reply(chat.say("@farid: /pn support 1"))  # civil society, like amina
    assert same_group == "You support issue #1 (2 supporters from 1 stakeholder group)."
    assert "(no items yet" in the_reply(chat.say("@amina: /pn agenda"))

    second_group = said(chat.say("@chen: /pn support 1"))  # private sector

    assert [(s.only, s.text) for s in second_group] == [
        (
            "chen",
            "You support issue #1 (3 supporters from 2 stakeholder groups). It is now proposed "
            f"for the agenda of {DECEMBER} (20:00 Asia/Shanghai).",
        ),
        (
            None,
            "Emerging issue #1 (New EU rules on AI audits), raised by @amina, is backed by "
            f"members of civil-society and private-sector and proposed for the agenda of {DECEMBER}.",
        ),
    ]
    assert the_reply(chat.say("@amina: /pn agenda")).splitlines()[1:] == [
        "  1. Emerging issue #1: New EU rules on AI audits (@amina)"
    ]
    assert the_reply(chat.say("@bruno: /pn issues")).splitlines() == [
        "Emerging issues:",
        "  #1 [proposed] New EU rules on AI audits (raised by @amina; "
        "3 supporters from 2 stakeholder groups)",
    ]


def test_a_thumbs_up_on_the_raised_issue_supports_it_and_removing_it_takes_that_back(app, chat):
    printed = chat.say("@amina: /pn raise New EU rules on AI audits")
    assert "#pn-ai pnbot [r1]: Emerging issue #1 raised by @amina" in printed

    assert the_reply(chat.say("@farid react :+1: r1")) == (
        "You support issue #1 (2 supporters from 1 stakeholder group)."
    )
    assert the_reply(chat.say("@farid unreact :+1: r1")) == (
        "You no longer support issue #1 (1 supporter left)."
    )
    before = snapshot(app.engine)
    assert the_reply(chat.say("@amina unreact :+1: r1")) == (
        "You raised issue #1; your support stays with it."
    )
    assert snapshot(app.engine) == before
    assert said(chat.say("@farid react :tada: r1")) == []  # any other reaction is no support
    assert "1 supporter from 1 stakeholder group" in the_reply(chat.say("@bruno: /pn issues"))

    # private sector: a second group; the room is told, as when `support` is typed
    acknowledged, notice = said(chat.say("@chen react :+1: r1"))
    assert acknowledged.only == "chen"
    assert acknowledged.text.startswith(
        "You support issue #1 (2 supporters from 2 stakeholder groups)."
    )
    assert (notice.only, notice.where) == (None, "#pn-ai")
    assert "proposed for the agenda" in notice.text
    assert the_reply(chat.say("@chen unreact :+1: r1")) == (
        "Issue #1 is already proposed; removing the reaction changes nothing."
    )


def test_further_support_does_not_put_a_proposed_issue_on_the_agenda_twice(chat):
    chat.say(
        """
        @amina: /pn raise New EU rules on AI audits
        @chen: /pn support 1
        """
    )

    answer = the_reply(chat.say("@dana: /pn support 1"))

    assert answer == "You support issue #1 (3 supporters from 3 stakeholder groups)."
    assert len(the_reply(chat.say("@amina: /pn agenda")).splitlines()) == 2


def test_an_issue_goes_to_the_first_agenda_still_open(chat):
    chat.say(
        """
        @facilitator: /pn agenda approve
        @amina: /pn raise New EU rules on AI audits
        """
    )

    answer, notice = said(chat.say("@chen: /pn support 1"))

    assert answer.text.endswith(
        "proposed for the agenda of Tue 12 Jan 2027, 12:00 UTC (20:00 Asia/Shanghai)."
    )
    # the room reads it in UTC, not in the supporter's zone
    assert notice.text.endswith("proposed for the agenda of Tue 12 Jan 2027, 12:00 UTC.")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("@amina: /pn support 1", "You support issue #1 already."),
        ("@chen: /pn support 7", "There is no emerging issue #7; see `issues`."),
        ("@zoe: /pn support 1", "Only members raise and support emerging issues."),
        ("@facilitator: /pn raise Budget", "Only members raise and support emerging issues."),
    ],
    ids=["twice", "no such issue", "stranger", "facilitator is no member"],
)
def test_support_and_raise_refusals_change_nothing(app, chat, line, expected):
    chat.say("@amina: /pn raise New EU rules on AI audits")
    before = snapshot(app.engine)

    assert the_reply(chat.say(line)) == expected
    assert snapshot(app.engine) == before


def test_issues_with_none_open_says_how_to_raise_one(chat):
    assert the_reply(chat.say("@amina: /pn issues")) == (
        "No emerging issues are open. Raise one with `raise <text>`."
    )


# the cycle over time --------------------------------------------------------------------------


def test_each_step_of_the_cycle_is_said_once_at_its_time(early):
    early.say("@amina: /pn agenda add Review the draft outline")

    printed = "".join(
        early.say(f"!advance {step}") for step in ("5d", "3d", "1d", "4d", "3d", "1d", "2d")
    )

    assert summary(printed) == [
        ("2026-11-28 12:00 UTC", "#pn-ai", CALL),
        ("2026-12-01 12:00 UTC", "dm facilitator", DRAFT),
        ("2026-12-05 12:00 UTC", "dm facilitator", UNAPPROVED),
        ("2026-12-07 12:00 UTC", "#pn-ai", REMIND_24H),
        ("2026-12-08 11:00 UTC", "#pn-ai", REMIND_1H),
        ("2026-12-08 12:00 UTC", "#pn-ai", START_MINUTES),
    ]


def test_the_draft_to_the_facilitator_shows_the_items_and_an_approve_button(early):
    early.say("@amina: /pn agenda add Review the draft outline")

    [draft] = [s for s in scheduled(early.say("!advance 12d")) if s.where == "dm facilitator"]

    assert draft.text.splitlines()[:4] == [
        DRAFT,
        f"Agenda (draft) for the meeting of {DECEMBER}:",
        "  1. Review the draft outline (@amina)",
        "Approve with `agenda approve`.",
    ]
    assert approve_value(draft.text)


def test_the_approve_button_approves_and_the_agenda_is_posted_five_days_before(early):
    early.say(
        """
        @amina: /pn agenda add Review the draft outline
        @bruno: /pn agenda add Regional consultations
        @chen: /pn away 8 December travelling
        """
    )
    [draft] = [s for s in scheduled(early.say("!advance 12d")) if s.where == "dm facilitator"]

    approved = said(
        early.say(
            f"@facilitator dm click agenda.approve {approve_value(draft.text)} on m{early.lines_fed}"
        )
    )
    assert [s.text for s in approved] == [
        f"Approved the agenda of {DECEMBER}; it will be posted in the room Thu 3 Dec 2026, 12:00 UTC."
    ]
    early.say("@dana: je ne pourrai pas assister à la réunion du 8 décembre")

    printed = early.say("!advance 8d")

    posts = scheduled(printed)
    [agenda] = [s for s in posts if s.first.startswith("Agenda of")]
    assert agenda.at == "2026-12-03 12:00 UTC" and agenda.where == "#pn-ai"
    assert agenda.text.splitlines() == [
        AGENDA_HEAD,
        f"Call: {LINK}",
        "  1. Review the draft outline (@amina)",
        "  2. Regional consultations (@bruno)",
        "Apologies: Chen Wei, Dana Novak.",
    ]
    assert UNAPPROVED not in [s.first for s in posts], "an approved agenda needs no reminder"
    assert [s.first for s in posts if s.first.startswith("Reminder")] == [REMIND_24H, REMIND_1H]


def test_an_agenda_approved_after_its_posting_time_is_posted_at_once(early):
    early.say("@amina: /pn agenda add Review the draft outline")
    early.say("!advance 14d")  # Friday 4 December, 09:00 UTC

    printed = early.say("@facilitator: /pn agenda approve")

    answer, agenda = said(printed)
    assert answer.text == f"Approved the agenda of {DECEMBER}; it will be posted in the room now."
    assert (agenda.at, agenda.where, agenda.first) == (
        "2026-12-04 09:00 UTC",
        "#pn-ai",
        AGENDA_HEAD,
    )
    later = early.say("!advance 5d")
    assert [s.first for s in scheduled(later)] == [REMIND_24H, REMIND_1H, START_MINUTES]


def test_only_the_facilitator_may_press_the_approve_button(app, early):
    draft = [s for s in scheduled(early.say("!advance 12d")) if s.where == "dm facilitator"][0]
    before = snapshot(app.engine)

    answer = the_reply(early.say(f"@amina click agenda.approve {approve_value(draft.text)} on m1"))

    assert answer == "Only the facilitator approves the agenda."
    assert snapshot(app.engine) == before


def test_an_earlier_call_for_items_follows_the_groups_timing(early):
    early.say("@facilitator: /pn agenda timing call=14d")

    printed = early.say("!advance 9d")

    calls = [(at, first) for at, _, first in summary(printed) if first.startswith("Call for")]
    assert calls == [("2026-11-24 12:00 UTC", CALL)]


def test_a_second_console_on_the_same_bot_repeats_nothing(app, early):
    other = Transcript(app, now=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    early.say("@facilitator: /pn agenda approve")

    first_half = early.say("!advance 14d")  # the agenda of 3 December goes out
    other_first_half = other.say("!advance 14d")
    other_second_half = other.say("!advance 5d")  # now the other console sends the reminders
    second_half = early.say("!advance 5d")

    assert [s.first for s in scheduled(first_half)] == [AGENDA_HEAD]
    assert scheduled(other_first_half) == []
    assert [s.first for s in scheduled(other_second_half)] == [
        REMIND_24H,
        REMIND_1H,
        START_MINUTES,
    ]
    assert scheduled(second_half) == []


def test_after_downtime_an_agenda_still_ahead_of_its_meeting_is_sent_late_once(app, early):
    early.say(
        """
        @amina: /pn agenda add Review the draft outline
        @facilitator: /pn agenda approve
        """
    )

    early.say("!now 2026-12-07 06:00 UTC")  # the bot was down since 20 November
    late = early.say("!advance 1m")
    again = early.say("!advance 1h")

    assert summary(late) == [("2026-12-07 06:01 UTC", "#pn-ai", AGENDA_HEAD)]
    assert scheduled(again) == []
    sent, skipped = outbox(app)["20261208T1200Z:agenda:console:#pn-ai"]
    assert (sent, skipped) == (datetime(2026, 12, 7, 6, 1, tzinfo=UTC), None)


def test_after_downtime_a_reminder_for_a_meeting_already_started_is_skipped_not_sent(app, early):
    early.say("@facilitator: /pn agenda approve")
    early.say("!advance 14d")  # the agenda went out on 3 December

    early.say("!now 2026-12-08 12:20 UTC")  # the bot was down over the reminders
    printed = early.say("@amina: /pn meetings")

    # the button that opens the minutes still means something while the meeting runs
    assert [s.first for s in scheduled(printed)] == [START_MINUTES]
    steps = outbox(app)
    for name in ("remind-24h", "remind-1h"):
        sent, skipped = steps[f"20261208T1200Z:{name}:console:#pn-ai"]
        assert sent is None, name
        assert skipped is not None, name
    assert scheduled(early.say("!advance 1d")) == []


def test_a_cancelled_meeting_gets_no_reminders(early):
    early.say("@facilitator: /pn meeting cancel 8 December")

    printed = early.say("!advance 19d")

    assert [s for s in scheduled(printed) if "8 Dec" in s.text] == []


def test_a_moved_meeting_is_reminded_at_its_new_time(early):
    early.say("@facilitator: /pn meeting move 8 December to 2026-12-10 15:00 UTC")

    printed = early.say("!advance 21d")

    reminders = [(s.at, s.first) for s in scheduled(printed) if s.first.startswith("Reminder")]
    assert reminders == [
        (
            "2026-12-09 15:00 UTC",
            "Reminder: the pn-ai meeting is tomorrow, Thu 10 Dec 2026, 15:00 UTC (16:00 Europe/Paris). Open to observers; `agenda` shows the agenda.",
        ),
        (
            "2026-12-10 14:00 UTC",
            "Reminder: the pn-ai meeting is in one hour, Thu 10 Dec 2026, 15:00 UTC (16:00 Europe/Paris). Open to observers; `agenda` shows the agenda.",
        ),
    ]


def test_a_paris_series_stays_at_13_paris_time_across_the_end_of_summer_time(app):
    chat = Transcript(app, now=datetime(2027, 10, 1, 9, 0, tzinfo=UTC))
    chat.say("!group pn-ai")
    chat.say("!roster-import roster.csv")
    chat.say(SCHEDULE)

    listing = the_reply(chat.say("@hugo: /pn meetings")).splitlines()
    printed = chat.say("!advance 40d")

    assert listing[1:4] == [
        f"  Tue 12 Oct 2027, 11:00 UTC (13:00 Europe/Paris), 90 min, {LINK}",
        f"  Tue 9 Nov 2027, 12:00 UTC (13:00 Europe/Paris), 90 min, {LINK}",
        f"  Tue 14 Dec 2027, 12:00 UTC (13:00 Europe/Paris), 90 min, {LINK}",
    ]
    hour_before = [s.at for s in scheduled(printed) if "in one hour" in s.first]
    assert hour_before == ["2027-10-12 10:00 UTC", "2027-11-09 11:00 UTC"]
