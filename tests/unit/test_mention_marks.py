"""The core marks the handles it writes (handlers.events.mention); nothing a person writes can
carry those marks, and what people read shows none of them."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from bot.cli import _failed_line
from handlers.events import (
    MARK_CLOSE,
    MARK_OPEN,
    MARKED,
    Command,
    Edited,
    Message,
    Post,
    mention,
    strip_marks,
)

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BASE = {"transport": "slack", "room": "C1", "user": "UAMINA001", "key": "k1", "at": AT}


def test_a_mention_is_the_handle_between_the_marks_and_reads_as_at_handle():
    written = f"Not voted yet: {mention('UBRUNO001')}, {mention('amina')}."

    assert MARKED.findall(written) == ["UBRUNO001", "amina"]
    assert strip_marks(written) == "Not voted yet: @UBRUNO001, @amina."


@pytest.mark.parametrize("kind", [Message, Command, Edited])
def test_what_a_person_writes_loses_every_noncharacter(kind):
    typed = f"ask {MARK_OPEN}@UBRUNO001{MARK_CLOSE} first \ufdd5\ufdef"

    event = kind(text=typed, **BASE)

    assert event.text == "ask @UBRUNO001 first "
    assert not MARKED.search(event.text)


def test_the_cores_own_text_keeps_its_marks_until_a_transport_renders_it():
    post = Post(transport="slack", room="C1", text=f"by {mention('UAMINA001')}")

    assert MARKED.findall(post.text) == ["UAMINA001"]


def test_pnbot_outbox_shows_a_failed_message_without_marks():
    item = SimpleNamespace(
        id=7,
        kind="post",
        target="C1",
        failed_at=AT,
        transport="slack",
        last_error="channel_not_found",
        text=f"Not voted yet: {mention('UBRUNO001')}.\nmore",
    )

    line = _failed_line(item)

    assert line.endswith("\tNot voted yet: @UBRUNO001.")
    assert MARK_OPEN not in line and MARK_CLOSE not in line
