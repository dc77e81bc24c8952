"""Capture quality on a held-out set, printed as aggregate figures only (never a message).

The set is a JSONL file, one labelled message a line:
  {"id", "text", "lang": "en"|"fr"|"es"|"mixed"|"other",
   "kind": "availability"|"outreach"|"objection"|"none",
   "context": "room"|"outreach_thread"|"mail", "at": ISO UTC, "tz",
   "next_meeting": ISO date, "date": ISO date or null, "event": str or null}

Each message is read as the bot reads it where it was written: a reply under an outreach
announcement (``outreach_thread``) is tried as an objection first, then like any room message
as an availability notice and then an outreach announcement (`handlers.capture.on_message`).
What the bot does with a reading is one of:
- *recorded*: it files the notice without asking (an availability notice with one date or "the
  next meeting"; an announcement with its event and date; an objection);
- *asked*: it is unsure and asks the writer privately whether to record it (a looser cue,
  ``confidence`` "ask"), or it recognised the kind but asks for what is missing (an
  availability notice whose date it cannot tell; an announcement without its event or date).
  An unsure apology counts as asked only where the bot asks one: for a meeting there is (the
  row's next meeting, within BINDING_DAYS of the day read or inside the period read), as
  `availability._ask` does; with none, the other readers read the message on;
- nothing.

Printed (one JSON object): per kind, and per kind and language, precision and recall of
"recorded" and of "recorded or asked"; on the messages that are no notice, the share the bot
recorded something for and the share it asked about; and on the dated notices it recorded with
the right kind, the share whose date is right (the date of "the next meeting" is the row's
``next_meeting``; an availability notice with no date is recorded for the next meeting, as
`handlers.availability.meeting_for` does). ``accuracy`` is the exact day; ``meeting_right`` counts
an availability notice right when its day binds to the labelled meeting as
`handlers.meetings.bind` binds it (within ``BINDING_DAYS``; the sets' meetings are a month
apart), so "this week" written the day before the meeting is right there.

Run: .venv/bin/python bench/capture_blind.py PATH
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handlers.meetings import BINDING_DAYS  # noqa: E402
from handlers.recognise import absence  # noqa: E402
from handlers.recognise import objection as objection_reader  # noqa: E402
from handlers.recognise import outreach as outreach_reader  # noqa: E402

KINDS = ("availability", "outreach", "objection")
REQUIRED = ("text", "kind", "context", "at", "tz")


def outcome(row: dict) -> tuple[str, str, date | None]:
    """(kind, "recorded" | "asked" | "none", date) for one message, as the bot reads it."""
    text, at, tz = row["text"], datetime.fromisoformat(row["at"]), row["tz"]
    if row["context"] == "outreach_thread":
        objection = objection_reader.recognise(text)
        if objection is not None:
            return "objection", "asked" if objection.confidence == "ask" else "recorded", None
    notice = absence.recognise(text, at, tz)
    held = date.fromisoformat(row["next_meeting"]) if row.get("next_meeting") else None
    if notice is not None and notice.ambiguous:
        return "availability", "asked", None  # the bot asks which date
    if notice is not None and notice.period is not None:
        # an absence over days, or a week ("next week's call"): the bot records, or asks
        # about, the meeting held in it; with none there it records and asks nothing
        first, last = notice.period
        if held is not None and first <= held <= last:
            return "availability", "recorded" if notice.confidence == "sure" else "asked", held
        if notice.confidence == "sure":
            return "none", "none", None
    elif notice is not None and notice.confidence == "ask":
        # the bot asks only about a meeting there is: the next one, or one within
        # BINDING_DAYS of the day read (`availability._ask`); else other captures read on
        if (
            notice.when is None
            or held is not None
            and abs((notice.when - held).days) <= BINDING_DAYS
        ):
            return "availability", "asked", None
    elif notice is not None:
        # no date: the bot records the notice for the next meeting (`meeting_for`)
        return "availability", "recorded", notice.when or held
    announcement = outreach_reader.recognise(text, at, tz)
    if announcement is not None:
        complete = announcement.event and announcement.when and not announcement.ambiguous
        sure = complete and announcement.confidence == "sure"
        return "outreach", "recorded" if sure else "asked", announcement.when
    return "none", "none", None


def _ratio(hit: int, total: int) -> float | None:
    return round(hit / total, 3) if total else None


def _scores(pairs: list[tuple[dict, tuple]], kind: str) -> dict:
    gold = sum(1 for row, _ in pairs if row["kind"] == kind)
    result = {"n": gold}
    for name, statuses in (
        ("recorded", {"recorded"}),
        ("recorded_or_asked", {"recorded", "asked"}),
    ):
        predicted = [(row, got) for row, got in pairs if got[0] == kind and got[1] in statuses]
        right = sum(1 for row, _ in predicted if row["kind"] == kind)
        result[name] = {
            "precision": _ratio(right, len(predicted)),
            "recall": _ratio(right, gold),
            "predicted": len(predicted),
        }
    return result


def summarise(rows: list[dict]) -> dict:
    pairs = [(row, outcome(row)) for row in rows]
    languages = sorted({row.get("lang") or "unknown" for row in rows})
    per_kind = {kind: _scores(pairs, kind) for kind in KINDS}
    per_language = {
        kind: {
            lang: _scores([p for p in pairs if (p[0].get("lang") or "unknown") == lang], kind)
            for lang in languages
        }
        for kind in KINDS
    }
    nothing = [got for row, got in pairs if row["kind"] == "none"]
    statuses = Counter(status for _, status, _ in nothing)
    dated = [
        (row, got)
        for row, got in pairs
        if got[1] == "recorded" and got[0] == row["kind"] and row.get("date")
    ]
    dates_right = sum(
        1 for row, got in dated if got[2] is not None and got[2].isoformat() == row["date"]
    )
    meetings_right = sum(
        1
        for row, got in dated
        if got[2] is not None
        and (
            got[2].isoformat() == row["date"]
            or got[0] == "availability"
            and abs((got[2] - date.fromisoformat(row["date"])).days) <= BINDING_DAYS
        )
    )
    return {
        "messages": len(rows),
        "per_kind": per_kind,
        "per_kind_and_language": per_language,
        "no_notice": {
            "n": len(nothing),
            "asked_rate": _ratio(statuses["asked"], len(nothing)),
            "recorded_rate": _ratio(statuses["recorded"], len(nothing)),
        },
        "dates": {
            "recorded_dated": len(dated),
            "accuracy": _ratio(dates_right, len(dated)),
            "meeting_right": _ratio(meetings_right, len(dated)),
        },
    }


def load(path: Path) -> list[dict]:
    """The rows of the set; a line that is not a labelled message stops with its number only."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise SystemExit(f"line {number}: not JSON") from None
        missing = [key for key in REQUIRED if not isinstance(row.get(key), str)]
        if missing or row["kind"] not in (*KINDS, "none"):
            raise SystemExit(
                f"line {number}: needs text, kind ({'|'.join(KINDS)}|none), context, at and tz"
            )
        rows.append(row)
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: capture_blind.py PATH (a JSONL file of labelled messages)", file=sys.stderr)
        return 2
    print(json.dumps(summarise(load(Path(argv[0])))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
