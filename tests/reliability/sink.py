"""A durable append-only delivery log standing in for a chat platform: one JSON line per thing
the bot sends, written with O_APPEND in one write and fsynced before the send returns."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from bot.transports.base import Sent
from handlers.events import DirectMessage, Outgoing, Post, Reply, Update


def where(out: Outgoing) -> str | None:
    """The room or person a message went to."""
    if isinstance(out, Post | Update):
        return out.room
    if isinstance(out, DirectMessage):
        return out.user
    if isinstance(out, Reply) and out.to is not None:
        return f"dm:{out.to.user}" if out.to.is_direct else out.to.room
    return None


class Sink:
    def __init__(self, path: Path):
        self.path = Path(path)

    def write(self, out: Outgoing, **extra) -> None:
        """Record one delivery under its outbox key (every delivered item has one)."""
        entry = {
            "key": out.key,
            "kind": type(out).__name__,
            "where": where(out),
            "text": out.text,
        } | extra
        data = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)

    def entries(self) -> list[dict]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").split("\n")
        # Only complete lines count: a line the process died in the middle of was not sent.
        return [json.loads(line) for line in lines[:-1] if line]

    def keys(self, kinds: tuple[str, ...] | None = None) -> Counter:
        """How often each outbox item (of these kinds, or any) was delivered."""
        return Counter(
            e["key"]
            for e in self.entries()
            if e["key"] is not None and (kinds is None or e["kind"] in kinds)
        )

    def delivered(self, out: Outgoing) -> Sent | bool | None:
        """The platform's answer to the delivery loop: where an interrupted send of `out`
        arrived (its room and number, as a platform gives its message id), or False."""
        if out.key is None:
            return None
        found = next((e for e in self.entries() if e["key"] == out.key), None)
        if found is None:
            return False
        return Sent(found["where"], found["id"]) if found.get("id") else True
