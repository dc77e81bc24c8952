"""What the tests share besides fixtures: the test databases' settings, a console that
replays transcripts, what the bot said in its output, and a snapshot of every row. (Imported
as `support`: pytest loads each folder's conftest.py under the same module name, so tests
never import a conftest.)"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.transports.console import Console

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_URL = os.environ.get("PNBOT_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
REQUIRE_POSTGRES = os.environ.get("PNBOT_REQUIRE_POSTGRES") == "1"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EXAMPLES = Path(__file__).parent.parent / "examples"

# The monthly series of pn-ai, and the first meeting it gives as the bot writes it.
LINK = "https://meet.example.org/pn-ai"
SCHEDULE = (
    "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 "
    f"tz=Europe/Paris duration=90 link={LINK}"
)
DECEMBER = "Tue 8 Dec 2026, 12:00 UTC"

# Everyone with an equal say on the example roster (bruno is a co-moderator).
MEMBERS = {
    "amina",
    "bruno",
    "chen",
    "dana",
    "elif",
    "farid",
    "grace",
    "hugo",
    "ines",
    "jonas",
    "kemi",
    "lena",
    "marco",
    "nadia",
    "omar",
    "paula",
    "quentin",
    "rosa",
    "sami",
    "tomas",
}


class Transcript:
    """Replays console lines against one bot and keeps what it printed."""

    def __init__(self, app, now: datetime = START):
        self.out = io.StringIO()
        self.console = Console(app, out=self.out, now=now)
        self.console.base = EXAMPLES
        self.lines_fed = 0

    def say(self, text: str) -> str:
        """Feed lines (a transcript); return only what they printed."""
        start = self.out.tell()
        for line in text.strip("\n").splitlines():
            self.lines_fed += 1
            self.console.feed(line.strip(), self.lines_fed)
        return self.out.getvalue()[start:]


# The conversation itself: every event is recorded as received and every answer is queued,
# refusals included. What rejected input must not change is everything else.
CONVERSATION = ("inbox", "outbox")


_REFLECTED: dict[tuple, sa.MetaData] = {}


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table but the conversation's, to show that rejected input changed
    nothing."""
    # Every test database has the same tables: reflect them once per kind and set of names.
    names = tuple(sorted(sa.inspect(engine).get_table_names()))
    metadata = _REFLECTED.get((engine.dialect.name, names))
    if metadata is None:
        metadata = _REFLECTED[engine.dialect.name, names] = sa.MetaData()
        metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: sorted(map(tuple, connection.execute(table.select()).all()), key=repr)
            for name, table in sorted(metadata.tables.items())
            if name not in CONVERSATION
        }


def clean_env(**extra: str) -> dict[str, str]:
    """The test's environment without any pnbot setting, plus `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "DATABASE_URL" and not key.startswith(("PNBOT_", "SLACK_"))
    }
    return env | extra


def run_pnbot(
    cwd: Path, argv: list[str], input: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`pnbot ARGV` as the shell runs it, in this process: in `cwd`, with `env` for the process
    environment (default: `clean_env()`), `input` on stdin; its status, stdout and stderr.
    A real process would spend most of a test's time starting Python; the few tests of the
    process itself (signals, a terminal, `python -m bot`) still start one."""
    from bot import cli

    saved_env, saved_cwd, saved_stdin = dict(os.environ), os.getcwd(), sys.stdin
    out, err = io.StringIO(), io.StringIO()
    os.environ.clear()
    os.environ.update(clean_env() if env is None else env)
    os.chdir(cwd)
    sys.stdin = io.StringIO(input or "")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = cli.main(list(argv))
            except SystemExit as stop:  # argparse's usage errors and --help
                status = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
    finally:
        sys.stdin = saved_stdin
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["pnbot", *argv], status, out.getvalue(), err.getvalue())


@contextmanager
def twin_database(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second empty database of the same kind as `db_url` (a PostgreSQL one dropped after)."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'twin.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url.set(query={}))
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


# what the bot said ----------------------------------------------------------------------------

_ENTRY = re.compile(
    r"^\[(?P<at>[^\]]+)\] (?P<where>dm \S+|#\S+)(?: thread (?P<thread>[mb]\d+))? pnbot"
    r"(?: \(to (?P<only>\S+) only\))?(?: \[(?P<post>[br]\d+)\])?: (?P<text>.*)$",
    re.DOTALL,
)


@dataclass(frozen=True)
class Said:
    """One thing the bot said: when, where, in which thread, to whom alone, as which post, what."""

    at: str
    where: str
    text: str
    thread: str | None = None
    only: str | None = None
    post: str | None = None

    @property
    def first(self) -> str:
        return self.text.splitlines()[0]

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def said(printed: str) -> list[Said]:
    """What the bot said in `printed`, continuation lines joined back."""
    entries: list[str] = []
    for line in printed.splitlines():
        if line.startswith("["):
            entries.append(line)
        elif line.startswith("    ") and entries:
            entries[-1] += "\n" + line[4:]
    return [
        Said(m["at"], m["where"], m["text"], m["thread"], m["only"], m["post"])
        for entry in entries
        if (m := _ENTRY.match(entry))
    ]


def the_reply(printed: str) -> Said:
    """The one thing the bot said in `printed` (fails if it said more or nothing)."""
    replies = said(printed)
    assert len(replies) == 1, printed
    return replies[0]


def dms(printed: str) -> dict[str, list[str]]:
    """The direct messages in `printed`, by recipient."""
    out: dict[str, list[str]] = {}
    for s in said(printed):
        if s.where.startswith("dm "):
            out.setdefault(s.where[3:], []).append(s.text)
    return out


_BOT_LINE = re.compile(
    r"^(?:dm \S+|#\S+) pnbot(?: \(to \S+ only\))?(?: \[r\d+\])?: (?P<text>.*)$", re.DOTALL
)


def bot_replies(printed: str) -> list[str]:
    """The texts of the bot's plain replies in `printed` (none in a thread or as a post)."""
    entries: list[str] = []
    for line in printed.splitlines():
        if line.startswith("["):
            entries.append(line.split("] ", 1)[1])
        elif line.startswith("    ") and entries:
            entries[-1] += "\n" + line[4:]
    return [m.group("text") for e in entries if (m := _BOT_LINE.match(e))]
