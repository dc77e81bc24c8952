"""The part of the export that is the group's record of decisions: polls with their votes,
the tallies as posted at each close, the outcomes and the ones they amended, and the audit
log. Everything is exported as stored, nothing recomputed, so an import restores exactly
what the group saw (see docs/export.md)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.models import AuditEntry, Group, OutcomeAmendment, Poll, PollTally, Vote


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def export_polls(session: Session, group: Group, outreach_number: dict[int, int]) -> dict:
    """`polls` and the `decisions` derived from them; `outreach_number` is each outreach
    record's 1-based position in the export."""
    polls, decisions = [], []
    query = select(Poll).where(Poll.group_id == group.id).order_by(Poll.id)
    for n, p in enumerate(session.exec(query), start=1):
        votes = session.exec(select(Vote).where(Vote.poll_id == p.id).order_by(Vote.member))
        tallies = list(
            session.exec(
                select(PollTally).where(PollTally.poll_id == p.id).order_by(PollTally.number)
            )
        )
        amendments = session.exec(
            select(OutcomeAmendment)
            .where(OutcomeAmendment.poll_id == p.id)
            .order_by(OutcomeAmendment.id)
        )
        outcome = None
        if p.outcome:
            outcome = {
                "decision": p.outcome,
                "rationale": p.rationale,
                "by": p.decided_by,
                "at": _iso(p.decided_at),
            }
            # the dissent as posted at the last close (none kept for a poll closed before
            # tallies were kept)
            dissent = tallies[-1].tally.get("dissent") if tallies else None
            decisions.append({"poll": n, "question": p.question, **outcome, "dissent": dissent})
        polls.append(
            {
                "id": p.id,
                "question": p.question,
                "options": p.options,
                "anonymous": p.anonymous,
                "status": p.status,
                "outreach": outreach_number.get(p.outreach_id),
                "opened_by": p.opened_by,
                "opened_at": p.opened_at.isoformat(),
                "closes_at": p.closes_at.isoformat(),
                "closed_at": _iso(p.closed_at),
                "votes": [
                    {
                        "member": v.member,
                        "option": v.option,
                        "reason": v.reason,
                        "advisory": v.advisory,
                        "cast_at": v.cast_at.isoformat(),
                    }
                    for v in votes
                ],
                "tallies": [
                    {"number": t.number, "closed_at": t.closed_at.isoformat(), "tally": t.tally}
                    for t in tallies
                ],
                "outcome": outcome,
                "amendments": [
                    {
                        "decision": a.decision,
                        "rationale": a.rationale,
                        "by": a.decided_by,
                        "at": _iso(a.decided_at),
                        "amended_by": a.amended_by,
                        "amended_at": a.amended_at.isoformat(),
                    }
                    for a in amendments
                ],
            }
        )
    return {"polls": polls, "decisions": decisions}


def restore_polls(
    session: Session, group: Group, polls: list, outreach_ids: list[int]
) -> list[int]:
    """Restore `polls` as exported; `outreach_ids` are the restored outreach records' ids in
    the export's order. Returns the restored polls' ids, in the same order."""
    poll_ids = []
    for p in polls:
        outcome = p["outcome"] or {}
        poll = Poll(
            id=p.get("id"),
            group_id=group.id,
            question=p["question"],
            options=p["options"],
            anonymous=p.get("anonymous", False),  # an export from before polls could be anonymous
            status=p["status"],
            outreach_id=outreach_ids[p["outreach"] - 1] if p["outreach"] else None,
            opened_by=p["opened_by"],
            opened_at=_when(p["opened_at"]),
            closes_at=_when(p["closes_at"]),
            closed_at=_when(p["closed_at"]),
            outcome=outcome.get("decision"),
            rationale=outcome.get("rationale"),
            decided_by=outcome.get("by"),
            decided_at=_when(outcome.get("at")),
        )
        session.add(poll)
        session.flush()
        poll_ids.append(poll.id)
        for v in p["votes"]:
            session.add(
                Vote(
                    poll_id=poll.id,
                    member=v["member"],
                    option=v["option"],
                    reason=v["reason"],
                    advisory=v["advisory"],
                    cast_at=_when(v["cast_at"]),
                )
            )
        for t in p.get("tallies", []):
            if not isinstance(t["tally"], dict):
                raise ValueError(f"the tally of poll {p['question'][:40]!r} is not an object")
            session.add(
                PollTally(
                    poll_id=poll.id,
                    number=t["number"],
                    closed_at=_when(t["closed_at"]),
                    tally=t["tally"],
                )
            )
        for a in p.get("amendments", []):
            session.add(
                OutcomeAmendment(
                    poll_id=poll.id,
                    decision=a["decision"],
                    rationale=a["rationale"],
                    decided_by=a["by"],
                    decided_at=_when(a["at"]),
                    amended_by=a["amended_by"],
                    amended_at=_when(a["amended_at"]),
                )
            )
    return poll_ids


def export_audit(session: Session, group: Group) -> list[dict]:
    """The group's audit log, in the order it was written."""
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.group_id == group.id).order_by(AuditEntry.id)
    )
    return [
        {
            "at": e.at.isoformat(),
            "by": e.actor,
            "action": e.action,
            "subject": e.subject,
            "detail": e.detail,
            "reason": e.reason,
        }
        for e in entries
    ]


def restore_audit(session: Session, group: Group, entries: list) -> None:
    for e in entries:
        session.add(
            AuditEntry(
                group_id=group.id,
                at=_when(e["at"]),
                actor=e["by"],
                action=e["action"],
                subject=e["subject"],
                detail=e["detail"],
                reason=e["reason"],
            )
        )
    # one flush keeps the log's order in its ids
    session.flush()
