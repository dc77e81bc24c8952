"""Words people typed are quoted back on Slack as text: a `<!channel>`, `<!here>` or `<@U...>`
in a reason, an agenda item or an outreach title pings nobody when the bot repeats it, while
the mentions the bot itself makes (the member a notice is from) still work."""

from __future__ import annotations

import json

from slackfake import AMINA, BRUNO, FakeSlack, start_group

HOSTILE = "<!channel> <!here> <@U999> <@UBRUNO001|bruno> <script>"
PINGS = ("<!channel", "<!here", "<!everyone", "<@U999", f"<@{BRUNO}", "<script")


def everything_sent(fake: FakeSlack, since: int) -> list[str]:
    """The text and the blocks (as JSON) of every message sent after call `since`."""
    sent = []
    for call in fake.calls[since:]:
        if call.method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            sent += [call.text(), json.dumps(call.body.get("blocks") or [])]
    return sent


def assert_pings_nobody(texts: list[str]) -> None:
    for text in texts:
        for ping in PINGS:
            assert ping not in text, (ping, text)


def test_a_reason_typed_with_mentions_is_echoed_escaped(driver, fake, core):
    start_group(driver)
    since = len(fake.calls)

    sent = driver.command(f"away next {HOSTILE}", user=AMINA)

    assert sent.status == 200
    with core.store() as uow:
        [reason] = [a.reason for a in uow.apologies.for_meetings([1])]
    assert "<@UBRUNO001|bruno>" in reason  # kept as typed; only its rendering changes
    texts = everything_sent(fake, since)
    assert_pings_nobody(texts)
    confirmation = fake.to("chat.postEphemeral")[-1].text()
    assert "&lt;@U999&gt; &lt;@UBRUNO001|bruno&gt; &lt;script&gt;" in confirmation
    told = fake.to("chat.postMessage")[-1].text()
    # The bot's own mention of the member the notice is from is still a real one.
    assert told.startswith(f"Apologies from Amina Diallo (<@{AMINA}>)")


def test_apologies_said_in_the_channel_with_mentions_are_echoed_escaped(driver, fake, core):
    start_group(driver)
    since = len(fake.calls)

    driver.say(f"apologies, I can't make the 15 December call because {HOSTILE}", user=AMINA)

    with core.store() as uow:
        assert len(uow.apologies.for_meetings([1])) == 1
    assert_pings_nobody(everything_sent(fake, since))


def test_agenda_items_and_outreach_titles_with_mentions_ping_nobody(driver, fake, core):
    start_group(driver)
    since = len(fake.calls)

    driver.command(f"agenda add {HOSTILE}", user=AMINA)
    driver.command("agenda", user=AMINA)
    driver.command(f"outreach {HOSTILE} on 5 May 2027", user=AMINA)

    texts = everything_sent(fake, since)
    assert any("&lt;@U999&gt;" in t for t in texts)  # the item and the title were shown
    assert_pings_nobody(texts)
