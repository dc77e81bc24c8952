"""The core: every use case as a plain function. Importing this package registers them all."""

from handlers import (  # noqa: F401
    actions,
    agenda,
    asking,
    attendance,
    audit,
    availability,
    draft_deadlines,
    draft_review,
    fairness,
    groups,
    help,
    igf_calendar,
    igf_reminders,
    issues,
    meeting_cycle,
    meetings,
    membership,
    minutes,
    minutes_review,
    minutes_schedule,
    objection_window,
    objections,
    outcomes,
    outreach,
    poll_deadlines,
    polls,
    roster,
    timepoll,
    timepoll_close,
    website,
    workplan,
    workplan_reminders,
)
from handlers.base import REGISTRY

__all__ = ["REGISTRY"]
