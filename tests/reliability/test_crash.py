"""The example month replayed as a real process on a SQLite file, killed (SIGKILL) at random
moments and restarted until it completes, ends with the same record and the same scheduled
posts as an uninterrupted run: nothing lost, nothing twice, nothing half-written."""

from __future__ import annotations

from .crash import FAILURES, campaign


def test_months_killed_a_dozen_times_lose_and_repeat_nothing(tmp_path):
    months: list[str] = []
    totals = campaign(kills=10, seed=6, folder=tmp_path, per_month=10, log=months.append)

    assert totals["kills survived"] == 10
    assert {name: totals[name] for name in FAILURES if totals[name]} == {}
    assert totals["posts delivered"] == totals["posts due"] >= 30 * totals["months"]
    # Every month records the script's apologies and votes, once each.
    assert totals["notices recorded"] == 3 * totals["months"]
    assert totals["votes recorded"] == 11 * totals["months"]
