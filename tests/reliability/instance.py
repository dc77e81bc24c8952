"""One bot instance's scheduler loop on a simulated clock, for the several-instances test.

    python -m tests.reliability.instance --database URL --clock FILE --sink FILE --beats FILE

The test writes "SEQ ISO-TIME" into the clock file (or "stop"); at each new SEQ the instance
ticks its scheduler at that time (only the leader does anything) and appends a heartbeat line
{"seq", "leader", "sent", "pid"} to its beats file. While a file `<sink>.hold` exists, a delivery
waits after reaching the sink and before being marked sent, so the test can kill an instance
inside that window.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser()
    args.add_argument("--database", required=True)
    args.add_argument("--clock", type=Path, required=True)
    args.add_argument("--sink", type=Path, required=True)
    args.add_argument("--beats", type=Path, required=True)
    options = args.parse_args(argv)

    from bot.app import build
    from bot.config import Settings
    from bot.leader import for_engine
    from bot.scheduler import Scheduler
    from bot.transports.console import TRANSPORT

    from .sink import Sink

    name = f"instance-{os.getpid()}"
    app = build(
        Settings(database_url=options.database, facilitators=frozenset({"facilitator"})),
        migrate=False,
    )
    sink = Sink(options.sink)
    hold = options.sink.with_name(options.sink.name + ".hold")

    def deliver(out) -> None:
        sink.write(out, worker=name)
        while hold.exists():
            time.sleep(0.01)

    scheduler = Scheduler(
        app.store,
        deliver,
        worker=name,
        deployment=deployment(app.settings),
        transports=(TRANSPORT,),
        delivered=sink.delivered,
        leader=for_engine(app.engine, (TRANSPORT,)),
    )
    print("ready", flush=True)
    seen = 0
    while True:
        text = options.clock.read_text() if options.clock.exists() else ""
        if text.strip() == "stop":
            return 0
        seq, _, stamp = text.partition(" ")
        if seq.isdigit() and int(seq) > seen:
            seen = int(seq)
            sent = scheduler.tick(datetime.fromisoformat(stamp.strip()))
            beat = {"seq": seen, "leader": scheduler.leader.leading, "sent": sent}
            with options.beats.open("a") as beats:
                beats.write(json.dumps(beat | {"pid": os.getpid()}) + "\n")
        else:
            time.sleep(0.01)  # polling the clock file the test writes


def deployment(settings):
    from handlers.schedule import Deployment

    return Deployment(
        facilitators=settings.facilitators,
        secretariat_room=settings.secretariat_room,
        default_tz=settings.default_tz,
    )


if __name__ == "__main__":
    sys.exit(main())
