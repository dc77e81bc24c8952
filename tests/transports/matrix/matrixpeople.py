"""People on the test homeserver: matrix-nio clients the tests drive synchronously, each
call run on one event loop in a background thread (the bot's loop as well)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from nio import AsyncClient, InviteMemberEvent, RoomCreateResponse, RoomSendResponse, SyncError

from bot.config import Settings
from bot.transports.matrix import MatrixBot

WAIT = 30.0  # seconds one call to the homeserver may take
FILTER = {"room": {"timeline": {"limit": 100}}, "presence": {"not_types": ["*"]}}
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Loop:
    """An asyncio loop in a thread; `run(coro)` waits for its result."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(WAIT)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(WAIT)
        self.loop.close()


class Clock:
    """The time the bot is told it is, so a month of meetings takes no time."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Person:
    """A member at a Matrix client: writes, reacts, and reads what arrives."""

    def __init__(self, loop: Loop, url: str, user_id: str, token: str):
        self.loop = loop
        self.user_id = user_id
        self.handle = user_id[1:]
        self.client = AsyncClient(url, user_id)
        self.client.access_token = token
        self.token: str | None = None
        self.seen: dict[str, list[dict]] = {}  # room -> timeline events, in order
        self.invited: dict[str, str] = {}  # room -> who invited me

    def _call(self, coro):
        return self.loop.run(coro)

    def sync(self) -> None:
        """Catch up: accept invitations and collect every new event."""
        for _ in range(3):  # a room joined here shows its history at the next sync
            answer = self._call(self.client.sync(timeout=0, since=self.token, sync_filter=FILTER))
            assert not isinstance(answer, SyncError), answer
            self.token = answer.next_batch
            for room, info in answer.rooms.join.items():
                known = {e["event_id"] for e in self.seen.get(room, [])}
                self.seen.setdefault(room, []).extend(
                    e.source for e in info.timeline.events if e.source["event_id"] not in known
                )
            if not answer.rooms.invite:
                return
            for room, info in answer.rooms.invite.items():
                inviter = next(
                    (
                        e.sender
                        for e in info.invite_state
                        if isinstance(e, InviteMemberEvent) and e.state_key == self.user_id
                    ),
                    "",
                )
                self.invited[room] = inviter
                self._call(self.client.join(room))

    def wait_for(self, found, timeout: float = WAIT):
        """Sync until `found()` gives something (another process is answering); bounded."""
        deadline = time.monotonic() + timeout
        while not (result := found()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.user_id} waited {timeout:.0f} s in vain")
            answer = self._call(self.client.sync(timeout=500, since=self.token, sync_filter=FILTER))
            assert not isinstance(answer, SyncError), answer
            self.token = answer.next_batch
            for room, info in answer.rooms.join.items():
                self.seen.setdefault(room, []).extend(e.source for e in info.timeline.events)
        return result

    def create_room(self, name: str, invite: list[str], direct: bool = False) -> str:
        answer = self._call(self.client.room_create(name=name, invite=invite, is_direct=direct))
        assert isinstance(answer, RoomCreateResponse), answer
        return answer.room_id

    def send(self, room: str, content: dict, kind: str = "m.room.message") -> str:
        answer = self._call(self.client.room_send(room, kind, content))
        assert isinstance(answer, RoomSendResponse), answer
        return answer.event_id

    def say(self, room: str, text: str, *, thread: str | None = None, reply_to: str | None = None):
        content = {"msgtype": "m.text", "body": text}
        if thread:
            content["m.relates_to"] = {"rel_type": "m.thread", "event_id": thread}
        elif reply_to:
            content["body"] = f"> <@someone:x> the quoted message\n\n{text}"
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        return self.send(room, content)

    def edit(self, room: str, event_id: str, text: str) -> str:
        new = {"msgtype": "m.text", "body": text}
        content = {
            "msgtype": "m.text",
            "body": f"* {text}",
            "m.new_content": new,
            "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
        }
        return self.send(room, content)

    def invite(self, room: str, user_id: str) -> None:
        self._call(self.client.room_invite(room, user_id))

    def react(self, room: str, target: str, key: str) -> str:
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": key}}
        return self.send(room, content, "m.reaction")

    def redact(self, room: str, event_id: str) -> None:
        self._call(self.client.room_redact(room, event_id))

    def from_user(self, room: str, user_id: str) -> list[dict]:
        """The messages `user_id` sent in `room` that I have seen."""
        return [
            e
            for e in self.seen.get(room, [])
            if e["sender"] == user_id and e["type"] == "m.room.message"
        ]

    def direct_rooms_with(self, user_id: str) -> list[str]:
        return [room for room, inviter in self.invited.items() if inviter == user_id]

    def close(self) -> None:
        self._call(self.client.close())


def start_group(world) -> str:
    """The facilitator opens a room, invites the bot and two members, starts pn-ai there with
    both on its roster and a meeting on 15 December; the room's id."""
    w = world
    room = w.facilitator.create_room("pn-ai", [w.bot.me.user_id, w.amina.user_id, w.bruno.user_id])
    w.bot_reads()
    for text in (
        "!pn group create pn-ai",
        f'!pn member add {w.amina.user_id} group=civil-society region=africa gender=woman org="Data Rights Lab" name="Amina Diallo" tz=Africa/Nairobi',
        f'!pn member add {w.bruno.user_id} group=government region=latin-america-caribbean gender=man org="Ministry of Communications" name="Bruno Costa"',
        "!pn meeting add 15 December 2026 13:00",
    ):
        w.facilitator.say(room, text)
    assert w.bot_reads() == 4
    return room


def bodies(events: list[dict]) -> list[str]:
    return [e["content"]["body"] for e in events]


def matrix_settings(database_url, homeserver, accounts, **extra) -> Settings:
    bot = accounts["pnbot"]
    return Settings(
        database_url=database_url,
        transport="matrix",
        facilitators=frozenset({accounts["facilitator"].user_id[1:]}),
        matrix_homeserver=homeserver.url,
        matrix_user_id=bot.user_id,
        matrix_access_token=bot.access_token,
        **extra,
    )


def start_bot(settings, core, loop: Loop, clock: Clock) -> MatrixBot:
    """The bot as `pnbot run` starts it, minus the endless sync loop the tests step through."""
    bot = MatrixBot(replace(core, settings=settings), clock=clock)
    loop.run(bot.start())
    loop.run(bot.sync_once())
    return bot


def membership(person: Person, room: str, user_id: str) -> str | None:
    """`user_id`'s latest membership in `room`, as `person` saw it."""
    found = None
    for event in person.seen.get(room, []):
        if event["type"] == "m.room.member" and event.get("state_key") == user_id:
            found = event["content"]["membership"]
    return found
