"""Inbound events as inbox rows and back, so an event recorded by one thread (or a process
that then died) is processed by another exactly as it arrived."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from handlers.events import Action, Command, Deleted, Edited, Inbound, Message, Reaction

KINDS: dict[str, type[Inbound]] = {
    cls.__name__.lower(): cls for cls in (Message, Command, Reaction, Action, Edited, Deleted)
}


def kind_of(event: Inbound) -> str:
    return type(event).__name__.lower()


def to_payload(event: Inbound, extra: dict | None = None) -> dict:
    """The event's fields as JSON, with what the transport needs to answer it (`extra`)."""
    fields = dataclasses.asdict(event)
    fields["at"] = event.at.isoformat()
    return {"event": fields, "extra": dict(extra or {})}


def from_payload(kind: str, payload: dict) -> tuple[Inbound, dict]:
    """The event an inbox row holds, and its transport's extra."""
    fields = dict(payload["event"])
    fields["at"] = datetime.fromisoformat(fields["at"])
    return KINDS[kind](**fields), dict(payload.get("extra") or {})
