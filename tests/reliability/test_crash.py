"""The example month replayed as a real process on a SQLite file (and in a PostgreSQL schema),
killed (SIGKILL) at random
moments and at exact points (an event recorded and not processed, processed and not
delivered, claimed and not sent, sent and not marked sent) and restarted until it completes,
ends with the same record and says the same things as an uninterrupted run: nothing lost,
nothing twice, nothing half-written."""

from __future__ import annotations

import pytest
from support import POSTGRES_URL

from .crash import FAILURES, Schemas, campaign, clean_run, compare, killed_at, sqlite_in
from .sink import Sink


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def databases(request):
    """Where each run keeps its database, and the share of kills at exact points: a SQLite
    file in its folder (half the kills at random moments), or a PostgreSQL schema (every kill
    at an exact point: a kill inside a transaction that took a record's id burns that id on
    PostgreSQL, which hands out sequence numbers outside transactions, so the rest of the month
    numbers its polls one higher than the script's `vote 1` expects)."""
    if request.param == "sqlite":
        yield sqlite_in, 0.5, 6
        return
    request.getfixturevalue("postgres_available")
    schemas = Schemas(POSTGRES_URL)
    yield schemas, 1.0, 3  # (a month on PostgreSQL takes twice as long)
    schemas.drop()


def test_months_killed_again_and_again_lose_and_repeat_nothing(tmp_path, databases):
    where, exact, kills = databases
    months: list[str] = []
    totals = campaign(
        kills=kills,
        seed=6,
        folder=tmp_path,
        per_month=kills,
        exact=exact,
        log=months.append,
        databases=where,
    )

    assert totals["kills survived"] == kills
    assert {name: totals[name] for name in FAILURES if totals.get(name)} == {}, months
    assert totals["posts delivered"] == totals["posts due"] >= 50 * totals["months"]
    assert totals["replies delivered"] == totals["replies due"] >= 40 * totals["months"]
    # Every month records the script's apologies (hugo's, withdrawn with `back`, stays on the
    # record) and votes, once each.
    assert totals["notices recorded"] == 4 * totals["months"]
    assert totals["votes recorded"] == 11 * totals["months"]


def test_a_kill_after_an_announcement_reached_the_room_keeps_its_thread(tmp_path):
    (tmp_path / "reference").mkdir()
    (tmp_path / "killed").mkdir()
    reference, _ = clean_run(tmp_path / "reference")
    announcement = next(
        n
        for n, entry in enumerate(Sink(reference.sink).entries(), start=1)
        if entry["kind"] == "Post" and entry["text"].startswith("Outreach 1:")
    )

    run = killed_at(tmp_path / "killed", [f"delivered:{announcement}"])

    figures, lost = compare(reference, run)
    assert {name: figures[name] for name in FAILURES if figures.get(name)} == {}, lost
