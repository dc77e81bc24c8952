"""Crash harness: replay a scripted month as a real process on a SQLite file, SIGKILL it at
random moments (seeded), restart it each time until it completes, and check what survived.

    python -m tests.reliability.crash --kills 300 --seed 1

prints the figures (kills survived, scheduled posts delivered, lost, duplicated, notices and
votes lost or duplicated) and exits 1 if anything was lost, duplicated or half-written. A
restart replays the script from its first line: each line's idempotency key is the script's
digest and its number, so what was done before the kill is not done twice, and the outbox
delivers what was due and not yet sent.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "month.txt"
RECORDS = {
    "notices": ("apologies", ["meeting_id", "handle", "reason", "source"]),
    "votes": ("votes", ["poll_id", "member", "option", "reason", "advisory"]),
    "objections": ("objections", ["outreach_id", "member", "reason", "status"]),
    "attendance": ("attendance", None),
    "agenda items": ("agenda_items", None),
    "outreach": ("outreach", None),
    "polls": ("polls", None),
    "members": ("members", None),
}


# the worker: one run of the bot, killed or not -------------------------------------------------


def work(database: Path, script: Path, sink_path: Path) -> int:
    """Replay `script` against `database`, delivering to the sink; then deliver what is left."""
    print("ready", flush=True)
    from datetime import timedelta

    from bot.app import build
    from bot.config import Settings
    from bot.leader import for_engine
    from bot.transports.console import TRANSPORT, Console
    from handlers.events import DirectMessage, Post
    from storage.uow import OUTBOX_LEASE

    from .sink import Sink

    sink = Sink(sink_path)
    app = build(
        Settings(database_url=f"sqlite:///{database}", facilitators=frozenset({"facilitator"}))
    )
    with open(os.devnull, "w") as quiet:
        console = Console(app, out=quiet)
        # Posts are numbered b1, b2, ... across restarts, as a platform's message ids would be.
        console.posts = sum(1 for e in sink.entries() if e["kind"] == "Post")
        show = console.deliver

        def deliver(out):
            # Logged before it is shown, as a platform has it before the bot hears back.
            if isinstance(out, Post | DirectMessage):
                number = f"b{console.posts + 1}" if isinstance(out, Post) else None
                sink.write(out, post=number, worker=console.scheduler.worker)
            return show(out)

        console.deliver = deliver
        console.delivered = sink.delivered
        console.scheduler.leader = for_engine(app.engine, (TRANSPORT,))
        status = console.run_script(script)
        # Items claimed by a killed run are taken over once their lease has run out, and
        # events it recorded but did not process are processed then.
        console.set_now(console.now + OUTBOX_LEASE + timedelta(minutes=1))
        console.runtime.recover()
        console.scheduler.tick(console.now)
    app.engine.dispose()
    return status


# the driver ------------------------------------------------------------------------------------


@dataclass
class Run:
    folder: Path
    starts: int = 0
    kills: int = 0
    stderr: list[str] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return self.folder / "pnbot.db"

    @property
    def sink(self) -> Path:
        return self.folder / "sink.jsonl"


def start(run: Run, script: Path) -> tuple[subprocess.Popen, float]:
    command = [sys.executable, "-m", "tests.reliability.crash", "--worker"]
    command += ["--database", str(run.database), "--script", str(script), "--sink", str(run.sink)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PNBOT_", "DATABASE_URL"))}
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(run.folder / f"stderr-{run.starts}.txt", "w"),  # noqa: SIM115
        text=True,
    )
    run.starts += 1
    ready = process.stdout.readline()
    if ready.strip() != "ready":
        process.kill()
        raise RuntimeError(f"the worker did not start: {ready!r}")
    return process, time.monotonic()


def finish(run: Run, process: subprocess.Popen) -> None:
    process.wait()
    errors = (run.folder / f"stderr-{run.starts - 1}.txt").read_text()
    if process.returncode != 0 or errors:
        raise RuntimeError(f"the worker failed ({process.returncode}): {errors[-2000:]}")


def clean_run(folder: Path, script: Path = SCRIPT) -> tuple[Run, float]:
    """One uninterrupted run: the reference, and how long its work takes."""
    run = Run(folder)
    process, began = start(run, script)
    finish(run, process)
    return run, time.monotonic() - began


def crashed_run(
    folder: Path, kills: int, rng: random.Random, span: float, script: Path = SCRIPT
) -> Run:
    """Run to completion, SIGKILLing the process up to `kills` times at random moments."""
    run = Run(folder)
    while True:
        process, began = start(run, script)
        if run.kills >= kills:
            finish(run, process)
            return run
        try:
            process.wait(timeout=rng.uniform(0, span))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            run.kills += 1
            continue
        finish(run, process)
        return run


def rows(database: Path, table: str, columns: list[str] | None) -> Counter:
    with sqlite3.connect(database) as db:
        names = columns or [c[1] for c in db.execute(f"PRAGMA table_info({table})") if c[1] != "id"]
        return Counter(db.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall())


def export(database: Path) -> dict:
    from storage.archive import export as export_record
    from storage.engine import make_engine
    from storage.uow import Store

    engine = make_engine(f"sqlite:///{database}")
    try:
        with Store(engine)() as uow:
            return export_record(uow.session)
    finally:
        engine.dispose()


def compare(reference: Run, run: Run) -> dict:
    """What the crashed run lost, duplicated or left half-written, against the reference."""
    from .sink import Sink

    figures: Counter = Counter()
    with sqlite3.connect(run.database) as db:
        integrity = db.execute("PRAGMA integrity_check").fetchall()
        dangling = db.execute("PRAGMA foreign_key_check").fetchall()
        outbox = db.execute(
            "SELECT key, sent_at, skipped_at FROM outbox WHERE kind IN ('post', 'dm')"
        ).fetchall()
        claims = dict(
            db.execute(
                "SELECT key, claimed_by FROM outbox WHERE attempts > 1 AND kind IN ('post', 'dm')"
            )
        )
    figures["integrity errors"] = 0 if integrity == [("ok",)] else len(integrity)
    figures["dangling references"] = len(dangling)

    expected, got = Sink(reference.sink).keys(), Sink(run.sink).keys()
    figures["posts due"] = len(expected)
    figures["posts delivered"] = len(got)
    figures["posts lost"] = len(set(expected) - set(got))
    lost = sorted(set(expected) - set(got))
    figures["posts duplicated"] = sum(n - 1 for n in got.values() if n > 1)
    figures["posts not in the reference"] = len(set(got) - set(expected))
    texts = {e["key"]: e["text"] for e in Sink(reference.sink).entries() if e["key"]}
    figures["posts with another text"] = sum(
        1 for e in Sink(run.sink).entries() if e["key"] in texts and texts[e["key"]] != e["text"]
    )
    senders = {e["key"]: e["worker"] for e in Sink(run.sink).entries() if e["key"]}
    figures["posts claimed again after a kill"] = len(claims)
    # Sent by one process, which was killed before marking it sent; the next process claimed
    # it again, asked the sink (the platform) and marked it sent without sending it twice.
    figures["posts found delivered, not resent"] = sum(
        1 for key, claimer in claims.items() if key in senders and senders[key] != claimer
    )
    sent = {key for key, sent_at, skipped in outbox if sent_at is not None}
    figures["outbox rows pending"] = sum(1 for _, s, k in outbox if s is None and k is None)
    figures["outbox sent but not delivered"] = len(sent - set(got))
    figures["outbox delivered but not marked sent"] = len(set(got) - sent)

    for name, (table, columns) in RECORDS.items():
        want, have = rows(reference.database, table, columns), rows(run.database, table, columns)
        figures[f"{name} recorded"] = sum(have.values())
        figures[f"{name} lost"] = sum((want - have).values())
        figures[f"{name} duplicated"] = sum((have - want).values())
    figures["exports differing"] = int(export(reference.database) != export(run.database))
    # Immediate answers are not queued in the outbox: one whose event was committed just
    # before a kill is not sent again on replay (reported, not counted as a scheduled post).
    immediate = Counter(
        e["origin"] for e in Sink(reference.sink).entries() if e["key"] is None and e["origin"]
    )
    answered = Counter(
        e["origin"] for e in Sink(run.sink).entries() if e["key"] is None and e["origin"]
    )
    figures["immediate posts lost"] = sum((immediate - answered).values())
    figures["immediate posts duplicated"] = sum((answered - immediate).values())
    return dict(figures) | ({"lost keys": lost} if lost else {})


FAILURES = (
    "integrity errors",
    "dangling references",
    "posts lost",
    "posts duplicated",
    "posts not in the reference",
    "posts with another text",
    "outbox rows pending",
    "outbox sent but not delivered",
    "outbox delivered but not marked sent",
    *(f"{name} {what}" for name in RECORDS for what in ("lost", "duplicated")),
    "exports differing",
)


def campaign(kills: int, seed: int, folder: Path, per_month: int = 25, log=print) -> dict:
    """Kill months until `kills` kills were survived; the summed figures of every month."""
    rng = random.Random(seed)
    reference, span = clean_run(_fresh(folder / "reference"))
    totals: Counter = Counter({"kills survived": 0, "months": 0, "restarts": 0})
    while totals["kills survived"] < kills:
        month = totals["months"] + 1
        want = min(per_month, kills - totals["kills survived"])
        run = crashed_run(_fresh(folder / f"month-{month}"), want, rng, span)
        figures = compare(reference, run)
        lost = figures.pop("lost keys", [])
        totals.update(figures)
        totals.update({"kills survived": run.kills, "months": 1, "restarts": run.starts - 1})
        found = {k: figures[k] for k in FAILURES if figures[k]} | ({"lost": lost} if lost else {})
        log(f"month {month}: {run.kills} kills, {json.dumps(found)}")
    return dict(totals)


def _fresh(folder: Path) -> Path:
    folder.mkdir(parents=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--kills", type=int, default=100, help="how many SIGKILLs in all")
    args.add_argument("--seed", type=int, default=1, help="seed of the kill moments")
    args.add_argument("--per-month", type=int, default=25, help="kills in one replayed month")
    args.add_argument("--keep", type=Path, metavar="DIR", help="keep every run's files in DIR")
    args.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    args.add_argument("--script", type=Path, default=SCRIPT, help=argparse.SUPPRESS)
    args.add_argument("--sink", type=Path, help=argparse.SUPPRESS)
    options = args.parse_args(argv)
    if options.worker:
        return work(options.database, options.script, options.sink)
    if options.keep:
        totals = campaign(options.kills, options.seed, _fresh(options.keep), options.per_month)
    else:
        with tempfile.TemporaryDirectory(prefix="pnbot-crash-") as folder:
            totals = campaign(options.kills, options.seed, Path(folder), options.per_month)
    print(json.dumps(totals, indent=2))
    return 1 if any(totals.get(name) for name in FAILURES) else 0


if __name__ == "__main__":
    sys.exit(main())
