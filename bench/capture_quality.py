"""Capture quality on every labelled set: precision, recall and date accuracy, one JSON object
a line. The corpora are development data (the recognisers were tuned on them). The held-out
sets were written blind and measured once before any change: `availability_heldout2`,
`outreach_heldout` and `objection_heldout` are still held out, so they are the honest
estimate; `availability_heldout` became development data when the recall work used it.

Run: .venv/bin/python bench/capture_quality.py
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handlers.recognise import absence  # noqa: E402
from handlers.recognise import objection as objection_reader  # noqa: E402
from handlers.recognise import outreach as outreach_reader  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "unit"


def rows(name: str) -> list[dict]:
    return [
        json.loads(line)
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def score(name: str, label: str, predict, date_right) -> dict:
    tp = fp = fn = dated = asked_right = asked_wrong = 0
    for row in rows(name):
        got = predict(row)
        if got is not None and getattr(got, "confidence", "sure") == "ask":
            # asked, not recorded: counted apart (recorded_or_asked_recall)
            asked_right += bool(row[label])
            asked_wrong += not row[label]
            got = None
        if got is not None and row[label]:
            tp += 1
            dated += date_right(row, got)
        elif got is not None:
            fp += 1
        elif row[label]:
            fn += 1
    return {
        "name": name.removesuffix(".jsonl"),
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "date_or_reason_accuracy": round(dated / tp, 3) if tp else None,
        "recorded_or_asked_recall": round((tp + asked_right) / (tp + fn), 3) if tp + fn else None,
        "counts": {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "asked": asked_right,
            "asked_wrongly": asked_wrong,
        },
    }


def availability(row):
    # the corpora label the writer's own notices; apologies passed on for someone named are
    # none of the writer's (the bot only asks whether to tell the secretariat)
    found = absence.recognise(row["text"], datetime.fromisoformat(row["at"]), row["tz"])
    return None if found is not None and found.on_behalf else found


def availability_date(row, got) -> bool:
    if row.get("next_meeting"):
        return got.next_meeting
    if got.period is not None:
        # a week ("regrets for next week"): the meeting held in it, the labelled day
        return (
            row["date"] is not None
            and got.period[0].isoformat() <= row["date"] <= got.period[1].isoformat()
        )
    return (got.when.isoformat() if got.when else None) == row["date"]


def outreach(row):
    return outreach_reader.recognise(row["text"], datetime.fromisoformat(row["at"]), row["tz"])


def outreach_date(row, got) -> bool:
    return (got.when.isoformat() if got.when else None) == row["date"]


def objection(row):
    return objection_reader.recognise(row["text"])


def objection_reason(row, got) -> bool:
    return bool(got.reason) == bool(row.get("reason"))


def main() -> None:
    for name in (
        "availability_corpus.jsonl",
        "availability_heldout.jsonl",
        "availability_heldout2.jsonl",
    ):
        print(json.dumps(score(name, "notice", availability, availability_date)))
    for name in ("outreach_corpus.jsonl", "outreach_heldout.jsonl"):
        print(json.dumps(score(name, "outreach", outreach, outreach_date)))
    for name in ("objection_corpus.jsonl", "objection_heldout.jsonl"):
        print(json.dumps(score(name, "objection", objection, objection_reason)))


if __name__ == "__main__":
    main()
