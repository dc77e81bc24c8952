"""The Matrix transport: a matrix-nio client that syncs with the homeserver, parses room
events into the event model, hands them to the core, and renders what it returns.

A person is known to the core by their Matrix id without the `@` (`alice:example.org`), the
form a roster mention `@alice:example.org` gives. The idempotency key is the event id.

The core decides everything; this module only translates:
- `!pn TEXT` → Command (Matrix has no slash commands for bots); a message in a direct room,
  or one that mentions the bot → Message addressed to the bot; any other message → Message
  for chat capture; a reply or a thread message (`m.relates_to`) is in the thread of the
  event it answers; `m.annotation` reactions → Reaction on their event (⛔ is `no_entry`),
  and their redaction → the reaction removed; a number (1️⃣ or `1`) reacted or replied to one
  of the bot's messages with buttons → Action of that button.
- Reply → the room (its thread when `in_thread`); a private reply in a group room goes to the
  asker's direct room, as Matrix has no messages only one person sees; Post → the room, and
  its event id is remembered when it names a record; DirectMessage → the person's direct room
  (created once, kept in the database); Update → an `m.replace` edit.
- Invitations: the bot joins when the inviter is a facilitator (PNBOT_FACILITATORS or a
  roster's facilitator), the room is in MATRIX_ROOMS, or a person on a roster opens a direct
  chat with it; it declines every other one. Its own events are ignored, and so are
  `m.notice` messages (what bots send).
- An edit (`m.replace`) → Edited with the new text, the redaction of a message → Deleted, both
  naming the original event; the core updates or withdraws what the message gave.
- The sync token is stored in the database after each batch: a restart resumes after the
  last batch handled; an event handled just before a crash is skipped by its id. A scheduled
  message is sent with its outbox key as the transaction id, so sending it again after an
  interrupted attempt gives back the first event instead of a second message.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    RoomGetEventResponse,
    SyncError,
)

from bot.runtime import Runtime
from bot.transports import matrix_render as render
from bot.transports.base import Limits, Refused, RetryLater, Sent
from handlers.events import (
    Action,
    Address,
    Command,
    Deleted,
    DirectMessage,
    Edited,
    Inbound,
    Message,
    Outgoing,
    Post,
    Reaction,
    Reply,
    Update,
)

log = logging.getLogger(__name__)

TRANSPORT = "matrix"
PREFIX = "!pn"
SYNC_TOKEN = "sync_token"
SYNC_TIMEOUT_MS = 30_000
SEND_TIMEOUT = 60.0  # seconds the scheduler waits for one delivery
# A generous timeline per room and sync, so a restart after a busy hour still sees every event.
SYNC_FILTER = {
    "room": {"timeline": {"limit": 200}, "state": {"lazy_load_members": True}},
    "presence": {"not_types": ["*"]},
    "account_data": {"not_types": ["*"]},
}
WRITTEN = ("m.text", "m.emote")
USER = re.compile(r"@?[^\s:@]+:[^\s]+")
# What a homeserver answers when it will never take the message as it is.
REFUSALS = ("M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_TOKEN", "M_TOO_LARGE", "M_BAD_JSON")


def handle(user_id: str) -> str:
    """The core's name for a Matrix user: the id without its `@`."""
    return user_id[1:] if user_id.startswith("@") else user_id


def user_id(name: str) -> str:
    return name if name.startswith("@") else f"@{name}"


def _at(event: dict) -> datetime:
    return datetime.fromtimestamp(event.get("origin_server_ts", 0) / 1000, UTC)


# parsing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Me:
    """Who the bot is on Matrix, to ignore its own events and notice its mentions."""

    user_id: str
    display_name: str | None = None

    def names(self) -> list[str]:
        local = self.user_id[1:].split(":", 1)[0]
        names = [self.user_id, local, f"@{local}"]
        if self.display_name:
            names.append(self.display_name)
        return sorted(set(names), key=len, reverse=True)

    def strip_mention(self, content: dict, body: str) -> tuple[str, bool]:
        """Take a leading mention of the bot out of `body`; whether the bot was mentioned."""
        mentioned = self.user_id in ((content.get("m.mentions") or {}).get("user_ids") or [])
        lowered = body.lower()
        for name in self.names():
            if lowered.startswith(name.lower()):
                rest = body[len(name) :]
                if not rest or rest[0] in " :,":
                    return rest.lstrip(" :,"), True
        return body, mentioned


def relation(content: dict) -> tuple[str | None, str | None]:
    """(the relation type, the related event) of a message's `m.relates_to`."""
    relates = content.get("m.relates_to") or {}
    if relates.get("rel_type"):
        return relates["rel_type"], relates.get("event_id")
    replied = (relates.get("m.in_reply_to") or {}).get("event_id")
    return ("reply", replied) if replied else (None, None)


def parse_message(room: str, event: dict, me: Me, is_direct: bool) -> Inbound | None:
    """A message someone wrote, as a Command or a Message; None for what is not one."""
    content = event.get("content") or {}
    if event.get("sender") == me.user_id or content.get("msgtype") not in WRITTEN:
        return None
    kind, related = relation(content)
    if kind == "m.replace":
        return parse_edit(room, event, me, is_direct, related)
    body = content.get("body")
    if not isinstance(body, str):
        return None
    if kind is not None:
        body = render.strip_reply_fallback(body)
    base = {
        "transport": TRANSPORT,
        "room": room,
        "user": handle(event["sender"]),
        "key": event["event_id"],
        "at": _at(event),
        "message_id": event["event_id"],
        "thread": related if kind in ("m.thread", "reply") else None,
        "is_direct": is_direct,
    }
    text = body.strip()
    if text.lower() == PREFIX or text.lower().startswith(PREFIX + " "):
        return Command(text=text[len(PREFIX) :].strip(), **base)
    text, mentioned = me.strip_mention(content, text)
    return Message(text=text.strip(), mentions_bot=mentioned and not is_direct, **base)


def parse_edit(
    room: str, event: dict, me: Me, is_direct: bool, original: str | None
) -> Edited | None:
    """An edit of someone's message: the new text, naming the original event."""
    new = (event.get("content") or {}).get("m.new_content") or {}
    body = new.get("body")
    if not original or not isinstance(body, str) or new.get("msgtype", "m.text") not in WRITTEN:
        return None
    text, _ = me.strip_mention(new, body.strip())
    return Edited(
        transport=TRANSPORT,
        room=room,
        user=handle(event["sender"]),
        key=event["event_id"],
        at=_at(event),
        message_id=original,
        is_direct=is_direct,
        text=text.strip(),
    )


def parse_reaction(room: str, event: dict, me: Me, is_direct: bool) -> Reaction | None:
    content = event.get("content") or {}
    relates = content.get("m.relates_to") or {}
    if event.get("sender") == me.user_id or relates.get("rel_type") != "m.annotation":
        return None
    if not relates.get("event_id") or not isinstance(relates.get("key"), str):
        return None
    return Reaction(
        transport=TRANSPORT,
        room=room,
        user=handle(event["sender"]),
        key=event["event_id"],
        at=_at(event),
        is_direct=is_direct,
        name=render.reaction_name(relates["key"]),
        target=relates["event_id"],
    )


def parse_unreaction(room: str, event: dict, undone: dict, is_direct: bool) -> Reaction:
    """The redaction `event` of the reaction `undone` (as remembered): a reaction removed.

    It is said as whoever redacted it, so a moderator's redaction of someone else's reaction
    takes back nothing of theirs.
    """
    return Reaction(
        transport=TRANSPORT,
        room=room,
        user=handle(event["sender"]),
        key=event["event_id"],
        at=_at(event),
        is_direct=is_direct,
        name=undone["name"],
        target=undone["target"],
        added=False,
    )


def button_action(inbound: Inbound, number: int, target: str, buttons: list[dict]) -> Action | None:
    """Button `number` of the bot's message `target`, pressed by `inbound`'s author."""
    if not 1 <= number <= len(buttons):
        return None
    pressed = buttons[number - 1]
    return Action(
        transport=TRANSPORT,
        room=inbound.room,
        user=inbound.user,
        key=inbound.key,
        at=inbound.at,
        message_id=target,
        thread=inbound.thread,
        is_direct=inbound.is_direct,
        action=str(pressed.get("action", "")),
        value=str(pressed.get("value", "")),
        target=target,
    )


# the bot ------------------------------------------------------------------------------------


class MatrixBot:
    """One Matrix account serving the core: sync, parse, hand events to the runtime, and
    deliver what the runtime takes from the outbox.

    Async methods run on the bot's event loop; `deliver` is the runtime's (synchronous)
    delivery, called from another thread. `clock` replaces the events' own times (tests
    replay a month in minutes) and is the runtime's clock. `inline` processes each event
    before the sync goes on (the tests); `pnbot run` hands events to the runtime's workers.
    A given `runtime` (shared with other platforms) is joined instead of making one.
    """

    name = TRANSPORT
    limits = Limits()

    def __init__(
        self,
        core_app,
        *,
        clock: Callable[[], datetime] | None = None,
        client: AsyncClient | None = None,
        inline: bool = True,
        runtime: Runtime | None = None,
    ):
        settings = core_app.settings
        self.settings = settings
        self.core = core_app.dispatcher
        self.store = core_app.store
        self.clock = clock
        self.me = Me(settings.matrix_user_id)
        self.client = client or AsyncClient(
            settings.matrix_homeserver,
            settings.matrix_user_id,
            config=AsyncClientConfig(encryption_enabled=False, request_timeout=60),
        )
        self.loop: asyncio.AbstractEventLoop | None = None
        self.token: str | None = None
        self.direct: dict[str, str] = {}  # direct room id -> the person's handle
        if runtime is not None:  # served beside other platforms, on their runtime
            runtime.add(self)
            self.runtime = runtime
        elif clock:
            self.runtime = Runtime(core_app, [self], clock=clock, inline=inline)
        else:
            self.runtime = Runtime(core_app, [self], inline=inline)
        self.core.slash_commands[TRANSPORT] = PREFIX  # the help says what to type commands after

    # state --------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return self.runtime.clock()

    def _load_state(self) -> None:
        with self.store() as uow:
            self.token = uow.transport_state.get(TRANSPORT, SYNC_TOKEN)
            rooms = uow.transport_state.named_like(TRANSPORT, "direct:")
        self.direct = {name.removeprefix("direct:"): who for name, who in rooms.items()}

    def _save(self, **values: str) -> None:
        with self.store() as uow:
            for name, value in values.items():
                uow.transport_state.put(TRANSPORT, name, value, self._now())
            uow.commit()

    def _stored(self, name: str) -> str | None:
        with self.store() as uow:
            return uow.transport_state.get(TRANSPORT, name)

    def _remember_direct(self, room: str, who: str) -> None:
        self.direct[room] = who
        self._save(**{f"direct:{room}": who, f"dm:{who}": room})

    def _remember_reaction(self, reaction: Reaction) -> None:
        """Kept in the database: its redaction, even after a restart, takes it back."""
        value = {"user": reaction.user, "name": reaction.name, "target": reaction.target}
        self._save(**{f"reaction:{reaction.key}": json.dumps(value)})

    def _reaction(self, event_id: str) -> dict | None:
        stored = self._stored(f"reaction:{event_id}")
        return json.loads(stored) if stored else None

    # lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        """Log in (with the password when there is no token) and load the stored state."""
        self.loop = asyncio.get_running_loop()
        settings = self.settings
        if settings.matrix_access_token:
            self.client.access_token = settings.matrix_access_token
            self.client.user_id = settings.matrix_user_id
        else:
            answer = await self.client.login(settings.matrix_password, device_name="pnbot")
            if not getattr(answer, "access_token", None):
                raise ConnectionError(f"Matrix login refused: {getattr(answer, 'message', answer)}")
        profile = await self.client.get_displayname(self.me.user_id)
        self.me = Me(self.me.user_id, getattr(profile, "displayname", None))
        await asyncio.to_thread(self._load_state)

    async def close(self) -> None:
        await self.client.close()

    async def sync_once(self, timeout_ms: int = 0) -> int:
        """One sync: handle what happened since the stored token, then store the new token.
        The first sync of a new bot only answers invitations: it does not act on history.
        Returns how many events were handled."""
        answer = await self.client.sync(
            timeout=timeout_ms, since=self.token, sync_filter=SYNC_FILTER
        )
        if isinstance(answer, SyncError):
            raise ConnectionError(f"Matrix sync failed: {answer.message}")
        handled = 0
        for room, info in answer.rooms.invite.items():
            await self.on_invite(room, [_stripped(e) for e in info.invite_state])
        if self.token is not None:
            for room, info in answer.rooms.join.items():
                events = [event.source for event in info.timeline.events]
                joined = self._joined_at(events)
                if joined is not None:  # what was said before the bot came is not for it
                    events = events[joined + 1 :]
                elif info.timeline.limited:
                    log.warning("room %s had more events than one sync returns", room)
                for event in events:
                    handled += await self.on_event(room, event)
        self.token = answer.next_batch
        await asyncio.to_thread(self._save, **{SYNC_TOKEN: answer.next_batch})
        return handled

    def _joined_at(self, events: list[dict]) -> int | None:
        """Where in `events` the bot joined the room, if it did in this batch."""
        for i in range(len(events) - 1, -1, -1):
            event = events[i]
            if event.get("type") != "m.room.member" or event.get("state_key") != self.me.user_id:
                continue
            before = ((event.get("unsigned") or {}).get("prev_content") or {}).get("membership")
            if (event.get("content") or {}).get("membership") == "join" and before != "join":
                return i
        return None

    async def run_forever(self, announce=print) -> None:
        try:
            await self.start()
        except BaseException:
            await self.close()
            raise
        self.runtime.start()
        announce(f"pnbot: connected to Matrix as {self.me.user_id}", flush=True)
        try:
            await self.sync_forever()
        finally:
            self.runtime.stop()
            await self.close()

    async def sync_forever(self) -> None:
        """Sync until cancelled; a homeserver away is tried again after a growing pause."""
        pause = 1.0
        while True:
            try:
                await self.sync_once(SYNC_TIMEOUT_MS)
                pause = 1.0
            except Exception as error:  # the homeserver away: the next sync resumes
                log.warning("%s; trying again in %.0f s", error, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 60.0)

    # inbound ------------------------------------------------------------------------------
    async def on_invite(self, room: str, state: list[dict]) -> None:
        invite = next(
            (
                e
                for e in state
                if e.get("type") == "m.room.member"
                and e.get("state_key") == self.me.user_id
                and (e.get("content") or {}).get("membership") == "invite"
            ),
            None,
        )
        inviter = handle(invite["sender"]) if invite else None
        is_direct = bool(invite and (invite.get("content") or {}).get("is_direct"))
        welcome = await asyncio.to_thread(self._welcome, room, inviter, is_direct)
        if welcome:
            joined = await self.client.join(room)
            if getattr(joined, "room_id", None) and is_direct and inviter:
                await asyncio.to_thread(self._remember_direct, room, inviter)
            log.info("joined %s, invited by %s", room, inviter)
        else:
            log.info("declined the invitation to %s from %s", room, inviter)
            await self.client.room_leave(room)

    def _welcome(self, room: str, inviter: str | None, is_direct: bool) -> bool:
        """Whether to join `room`: configured, or the inviter is a facilitator, or a person on
        a roster opens a direct chat."""
        if room in self.settings.matrix_rooms:
            return True
        if inviter is None:
            return False
        if inviter in self.settings.facilitators:
            return True
        with self.store() as uow:
            roles = {
                uow.members.get(group.id, inviter).role for group in uow.members.groups_of(inviter)
            }
        return "facilitator" in roles or (is_direct and bool(roles))

    async def on_event(self, room: str, event: dict) -> int:
        """Handle one timeline event; 1 when it reached the core."""
        if event.get("sender") == self.me.user_id:
            return 0
        kind = event.get("type")
        direct = room in self.direct
        inbound: Inbound | None = None
        if kind == "m.room.message":
            inbound = parse_message(room, event, self.me, direct)
            if isinstance(inbound, Message) and inbound.thread:
                inbound = await self._numbered_reply(inbound) or inbound
        elif kind == "m.reaction":
            inbound = parse_reaction(room, event, self.me, direct)
            if inbound is not None:
                await asyncio.to_thread(self._remember_reaction, inbound)
                inbound = await self._keycap(inbound) or inbound
        elif kind == "m.room.redaction":
            redacted = event.get("redacts") or (event.get("content") or {}).get("redacts") or ""
            undone = await asyncio.to_thread(self._reaction, redacted) if redacted else None
            if undone is None and redacted:
                inbound = Deleted(
                    transport=TRANSPORT,
                    room=room,
                    user=handle(event["sender"]),
                    key=event["event_id"],
                    at=_at(event),
                    message_id=redacted,
                    is_direct=direct,
                )
            elif undone is not None:
                inbound = parse_unreaction(room, event, undone, direct)
        if inbound is None:
            return 0
        if self.clock:
            inbound = replace(inbound, at=self._now())
        await asyncio.to_thread(self.runtime.receive, inbound)
        return 1

    async def _buttons_of(self, room: str, event_id: str) -> list[dict]:
        """The buttons of one of the bot's messages (none for anyone else's)."""
        answer = await self.client.room_get_event(room, event_id)
        if not isinstance(answer, RoomGetEventResponse):
            return []
        source = answer.event.source
        if source.get("sender") != self.me.user_id:
            return []
        buttons = (source.get("content") or {}).get(render.ACTIONS_KEY)
        return buttons if isinstance(buttons, list) else []

    async def _numbered_reply(self, message: Message) -> Action | None:
        number = render.button_number(message.text)
        if number is None:
            return None
        return button_action(
            message, number, message.thread, await self._buttons_of(message.room, message.thread)
        )

    async def _keycap(self, reaction: Reaction) -> Action | None:
        number = render.button_number(reaction.name)
        if number is None:
            return None
        buttons = await self._buttons_of(reaction.room, reaction.target)
        return button_action(reaction, number, reaction.target, buttons)

    # outbound -----------------------------------------------------------------------------
    def owns(self, handle: str) -> bool:
        return bool(USER.fullmatch(handle))

    def delivered(self, out: Outgoing) -> Sent | bool | None:
        # Every message is sent with a transaction id made from its outbox key: sending it
        # again gives back the first event rather than a second message.
        return None

    def deliver(self, out: Outgoing) -> Sent | None:
        """The runtime's delivery: runs `send` on the bot's loop and waits for it."""
        if self.loop is None:
            raise RuntimeError("the Matrix bot is not started")
        return asyncio.run_coroutine_threadsafe(self.send(out), self.loop).result(SEND_TIMEOUT)

    async def send(self, out: Outgoing) -> Sent | None:
        """Send a Reply, Post, DirectMessage or Update."""
        transport = out.to.transport if isinstance(out, Reply) and out.to else out.transport
        if transport != TRANSPORT:
            raise Refused(f"not a Matrix message: {transport}")
        retry = _transaction(out.key)
        if isinstance(out, Reply):
            return await self.reply(out, out.to, retry)
        if isinstance(out, Post):
            sent = await self._send(out.room, render.content(out), out.thread, retry=retry)
            return Sent(out.room, sent)
        if isinstance(out, DirectMessage):
            await self.direct_message(out.user, out, retry)
            return None
        if isinstance(out, Update):
            new = render.content(out)
            edit = dict(new, body=f"* {new['body']}", formatted_body=f"* {new['formatted_body']}")
            edit["m.new_content"] = new
            edit["m.relates_to"] = {"rel_type": "m.replace", "event_id": out.message_id}
            await self._send(out.room, edit, retry=retry)
            return None
        raise TypeError(f"cannot deliver {type(out).__name__}")

    async def reply(self, out: Reply, to: Address, retry: str | None = None) -> Sent | None:
        if out.private and not to.is_direct:
            # Matrix has no message only one person sees: their direct room instead.
            await self.direct_message(to.user, out, retry)
            return None
        thread = (to.thread or to.message_id) if out.in_thread else None
        sent = await self._send(to.room, render.content(out), thread, to.message_id, retry=retry)
        return Sent(to.room, sent)

    async def direct_message(self, who: str, out: Outgoing, retry: str | None = None) -> None:
        await self._send(await self._direct_room(who), render.content(out), retry=retry)

    async def _direct_room(self, who: str) -> str:
        room = await asyncio.to_thread(self._stored, f"dm:{who}")
        if room:
            return room
        created = await self.client.room_create(is_direct=True, invite=[user_id(who)])
        if not getattr(created, "room_id", None):
            raise ConnectionError(f"cannot open a direct room with {who}: {created}")
        await asyncio.to_thread(self._remember_direct, created.room_id, who)
        return created.room_id

    async def _send(
        self,
        room: str,
        content: dict,
        thread: str | None = None,
        answering: str | None = None,
        *,
        retry: str | None = None,
    ) -> str:
        if thread:
            content = dict(content)
            content["m.relates_to"] = {
                "rel_type": "m.thread",
                "event_id": thread,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": answering or thread},
            }
        answer = await self.client.room_send(room, "m.room.message", content, tx_id=retry)
        event_id = getattr(answer, "event_id", None)
        if not event_id:
            raise _failure(room, answer)
        return event_id


def _transaction(key: str | None) -> str | None:
    """The transaction id of a scheduled message: the same for every attempt to send it."""
    return "pnbot-" + hashlib.sha256(key.encode()).hexdigest()[:32] if key else None


def _failure(room: str, answer) -> Exception:
    """What a homeserver's error answer means for the outbox: wait, give up, or retry."""
    code = getattr(answer, "status_code", None)
    if code == "M_LIMIT_EXCEEDED":
        wait_ms = getattr(answer, "retry_after_ms", None) or 5000
        return RetryLater(wait_ms / 1000, f"Matrix: {code}")
    if code in REFUSALS:
        return Refused(f"Matrix: {code} in {room}: {getattr(answer, 'message', '')}")
    return ConnectionError(f"Matrix refused a message in {room}: {answer}")


def _stripped(event) -> dict:
    """An invited room's state event as the homeserver sent it (nio keeps no source of these)."""
    if isinstance(event, InviteMemberEvent):
        return {
            "type": "m.room.member",
            "sender": event.sender,
            "state_key": event.state_key,
            "content": event.content,
        }
    return getattr(event, "source", None) or {}


def run(core_app, announce=print, runtime: Runtime | None = None) -> int:
    """Run the bot on Matrix until interrupted; scheduled posts go out through the same client
    (on `runtime` when other transports share it)."""
    # nio warns of every error answer it validates; the bot reports the errors that matter.
    logging.getLogger("nio.responses").setLevel(logging.ERROR)
    bot = MatrixBot(core_app, inline=False, runtime=runtime)
    asyncio.run(bot.run_forever(announce))
    return 0


def start_beside(core_app, runtime: Runtime, announce=print) -> MatrixBot:
    """Serve Matrix on `runtime` (another platform's, started by its caller) from a thread of
    its own: log in here, so a refused login stops the start, then sync for ever there."""
    logging.getLogger("nio.responses").setLevel(logging.ERROR)
    bot = MatrixBot(core_app, inline=False, runtime=runtime)
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="pnbot-matrix", daemon=True).start()
    try:
        asyncio.run_coroutine_threadsafe(bot.start(), loop).result(SEND_TIMEOUT)
    except BaseException:
        asyncio.run_coroutine_threadsafe(bot.close(), loop).result(SEND_TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        raise
    announce(f"pnbot: connected to Matrix as {bot.me.user_id}", flush=True)
    asyncio.run_coroutine_threadsafe(bot.sync_forever(), loop)
    return bot
