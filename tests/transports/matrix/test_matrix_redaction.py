"""A redaction of a reaction on Matrix: the reaction removed, said as whoever redacted it.
(No homeserver needed: a pure translation.)"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.transports.matrix import parse_unreaction
from handlers.events import Reaction

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CHENS = {"user": "chen:example.org", "name": "no_entry", "target": "$announcement"}


def redaction(sender: str) -> dict:
    return {
        "type": "m.room.redaction",
        "sender": sender,
        "event_id": "$redaction",
        "redacts": "$reaction",
        "origin_server_ts": int(AT.timestamp() * 1000),
        "content": {},
    }


def test_the_author_redacting_their_reaction_removes_it_as_theirs():
    removed = parse_unreaction("!room:example.org", redaction("@chen:example.org"), CHENS, False)

    assert removed == Reaction(
        transport="matrix",
        room="!room:example.org",
        user="chen:example.org",
        key="$redaction",
        at=AT,
        is_direct=False,
        name="no_entry",
        target="$announcement",
        added=False,
    )


def test_a_moderator_redacting_someone_elses_reaction_speaks_only_for_the_moderator():
    removed = parse_unreaction("!room:example.org", redaction("@mod:example.org"), CHENS, False)

    assert (removed.user, removed.name, removed.target, removed.added) == (
        "mod:example.org",
        "no_entry",
        "$announcement",
        False,
    )
