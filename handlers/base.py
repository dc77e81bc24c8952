"""What every use case shares: the context it runs in, its arguments, and how it says no.

A use case is a plain function `(ctx, args) -> list[Outgoing]`, registered with `@command`.
Its docstring is its help: the first line is the summary, the first line of the second
paragraph is its usage, and the usage is also what the dispatcher checks arguments against.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from handlers.events import Inbound, Outgoing, Reply

ROLES = ("member", "co-moderator", "observer", "facilitator", "secretariat")
VOTING_ROLES = ("member", "co-moderator")


class UserError(Exception):
    """Bad input or a refusal. Its message is the whole reply; nothing is written."""


@dataclass
class Context:
    """Everything a use case may look at: the event, the group, who asks, and the time."""

    event: Inbound
    uow: Any
    now: datetime
    group: Any | None
    user: str
    role: str
    me: Any | None
    default_tz: str = "UTC"
    facilitators: frozenset[str] = frozenset()
    secretariat_room: str | None = None
    # The time zone a person's profile on the event's platform gives, when it has one.
    profile_zone: Callable[[str], str | None] | None = None
    # How commands are typed on the event's platform (Slack's slash command may be renamed).
    slash_command: str = "/pn"
    # The zone a staff member off the roster set for themselves with `tz`.
    own_zone: str | None = None
    # Where the public website of the record is published (PNBOT_SITE_URL), if it is.
    site_url: str | None = None

    @property
    def tz(self) -> str:
        """The asker's time zone: their own, or the deployment's default."""
        if self.me and self.me.timezone:
            return self.me.timezone
        return self.own_zone or self.default_tz

    @property
    def is_facilitator(self) -> bool:
        return self.role == "facilitator"

    def require_group(self):
        if self.group is None:
            raise UserError(
                "This room belongs to no working group yet. A facilitator can type "
                "`group create NAME` here to start one, or `group bind NAME` to join one."
            )
        return self.group


@dataclass(frozen=True)
class Args:
    words: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    rest: str = ""


@dataclass(frozen=True)
class Param:
    name: str
    optional: bool
    is_option: bool = False
    is_mention: bool = False
    is_rest: bool = False


@dataclass(frozen=True)
class Spec:
    name: str
    func: Callable[[Context, Args], list[Outgoing]]
    facilitator_only: bool
    needs_group: bool
    params: tuple[Param, ...] = ()

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""

    @property
    def usage(self) -> str:
        paragraphs = self.doc.split("\n\n")
        return paragraphs[1].splitlines()[0].strip() if len(paragraphs) > 1 else self.name


REGISTRY: dict[str, Spec] = {}
ACTIONS: dict[str, Callable[[Context, str], list[Outgoing]]] = {}
# For a button pressed outside the group's rooms (a direct message, an app's home page):
# which group its value belongs to, `(uow, value) -> group id or None`.
ACTION_GROUPS: dict[str, Callable[[Any, str], int | None]] = {}


def command(name: str, *, facilitator_only: bool = False, needs_group: bool = True):
    """Register a use case under a command name such as "member add"."""

    def register(func):
        if name in REGISTRY:
            raise ValueError(f"command {name!r} registered twice")
        spec = Spec(name, func, facilitator_only, needs_group)
        if not spec.usage.startswith(name):
            raise ValueError(f"the docstring of {func.__name__} should give the usage of {name!r}")
        REGISTRY[name] = Spec(
            name, func, facilitator_only, needs_group, parse_usage(spec.usage, name)
        )
        return func

    return register


def action(name: str, group_of: Callable[[Any, str], int | None] | None = None):
    """Register what a button does: `(ctx, value) -> list[Outgoing]`, checking who may press it.

    `group_of(uow, value)` names the group the button's record belongs to, so the button
    works wherever it is pressed.
    """

    def register(func):
        if name in ACTIONS:
            raise ValueError(f"action {name!r} registered twice")
        ACTIONS[name] = func
        if group_of is not None:
            ACTION_GROUPS[name] = group_of
        return func

    return register


def button(label: str, name: str, value: str) -> dict:
    """A button to attach to an outgoing message's `data["actions"]`."""
    return {"label": label, "action": name, "value": value}


_USAGE_TOKEN = re.compile(r'\[[^\]]*\]|[^\s<"\[]*(?:<[^>]*>|"[^"]*")\S*|\S+')


def parse_usage(usage: str, name: str) -> tuple[Param, ...]:
    """Read a usage line (`member add @user group=<g> [tz=<zone>]`) into parameters."""
    body = usage[len(name) :].strip()
    params = []
    for token in _USAGE_TOKEN.findall(body):
        optional = token.startswith("[")
        inner = token[1:-1].strip() if optional else token
        if "=" in inner.split()[0]:
            params.append(Param(inner.split("=", 1)[0], optional, is_option=True))
        elif inner.startswith("@"):
            params.append(Param(inner[1:], optional, is_mention=True))
        else:
            label = inner.strip("<>")
            params.append(Param(label.rstrip("."), optional, is_rest=label.endswith("...")))
    return tuple(params)


_RECORD_NUMBER = re.compile(r"^#?([0-9]{1,9})$")


def record_number(text: str) -> int | None:
    """A record's number as typed (`3` or `#3`); None for anything else, huge numbers too."""
    found = _RECORD_NUMBER.match(text.strip())
    return int(found[1]) if found else None


def reply(
    text: str, private: bool = False, data: dict | None = None, in_thread: bool = False
) -> list[Outgoing]:
    return [Reply(text=text, private=private, data=data or {}, in_thread=in_thread)]
