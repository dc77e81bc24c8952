"""Telling the facilitator and the secretariat: by a post in the secretariat's room when one
is configured, otherwise by a direct message to each of them."""

from __future__ import annotations

from handlers.events import DirectMessage, Outgoing, Post

STAFF_ROLES = ("facilitator", "secretariat")


def staff(uow, group, facilitators: frozenset[str]) -> list[str]:
    """The facilitators and secretariat of a group: on its roster, or configured."""
    on_roster = [m.handle for m in uow.members.all(group.id) if m.role in STAFF_ROLES]
    return sorted(set(on_roster) | set(facilitators))


def secretariat(ctx, text: str, exclude: str | None = None) -> list[Outgoing]:
    transport = ctx.event.transport
    if ctx.secretariat_room:
        return [Post(transport=transport, room=ctx.secretariat_room, text=text)]
    return [
        DirectMessage(transport=transport, user=handle, text=text)
        for handle in staff(ctx.uow, ctx.group, ctx.facilitators)
        if handle != exclude
    ]
