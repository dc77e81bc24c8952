"""On Slack only the handles the core itself writes become mentions: a Slack user id typed as
plain text (`@UBRUNO001`) in an agenda item, an outreach title, a vote reason or an issue is
repeated as text, while the bot's own lines (who has not voted, who was absent) still ping."""

from __future__ import annotations

import json

from slackfake import AMINA, BRUNO, FACILITATOR, FakeSlack, start_group

from handlers.events import MARK_CLOSE, MARK_OPEN

TYPED = "@UBRUNO001"


def everything_sent(fake: FakeSlack, since: int) -> list[str]:
    """The text and the blocks (as JSON) of every message sent after call `since`."""
    sent = []
    for call in fake.calls[since:]:
        if call.method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            sent += [call.text(), json.dumps(call.body.get("blocks") or [], ensure_ascii=False)]
    return sent


def test_a_user_id_typed_as_text_is_repeated_as_text(driver, fake):
    start_group(driver)
    since = len(fake.calls)

    driver.command(f"agenda add Ask {TYPED} about the draft", user=AMINA)
    driver.command("agenda", user=AMINA)
    driver.command(f"outreach Panel with {TYPED} on 5 May 2027", user=AMINA)
    driver.command(f"raise {TYPED} should chair the drafting", user=AMINA)
    driver.command('poll "Adopt the outline?" closes=2d')
    driver.command(f"vote 1 block ask {TYPED} first", user=AMINA)
    driver.command("poll close 1")

    texts = everything_sent(fake, since)
    for shown in ("Ask @UBRUNO001 about", "Panel with @UBRUNO001", "@UBRUNO001 should chair"):
        assert any(shown in text for text in texts), shown
    assert any(f"<@{AMINA}>, block: ask @UBRUNO001 first" in text for text in texts)
    assert not [text for text in texts if f"<@{BRUNO}" in text]
    # the core's own mention of the author and the dissenter are still real ones
    assert any(f"raised by <@{AMINA}>" in text for text in texts)


def test_the_cores_own_lines_still_mention_the_members_they_name(driver, fake):
    start_group(driver)
    driver.command('poll "Adopt the outline?" closes=2d')
    driver.command("vote 1 agree", user=AMINA)

    driver.command("poll show 1", user=FACILITATOR)

    shown = fake.to("chat.postEphemeral")[-1].text()
    assert f"Not voted yet: <@{BRUNO}>." in shown
    assert MARK_OPEN not in shown and MARK_CLOSE not in shown


def test_marks_typed_around_a_user_id_are_taken_out_and_make_no_mention(driver, fake, core):
    start_group(driver)
    since = len(fake.calls)

    driver.command(f"agenda add Ask {MARK_OPEN}{TYPED}{MARK_CLOSE} first", user=AMINA)

    with core.store() as uow:
        [item] = [i.text for i in uow.agendas.items(1)]  # the meeting of 15 December
    assert item == f"Ask {TYPED} first"
    texts = everything_sent(fake, since)
    assert any(f"Ask {TYPED} first" in text for text in texts)
    assert not [text for text in texts if f"<@{BRUNO}" in text]
    assert not [text for text in texts if MARK_OPEN in text or MARK_CLOSE in text]
