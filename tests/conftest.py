"""Shared fixtures: a real database (a SQLite file, and PostgreSQL where it answers), the
whole bot built on it, and a console that replays transcripts against it."""

from __future__ import annotations

import io
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.app import build
from bot.config import Settings
from bot.transports.console import Console

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_URL = os.environ.get("PNBOT_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
REQUIRE_POSTGRES = os.environ.get("PNBOT_REQUIRE_POSTGRES") == "1"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EXAMPLES = Path(__file__).parent.parent / "examples"


def _postgres_problem() -> str | None:
    try:
        engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means: no server here
        return f"PostgreSQL at {make_url(POSTGRES_URL).render_as_string()} does not answer: {str(error).splitlines()[0]}"
    return None


@pytest.fixture(scope="session")
def postgres_available() -> None:
    problem = _postgres_problem()
    if problem:
        if REQUIRE_POSTGRES:
            pytest.fail(problem + " (PNBOT_REQUIRE_POSTGRES=1: CI must run the PostgreSQL tests)")
        pytest.skip(problem + " (set PNBOT_TEST_POSTGRES_URL to test on PostgreSQL)")


@pytest.fixture
def postgres_url(request) -> str:
    """A PostgreSQL URL whose connections live in a schema of their own, dropped afterwards."""
    request.getfixturevalue("postgres_available")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'pnbot.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request) -> str:
    """The same test on a SQLite file and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def app(db_url):
    built = build(Settings(database_url=db_url, facilitators=frozenset({"facilitator"})))
    yield built
    built.engine.dispose()


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


@pytest.fixture
def transcript(app) -> Transcript:
    chat = Transcript(app)
    chat.say("!group pn-ai")
    return chat


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, to show that rejected input changed nothing."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: sorted(map(tuple, connection.execute(table.select()).all()), key=repr)
            for name, table in sorted(metadata.tables.items())
        }
