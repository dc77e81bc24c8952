"""`pnbot minutes` writes a meeting's minutes in Markdown, HTML or plain text, from the record
a console script left in a real database; bad arguments fail in one clear line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support import EXAMPLES, run_pnbot

MEETING = """\
!now 2026-12-01 09:00 UTC
!group pn-ai
!roster-import {roster}
@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Paris duration=90
@amina: /pn agenda add Review the outline
!now 2026-12-08 11:59 UTC
!advance 1m
@facilitator click minutes.start 1
@amina: #info The consultation closes on 15 January
@bruno: #link https://example.org/draft?v=2&lang=en The draft <v2>
@bruno: #agreed The outline goes to public comment
@bruno: #action @amina Draft the summary due=20 December
@facilitator: /pn meeting end
"""


def pnbot(database: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run_pnbot(cwd, ["--database", database, *args])


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> tuple[str, Path]:
    """A SQLite file holding one meeting's draft minutes."""
    folder = tmp_path_factory.mktemp("minutes")
    script = folder / "meeting.txt"
    script.write_text(MEETING.format(roster=EXAMPLES / "roster.csv"), encoding="utf-8")
    url = f"sqlite:///{folder / 'pnbot.db'}"
    result = pnbot(url, "console", "--script", str(script), cwd=folder)
    assert (result.returncode, result.stderr) == (0, "")
    return url, folder


def test_markdown_is_the_default(database):
    url, folder = database

    result = pnbot(url, "minutes", "--group", "pn-ai", cwd=folder)

    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == "# Minutes of the pn-ai meeting of Tue 8 Dec 2026, 12:00 UTC"
    assert "## Review the outline" in lines
    assert "- INFO: The consultation closes on 15 January (@amina)" in lines
    assert "- **AGREED** (decision 1): The outline goes to public comment" in lines
    assert "- **ACTION** @amina: Draft the summary (due Sun 20 Dec 2026)" in lines
    assert "\ufdd0" not in result.stdout


def test_html_is_escaped_and_text_is_plain(database):
    url, folder = database

    html = pnbot(url, "minutes", "--format", "html", cwd=folder).stdout
    text = pnbot(url, "minutes", "--meeting", "2026-12-08", "--format", "txt", cwd=folder).stdout

    assert html.startswith("<!DOCTYPE html>")
    assert '<a href="https://example.org/draft?v=2&amp;lang=en">The draft &lt;v2&gt;</a>' in html
    assert text.splitlines()[:2] == [
        "MINUTES OF THE PN-AI MEETING OF Tue 8 Dec 2026, 12:00 UTC",
        "Draft, open to corrections until Fri 11 Dec 2026, 12:00 UTC.",
    ]


def test_the_minutes_go_to_a_file(database, tmp_path):
    url, folder = database
    target = tmp_path / "minutes.md"

    result = pnbot(url, "minutes", "-o", str(target), cwd=folder)

    assert (result.returncode, result.stdout) == (0, "")
    assert target.read_text(encoding="utf-8") == pnbot(url, "minutes", cwd=folder).stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--meeting", "8/12"], "pnbot: --meeting 8/12 is not a date: give it as 2026-12-08"),
        (["--meeting", "2026-12-09"], "pnbot: pn-ai has no minutes of a meeting on 2026-12-09"),
        (["--group", "pn-cyber"], "pnbot: there is no group called pn-cyber"),
    ],
)
def test_bad_arguments_fail_in_one_clear_line(database, args, said):
    url, folder = database

    result = pnbot(url, "minutes", *args, cwd=folder)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [said]
    assert result.stdout == ""


def test_an_unknown_format_is_refused_by_the_parser(database):
    url, folder = database

    result = pnbot(url, "minutes", "--format", "pdf", cwd=folder)

    assert result.returncode == 2
    assert "invalid choice: 'pdf'" in result.stderr
    assert "Traceback" not in result.stderr
