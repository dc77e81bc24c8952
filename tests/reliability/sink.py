"""A durable append-only delivery log standing in for a chat platform: one JSON line per thing
the bot sends, written with O_APPEND in one write and fsynced before the send returns."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from handlers.events import DirectMessage, Outgoing, Post


class Sink:
    def __init__(self, path: Path):
        self.path = Path(path)

    def write(self, out: Outgoing, origin: str | None = None, **extra) -> None:
        """Record one delivery: `out.key` for an outbox item, else `origin` (the event's key)."""
        where = out.room if isinstance(out, Post) else getattr(out, "user", None)
        entry = {
            "key": out.key if isinstance(out, Post | DirectMessage) else None,
            "origin": origin,
            "kind": type(out).__name__,
            "where": where,
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

    def keys(self) -> Counter:
        """How often each outbox item was delivered."""
        return Counter(e["key"] for e in self.entries() if e["key"] is not None)

    def delivered(self, out: Outgoing) -> bool | None:
        """The transport's answer to the scheduler: did an interrupted send of `out` arrive?"""
        key = getattr(out, "key", None)
        if key is None:
            return None
        return key in self.keys()
