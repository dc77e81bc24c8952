"""Replaying the same console script on the same database (a restart after a crash) acts on
each line once: the second replay writes nothing and posts nothing. On a SQLite file and on
PostgreSQL: the month end to end, as a real process, on each."""

from __future__ import annotations

import subprocess
import sys

from support import EXAMPLES, clean_env, snapshot

from storage.engine import make_engine


def replay(url: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--database", url, "console", "--script"]
        + [str(EXAMPLES / "month.txt")],
        capture_output=True,
        text=True,
        timeout=300,
        env=clean_env(),
    )
    assert (result.returncode, result.stderr) == (0, "")
    return result.stdout


def test_a_script_replayed_on_the_same_database_changes_and_posts_nothing(db_url):
    first = replay(db_url)
    engine = make_engine(db_url)
    before = snapshot(engine)

    second = replay(db_url)

    assert "Poll 1 is closed" in first and "pnbot [b" in first
    assert "pnbot [b" not in second  # no post, scheduled or in answer, goes out again
    assert snapshot(engine) == before
    engine.dispose()
