"""What a closed poll keeps for ever: its tally as posted at each close, and every declared
outcome the facilitator amended since."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import OutcomeAmendment, PollTally


class PollTallies:
    def __init__(self, session: Session):
        self._s = session

    def freeze(self, poll_id: int, closed_at: datetime, tally: dict) -> PollTally:
        """Keep the tally of the close that just happened, numbered after the earlier ones."""
        earlier = self._s.exec(
            select(func.max(PollTally.number)).where(PollTally.poll_id == poll_id)
        ).one()
        row = PollTally(
            poll_id=poll_id, number=(earlier or 0) + 1, closed_at=closed_at, tally=tally
        )
        self._s.add(row)
        self._s.flush()
        return row

    def of(self, poll_id: int) -> list[PollTally]:
        """Every tally of the poll, the first close first."""
        return list(
            self._s.exec(
                select(PollTally).where(PollTally.poll_id == poll_id).order_by(PollTally.number)
            )
        )

    def latest(self, poll_ids: list[int]) -> dict[int, PollTally]:
        """The last tally of each of several polls (one query)."""
        if not poll_ids:
            return {}
        found: dict[int, PollTally] = {}
        query = select(PollTally).where(PollTally.poll_id.in_(poll_ids)).order_by(PollTally.number)
        for row in self._s.exec(query):
            found[row.poll_id] = row
        return found


class Amendments:
    def __init__(self, session: Session):
        self._s = session

    def add(self, **fields) -> OutcomeAmendment:
        row = OutcomeAmendment(**fields)
        self._s.add(row)
        self._s.flush()
        return row

    def of(self, poll_id: int) -> list[OutcomeAmendment]:
        """The outcomes the poll had before, the first declared first."""
        return list(
            self._s.exec(
                select(OutcomeAmendment)
                .where(OutcomeAmendment.poll_id == poll_id)
                .order_by(OutcomeAmendment.id)
            )
        )
