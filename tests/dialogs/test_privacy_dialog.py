"""A public/private line per record: a meeting closed to observers, a poll whose voters are
named to the facilitator alone, and both kept through an export and an import."""

from __future__ import annotations

from support import bot_replies, said, snapshot

from bot.app import build
from bot.config import Settings
from storage.archive import export, restore

NEXT = "Tue 12 Jan 2027, 12:00 UTC"
REASON = "the rotation leaves out small delegations"


def the_reply(printed: str) -> str:
    replies = bot_replies(printed)
    assert len(replies) == 1, printed
    return replies[0]


def setup(transcript) -> None:
    transcript.say(
        """
        !roster-import roster.csv
        @facilitator: /pn member add @olga group=government region=eastern-europe gender=woman org="Observer Institute" role=observer
        @facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Paris duration=90 link=https://meet.example.org/pn-ai
        !now 2026-12-08 14:00 UTC
        """
    )


# private meetings ---------------------------------------------------------------------------


def test_a_meeting_added_private_shows_its_link_to_members_only(transcript):
    setup(transcript)

    added = the_reply(
        transcript.say(
            "@facilitator: /pn meeting add 2027-01-20 14:00 UTC "
            "link=https://meet.example.org/closed private=yes"
        )
    )

    assert added == (
        "Added a pn-ai meeting: Wed 20 Jan 2027, 14:00 UTC, 90 min, "
        "https://meet.example.org/closed, private (members only)."
    )
    for_member = the_reply(transcript.say("@amina: /pn meetings"))
    for_observer = the_reply(transcript.say("@olga: /pn meetings"))
    assert "  Wed 20 Jan 2027, 14:00 UTC (17:00 Africa/Nairobi), 90 min, " in for_member
    assert "https://meet.example.org/closed, private (members only)" in for_member
    assert "  Wed 20 Jan 2027, 14:00 UTC, 90 min, private (members only)" in for_observer
    assert "closed" not in for_observer.replace("closed to", "")
    # the series' open meetings keep their link for everyone
    assert "https://meet.example.org/pn-ai" in for_observer


def test_the_room_hears_of_a_private_meeting_but_not_its_link_or_agenda(transcript):
    setup(transcript)
    transcript.say(
        """
        @facilitator: /pn meeting private 12 January on
        @amina: /pn agenda add Review the draft outline
        """
    )
    printed = transcript.say("@facilitator: /pn agenda approve")
    printed += "".join(transcript.say(f"!advance {d}") for d in ("30d", "3d", "1d", "22h"))
    room = [s.text for s in said(printed) if s.where == "#pn-ai" and NEXT in s.text]

    # (an approved agenda needs no call for items) the agenda five days before, the reminders
    # a day and an hour before, and the Start minutes button when it begins
    kinds = ["Approved", "The", "Reminder:", "Reminder:", "The"]
    assert [t.split(" ")[0] for t in room] == kinds, room
    for text in room[1:]:
        assert "meet.example.org" not in text
        assert "Open to observers" not in text
    for text in room[1:4]:
        assert "private (members only)" in text
    agenda = the_reply(transcript.say("@amina: /pn agenda"))
    assert "Review the draft outline" in agenda
    assert "https://meet.example.org/pn-ai" in agenda


def test_meeting_private_closes_a_meeting_and_opens_it_again(transcript):
    setup(transcript)

    closed = the_reply(transcript.say("@facilitator: /pn meeting private 12 January on"))
    refused = the_reply(transcript.say("@olga: /pn agenda"))
    opened = the_reply(transcript.say("@facilitator: /pn meeting private 12 January off"))

    assert closed == f"The pn-ai meeting of {NEXT} is private: closed to observers."
    assert refused == f"The meeting of {NEXT} is private: its agenda is for the group's members."
    assert opened == f"The pn-ai meeting of {NEXT} is open to observers."
    assert the_reply(transcript.say("@olga: /pn agenda")).startswith(
        f"Agenda (draft) for the meeting of {NEXT}"
    )
    audit = the_reply(transcript.say("@facilitator: /pn audit"))
    assert "meeting private" in audit


def test_a_bad_privacy_value_is_refused_and_changes_nothing(app, transcript):
    setup(transcript)
    before = snapshot(app.engine)

    on_add = the_reply(
        transcript.say("@facilitator: /pn meeting add 2027-01-20 14:00 UTC private=maybe")
    )
    on_switch = the_reply(transcript.say("@facilitator: /pn meeting private 12 January maybe"))
    on_poll = the_reply(transcript.say('@facilitator: /pn poll "Rotate?" anonymous=perhaps'))

    assert on_add == "`private=maybe` should be yes or no."
    assert on_switch == "Say the date, then on or off: `meeting private 12 January on`."
    assert on_poll == "`anonymous=perhaps` should be yes or no."
    assert snapshot(app.engine) == before


# anonymous polls ----------------------------------------------------------------------------


def anonymous_poll(transcript) -> str:
    """Poll 1, anonymous: @amina blocks, @chen agrees, observer @olga gives a view; closed."""
    setup(transcript)
    return transcript.say(
        f"""
        @facilitator: /pn poll "Should the chair rotate?" closes=2d anonymous=yes
        @amina: /pn vote 1 block {REASON}
        @chen: /pn vote 1 agree
        @olga: /pn vote 1 disagree too early
        @facilitator: /pn poll close 1
        """
    )


def test_an_anonymous_poll_posts_its_tally_without_names(transcript):
    printed = anonymous_poll(transcript)

    posts = [s.text for s in said(printed) if s.post]
    opened, closed = posts[0], posts[-1]
    assert opened.splitlines()[1] == (
        "Anonymous: every vote is counted; only the facilitator sees who voted what."
    )
    assert "Votes: agree 1, abstain 0, disagree 0, block 1." in closed
    assert f"Dissent, block: (name withheld): {REASON}" in closed
    assert "@amina" not in closed and "@chen" not in closed and "@olga" not in closed
    voted = [s.text for s in said(printed) if s.only == "amina"]
    assert voted == [
        "Your vote on poll 1 is block. The poll is anonymous: only the facilitator sees who "
        "voted what."
    ]


def test_only_the_facilitator_reads_who_voted_what(transcript):
    anonymous_poll(transcript)
    transcript.say('@facilitator: /pn outcome 1 no-consensus "One block stands"')

    for who in ("amina", "chen", "olga"):
        shown = the_reply(transcript.say(f"@{who}: /pn poll show 1"))
        decided = the_reply(transcript.say(f"@{who}: /pn decisions"))
        assert f"Dissent, block: (name withheld): {REASON}" in shown, who
        assert f"dissent (block) (name withheld): {REASON}" in decided, who
        assert "@amina" not in shown + decided, who
    shown = the_reply(transcript.say("@facilitator: /pn poll show 1"))
    decided = the_reply(transcript.say("@facilitator: /pn decisions"))
    assert f"Dissent, block: @amina: {REASON}" in shown
    assert f"dissent (block) @amina: {REASON}" in decided


def test_a_poll_opened_without_anonymous_names_its_dissent_as_before(transcript):
    setup(transcript)
    printed = transcript.say(
        f"""
        @facilitator: /pn poll "Should the chair rotate?" closes=2d
        @amina: /pn vote 1 block {REASON}
        @facilitator: /pn poll close 1
        """
    )

    closed = [s.text for s in said(printed) if s.post][-1]
    assert f"Dissent, block: @amina: {REASON}" in closed
    assert "Anonymous" not in closed


# export -------------------------------------------------------------------------------------


def test_private_meetings_and_anonymous_polls_survive_an_export_and_an_import(
    app, transcript, tmp_path
):
    anonymous_poll(transcript)
    transcript.say("@facilitator: /pn meeting private 12 January on")
    with app.store() as uow:
        first = export(uow.session)
    [group] = first["groups"]
    assert [m["private"] for m in group["meetings"][:3]] == [False, True, False]
    assert [p["anonymous"] for p in group["polls"]] == [True]

    twin = build(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'twin.db'}",
            facilitators=frozenset({"facilitator"}),
        )
    )
    with twin.store() as uow:
        restore(uow.session, first)
        uow.commit()
    with twin.store() as uow:
        again = export(uow.session)
    twin.engine.dispose()

    assert again == first
