"""A scheduled message carries its outbox key as Slack message metadata, so when the process
dies between sending it and marking it sent, the next tick reads the conversation's history
and does not post it twice; when it died before sending, the message goes out once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from slackfake import FACILITATOR, ROOM, FakeSlack, start_group
from sqlmodel import select

from bot.scheduler import Scheduler
from bot.transports import slack
from handlers.events import Post
from handlers.schedule import Deployment
from storage.models import OutboxItem

ON_POSTGRES = True  # on both databases: delivery after a crash

DUE = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)
AFTER_LEASE = DUE + timedelta(minutes=6)


class Killed(BaseException):
    """The process dying inside a send: nothing after it runs, nothing catches it."""


def scheduler(core, send, delivered=None) -> Scheduler:
    return Scheduler(
        core.store,
        send,
        delivered=delivered,
        worker=f"slack-{id(send)}",
        deployment=Deployment(facilitators=frozenset({FACILITATOR})),
    )


def calls_for_items(fake: FakeSlack) -> list:
    return [
        c
        for c in fake.to("chat.postMessage")
        if c.body["channel"] == ROOM and c.text().startswith("Call for agenda items")
    ]


def outbox_row(core, prefix: str) -> tuple[str, datetime | None]:
    """The key and sent time of the one outbox item whose text starts with `prefix`."""
    with core.store() as uow:
        rows = [
            (r.key, r.sent_at)
            for r in uow.session.exec(select(OutboxItem))
            if r.text.startswith(prefix)
        ]
    [row] = rows
    return row


def message_id(core, prefix: str) -> str | None:
    with core.store() as uow:
        [row] = [r for r in uow.session.exec(select(OutboxItem)) if r.text.startswith(prefix)]
        return row.message_id


def sent_at(core) -> datetime | None:
    at = outbox_row(core, "Call for agenda items")[1]
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def outbox_keys(core) -> set[str]:
    with core.engine.connect() as connection:
        return set(connection.execute(sa.text("SELECT key FROM outbox")).scalars())


def test_every_message_posted_carries_its_outbox_key(driver, fake, core, bolt):
    start_group(driver)
    replies = fake.to("chat.postMessage")
    scheduler(core, bolt.out.deliver).tick(DUE)

    [call] = calls_for_items(fake)
    key, _ = outbox_row(core, "Call for agenda items")
    assert call.body["metadata"] == {
        "event_type": slack.OUTBOX_EVENT,
        "event_payload": {"key": key},
    }
    # Answers go through the outbox too: each names its own row, so after a crash the
    # delivery loop can tell whether it went out.
    keys = [reply.body["metadata"]["event_payload"]["key"] for reply in replies]
    assert replies and len(set(keys)) == len(keys)
    assert set(keys) <= outbox_keys(core)


def test_a_post_sent_before_the_crash_is_found_in_the_history_and_not_sent_again(
    driver, fake, core, bolt
):
    start_group(driver)

    def send_then_die(out):
        bolt.out.deliver(out)
        raise Killed

    with pytest.raises(Killed):
        scheduler(core, send_then_die).tick(DUE)
    assert len(calls_for_items(fake)) == 1
    assert sent_at(core) is None

    scheduler(core, bolt.out.deliver, bolt.out.delivered).tick(AFTER_LEASE)

    assert len(calls_for_items(fake)) == 1
    assert fake.to("conversations.history")[-1].body["channel"] == ROOM
    assert sent_at(core) == AFTER_LEASE
    # The history gave the message's ts, so the item keeps the id a thread reply would name.
    [call] = calls_for_items(fake)
    assert message_id(core, "Call for agenda items") == call.answer["ts"]


def test_a_post_lost_in_the_crash_is_sent_once_after_the_history_shows_it_missing(
    driver, fake, core, bolt
):
    start_group(driver)

    def die_before_sending(out):
        raise Killed

    with pytest.raises(Killed):
        scheduler(core, die_before_sending).tick(DUE)
    assert calls_for_items(fake) == []

    scheduler(core, bolt.out.deliver, bolt.out.delivered).tick(AFTER_LEASE)

    assert len(calls_for_items(fake)) == 1
    assert len(fake.to("conversations.history")) == 1
    assert sent_at(core) == AFTER_LEASE


def test_delivered_cannot_tell_without_a_key_a_full_page_or_a_readable_history(fake, bolt):
    post = Post(transport="slack", room=ROOM, text="hello", key="k-1")
    assert bolt.out.delivered(Post(transport="slack", room=ROOM, text="hello")) is None
    assert bolt.out.delivered(post) is False

    bolt.out.post(Post(transport="slack", room=ROOM, text="other", key="k-2"))
    fake.answers["conversations.history"] = {"ok": True, "messages": [], "has_more": True}
    assert bolt.out.delivered(post) is None
    fake.answers["conversations.history"] = {"ok": False, "error": "missing_scope"}
    assert bolt.out.delivered(post) is None
