"""`pnbot doctor`: check the configuration, the database and the Slack app, and say what to
fix at each step. Exit status 0 when all is well, 1 when something needs fixing.

Nothing is changed: the database is read, not migrated, and Slack is only asked `auth.test`
(who the bot token is and which scopes it was granted, from the `x-oauth-scopes` header)
and, in Socket Mode, `apps.connections.open` (whether the app-level token works).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from bot import config

MARKS = {True: "ok  ", False: "FIX ", None: "note"}


@dataclass(frozen=True)
class Finding:
    ok: bool | None  # True: fine; False: to fix; None: worth knowing
    topic: str
    text: str


def main(database: str | None = None, env: Mapping[str, str] | None = None, out=None) -> int:
    out = out or sys.stdout
    findings = list(check(database, env))
    for finding in findings:
        out.write(f"{MARKS[finding.ok]}  {finding.topic}: {finding.text}\n")
    to_fix = sum(1 for f in findings if f.ok is False)
    if not to_fix:
        out.write("All is well.\n")
    else:
        out.write("1 thing to fix.\n" if to_fix == 1 else f"{to_fix} things to fix.\n")
    return 1 if to_fix else 0


def check(database: str | None = None, env: Mapping[str, str] | None = None) -> Iterator[Finding]:
    try:
        settings = config.load(env)
        if database:
            settings = replace(settings, database_url=config.database_url(database, "--database"))
    except config.ConfigError as error:
        yield Finding(
            False,
            "configuration",
            f"{error}. Set it in .env or the environment (config.example.env explains each variable).",
        )
        return
    yield from _transport(settings)
    migrated = yield from _database(settings)
    yield from _facilitators(settings, migrated)
    if "slack" in settings.transports:
        yield from _slack(settings)
    if settings.mail:
        yield from _mail(settings, migrated)


def _transport(settings) -> Iterator[Finding]:
    if settings.transport == "console":
        yield Finding(
            True,
            "transport",
            "console (no SLACK_BOT_TOKEN). To run on Slack, create the app from "
            "slack/manifest.yml and set the tokens (README, section Slack).",
        )
        return
    if "matrix" in settings.transports:
        yield Finding(
            True,
            "transport",
            f"matrix, as {settings.matrix_user_id} on {settings.matrix_homeserver} "
            "(README, section Matrix).",
        )
    if "slack" not in settings.transports:
        return
    if settings.slack_app_token:
        yield Finding(True, "transport", "slack, in Socket Mode (SLACK_APP_TOKEN is set).")
    else:
        yield Finding(
            True,
            "transport",
            "slack, in HTTP mode (no SLACK_APP_TOKEN): Slack must reach https://<your host>/slack/events, "
            "the Request URL of the slash command, events and interactivity; "
            "`pnbot run --http` listens on 127.0.0.1:3000 behind your HTTPS proxy.",
        )


def _database(settings):
    """Findings about the database; returns whether its schema is up to date."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from storage.engine import alembic_config, make_engine

    url = make_url(settings.database_url)
    shown = url.render_as_string(hide_password=True)
    file = url.database if url.get_backend_name() == "sqlite" else None
    if file not in (None, "", ":memory:") and not Path(file).exists():
        # not a fault: the first start creates the file
        yield Finding(
            None,
            "database",
            f"{shown} does not exist yet: `pnbot run` creates it (`pnbot db upgrade` alone too).",
        )
        return False
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        yield Finding(
            False, "database", f"cannot use {shown}: {reason}. Check DATABASE_URL and the server."
        )
        return False
    finally:
        engine.dispose()
    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    if current == heads:
        yield Finding(True, "database", f"{shown}, migrations applied.")
        return True
    state = "has no tables yet" if not current else "is behind the latest migrations"
    yield Finding(
        False,
        "database",
        f"{shown} {state}: run `pnbot db upgrade` (`pnbot run` also applies them at start).",
    )
    return False


def _facilitators(settings, migrated: bool) -> Iterator[Finding]:
    if settings.facilitators:
        yield Finding(
            True,
            "facilitators",
            ", ".join(sorted(settings.facilitators)) + " (PNBOT_FACILITATORS).",
        )
        return
    if settings.transport == "console":
        yield Finding(
            True, "facilitators", "on the console you are @facilitator, who always is one."
        )
        return
    on_roster = _facilitators_on_rosters(settings) if migrated else []
    if on_roster:
        yield Finding(True, "facilitators", ", ".join(on_roster) + " (on a roster).")
    elif settings.transport == "matrix":
        yield Finding(
            False,
            "facilitators",
            "nobody can create a group: set PNBOT_FACILITATORS to your Matrix user id "
            "(such as @you:example.org).",
        )
    else:
        yield Finding(
            False,
            "facilitators",
            "nobody can create a group: set PNBOT_FACILITATORS to your Slack member ID "
            "(in Slack: your profile, ⋮, Copy member ID).",
        )


def _facilitators_on_rosters(settings) -> list[str]:
    """The handles with the facilitator role on any group's roster."""
    from storage.engine import make_engine
    from storage.uow import Store

    engine = make_engine(settings.database_url)
    try:
        with Store(engine)() as uow:
            on_roster = [
                m.handle
                for g in uow.groups.all()
                for m in uow.members.all(g.id)
                if m.role == "facilitator"
            ]
    finally:
        engine.dispose()
    return sorted(set(on_roster))


def _slack(settings) -> Iterator[Finding]:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    from bot.transports.slack import SCOPES, make_client

    where = settings.slack_api_url or WebClient.BASE_URL
    try:
        answer = make_client(settings.slack_bot_token, settings.slack_api_url).auth_test()
    except SlackApiError as error:
        yield Finding(
            False,
            "bot token",
            f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}): install the app to "
            "the workspace and copy its Bot User OAuth Token (xoxb-...) from OAuth & Permissions.",
        )
        return
    except Exception as error:  # no network, wrong SLACK_API_URL, ...
        yield Finding(False, "bot token", f"cannot reach Slack at {where}: {error}")
        return
    yield Finding(
        True,
        "bot token",
        f"@{answer.get('user')} (user {answer.get('user_id')}) in {answer.get('team')} "
        f"({answer.get('team_id')}).",
    )
    headers = {k.lower(): v for k, v in (answer.headers or {}).items()}
    granted_header = headers.get("x-oauth-scopes")
    if isinstance(granted_header, list):
        granted_header = ",".join(granted_header)
    if granted_header is None:
        yield Finding(None, "scopes", "Slack did not say which scopes the token has.")
    else:
        granted = {s.strip() for s in granted_header.split(",") if s.strip()}
        missing = sorted(SCOPES - granted)
        if missing:
            yield Finding(
                False,
                "scopes",
                f"missing {', '.join(missing)}: add them under OAuth & Permissions, Bot Token "
                "Scopes (or paste slack/manifest.yml again), then reinstall the app.",
            )
        else:
            yield Finding(True, "scopes", "every scope in slack/manifest.yml is granted.")
        extra = sorted(granted - SCOPES)
        if extra:
            yield Finding(None, "scopes", f"granted but not used: {', '.join(extra)}.")
    if settings.slack_app_token:
        yield from _app_token(settings, where)


def _app_token(settings, where: str) -> Iterator[Finding]:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    try:
        WebClient(token=settings.slack_app_token, base_url=where).apps_connections_open(
            app_token=settings.slack_app_token
        )
    except SlackApiError as error:
        yield Finding(
            False,
            "app token",
            f"Slack refused SLACK_APP_TOKEN ({error.response.get('error')}): turn on Socket Mode and "
            "create an app-level token with connections:write under Basic Information, "
            "App-Level Tokens (or leave SLACK_APP_TOKEN empty for HTTP mode).",
        )
        return
    except Exception as error:
        yield Finding(False, "app token", f"cannot reach Slack at {where}: {error}")
        return
    yield Finding(True, "app token", "Socket Mode connections are allowed.")


def _mail(settings, migrated: bool) -> Iterator[Finding]:
    """The SMTP server takes the bot's login, the IMAP mailbox opens, the list has its group."""
    import imaplib
    import smtplib

    from bot.transports.email import connect_imap, connect_smtp, folder_of

    shown = config._without_password
    folder = folder_of(settings.imap_url)
    try:
        with connect_smtp(settings.smtp_url) as conn:
            conn.noop()
        yield Finding(True, "e-mail", f"SMTP {shown(settings.smtp_url)} takes the bot's login.")
    except (OSError, smtplib.SMTPException) as error:
        yield Finding(
            False,
            "e-mail",
            f"SMTP {shown(settings.smtp_url)} fails: {str(error) or type(error).__name__}. "
            "Check SMTP_URL (smtp:// with STARTTLS on 587, smtps:// on 465) and the password.",
        )
    try:
        conn = connect_imap(settings.imap_url)
        status, _ = conn.select(folder, readonly=True)
        conn.logout()
        if status != "OK":
            raise imaplib.IMAP4.error(f"no folder {folder}")
        yield Finding(True, "e-mail", f"IMAP {shown(settings.imap_url)} opens {folder}.")
    except (OSError, imaplib.IMAP4.error) as error:
        yield Finding(
            False,
            "e-mail",
            f"IMAP {shown(settings.imap_url)} fails: {str(error) or type(error).__name__}. "
            "Check IMAP_URL (imap:// with STARTTLS on 143, imaps:// on 993), the password and the folder.",
        )
    if not settings.mail_list_address:
        yield Finding(
            None, "e-mail", "no MAIL_LIST_ADDRESS: the bot answers mail but posts to no list."
        )
    elif migrated:
        from bot.app import build

        app = build(settings, migrate=False)
        try:
            with app.store() as uow:
                group = uow.groups.named(settings.mail_group)
                group = group.name if group else None
        finally:
            app.engine.dispose()
        if group is None:
            yield Finding(
                None,
                "e-mail",
                f"the group {settings.mail_group} does not exist yet: the list "
                f"{settings.mail_list_address} joins it once it is created.",
            )
        else:
            yield Finding(
                True, "e-mail", f"the list {settings.mail_list_address} belongs to {group}."
            )
    if not settings.mail_authserv_id:
        yield Finding(
            None,
            "e-mail",
            "no MAIL_AUTHSERV_ID: no mail counts as verified, so every mail that changes "
            "something is confirmed by a reply first (README, section E-mail).",
        )
