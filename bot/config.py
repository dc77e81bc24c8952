"""Read the bot's settings from the environment (and `.env`), refusing bad values early."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from dotenv import load_dotenv

from handlers import zones

DEFAULT_DATABASE_URL = "sqlite:///./data/pnbot.db"
TRANSPORTS = ("auto", "console", "slack", "matrix")
PLATFORMS = ("slack", "matrix")  # the transports one process serves together, in this order


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""

    def __init__(self, variable: str, problem: str):
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite://"
    transport: str = "console"
    facilitators: frozenset[str] = field(default_factory=frozenset)
    default_tz: str = "UTC"
    secretariat_room: str | None = None
    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str | None = None
    slack_command: str = "/pn"
    matrix_homeserver: str | None = None
    matrix_user_id: str | None = None
    matrix_access_token: str | None = None
    matrix_password: str | None = None
    matrix_rooms: frozenset[str] = field(default_factory=frozenset)
    site_dir: Path | None = None
    site_url: str | None = None
    mail_list_address: str | None = None
    mail_from: str | None = None
    mail_group: str | None = None
    smtp_url: str | None = None
    imap_url: str | None = None
    mail_authserv_id: str | None = None
    mail_calendar_url: str | None = None
    mail_poll_seconds: float = 60.0

    @property
    def mail(self) -> bool:
        """Whether the e-mail transport is configured (it runs beside the chat platform)."""
        return bool(self.smtp_url and self.imap_url and self.mail_from)

    @property
    def transports(self) -> tuple[str, ...]:
        """The transports to run: one, or several platforms (`transport` is `slack,matrix`)."""
        return tuple(self.transport.split(","))


def load(env: Mapping[str, str] | None = None, dotenv_path: str | None = ".env") -> Settings:
    """Build Settings from `env` (default: the process environment after reading `.env`)."""
    if env is None:
        if dotenv_path:
            load_dotenv(dotenv_path, override=False)
        env = os.environ

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    slack_bot_token = _prefixed(get("SLACK_BOT_TOKEN"), "SLACK_BOT_TOKEN", "xoxb-")
    slack_app_token = _prefixed(get("SLACK_APP_TOKEN"), "SLACK_APP_TOKEN", "xapp-")
    slack_signing_secret = get("SLACK_SIGNING_SECRET")
    matrix_homeserver = _http_url(get("MATRIX_HOMESERVER"), "MATRIX_HOMESERVER")
    transport = transport_of(get("PNBOT_TRANSPORT") or "auto", slack_bot_token, matrix_homeserver)
    chosen = transport.split(",")
    if "slack" in chosen:
        if not slack_bot_token:
            raise ConfigError("SLACK_BOT_TOKEN", "is required for the Slack transport")
        if not (slack_app_token or slack_signing_secret):
            raise ConfigError(
                "SLACK_SIGNING_SECRET",
                "is required for the Slack transport in HTTP mode (or set SLACK_APP_TOKEN)",
            )
    matrix_user_id = _matrix_id(get("MATRIX_USER_ID"), "MATRIX_USER_ID", "@")
    if "matrix" in chosen:
        if not matrix_homeserver:
            raise ConfigError("MATRIX_HOMESERVER", "is required for the Matrix transport")
        if not matrix_user_id:
            raise ConfigError("MATRIX_USER_ID", "is required for the Matrix transport")
        if not (get("MATRIX_ACCESS_TOKEN") or get("MATRIX_PASSWORD")):
            raise ConfigError(
                "MATRIX_ACCESS_TOKEN", "is required for the Matrix transport (or MATRIX_PASSWORD)"
            )
    mail = _mail_settings(get)
    return Settings(
        **mail,
        database_url=database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        transport=transport,
        facilitators=_facilitators(get("PNBOT_FACILITATORS")),
        default_tz=_zone(get("PNBOT_DEFAULT_TZ") or "UTC", "PNBOT_DEFAULT_TZ"),
        secretariat_room=get("PNBOT_SECRETARIAT_ROOM"),
        slack_bot_token=slack_bot_token,
        slack_app_token=slack_app_token,
        slack_signing_secret=slack_signing_secret,
        slack_api_url=_api_url(get("SLACK_API_URL")),
        slack_command=_slash_command(get("PNBOT_SLASH_COMMAND") or "/pn"),
        matrix_homeserver=matrix_homeserver,
        matrix_user_id=matrix_user_id,
        matrix_access_token=get("MATRIX_ACCESS_TOKEN"),
        matrix_password=get("MATRIX_PASSWORD"),
        matrix_rooms=_matrix_rooms(get("MATRIX_ROOMS")),
        site_dir=Path(get("PNBOT_SITE_DIR")) if get("PNBOT_SITE_DIR") else None,
        site_url=_http_url(get("PNBOT_SITE_URL"), "PNBOT_SITE_URL"),
    )


def _mail_settings(get) -> dict:
    """The e-mail transport's settings: all of SMTP_URL, IMAP_URL and MAIL_FROM, or none."""
    values = {
        "smtp_url": _mail_url(get("SMTP_URL"), "SMTP_URL", ("smtp", "smtps")),
        "imap_url": _mail_url(get("IMAP_URL"), "IMAP_URL", ("imap", "imaps")),
        "mail_from": _email(get("MAIL_FROM"), "MAIL_FROM"),
        "mail_list_address": _email(get("MAIL_LIST_ADDRESS"), "MAIL_LIST_ADDRESS"),
        "mail_group": get("MAIL_GROUP"),
        "mail_authserv_id": get("MAIL_AUTHSERV_ID"),
        "mail_calendar_url": _http_url(get("MAIL_CALENDAR_URL"), "MAIL_CALENDAR_URL"),
    }
    given = [name for name in ("SMTP_URL", "IMAP_URL", "MAIL_FROM") if get(name)]
    if given and len(given) < 3:
        missing = next(n for n in ("SMTP_URL", "IMAP_URL", "MAIL_FROM") if n not in given)
        raise ConfigError(missing, f"is required for e-mail (since {given[0]} is set)")
    if values["mail_list_address"] and not values["mail_group"]:
        raise ConfigError("MAIL_GROUP", "names the group the list belongs to, e.g. pn-ai")
    seconds = get("MAIL_POLL_SECONDS") or "60"
    try:
        values["mail_poll_seconds"] = float(seconds)
    except ValueError:
        values["mail_poll_seconds"] = -1.0
    if not 1 <= values["mail_poll_seconds"] <= 3600:
        raise ConfigError("MAIL_POLL_SECONDS", f"{seconds!r} should be seconds, 1 to 3600")
    return values


def _mail_url(value: str | None, variable: str, schemes: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    parsed = urlparse(value)
    try:
        _ = parsed.port
    except ValueError:
        raise ConfigError(variable, f"{_without_password(value)!r} has a bad port") from None
    if parsed.scheme not in schemes or not parsed.hostname:
        example = f"{schemes[0]}://user:password@mail.example.org"
        raise ConfigError(
            variable,
            f"{_without_password(value)!r} is not a {' or '.join(schemes)} URL like {example}",
        )
    return value


def _email(value: str | None, variable: str) -> str | None:
    if value is None:
        return None
    local, at, domain = value.partition("@")
    if not at or not local or "." not in domain or any(c in value for c in " <>,;"):
        raise ConfigError(variable, f"{value!r} is not a mail address like pnbot@example.org")
    return value.lower()


def database_url(value: str, variable: str = "DATABASE_URL") -> str:
    """Check a database URL and pin PostgreSQL to the psycopg 3 driver."""
    # imported here, not at the top: `pnbot --help` should not load SQLAlchemy
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    shown = _without_password(value)
    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(
            variable, f"{shown!r} is not a database URL (try sqlite:///./data/pnbot.db)"
        ) from None
    except ValueError:  # SQLAlchemy reads the port with int()
        raise ConfigError(variable, f"{shown!r} has a port that is not a number") from None
    if url.port is not None and not 0 < url.port < 65536:
        raise ConfigError(variable, f"{shown!r} has a port outside 1-65535")
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(variable, f"unsupported database {backend!r}: use sqlite or postgresql")
    if backend == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _without_password(value: str) -> str:
    """`value` with all between the user's `:` and the last `@` masked, even unparsable."""
    head, at, tail = value.rpartition("@")
    colon = head.find(":", head.find("://") + 3 if "://" in head else 0)
    if not at or colon < 0:
        return value
    return f"{head[:colon]}:***@{tail}"


def transport_of(
    value: str,
    slack_bot_token: str | None,
    matrix_homeserver: str | None,
    variable: str = "PNBOT_TRANSPORT",
) -> str:
    """The transport to run, or the platforms joined by commas (`slack,matrix`); `auto` is
    every platform whose credentials are set, else the console."""
    names = [part.strip() for part in value.lower().split(",")]
    for name in names:
        if name not in TRANSPORTS:
            raise ConfigError(
                variable,
                f"{name!r} is not one of {', '.join(TRANSPORTS)} "
                "(several platforms are joined by commas: slack,matrix)",
            )
    if len(names) > 1 and not set(names) <= set(PLATFORMS):
        raise ConfigError(
            variable, f"{value!r}: only slack and matrix run together; auto and console run alone"
        )
    if names == ["auto"]:
        credentials = {"slack": slack_bot_token, "matrix": matrix_homeserver}
        return ",".join(name for name in PLATFORMS if credentials[name]) or "console"
    return ",".join(name for name in PLATFORMS if name in names) or names[0]


def _http_url(value: str | None, variable: str) -> str | None:
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(variable, f"{value!r} is not an http(s) URL")
    return value.rstrip("/")


def _matrix_id(value: str | None, variable: str, sigil: str) -> str | None:
    """A Matrix id such as @pnbot:example.org (user) or !abc:example.org (room)."""
    if value is None:
        return None
    local, colon, server = value[1:].partition(":")
    if not value.startswith(sigil) or not local or not colon or not server or " " in value:
        example = "@pnbot:example.org" if sigil == "@" else "!AbCdEf:example.org"
        raise ConfigError(variable, f"{value!r} is not a Matrix id such as {example}")
    return value


def _matrix_rooms(value: str | None) -> frozenset[str]:
    if not value:
        return frozenset()
    return frozenset(_matrix_id(part.strip(), "MATRIX_ROOMS", "!") for part in value.split(","))


def _facilitators(value: str | None) -> frozenset[str]:
    if not value:
        return frozenset()
    ids = [part.strip().lstrip("@") for part in value.split(",")]
    if any(not part or " " in part for part in ids):
        raise ConfigError(
            "PNBOT_FACILITATORS", "must be user ids separated by commas, e.g. U012AB,alice"
        )
    return frozenset(ids)


def _zone(value: str, variable: str) -> str:
    found = zones.find(value)
    if found is None:
        raise ConfigError(variable, zones.zone_error(value))
    return found


def _prefixed(value: str | None, variable: str, prefix: str) -> str | None:
    if value is not None and not value.startswith(prefix):
        raise ConfigError(variable, f"must start with {prefix!r}")
    return value


def _slash_command(value: str) -> str:
    # Slack's rule for a command's name: a slash, then at most 31 lowercase letters, digits, - or _.
    if not re.fullmatch(r"/[a-z0-9_\-]{1,31}", value):
        raise ConfigError(
            "PNBOT_SLASH_COMMAND",
            f"{value!r} is not a slash command name: a '/' then lowercase letters, digits, - or _",
        )
    return value


def _api_url(value: str | None) -> str | None:
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError("SLACK_API_URL", f"{value!r} is not an http(s) URL")
    # slack_sdk joins with urljoin: a base URL with a path must end in '/'.
    return value if value.endswith("/") else value + "/"
