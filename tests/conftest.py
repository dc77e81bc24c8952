"""Shared fixtures: a real database (a SQLite file, and PostgreSQL where it answers), the
whole bot built on it, and a console that replays transcripts against it."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from support import POSTGRES_URL, REQUIRE_POSTGRES, Transcript

from bot.app import build
from bot.config import Settings


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


@pytest.fixture
def transcript(app) -> Transcript:
    chat = Transcript(app)
    chat.say("!group pn-ai")
    return chat
