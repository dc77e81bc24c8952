"""Whatever the core says fits Slack's size limits, with nothing left out: a long tally or
agenda becomes a first message (with every button) and continuations, each of which the fake
Slack and slack_sdk's block models accept; the App Home keeps to one view's limits."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk import WebClient
from slackfake import AMINA, BOT_TOKEN, ROOM, FakeSlack, refusal, start_group, text_size

from bot.transports import slack_home
from bot.transports.slack_blocks import (
    FALLBACK_LIMIT,
    HEADER_LIMIT,
    MAX_BLOCKS,
    SECTION_LIMIT,
    buttons,
    chunks,
    messages,
    mrkdwn,
    plain,
    render,
)
from bot.transports.slack_layouts import layout
from handlers import tally
from handlers.base import button

try:
    from bot.events import Post, Reply
except ImportError:  # the event model moved to the core
    from handlers.events import Post, Reply

MEETING = datetime(2026, 12, 15, 13, 0, tzinfo=UTC)
NOTE = 'The facilitator declares the outcome: `outcome 1 consensus|no-consensus "<rationale>"`.'
QUESTION = "Adopt the outline of the annual output as drafted?"


def reason(i: int) -> str:
    """A 1,000-character reason, numbered, with what mrkdwn must escape in it."""
    head = f"reason {i:03d}: the timeline & <scope> leave no room for consultation "
    return (head + "x" * 1000)[:1000]


def closed_poll(dissenters: int, actions: list[dict] | None = None) -> Post:
    """A closed poll's Post as handlers.polls.close builds it: `dissenters` members blocking."""
    members = [f"U{i:08d}" for i in range(dissenters)]
    result = tally.compute(
        tally.DEFAULT_OPTIONS,
        [("agree", "civil-society", 3), ("block", "government", dissenters)],
        [("civil-society", 3), ("government", dissenters)],
    )
    dissent = [{"member": m, "option": "block", "reason": reason(i)} for i, m in enumerate(members)]
    described = tally.describe(
        result, [(f"@{d['member']}", d["option"], d["reason"]) for d in dissent], []
    )
    poll = {
        "id": 1,
        "question": QUESTION,
        "options": [dict(o) for o in tally.DEFAULT_OPTIONS],
        "status": "closed",
        "closes_at": MEETING.isoformat(),
        "voted": result.voted,
        "eligible": result.eligible,
        "note": NOTE,
    }
    found = result.as_json() | {"options": list(result.options), "dissent": dissent}
    data = {"ref": "poll:1", "poll": poll, "tally": found | {"outcome": None}}
    if actions:
        data["actions"] = actions
    text = f"Poll 1 is closed: {QUESTION}\n{described}\n{NOTE}"
    return Post(transport="slack", room=ROOM, text=text, data=data)


def agenda(count: int, length: int = 480) -> Reply:
    """The agenda reply of handlers.agenda.show_agenda with `count` items of `length` chars."""
    items = [
        {"number": n, "text": (f"item {n:02d} & <draft> " + "y" * length)[:length], "author": AMINA}
        for n in range(1, count + 1)
    ]
    lines = ["Agenda (draft) for the meeting of Tue 15 Dec 2026, 13:00 UTC:"]
    lines += [f"  {i['number']}. {i['text']} (@{i['author']})" for i in items]
    data = {
        "agenda": {
            "group": "pn-ai",
            "starts_at": MEETING.isoformat(),
            "duration_minutes": 60,
            "call_link": None,
            "status": "draft",
            "items": items,
            "apologies": ["Bruno Costa"],
        }
    }
    return Reply(text="\n".join(lines), private=True, data=data)


def block_texts(blocks: list[dict]) -> list[str]:
    """The texts of `blocks`, as a reader sees them, in order."""
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        found += [f["text"] for f in block.get("fields", [])]
        found += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return found


def shown(parts: list[tuple[str, list[dict]]]) -> str:
    """Everything the messages show, unescaped, as one text."""
    return plain("\n".join(t for _, blocks in parts for t in block_texts(blocks)))


def assert_within_limits(parts: list[tuple[str, list[dict]]]) -> None:
    for text, blocks in parts:
        assert refusal("chat.postMessage", {"text": text, "blocks": blocks}) is None
        assert len(blocks) <= MAX_BLOCKS
        assert 0 < len(text) <= FALLBACK_LIMIT
        assert text_size(blocks) <= 11_000
        for block in blocks:
            if block["type"] == "section" and "text" in block:
                assert len(block["text"]["text"]) <= SECTION_LIMIT
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= HEADER_LIMIT


def positions(whole: str, pieces: list[str]) -> list[int]:
    return [whole.index(piece) for piece in pieces]


def test_a_tally_with_a_hundred_long_reasons_is_split_with_every_reason_in_order():
    out = closed_poll(100)

    parts = messages(out)

    assert len(parts) > 1
    assert_within_limits(parts)
    whole = shown(parts)
    found = positions(whole, [reason(i) for i in range(100)] + [NOTE])
    assert found == sorted(found)  # every reason, then the facilitator's note, in order
    assert parts[0][0].startswith(f"Poll 1 is closed: {QUESTION}\n")
    assert all(text == f"Poll 1 is closed: {QUESTION} (continued)" for text, _ in parts[1:])


def test_an_agenda_of_24_long_items_is_split_with_every_item_in_order():
    out = agenda(24)

    parts = messages(out)

    assert len(parts) == 2
    assert_within_limits(parts)
    whole = shown(parts)
    items = [item["text"] for item in out.data["agenda"]["items"]]
    found = positions(whole, [*items, "Apologies: Bruno Costa."])
    assert found == sorted(found)
    assert parts[0][1][0]["text"]["text"] == "Draft agenda: pn-ai meeting"


def test_the_buttons_stay_in_the_first_message():
    actions = [button(o["name"], "poll.vote", f"1:{o['name']}") for o in tally.DEFAULT_OPTIONS]

    parts = messages(closed_poll(100, actions))

    assert_within_limits(parts)
    kinds = [[b["type"] for b in blocks] for _, blocks in parts]
    assert kinds[0][-1] == "actions"
    assert all("actions" not in k for k in kinds[1:])
    assert [b for b in parts[0][1] if b["type"] == "actions"] == buttons(actions)


def test_a_message_that_fits_stays_one_message_unchanged():
    out = closed_poll(2)

    parts = messages(out)

    assert parts == [(mrkdwn(out.text), layout(out.data))]
    assert render(out) == parts[0]


def test_a_long_plain_reply_is_split_at_line_ends_with_its_text_whole():
    lines = [f"{i:04d} " + "z" * 195 for i in range(120)]  # 24,000 characters

    parts = messages(Reply(text="\n".join(lines)))

    assert len(parts) == 3
    assert_within_limits(parts)
    assert "\n".join(t for _, blocks in parts for t in block_texts(blocks)) == "\n".join(lines)
    assert parts[0][0].endswith("\n…") and parts[1][0] == f"{lines[0]} (continued)"


def test_a_long_line_is_never_cut_inside_an_entity_or_a_token():
    # the leading "a": a cut at the limit itself would split an entity
    line = "a" + "&amp;" * 700 + " " + "<@UAMINA001> " * 300

    pieces = chunks(line, SECTION_LIMIT)

    assert "".join(pieces) == line
    assert all(len(p) <= SECTION_LIMIT for p in pieces)
    assert all(p.endswith(("&amp;", "> ", " ")) for p in pieces[:-1])


def test_the_fake_refuses_what_slack_refuses():
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2500}}
    label = {"type": "plain_text", "text": "y" * 76}
    too_long_label = {
        "type": "actions",
        "elements": [{"type": "button", "action_id": "a", "text": label, "value": "1"}],
    }

    assert refusal("chat.postMessage", {"blocks": [section] * 4}) is None
    assert refusal("chat.postMessage", {"blocks": [section] * 5}) == "msg_blocks_too_long"
    assert refusal("chat.update", {"blocks": [{"type": "divider"}] * 51}) == "invalid_blocks"
    assert refusal("chat.postEphemeral", {"blocks": [too_long_label]}) == "invalid_blocks"
    long_section = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    assert refusal("chat.postMessage", {"blocks": [long_section]}) == "invalid_blocks"
    view = {"type": "home", "blocks": [{"type": "divider"}] * 101}
    assert refusal("views.publish", {"view": view}) == "invalid_blocks"
    assert refusal("views.publish", {"view": view | {"blocks": [section] * 20}}) is None
    assert refusal("views.publish", {"view": view | {"blocks": [section] * 100}}) == (
        "view_too_large"
    )


def test_each_part_of_a_long_tally_is_taken_by_the_fake_slack(fake: FakeSlack):
    client = WebClient(token=BOT_TOKEN, base_url=fake.url)
    [(text, blocks), *rest] = messages(closed_poll(100))

    first = client.chat_postMessage(channel=ROOM, text=text, blocks=blocks)
    for text, blocks in rest:
        client.chat_postMessage(channel=ROOM, text=text, blocks=blocks, thread_ts=first["ts"])

    posted = fake.to("chat.postMessage")
    assert len(posted) == 1 + len(rest) and all(c.answer["ok"] for c in posted)
    assert {c.body.get("thread_ts") for c in posted[1:]} == {first["ts"]}


def outreach_lines(count: int) -> list[str]:
    """Outreach lines as the Home tab writes them: event and place at their longest."""
    return [
        mrkdwn(f"• {i}. {'Event ' * 33} {i} in {'Place ' * 33} on Wed 5 May 2027 [announced]")
        for i in range(1, count + 1)
    ]


def test_35_outreach_records_take_several_sections_within_the_limit():
    lines = outreach_lines(35)

    blocks = slack_home.outreach_blocks(lines, "/pn")

    assert len(blocks) > 1
    assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in blocks)
    assert "\n".join(b["text"]["text"] for b in blocks) == "\n".join(["*My outreach:*", *lines])


def test_past_a_views_blocks_the_most_recent_outreach_is_kept_and_the_rest_pointed_to():
    lines = outreach_lines(1000)
    before = [{"type": "header", "text": {"type": "plain_text", "text": "pn-ai"}}]

    blocks = slack_home.fit_view([(before, lines, [{"type": "divider"}])], "/wg")

    assert len(blocks) <= slack_home.MAX_BLOCKS
    assert refusal("views.publish", {"view": {"type": "home", "blocks": blocks}}) is None
    kept = [t for b in blocks[1:-2] for t in b["text"]["text"].splitlines()][1:]
    assert kept == lines[-len(kept) :]  # the newest, in order
    hidden = 1000 - len(kept)
    assert blocks[-2]["elements"][0]["text"] == (
        f"{hidden} older records are not shown; `/wg outreach list` lists them all."
    )


def test_a_home_tab_with_35_long_outreach_records_is_published(driver, fake: FakeSlack):
    start_group(driver)
    for i in range(35):
        event = f"Internet Governance Forum {i} " + "session " * 20
        driver.command(f"outreach {event.strip()} on 5 May at {'Kyoto ' * 30}".strip(), AMINA)

    driver.home(AMINA)

    [published] = fake.to("views.publish")
    assert published.answer["ok"]
    sections = [b["text"]["text"] for b in published.body["view"]["blocks"] if "text" in b]
    outreach = [t for t in sections if "Internet Governance Forum" in t]
    assert len(outreach) > 1 and all(len(t) <= SECTION_LIMIT for t in outreach)
    assert all(f"Internet Governance Forum {i} " in "\n".join(outreach) for i in range(35))
