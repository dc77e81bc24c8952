"""Fixtures of the Matrix tests: one real Synapse for the session (skipped with a reason where
matrix-synapse is not installed, failing instead when PNBOT_REQUIRE_SYNAPSE=1, as in CI), its
accounts, the bot on a real database, and the people who talk to it."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass

import pytest
from homeserver import Account, Homeserver
from matrixpeople import Clock, Loop, Person, matrix_settings, start_bot

from bot.app import build
from bot.scheduler import Scheduler
from bot.transports.matrix import MatrixBot
from handlers.schedule import Deployment

REQUIRE_SYNAPSE = os.environ.get("PNBOT_REQUIRE_SYNAPSE") == "1"
PEOPLE = ("facilitator", "amina", "bruno", "stranger")


@pytest.fixture(scope="session")
def homeserver(tmp_path_factory):
    # Only looked up here: the homeserver runs in a process of its own.
    try:
        found = importlib.util.find_spec("synapse.app.homeserver")
    except (ImportError, ValueError):
        found = None
    if found is None:
        problem = "matrix-synapse is not installed (pip install -e '.[synapse]')"
        if REQUIRE_SYNAPSE:
            pytest.fail(problem + " and PNBOT_REQUIRE_SYNAPSE=1: CI must run the Matrix tests")
        pytest.skip(problem + "; the Matrix tests need a real homeserver")
    server = Homeserver(tmp_path_factory.mktemp("synapse"))
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    yield server
    server.stop()


@pytest.fixture(scope="session")
def accounts(homeserver) -> dict[str, Account]:
    """The bot and the people, registered once through the shared-secret admin API."""
    return {name: homeserver.register(name) for name in ("pnbot", *PEOPLE)}


@pytest.fixture(scope="session")
def loop():
    running = Loop()
    yield running
    running.stop()


@dataclass
class World:
    """Everyone in one test: the bot, its core, the clock, and the people."""

    bot: MatrixBot
    core: object
    clock: Clock
    loop: Loop
    people: dict[str, Person]

    def __getattr__(self, name: str) -> Person:
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None

    def bot_reads(self) -> int:
        """The bot syncs once and answers; then everyone catches up. How many events the
        bot handled."""
        handled = self.loop.run(self.bot.sync_once())
        for person in self.people.values():
            person.sync()
        return handled


@pytest.fixture
def core(sqlite_url, homeserver, accounts):
    built = build(matrix_settings(sqlite_url, homeserver, accounts))
    yield built
    built.engine.dispose()


@pytest.fixture
def world(core, homeserver, accounts, loop):
    clock = Clock()
    bot = start_bot(core.settings, core, loop, clock)
    people = {
        name: Person(loop, homeserver.url, accounts[name].user_id, accounts[name].access_token)
        for name in PEOPLE
    }
    for person in people.values():
        person.sync()
    everyone = World(bot, core, clock, loop, people)
    yield everyone
    for person in people.values():
        person.close()
    loop.run(everyone.bot.close())


@pytest.fixture
def scheduler(world) -> Scheduler:
    return Scheduler(
        world.core.store,
        world.bot.deliver,
        worker="matrix-test",
        transports=("matrix",),
        deployment=Deployment(facilitators=world.core.settings.facilitators),
    )
