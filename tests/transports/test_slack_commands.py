"""Commands reach the core from Slack three ways, and the answers come back where they belong:
`/pn ...` (answered privately to its author), a mention of the bot in a channel, and a
direct message to the bot."""

from __future__ import annotations

import json

import pytest
from slackfake import AMINA, BRUNO, FACILITATOR, ROOM, START, FakeSlack, start_group

AMINA_DM = "DAMINA001"


def roster(core) -> list[str]:
    with core.store() as uow:
        return sorted(m.handle for m in uow.members.all(uow.groups.named("pn-ai").id))


def test_help_is_answered_privately_to_whoever_typed_it(driver, fake: FakeSlack):
    sent = driver.command("help", user=AMINA)

    assert (sent.status, sent.body) == (200, "")
    answers = fake.to("chat.postEphemeral")
    assert {(a.body["channel"], a.body["user"]) for a in answers} == {(ROOM, AMINA)}
    assert answers[0].text().startswith("Commands (type them after /pn")
    # the whole list is in the blocks (the text is only the notification, cut when long)
    assert "member add" in json.dumps([a.body.get("blocks") for a in answers])
    assert fake.to("chat.postMessage") == []


def test_group_create_binds_the_channel_and_member_add_takes_slack_mentions(driver, fake, core):
    start_group(driver)

    assert roster(core) == [AMINA, BRUNO]
    with core.store() as uow:
        assert uow.groups.for_room("slack", ROOM).name == "pn-ai"
    added = [c.text() for c in fake.posts() if "Added" in c.text()]
    # The roster handle is the Slack user id; the bot writes it back as a real mention.
    assert any(f"(<@{AMINA}>)" in text for text in added), added


def test_away_next_records_apologies_and_tells_the_facilitator_directly(driver, fake, core):
    start_group(driver)

    driver.command("away next travelling to the IGF", user=AMINA)

    with core.store() as uow:
        meeting = uow.meetings.upcoming(uow.groups.named("pn-ai").id, START, 1)[0]
        [apology] = uow.apologies.for_meetings([meeting.id])
        recorded = (apology.id, apology.handle, apology.reason, apology.source)
    assert recorded[1:] == (AMINA, "travelling to the IGF", "command")
    confirmation = fake.to("chat.postEphemeral")[-1]
    assert confirmation.body["user"] == AMINA
    assert confirmation.text().startswith("Noted: you will miss the pn-ai meeting")
    [undo] = confirmation.buttons()
    assert (undo["action_id"], undo["value"]) == ("availability.undo", str(recorded[0]))
    opened = fake.to("conversations.open")
    assert [c.body["users"] for c in opened] == [FACILITATOR]
    told = fake.to("chat.postMessage")[-1]
    assert told.body["channel"] == "DFACIL001"
    assert f"Apologies from Amina Diallo (<@{AMINA}>)" in told.text()


def test_vote_by_command_counts_the_members_vote(driver, fake, core):
    start_group(driver)
    driver.command('poll "Adopt the outline of the annual output?" closes=5d')

    driver.command("vote 1 agree", user=BRUNO)

    with core.store() as uow:
        votes = [(v.member, v.option) for v in uow.votes.for_poll(1)]
    assert votes == [(BRUNO, "agree")]
    assert fake.to("chat.postEphemeral")[-1].body["user"] == BRUNO


def test_a_mention_of_the_bot_runs_the_command_that_follows_it(driver, fake):
    start_group(driver)

    sent = driver.mention("roster", user=AMINA)

    assert sent.status == 200
    answer = fake.to("chat.postEphemeral")[-1]
    assert (answer.body["channel"], answer.body["user"]) == (ROOM, AMINA)
    assert answer.text().startswith("Roster of pn-ai")


def test_a_direct_message_runs_a_command_and_is_answered_in_the_direct_message(driver, fake, core):
    start_group(driver)

    driver.say("away next", user=AMINA, channel=AMINA_DM)

    answer = fake.posts()[-2]  # then the facilitator is told
    assert (answer.method, answer.body["channel"]) == ("chat.postMessage", AMINA_DM)
    assert answer.text().startswith("Noted: you will miss the pn-ai meeting")
    assert "thread_ts" not in answer.body
    with core.store() as uow:
        assert [a.handle for a in uow.apologies.for_meetings([1])] == [AMINA]


def test_a_refusal_is_shown_to_its_author_only_and_changes_nothing(driver, fake, core):
    start_group(driver)

    driver.command("member remove <@UAMINA001|amina>", user=BRUNO)

    answer = fake.to("chat.postEphemeral")[-1]
    assert answer.body["user"] == BRUNO
    assert answer.text().startswith("Only the facilitator can use `member remove`")
    assert roster(core) == [AMINA, BRUNO]


def test_the_calendar_comes_as_a_file_uploaded_to_the_askers_direct_messages(driver, fake):
    start_group(driver)
    ephemeral = len(fake.to("chat.postEphemeral"))

    driver.command("meetings ics", user=AMINA)

    [asked] = fake.to("files.getUploadURLExternal")
    assert asked.body["filename"] == "pn-ai.ics"
    [uploaded] = fake.to("upload")
    assert uploaded.body["file"] == fake.answer_of(asked)["file_id"]
    assert uploaded.body["content"].startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in uploaded.body["content"]
    assert int(asked.body["length"]) == len(uploaded.body["content"].encode())
    [completed] = fake.to("files.completeUploadExternal")
    assert completed.body["channel_id"] == AMINA_DM
    assert json.loads(completed.body["files"]) == [
        {"id": uploaded.body["file"], "title": "pn-ai.ics"}
    ]
    assert len(fake.to("chat.postEphemeral")) == ephemeral  # no code block as well


@pytest.mark.parametrize(
    "refusal",
    [
        {"ok": False, "error": "not_allowed_token_type"},
        {"ok": True, "upload_url": "http://127.0.0.1:1/upload", "file_id": "F0UNREACH"},
    ],
    ids=["refused", "upload-url-unreachable"],
)
def test_the_calendar_comes_as_a_code_block_when_the_upload_fails(driver, fake, refusal):
    start_group(driver)
    fake.answers["files.getUploadURLExternal"] = refusal

    driver.command("meetings ics", user=AMINA)

    assert fake.to("files.completeUploadExternal") == []

    answer = fake.to("chat.postEphemeral")[-1]
    assert answer.text() == "pn-ai.ics"
    name, body = answer.body["blocks"][:2]
    assert name["text"]["text"] == "*pn-ai.ics*"
    assert body["text"]["text"].startswith("```BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in body["text"]["text"]
