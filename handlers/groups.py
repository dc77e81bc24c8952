"""Working groups and the rooms bound to them. A command in a room acts on that room's group."""

from __future__ import annotations

import re

from handlers.base import Args, Context, UserError, command, record_number, reply

GROUP_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def check_name(given: str) -> str:
    name = given.strip().lower()
    if not GROUP_NAME.match(name):
        raise UserError(
            f"`{given[:50]}` is not a group name: use 1 to 40 lowercase letters, digits and dashes, "
            "like `pn-ai`."
        )
    return name


def ensure_group(uow, name: str, transport: str, room: str, now):
    """Create group `name` if needed and make `room` its main room (the console's `!group`)."""
    name = check_name(name)
    group = uow.groups.named(name) or uow.groups.create(name, now)
    bound = uow.groups.room(transport, room)
    if bound is None:
        uow.groups.bind(group, transport, room, main=True)
    elif bound.group_id != group.id:
        raise UserError(f"Room {room} already belongs to another group.")
    return group


def _unbound_room(ctx: Context) -> None:
    if ctx.event.is_direct:
        raise UserError("Type this in the room the group will use, not in a direct message.")
    if ctx.uow.groups.room(ctx.event.transport, ctx.event.room):
        raise UserError(f"This room already belongs to {ctx.group.name}.")


@command("group create", facilitator_only=True, needs_group=False)
def create_group(ctx: Context, args: Args):
    """Start a working group whose main room is this room.

    group create <name> [target=<size>]

    Example: group create pn-ai target=20
    """
    name = check_name(args.words[0])
    _unbound_room(ctx)
    if ctx.uow.groups.named(name):
        raise UserError(
            f"There is already a group called {name}. To use it here: `group bind {name}`."
        )
    target = args.options.get("target", "20")
    if not 1 <= (record_number(target) or 0) <= 500:
        raise UserError(f"`target={target}` should be the intended number of members, 1 to 500.")
    group = ctx.uow.groups.create(name, ctx.now, target_size=record_number(target))
    ctx.uow.groups.bind(group, ctx.event.transport, ctx.event.room, main=True)
    room = f"{ctx.event.transport} room {ctx.event.room}"
    ctx.uow.audit.record(group.id, ctx.now, ctx.user, "group create", name, f"main room: {room}")
    return reply(
        f"Created the working group {name} (target {target} members); this is its main room. "
        "Next: `member add` for each member, then `balance`."
    )


@command("group bind", facilitator_only=True, needs_group=False)
def bind_room(ctx: Context, args: Args):
    """Make this room another room of an existing group (its main room on this platform
    when it has none here yet).

    group bind <name>

    Example: group bind pn-ai
    """
    name = check_name(args.words[0])
    _unbound_room(ctx)
    group = ctx.uow.groups.named(name)
    if group is None:
        raise UserError(f"There is no group called {name}. Start it with `group create {name}`.")
    # Polls, agendas and tallies go to the main rooms: a group started on another platform
    # needs one here too, or its members here would never see them.
    main = not any(
        r.main and r.transport == ctx.event.transport for r in ctx.uow.groups.rooms(group.id)
    )
    ctx.uow.groups.bind(group, ctx.event.transport, ctx.event.room, main=main)
    room = f"{ctx.event.transport} room {ctx.event.room}"
    ctx.uow.audit.record(group.id, ctx.now, ctx.user, "group bind", name, room)
    if main:
        return reply(
            f"This room now belongs to {name}: it is the group's main room on this platform, "
            "where its polls, agendas and tallies are posted."
        )
    return reply(f"This room now belongs to {name}.")


@command("group")
def show_group(ctx: Context, args: Args):
    """Show which group this room belongs to, and its rooms.

    group
    """
    group = ctx.require_group()
    rooms = ctx.uow.groups.rooms(group.id)
    listed = ", ".join(f"{r.room} ({r.transport}{', main' if r.main else ''})" for r in rooms)
    return reply(
        f"This is {group.name} (target {group.target_size} members). Rooms: {listed}.", private=True
    )
