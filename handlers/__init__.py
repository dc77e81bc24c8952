"""The core: every use case as a plain function. Importing this package registers them all."""

from handlers import (  # noqa: F401
    agenda,
    asking,
    attendance,
    audit,
    availability,
    groups,
    help,
    issues,
    meeting_cycle,
    meetings,
    membership,
    objection_window,
    objections,
    outcomes,
    outreach,
    poll_deadlines,
    polls,
    roster,
)
from handlers.base import REGISTRY

__all__ = ["REGISTRY"]
