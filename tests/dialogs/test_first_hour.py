"""A new facilitator's first hour: command groups named alone, near-miss roster values, time
zones as people type them, dates that cannot be or are too far, and input that would pass
for something else. Every refusal says what to do and leaves the database as it was.

The clock starts on Tuesday 1 December 2026 at 09:00 UTC; the group meets on the second
Tuesday at 13:00 Paris time (8 December 2026 is 12:00 UTC, for 90 minutes).
"""

from __future__ import annotations

import pytest
from support import SCHEDULE, said, snapshot

from handlers.base import ROLES
from handlers.composition import CAPACITIES, GENDERS, REGIONS, STAKEHOLDER_GROUPS

OK_OPTIONS = 'group=civil-society region=africa gender=woman org="Data Rights Lab"'


def the_reply(printed: str) -> str:
    replies = said(printed)
    assert len(replies) == 1, printed
    return replies[0].text


@pytest.fixture
def chat(transcript):
    """pn-ai with the example roster and its monthly meetings."""
    transcript.say(
        f"""
        !roster-import roster.csv
        {SCHEDULE}
        """
    )
    return transcript


def refused(app, chat, line: str) -> str:
    """The reply to `line`, checking that it changed nothing."""
    before = snapshot(app.engine)
    text = the_reply(chat.say(line))
    assert snapshot(app.engine) == before, text
    return text


def zone_of(app, handle: str) -> str | None:
    with app.store() as uow:
        member = uow.members.get(uow.groups.named("pn-ai").id, handle)
        return member.timezone if member else None


# command groups -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "lead", "usages"),
    [
        (
            "/pn member",
            "`member` needs one of these:",
            ["`member add @user group=", "`member remove @user", "`member show"],
        ),
        (
            "/pn meeting",
            "`meeting` needs one of these:",
            ["`meeting add <datetime...>", "`meeting cancel <date...>", "`meeting schedule"],
        ),
        (
            "/pn member rename @amina Amina",
            "There is no `member rename`. The `member` commands are:",
            ["`member add @user", "`member show"],
        ),
    ],
)
def test_a_command_group_named_alone_answers_with_its_commands(app, chat, line, lead, usages):
    text = refused(app, chat, f"@facilitator: {line}")

    assert text.startswith(lead)
    assert "I don't know the command" not in text
    for usage in usages:
        assert usage in text


# the roster's vocabularies --------------------------------------------------------------------


def test_every_bad_value_of_member_add_is_reported_at_once_with_what_was_meant(app, chat):
    text = refused(
        app,
        chat,
        "@facilitator: /pn member add @uma group=technical region=latin-america gender=male "
        'org="Data Rights Lab" role=comoderator capacity=individual tz=europe/geneva',
    )

    assert text.startswith("6 values need fixing:")
    for typed, meant in [
        ("comoderator", "co-moderator"),
        ("technical", "technical-community"),
        ("latin-america", "latin-america-caribbean"),
        ("male", "man"),
        ("individual", "personal"),
    ]:
        assert f"`{typed}` is not a" in text
        assert f"Did you mean `{meant}`?" in text
    assert "`europe/geneva` is not a time zone I know (IANA names). Did you mean Europe/Zurich" in (
        text
    )


def test_help_member_add_lists_every_vocabulary(chat):
    text = the_reply(chat.say("@facilitator: /pn help member add"))

    for value in (*STAKEHOLDER_GROUPS, *REGIONS, *GENDERS, *CAPACITIES, *ROLES):
        assert value in text, value


# time zones -----------------------------------------------------------------------------------


def test_a_zone_name_is_read_in_any_case_and_kept_in_its_own(app, chat):
    text = the_reply(chat.say("@amina: /pn tz europe/paris"))

    assert text == "Your time zone is now Europe/Paris."
    assert zone_of(app, "amina") == "Europe/Paris"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("@amina: /pn tz Europe/Geneva", "Did you mean Europe/Zurich"),
        ("@amina: /pn tz America", "`America` is a region, not a time zone"),
        ("@amina: /pn tz America/Argentina", "America/Argentina/Buenos_Aires"),
        ("@amina: /pn tz Asia", "`Asia` is a region, not a time zone"),
        (f"@facilitator: /pn member add @uma {OK_OPTIONS} tz=Asia", "is a region"),
        (
            "@facilitator: /pn meeting schedule monthly on day 10 at 15:00 tz=America",
            "is a region",
        ),
    ],
)
def test_a_zone_that_is_no_zone_is_refused_with_real_ones_to_use(app, chat, line, expected):
    text = refused(app, chat, line)

    assert expected in text
    assert "Europe/Geneva or" not in text and "as Europe/Geneva" not in text
    assert "Something went wrong" not in text


def test_the_facilitator_sets_their_zone_without_joining_the_roster(app, chat):
    with app.store() as uow:
        roster = [m.handle for m in uow.members.all(uow.groups.named("pn-ai").id)]

    assert the_reply(chat.say("@facilitator: /pn tz Asia/Tokyo")) == (
        "Your time zone is now Asia/Tokyo."
    )
    assert the_reply(chat.say("@facilitator: /pn tz")) == "Your time zone is Asia/Tokyo."
    added = the_reply(chat.say("@facilitator: /pn meeting add 24 March 2027 15:00"))

    assert added.startswith("Added a pn-ai meeting: Wed 24 Mar 2027, 06:00 UTC (15:00 Asia/Tokyo)")
    with app.store() as uow:
        assert [m.handle for m in uow.members.all(uow.groups.named("pn-ai").id)] == roster
    # a member's zone is theirs alone
    assert the_reply(chat.say("@chen: /pn tz")) == "Your time zone is Asia/Shanghai."


# meetings and polls ---------------------------------------------------------------------------


def test_a_one_off_meeting_takes_the_zone_it_is_given(chat):
    text = the_reply(chat.say("@facilitator: /pn meeting add 24 March 2027 15:00 tz=Europe/Zurich"))

    assert text.startswith("Added a pn-ai meeting: Wed 24 Mar 2027, 14:00 UTC")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/pn meeting add 20 January 2027", "`20 January 2027` has a date but no time: add one"),
        ('/pn poll "Shall we meet in March?" closes=yesterday', "Mon 30 Nov 2026 is in the past."),
        ("/pn poll rules blocks=-1", "`blocks=-1` must be 0 or more."),
        ("/pn meeting add 31 December 9999 20:00 UTC", "is more than 5 years ahead"),
        ("/pn meeting add 2 January 2032 20:00 UTC", "is more than 5 years ahead"),
        ("/pn meeting add 31 November 2027 20:00 UTC", "November has 30 days"),
        ("/pn meeting cancel 31 December 9999", "is more than 5 years ahead"),
    ],
)
def test_dates_without_time_in_the_past_too_far_or_impossible_say_so(app, chat, line, expected):
    text = refused(app, chat, f"@facilitator: {line}")

    assert expected in text


@pytest.mark.parametrize("command", ["away 8 December", "back 8 December"])
def test_apologies_for_a_meeting_that_has_ended_say_it_has_ended(app, chat, command):
    chat.say("!now 2026-12-08 15:00 UTC")

    text = refused(app, chat, f"@amina: /pn {command}")

    assert text == "The meeting of Tue 8 Dec 2026, 12:00 UTC (15:00 Africa/Nairobi) has ended."


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("away 31 November", "`31 November` is not a date: November has 30 days."),
        ("away 31 December 9999 at the IGF", "is more than 5 years ahead"),
    ],
)
def test_an_apology_for_an_impossible_or_far_date_is_refused(app, chat, command, expected):
    text = refused(app, chat, f"@amina: /pn {command}")

    assert text.startswith(expected) or expected in text


# recurring rules ------------------------------------------------------------------------------

RRULE = "@facilitator: /pn meeting schedule at 13:00 rrule="


@pytest.mark.parametrize("freq", ["MINUTELY", "HOURLY", "SECONDLY"])
def test_a_rule_finer_than_daily_is_refused(app, chat, freq):
    text = refused(app, chat, f"{RRULE}FREQ={freq}")

    assert f"`FREQ={freq}` would hold meetings more often than once a day" in text


def test_a_rule_with_more_meetings_than_a_group_holds_is_refused(app, chat):
    text = refused(app, chat, f"{RRULE}FREQ=DAILY")

    assert text == (
        "That rule gives 400 meetings in the coming 400 days; a series holds at most 120 "
        "(about two a week)."
    )


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("FREQ=MONTHLY;BYMONTHDAY=1;BYDAY=5MO", "That rule gives no meeting in the coming year."),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "never happens: none of its months has that day"),
    ],
)
def test_an_impossible_rule_is_refused(app, chat, rule, expected):
    assert expected in refused(app, chat, f"{RRULE}{rule}")


# what passes for something else ---------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "@amina: /pn agenda add Review the \u202eeltit desrever",
        '@facilitator: /pn poll "Shall we \u2067meet\u2069 in March?"',
        "@amina: /pn raise New rules on \u202dAI audits",
    ],
)
def test_a_direction_control_in_a_title_is_refused(app, chat, line):
    text = refused(app, chat, line)

    assert "invisible direction control (U+20" in text
    assert "type it again without it" in text


def test_a_handle_that_mixes_scripts_to_look_like_a_member_is_refused(app, chat):
    text = refused(app, chat, f"@facilitator: /pn member add @\u0430mina {OK_OPTIONS}")

    assert text.startswith("`\u0430mina` mixes letters of several scripts (cyrillic, latin)")


def test_a_handle_that_reads_as_a_member_of_the_roster_is_refused(app, chat):
    chat.say(f"@facilitator: /pn member add @ace {OK_OPTIONS}")

    text = refused(app, chat, f"@facilitator: /pn member add @\u0430\u0441\u0435 {OK_OPTIONS}")

    assert text == (
        "`\u0430\u0441\u0435` looks like @ace, who is already on the roster; use a handle that "
        "reads differently."
    )


# objections by reaction -----------------------------------------------------------------------


def objections_of(app) -> list[tuple[str, str | None, str]]:
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        ids = [r.id for r in uow.outreach.all(group.id)]
        return [(o.member, o.reason, o.status) for o in uow.objections.for_outreach(ids)]


@pytest.fixture
def objected(app, chat):
    """@amina's RightsCon announcement (post b1), and @chen's :no_entry: on it."""
    printed = chat.say("@amina: I'll be presenting our work at RightsCon on 5 May in Taipei")
    assert [s.post for s in said(printed) if s.post] == ["b1"], printed
    chat.say("@chen react :no_entry: b1")
    assert objections_of(app) == [("chen", None, "awaiting-reason")]
    return chat


def test_an_objection_given_a_reason_stands_when_its_reaction_is_removed(app, objected):
    objected.say("@chen dm: object 1 the sponsor is a vendor we assess")

    text = the_reply(objected.say("@chen unreact :no_entry: b1"))

    assert text == (
        "Your objection 1 to outreach 1 stands: it has a reason. To take it back: `withdraw 1`."
    )
    assert objections_of(app) == [("chen", "the sponsor is a vendor we assess", "standing")]


def test_someone_else_removing_the_reaction_withdraws_nothing(app, objected):
    # On Matrix a moderator's redaction of @chen's reaction arrives as the moderator's
    # removal (tests/transports/matrix/test_matrix_redaction.py).
    assert said(objected.say("@bruno unreact :no_entry: b1")) == []
    assert objections_of(app) == [("chen", None, "awaiting-reason")]
