"""The example month replayed once (the console's script runner, on a SQLite file), then a
workplan and IGF dates (`year.txt`), and the public website built from it, for the site's tests."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import EXAMPLES

from bot import site
from bot.app import build
from bot.config import Settings
from bot.transports.console import Console

# A day after the example month's last line: its meeting held, its poll decided.
MONTH_END = datetime(2026, 12, 22, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Built:
    app: object
    out: Path

    def files(self) -> dict[str, bytes]:
        return {
            str(p.relative_to(self.out)): p.read_bytes()
            for p in sorted(self.out.rglob("*"))
            if p.is_file()
        }


YEAR = Path(__file__).parent / "year.txt"


def replay(db: Path, *scripts: Path):
    app = build(Settings(database_url=f"sqlite:///{db}", facilitators=frozenset({"facilitator"})))
    console = Console(app, out=io.StringIO(), now=None)
    for script in scripts or (EXAMPLES / "month.txt",):
        assert console.run_script(script) == 0
    return app


@pytest.fixture(scope="session")
def month_site(tmp_path_factory) -> Built:
    """The website of examples/month.txt and the year's work after it, as of the day after."""
    folder = tmp_path_factory.mktemp("month")
    app = replay(folder / "pnbot.db", EXAMPLES / "month.txt", YEAR)
    site.build(app.store, folder / "public", MONTH_END)
    yield Built(app, folder / "public")
    app.engine.dispose()
