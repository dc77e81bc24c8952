"""The delivery loop's work: send claimed outbox items through their transports, mark each
sent with the id the platform gave it (and link that id to the item's record in the same
transaction), hold back what the platform asked to wait for, back off on failures, and mark
failed for good what the platform refused, telling the facilitator once."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.outbox import from_row, room_of, to_row
from bot.transports.base import Limits, Refused, RetryLater, Sent
from handlers import notify, schedule
from handlers.events import DirectMessage, Outgoing, Reply, strip_marks
from storage.models import OutboxItem

log = logging.getLogger(__name__)

FIRST_BACKOFF = timedelta(seconds=30)
LONGEST_BACKOFF = timedelta(hours=1)
FAILED_PREFIX = "failed:"


def _private_in_room(out: Outgoing) -> bool:
    """An answer only its asker sees, in a room others share."""
    return isinstance(out, Reply) and out.private and out.to is not None and not out.to.is_direct


def backoff(attempts: int) -> timedelta | None:
    """How long to wait after the `attempts`-th failed send: the next tick after the first,
    then 30 s, 1 min, 2 min, ... up to an hour."""
    if attempts <= 1:
        return None
    return min(FIRST_BACKOFF * 2 ** (attempts - 2), LONGEST_BACKOFF)


class Functions:
    """A transport made of two functions, for the scheduler's callers that send by hand."""

    limits = Limits()

    def __init__(self, name: str, send: Callable, delivered: Callable | None = None):
        self.name = name
        self._send = send
        self._delivered = delivered

    def owns(self, handle: str) -> bool:
        return False

    def deliver(self, out: Outgoing) -> Sent | None:
        sent = self._send(out)
        return sent if isinstance(sent, Sent) else None

    def delivered(self, out: Outgoing) -> Sent | bool | None:
        return self._delivered(out) if self._delivered else None


class Delivery:
    """Sends outbox items; `transports` maps a transport's name to it (`fallback` serves any
    other name). `facilitators` are told of a refused item besides the group's staff."""

    def __init__(
        self,
        store,
        transports: dict,
        worker: str,
        fallback=None,
        facilitators: frozenset[str] = frozenset(),
        pace: bool = False,
    ):
        self.store = store
        self.transports = transports
        self.fallback = fallback
        self.worker = worker
        self.facilitators = facilitators
        self.pace = pace
        self._last: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def serves(self) -> tuple[str, ...] | None:
        return None if self.fallback is not None else tuple(self.transports)

    def transport(self, name: str):
        return self.transports.get(name, self.fallback)

    def send_ids(self, ids: list[int], now: datetime) -> int:
        """Claim and send these items at once (an event's answers), in order."""
        if not ids:
            return 0
        with self.store() as uow:
            claimed = uow.outbox.claim(ids, now, self.worker, self.serves())
            uow.commit()
        return sum(self.send(row, now) for row in claimed)

    def send_due(self, now: datetime) -> int:
        """Send everything due by `now`; what fails waits for a later round (never retried in
        a loop within one)."""
        sent, seen = 0, set()
        while True:
            with self.store() as uow:
                claimed = uow.outbox.claim_due(
                    now, self.worker, transports=self.serves(), exclude=seen
                )
                uow.commit()
            if not claimed:
                return sent
            seen.update(row.id for row in claimed)
            sent += sum(self.send(row, now) for row in claimed)

    def send(self, row: OutboxItem, now: datetime) -> int:
        """Send one claimed item; 1 when it went out (or had before an interruption)."""
        out = from_row(row)
        transport = self.transport(row.transport)
        if transport is None:
            self._release(row, f"no {row.transport} transport here", None)
            return 0
        if row.attempts > 1 and (found := self._already_delivered(transport, out)):
            log.info(
                "outbox item %s was delivered by an earlier attempt; not sending it again", row.key
            )
            self._mark_sent(row, now, found if isinstance(found, Sent) else None)
            return 1
        if row.attempts > 1 and (reason := self._stale(row, now)):
            log.info("not retrying %s: %s", row.key, reason)
            with self.store() as uow:
                uow.outbox.skip(uow.outbox.get(row.id), now, reason)
                uow.commit()
            return 0
        self._wait_for_room(transport, out)
        try:
            sent = transport.deliver(out)
        except RetryLater as wait:
            log.warning("outbox item %s held back: %s", row.key, wait)
            self._release(row, str(wait), now + timedelta(seconds=max(wait.seconds, 0)))
            return 0
        except Refused as refusal:
            log.warning("outbox item %s refused for good: %s", row.key, refusal)
            self._fail(row, now, str(refusal))
            return 0
        except Exception as error:  # anything else may pass: retried with a back-off, never dropped
            log.warning("outbox item %s not delivered: %r", row.key, error)
            wait = backoff(row.attempts)
            self._release(row, repr(error), now + wait if wait else None)
            return 0
        self._mark_sent(row, now, sent)
        return 1

    def _stale(self, row: OutboxItem, now: datetime) -> str | None:
        """Whether a scheduled item still means something, asked again before each retry."""
        try:
            with self.store() as uow:
                return schedule.stale(uow, row.key, row.group_id, now)
        except Exception:  # cannot tell: sending is the safe side of "never lost"
            log.exception("cannot tell whether %s is still worth sending", row.key)
            return None

    def _already_delivered(self, transport, out: Outgoing) -> Sent | bool:
        """Where an interrupted send landed (or True when it did, somewhere), else False."""
        try:
            found = transport.delivered(out)
        except Exception as error:  # cannot tell: sending again is the safe side of "never lost"
            log.warning("cannot tell whether %s was delivered: %s", out.key, error)
            return False
        return found if isinstance(found, Sent) else found is True

    def _wait_for_room(self, transport, out: Outgoing) -> None:
        """Keep to the platform's pace per room (on the delivery thread, never a listener's)."""
        limits = getattr(transport, "limits", None)
        room = room_of(out)
        if not self.pace or limits is None or not limits.per_room or room is None:
            return
        if limits.private_unpaced and _private_in_room(out):
            return
        with self._lock:
            last = self._last.get((transport.name, room))
            wait = 0.0 if last is None else last + limits.per_room - time.monotonic()
            self._last[(transport.name, room)] = time.monotonic() + max(wait, 0.0)
        if wait > 0:
            time.sleep(wait)

    def _mark_sent(self, row: OutboxItem, now: datetime, sent: Sent | None) -> None:
        with self.store() as uow:
            uow.outbox.mark_sent(row.id, now, sent.message_id if sent else None)
            ref = (row.data or {}).get("ref")
            if ref and sent is not None:
                uow.posts.remember(row.transport, sent.room, sent.message_id, ref)
            uow.commit()

    def _release(self, row: OutboxItem, error: str, retry_at: datetime | None) -> None:
        with self.store() as uow:
            uow.outbox.release(uow.outbox.get(row.id), error, retry_at)
            uow.commit()

    def _fail(self, row: OutboxItem, now: datetime, reason: str) -> None:
        """Mark the item failed and queue word of it to the group's staff, once."""
        with self.store() as uow:
            uow.outbox.fail(uow.outbox.get(row.id), now, reason)
            if not row.key.startswith(FAILED_PREFIX):
                for notice in self._notices(uow, row, reason, now):
                    uow.outbox.enqueue(notice)
            uow.commit()

    def _notices(self, uow, row: OutboxItem, reason: str, now: datetime) -> list[OutboxItem]:
        group = uow.groups.get(row.group_id) if row.group_id else None
        staff = notify.staff(uow, group, self.facilitators) if group else sorted(self.facilitators)
        where = f"to {row.target}" if row.kind == "dm" else f"in {row.target}"
        text = (
            f"I could not deliver a message {where} on {row.transport}: {reason}. "
            f"It begins: “{strip_marks(row.text)[:120]}”. `pnbot outbox` lists it and `pnbot outbox resend "
            f"{row.id}` sends it again."
        )
        return [
            to_row(
                DirectMessage(transport=row.transport, user=handle, text=text),
                f"{FAILED_PREFIX}{row.id}:{handle}"[:255],
                now,
                row.group_id,
            )
            for handle in staff
        ]
