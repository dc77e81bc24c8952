"""Crash harness: replay a scripted month as a real process on a SQLite file (or, with
--postgres URL, in a schema of its own on that PostgreSQL database), SIGKILL it
(seeded) at random moments and at exact points, restart it each time until it completes, and
check what survived against an uninterrupted run.

    python -m tests.reliability.crash --kills 300 --seed 1
    python -m tests.reliability.crash --kills 200 --exact 1 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

(On PostgreSQL a kill at a random moment may fall inside a transaction that took a record's id;
the sequence does not give it back, so the rest of that month numbers its polls one higher than
the uninterrupted run, and the script's `vote 1` finds no poll 1: those months compare as lost
votes though no member was told of a poll that then vanished. `--exact 1` kills only between
transactions.)

prints one JSON line (kills survived; posts and direct messages, replies, availability notices
and votes: due, delivered or recorded, lost, duplicated) and exits 1 if anything was lost,
duplicated or half-written (the other checks' failures go to stderr). A restart first does what
a restarted bot does at once: it processes the events the killed run recorded and did not
process, and delivers what it queued and did not deliver; then it replays the script from its
first line, where each line's idempotency key (the script's digest and its number) is in the
inbox already for every line recorded before the kill, so no line is acted on twice.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

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
DELIVERIES = {
    "posts": ("Post", "DirectMessage"),
    "replies": ("Reply",),
    "updates": ("Update",),
}
# Where a worker can be told to kill itself: an event recorded in the inbox and not processed;
# processed (its effects and answers committed) and not delivered; an outbox item claimed and
# not sent; sent (in the sink) and not marked sent.
POINTS = ("recorded", "committed", "claimed", "delivered")
CRASH_AT = "PNBOT_CRASH_AT"  # "POINT:N": SIGKILL itself the N-th time this process reaches POINT


# the worker: one run of the bot, killed or not -------------------------------------------------


class Points:
    """Counts the kill points this process reaches, and kills it at the one it was told."""

    def __init__(self, spec: str | None):
        point, _, n = (spec or "").partition(":")
        self.point, self.n = point or None, int(n or 0)
        self.reached: Counter = Counter()

    def reach(self, point: str) -> None:
        self.reached[point] += 1
        if point == self.point and self.reached[point] == self.n:
            os.kill(os.getpid(), signal.SIGKILL)


def number(console, out) -> str | None:
    """The id the console will give `out` (b3, r2), as a platform's next message id."""
    from handlers.events import Post, Reply

    if isinstance(out, Post):
        return f"b{console.posts + 1}"
    if isinstance(out, Reply) and out.data.get("ref") and not out.private:
        return f"r{console.replies + 1}"
    return None


def instrument(console, sink, points: Points) -> None:
    """Deliver to the sink before printing, answer `delivered` from it, and mark kill points."""
    runtime = console.runtime
    entries = sink.entries()
    # Posts (b1, b2, ...) and replies others can react to (r1, ...) are numbered across
    # restarts, as a platform's message ids would be: the script's lines refer to them.
    console.posts = sum(1 for e in entries if (e.get("id") or "").startswith("b"))
    console.replies = sum(1 for e in entries if (e.get("id") or "").startswith("r"))
    deliver, record, process, send = (
        console.deliver,
        runtime.dispatcher.record,
        runtime.dispatcher.process,
        runtime.delivery.send,
    )

    def delivering(out):
        sink.write(out, id=number(console, out), worker=runtime.worker)
        points.reach("delivered")
        return deliver(out)

    def recording(*args, **kwargs):
        received = record(*args, **kwargs)
        if received is not None:
            points.reach("recorded")
        return received

    def processing(*args, **kwargs):
        done = process(*args, **kwargs)
        points.reach("committed")
        return done

    def sending(row, now):
        points.reach("claimed")
        return send(row, now)

    console.deliver = delivering
    console.delivered = sink.delivered
    runtime.dispatcher.record = recording
    runtime.dispatcher.process = processing
    runtime.delivery.send = sending


def resume(console) -> None:
    """Do what a restarted bot does first, on a clock past the leases of what the killed run
    left: process its recorded, unprocessed events, and deliver what it queued."""
    from datetime import timedelta

    import sqlalchemy as sa

    from storage.inbox import INBOX_LEASE
    from storage.models import InboxEvent, OutboxItem
    from storage.uow import OUTBOX_LEASE

    inbox, outbox = InboxEvent.__table__.c, OutboxItem.__table__.c
    unsent = (outbox.sent_at.is_(None), outbox.skipped_at.is_(None), outbox.failed_at.is_(None))
    with console.app.engine.connect() as db:
        moments = [
            db.execute(
                sa.select(sa.func.max(inbox.received_at)).where(inbox.processed_at.is_(None))
            ),
            db.execute(sa.select(sa.func.max(outbox.due_at)).where(*unsent)),
            db.execute(sa.select(sa.func.max(outbox.claimed_at)).where(*unsent)),
        ]
        left = [m for m in (r.scalar() for r in moments) if m is not None]
    if not left:
        return
    console.set_now(max(left) + max(INBOX_LEASE, OUTBOX_LEASE) + timedelta(minutes=1))
    console.runtime.recover()
    console.runtime.drain()


def work(database: str, script: Path, sink_path: Path) -> int:
    """Replay `script` against the database at URL `database`, delivering to the sink; then
    deliver what is left."""
    print("ready", flush=True)
    from datetime import timedelta

    from bot.app import build
    from bot.config import Settings
    from bot.leader import for_engine
    from bot.transports.console import TRANSPORT, Console
    from storage.uow import OUTBOX_LEASE

    from .sink import Sink

    points = Points(os.environ.get(CRASH_AT))
    app = build(Settings(database_url=database, facilitators=frozenset({"facilitator"})))
    with open(os.devnull, "w") as quiet:
        console = Console(app, out=quiet)
        instrument(console, Sink(sink_path), points)
        console.scheduler.leader = for_engine(app.engine, (TRANSPORT,))
        resume(console)
        status = console.run_script(script)
        # Items claimed by a killed run are taken over once their lease has run out.
        console.scheduler.tick(console.now + OUTBOX_LEASE + timedelta(minutes=1))
    app.engine.dispose()
    print(json.dumps({"reached": points.reached}), flush=True)
    return status


# the driver ------------------------------------------------------------------------------------


# Where a run keeps its database: given the run's folder, a database URL (empty, not migrated).
Databases = Callable[[Path], str]


def sqlite_in(folder: Path) -> str:
    return f"sqlite:///{folder / 'pnbot.db'}"


class Schemas:
    """Each run in a new schema of the PostgreSQL database at `url`; `drop()` drops them."""

    def __init__(self, url: str):
        self.url = url
        self.made: list[str] = []

    def _admin(self, sql: str) -> None:
        admin = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        try:
            with admin.begin() as db:
                db.execute(sa.text(sql))
        finally:
            admin.dispose()

    def __call__(self, folder: Path) -> str:
        schema = f"crash_{folder.name.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
        self._admin(f"CREATE SCHEMA {schema}")
        self.made.append(schema)
        where = sa.engine.make_url(self.url)
        where = where.update_query_dict({"options": f"-csearch_path={schema}"})
        return where.render_as_string(hide_password=False)

    def drop(self) -> None:
        while self.made:
            self._admin(f"DROP SCHEMA {self.made.pop()} CASCADE")


@dataclass
class Run:
    folder: Path
    url: str = ""  # the run's database; a SQLite file in its folder unless told
    starts: int = 0
    kills: int = 0
    exact: Counter = field(default_factory=Counter)
    killed: list[str] = field(default_factory=list)  # where each kill hit, to find a cause
    reached: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.url = self.url or sqlite_in(self.folder)

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.url, poolclass=sa.pool.NullPool)

    @property
    def sink(self) -> Path:
        return self.folder / "sink.jsonl"


def start(run: Run, script: Path, crash_at: str | None = None) -> tuple[subprocess.Popen, float]:
    command = [sys.executable, "-m", "tests.reliability.crash", "--worker"]
    command += ["--database", run.url, "--script", str(script), "--sink", str(run.sink)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PNBOT_", "DATABASE_URL"))}
    if crash_at:
        env[CRASH_AT] = crash_at
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
    output = process.stdout.read()
    process.wait()
    errors = (run.folder / f"stderr-{run.starts - 1}.txt").read_text()
    if process.returncode != 0 or errors:
        raise RuntimeError(f"the worker failed ({process.returncode}): {errors[-2000:]}")
    run.reached.update(json.loads(output.strip().splitlines()[-1])["reached"])


def clean_run(
    folder: Path, script: Path = SCRIPT, databases: Databases = sqlite_in
) -> tuple[Run, float]:
    """One uninterrupted run: the reference, how long its work takes, and the kill points it
    reaches (run.reached)."""
    run = Run(folder, databases(folder))
    process, began = start(run, script)
    finish(run, process)
    return run, time.monotonic() - began


def done_so_far(run: Run) -> Counter:
    """How often each kill point was passed for good so far (roughly: what a restart skips)."""
    from .sink import Sink

    engine = run.engine()
    try:
        with engine.connect() as db:
            recorded, processed = db.execute(
                sa.text("SELECT count(*), count(processed_at) FROM inbox")
            ).one()
    except sa.exc.DBAPIError:  # killed before the tables were made
        return Counter()
    finally:
        engine.dispose()
    sent = len(Sink(run.sink).entries())
    return Counter(recorded=recorded, committed=processed, claimed=sent, delivered=sent)


def crashed_run(
    folder: Path,
    kills: int,
    rng: random.Random,
    span: float,
    reached: Counter,
    exact: float = 0.5,
    script: Path = SCRIPT,
    databases: Databases = sqlite_in,
) -> Run:
    """Run to completion, SIGKILLing the process up to `kills` times: a share `exact` of them
    at a kill point chosen at random (it kills itself there), the others at a random moment."""
    run = Run(folder, databases(folder))
    while True:
        crash_at = None
        if run.kills < kills and rng.random() < exact:
            point = rng.choice(POINTS)
            left = max(reached[point] - done_so_far(run)[point], 1)
            crash_at = f"{point}:{rng.randint(1, left)}"
        process, began = start(run, script, crash_at)
        if run.kills >= kills:
            finish(run, process)
            return run
        wait = rng.uniform(0, span)
        try:
            process.wait(timeout=span * 5 if crash_at else wait)
        except subprocess.TimeoutExpired:
            if crash_at:
                process.kill()
                raise RuntimeError(f"the worker told to die at {crash_at} hung") from None
            process.send_signal(signal.SIGKILL)
            process.wait()
        if process.returncode == -signal.SIGKILL:
            run.kills += 1
            run.exact[crash_at.partition(":")[0] if crash_at else "random moment"] += 1
            run.killed.append(crash_at or f"{wait:.2f}s")
            continue
        finish(run, process)
        return run


def killed_at(
    folder: Path, specs: list[str], script: Path = SCRIPT, databases: Databases = sqlite_in
) -> Run:
    """Run to completion, killing the process once at each exact point of `specs` in turn
    ("delivered:31": when the 31st delivery has reached the platform)."""
    run = Run(folder, databases(folder))
    for spec in specs:
        process, _ = start(run, script, spec)
        if process.wait(timeout=120) != -signal.SIGKILL:
            raise RuntimeError(f"the worker did not reach {spec}")
        run.kills += 1
        run.exact[spec.partition(":")[0]] += 1
        run.killed.append(spec)
    process, _ = start(run, script)
    finish(run, process)
    return run


def rows(run: Run, table: str, columns: list[str] | None) -> Counter:
    engine = run.engine()
    try:
        names = columns or [
            c["name"] for c in sa.inspect(engine).get_columns(table) if c["name"] != "id"
        ]
        with engine.connect() as db:
            query = sa.text(f"SELECT {', '.join(names)} FROM {table}")
            # (PostgreSQL gives JSON columns back as lists and dicts, which do not hash)
            return Counter(tuple(map(_hashable, row)) for row in db.execute(query))
    finally:
        engine.dispose()


def _hashable(value):
    return json.dumps(value, sort_keys=True) if isinstance(value, list | dict) else value


def export(run: Run) -> dict:
    from storage.archive import export as export_record
    from storage.engine import make_engine
    from storage.uow import Store

    engine = make_engine(run.url)
    try:
        with Store(engine)() as uow:
            return export_record(uow.session)
    finally:
        engine.dispose()


def compare(reference: Run, run: Run) -> tuple[dict, list[str]]:
    """What the crashed run lost, duplicated or left half-written, against the reference; and
    the keys of deliveries lost."""
    from .sink import Sink

    figures: Counter = Counter()
    engine = run.engine()
    with engine.connect() as db:
        if engine.dialect.name == "sqlite":
            integrity = db.execute(sa.text("PRAGMA integrity_check")).all()
            dangling = db.execute(sa.text("PRAGMA foreign_key_check")).all()
            figures["integrity errors"] = 0 if integrity == [("ok",)] else len(integrity)
            figures["dangling references"] = len(dangling)
        else:  # PostgreSQL checks each foreign key as it is written, unless one was not valid
            dangling = db.execute(
                sa.text(
                    "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated"
                )
            )
            figures["dangling references"] = dangling.scalar()
        outbox = db.execute(sa.text("SELECT key, sent_at, skipped_at, failed_at FROM outbox")).all()
        claims = dict(
            db.execute(sa.text("SELECT key, claimed_by FROM outbox WHERE attempts > 1")).all()
        )
        unprocessed = db.execute(sa.text("SELECT count(*) FROM inbox WHERE processed_at IS NULL"))
        figures["inbox events unprocessed"] = unprocessed.scalar()
    engine.dispose()

    wanted, got = Sink(reference.sink), Sink(run.sink)
    lost: list[str] = []
    for name, kinds in DELIVERIES.items():
        due, delivered = wanted.keys(kinds), got.keys(kinds)
        figures[f"{name} due"] = len(due)
        figures[f"{name} delivered"] = len(set(due) & set(delivered))
        figures[f"{name} lost"] = len(set(due) - set(delivered))
        figures[f"{name} duplicated"] = sum((delivered - due).values())
        lost += sorted(set(due) - set(delivered))
    figures["deliveries not in the reference"] = len(set(got.keys()) - set(wanted.keys()))
    texts = {e["key"]: (e["where"], e["text"], e.get("id")) for e in wanted.entries()}
    figures["deliveries with another text, place or id"] = sum(
        1
        for e in got.entries()
        if e["key"] in texts and texts[e["key"]] != (e["where"], e["text"], e.get("id"))
    )
    senders = {e["key"]: e["worker"] for e in got.entries()}
    figures["items claimed again after a kill"] = len(claims)
    # Sent by one process, which was killed before marking it sent; the next process claimed
    # it again, asked the sink (the platform) and marked it sent without sending it twice.
    figures["items found delivered, not resent"] = sum(
        1 for key, claimer in claims.items() if key in senders and senders[key] != claimer
    )
    sent = {key for key, sent_at, _, _ in outbox if sent_at is not None}
    figures["outbox rows pending"] = sum(1 for row in outbox if all(v is None for v in row[1:]))
    figures["outbox sent but not delivered"] = len(sent - set(got.keys()))
    figures["outbox delivered but not marked sent"] = len(set(got.keys()) - sent)

    for name, (table, columns) in RECORDS.items():
        want, have = rows(reference, table, columns), rows(run, table, columns)
        figures[f"{name} due"] = sum(want.values())
        figures[f"{name} recorded"] = sum(have.values())
        figures[f"{name} lost"] = sum((want - have).values())
        figures[f"{name} duplicated"] = sum((have - want).values())
    figures["exports differing"] = int(export(reference) != export(run))
    return dict(figures), lost


FAILURES = (
    "integrity errors",
    "dangling references",
    "inbox events unprocessed",
    *(f"{name} {what}" for name in DELIVERIES for what in ("lost", "duplicated")),
    "deliveries not in the reference",
    "deliveries with another text, place or id",
    "outbox rows pending",
    "outbox sent but not delivered",
    "outbox delivered but not marked sent",
    *(f"{name} {what}" for name in RECORDS for what in ("lost", "duplicated")),
    "exports differing",
)


def campaign(
    kills: int,
    seed: int,
    folder: Path,
    per_month: int = 25,
    exact: float = 0.5,
    log=print,
    databases: Databases = sqlite_in,
) -> dict:
    """Kill months until `kills` kills were survived; the summed figures of every month."""
    rng = random.Random(seed)
    reference, span = clean_run(_fresh(folder / "reference"), databases=databases)
    totals: Counter = Counter({"kills survived": 0, "months": 0, "restarts": 0})
    while totals["kills survived"] < kills:
        month = totals["months"] + 1
        want = min(per_month, kills - totals["kills survived"])
        run = crashed_run(
            _fresh(folder / f"month-{month}"),
            want,
            rng,
            span,
            reference.reached,
            exact,
            databases=databases,
        )
        figures, lost = compare(reference, run)
        totals.update(figures)
        totals.update({"kills survived": run.kills, "months": 1, "restarts": run.starts - 1})
        totals.update({f"kills at {point}": n for point, n in run.exact.items()})
        found = {k: figures[k] for k in FAILURES if figures.get(k)} | (
            {"lost": lost} if lost else {}
        )
        log(f"month {month}: {run.kills} kills at {' '.join(run.killed)}: {json.dumps(found)}")
    return dict(totals)


def summary(totals: dict) -> dict:
    """The one-line figures: kills, and per kind what was due, delivered (or recorded), lost
    and duplicated."""

    def of(name: str, done: str) -> dict:
        return {w: totals.get(f"{name} {w}", 0) for w in ("due", done, "lost", "duplicated")}

    return {
        "kills": totals["kills survived"],
        "posts": of("posts", "delivered"),
        "replies": of("replies", "delivered"),
        "notices": of("notices", "recorded"),
        "votes": of("votes", "recorded"),
    }


def _fresh(folder: Path) -> Path:
    folder.mkdir(parents=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--kills", type=int, default=100, help="how many SIGKILLs in all")
    args.add_argument("--seed", type=int, default=1, help="seed of the kill moments and points")
    args.add_argument("--per-month", type=int, default=25, help="kills in one replayed month")
    args.add_argument(
        "--exact", type=float, default=0.5, help="share of kills at exact points (0 to 1)"
    )
    args.add_argument(
        "--at", nargs="+", metavar="POINT:N", help=f"kill once at each exact point ({POINTS})"
    )
    args.add_argument("--keep", type=Path, metavar="DIR", help="keep every run's files in DIR")
    args.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args.add_argument(
        "--postgres", metavar="URL", help="run on this PostgreSQL database, a schema per run"
    )
    args.add_argument("--database", help=argparse.SUPPRESS)
    args.add_argument("--script", type=Path, default=SCRIPT, help=argparse.SUPPRESS)
    args.add_argument("--sink", type=Path, help=argparse.SUPPRESS)
    options = args.parse_args(argv)
    if options.worker:
        return work(options.database, options.script, options.sink)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    databases = Schemas(options.postgres) if options.postgres else sqlite_in

    def go(folder: Path) -> dict:
        if options.at:
            reference, _ = clean_run(_fresh(folder / "reference"), databases=databases)
            run = killed_at(_fresh(folder / "killed"), options.at, databases=databases)
            figures, lost = compare(reference, run)
            log(f"lost: {lost}")
            return figures | {"kills survived": run.kills}
        return campaign(
            options.kills,
            options.seed,
            folder,
            options.per_month,
            options.exact,
            log=log,
            databases=databases,
        )

    try:
        if options.keep:
            totals = go(_fresh(options.keep))
        else:
            with tempfile.TemporaryDirectory(prefix="pnbot-crash-") as folder:
                totals = go(Path(folder))
    finally:
        if isinstance(databases, Schemas) and not options.keep:
            databases.drop()
    failed = {name: totals[name] for name in FAILURES if totals.get(name)}
    log(f"totals: {json.dumps(totals)}")
    print(json.dumps(summary(totals)), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
