"""The `pnbot` command: run the bot, replay a script, manage the database and the record."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot import config
from handlers.events import strip_marks
from handlers.wording import plural

log = logging.getLogger("pnbot")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="pnbot",
        description="A chat bot for the everyday procedures of a multistakeholder working group.",
    )
    top.add_argument("--database", metavar="URL", help="database URL (overrides DATABASE_URL)")
    top.add_argument("-v", "--verbose", action="store_true", help="log what the bot does")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = sub.add_parser("run", help="start the bot on the configured transport(s)")
    run.add_argument(
        "--transport",
        metavar="NAME",
        help="override PNBOT_TRANSPORT: auto, console, slack, matrix or slack,matrix",
    )
    run.add_argument(
        "--http",
        action="store_true",
        help="Slack: serve the Events API over HTTP even when SLACK_APP_TOKEN is set",
    )
    run.add_argument(
        "--host", default="127.0.0.1", help="Slack HTTP mode: address to bind (default 127.0.0.1)"
    )
    run.add_argument(
        "--port", type=int, default=3000, help="Slack HTTP mode: port (default 3000; 0 picks one)"
    )

    sub.add_parser(
        "doctor",
        help="check the configuration, the database and the Slack app, and say what to fix",
    )

    console = sub.add_parser(
        "console",
        help="talk to the bot in this terminal, or replay a script",
        description=_console_doc(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    console.add_argument(
        "--script", type=Path, metavar="FILE", help="replay FILE with a simulated clock"
    )
    console.add_argument(
        "--as", dest="user", default=None, metavar="USER", help="who you are (default: facilitator)"
    )
    console.add_argument(
        "--verbatim",
        action="store_true",
        help="with --script: print every line as it happens (no headings, no grouped messages)",
    )

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="apply the migrations (also done at every start)")
    revision = db_sub.add_parser(
        "revision", help="(developers) generate a migration from the models"
    )
    revision.add_argument("-m", "--message", required=True)

    roster = sub.add_parser("roster", help="roster files")
    roster_sub = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    imp = roster_sub.add_parser("import", help="add or update a roster from a CSV file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--group", metavar="NAME", help="the group")
    imp.add_argument(
        "--create", action="store_true", help="create the group named by --group if it is new"
    )

    igf = sub.add_parser("igf", help="the IGF calendar a group follows")
    igf_sub = igf.add_subparsers(dest="igf_command", metavar="ACTION", required=True)
    igf_import = igf_sub.add_parser("import", help="add the events of an IGF calendar file (.ics)")
    igf_import.add_argument("file", type=Path)
    igf_import.add_argument(
        "--group", metavar="NAME", help="the group (needed when there are several)"
    )

    export = sub.add_parser("export", help="write the whole record as JSON (docs/export.md)")
    # JSON is the only format; the flag is still accepted for the scripts that pass it
    export.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    export.add_argument("--group", metavar="NAME", help="only this group")
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE, not stdout"
    )

    calendar = sub.add_parser("calendar", help="write a group's meetings as an iCalendar file")
    calendar.add_argument(
        "--group", metavar="NAME", help="the group (needed when there are several)"
    )
    calendar.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE, not stdout"
    )

    site = sub.add_parser("site", help="the public website of the groups' record")
    site_sub = site.add_subparsers(dest="site_command", metavar="ACTION", required=True)
    site_build = site_sub.add_parser(
        "build", help="render the website into a folder (replaced whole when it is rebuilt)"
    )
    site_build.add_argument("out", type=Path, metavar="OUT", help="the folder to publish")
    site_build.add_argument("--group", metavar="NAME", help="only this group")
    site_build.add_argument(
        "--at", metavar="ISO-DATETIME", help="build the record as of this moment (default: now)"
    )
    site_serve = site_sub.add_parser("serve", help="serve a built website on 127.0.0.1 for a look")
    site_serve.add_argument(
        "folder", type=Path, nargs="?", metavar="DIR", help="the folder (default PNBOT_SITE_DIR)"
    )
    site_serve.add_argument(
        "--port", type=int, default=8000, help="port (default 8000; 0 picks one)"
    )

    minutes = sub.add_parser("minutes", help="write a meeting's minutes (Markdown, HTML or text)")
    minutes.add_argument(
        "--group", metavar="NAME", help="the group (needed when there are several)"
    )
    minutes.add_argument(
        "--meeting",
        metavar="DATE",
        help="the meeting's date, YYYY-MM-DD (default: the latest minutes)",
    )
    minutes.add_argument(
        "--format", choices=("md", "html", "txt"), default="md", help="md (default), html or txt"
    )
    minutes.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE, not stdout"
    )

    outbox = sub.add_parser(
        "outbox", help="list what the platforms refused for good, and send it again"
    )
    outbox_sub = outbox.add_subparsers(dest="outbox_command", metavar="ACTION")
    outbox_sub.add_parser("failed", help="list the failed messages (the default)")
    resend = outbox_sub.add_parser("resend", help="queue failed messages to be sent again")
    resend.add_argument("ids", type=int, nargs="+", metavar="ID")

    restore = sub.add_parser("import", help="restore an export into an empty database")
    restore.add_argument("file", type=Path)

    explain = sub.add_parser("explain", help="show what the chat capture sees in a message")
    explain.add_argument("text")
    explain.add_argument("--at", metavar="ISO-DATETIME", help="when it was written (default: now)")
    explain.add_argument(
        "--tz", metavar="ZONE", help="the writer's time zone (default: PNBOT_DEFAULT_TZ)"
    )
    return top


def _console_doc() -> str:
    """The console transport's docstring, read from its source: importing it would load the
    whole bot for every `pnbot --help`."""
    import ast
    from importlib.util import find_spec

    source = Path(find_spec("bot.transports.console").origin).read_text(encoding="utf-8")
    return ast.get_docstring(ast.parse(source), clean=False) or ""


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "doctor":
        from bot import doctor

        return doctor.main(database=args.database)
    try:
        settings = config.load()
        if args.database:
            settings = replace(
                settings, database_url=config.database_url(args.database, "--database")
            )
        if getattr(args, "transport", None):
            chosen = config.transport_of(
                args.transport, settings.slack_bot_token, settings.matrix_homeserver, "--transport"
            )
            settings = replace(settings, transport=chosen)
        return COMMANDS[args.command](args, settings)
    except config.ConfigError as error:
        print(f"pnbot: configuration: {error}", file=sys.stderr)
        return 2
    except Failure as error:
        print(f"pnbot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


class Failure(Exception):
    """A command that could not be done; the message says why."""


def _app(settings, migrate: bool = True):
    from sqlalchemy.exc import OperationalError

    from bot.app import build

    try:
        return build(settings, migrate=migrate)
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise Failure(f"cannot use the database: {reason}") from None


def cmd_run(args, settings) -> int:
    if settings.transport == "console":
        return cmd_console(argparse.Namespace(script=None, user=None), settings)
    if settings.transport == "slack":
        return _run_slack(args, settings)
    if settings.transport == "matrix":
        return _run_matrix(settings)
    if settings.transports == ("slack", "matrix"):
        return _run_slack(args, settings, matrix_too=True)
    raise config.ConfigError(
        "PNBOT_TRANSPORT",
        f"the {settings.transport} transport is not part of this version yet; use console",
    )


def _run_slack(args, settings, matrix_too: bool = False) -> int:
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    from bot.transports import slack

    http = args.http or not settings.slack_app_token
    if http and not settings.slack_signing_secret:
        raise config.ConfigError(
            "SLACK_SIGNING_SECRET", "is required for HTTP mode (from the app's Basic Information)"
        )
    app = _app(settings)
    runtime = _matrix_beside(app) if matrix_too else None
    if settings.mail:
        runtime = _mail_beside(app, runtime)
    try:
        return slack.run(app, http=http, host=args.host, port=args.port, runtime=runtime)
    except (BoltError, SlackApiError) as error:
        raise Failure(f"Slack: {error}; `pnbot doctor` says what to fix") from None
    except OSError as error:
        if not http:
            raise
        raise Failure(
            f"cannot serve on {args.host}:{args.port}: {error.strerror or error}"
        ) from None


def _matrix_beside(app):
    """Matrix served on a runtime Slack then joins and starts: one runtime for both."""
    from bot.runtime import Runtime
    from bot.transports import matrix

    runtime = Runtime(app, [])
    try:
        matrix.start_beside(app, runtime)
    except (ConnectionError, OSError) as error:
        raise Failure(f"Matrix: {error}; check MATRIX_HOMESERVER and the bot's account") from None
    return runtime


def _mail_beside(app, runtime=None):
    """The mailing list and the bot's mailbox served on `runtime` (made when None)."""
    import imaplib

    from bot.runtime import Runtime
    from bot.transports import email

    runtime = runtime or Runtime(app, [])
    try:
        email.start_beside(app, runtime)
    except (OSError, imaplib.IMAP4.error) as error:
        raise Failure(f"e-mail: {error}; `pnbot doctor` checks IMAP_URL and SMTP_URL") from None
    return runtime


def _run_matrix(settings) -> int:
    from bot.transports import matrix

    app = _app(settings)
    runtime = _mail_beside(app) if settings.mail else None
    try:
        return matrix.run(app, runtime=runtime)
    except (ConnectionError, OSError) as error:
        raise Failure(f"Matrix: {error}; check MATRIX_HOMESERVER and the bot's account") from None


def cmd_console(args, settings) -> int:
    from bot.transports.console import DEFAULT_USER, Console

    settings = replace(settings, facilitators=settings.facilitators | {DEFAULT_USER})
    app = _app(settings)
    if args.script:
        if not args.script.is_file():
            raise Failure(f"{args.script}: no such script")
        narrate = not getattr(args, "verbatim", False)
        console = Console(app, user=args.user or DEFAULT_USER, now=None, narrate=narrate)
        if settings.mail:  # a script's posts to the group's list go out as mail
            from bot.transports.email import MailBot

            MailBot(app, runtime=console.runtime).bind_list()
        return console.run_script(args.script)
    shell = Console(app, user=args.user or DEFAULT_USER)
    if settings.mail:
        _mail_beside(app, shell.runtime)
    shell.runtime.start()  # reminders and retries on the wall clock while you type
    try:
        return shell.interactive()
    finally:
        shell.runtime.stop()


def cmd_db(args, settings) -> int:
    if args.db_command == "upgrade":
        _app(settings)
        print("database is up to date")
        return 0
    from alembic import command

    from storage.engine import alembic_config, make_engine

    command.revision(
        alembic_config(make_engine(settings.database_url)), message=args.message, autogenerate=True
    )
    return 0


def cmd_roster(args, settings) -> int:
    from bot.rosterfile import import_file
    from handlers.base import UserError

    app = _app(settings)
    try:
        print(import_file(app.store, args.file, args.group, datetime.now(UTC), args.create))
    except UserError as error:
        raise Failure(str(error)) from None
    return 0


def cmd_igf(args, settings) -> int:
    from bot.igffile import import_file
    from handlers.base import UserError

    app = _app(settings)
    try:
        print(strip_marks(import_file(app.store, args.file, args.group, datetime.now(UTC))))
    except UserError as error:
        raise Failure(str(error)) from None
    return 0


def cmd_export(args, settings) -> int:
    from storage.archive import ArchiveError, export

    app = _app(settings)
    with app.store() as uow:
        try:
            data = export(uow.session, args.group)
        except ArchiveError as error:
            raise Failure(str(error)) from None
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
    _write(args.output, strip_marks(text) + "\n")  # the record as people read it
    return 0


def _write(path: Path | None, text: str, newline: str | None = None) -> None:
    """Write `text` to `path`, or to stdout without one."""
    if path is None:
        sys.stdout.write(text)
        return
    try:
        path.write_text(text, encoding="utf-8", newline=newline)
    except OSError as error:
        raise Failure(f"cannot write {path}: {_reason(error)}") from None


def _reason(error: OSError) -> str:
    """An OS error in words, without its number and path."""
    if isinstance(error, FileNotFoundError):
        return "its folder does not exist"
    return (error.strerror or str(error)).lower()


def cmd_calendar(args, settings) -> int:
    from handlers.calendar import ics_for

    app = _app(settings)
    with app.store() as uow:
        groups = [g for g in uow.groups.all() if args.group in (None, g.name)]
        if not groups:
            raise Failure(
                f"there is no group called {args.group}" if args.group else "there is no group yet"
            )
        if len(groups) > 1:
            raise Failure(f"say which group with --group: {', '.join(g.name for g in groups)}")
        text = ics_for(uow, groups[0])
    _write(args.output, text, newline="")
    return 0


def cmd_site(args, settings) -> int:
    from bot import site

    try:
        if args.site_command == "build":
            count = site.build(
                _app(settings).store,
                args.out,
                _moment(args.at, "--at"),
                group=args.group,
                base_url=settings.site_url,
            )
            print(f"built the website in {args.out}: {plural(count, 'file')}")
            return 0
        folder = args.folder or settings.site_dir
        if folder is None:
            raise Failure("say which folder to serve: pnbot site serve DIR (or set PNBOT_SITE_DIR)")

        def ready(server) -> None:
            port = server.server_address[1]
            print(f"serving {folder} on http://127.0.0.1:{port}/ (Ctrl-C stops)", flush=True)

        site.serve(Path(folder), args.port, ready)
    except site.SiteError as error:
        raise Failure(str(error)) from None
    return 0


def _moment(text: str | None, option: str) -> datetime:
    """An ISO date-time given on the command line (UTC unless it says otherwise), or now."""
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Failure(
            f"{option}: {text!r} is not an ISO date-time such as 2026-12-01T09:00:00+00:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_minutes(args, settings) -> int:
    from datetime import date

    from handlers import minutes_render

    wanted = None
    if args.meeting:
        try:
            wanted = date.fromisoformat(args.meeting)
        except ValueError:
            raise Failure(
                f"--meeting {args.meeting[:30]} is not a date: give it as 2026-12-08"
            ) from None
    app = _app(settings)
    with app.store() as uow:
        groups = [g for g in uow.groups.all() if args.group in (None, g.name)]
        if not groups:
            raise Failure(
                f"there is no group called {args.group}" if args.group else "there is no group yet"
            )
        if len(groups) > 1:
            raise Failure(f"say which group with --group: {', '.join(g.name for g in groups)}")
        group = groups[0]
        taken = uow.minutes.all(group.id)
        if wanted is not None:
            taken = [
                m
                for m in taken
                if uow.meetings.get(group.id, m.meeting_id).starts_at.date() == wanted
            ]
        if not taken:
            on = f" of a meeting on {wanted}" if wanted else ""
            raise Failure(f"{group.name} has no minutes{on}")
        data = minutes_render.data(uow, group, taken[-1], datetime.now(UTC))
        text = minutes_render.render(data, args.format)
    _write(args.output, strip_marks(text))
    return 0


def cmd_outbox(args, settings) -> int:
    app = _app(settings)
    with app.store() as uow:
        if args.outbox_command == "resend":
            failed = {item.id: item for item in uow.outbox.failed()}
            unknown = [str(i) for i in args.ids if i not in failed]
            if unknown:
                raise Failure(
                    f"no failed message {', '.join(unknown)}; `pnbot outbox` lists them"
                    " (nothing was queued)"
                )
            for item_id in args.ids:
                uow.outbox.resend(failed[item_id])
            uow.commit()
            print(f"queued {plural(len(args.ids), 'message')} again; the running bot sends them")
            return 0
        lines = [_failed_line(item) for item in uow.outbox.failed()]
    print("\n".join(lines) or "nothing failed: every message was delivered or is on its way")
    return 0


def _failed_line(item) -> str:
    """One failed outbox item: id, when, where, why, and how it begins."""
    where = f"to {item.target}" if item.kind == "dm" else f"in {item.target}"
    text = strip_marks(item.text or "")
    first = text.splitlines()[0][:80] if text else ""
    return (
        f"{item.id}\t{item.failed_at:%Y-%m-%d %H:%M} UTC\t{item.transport} {where}"
        f"\t{item.last_error}\t{first}"
    )


def cmd_import(args, settings) -> int:
    from handlers.base import UserError
    from handlers.export_check import check_export
    from storage.archive import ArchiveError, restore

    try:
        text = args.file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Failure(f"{args.file}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = _reason(error) if isinstance(error, OSError) else "it is not UTF-8 text"
        raise Failure(f"{args.file}: cannot read it ({reason})") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise Failure(f"{args.file}: cannot read it as JSON ({error})") from None
    app = _app(settings)
    with app.store() as uow:
        try:
            # the records pass the checks the commands apply, or nothing is written
            count = restore(uow.session, data, check=check_export)
        except (ArchiveError, UserError) as error:
            raise Failure(f"{args.file}: {error}; nothing was imported") from None
        uow.commit()
    print(f"imported {plural(count, 'group')} from {args.file}")
    return 0


def cmd_explain(args, settings) -> int:
    from handlers import capture
    from handlers.base import UserError
    from handlers.roster import check_zone

    try:
        tz = check_zone(args.tz or settings.default_tz)
    except UserError as error:
        raise Failure(f"--tz: {error}") from None
    try:
        at = datetime.fromisoformat(args.at) if args.at else datetime.now(UTC)
    except ValueError:
        raise Failure(
            f"--at: {args.at!r} is not an ISO date-time such as 2026-12-01T09:00:00+00:00"
        ) from None
    if at.tzinfo is None:
        from zoneinfo import ZoneInfo

        at = at.replace(tzinfo=ZoneInfo(tz))
    print(json.dumps(capture.explain(args.text, at, tz).as_json(), ensure_ascii=False))
    return 0


COMMANDS = {
    "run": cmd_run,
    "console": cmd_console,
    "db": cmd_db,
    "roster": cmd_roster,
    "igf": cmd_igf,
    "export": cmd_export,
    "import": cmd_import,
    "outbox": cmd_outbox,
    "calendar": cmd_calendar,
    "site": cmd_site,
    "minutes": cmd_minutes,
    "explain": cmd_explain,
}
