"""`make demo` replays examples/month.txt: it must run to the end and show the month."""

import subprocess
import sys

from support import EXAMPLES


def test_the_example_month_replays_from_start_to_outcome():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "--database",
            "sqlite://",
            "console",
            "--script",
            str(EXAMPLES / "month.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert (result.returncode, result.stderr) == (0, "")
    out = result.stdout
    for step in (
        "Imported roster.csv into pn-ai: 20 added",
        "pn-ai meets monthly on the second Tuesday at 13:00 Europe/Zurich",
        "Call for agenda items",
        "Noted: you will miss the pn-ai meeting",
        "The draft agenda of the pn-ai meeting is ready for your approval.",
        "Agenda of the pn-ai meeting of Tue 8 Dec 2026",
        "Reminder: the pn-ai meeting is in one hour",
        "Recorded 16 new attendee(s)",
        "Recorded your objection 1 to outreach 1",
        "No objection: outreach 2 is cleared.",
        "Poll 1 is closed",
        "Outcome of poll 1",
    ):
        assert step in out, step
