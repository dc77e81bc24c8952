"""The year's work: what its commands cost through the console on a SQLite file (the inbox,
one unit of work, the outbox), with a three-year history of a rotated monthly series, 200
milestones and the example roster; and reading the IGF's calendar file. One JSON object a line.

Run: .venv/bin/python bench/year.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from common import best_of, emit, figure  # noqa: I001 (bench/common.py sets the path)
from support import Transcript

from bot.app import build
from bot.config import Settings
from handlers import igf_calendar

SLOTS = (
    "Mon 13:00 UTC, Tue 13:00 UTC, Wed 06:00 UTC, Thu 20:00 UTC, Fri 09:00 UTC, "
    "Sat 13:00 UTC, Sun 13:00 UTC, Mon 22:00 UTC"
)


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    app = build(
        Settings(
            database_url=f"sqlite:///{folder}/year.db", facilitators=frozenset({"facilitator"})
        )
    )
    chat = Transcript(app)
    chat.say("!group pn-ai")
    chat.say("!roster-import roster.csv")
    chat.say(
        "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=UTC "
        'rotate="13:00 UTC, 06:00 UTC, 21:00 UTC"'
    )
    chat.say("!advance 1096d")
    for i in range(200):
        chat.say(
            f'@facilitator: /pn milestone add "Milestone {i}" due=2030-0{1 + i % 9}-1{i % 10} '
            "owner=@amina"
        )
    timed = {
        "fairness over 36 months (36 meetings, 20 members)": "@facilitator: /pn fairness months=36",
        "workplan of 200 milestones": "@amina: /pn workplan",
        "agenda (200 milestones, none overdue)": "@facilitator: /pn agenda",
    }
    for name, line in timed.items():
        emit(
            figure(
                name,
                best_of(5, lambda line=line: chat.say(line)) * 1000,
                "ms",
                None,
                None,
                "value <= 500",
            )
        )
    opened = best_of(
        3, lambda: chat.say(f'@facilitator: /pn timepoll "T" slots="{SLOTS}" closes=7d')
    )
    emit(
        figure(
            "timepoll open: 8 slots, 20 members told",
            opened * 1000,
            "ms",
            None,
            None,
            "value <= 2000",
        )
    )
    answer = "@amina: /pn timepoll answer 1 yes yes no no maybe maybe yes no"
    emit(
        figure(
            "timepoll answer: 8 slots",
            best_of(5, lambda: chat.say(answer)) * 1000,
            "ms",
            None,
            None,
            "value <= 500",
        )
    )
    show = "@facilitator: /pn timepoll show 1"
    emit(
        figure(
            "timepoll show: tally of 8 slots",
            best_of(5, lambda: chat.say(show)) * 1000,
            "ms",
            None,
            None,
            "value <= 500",
        )
    )
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:e{i}@x\r\nDTSTAMP:20261115T120000Z\r\nSUMMARY:IGF open consultation "
        f"{i}\r\nDTSTART;VALUE=DATE:2030{1 + i % 12:02d}{1 + i % 28:02d}\r\nEND:VEVENT\r\n"
        for i in range(500)
    )
    data = (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n{events}END:VCALENDAR\r\n".encode()
    )
    emit(
        figure(
            "read an IGF calendar file of 500 events",
            best_of(3, lambda: igf_calendar.read_events(data)) * 1000,
            "ms",
            None,
            None,
            "value <= 2000",
        )
    )
    app.engine.dispose()


if __name__ == "__main__":
    main()
