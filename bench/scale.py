"""Figure 7: scale on PostgreSQL. Groups of 30 members (a facilitator, a secretariat and 28
members), each meeting monthly on its own weekday and hour, live through the real `Scheduler`
on the local PostgreSQL in a schema of their own (created and dropped here): every call for
items, draft, unapproved-agenda reminder, 24-hour and 1-hour reminder, queued in the outbox,
claimed and delivered.

The scheduler ticks at each due moment (`Scheduler.run_until`, as the console replays time),
not every minute: the idle minutes in between cost one cheap query each and say nothing about
how the work grows. To stay within the five minutes of `make bench` on a shared two-core
machine, the simulated period is four weeks, not a year: one whole meeting cycle of every group,
so every kind of step is in it, and a rate per second does not depend on how long it is measured.
Measured for 17 groups (the baseline) and 170 (about the number of national and regional
IGF initiatives): ticks per second and outbox deliveries per second, the ratio being
170 groups' rate over 17 groups' (1.0 means the cost of a tick does not grow with the number of
groups; 0.1 that it grows tenfold).
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from common import POSTGRES_URL, emit, figure
from sqlalchemy.engine import make_url

from bot.app import build
from bot.config import Settings
from bot.scheduler import Scheduler
from handlers import meetings, schedule
from storage.models import Member

START = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)
PERIOD = timedelta(days=28)
MEMBERS = 30
STAKEHOLDERS = (
    "government",
    "private-sector",
    "civil-society",
    "technical-community",
    "intergovernmental",
)
DAYS = ("MO", "TU", "WE", "TH", "FR")


def _schema_url(schema: str) -> str:
    url = make_url(POSTGRES_URL)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def _populate(store, groups: int) -> None:
    with store() as uow:
        for g in range(groups):
            group = uow.groups.create(f"pn-{g:03d}", START - timedelta(days=30))
            uow.groups.bind(group, "console", f"#pn-{g:03d}", main=True)
            roles = ["facilitator", "secretariat"] + ["member"] * (MEMBERS - 2)
            uow.session.execute(
                sa.insert(Member),
                [
                    {
                        "group_id": group.id,
                        "handle": f"g{g}m{n}",
                        "name": f"Member {n} of {g}",
                        "role": role,
                        "stakeholder_group": STAKEHOLDERS[n % 5],
                        "region": "africa",
                        "gender": "woman",
                        "organisation": f"Org {g}-{n}",
                        "added_at": START - timedelta(days=30),
                    }
                    for n, role in enumerate(roles)
                ],
            )
            # spread the groups over the month: nth weekday, day and hour all vary
            rule = f"FREQ=MONTHLY;BYDAY=+{g % 4 + 1}{DAYS[(g // 4) % 5]}"
            series = uow.meetings.set_series(
                group.id,
                rrule=rule,
                starts=START.replace(hour=8 + g % 9),
                timezone="UTC",
                duration_minutes=60,
                call_link=f"https://meet.example.org/pn-{g:03d}",
                created_at=START - timedelta(days=30),
            )
            meetings.extend(uow, series, START - timedelta(days=30))
        uow.commit()


def _simulate(groups: int) -> tuple[float, float, int, int]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        app = build(Settings(database_url=_schema_url(schema), transport="console"))
        _populate(app.store, groups)
        sent = []
        ticks = []
        scheduler = Scheduler(
            app.store,
            sent.append,
            deployment=schedule.Deployment(facilitators=frozenset({"facilitator"})),
        )
        scheduler.tick(START)
        sent.clear()
        begin = time.perf_counter()
        scheduler.run_until(START, START + PERIOD, ticks.append)
        elapsed = time.perf_counter() - begin
        app.engine.dispose()
        return len(ticks) / elapsed, len(sent) / elapsed, len(ticks), len(sent)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def run() -> list[dict]:
    small = _simulate(17)
    large = _simulate(170)
    return [
        figure(
            f"7 scale, scheduler ticks, 170 groups vs 17 ({large[2]} vs {small[2]} ticks)",
            large[0],
            "ticks/s",
            small[0],
            large[0] / small[0],
            "none set (growth: ratio 1.0 is flat)",
        ),
        figure(
            f"7 scale, outbox deliveries, 170 groups vs 17 ({large[3]} vs {small[3]} sent)",
            large[1],
            "deliveries/s",
            small[1],
            large[1] / small[1],
            "none set (growth: ratio 1.0 is flat)",
        ),
    ]


def main() -> None:
    for row in run():
        emit(row)


if __name__ == "__main__":
    main()
