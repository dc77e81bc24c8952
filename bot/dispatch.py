"""One dispatcher for every transport: dedupe, find the group and the asker's role, run the
use case in one unit of work, and turn refusals into replies."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable

from bot import grammar
from bot.events import (
    Action,
    Command,
    Deleted,
    Edited,
    Inbound,
    Message,
    Outgoing,
    Reaction,
    Reply,
)
from handlers import REGISTRY, capture, edits
from handlers.base import ACTION_GROUPS, ACTIONS, Context, UserError

log = logging.getLogger(__name__)
# Invisible control characters (tab and line breaks are kept): never part of what someone
# meant to say, and PostgreSQL cannot store NUL at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

CRASH_REPLY = (
    "Something went wrong on my side and nothing was changed. "
    "The facilitator can find the details in the bot's log."
)
COMMAND_PREFIX = "/pn"


class Dispatcher:
    def __init__(
        self,
        store,
        default_tz: str = "UTC",
        facilitators: frozenset[str] = frozenset(),
        secretariat_room: str | None = None,
    ):
        self.store = store
        self.default_tz = default_tz
        self.facilitators = facilitators
        self.secretariat_room = secretariat_room
        # transport -> (handle -> time zone of the person's profile there, or None)
        self.profiles: dict[str, Callable[[str], str | None]] = {}
        # transport -> its slash command, when it is not COMMAND_PREFIX
        self.slash_commands: dict[str, str] = {}

    def handle(self, event: Inbound) -> list[Outgoing]:
        """Process `event` once; a second delivery with the same key returns nothing."""
        try:
            with self.store() as uow:
                if not uow.events.claim(event.transport, event.key, event.at):
                    log.info("skipping %s event %s: already processed", event.transport, event.key)
                    return []
                outgoing = self._route(self._context(event, uow), event)
                uow.commit()
                return outgoing
        except UserError as refusal:
            return [Reply(text=str(refusal), private=True)]
        except Exception:
            log.exception("failed on %s event %s", event.transport, event.key)
            return [Reply(text=CRASH_REPLY, private=True)]

    def remember_post(self, transport: str, room: str, message_id: str, ref: str) -> None:
        """A transport sent a post made for a record (`ref`, e.g. "outreach:3") as
        `message_id`: replies in its thread and reactions on it will find the record."""
        with self.store() as uow:
            uow.posts.remember(transport, room, message_id, ref)
            uow.commit()

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
        )

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
