"""Minutes and action items taken in the meeting itself, through the console.

The group meets on the second Tuesday at 13:00 Paris time: Tuesday 8 December 2026 and
Tuesday 12 January 2027, both at 12:00 UTC. Its agenda holds two items; chen sent apologies.
bruno is a co-moderator, so he chairs with the facilitator; amina, dana and elif are members.
"""

from __future__ import annotations

import json

import pytest
from support import DECEMBER, SCHEDULE, dms, said, snapshot, the_reply

from handlers.events import strip_marks
from handlers.minutes_render import data as minutes_data
from handlers.minutes_render import render
from storage.archive import export, restore
from storage.engine import make_engine, upgrade
from storage.uow import Store

JANUARY = "Tue 12 Jan 2027, 12:00 UTC"
NAIROBI = f"{DECEMBER} (15:00 Africa/Nairobi)"  # amina's own zone, in what she alone reads
BEFORE_START = "!now 2026-12-08 11:59 UTC\n!advance 1m"
# Five minutes into the meeting, after the tick that posted the Start minutes button.
FIVE_PAST = "!now 2026-12-08 12:04 UTC\n!advance 1m"


@pytest.fixture
def chat(transcript):
    """pn-ai with the example roster, its monthly series, two agenda items and an apology."""
    transcript.say(
        f"""
        !roster-import roster.csv
        {SCHEDULE}
        @amina: /pn agenda add Review the outline of the annual output
        @hugo: /pn agenda add Outreach plan for the IGF
        @chen: /pn away 8 December travelling
        """
    )
    return transcript


@pytest.fixture
def meeting(chat):
    """The December meeting, its minutes opened by the facilitator with the button."""
    chat.say(BEFORE_START)
    chat.say("@facilitator click minutes.start 1")
    return chat


def minutes_of(app, fmt: str = "md", numbered: bool = False) -> str:
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        taken = uow.minutes.all(group.id)[-1]
        return render(minutes_data(uow, group, taken, taken.started_at, numbered), fmt)


# -- opening the minutes ------------------------------------------------------------------------
def test_the_start_minutes_button_is_posted_when_the_meeting_starts(chat):
    printed = chat.say(BEFORE_START)

    posts = [s for s in said(printed) if s.post]
    assert [(p.at, p.first) for p in posts][-1] == (
        "2026-12-08 12:00 UTC",
        f"The meeting of {DECEMBER} is starting. A chair opens the minutes with the button or "
        "`meeting start`; then tag lines with #topic, #info, #link, #idea, #action @who, #agreed.",
    )
    assert posts[-1].lines[-1] == "[Start minutes: click minutes.start 1]"


def test_the_button_opens_the_minutes_with_the_apologies_and_the_first_agenda_item(chat):
    chat.say(BEFORE_START)

    answer = the_reply(chat.say("@facilitator click minutes.start 1"))

    assert answer.lines == [
        f"Minutes open for the pn-ai meeting of {DECEMBER}, chaired by @facilitator. Tag lines: "
        "#topic, #info, #link, #idea, #action @who, #agreed (chairs), #undo. Silent attendees: "
        "`here`. `meeting end` closes the minutes.",
        "Apologies: @chen.",
        "Topic 1 (agenda item 1): Review the outline of the annual output",
    ]


def test_a_co_moderator_opens_the_minutes_by_command(chat):
    chat.say(FIVE_PAST)

    answer = the_reply(chat.say("@bruno: /pn meeting start"))

    assert answer.first.startswith(
        f"Minutes open for the pn-ai meeting of {DECEMBER}, chaired by @bruno."
    )


def test_a_member_cannot_open_the_minutes_and_nothing_changes(app, chat):
    chat.say(FIVE_PAST)
    before = snapshot(app.engine)

    answer = the_reply(chat.say("@amina: /pn meeting start"))

    assert answer.only == "amina"
    assert answer.text.startswith("The facilitator or a co-moderator opens the minutes")
    assert snapshot(app.engine) == before


def test_with_no_meeting_near_meeting_start_opens_an_ad_hoc_one(chat):
    chat.say("!now 2026-12-15 15:59 UTC\n!advance 1m")

    answer = the_reply(chat.say("@bruno: /pn meeting start"))

    assert answer.first.startswith(
        "Minutes open for the pn-ai meeting of Tue 15 Dec 2026, 16:00 UTC, chaired by @bruno."
    )
    # no agenda, so no first topic
    assert len(answer.lines) == 1


def test_the_minutes_of_a_meeting_are_opened_once(meeting):
    answer = the_reply(meeting.say("@bruno: /pn meeting start"))

    assert answer.text == (
        f"The minutes of the meeting of {DECEMBER} (09:00 America/Montevideo) are open already; "
        "`meeting end` closes them."
    )


def test_a_tagged_line_with_no_meeting_open_says_so_privately(chat):
    answer = the_reply(chat.say("@amina: #info The consultation closes in January"))

    assert answer.only == "amina"
    assert answer.text.startswith("No meeting is open, so that tagged line goes into no minutes.")


# -- the meeting ---------------------------------------------------------------------------------
WHOLE_MEETING = """
@amina: #info The consultation closes on 15 January
@bruno: #link https://example.org/outline-v2 The second draft
@dana: #idée Invite the regional IGFs to comment
@bruno: #acuerdo The outline goes to public comment in January
@amina: #info a line amina takes back
@amina: #undo
@facilitator: #sujet
@bruno: #acción @amina @elif Draft the outreach summary due=20 December
@farid: good afternoon, all
@grace: /pn here
"""


def test_a_whole_meeting_gives_minutes_by_topic_and_action_items_by_person(app, meeting):
    printed = meeting.say(WHOLE_MEETING)
    replies = [s.text for s in said(printed)]
    assert replies == [
        "Decision 1 recorded: The outline goes to public comment in January\n"
        "If members who were absent should have their say, a chair can send it to a consensus "
        "poll instead.\n[Confirm by poll: click minutes.poll 1]",
        "Undone: #info a line amina takes back",
        "Topic 2 (agenda item 2): Outreach plan for the IGF",
        "Action items 1 for @amina; 2 for @elif: Draft the outreach summary, due Sun 20 Dec 2026",
        "Noted: you are present.",
    ]

    end = meeting.say("@facilitator: /pn meeting end")

    (room,) = [s for s in said(end) if s.post]
    assert room.first == (
        f"Minutes of the pn-ai meeting of {DECEMBER} (draft): 2 topics, 1 decision, "
        "2 action items, 5 present. Review until Fri 11 Dec 2026, 12:00 UTC: `minutes` shows "
        "them, `minutes correct <text>` sends a correction to the facilitator."
    )
    assert room.lines[2:] == [
        f"MINUTES OF THE PN-AI MEETING OF {DECEMBER}",
        "Draft, open to corrections until Fri 11 Dec 2026, 12:00 UTC.",
        "Chairs: @facilitator",
        "Present: @amina, @bruno, @dana, @farid, @grace",
        "Apologies: @chen",
        "Absent: @elif, @hugo, @ines, @jonas, @kemi, @lena, @marco, @nadia, @omar, @paula, "
        "@quentin, @rosa, @sami, @tomas",
        "",
        "Review the outline of the annual output",
        "  * INFO: The consultation closes on 15 January (@amina)",
        "  * LINK: https://example.org/outline-v2 The second draft (@bruno)",
        "  * IDEA: Invite the regional IGFs to comment (@dana)",
        "  * AGREED (decision 1): The outline goes to public comment in January",
        "",
        "Outreach plan for the IGF",
        "  * ACTION @amina @elif: Draft the outreach summary (due Sun 20 Dec 2026)",
        "",
        "ACTION ITEMS BY PERSON",
        "@amina",
        "  1. Draft the outreach summary (due Sun 20 Dec 2026)",
        "@elif",
        "  2. Draft the outreach summary (due Sun 20 Dec 2026)",
    ]
    letters = dms(end)
    assert letters["facilitator"][0].startswith(
        "The draft minutes of the pn-ai meeting, for review until Fri 11 Dec 2026, 12:00 UTC."
    )
    assert "## [7] Outreach plan for the IGF" in letters["facilitator"][0]
    assert letters["amina"] == [
        f"Your action items from the pn-ai meeting of {DECEMBER}:\n"
        "  1. Draft the outreach summary, due Sun 20 Dec 2026\n"
        "When one is done: `action done <n> [note]`."
    ]
    assert list(letters) == ["facilitator", "amina", "elif"]


def test_everyone_who_spoke_is_recorded_present_in_the_attendance_record(meeting):
    meeting.say(WHOLE_MEETING)
    meeting.say("@facilitator: /pn meeting end")
    meeting.say("!advance 2h")

    answer = the_reply(meeting.say("@facilitator: /pn attendance 8 December"))

    assert answer.lines[1:3] == [
        "  attended: @amina, @bruno, @dana, @farid, @grace",
        "  apologies: @chen",
    ]


def test_the_minutes_render_as_markdown_html_and_text(app, meeting):
    meeting.say(WHOLE_MEETING)
    meeting.say("@amina: #info Beware of <script>alert(1)</script> & friends")
    meeting.say("@facilitator: /pn meeting end")

    markdown = minutes_of(app, "md")
    html = minutes_of(app, "html")
    text = minutes_of(app, "txt")

    assert markdown.startswith(f"# Minutes of the pn-ai meeting of {DECEMBER}\n")
    assert "## Outreach plan for the IGF" in markdown
    assert "- LINK: <https://example.org/outline-v2> The second draft (@bruno)" in markdown
    assert "- **AGREED** (decision 1): The outline goes to public comment in January" in markdown
    assert (
        "## Action items by person\n\n### @amina\n\n- Item 1: Draft the outreach summary"
        in markdown
    )
    assert '<a href="https://example.org/outline-v2">The second draft</a>' in html
    assert "Beware of &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in html
    assert "<script>" not in html
    assert text.splitlines()[0] == f"MINUTES OF THE PN-AI MEETING OF {DECEMBER}"
    # the chat command gives the same minutes
    shown = the_reply(meeting.say("@amina: /pn minutes format=md"))
    assert shown.text == markdown.rstrip("\n")


def test_a_non_chairs_agreed_is_refused_clearly_and_changes_nothing(app, meeting):
    meeting.say("@dana: #info dana is present")
    before = snapshot(app.engine)

    answer = the_reply(meeting.say("@dana: #accord We publish the outline"))

    assert answer.only == "dana"
    assert answer.text == (
        "Only a chair records a decision with #agreed (the facilitator, a co-moderator, or "
        "someone made chair with `chair @x`). Say it as `#idea <text>`, or ask the chair to "
        "record it."
    )
    assert snapshot(app.engine) == before


def test_a_chair_named_for_the_meeting_records_decisions(meeting):
    meeting.say("@facilitator: /pn chair @amina")

    answer = the_reply(meeting.say("@amina: #agreed The outline goes to public comment"))

    assert answer.first == "Decision 1 recorded: The outline goes to public comment"


def test_undo_takes_back_ones_own_last_line_and_a_chair_takes_back_anyones(app, meeting):
    meeting.say(
        """
        @amina: #info first of amina
        @dana: #action @dana Circulate the paper
        """
    )

    own = the_reply(meeting.say("@amina: #undo"))
    chairs = the_reply(meeting.say("@bruno: #undo"))
    nothing = the_reply(meeting.say("@amina: #undo"))

    assert own.text == "Undone: #info first of amina"
    assert chairs.text == "Undone: #action Circulate the paper"
    assert nothing.text == "You have no tagged line in this meeting to undo."
    with app.store() as uow:
        assert [(a.owner, a.status) for a in uow.actions.of_group(1)] == [("dana", "withdrawn")]


def test_an_action_for_someone_off_the_roster_records_nothing(app, meeting):
    before = snapshot(app.engine)

    answer = the_reply(meeting.say("@bruno: #action @amina @zoe Draft the summary"))

    assert answer.text.startswith("@zoe is not on the roster of pn-ai;")
    assert snapshot(app.engine) == before


def test_an_action_without_a_person_says_how_to_write_one(meeting):
    answer = the_reply(meeting.say("@bruno: #action Draft the summary"))

    assert answer.text == (
        "An action names who does it, then what: "
        "`#action @amina @bruno Draft the summary due=2026-12-20`."
    )


def test_a_tagged_line_in_a_thread_is_answered_in_that_thread(meeting):
    answer = the_reply(meeting.say("@bruno thread b1: #topic Any other business"))

    assert answer.where == "#pn-ai"
    assert answer.thread == "b1"
    assert answer.text == "Topic 2: Any other business"


def test_a_decision_goes_to_a_consensus_poll_by_its_button(meeting):
    meeting.say("@bruno: #agreed The outline goes to public comment")

    refused = the_reply(meeting.say("@amina click minutes.poll 1"))
    printed = meeting.say("@bruno click minutes.poll 1")

    assert refused.text == "Only a chair sends a meeting's decision to a consensus poll."
    assert said(printed)[0].text.startswith("Decision 1 goes to consensus poll 1")
    assert any(
        s.post and s.first == "Poll 1: The outline goes to public comment" for s in said(printed)
    )
    meeting.say("@facilitator: /pn meeting end")
    decisions = the_reply(meeting.say("@amina: /pn decisions"))
    assert decisions.lines == [
        "Decisions:",
        f"  Meeting decision 1, agreed in the meeting of {NAIROBI}, sent to poll 1: "
        "The outline goes to public comment",
    ]


def test_the_decisions_register_lists_those_taken_in_meetings(meeting):
    meeting.say("@bruno: #agreed The outline goes to public comment")
    meeting.say("@facilitator: /pn meeting end")

    answer = the_reply(meeting.say("@amina: /pn decisions"))

    assert answer.lines == [
        "Decisions:",
        f"  Meeting decision 1, taken in the meeting of {NAIROBI} (minutes draft): "
        "The outline goes to public comment",
    ]


# -- review and approval -------------------------------------------------------------------------
def ended(meeting):
    meeting.say(WHOLE_MEETING)
    meeting.say("@facilitator: /pn meeting end")
    return meeting


def test_a_correction_reaches_the_facilitator_who_edits_and_approves(meeting):
    ended(meeting)

    sent = meeting.say("@amina: /pn minutes correct The link is to the second draft, v2")
    closed = meeting.say("!advance 3d")
    edit = the_reply(meeting.say("@facilitator: /pn minutes edit 3 The second draft (v2)"))
    approved = meeting.say("@facilitator: /pn minutes approve")

    assert said(sent)[0].text == (
        "Sent to the facilitator. The minutes wait for their approval now, not the window's end."
    )
    assert dms(sent)["facilitator"][0].startswith(
        f"Correction 1 to the minutes of the pn-ai meeting of {DECEMBER}, from @amina: "
        "The link is to the second draft, v2"
    )
    # the window closes with the correction standing: no approval, the facilitator is told
    assert not [s for s in said(closed) if s.post]
    assert dms(closed)["facilitator"] == [
        f"The review window of the pn-ai minutes of {DECEMBER} closed with 1 correction "
        "standing:\n  1. @amina: The link is to the second draft, v2\n"
        "Edit with `minutes edit <line> <text>`, then `minutes approve`."
    ]
    assert edit.text == "Line 3 now reads: The second draft (v2)"
    (post,) = [s for s in said(approved) if s.post]
    assert post.text == f"The minutes of the pn-ai meeting of {DECEMBER} are approved."
    shown = the_reply(meeting.say("@amina: /pn minutes"))
    assert shown.lines[1] == "Approved by @facilitator, Fri 11 Dec 2026, 12:00 UTC."
    assert "  * LINK: https://example.org/outline-v2 The second draft (v2) (@bruno)" in shown.lines


def test_with_no_correction_the_minutes_are_approved_when_the_window_closes(meeting):
    ended(meeting)

    printed = meeting.say("!advance 3d")

    (post,) = [s for s in said(printed) if s.post]
    assert (post.at, post.text) == (
        "2026-12-11 12:00 UTC",
        f"The minutes of the pn-ai meeting of {DECEMBER} are approved: no correction stood "
        "when the review window closed.",
    )


def test_a_correction_after_the_window_is_refused(meeting):
    ended(meeting)
    meeting.say("!advance 3d")

    answer = the_reply(meeting.say("@amina: /pn minutes correct too late"))

    assert answer.text.startswith(f"The minutes of {NAIROBI} are approved;")


def test_the_review_window_is_set_per_group(meeting):
    meeting.say("@facilitator: /pn minutes window 48h")
    printed = meeting.say(WHOLE_MEETING + "\n@facilitator: /pn meeting end")

    assert (
        "Review until Thu 10 Dec 2026, 12:00 UTC" in [s for s in said(printed) if s.post][0].first
    )


def test_a_member_cannot_approve_or_edit(meeting):
    ended(meeting)

    answer = the_reply(meeting.say("@amina: /pn minutes approve"))

    assert answer.text == "Only the facilitator can use `minutes approve`; you are a member."


# -- action items --------------------------------------------------------------------------------
def test_action_items_are_listed_done_reassigned_and_given_dates(meeting):
    ended(meeting)

    mine = the_reply(meeting.say("@amina: /pn actions"))
    done = the_reply(meeting.say("@elif: /pn action done 2 sent to the list"))
    not_hers = the_reply(meeting.say("@dana: /pn action due 1 18 December"))
    moved = the_reply(meeting.say("@bruno: /pn action reassign 1 @dana"))
    due = the_reply(meeting.say("@dana: /pn action due 1 18 December"))
    everyone = the_reply(meeting.say("@facilitator: /pn actions all"))

    assert mine.lines == [
        "Your open action items:",
        "  1. @amina: Draft the outreach summary, due Sun 20 Dec 2026",
        "Done? `action done <n> [note]`.",
    ]
    assert done.text == "Action item 2 is done: Draft the outreach summary"
    assert not_hers.text.startswith("Action item 1 is @amina's;")
    assert moved.text == (
        "Action item 1 goes to @dana now (was @amina): Draft the outreach summary"
    )
    assert due.text == "Action item 1 is due Fri 18 Dec 2026: Draft the outreach summary"
    assert everyone.lines[:2] == [
        "Open action items of pn-ai:",
        "  1. @dana: Draft the outreach summary, due Fri 18 Dec 2026",
    ]


def test_owners_are_reminded_on_the_due_date_and_three_days_before_the_next_meeting(meeting):
    ended(meeting)
    meeting.say("@elif: /pn action done 2")

    printed = meeting.say("!advance 32d")  # to 9 January, 12:00 UTC

    reminders = [(s.at, s.text) for s in said(printed) if s.where == "dm amina"]
    assert reminders == [
        (
            "2026-12-20 09:00 UTC",
            "Your action item 1 in pn-ai is due today: Draft the outreach summary\n"
            "Done? `action done 1 [note]`; another date: `action due 1 <date>`.",
        ),
        (
            "2027-01-09 12:00 UTC",
            f"The next pn-ai meeting is {JANUARY}, and your action item 1 is still open: "
            "Draft the outreach summary\n"
            "Done? `action done 1 [note]`; another date: `action due 1 <date>`.",
        ),
    ]
    assert "dm elif" not in {s.where for s in said(printed)}


def test_the_next_agenda_opens_with_the_minutes_and_a_review_of_action_items(meeting):
    ended(meeting)
    meeting.say("!advance 3d")
    meeting.say("@elif: /pn action done 2")

    answer = the_reply(meeting.say("@facilitator: /pn agenda"))

    assert answer.lines[:4] == [
        f"Agenda (draft) for the meeting of {JANUARY}:",
        "  Minutes of Tue 8 Dec 2026: approved Fri 11 Dec 2026, 12:00 UTC.",
        "  Review of action items:",
        "    1. @amina: Draft the outreach summary, due Sun 20 Dec 2026 — overdue",
    ]


# -- the record ----------------------------------------------------------------------------------
def test_the_export_keeps_minutes_actions_and_decisions_and_restores_them_exactly(
    app, meeting, tmp_path
):
    meeting.say("@bruno: #agreed The outline goes to public comment")
    ended(meeting)
    meeting.say("@amina: /pn minutes correct The link is v2")
    meeting.say("@facilitator: /pn minutes edit 4 The second draft (v2)")
    meeting.say("@elif: /pn action done 2 sent")

    with app.store() as uow:
        first = export(uow.session)
    engine = make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    upgrade(engine)
    with Store(engine)() as uow:
        restore(uow.session, first)
        uow.commit()
    with Store(engine)() as uow:
        second = export(uow.session)
    engine.dispose()

    assert json.dumps(second, sort_keys=True) == json.dumps(first, sort_keys=True)
    december = first["groups"][0]["meetings"][0]
    kept = december["minutes"]
    assert [(a["owner"], a["status"], a["line"]) for a in kept["actions"]] == [
        ("amina", "open", 9),
        ("elif", "done", 9),
    ]
    assert [(d["text"], d["status"]) for d in kept["decisions"]] == [
        ("The outline goes to public comment", "taken"),
        ("The outline goes to public comment in January", "taken"),
    ]
    assert kept["lines"][3]["edits"][0]["old"] == "The second draft"
    assert [c["status"] for c in kept["corrections"]] == ["standing"]
    register = first["groups"][0]["decisions"]
    assert [d["text"] for d in register] == [d["text"] for d in kept["decisions"]]
    assert strip_marks(json.dumps(first)) == json.dumps(first)


def test_a_private_meetings_minutes_are_summarised_in_the_room_and_kept_from_observers(chat):
    chat.say("@facilitator: /pn meeting private 8 December on")
    chat.say(BEFORE_START)
    chat.say("@facilitator click minutes.start 1")
    chat.say("@amina: #info Confidential point")

    printed = chat.say("@facilitator: /pn meeting end")
    refused = the_reply(chat.say("@visitor: /pn minutes"))
    member = the_reply(chat.say("@dana: /pn minutes"))

    (room,) = [s for s in said(printed) if s.post]
    assert "Confidential point" not in room.text
    assert len(room.lines) == 1
    assert refused.text == "That meeting was private: its minutes are for the group's members."
    assert "  * INFO: Confidential point (@amina)" in member.lines


def test_an_edited_tagged_line_adds_no_second_line(app, meeting):
    number = meeting.lines_fed + 1
    meeting.say("@amina: #info The consultation closes on 15 Janury")

    printed = meeting.say(f"@amina edit m{number}: #info The consultation closes on 15 January")

    assert [s for s in said(printed)] == []
    with app.store() as uow:
        (minutes,) = uow.minutes.all(1)
        infos = [ln.text for ln in uow.minutes.lines(minutes.id) if ln.kind == "info"]
    assert infos == ["The consultation closes on 15 Janury"]
