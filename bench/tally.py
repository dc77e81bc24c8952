"""Figure 4: the tally of a poll with 10,000 eligible voters who all voted, on a SQLite file:
`polls.compute_tally` (the counts per option and stakeholder group, aggregated in the database)
and `polls.describe_tally` (the text posted when the poll closes, with every dissent).

Baseline: the bare aggregate `SELECT option, count(*) FROM votes WHERE poll_id = ? GROUP BY
option` on the same file, the least a database-side count can cost.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from common import best_of, emit, figure

from handlers import polls, tally
from storage.engine import make_engine, upgrade
from storage.models import Member, Poll, Vote
from storage.uow import Store

VOTERS = 10_000
GROUPS = ("civil-society", "government", "private-sector", "technical-community")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _option(n: int) -> str:
    # mostly agreement, as a poll heading for consensus; a few reasoned disagreements
    return "disagree" if n % 500 == 0 else "abstain" if n % 10 == 0 else "agree"


def _fill(store: Store) -> tuple[int, int]:
    with store() as uow:
        group = uow.groups.create("pn-bench", NOW, target_size=VOTERS)
        poll = uow.polls.add(
            group_id=group.id,
            question="Adopt the outline?",
            options=[dict(o) for o in tally.DEFAULT_OPTIONS],
            opened_by="facilitator",
            opened_at=NOW,
            closes_at=NOW + timedelta(days=5),
        )
        session = uow.session
        session.execute(
            sa.insert(Member),
            [
                {
                    "group_id": group.id,
                    "handle": f"voter{n:05d}",
                    "name": f"Voter {n}",
                    "role": "member",
                    "stakeholder_group": GROUPS[n % 4],
                    "region": "africa",
                    "gender": "woman",
                    "organisation": f"Org {n}",
                    "added_at": NOW,
                }
                for n in range(VOTERS)
            ],
        )
        session.execute(
            sa.insert(Vote),
            [
                {
                    "poll_id": poll.id,
                    "member": f"voter{n:05d}",
                    "option": _option(n),
                    "reason": "the timeline is short" if _option(n) == "disagree" else None,
                    "advisory": False,
                    "cast_at": NOW,
                }
                for n in range(VOTERS)
            ],
        )
        uow.commit()
        return group.id, poll.id


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'tally.db'}")
        upgrade(engine)
        store = Store(engine)
        group_id, poll_id = _fill(store)
        with store() as uow:
            group, poll = uow.groups.get(group_id), uow.session.get(Poll, poll_id)
            result = polls.compute_tally(uow, group, poll)
            assert result.eligible == VOTERS and result.voted == VOTERS, result
            computed = best_of(10, lambda: polls.compute_tally(uow, group, poll))
            described = best_of(5, lambda: polls.describe_tally(uow, group, poll))
            bare_sql = sa.text(
                "SELECT option, count(*) FROM votes WHERE poll_id = :p GROUP BY option"
            )
            bare = best_of(10, lambda: uow.session.execute(bare_sql, {"p": poll_id}).all())
        engine.dispose()
    return [
        figure(
            "4 tally of 10,000 votes",
            computed * 1000,
            "ms",
            bare * 1000,
            computed / bare,
            "value <= 50",
        ),
        figure(
            "4 tally of 10,000 votes, as posted (with dissent)",
            described * 1000,
            "ms",
            bare * 1000,
            described / bare,
            "value <= 50",
        ),
    ]


def main() -> None:
    for row in run():
        emit(row)


if __name__ == "__main__":
    main()
