"""Changing a membership and looking back at former ones: `member edit` keeps the earlier
values with their dates, `roster all` lists former members with their periods."""

from __future__ import annotations

from handlers import audit, composition, privacy, roster
from handlers.base import Args, Context, UserError, command, reply
from handlers.events import mention
from handlers.history import period

# `member edit` keys and the roster fields they set (the same keys as `member add`).
EDITABLE = {
    "name": "name",
    "role": "role",
    "group": "stakeholder_group",
    "region": "region",
    "gender": "gender",
    "org": "organisation",
    "capacity": "capacity",
    "tz": "timezone",
    "email": "email",
}


@command("member edit", facilitator_only=True)
def edit_member(ctx: Context, args: Args):
    """Change a member's details; the earlier values are kept with their dates.

    member edit @user [name="<full name>"] [role=<role>] [group=<stakeholder group>] [region=<region>] [gender=<gender>] [org="<organisation>"] [capacity=organisation|personal] [tz=<IANA zone>] [email=<address>]

    Example: member edit @amina org="Open Data Institute" group=technical-community
    The values are those of `member add`. `balance on=<date>` shows the composition on an earlier date.
    """
    group = ctx.require_group()
    member = roster._on_roster(ctx, args.words[0])
    if not args.options:
        raise UserError(
            f'Say what to change, e.g. `member edit @{member.handle} org="New Org"` '
            f"(keys: {', '.join(EDITABLE)})."
        )
    current = {field: getattr(member, field) for field in roster.FIELDS}
    entry = roster.check_entry(current | {EDITABLE[k]: v for k, v in args.options.items()})
    values = {field: getattr(entry, field) for field in roster.FIELDS if field != "handle"}
    changed = ctx.uow.members.change(member, values, ctx.now, ctx.user)
    if not changed:
        return reply(f"Nothing changed: {roster.describe_member(member)}.", private=True)
    shown = "; ".join(
        f"{field.replace('_', ' ')} {old or '-'} → {new or '-'}"
        for field, (old, new) in changed.items()
    )
    text = f"Updated {member.name} ({mention(member.handle)}) in {group.name}: {shown}."
    # the values themselves are in the membership's history; the log says what changed
    fields = ", ".join(field.replace("_", " ") for field in changed)
    audit.record(ctx, "member edit", f"@{member.handle}", fields)
    if changed.keys() & {"role", "stakeholder_group", "region", "gender", "organisation"}:
        others = [m for m in ctx.uow.members.all(group.id) if m.id != member.id]
        warnings = composition.warnings_for_addition(others, member, group.target_size)
        text += "".join(f"\nBalance: {w}" for w in warnings)
    return reply(text, private=True)


@command("roster all")
def show_everyone(ctx: Context, args: Args):
    """List the roster with the former members: when each membership began and ended, and why.

    roster all
    """
    group = ctx.require_group()
    shown = roster.show_roster(ctx, args)
    former = [m for m in ctx.uow.members.history(group.id) if m.removed_at is not None]
    if not former:
        return shown
    lines = [f"Former members ({len(former)}), as they were when they left:"]
    for m in sorted(former, key=lambda m: (m.removed_at, m.handle)):
        why = f"; {m.removed_reason}" if m.removed_reason else ""
        described = roster.describe_member(m, privacy.sees_personal(ctx, m.handle))
        lines.append(f"  {described} ({period(m, ctx.tz)}{why})")
    text = shown[0].text.split("\nFormer members:")[0]
    return reply(text + "\n" + "\n".join(lines), private=True)
