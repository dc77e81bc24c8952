"""The IGF's year as the group follows it (terms of reference I.4, III): open consultations,
MAG meetings and the annual meeting, added by hand or imported from an IGF calendar file;
before each the co-moderators and the facilitator prepare the group's briefing (who presents,
the slides), and after it a short report is asked for."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from handlers import audit, meetings, privacy
from handlers.base import Args, Context, UserError, command, record_number, reply
from handlers.events import mention
from handlers.grammar import handle_of
from handlers.timefmt import day, too_far

KINDS = ("open-consultation", "mag", "annual-meeting", "other")
KIND_WORDS = {
    "open-consultation": "open consultation",
    "mag": "MAG meeting",
    "annual-meeting": "annual meeting",
    "other": "IGF date",
}
PREPARERS = ("co-moderator", "facilitator", "secretariat")
MAX_TITLE = 200
MAX_REPORT = 2000
MAX_DAYS = 14  # an IGF annual meeting lasts about a week
MAX_FILE = 1_000_000
MAX_EVENTS = 500


def read_kind(text: str) -> str:
    kind = text.strip().lower()
    if kind not in KINDS:
        raise UserError(f"`kind={kind[:30]}` should be one of {', '.join(KINDS)}.")
    return kind


def read_dates(text: str, ctx: Context) -> tuple[date, date]:
    """`2 March`, `2027-03-02`, or a range `2 March to 4 March`."""
    first, sep, last = text.partition(" to ")
    starts = meetings.read_day(first.strip(), ctx)
    ends = meetings.read_day(last.strip(), ctx) if sep else starts
    return check_span(starts, ends)


def check_span(starts: date, ends: date) -> tuple[date, date]:
    if ends < starts:
        raise UserError(f"The event ends ({day(ends)}) before it starts ({day(starts)}).")
    if (ends - starts).days >= MAX_DAYS:
        raise UserError(f"An IGF event lasts under {MAX_DAYS} days; give its first and last day.")
    return starts, ends


def span(event) -> str:
    if event.ends == event.starts:
        return day(event.starts)
    return f"{day(event.starts)} to {day(event.ends)}"


def describe(event) -> str:
    return f"#{event.id} {event.title} ({KIND_WORDS[event.kind]}), {span(event)}"


def find(ctx: Context, text: str):
    group = ctx.require_group()
    n = record_number(text)
    event = ctx.uow.igf.get(group.id, n) if n is not None else None
    if event is None:
        raise UserError(f"There is no IGF event {text[:10]} in {group.name}; see `igf`.")
    return event


@command("igf add", facilitator_only=True)
def add_event(ctx: Context, args: Args):
    """Add a date of the IGF's year: the co-moderators and you are reminded to prepare the group's briefing.

    igf add <title> <dates...> kind=open-consultation|mag|annual-meeting|other

    Example: igf add "IGF 2027 first open consultations" 2027-02-16 to 2027-02-18 kind=open-consultation
    """
    group = ctx.require_group()
    title = " ".join(args.words[0].split())
    if not title or len(title) > MAX_TITLE:
        raise UserError(f"Give the event a title of 1 to {MAX_TITLE} characters, in quotes.")
    kind = read_kind(args.options["kind"])
    starts, ends = read_dates(args.rest, ctx)
    event = ctx.uow.igf.add(
        group_id=group.id,
        title=title,
        kind=kind,
        starts=starts,
        ends=ends,
        created_by=ctx.user,
        created_at=ctx.now,
    )
    audit.record(ctx, "igf add", f"IGF event {event.id}", f"{title}, {span(event)}")
    return reply(
        f"Added {describe(event)} to the group's IGF calendar. The co-moderators and the "
        f"facilitator are reminded to prepare the briefing; `briefing {event.id} presenter=@x "
        "slides=<link>` records it."
    )


def read_events(data: bytes) -> list[dict]:
    """The events of an iCalendar file: title, first and last day, kind, UID."""
    if len(data) > MAX_FILE:
        raise UserError(f"The calendar file is over {MAX_FILE // 1000} kB; is it the IGF's?")
    from icalendar import Calendar  # only an import loads it: a bot at rest does without it

    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as error:
        raise UserError(f"It is not an iCalendar file I can read ({str(error)[:80]}).") from None
    found = []
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        if number > MAX_EVENTS:
            raise UserError(f"The file holds over {MAX_EVENTS} events; import a shorter one.")
        title = " ".join(str(event.get("summary", "")).split())[:MAX_TITLE]
        if not title or "dtstart" not in event:
            raise UserError(
                f"Event {number} of the file has no title or no start; nothing imported."
            )
        try:
            starts, ends = _span(event)
        except (ValueError, TypeError, AttributeError, KeyError):
            raise UserError(
                f"Event {number} of the file ({title}) has dates I cannot read; nothing imported."
            ) from None
        uid = str(event.get("uid") or f"{title}-{starts.isoformat()}")[:255]
        categories = " ".join(
            str(c) for cats in _list(event.get("categories")) for c in getattr(cats, "cats", [cats])
        )
        found.append(
            {
                "title": title,
                "starts": starts,
                "ends": ends,
                "uid": uid,
                "kind": guess_kind(f"{title} {categories}"),
            }
        )
    return found


def _span(event) -> tuple[date, date]:
    starts = _day(event.decoded("dtstart"))
    ends = starts
    if "dtend" in event:
        end = event.decoded("dtend")
        # an all-day event's DTEND is the day after its last (RFC 5545)
        ends = _day(end) if isinstance(end, datetime) else _day(end) - timedelta(days=1)
    return starts, max(ends, starts)


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise ValueError(value)
    return value


def guess_kind(text: str) -> str:
    """An IGF event's kind from its title and categories, as the IGF names them."""
    lowered = text.lower()
    if "open consultation" in lowered or "open-consultation" in lowered:
        return "open-consultation"
    if "mag" in lowered.replace("-", " ").split() or "multistakeholder advisory" in lowered:
        return "mag"
    if "annual meeting" in lowered or "annual-meeting" in lowered:
        return "annual-meeting"
    return "other"


def import_events(uow, group, events: list[dict], now: datetime, by: str) -> str:
    """Add the events not imported before (by UID); say how many were new."""
    added = []
    for e in events:
        if uow.igf.with_uid(group.id, e["uid"]) is not None:
            continue
        if far := too_far(e["starts"], now):
            raise UserError(f"{e['title']}: {far}")
        check_span(e["starts"], e["ends"])
        event = uow.igf.add(
            group_id=group.id,
            title=e["title"],
            kind=e["kind"],
            starts=e["starts"],
            ends=e["ends"],
            uid=e["uid"],
            source="import",
            created_by=by,
            created_at=now,
        )
        uow.audit.record(group.id, now, by, "igf add", f"IGF event {event.id}", e["title"])
        added.append(event)
    kept = len(events) - len(added)
    lines = [
        f"Imported {len(added)} IGF events into {group.name}"
        + (f" ({kept} known already)." if kept else ".")
    ]
    lines += [f"  {describe(e)}" for e in added]
    return "\n".join(lines)


def _may_prepare(ctx: Context) -> bool:
    return ctx.role in PREPARERS


@command("briefing")
def record_briefing(ctx: Context, args: Args):
    """Record the group's briefing for an IGF event: who presents and the slides (co-moderators and staff).

    briefing <event> presenter=@person [slides=<link>]

    Example: briefing 2 presenter=@bruno slides=https://docs.example.org/pn-ai-briefing.pdf
    """
    event = find(ctx, args.words[0])
    if not _may_prepare(ctx):
        raise UserError("The co-moderators and the facilitator prepare the group's briefings.")
    presenter = handle_of(args.options["presenter"].strip())
    if presenter is None:
        raise UserError("`presenter=` should be a person: `presenter=@bruno`.")
    if ctx.uow.members.get(ctx.group.id, presenter) is None and presenter not in ctx.facilitators:
        raise UserError(f"{mention(presenter)} is not on {ctx.group.name}'s roster; see `roster`.")
    slides = args.options.get("slides")
    if slides is not None and (
        not slides.startswith(("https://", "http://")) or len(slides) > 500 or " " in slides
    ):
        raise UserError(f"`slides={slides[:60]}` should be a web address, starting with https://.")
    event.presenter, event.slides = presenter, slides
    event.briefing_by, event.briefing_at = ctx.user, ctx.now
    ctx.uow.igf.save(event)
    audit.record(
        ctx,
        "briefing",
        f"IGF event {event.id}",
        f"presenter @{presenter}, slides {slides or 'none'}",
    )
    link = f", slides {slides}" if slides else ""
    return reply(f"Briefing for {describe(event)}: {mention(presenter)} presents{link}.")


@command("igf report")
def record_report(ctx: Context, args: Args):
    """Report briefly on an IGF event after it (the presenter, a co-moderator or the staff).

    igf report <event> <text...>

    Example: igf report 2 Our briefing drew questions on incident reporting from three governments.
    """
    event = find(ctx, args.words[0])
    if ctx.user != event.presenter and not _may_prepare(ctx):
        raise UserError("The presenter, a co-moderator or the facilitator reports on an IGF event.")
    if ctx.now.date() < event.starts:
        raise UserError(f"{event.title} starts {day(event.starts)}; report after it.")
    text = " ".join(args.rest.split())
    if len(text) > MAX_REPORT:
        raise UserError(
            f"Keep the report under {MAX_REPORT} characters (this one has {len(text)})."
        )
    earlier = event.report
    event.report, event.reported_by, event.reported_at = text, ctx.user, ctx.now
    ctx.uow.igf.save(event)
    audit.record(
        ctx,
        "igf report",
        f"IGF event {event.id}",
        text,
        None if earlier is None else f"replaces: {earlier[:400]}",
    )
    return reply(f"Report on {describe(event)} recorded: {text}")


@command("igf")
def list_events(ctx: Context, args: Args):
    """Show the group's IGF calendar: coming dates with their briefing, past ones with their report.

    igf
    """
    group = ctx.require_group()
    found = ctx.uow.igf.all(group.id)
    if not found:
        return reply(
            f"{group.name}'s IGF calendar is empty. The facilitator adds dates with `igf add` "
            "or imports the IGF's calendar file with `pnbot igf import FILE.ics`.",
            private=True,
        )
    today = ctx.now.date()
    coming = [e for e in found if e.ends >= today]
    past = [e for e in found if e.ends < today]
    lines = [f"IGF calendar of {group.name}:"]
    if coming:
        lines.append("Coming:")
        for e in coming:
            brief = (
                f"briefing by {mention(e.presenter)}" + (f", slides {e.slides}" if e.slides else "")
                if e.presenter
                else "no briefing recorded yet"
            )
            lines.append(f"  {describe(e)}: {brief}")
    if past:
        lines.append("Past:")
        for e in past:
            lines.append(
                f"  {describe(e)}: " + (f"report: {e.report}" if e.report else "no report yet")
            )
    if privacy.is_outsider(ctx):
        lines.append("The group informs the IGF community at these dates (terms of reference III).")
    return reply("\n".join(lines), private=True)
