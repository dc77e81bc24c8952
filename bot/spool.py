"""Events that arrive while a SQLite file is locked by a long transaction of the core: each
is written to a file beside the database and synced, so the platform can be answered at
once and a crash loses nothing answered; the runtime moves them into the inbox, in the order
they came, as soon as the database takes them (or at the next start)."""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from bot import inbound as inbound_rows
from handlers.events import Inbound
from storage.engine import make_engine
from storage.uow import Store

log = logging.getLogger(__name__)

# How long a listener waits for a locked SQLite file before it spools the event instead:
# well inside the 3 s Slack gives for an acknowledgement, with room for several at once.
LOCK_WAIT = 0.5
SUFFIX = ".json"


def record(store, event: Inbound, extra: dict | None, now: datetime) -> int | None:
    """Record `event` in the inbox (a short transaction of its own); its id, or None when
    the same event was recorded before."""
    with store() as uow:
        received = uow.inbox.record(
            event.transport,
            event.key,
            event.room,
            inbound_rows.kind_of(event),
            inbound_rows.to_payload(event, extra),
            now,
        )
        uow.commit()
    return received


class Spool:
    """The folder of events acknowledged before the inbox could take them, oldest first."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._count = itertools.count()
        self._lock = threading.Lock()

    def put(self, event: Inbound, extra: dict | None, now: datetime) -> Path:
        """Keep `event` on disk (written, synced, then renamed into place) and return its file."""
        with self._lock:
            name = f"{time.time_ns():020d}-{os.getpid()}-{next(self._count):08d}"
        data = {
            "kind": inbound_rows.kind_of(event),
            "payload": inbound_rows.to_payload(event, extra),
            "now": now.isoformat(),
        }
        partial = self.folder / (name + ".part")
        with open(partial, "w", encoding="utf-8") as file:
            json.dump(data, file)
            file.flush()
            os.fsync(file.fileno())
        final = partial.with_suffix(SUFFIX)
        os.replace(partial, final)
        _sync_folder(self.folder)
        return final

    def waiting(self) -> list[Path]:
        """The spooled events' files, in the order they came."""
        return sorted(self.folder.glob("*" + SUFFIX))

    @staticmethod
    def read(path: Path) -> tuple[Inbound, dict, datetime] | None:
        """The event a file holds; None when another process has taken it already, or when
        it cannot be read (it is set aside as `.bad`, so the events after it still flow)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            event, extra = inbound_rows.from_payload(data["kind"], data["payload"])
            return event, extra, datetime.fromisoformat(data["now"])
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as error:
            log.error("cannot read the spooled event %s (%s); set aside as .bad", path, error)
            os.replace(path, path.with_suffix(".bad"))
            return None

    @staticmethod
    def done(path: Path) -> None:
        path.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def for_engine(engine: Engine) -> tuple[Spool, Store] | None:
    """For a SQLite file: its spool (a folder beside it) and a store whose transactions give
    up after LOCK_WAIT on a locked database. None elsewhere: PostgreSQL locks rows, not the
    database, so recording an event never waits for the core there."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    database = Path(url.database).resolve()
    quick = make_engine(url.render_as_string(hide_password=False), lock_wait=LOCK_WAIT)
    return Spool(database.with_name(database.name + ".spool")), Store(quick)
