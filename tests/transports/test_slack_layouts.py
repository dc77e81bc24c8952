"""Agendas, polls and tallies are laid out in Block Kit from the data the core sends with
them (a header, numbered items, the meeting time as a date token; a button per option; the
counts per option and per stakeholder group, the turnout and the suggestion), with the
core's text kept as the notification's fallback."""

from __future__ import annotations

from datetime import UTC, datetime

from slackfake import AMINA, BRUNO, FACILITATOR, ROOM, FakeSlack, start_group

from bot.scheduler import Scheduler
from handlers.schedule import Deployment

MEETING = datetime(2026, 12, 15, 13, 0, tzinfo=UTC)
TOKEN = f"<!date^{int(MEETING.timestamp())}^{{date_long_pretty}} at {{time}}|Tue 15 Dec 2026, 13:00 UTC>"


def kinds(blocks: list[dict]) -> list[str]:
    return [b["type"] for b in blocks]


def texts(block: dict) -> str:
    if block["type"] == "context":
        return " ".join(e["text"] for e in block["elements"])
    if "fields" in block:
        return " | ".join(f["text"] for f in block["fields"])
    return block["text"]["text"]


def in_room(fake: FakeSlack, starting: str) -> list[dict]:
    return [
        c.body
        for c in fake.to("chat.postMessage")
        if c.body["channel"] == ROOM and c.text().startswith(starting)
    ]


def test_the_scheduled_agenda_has_a_header_the_time_as_a_token_and_numbered_items(
    driver, fake, core, clock, bolt
):
    start_group(driver)
    driver.command("agenda add Review the outline of the annual output", user=AMINA)
    driver.command("agenda add Outreach report <!channel>", user=BRUNO)
    driver.command("away 15 December travelling", user=BRUNO)
    clock.now = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    driver.command("agenda approve")
    scheduler = Scheduler(
        core.store,
        bolt.out.deliver,
        worker="slack-test",
        deployment=Deployment(facilitators=frozenset({FACILITATOR})),
    )

    scheduler.tick(datetime(2026, 12, 10, 13, 0, tzinfo=UTC))

    [posted] = in_room(fake, "Agenda of the pn-ai meeting")
    assert posted["text"].startswith(f"Agenda of the pn-ai meeting of {TOKEN}, 60 min.")
    blocks = posted["blocks"]
    assert kinds(blocks) == ["header", "section", "section", "context"]
    assert blocks[0]["text"] == {"type": "plain_text", "text": "Agenda: pn-ai meeting"}
    assert texts(blocks[1]) == f"*{TOKEN}* · 60 min · open to observers"
    assert texts(blocks[2]).splitlines() == [
        f"1. Review the outline of the annual output — <@{AMINA}>",
        f"2. Outreach report @channel — <@{BRUNO}>",
    ]
    assert texts(blocks[3]) == "Apologies: Bruno Costa."


def test_the_agenda_asked_for_is_laid_out_too(driver, fake):
    start_group(driver)

    driver.command("agenda", user=AMINA)

    blocks = fake.to("chat.postEphemeral")[-1].body["blocks"]
    assert blocks[0]["text"]["text"] == "Draft agenda: pn-ai meeting"
    assert texts(blocks[2]) == "_No items yet: `agenda add <text>`._"


def test_an_open_poll_shows_its_question_options_deadline_and_a_button_per_option(driver, fake):
    start_group(driver)

    driver.command('poll "Adopt the outline as drafted?" closes=2d')

    [posted] = in_room(fake, "Poll 1:")
    blocks = posted["blocks"]
    assert kinds(blocks) == ["header", "section", "context", "context", "actions"]
    assert blocks[0]["text"]["text"] == "Poll 1"
    assert texts(blocks[1]).splitlines() == [
        "*Adopt the outline as drafted?*",
        "• *agree* — I support this",
        "• *abstain* — I stand aside and will not stop it",
        "• *disagree* — I have concerns but will not block (say why)",
        "• *block* — I cannot accept this (say why)",
    ]
    closes = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert texts(blocks[2]).startswith(f"Open until <!date^{int(closes.timestamp())}^")
    assert "0 of 2 members have voted" in texts(blocks[2])
    assert texts(blocks[3]).startswith("Vote: `vote 1 &lt;option&gt; [reason]`")
    assert [b["value"] for b in blocks[4]["elements"]] == [
        "1:agree",
        "1:abstain",
        "1:disagree",
        "1:block",
    ]
    assert posted["text"].startswith("Poll 1: Adopt the outline as drafted?")


def test_the_closed_poll_posts_its_tally_by_option_and_stakeholder_group(driver, fake):
    start_group(driver)
    driver.command('poll "Adopt the outline as drafted?" closes=2d')
    driver.command("vote 1 agree", user=AMINA)
    driver.command("vote 1 block the timeline leaves no room for consultation", user=BRUNO)

    driver.command("poll close 1")

    [posted] = in_room(fake, "Poll 1 is closed")
    blocks = posted["blocks"]
    assert kinds(blocks) == [
        "header",
        "section",
        "section",
        "section",
        "context",
        "section",
        "context",
        "section",
        "context",
    ]
    assert texts(blocks[2]) == "*agree*\n1 | *abstain*\n0 | *disagree*\n0 | *block*\n1"
    assert texts(blocks[3]).splitlines() == [
        "*By stakeholder group*",
        "civil-society: agree 1",
        "government: block 1",
    ]
    assert texts(blocks[4]) == "Turnout: 2 of 2 eligible members; quorum of 1 met."
    assert texts(blocks[5]) == "*Suggested outcome: no consensus* (the facilitator declares it)"
    assert texts(blocks[6]) == "No support from: government."
    assert texts(blocks[7]).splitlines() == [
        "*Dissent*",
        f"<@{BRUNO}>, block: the timeline leaves no room for consultation",
    ]
    assert texts(blocks[8]).startswith("The facilitator declares the outcome: `outcome 1 ")
    assert "Turnout: 2 of 2 eligible members" in posted["text"]  # the fallback says it all


def test_a_question_with_mentions_is_laid_out_escaped(driver, fake):
    start_group(driver)

    driver.command('poll "Ping <!here> and <@UBRUNO001>?"')

    [posted] = in_room(fake, "Poll 1:")
    question = texts(posted["blocks"][1]).splitlines()[0]
    assert question == "*Ping @here and &lt;@UBRUNO001&gt;?*"
