"""The console transport: talk to the bot in a terminal, or replay a scripted transcript.

Script lines (interactive lines too):
  # a comment                        !now 2026-12-01 09:00 UTC     !advance 3d (also h, m)
  !group NAME                        !roster-import FILE.csv       !as alice
  @alice: TEXT                       (alice writes TEXT in the group's main room)
  @alice #room: TEXT                 (... in another room)
  @alice dm: TEXT                    (... to the bot directly)
  @alice thread b3: TEXT             (... as a reply in the thread of the bot's post b3, or of m12)
  @alice react :no_entry: m12        @alice unreact :no_entry: m12
  @alice click ACTION [VALUE] [on b3]   (the bot shows each button's line)
  @alice edit m12: NEW TEXT          @alice delete m12   (alice changes or deletes her message m12)
TEXT starting with `/pn ` is a slash command; `@pnbot` at its start mentions the bot.
In a meeting, tagged lines are chat: `@alice: #info TEXT`, `@bruno: #action @alice TEXT
due=DATE`, `@bruno: #agreed TEXT` (at the prompt, `#topic TEXT` alone is a tagged line too;
a script line starting with `#` stays a comment).
Input line N has message id mN; the bot's posts are numbered b1, b2, ... in the output, and
its replies others can react to (an emerging issue: react :+1: r1) r1, r2, ...
At the prompt, lines speak as you without `@NAME`: `@pnbot roster`, `click ...` (or a button
as printed, `[Undo: click availability.undo 4]`), `react :+1: r1`, `thread b3: TEXT`, `dm:
TEXT`. The clock lines (!now, !advance) need a scratch database there: --database sqlite://.
A script's output shows its comments as headings, each clock jump, and identical direct
messages once (--verbatim prints every line as it happens).
"""

from __future__ import annotations

import hashlib
import re
import sys
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url

from bot.rosterfile import import_file
from bot.runtime import Runtime
from bot.transports.base import Limits, Sent
from handlers import groups, minutes_text
from handlers.base import UserError
from handlers.events import (
    Action,
    Command,
    Deleted,
    DirectMessage,
    Edited,
    Inbound,
    Message,
    Outgoing,
    Post,
    Reaction,
    Reply,
    Update,
    strip_marks,
)

TRANSPORT = "console"
BOT_NAME = "pnbot"
DEFAULT_USER = "facilitator"

_WHO = r"@(?P<user>[\w.\-]+)(?:\s+(?P<where>#[\w.\-]+|dm))?"
SAY = re.compile(_WHO + r"(?:\s+thread\s+(?P<thread>[mb]\d+))?\s*:\s?(?P<text>.*)$", re.DOTALL)
REACT = re.compile(
    _WHO + r"\s+(?P<verb>react|unreact)\s+:(?P<name>[\w+\-]+):\s+(?P<target>[mbr]\d+)$"
)
CLICK = re.compile(
    _WHO
    + r"\s+click\s+(?P<action>[\w.\-]+)(?:\s+(?!on\s)(?P<value>\S+))?(?:\s+on\s+(?P<target>[mb]\d+))?$"
)
EDIT = re.compile(r"@(?P<user>[\w.\-]+)\s+edit\s+(?P<target>m\d+)\s*:\s?(?P<text>.*)$", re.DOTALL)
DELETE = re.compile(r"@(?P<user>[\w.\-]+)\s+delete\s+(?P<target>m\d+)$")
DURATION = re.compile(r"(\d+)\s*([dhm])")
UNITS = {"d": "days", "h": "hours", "m": "minutes"}
CLOCK = re.compile(r"!(now|advance)\b")
# What the prompt also takes, as the bot prints it: a button, and script lines without `@you`.
BUTTON = re.compile(r"^\[[^\]\[]*?:\s*(click\s[^\]]+)\]$")
YOURS = ("click", "react", "unreact", "edit", "delete", "thread", "dm:", "dm")
# A reader's own hour in a DM, e.g. " (12:00 Africa/Nairobi)": the rest is the same for all.
OWN_HOUR = re.compile(r" \(\d{1,2}:\d{2} [A-Z][\w\-+]*(?:/[\w\-+]+)*\)")


class ScriptError(Exception):
    """A console line that is not in any of the documented forms."""


class Console:
    """The console transport: what is typed becomes events, what the bot says is printed."""

    name = TRANSPORT
    limits = Limits()

    def __init__(
        self,
        app,
        out: TextIO | None = None,
        now: datetime | None = None,
        user: str = DEFAULT_USER,
        narrate: bool = False,
    ):
        self.app = app
        self.out = sys.stdout if out is None else out  # the stdout of the moment, not of import
        # narrate: a script's comments as headings, clock jumps marked, identical DMs as one
        self.narrate = narrate
        self._dms: list[tuple[datetime, DirectMessage]] = []  # held back, to print as one
        self._printed = False
        self._heading_open = self._under_heading = False
        self.simulated = now is not None
        self._now = now
        self.user = user
        self.room = "#general"
        self.base = Path.cwd()
        self.run = uuid.uuid4().hex[:8]
        self.posts = 0
        self.replies = 0  # replies others can react to: r1, r2, ...
        self.said: dict[str, Message] = {}  # what each mN was, for its edits and deletion
        self.runtime = Runtime(
            app, [self], clock=lambda: self.now, inline=True, worker=f"console-{self.run}"
        )
        self.scheduler = self.runtime.scheduler

    # time ---------------------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        return self._now if self.simulated else datetime.now(UTC).replace(microsecond=0)

    def set_now(self, when: datetime) -> None:
        self._now = when
        self.simulated = True

    # input --------------------------------------------------------------------------------
    def feed(self, line: str, number: int, echo: bool = True) -> None:
        """Act on one line; raise ScriptError when it is in no documented form."""
        line = line.rstrip("\n")
        stripped = line.strip()
        if stripped.startswith("#") and self.narrate:
            self._heading(stripped)
            return
        # a clock jump right under a heading belongs to it: no blank line between
        self._under_heading, self._heading_open = self._heading_open, False
        if not stripped or stripped.startswith("#"):
            return
        if stripped.startswith("!"):
            self._directive(stripped, number)
            return
        forms = (
            (EDIT, self._edit),
            (DELETE, self._delete),
            (REACT, self._reaction),
            (CLICK, self._click),
            (SAY, self._say),
        )
        for pattern, build in forms:
            match = pattern.match(stripped)
            if match:
                event = build(match, number)
                if echo:
                    self._echo(event, stripped)
                self._dispatch(event)
                return
        raise ScriptError(
            f"line {number}: not a console line: {stripped[:60]!r} (see `pnbot console --help`)"
        )

    def _where(self, match) -> tuple[str, bool]:
        where = match.group("where")
        if where == "dm":
            return f"dm:{match.group('user')}", True
        return (where or self.room), False

    def _base(self, match, number: int) -> dict:
        room, direct = self._where(match)
        return {
            "transport": TRANSPORT,
            "room": room,
            "user": match.group("user"),
            "key": f"{self.run}:{number}",
            "at": self.now,
            "message_id": f"m{number}",
            "is_direct": direct,
        }

    def _say(self, match, number: int) -> Inbound:
        text = match.group("text").strip()
        base = self._base(match, number) | {"thread": match.group("thread")}
        if text.startswith("/pn ") or text == "/pn":
            return Command(text=text[3:].strip(), **base)
        mention = f"@{BOT_NAME}"
        if text.lower().startswith(mention):
            return Message(text=text[len(mention) :].lstrip(" :,"), mentions_bot=True, **base)
        message = Message(text=text, **base)
        self.said[message.message_id] = message
        return message

    def _changed(self, match, number: int) -> dict:
        """Where an edit or a deletion of an earlier line mN happens: that line's room."""
        target, user = match.group("target"), match.group("user")
        said = self.said.get(target)
        if said is None or said.user != user:
            raise ScriptError(f"line {number}: {target} is no message of @{user} in this script")
        return {
            "transport": TRANSPORT,
            "room": said.room,
            "user": user,
            "key": f"{self.run}:{number}",
            "at": self.now,
            "message_id": target,
            "thread": said.thread,
            "is_direct": said.is_direct,
        }

    def _edit(self, match, number: int) -> Inbound:
        base = self._changed(match, number)
        text = match.group("text").strip()
        self.said[match.group("target")] = replace(self.said[match.group("target")], text=text)
        return Edited(text=text, **base)

    def _delete(self, match, number: int) -> Inbound:
        base = self._changed(match, number)
        del self.said[match.group("target")]
        return Deleted(**base)

    def _reaction(self, match, number: int) -> Inbound:
        return Reaction(
            name=match.group("name"),
            target=match.group("target"),
            added=match.group("verb") == "react",
            **self._base(match, number),
        )

    def _click(self, match, number: int) -> Inbound:
        return Action(
            action=match.group("action"),
            value=match.group("value") or "",
            target=match.group("target"),
            **self._base(match, number),
        )

    def _directive(self, line: str, number: int) -> None:
        word, _, arg = line[1:].partition(" ")
        arg = arg.strip()
        if word == "now":
            self.set_now(parse_time(arg, number))
            self._line(f"clock set to {stamp(self.now)}")
        elif word == "advance":
            step = parse_duration(arg, number)
            end = self.now + step
            if self.narrate:
                self._flush()
                self._write(f"— {spell(step)} later —", blank=not self._under_heading)
            self.scheduler.run_until(self.now, end, self.set_now)
            self.set_now(end)
        elif word == "group":
            self._use_group(arg, number)
        elif word == "roster-import":
            path = Path(arg) if Path(arg).is_absolute() else self.base / arg
            if self._replayed(number):
                return
            self._line(
                self._system(
                    lambda: import_file(self.app.store, path, self._group_name(), self.now)
                )
            )
            self._done(number)
        elif word == "as":
            if not re.fullmatch(r"[\w.\-]+", arg):
                raise ScriptError(f"line {number}: !as needs a user name, e.g. !as alice")
            self.user = arg
        else:
            raise ScriptError(
                f"line {number}: unknown directive !{word} (use !now, !advance, !group, !roster-import, !as)"
            )

    def _use_group(self, name: str, number: int) -> None:
        room = f"#{name}"

        def bind():
            with self.app.store() as uow:
                group = groups.ensure_group(uow, name, TRANSPORT, room, self.now)
                uow.commit()
                return group.name

        self.room = f"#{self._system(bind)}"
        # Transports serving the group's other rooms (a mailing list) bind them once it exists.
        for other in list(self.runtime.transports.values()):
            started = getattr(other, "group_started", None)
            if started is not None:
                started()
        self._line(f"now in {self.room}")

    def _replayed(self, number: int) -> bool:
        """Whether line `number` of this script was acted on before (a replay after a restart)."""
        with self.app.store() as uow:
            return not uow.events.claim(TRANSPORT, f"{self.run}:{number}", self.now)

    def _done(self, number: int) -> None:
        # Recorded after the (idempotent) import: dying in between re-imports on replay, before
        # any later line has changed the roster.
        with self.app.store() as uow:
            uow.events.claim(TRANSPORT, f"{self.run}:{number}", self.now)
            uow.commit()

    def _group_name(self) -> str | None:
        with self.app.store() as uow:
            group = uow.groups.for_room(TRANSPORT, self.room)
            return group.name if group else None

    def _system(self, action) -> str:
        try:
            return action()
        except UserError as error:
            return str(error)

    # output -------------------------------------------------------------------------------
    def _dispatch(self, event: Inbound) -> None:
        self.runtime.receive(event)
        # What the event made due (an agenda approved after its posting time) goes out now,
        # as the live bot's next tick would send it.
        self.scheduler.tick(self.now)

    # the transport's side ---------------------------------------------------------------
    def owns(self, handle: str) -> bool:
        """Console people are plain names (a Matrix id has a colon, a Slack id is upper case)."""
        return bool(re.fullmatch(r"[a-z0-9][\w.\-]*", handle))

    def delivered(self, out: Outgoing) -> Sent | bool | None:
        return None  # a terminal keeps no history to ask

    def deliver(self, out: Outgoing) -> Sent | None:
        """Print what the runtime delivers from the outbox; posts and replies others can react
        to get a number (b3, r2) that names them."""
        buttons = [
            f"[{b['label']}: click {b['action']} {b['value']}]" for b in out.data.get("actions", [])
        ]
        if buttons:
            out = replace(out, text=out.text + "\n" + " ".join(buttons))
        if isinstance(out, Reply):
            to = out.to
            room = f"dm {to.user}" if to.is_direct else to.room
            root = to.thread or to.message_id
            where = f"{room} thread {root}" if out.in_thread and root else room
            who = (
                f"{BOT_NAME} (to {to.user} only)" if out.private and not to.is_direct else BOT_NAME
            )
            if out.data.get("ref") and not out.private:
                # a reply others can react to (an emerging issue): r-numbered, apart from posts
                self.replies += 1
                self._line(f"{where} {who} [r{self.replies}]: {out.text}")
                return Sent(room, f"r{self.replies}")
            self._line(f"{where} {who}: {out.text}")
        elif isinstance(out, Post):
            self.posts += 1
            thread = f" thread {out.thread}" if out.thread else ""
            self._line(f"{out.room}{thread} {BOT_NAME} [b{self.posts}]: {out.text}")
            return Sent(out.room, f"b{self.posts}")
        elif isinstance(out, DirectMessage):
            if self.narrate:
                self._hold(out)
            else:
                self._line(f"dm {out.user} {BOT_NAME}: {out.text}")
        elif isinstance(out, Update):
            self._line(f"{out.room} {BOT_NAME} edits {out.message_id}: {out.text}")
        return None

    def _echo(self, event: Inbound, line: str) -> None:
        where = f"dm {event.user}" if event.is_direct else event.room
        if isinstance(event, Message | Command) and event.thread:
            where += f" thread {event.thread}"
        body = (
            line.split(":", 1)[1].strip()
            if isinstance(event, Message | Command)
            else line.split(None, 1)[1]
        )
        if isinstance(event, Edited):
            body = f"edits {event.message_id}: {event.text}"
        self._line(f"{where} <{event.user}> {body}")

    def _line(self, text: str, at: datetime | None = None) -> None:
        self._flush()
        indent = "\n" + " " * 4
        text = strip_marks(text)  # a terminal shows the core's mentions as plain `@handle`
        self._write(f"[{stamp(at or self.now)}] {indent.join(text.splitlines())}")

    def _write(self, text: str, blank: bool = False) -> None:
        if blank and self._printed:
            self.out.write("\n")
        self.out.write(text + "\n")
        self.out.flush()
        self._printed = True

    def _heading(self, comment: str) -> None:
        """A script's comment, printed as the heading of what follows it."""
        self._flush()
        self._write(comment, blank=not self._heading_open)
        self._heading_open = True

    def _hold(self, dm: DirectMessage) -> None:
        """Keep a DM back while the next ones say the same, to print them as one."""
        if self._dms:
            at, first = self._dms[0]
            if at != self.now or OWN_HOUR.sub("", dm.text) != OWN_HOUR.sub("", first.text):
                self._flush()
        self._dms.append((self.now, dm))

    def _flush(self) -> None:
        """Print the DMs held back: one line for one, one entry naming everyone for several."""
        held, self._dms = self._dms, []
        if not held:
            return
        at, dms = held[0][0], [dm for _, dm in held]
        if len(dms) == 1:
            self._line(f"dm {dms[0].user} {BOT_NAME}: {dms[0].text}", at)
            return
        own = "; each reads the time in their own zone" if len({d.text for d in dms}) > 1 else ""
        names = ", ".join(d.user for d in dms)
        self._line(
            f"dm to {len(dms)} people {BOT_NAME}: {dms[0].text}\n(the same to {names}{own})", at
        )

    # loops --------------------------------------------------------------------------------
    def run_script(self, path: Path) -> int:
        """Replay a transcript; stops at the first line in no documented form (status 2).

        A line's idempotency key is the script's digest and its number, so replaying the same
        script on the same database (after a crash, say) acts on each line once."""
        self.base = path.parent
        self.run = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        if self._now is None:
            self.set_now(datetime.now(UTC).replace(second=0, microsecond=0))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            try:
                self.feed(line, number)
            except ScriptError as error:
                self._flush()
                print(f"pnbot: {path}: {error}", file=sys.stderr)
                return 2
        self._flush()
        return 0

    def interactive(self, stdin: TextIO | None = None) -> int:
        stdin = sys.stdin if stdin is None else stdin
        self._line(
            f"pnbot console. You are @{self.user} in {self.room}. Commands start with /pn "
            "(try `/pn help`); other lines are chat in the room. `/as NAME` switches person, "
            "`@NAME: TEXT`, `!group NAME` and the other script lines work too; Ctrl-D quits."
        )
        editing = stdin is sys.stdin and self.out is sys.stdout and _line_editing(stdin)
        number = 0
        while True:
            raw = self._ask(stdin, f"{self.user}@{self.room}> ", editing)
            if not raw:
                self.out.write("\n")
                return 0
            number += 1
            text = self._typed(raw.strip())
            if text is None:
                return 0
            clock = CLOCK.match(text)
            if clock and not self._scratch():
                self._line(self._clock_refused(clock.group(1)))
                continue
            try:
                self.feed(text, number, echo=False)
            except ScriptError as error:
                self._line(str(error).split(": ", 1)[-1])

    def _ask(self, stdin: TextIO, prompt: str, editing: bool) -> str:
        """One typed line with its newline; empty at the end of input."""
        if editing:
            try:
                return input(prompt) + "\n"  # readline's editing and history
            except EOFError:
                return ""
        self.out.write(prompt)
        self.out.flush()
        return stdin.readline()

    def _typed(self, text: str) -> str | None:
        """A line typed at the prompt as a script line; None to quit. What the bot prints
        (a button, `@pnbot member show`) and script lines without `@you` are taken too."""
        if text.startswith("/as "):
            return "!as " + text[4:]
        if text in ("/quit", "/exit"):
            return None
        button = BUTTON.match(text)
        if button:
            text = button.group(1)
        first = text.split(None, 1)[0].lower() if text else ""
        if first in YOURS:
            mine = f"@{self.user} {text}"
            if any(form.match(mine) for form in (EDIT, DELETE, REACT, CLICK, SAY)):
                return mine
        mention = re.match(rf"@{BOT_NAME}\b", text, re.IGNORECASE)
        if text and minutes_text.tag_of(text):
            return f"@{self.user}: {text}"  # a meeting's tagged line, not a comment
        if text and (mention or not text.startswith(("!", "@", "#"))):
            return f"@{self.user}: {text}"
        return text

    def _scratch(self) -> bool:
        """Whether the database lives in memory only, so a simulated clock harms nothing."""
        url = make_url(self.app.settings.database_url)
        return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")

    def _clock_refused(self, word: str) -> str:
        shown = make_url(self.app.settings.database_url).render_as_string(hide_password=True)
        return (
            f"`!{word}` works in scripts and on a scratch database only. Here it would write "
            f"what the moved clock makes due into {shown} as if it were then, and the next "
            "start is back at today. Try it with `pnbot --database sqlite:// console`, or in "
            "a script: `pnbot console --script FILE`."
        )


def _line_editing(stdin: TextIO) -> bool:
    """Whether typed lines can be edited and recalled (readline, on a terminal)."""
    if not stdin.isatty():
        return False
    try:
        import readline  # noqa: F401  (loading it gives input() editing and history)
    except ImportError:
        return False
    return True


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def parse_time(text: str, number: int) -> datetime:
    """`2026-12-01 09:00 UTC` or `2026-12-01T09:00+01:00` or `2026-12-01 09:00 Europe/Paris`."""
    stamp_text, _, zone = text.rpartition(" ")
    candidates = [(stamp_text, zone)] if zone and not zone[0].isdigit() else []
    candidates.append((text, None))
    for value, zone_name in candidates:
        try:
            when = datetime.fromisoformat(value)
            tz = ZoneInfo("UTC" if zone_name in (None, "UTC", "Z") else zone_name)
        except (ValueError, KeyError, OSError):
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=tz)
        return when.astimezone(UTC)
    raise ScriptError(f"line {number}: !now needs a time such as 2026-12-01 09:00 UTC")


def spell(step: timedelta) -> str:
    """A duration in words: `3 days`, `6 days 6 hours`, `1 hour`."""
    minutes = int(step.total_seconds()) // 60
    parts = [
        (minutes // 1440, "day"),
        (minutes // 60 % 24, "hour"),
        (minutes % 60, "minute"),
    ]
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n) or "no time"


def parse_duration(text: str, number: int) -> timedelta:
    parts = DURATION.findall(text)
    if not parts or DURATION.sub("", text).strip():
        raise ScriptError(f"line {number}: !advance needs a duration such as 3d, 2h, 30m or 1d12h")
    return sum((timedelta(**{UNITS[unit]: int(n)}) for n, unit in parts), timedelta())
