"""Opening the bot's App Home shows the member what is on for them in each group."""

from __future__ import annotations

from slackfake import AMINA, BRUNO, FakeSlack, start_group

TOKEN_15_DEC = "<!date^1797339600^{date_long_pretty} at {time}|Tue 15 Dec 2026, 13:00 UTC>"


def home_text(fake: FakeSlack, user: str) -> str:
    published = [c for c in fake.to("views.publish") if c.body["user_id"] == user][-1]
    view = published.body["view"]
    assert view["type"] == "home"
    texts = []
    for block in view["blocks"]:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [e["text"]["text"] for e in block.get("elements", [])]
    return "\n".join(texts)


def test_the_home_tab_shows_the_next_meeting_apologies_open_polls_and_outreach(driver, fake):
    start_group(driver)
    driver.command("away 15 December travelling", user=AMINA)
    driver.command('poll "Adopt the outline of the annual output?" closes=5d')
    driver.say("I'll be presenting our work at RightsCon on 5 May", user=AMINA)

    driver.home(AMINA)

    shown = home_text(fake, AMINA)
    assert "pn-ai" in shown
    assert f"*Next meeting:* {TOKEN_15_DEC}, 60 min" in shown
    assert f"*My apologies:*\n• {TOKEN_15_DEC}: travelling" in shown
    assert "Poll 1: Adopt the outline of the annual output?" in shown
    assert "agree\nabstain\ndisagree\nblock" in shown
    assert "*My outreach:*\n• 1. RightsCon on Wed 5 May 2027 [announced]" in shown


def test_a_vote_from_the_home_tab_is_counted_and_the_tab_redrawn(driver, fake, core):
    start_group(driver)
    driver.command('poll "Adopt the outline of the annual output?" closes=5d')
    driver.home(BRUNO)
    view = fake.to("views.publish")[-1].body["view"]
    agree = next(e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"])

    driver.click(agree, user=BRUNO, channel=None)

    with core.store() as uow:
        assert [(v.member, v.option) for v in uow.votes.for_poll(1)] == [(BRUNO, "agree")]
    assert "*Polls I have not voted on:* none." in home_text(fake, BRUNO)
    answer = fake.to("chat.postMessage")[-1]
    assert answer.body["channel"] == "DBRUNO001"  # the Home tab has no thread: a direct message


def test_someone_on_no_roster_is_told_how_to_join(driver, fake):
    driver.home("UNOBODY01")

    assert "on no working group's roster yet" in home_text(fake, "UNOBODY01")
