"""Fixtures of the storage tests: a migrated engine on the test database, and its store."""

from __future__ import annotations

import pytest

from storage.engine import make_engine, upgrade
from storage.uow import Store


@pytest.fixture
def engine(db_url):
    """The test database, migrated to the latest schema; disposed of afterwards."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine) -> Store:
    """The unit-of-work factory on `engine`."""
    return Store(engine)
