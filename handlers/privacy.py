"""Personal data by need: who may read a person's gender, time zone and organisation, and
the names behind an anonymous poll's votes.

Everyone who can read the roster sees a person's name, stakeholder group, region and role;
gender, time zone, organisation and capacity are for the person, the facilitator and the
secretariat, who need them to keep the composition balanced and to reach people in time.
"""

from __future__ import annotations

from handlers.base import VOTING_ROLES, Context, UserError

STAFF_ROLES = ("facilitator", "secretariat")


def is_staff(ctx: Context) -> bool:
    """Whether the asker runs the group (facilitator or secretariat)."""
    return ctx.role in STAFF_ROLES


def sees_personal(ctx: Context, handle: str) -> bool:
    """Whether the asker may read `handle`'s gender, time zone and organisation."""
    return is_staff(ctx) or ctx.user == handle


def is_outsider(ctx: Context) -> bool:
    """Whether the asker is an observer or a stranger (on no roster of the group)."""
    return not is_staff(ctx) and ctx.role not in VOTING_ROLES


def sees_voters(ctx: Context, poll) -> bool:
    """Whether the asker may read who voted what on `poll` (an anonymous one: the facilitator)."""
    return not getattr(poll, "anonymous", False) or ctx.is_facilitator


def sees_private_meeting(ctx: Context, meeting) -> bool:
    """Whether the asker may read a meeting's call link and agenda (a private one: not
    observers or strangers)."""
    return not getattr(meeting, "private", False) or not is_outsider(ctx)


WITHHELD = "(name withheld)"


def withheld(frozen: dict, label: str | None) -> dict:
    """A kept tally with `label` in place of the name of each dissenter and observer."""
    return frozen | {
        "dissent": [d | {"member": label} for d in frozen.get("dissent", [])],
        "views": [v | {"member": label} for v in frozen.get("views", [])],
    }


def switch(key: str, text: str) -> bool:
    """A yes/no option as typed (`private=yes`, `anonymous=no`; on and off too)."""
    answer = {"yes": True, "on": True, "no": False, "off": False}.get(text.strip().lower())
    if answer is None:
        raise UserError(f"`{key}={text[:20]}` should be yes or no.")
    return answer
