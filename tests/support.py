"""What the tests share besides fixtures: the test databases' settings, a console that
replays transcripts, and a snapshot of every row. (Imported as `support`: pytest loads
each folder's conftest.py under the same module name, so tests never import a conftest.)"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bot.transports.console import Console

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_URL = os.environ.get("PNBOT_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
REQUIRE_POSTGRES = os.environ.get("PNBOT_REQUIRE_POSTGRES") == "1"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EXAMPLES = Path(__file__).parent.parent / "examples"


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


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, to show that rejected input changed nothing."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: sorted(map(tuple, connection.execute(table.select()).all()), key=repr)
            for name, table in sorted(metadata.tables.items())
        }
