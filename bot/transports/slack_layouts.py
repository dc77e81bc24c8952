"""Block Kit layouts for what the core sends with its data: an agenda (`data["agenda"]`), a
poll (`data["poll"]`) and a tally (`data["tally"]`). The core's text stays the notification
and the fallback; these only arrange the same facts.

Words people typed (agenda items, questions, reasons) are escaped and never linked, so they
ping nobody; the bot's own mentions (an item's author) are made here from roster handles.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.transports.slack_blocks import (
    HEADER_LIMIT,
    SECTION_LIMIT,
    chunks,
    date_token,
    escape,
    mrkdwn,
    section,
)
from handlers.tally import is_consensus, leading, support_lines
from handlers.timefmt import when

FIELDS_LIMIT = 10  # fields in one section block
_USER_ID = re.compile(r"[UW][A-Z0-9]{6,}")


def layout(data: dict) -> list[dict] | None:
    """The blocks for `data`, or None when it holds nothing laid out here."""
    if "agenda" in data:
        return agenda_blocks(data["agenda"])
    if "poll" in data:
        return poll_blocks(data["poll"], data.get("tally"))
    if "tally" in data:
        return tally_blocks(data["tally"])
    return None


def mention(handle: str) -> str:
    """A roster handle as a real mention when it is a Slack user id, else as text."""
    return f"<@{handle}>" if _USER_ID.fullmatch(handle) else f"@{escape(handle)}"


def moment(iso: str) -> str:
    at = datetime.fromisoformat(iso)
    return date_token(at, when(at))


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:HEADER_LIMIT]}}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def agenda_blocks(agenda: dict) -> list[dict]:
    status = "Agenda" if agenda["status"] == "approved" else "Draft agenda"
    facts = [f"*{moment(agenda['starts_at'])}*", f"{agenda['duration_minutes']} min"]
    facts.append("open to observers")
    if agenda.get("call_link"):
        facts.append(f"<{escape(agenda['call_link'])}|join the call>")
    blocks = [header(f"{status}: {agenda['group']} meeting"), section(" · ".join(facts))]
    items = [
        f"{item['number']}. {escape(item['text'])} — {mention(item['author'])}"
        for item in agenda["items"]
    ]
    listed = "\n".join(items) if items else "_No items yet: `agenda add <text>`._"
    blocks += [section(piece) for piece in chunks(listed, SECTION_LIMIT)]
    if agenda.get("apologies"):
        blocks.append(context("Apologies: " + escape(", ".join(agenda["apologies"])) + "."))
    if agenda.get("overdue"):
        late = [
            f"#{m['number']} {escape(m['title'])} (due {m['due']}"
            + (f", {mention(m['owner'])})" if m.get("owner") else ")")
            for m in agenda["overdue"]
        ]
        blocks.append(context("Workplan milestones overdue by the meeting: " + "; ".join(late)))
    return blocks


def poll_blocks(poll: dict, tally: dict | None = None) -> list[dict]:
    lines = [f"*{escape(poll['question'])}*"]
    for option in poll["options"]:
        meaning = f" — {escape(option['meaning'])}" if option.get("meaning") else ""
        lines.append(f"• *{escape(option['name'])}*{meaning}")
    blocks = [header(f"Poll {poll['id']}"), section("\n".join(lines))]
    if poll["status"] == "open":
        blocks.append(
            context(
                f"Open until {moment(poll['closes_at'])} · {poll['voted']} of "
                f"{poll['eligible']} members have voted · every member's vote counts the same"
            )
        )
    elif tally is not None:
        blocks += tally_blocks(tally)
    if poll.get("note"):
        blocks.append(context(mrkdwn(poll["note"])))  # the core's own words
    return blocks


def tally_blocks(tally: dict) -> list[dict]:
    counts = tally["counts"]
    fields = [
        {"type": "mrkdwn", "text": f"*{escape(name)}*\n{counts.get(name, 0)}"}
        for name in tally["options"]
    ]
    blocks = [
        {"type": "section", "fields": fields[i : i + FIELDS_LIMIT]}
        for i in range(0, len(fields), FIELDS_LIMIT)
    ]
    by_group = [
        f"{escape(group)}: "
        + ", ".join(f"{escape(name)} {n}" for name in tally["options"] if (n := votes.get(name)))
        for group, votes in sorted(tally["by_stakeholder_group"].items())
    ]
    if by_group:
        blocks.append(section("*By stakeholder group*\n" + "\n".join(by_group)))
    quorum = "met" if tally["quorum_met"] else "not met"
    blocks.append(
        context(
            f"Turnout: {tally['voted']} of {tally['eligible']} eligible members; "
            f"quorum of {tally['quorum_needed']} {quorum}."
        )
    )
    if not is_consensus(tally["options"]) and tally["voted"]:
        blocks.append(section(escape(leading(tally))))
    if tally.get("suggestion"):
        suggestion = tally["suggestion"].replace("-", " ")
        blocks.append(section(f"*Suggested outcome: {suggestion}* (the facilitator declares it)"))
    if tally.get("unsupported_groups"):
        blocks.append(context(escape(" ".join(support_lines(tally)))))
    dissent = [
        f"{mention(d['member']) if d['member'] else '(name withheld)'}, {escape(d['option'])}: "
        f"{escape(d['reason'] or '(no reason given)')}"
        for d in tally.get("dissent") or []
    ]
    if dissent:
        text = "*Dissent*\n" + "\n".join(dissent)
        blocks += [section(piece) for piece in chunks(text, SECTION_LIMIT)]
    return blocks
