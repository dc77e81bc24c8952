"""Read the bot's settings from the environment (and `.env`), refusing bad values early."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite:///./data/pnbot.db"
TRANSPORTS = ("auto", "console", "slack", "matrix")


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
    transport = _transport(get("PNBOT_TRANSPORT") or "auto", slack_bot_token)
    if transport == "slack":
        if not slack_bot_token:
            raise ConfigError("SLACK_BOT_TOKEN", "is required for the Slack transport")
        if not (slack_app_token or slack_signing_secret):
            raise ConfigError(
                "SLACK_SIGNING_SECRET",
                "is required for the Slack transport in HTTP mode (or set SLACK_APP_TOKEN)",
            )
    return Settings(
        database_url=database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        transport=transport,
        facilitators=_facilitators(get("PNBOT_FACILITATORS")),
        default_tz=_zone(get("PNBOT_DEFAULT_TZ") or "UTC", "PNBOT_DEFAULT_TZ"),
        secretariat_room=get("PNBOT_SECRETARIAT_ROOM"),
        slack_bot_token=slack_bot_token,
        slack_app_token=slack_app_token,
        slack_signing_secret=slack_signing_secret,
        slack_api_url=_api_url(get("SLACK_API_URL")),
    )


def database_url(value: str, variable: str = "DATABASE_URL") -> str:
    """Check a database URL and pin PostgreSQL to the psycopg 3 driver."""
    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(
            variable, f"{value!r} is not a database URL (try sqlite:///./data/pnbot.db)"
        ) from None
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(variable, f"unsupported database {backend!r}: use sqlite or postgresql")
    if backend == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _transport(value: str, slack_bot_token: str | None) -> str:
    value = value.lower()
    if value not in TRANSPORTS:
        raise ConfigError("PNBOT_TRANSPORT", f"{value!r} is not one of {', '.join(TRANSPORTS)}")
    if value == "auto":
        return "slack" if slack_bot_token else "console"
    return value


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
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            variable, f"{value!r} is not an IANA time zone (e.g. Europe/Geneva)"
        ) from None
    return value


def _prefixed(value: str | None, variable: str, prefix: str) -> str | None:
    if value is not None and not value.startswith(prefix):
        raise ConfigError(variable, f"must start with {prefix!r}")
    return value


def _api_url(value: str | None) -> str | None:
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError("SLACK_API_URL", f"{value!r} is not an http(s) URL")
    # slack_sdk joins with urljoin: a base URL with a path must end in '/'.
    return value if value.endswith("/") else value + "/"
