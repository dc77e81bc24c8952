"""Shared fixtures: a real database (a SQLite file, and PostgreSQL where it answers), the
whole bot built on it, and a console that replays transcripts against it.

A test whose fixtures build the bot gets its database migrated already: each worker runs the
migrations once, into a template (a SQLite file, a PostgreSQL database), and copies it per test,
which costs a file copy or a `CREATE DATABASE … TEMPLATE` instead of every migration. The bot's
own upgrade then finds the schema at head. Every other test (the migration tests among them)
gets an empty database."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from pglend import Lender, in_schema
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from support import POSTGRES_URL, REQUIRE_POSTGRES, Transcript

import storage.engine
from bot.app import build
from bot.config import Settings
from storage.engine import make_engine, upgrade

# Fixtures that migrate the test's database first thing: a test that uses one starts from the
# migrated template instead.
MIGRATING = frozenset({"app", "engine", "core", "voting", "secretariat_app"})
TEMPLATE_SCHEMA = "pnbot_template"


MATRIX = "tests/transports/matrix/"
# Run first, so that these long tests overlap everything else rather than keep one worker busy
# at the end: the Matrix tests (and their Synapse start) and the reliability tests (real
# processes, killed and restarted).
FIRST = (MATRIX, "tests/reliability/")

# Tests that share what is costly to make run on one worker, which makes it once (pytest-xdist
# hands out the largest groups first): (where, group).
TOGETHER = (
    (MATRIX, MATRIX),  # a Synapse
    ("tests/transports/mail/", "tests/transports/mail/"),  # a Dovecot
    # the example month's website (tests/site/conftest.py), and a Chromium
    *(
        (f"tests/site/test_site_{name}.py", "month_site")
        for name in ("browser", "build", "workplan")
    ),
    # a module-scoped fixture: a month or a meeting replayed by a real process
    *((f"tests/cli/test_{name}.py",) * 2 for name in ("demo", "import_checks", "minutes_command")),
    # a WORLD, built once per worker and database
    *(
        (f"tests/dialogs/test_{name}.py",) * 2
        for name in ("authorization_matrix", "privacy_matrix", "refusals")
    ),
)


def pytest_collection_modifyitems(items) -> None:
    """Mark every test that runs on PostgreSQL `postgres` (`-m "not postgres"` leaves them
    out), and order the longest tests first."""
    for item in items:
        params = getattr(item, "callspec", None)
        on_postgres = "postgres_url" in item.fixturenames or (
            params is not None and "postgres" in params.params.values()
        )
        if on_postgres and not item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.postgres)
    items.sort(key=lambda item: not item.nodeid.startswith(FIRST))


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: absent with -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup`: any test to whichever worker is free, but the tests of each group of
    TOGETHER to one worker. (pytest-xdist's own `xdist_group` marker changes the test's id,
    which pytest 9 no longer lets it do.)"""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Together(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for where, group in TOGETHER:
                if nodeid.startswith(where):
                    return group
            return nodeid

    return Together(config, log)


# One SQLite dialect for every test engine ---------------------------------------------------------
# SQLAlchemy keys its cache of compiled statements, and the types it adapts for a database, by
# the engine's dialect object. The bot makes one engine per process, so it compiles each statement
# once; the tests make one per test, and a test spent most of its time compiling the same few
# dozen statements again. Every SQLite engine the bot makes here (`storage.engine.make_engine`)
# is given the dialect and the statement cache of the first one: each test keeps its own
# engine, pool, connections and file. (SQLite's dialect is the same for every file. PostgreSQL's
# is not shared: it keeps the connection's default schema, which differs per test.)


class _OneSQLiteDialect:
    def __init__(self, create: Callable[..., sa.Engine]):
        self.create = create
        self.first: sa.Engine | None = None

    def __call__(self, url, **kwargs) -> sa.Engine:
        engine = self.create(url, **kwargs)
        if engine.dialect.name != "sqlite":
            return engine
        first = self.first
        # the first engine's dialect is shared once a connection has set it up
        if first is None or first.dialect.default_schema_name is None:
            self.first = engine
            return engine
        engine.dialect = engine.pool._dialect = first.dialect
        engine._compiled_cache = first._compiled_cache
        return engine


@pytest.fixture(scope="session", autouse=True)
def one_sqlite_dialect() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            storage.engine, "create_engine", _OneSQLiteDialect(storage.engine.create_engine)
        )
        yield


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


def _autocommit(url) -> sa.Engine:
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


@pytest.fixture(scope="session")
def postgres_template(postgres_available):
    """A database migrated once, in schema TEMPLATE_SCHEMA, that tests clone; None where the
    test role may not create databases (tests then migrate their own schema)."""
    name = f"pnbot_template_{uuid.uuid4().hex[:12]}"  # other test runs may share the server
    admin = _autocommit(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
    except sa.exc.DBAPIError:
        admin.dispose()
        yield None
        return
    url = make_url(POSTGRES_URL).set(database=name)
    try:
        with _autocommit(url).connect() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {TEMPLATE_SCHEMA}"))
        engine = make_engine(in_schema(url, TEMPLATE_SCHEMA))
        upgrade(engine)
        engine.dispose()  # a template may have no session open while it is copied
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def _migrated_postgres(template: str):
    """A copy of the template in a database of its own, its schema renamed to a unique name (the
    leader's advisory lock key is made of the schema's name)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = _autocommit(POSTGRES_URL)
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    url = make_url(POSTGRES_URL).set(database=name)
    try:
        with _autocommit(url).connect() as connection:
            connection.execute(sa.text(f"ALTER SCHEMA {TEMPLATE_SCHEMA} RENAME TO {name}"))
        yield in_schema(url, name)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def _empty_postgres():
    """A schema of its own in the test database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield in_schema(make_url(POSTGRES_URL), schema)
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_lender(postgres_template):
    """This worker's migrated database, lent to each test in turn (see pglend.py); None where
    the test role may not create databases."""
    if postgres_template is None:
        yield None
        return
    made = _migrated_postgres(postgres_template)
    url = next(made)
    lender = Lender(make_url(url).difference_update_query(["options"]), make_url(url).database)
    yield lender
    lender.close()
    made.close()


@pytest.fixture
def postgres_url(request) -> str:
    """A PostgreSQL URL whose connections live in a schema of their own: migrated already when
    the test's fixtures build the bot (the worker's lent schema, emptied), else empty and
    dropped afterwards."""
    request.getfixturevalue("postgres_available")
    if MIGRATING & set(request.fixturenames):
        lender = request.getfixturevalue("postgres_lender")
        if lender is not None:
            yield lender.lend()
            return
    yield from _empty_postgres()


@pytest.fixture
def postgres_url_empty(postgres_available):
    """An empty PostgreSQL schema of the test's own (not migrated), dropped afterwards."""
    yield from _empty_postgres()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def second_url(request, tmp_path):
    """A second, empty database of either kind (not migrated), to restore an export into."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    request.getfixturevalue("postgres_available")
    yield from _empty_postgres()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """A SQLite file migrated once, its write-ahead log folded in so one file is the database."""
    path = tmp_path_factory.mktemp("template") / "pnbot.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return str(path)


@pytest.fixture
def sqlite_url(request, tmp_path) -> str:
    """A SQLite file of the test's own: a copy of the migrated template when the test's fixtures
    build the bot, absent (created on first use) otherwise."""
    path = tmp_path / "pnbot.db"
    if MIGRATING & set(request.fixturenames):
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


# The dialog and transport tests drive the whole bot on SQLite: the storage contract
# (tests/storage/test_contract.py) holds PostgreSQL to the same answers and the same record for
# every repository method the core uses. A module of theirs that sets `ON_POSTGRES = True` (the
# export's round trips, idempotency, delivery after a crash) runs on both, as does every other
# test that takes `db_url`.
SQLITE_ONLY = ("tests/dialogs/", "tests/transports/")


def pytest_generate_tests(metafunc) -> None:
    if "db_url" not in metafunc.fixturenames or any(
        "db_url" in marker.args[0] for marker in metafunc.definition.iter_markers("parametrize")
    ):
        return  # the test chose its databases itself
    kinds = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
    where = metafunc.definition.nodeid
    if where.startswith(SQLITE_ONLY) and not getattr(metafunc.module, "ON_POSTGRES", False):
        kinds = kinds[:1]
    metafunc.parametrize("db_url", kinds, indirect=True)


@pytest.fixture
def db_url(request) -> str:
    """The test's database: a SQLite file, or PostgreSQL (see `pytest_generate_tests`); in a
    module that sets `WORLD` (a setup transcript), a copy of that world."""
    script = getattr(request.module, "WORLD", None)
    if script is None:
        return request.getfixturevalue(f"{request.param}_url")
    copies = request.getfixturevalue("worlds")(request, request.param, script).clone()
    request.addfinalizer(copies.close)
    return next(copies)


@pytest.fixture
def app(db_url):
    built = build(Settings(database_url=db_url, facilitators=frozenset({"facilitator"})))
    yield built
    built.engine.dispose()


@pytest.fixture
def transcript(request, app) -> Transcript:
    """A console on the test's bot, in pn-ai's room; in a module that sets `WORLD`, as the
    world's transcript left it."""
    script = getattr(request.module, "WORLD", None)
    if script is not None:
        kind = request.node.callspec.params["db_url"]
        return request.getfixturevalue("worlds")(request, kind, script).transcript(app)
    chat = Transcript(app)
    chat.say("!group pn-ai")
    return chat


# Worlds ----------------------------------------------------------------------------------------
# A module whose every test starts from the same long setup transcript (a roster, a schedule, a
# month of polls and outreach) replays it once per worker and database kind, and gives each test
# a copy: a file copy on SQLite, a `CREATE DATABASE … TEMPLATE` on PostgreSQL. The console's own
# state (its clock, room, the numbers of the posts and messages it showed) is copied with it.


@dataclass
class World:
    """A setup transcript's result, ready to copy: the database, and the console as it was."""

    url: str
    clone: Callable[[], Iterator[str]]
    console: dict

    def transcript(self, app) -> Transcript:
        chat = Transcript(app, now=self.console["now"])
        state = dict(self.console)
        chat.lines_fed = state.pop("lines_fed")
        state["said"] = dict(state["said"])
        for key, value in state.items():
            setattr(chat.console, key if key != "now" else "_now", value)
        return chat


CONSOLE_STATE = ("now", "room", "user", "posts", "replies", "said")


@pytest.fixture(scope="session")
def worlds(tmp_path_factory):
    """Build a world once per setup transcript and database kind: `worlds(request, kind,
    script)`, `request` the asking test's."""
    built: dict[tuple[str, str], World] = {}

    def world(request, kind: str, script: str) -> World:
        if (kind, script) in built:
            return built[kind, script]
        if kind == "sqlite":
            path = tmp_path_factory.mktemp("world") / "pnbot.db"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            url = f"sqlite:///{path}"
        else:
            request.getfixturevalue("postgres_available")
            lender = request.getfixturevalue("postgres_lender")
            if lender is None:
                pytest.skip("the PostgreSQL test role may not create databases")
            schema = lender.add_schema()
            url = in_schema(lender.url, schema)
        app = build(Settings(database_url=url, facilitators=frozenset({"facilitator"})))
        chat = Transcript(app)
        chat.say("!group pn-ai")
        chat.say(script)
        console = {key: getattr(chat.console, key) for key in CONSOLE_STATE}
        console["lines_fed"] = chat.lines_fed
        app.engine.dispose()  # a database to copy has no connection open
        if kind == "sqlite":
            connection = sqlite3.connect(path)
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()

            def clone(path=path):
                copy = tmp_path_factory.mktemp("copy") / "pnbot.db"
                shutil.copyfile(path, copy)
                yield f"sqlite:///{copy}"
        else:

            def clone(lender=lender, schema=schema):
                yield lender.lend(world=schema)

        built[kind, script] = World(url, clone, console)
        return built[kind, script]

    return world
