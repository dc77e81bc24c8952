"""The outbox: everything the bot says, queued in the transaction that decided it, claimed
before it is sent, marked sent (or failed for good) after."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import Session, select

from storage.inserts import inserted_id
from storage.models import OutboxItem

OUTBOX_LEASE = timedelta(minutes=5)


def _waiting(transports: tuple[str, ...] | None) -> tuple:
    """Conditions of an item still to send (for `transports` only, when given)."""
    waiting = (
        OutboxItem.sent_at.is_(None),
        OutboxItem.skipped_at.is_(None),
        OutboxItem.failed_at.is_(None),
    )
    if transports is not None:
        waiting += (OutboxItem.transport.in_(transports),)
    return waiting


# When an item may go out: its due time, or later when a retry is held back.
_ready_at = func.coalesce(OutboxItem.not_before, OutboxItem.due_at)


class Outbox:
    def __init__(self, session: Session):
        self._s = session

    def enqueue(self, item: OutboxItem) -> bool:
        """Queue `item` unless one with the same key exists; True when queued."""
        return self.enqueue_id(item) is not None

    def enqueue_id(self, item: OutboxItem) -> int | None:
        """`enqueue`, giving the queued item's id (None when the key was queued before)."""
        return inserted_id(self._s, OutboxItem, item.model_dump(exclude={"id"}))

    def ids_of(self, keys: list[str]) -> list[int]:
        """The ids of the items queued under `keys`, in the order of `keys`."""
        if not keys:
            return []
        query = select(OutboxItem.key, OutboxItem.id).where(OutboxItem.key.in_(keys))
        found = {key: item_id for key, item_id in self._s.exec(query).all()}
        return [found[k] for k in keys if k in found]

    def get(self, item_id: int) -> OutboxItem | None:
        return self._s.get(OutboxItem, item_id)

    def next_due(self, transports: tuple[str, ...] | None = None) -> datetime | None:
        return self._s.exec(select(func.min(_ready_at)).where(*_waiting(transports))).one()

    def next_claimable(
        self, after: datetime, transports: tuple[str, ...] | None = None
    ) -> datetime | None:
        """The first moment later than `after` when a waiting item can be claimed: its due
        time (or the end of its retry's hold), or for one another worker holds, the end of
        that worker's lease."""
        waiting = _waiting(transports)
        unclaimed = self._s.exec(
            select(func.min(_ready_at)).where(
                *waiting, OutboxItem.claimed_at.is_(None), _ready_at > after
            )
        ).one()
        held = self._s.exec(
            select(func.min(OutboxItem.claimed_at)).where(
                *waiting,
                OutboxItem.claimed_at.is_not(None),
                OutboxItem.claimed_at > after - OUTBOX_LEASE,
            )
        ).one()
        times = [t for t in (unclaimed, held + OUTBOX_LEASE if held else None) if t is not None]
        return min(times, default=None)

    def known(self, keys: list[str]) -> set[str]:
        """Which of `keys` were queued already (sent, waiting, skipped or failed)."""
        if not keys:
            return set()
        return set(self._s.exec(select(OutboxItem.key).where(OutboxItem.key.in_(keys))))

    def claim_due(
        self,
        now: datetime,
        worker: str,
        limit: int = 50,
        transports: tuple[str, ...] | None = None,
        exclude: set[int] = frozenset(),
    ) -> list[OutboxItem]:
        """Claim unsent items due by `now` (for `transports` only, when given; none of
        `exclude`, tried already this round); an item claimed by another worker is left alone
        until its lease runs out, so a crashed sender's items are taken over, never lost."""
        query = select(OutboxItem.id).where(
            *_waiting(transports), _ready_at <= now, self._unclaimed(now)
        )
        if exclude:
            query = query.where(OutboxItem.id.not_in(exclude))
        ids = self._s.exec(query.order_by(OutboxItem.due_at, OutboxItem.id).limit(limit)).all()
        return self.claim(list(ids), now, worker, transports)

    def claim(
        self,
        ids: list[int],
        now: datetime,
        worker: str,
        transports: tuple[str, ...] | None = None,
    ) -> list[OutboxItem]:
        """Claim these items, in this order, where no one else holds them and they are still
        to send (an answer is claimed by id at once, whatever its due time)."""
        if not ids:
            return []
        claimed = self._s.scalars(
            update(OutboxItem)
            .where(OutboxItem.id.in_(ids), *_waiting(transports), self._unclaimed(now))
            .values(claimed_by=worker, claimed_at=now, attempts=OutboxItem.attempts + 1)
            .returning(OutboxItem),
            execution_options={"populate_existing": True},
        ).all()
        order = {item_id: n for n, item_id in enumerate(ids)}
        return sorted(claimed, key=lambda item: order[item.id])

    @staticmethod
    def _unclaimed(now: datetime):
        return or_(OutboxItem.claimed_at.is_(None), OutboxItem.claimed_at <= now - OUTBOX_LEASE)

    def mark_sent(self, item_id: int, now: datetime, message_id: str | None = None) -> None:
        self._s.exec(
            update(OutboxItem)
            .where(OutboxItem.id == item_id)
            .values(sent_at=now, message_id=message_id[:255] if message_id else None)
        )

    def release(self, item: OutboxItem, error: str, retry_at: datetime | None = None) -> None:
        """Give a claimed item back after a failed send, to be tried again at the next tick or
        from `retry_at` (where, as for any item claimed again, the transport is asked first
        whether it got through: a send that failed late, a timeout, may have reached it)."""
        item.claimed_by = None
        item.claimed_at = None
        item.last_error = error[:2000]
        item.not_before = retry_at
        self._s.add(item)
        self._s.flush()

    def skip(self, item: OutboxItem, now: datetime, reason: str) -> None:
        """Record that a queued item is no longer worth saying (its moment passed)."""
        item.skipped_at = now
        item.claimed_by = None
        item.claimed_at = None
        item.last_error = f"skipped: {reason}"[:2000]
        self._s.add(item)
        self._s.flush()

    def fail(self, item: OutboxItem, now: datetime, reason: str) -> None:
        """The platform refused the item for good: kept, with the reason, and never retried
        unless someone re-sends it."""
        item.failed_at = now
        item.claimed_by = None
        item.claimed_at = None
        item.last_error = reason[:2000]
        self._s.add(item)
        self._s.flush()

    def failed(self, group_id: int | None = None) -> list[OutboxItem]:
        query = select(OutboxItem).where(OutboxItem.failed_at.is_not(None))
        if group_id is not None:
            query = query.where(OutboxItem.group_id == group_id)
        return list(self._s.exec(query.order_by(OutboxItem.failed_at, OutboxItem.id)))

    def resend(self, item: OutboxItem) -> None:
        """Queue a failed item again, to go out at the delivery loop's next round."""
        item.failed_at = None
        item.not_before = None
        item.claimed_by = None
        item.claimed_at = None
        self._s.add(item)
        self._s.flush()
