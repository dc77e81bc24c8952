"""The roster: who is in the group, in what role, from which stakeholder group and region."""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass

from handlers import audit, composition, history, lookalikes, meetings, privacy, zones
from handlers.base import ROLES, VOTING_ROLES, Args, Context, UserError, command, reply
from handlers.events import mention
from handlers.timefmt import day

HANDLE = re.compile(r"^[\w.\-@:]{1,100}$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The name under which a staff member's own zone is kept when they are not on the roster.
STAFF_ZONE = "tz:"
FIELDS = (
    "handle",
    "name",
    "role",
    "stakeholder_group",
    "region",
    "gender",
    "organisation",
    "capacity",
    "timezone",
    "email",
)
# One address, as a list's mail carries it in its From (kept only for mail to and from them).
EMAIL = re.compile(r"^[^@\s<>,;\"]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$")


@dataclass
class Entry:
    """A roster entry before it is stored (same attributes as the stored one)."""

    handle: str
    name: str
    role: str
    stakeholder_group: str | None
    region: str | None
    gender: str | None
    organisation: str | None
    capacity: str | None
    timezone: str | None
    email: str | None = None


def check_entry(raw: dict[str, str | None]) -> Entry:
    """Validate one person's details, saying exactly which value is wrong and what fits."""
    values = {k: (raw.get(k) or "").strip() or None for k in FIELDS}
    for key, value in values.items():
        if value and CONTROL.search(value):
            raise UserError(
                f"The {key.replace('_', ' ')} holds an invisible control character; remove it."
            )
        if value and (bidi := lookalikes.bidi_error(value, key.replace("_", " "))):
            raise UserError(bidi)
    handle = values["handle"]
    if not handle or not HANDLE.match(handle):
        raise UserError(f"`{handle or ''}` is not a user handle (letters, digits, . - _ only).")
    if len(lookalikes.scripts(handle)) > 1:
        raise UserError(lookalikes.handle_error(handle, ()))
    # Every bad value at once, so a facilitator fixes the command in one go.
    problems: list[str] = []

    def checked(key: str, value: str, vocabulary, label: str) -> str:
        try:
            return _one_of(value, vocabulary, label)
        except UserError as error:
            problems.append(str(error))
            return value

    values["role"] = checked("role", values["role"] or "member", ROLES, "role")
    votes = values["role"] in VOTING_ROLES
    for key, vocabulary, label in (
        ("stakeholder_group", composition.STAKEHOLDER_GROUPS, "stakeholder group"),
        ("region", composition.REGIONS, "region"),
        ("gender", composition.GENDERS, "gender"),
    ):
        if values[key] is None:
            if votes:
                problems.append(
                    f"A {values['role']} needs a {label}: one of {', '.join(vocabulary)}."
                )
        else:
            values[key] = checked(key, values[key], vocabulary, label)
    if votes and values["organisation"] is None:
        problems.append(f'A {values["role"]} needs an organisation, e.g. org="Data Rights Lab".')
    if values["capacity"] is not None or votes:
        values["capacity"] = checked(
            "capacity", values["capacity"] or "organisation", composition.CAPACITIES, "capacity"
        )
    if values["timezone"] is not None:
        try:
            values["timezone"] = check_zone(values["timezone"])
        except UserError as error:
            problems.append(str(error))
    if values["email"] is not None:
        if len(values["email"]) > 254 or not EMAIL.match(values["email"]):
            problems.append(
                f"`{values['email'][:60]}` is not an e-mail address, like amina@example.org."
            )
        else:
            values["email"] = values["email"].lower()
    if len(problems) == 1:
        raise UserError(problems[0])
    if problems:
        raise UserError(
            f"{len(problems)} values need fixing:\n" + "\n".join(f"- {p}" for p in problems)
        )
    values["name"] = values["name"] or handle
    if len(values["name"]) > 200 or len(values["organisation"] or "") > 200:
        raise UserError("Names and organisations are 200 characters at most.")
    return Entry(**values)


def _profile_zone(ctx: Context, handle: str) -> str | None:
    """The zone the person's chat profile gives, if the platform tells and it is a real one."""
    zone = ctx.profile_zone(handle) if ctx.profile_zone else None
    try:
        return check_zone(zone) if zone else None
    except UserError:
        return None


def check_zone(zone: str) -> str:
    """The IANA zone `zone` names (any case), or a UserError suggesting close ones."""
    return zones.check_zone(zone)


# Words people use for a value the vocabularies spell otherwise.
SYNONYMS = {
    "male": "man",
    "female": "woman",
    "nonbinary": "non-binary",
    "individual": "personal",
    "own": "personal",
    "organization": "organisation",
    "moderator": "co-moderator",
    "staff": "secretariat",
    "latam": "latin-america-caribbean",
    "industry": "private-sector",
    "business": "private-sector",
    "academia": "technical-community",
    "ngo": "civil-society",
}


def _one_of(value: str, vocabulary, label: str) -> str:
    normal = value.strip().lower().replace("_", "-").replace(" ", "-")
    if normal in vocabulary:
        return normal
    squashed = normal.replace("-", "")
    close = [v for v in vocabulary if v.replace("-", "") == squashed]
    close += [v for v in vocabulary if v.startswith(normal) or normal.startswith(v)]
    close += [SYNONYMS[normal]] if SYNONYMS.get(normal) in vocabulary else []
    close += difflib.get_close_matches(normal, vocabulary, n=1, cutoff=0.75)
    hint = f" Did you mean `{close[0]}`?" if close and len(normal) > 1 else ""
    raise UserError(f"`{value[:40]}` is not a {label}.{hint} Use one of: {', '.join(vocabulary)}.")


def describe_member(m, personal: bool = True) -> str:
    """A person in one line; without `personal`, what anyone may read (no organisation)."""
    organisation = m.organisation if personal else None
    parts = [p for p in (organisation, m.stakeholder_group, m.region) if p]
    capacity = " (personal capacity)" if personal and m.capacity == "personal" else ""
    details = f" — {', '.join(parts)}{capacity}" if parts else ""
    role = "" if m.role == "member" else f" [{m.role}]"
    return f"{m.name} ({mention(m.handle)}){role}{details}"


@command("member add", facilitator_only=True)
def add_member(ctx: Context, args: Args):
    """Add a person to the roster.

    member add @user group=<stakeholder group> region=<region> gender=<gender> org="<organisation>" [capacity=organisation|personal] [role=<role>] [tz=<IANA zone>] [name="<full name>"] [email=<address>]

    Example: member add @amina group=civil-society region=africa gender=woman org="Data Rights Lab" tz=Africa/Nairobi email=amina@example.org
    Groups: intergovernmental, government, private-sector, civil-society, technical-community.
    Regions: africa, asia-pacific, eastern-europe, latin-america-caribbean, western-europe-others.
    Genders: woman, man, non-binary, undisclosed. Capacities: organisation (default), personal.
    Roles: member (default), co-moderator, observer, facilitator, secretariat.
    Time zones: IANA names in any case, e.g. Europe/Zurich or america/sao_paulo.
    """
    group = ctx.require_group()
    o = args.options
    entry = check_entry(
        {
            "handle": args.words[0],
            "name": o.get("name"),
            "role": o.get("role"),
            "stakeholder_group": o.get("group"),
            "region": o.get("region"),
            "gender": o.get("gender"),
            "organisation": o.get("org"),
            "capacity": o.get("capacity"),
            "timezone": o.get("tz"),
            "email": o.get("email"),
        }
    )
    if ctx.uow.members.get(group.id, entry.handle):
        raise UserError(
            f"{mention(entry.handle)} is already on the roster; `member edit` changes their details."
        )
    existing = ctx.uow.members.all(group.id)
    lookalike = lookalikes.handle_error(entry.handle, [m.handle for m in existing])
    if lookalike:
        raise UserError(lookalike)
    from_profile = entry.timezone is None and _profile_zone(ctx, entry.handle)
    if from_profile:
        entry.timezone = from_profile
    warnings = composition.warnings_for_addition(existing, entry, group.target_size)
    ctx.uow.members.add(group_id=group.id, added_at=ctx.now, **asdict(entry))
    audit.record(
        ctx, "member add", f"@{entry.handle}", f"{entry.role}, {entry.stakeholder_group or '-'}"
    )
    # The room reads what anyone may; the facilitator alone reads the warnings (they name
    # organisations and people, and hint at the newcomer's gender) and the profile's zone.
    said = reply(f"Added {describe_member(entry, personal=False)} to the roster of {group.name}.")
    aside = [f"Balance: {w}" for w in warnings]
    if from_profile:
        aside.append(f"Time zone: {from_profile} (from their profile).")
    if aside:
        said += reply(
            f"For you only, about {mention(entry.handle)}:\n" + "\n".join(aside), private=True
        )
    return said


@command("member remove", facilitator_only=True)
def remove_member(ctx: Context, args: Args):
    """End a person's membership; their attendance, votes and notices stay on the record.

    member remove @user [<reason...>]

    Example: member remove @amina left Data Rights Lab
    They are listed as a former member (`roster all`) with their role, group and organisation as they were. An open poll no longer counts their vote; a closed one keeps its tally.
    """
    group = ctx.require_group()
    member = _on_roster(ctx, args.words[0])
    reason = " ".join(args.rest.split())[:500] or None
    ctx.uow.members.end(member, ctx.now, ctx.user, reason)
    audit.record(ctx, "member remove", f"@{member.handle}", None, reason)
    why = f" ({reason})" if reason else ""
    return reply(
        f"Removed {member.name} ({mention(member.handle)}) from the roster of {group.name}{why}. "
        "Their past stays on the record: they are listed as a former member (`roster all`)."
    )


@command("member show")
def show_member(ctx: Context, args: Args):
    """Show one person's roster entry (yours without a name).

    member show [@user]

    Example: member show @amina
    """
    member = _on_roster(ctx, args.words[0] if args.words else ctx.user)
    personal = privacy.sees_personal(ctx, member.handle)
    lines = [
        describe_member(member, personal),
        f"Role: {member.role}",
        f"Stakeholder group: {member.stakeholder_group or '-'}",
        f"Region: {member.region or '-'}",
    ]
    if personal:
        lines += [
            f"Gender: {member.gender or '-'}",
            f"Organisation: {member.organisation or '-'} ({member.capacity or 'organisation'} capacity)",
            f"Time zone: {member.timezone or ctx.default_tz + ' (the default)'}",
        ]
        if member.email:
            lines.append(f"E-mail: {member.email}")
    return reply("\n".join(lines), private=True)


@command("roster")
def show_roster(ctx: Context, args: Args):
    """List the group's members by stakeholder group, then observers and staff.

    roster
    """
    group = ctx.require_group()
    members = ctx.uow.members.all(group.id)
    if not members:
        return reply(
            f"The roster of {group.name} is empty. A facilitator adds people with `member add`.",
            private=True,
        )
    lines = [f"Roster of {group.name}:"]
    for sg in composition.STAKEHOLDER_GROUPS:
        people = [m for m in members if m.role in VOTING_ROLES and m.stakeholder_group == sg]
        if people:
            lines.append(f"{sg} ({len(people)}):")
            lines += [
                f"  {describe_member(m, privacy.sees_personal(ctx, m.handle))}" for m in people
            ]
    others = [m for m in members if m.role not in VOTING_ROLES]
    if others:
        lines.append(f"Facilitation, secretariat and observers ({len(others)}):")
        lines += [f"  {describe_member(m, privacy.sees_personal(ctx, m.handle))}" for m in others]
    former = {m.handle for m in ctx.uow.members.history(group.id) if m.removed_at is not None}
    if former - {m.handle for m in members}:
        lines.append(f"Former members: {len(former)} (`roster all` lists them).")
    return reply("\n".join(lines), private=True)


@command("tz")
def set_timezone(ctx: Context, args: Args):
    """Set your own time zone, used when the bot shows you a time (without a zone: show it).

    tz [<zone>]

    Example: tz America/Bogota
    Names are IANA ones, in any case (`tz europe/zurich`). Staff may set theirs without being on the roster.
    """
    staff = ctx.is_facilitator or (
        ctx.secretariat_room is not None and ctx.event.room == ctx.secretariat_room
    )
    me = ctx.me if ctx.me is not None or staff else _on_roster(ctx, ctx.user)
    if not args.words:
        return reply(f"Your time zone is {ctx.tz}.", private=True)
    zone = check_zone(args.words[0])
    if me is not None:
        me.timezone = zone
    else:  # staff off the roster keep their zone with their platform identity
        ctx.uow.transport_state.put(ctx.event.transport, STAFF_ZONE + ctx.user, zone, ctx.now)
    return reply(f"Your time zone is now {zone}.", private=True)


@command("balance")
def show_balance(ctx: Context, args: Args):
    """Show the composition against equal shares: stakeholder groups, regions, gender parity.

    balance [on=<date>]

    Example: balance on=2026-12-08
    With a date: the roster as it was at the end of that day (members since removed, details since changed).
    """
    group = ctx.require_group()
    members, title = ctx.uow.members.all(group.id), group.name
    if "on" in args.options:
        on = meetings.read_day(args.options["on"], ctx, prefer="past")
        members = history.roster_at(ctx.uow, group, history.end_of_day(on, ctx.tz))
        title = f"{group.name} on {day(on)}"
    report = composition.balance(members, group.target_size)
    text = composition.describe(report, named=privacy.is_staff(ctx))
    return reply(f"Composition of {title}: " + text, private=True)


def import_rows(
    uow, group, rows: list[tuple[int, dict]], now, by: str = "roster import"
) -> tuple[int, int]:
    """Add or update roster entries from numbered rows (an update keeps the earlier values
    with their dates); any bad row stops it all.

    Returns (added, updated). Raises UserError naming the first bad line.
    """
    seen: dict[str, int] = {}
    entries = []
    for line, raw in rows:
        try:
            entry = check_entry(raw)
        except UserError as error:
            raise UserError(f"Line {line}: {error}") from None
        if entry.handle in seen:
            raise UserError(
                f"Line {line}: @{entry.handle} already appears on line {seen[entry.handle]}."
            )
        if uow.members.get(group.id, entry.handle) is None:
            others = [m.handle for m in uow.members.all(group.id)] + list(seen)
            if lookalike := lookalikes.handle_error(entry.handle, others):
                raise UserError(f"Line {line}: {lookalike}")
        seen[entry.handle] = line
        entries.append(entry)
    added = updated = 0
    for entry in entries:
        current = uow.members.get(group.id, entry.handle)
        if current is None:
            uow.members.add(group_id=group.id, added_at=now, **asdict(entry))
            added += 1
        else:
            uow.members.change(current, asdict(entry), now, by)
            updated += 1
    return added, updated


def _on_roster(ctx: Context, handle: str):
    group = ctx.require_group()
    member = ctx.uow.members.get(group.id, handle)
    if member is None:
        who = "You are" if handle == ctx.user else f"{mention(handle)} is"
        former = ctx.uow.members.former(group.id, handle)
        if former is not None:
            raise UserError(
                f"{who} a former member of {group.name} ({history.period(former, ctx.tz)}); "
                "`roster all` lists former members."
            )
        raise UserError(f"{who} not on the roster of {group.name}. See `roster` for who is.")
    return member
