"""`make demo` replays examples/month.txt: it must run to the end and show the month, as a
newcomer can read it."""

import re
import subprocess
import sys

import pytest
from support import EXAMPLES, MEMBERS

# Every line that is not a heading, a clock jump, a continuation or a blank starts with the clock.
ENTRY = re.compile(r"^\[2026-1[12]-\d\d \d\d:\d\d UTC\] ")


@pytest.fixture(scope="module")
def month() -> str:
    """What `make demo` prints (replayed once for this file's tests)."""
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
    return result.stdout


def test_the_example_month_replays_from_start_to_outcome(month):
    out = month
    for step in (
        "Imported roster.csv into pn-ai: 20 added",
        "pn-ai meets monthly on the second Tuesday at 13:00 Europe/Zurich",
        "Call for agenda items",
        "Noted: you will miss the pn-ai meeting",
        "The draft agenda of the pn-ai meeting is ready for your approval.",
        "Agenda of the pn-ai meeting of Tue 8 Dec 2026",
        "Reminder: the pn-ai meeting is in one hour",
        "Recorded 16 new attendees",
        "Recorded your objection 1 to outreach 1",
        "No objection: outreach 2 is cleared.",
        "Poll 1 is closed",
        "Outcome of poll 1",
        "Minutes open for the pn-ai meeting of Fri 18 Dec 2026",
        "Only a chair records a decision with #agreed",
        "ACTION ITEMS BY PERSON",
        "are approved: no correction stood when the review window closed.",
    ):
        assert step in out, step


def test_the_demo_reads_as_a_story_with_headings_jumps_and_threads(month):
    lines = month.splitlines()

    headings = [line for line in lines if line.startswith("# ")]
    assert "# Mistakes get a clear answer and change nothing." in headings
    heading = lines.index("# The call for items goes out ten days before the meeting.")
    assert lines[heading - 1] == ""
    assert lines[heading + 1] == "— 8 days 3 hours later —"
    assert lines[heading + 2].startswith("[2026-11-28 12:00 UTC] #pn-ai pnbot [b2]: Call for")
    assert "— 3 days 3 hours later —" in lines
    assert "[2026-12-02 12:00 UTC] #pn-ai thread b2 <bruno> I object: the event is" in month
    for line in lines:
        assert line == "" or line.startswith(("# ", "— ", "    ")) or ENTRY.match(line), line


def test_the_demo_sends_the_same_direct_message_to_many_as_one_entry(month):
    out = month
    lines = out.splitlines()

    assert out.count("A consensus poll is open in pn-ai") == 1
    (opened,) = [line for line in lines if "A consensus poll is open" in line]
    assert opened.startswith("[2026-12-05 12:00 UTC] dm to 20 people pnbot: ")
    recipients = next(line for line in lines[lines.index(opened) :] if "(the same to " in line)
    named = set(recipients.split("(the same to ")[1].split(";")[0].split(", "))
    assert named == MEMBERS - {"marco"} | {"andris"}
    assert "each reads the time in their own zone" in recipients
    assert out.count("your vote is not in yet") == 1
    # 334 lines when every direct message was printed apart, before the month ended with a
    # meeting taken in chat (its minutes, posted and sent, add about 95)
    assert len(lines) < 400
