"""One dispatcher for every transport: record the event in the inbox, find the group and the
asker's role, run the use case in one unit of work, turn refusals into replies, and queue
every answer in the outbox in the same transaction as what the event changed."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import time
from collections.abc import Callable
from datetime import datetime

from bot import inbound as inbound_rows
from bot.outbox import to_row
from handlers import capture, edits, grammar
from handlers.base import ACTION_GROUPS, ACTIONS, Context, UserError
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
    Reaction,
    Reply,
)
from handlers.registry import REGISTRY
from handlers.roster import STAFF_ZONE

log = logging.getLogger(__name__)
# Invisible control characters (tab and line breaks are kept): never part of what someone
# meant to say, and PostgreSQL cannot store NUL at all; nor are direction overrides, which
# would show a captured title in another order than it reads.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

CRASH_REPLY = (
    "Something went wrong on my side and nothing was changed. "
    "The facilitator can find the details in the bot's log."
)
COMMAND_PREFIX = "/pn"
DUPLICATE_WAIT = 10.0  # seconds a second delivery waits for the first to be processed


def answer_key(event, i: int) -> str:
    """The outbox key of the `i`-th answer to `event`: named by the event's own idempotency
    key, so the same event's answers have the same keys however often it arrives (inbox ids
    are not that: an insert that finds the event recorded still uses up an id)."""
    key = f"answer:{event.transport}:{event.key}:{i}"
    if len(key) <= 255:
        return key
    digest = hashlib.sha256(event.key.encode()).hexdigest()
    return f"answer:{event.transport}:{digest}:{i}"


class Dispatcher:
    def __init__(
        self,
        store,
        default_tz: str = "UTC",
        facilitators: frozenset[str] = frozenset(),
        secretariat_room: str | None = None,
        site_url: str | None = None,
    ):
        self.store = store
        self.site_url = site_url
        self.default_tz = default_tz
        self.facilitators = facilitators
        self.secretariat_room = secretariat_room
        # transport -> (handle -> time zone of the person's profile there, or None)
        self.profiles: dict[str, Callable[[str], str | None]] = {}
        # transport -> its slash command, when it is not COMMAND_PREFIX
        self.slash_commands: dict[str, str] = {}
        # The transport a person's handle lives on (None: unknown); a direct message goes there.
        self.home_of: Callable[[str], str | None] = lambda handle: None

    def handle(self, event: Inbound, extra: dict | None = None) -> list[Outgoing]:
        """Record and process `event` once; what it answered (already queued in the outbox).
        A second delivery with the same key returns nothing."""
        received = self.record(event, extra)
        if received is None:
            # Another delivery of the same event is being processed: what comes after it (a
            # second vote) must find it done, as it would after the first delivery's answer.
            self.wait_processed(event)
            return []
        return self.process(received)[1]

    def wait_processed(self, event: Inbound, timeout: float = DUPLICATE_WAIT) -> bool:
        """Wait (briefly) until the recorded `event` is processed; False on a timeout."""
        deadline = time.monotonic() + timeout
        while True:
            with self.store() as uow:
                if uow.inbox.processed(event.transport, event.key):
                    return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)

    def record(self, event: Inbound, extra: dict | None = None, now: datetime | None = None):
        """Record `event` in the inbox (a short transaction of its own); its inbox id, or None
        when the same event was recorded before."""
        payload = inbound_rows.to_payload(event, extra)
        with self.store() as uow:
            received = uow.inbox.record(
                event.transport,
                event.key,
                event.room,
                inbound_rows.kind_of(event),
                payload,
                now or event.at,
            )
            uow.commit()
        if received is None:
            log.info("skipping %s event %s: already received", event.transport, event.key)
        return received

    def process(
        self, received: int, now: datetime | None = None, known: tuple | None = None
    ) -> tuple[list[int], list[Outgoing]]:
        """Process the recorded event `received` once: its effects, its answers queued in the
        outbox and the event marked processed, all in one transaction. Returns the outbox ids
        of the answers (to deliver at once) and the answers; nothing when it was processed
        already, by this process or another. `known` is the (event, extra) just recorded,
        which spares reading it back (marking it processed still happens once)."""
        if known is not None:
            event, extra = known
        else:
            with self.store() as uow:
                row = uow.inbox.get(received)
                if row is None or row.processed_at is not None:
                    return [], []
                event, extra = inbound_rows.from_payload(row.kind, row.payload)
        now = now or event.at
        try:
            with self.store() as uow:
                ctx = self._context(event, uow)
                outgoing = self._route(ctx, event)
                group_id = ctx.group.id if ctx.group else None
                return self._answer(uow, received, event, extra, outgoing, group_id, now)
        except UserError as refusal:
            refused, outcome = [Reply(text=str(refusal), private=True)], "refused"
        except Exception:
            log.exception("failed on %s event %s", event.transport, event.key)
            refused, outcome = [Reply(text=CRASH_REPLY, private=True)], "failed"
        # The use case's work was rolled back; the refusal is the whole answer.
        with self.store() as uow:
            return self._answer(uow, received, event, extra, refused, None, now, outcome)

    def _answer(
        self, uow, received, event, extra, outgoing, group_id, now, outcome: str = "done"
    ) -> tuple[list[int], list[Outgoing]]:
        """Queue `outgoing` in the outbox, mark the event processed and commit; nothing when
        another worker processed it first (this transaction is then rolled back)."""
        queued = self.addressed(outgoing, Address.of(event, extra))
        keys, ids = [], []
        for i, out in enumerate(queued):
            key = answer_key(event, i)
            ids.append(uow.outbox.enqueue_id(to_row(out, key, event.at, group_id)))
            keys.append(key)
        if not uow.inbox.finish(received, now, outcome):
            uow.rollback()
            log.info("%s event %s was processed elsewhere", event.transport, event.key)
            return [], []
        if None in ids:  # queued by an earlier, interrupted attempt
            ids = uow.outbox.ids_of(keys)
        uow.commit()
        return ids, queued

    def writes(self, event: Inbound) -> bool:
        """Whether handling `event` would change the record: it is handled and rolled back,
        watching for any statement that writes (True when it cannot tell)."""
        from sqlalchemy import event as sa_event

        wrote: list[str] = []

        def spot(conn, cursor, statement, *args) -> None:
            if (
                not statement.lstrip()
                .upper()
                .startswith(("SELECT", "PRAGMA", "SAVEPOINT", "RELEASE"))
            ):
                wrote.append(statement)

        with self.store() as uow:
            connection = uow.session.connection()
            sa_event.listen(connection, "before_cursor_execute", spot)
            try:
                self._route(self._context(event, uow), event)
                uow.session.flush()
            except UserError:
                return False  # refused: nothing would change
            except Exception:
                log.exception("cannot tell whether %s event %s writes", event.transport, event.key)
                return True
            finally:
                sa_event.remove(connection, "before_cursor_execute", spot)
                uow.rollback()
        return bool(wrote)

    def addressed(self, outgoing: list[Outgoing], to: Address) -> list[Outgoing]:
        """Replies carry the event's address; a direct message goes to the platform its
        person is on, once however many of the group's platforms the use case named."""
        done, seen = [], set()
        for out in outgoing:
            if isinstance(out, Reply):
                out = dataclasses.replace(out, to=to)
            elif isinstance(out, DirectMessage):
                home = self.home_of(out.user)
                if home and home != out.transport:
                    out = dataclasses.replace(out, transport=home)
                same = (out.transport, out.user, out.text)
                if same in seen:
                    continue
                seen.add(same)
            done.append(out)
        return done

    def _context(self, event: Inbound, uow) -> Context:
        group = uow.groups.for_room(event.transport, event.room)
        if group is None and isinstance(event, Action) and event.action in ACTION_GROUPS:
            group_id = ACTION_GROUPS[event.action](uow, event.value)
            group = uow.groups.get(group_id) if group_id else None
        if group is None and event.is_direct:
            group = self._group_of_sender(uow, event.user)
        me = uow.members.get(group.id, event.user) if group else None
        role = (
            (me.role if me else "observer")
            if event.user not in self.facilitators
            else "facilitator"
        )
        return Context(
            event=event,
            uow=uow,
            now=event.at,
            group=group,
            user=event.user,
            role=role,
            me=me,
            default_tz=self.default_tz,
            facilitators=self.facilitators,
            secretariat_room=self.secretariat_room,
            profile_zone=self.profiles.get(event.transport),
            slash_command=self.slash_commands.get(event.transport, COMMAND_PREFIX),
            own_zone=self._staff_zone(uow, event) if me is None else None,
            site_url=self.site_url,
        )

    def _staff_zone(self, uow, event: Inbound) -> str | None:
        """The zone a facilitator or secretariat person off the roster set with `tz`."""
        if event.user not in self.facilitators and event.room != self.secretariat_room:
            return None
        return uow.transport_state.get(event.transport, STAFF_ZONE + event.user)

    @staticmethod
    def _group_of_sender(uow, user: str):
        """In a direct message, the group is the sender's (or the only one there is)."""
        mine = uow.members.groups_of(user)
        if len(mine) == 1:
            return mine[0]
        if not mine:
            everyone = uow.groups.all()
            return everyone[0] if len(everyone) == 1 else None
        return None

    def _route(self, ctx: Context, event: Inbound) -> list[Outgoing]:
        if isinstance(event, Command):
            return self._command(ctx, event.text)
        if isinstance(event, Message):
            text = event.text.strip()
            addressed = event.is_direct or event.mentions_bot
            prefix = ctx.slash_command  # typed where the platform does not run it as a command
            if text.lower().startswith(prefix + " ") or text.lower() == prefix:
                return self._command(ctx, text[len(prefix) :])
            if addressed:
                first = text.split(maxsplit=1)[0].lower() if text else ""
                if not text or any(name.split()[0] == first for name in REGISTRY):
                    return self._command(ctx, text)
            captured = capture.on_message(_as_chat(ctx)) if ctx.group else []
            if not captured and addressed:
                raise grammar.unknown(text.split(maxsplit=1)[0], REGISTRY)
            return captured
        if isinstance(event, Action):
            handler = ACTIONS.get(event.action)
            if handler is None:
                raise UserError("That button does nothing any more.")
            return handler(ctx, event.value)
        if isinstance(event, Reaction):
            return capture.on_reaction(ctx) if ctx.group else []
        if isinstance(event, Edited):
            return edits.on_edit(_as_chat(ctx)) if ctx.group else []
        if isinstance(event, Deleted):
            return edits.on_delete(ctx) if ctx.group else []
        raise TypeError(f"unknown event type {type(event).__name__}")

    def _command(self, ctx: Context, text: str) -> list[Outgoing]:
        spec, tokens = grammar.command(text, REGISTRY)
        if spec.needs_group:
            ctx.require_group()
        if spec.facilitator_only and not ctx.is_facilitator:
            raise UserError(
                f"Only the facilitator can use `{spec.name}`; you are {_article(ctx.role)}."
            )
        return spec.func(ctx, grammar.bind(spec, tokens))


def _article(role: str) -> str:
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"


def _as_chat(ctx: Context) -> Context:
    """Chat is read, and kept, without invisible control characters."""
    ctx.event = dataclasses.replace(ctx.event, text=_CONTROL.sub("", ctx.event.text))
    return ctx
