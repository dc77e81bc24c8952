"""The storage contract: the same conversation on SQLite and on PostgreSQL gives the same
answers and leaves the same record, and it calls every repository method of the unit of work.

The dialog tests drive the whole bot on SQLite; this module is what lets them: the example
month and `contract.txt` (the workplan, the IGF calendar, a review round and its endorsement
poll, a time poll, minutes corrected and approved, edits and deletions, amendments, a former
member) run on both databases, through the console and the runtime, and must print the same
transcript and export the same record. A repository method no script reaches would be tested
on one database only: the coverage test names it, so a new method comes with a script line."""

from __future__ import annotations

import functools
import inspect
import json
import re
from pathlib import Path

import pytest
from support import EXAMPLES, Transcript, run_pnbot

from bot.app import build
from bot.config import Settings
from storage import uow as unit_of_work
from storage.archive import export

HERE = Path(__file__).parent
SCRIPTS = (EXAMPLES / "month.txt", HERE / "contract.txt")

# Repository methods no console conversation reaches, and the tests that run them on both
# databases instead: a crash's recovery, delivery failures and the platforms' own state.
ELSEWHERE = {
    "inbox.get": "tests/runtime/test_runtime.py (recovery at start-up)",
    "inbox.pending": "tests/runtime/test_runtime.py (recovery at start-up)",
    "inbox.processed": "tests/runtime/test_runtime.py (recovery at start-up)",
    "inbox.unprocessed_id": "tests/runtime/test_runtime.py (recovery at start-up)",
    "outbox.ids_of": "tests/runtime/test_runtime.py (an answer queued before a crash)",
    "outbox.fail": "tests/storage/test_outbox.py",
    "outbox.failed": "tests/storage/test_outbox.py",
    "outbox.resend": "tests/storage/test_outbox.py",
    "outbox.release": "tests/storage/test_outbox.py",
    "outbox.get": "tests/storage/test_outbox.py",
    "outbox.skip": "tests/storage/test_outbox.py",
    "outbox.next_claimable": "tests/runtime/test_runtime.py",
    "marks.at": "tests/site/test_site_refresh.py (the running bot's rebuilds)",
    "members.address_of": "tests/transports/mail/test_mail_trust.py (a mail held, confirmed)",
    "members.name_of": "tests/transports/mail/test_mail_trust.py (a mail held, confirmed)",
    "members.with_email": "tests/transports/mail/test_mail_trust.py (a mail held, confirmed)",
    "transport_state.named_like": "tests/transports/matrix/test_matrix_state.py",
    "votes.for_poll": "tests/transports/test_slack_commands.py (not the core's: tests read votes)",
}


def repositories() -> dict[str, type]:
    """The unit of work's repositories, by the attribute the core reaches them through."""
    source = inspect.getsource(unit_of_work.UnitOfWork.__enter__)
    found = {
        attribute: getattr(unit_of_work, name)
        for attribute, name in re.findall(r"self\.(\w+) = (\w+)\(self\.session\)", source)
    }
    assert len(found) > 20, "the unit of work opens its repositories elsewhere now"
    return found


def methods(repository: type) -> list[str]:
    return [
        name
        for name, value in vars(repository).items()
        if not name.startswith("_") and inspect.isfunction(value)
    ]


def replay(url: str, site: Path) -> tuple[str, dict]:
    """Both scripts on a bot on `url`: what the console printed, and the exported record."""
    app = build(Settings(database_url=url, facilitators=frozenset({"facilitator"})))
    try:
        chat = Transcript(app)
        chat.say("!group pn-ai")
        for script in SCRIPTS:
            lines = []
            for line in script.read_text(encoding="utf-8").splitlines():
                # `m^` is the message of the line before, whatever its number in the whole
                number = chat.lines_fed + len(lines) + 1
                lines.append(line.replace("m^", f"m{number - 1}"))
            chat.say("\n".join(lines))
        with app.store() as uow:
            record = export(uow.session)
        # and the commands that read or write the record outside the chat (on the wall clock,
        # so after the export)
        printed = chat.out.getvalue()
        for command in (
            ["igf", "import", str(EXAMPLES / "igf-2027.ics"), "--group", "pn-ai"],
            ["site", "build", str(site), "--at", "2027-01-20T00:00:00+00:00"],
            ["outbox", "failed"],
        ):
            done = run_pnbot(site.parent, ["--database", url, *command])
            assert done.returncode == 0, done.stderr
            printed += done.stdout.replace(str(site), "SITE")
        return printed, record
    finally:
        app.engine.dispose()


@pytest.fixture
def counted(monkeypatch) -> set[str]:
    """The repository methods the test calls (`attribute.method`), as it calls them."""
    seen: set[str] = set()
    for attribute, repository in repositories().items():
        for name in methods(repository):
            original = getattr(repository, name)

            @functools.wraps(original)
            def counting(*args, _original=original, _key=f"{attribute}.{name}", **kwargs):
                seen.add(_key)
                return _original(*args, **kwargs)

            monkeypatch.setattr(repository, name, counting)
    return seen


def check_replay(kind: str, url: str, counted: set[str], folder: Path) -> tuple[str, dict]:
    """Replay on `url`: no failure printed, and every repository method called."""
    counted.clear()
    printed, record = replay(url, folder)
    assert str(folder) not in printed
    assert "Traceback" not in printed
    assert "something went wrong" not in printed.lower()
    everything = {f"{a}.{n}" for a, r in repositories().items() for n in methods(r)}
    missed = sorted(everything - counted - set(ELSEWHERE))
    assert not missed, f"repository methods no script calls on {kind}: {missed}"
    assert record["groups"], record
    return printed, record


def test_the_conversation_calls_every_repository_method_on_sqlite(counted, sqlite_url, tmp_path):
    check_replay("sqlite", sqlite_url, counted, tmp_path / "site")


@pytest.mark.postgres
def test_postgresql_answers_the_same_keeps_the_same_record_and_calls_every_method(
    counted, sqlite_url, postgres_url, tmp_path
):
    on_sqlite, kept_by_sqlite = check_replay("sqlite", sqlite_url, counted, tmp_path / "one")
    on_postgres, kept_by_postgres = check_replay(
        "postgres", postgres_url, counted, tmp_path / "two"
    )
    assert on_postgres.splitlines() == on_sqlite.splitlines()
    assert (
        json.dumps(kept_by_postgres, indent=1, sort_keys=True).splitlines()
        == json.dumps(kept_by_sqlite, indent=1, sort_keys=True).splitlines()
    )


def test_each_method_left_to_other_tests_exists_and_so_do_they():
    everything = {f"{a}.{n}" for a, r in repositories().items() for n in methods(r)}
    assert set(ELSEWHERE) <= everything, set(ELSEWHERE) - everything
    root = HERE.parent.parent
    for key, where in ELSEWHERE.items():
        assert (root / where.split()[0]).exists(), f"{key}: {where}"
