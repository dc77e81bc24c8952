"""Figures 1 and 2: how fast chat capture reads messages.

1. The common case, a message that is no notice: the ordinary chat of `data/ordinary_chat.txt`
   (English, French, Spanish), read as the dispatcher reads a room message outside a thread (the
   availability recogniser, then the outreach one). Baseline: one bare compiled regex of the
   capture's keywords searched over the same messages, the least any keyword-triggered capture
   can cost. A second line reads the corpora's *near misses* ("I can't make sense of this",
   "apologies for the late reply"), written to look like notices, with everything `capture.read`
   tries (objections too): the worst case, for information.
2. A real notice, dates read with dateparser: every labelled notice and announcement. Baseline:
   one `dateparser.parse` of a plain date ("9 December") with the settings the capture uses,
   the floor its library sets for reading one date.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from common import best_of, corpus_rows, emit, figure

from handlers import capture
from handlers.recognise import absence
from handlers.recognise import outreach as outreach_reader

CHAT = Path(__file__).resolve().parent / "data" / "ordinary_chat.txt"

# the words every capture starts from, as a bare scan would look for them
KEYWORDS = re.compile(
    r"\b(?:apolog\w*|regrets?|sorry|can'?t|cannot|won'?t|miss\w*|absent\w*|away|skip\w*|"
    r"excus\w*|désolée?|lo siento|no podré|presenting|speaking|panel\w*|talk|object\w*|"
    r"m'oppose|me opongo|conference|summit|forum)\b",
    re.IGNORECASE,
)
RUNS = 5


def _messages(noticed: bool) -> list[tuple[str, datetime, str]]:
    chosen = []
    for row in corpus_rows():
        label = bool(row.get("notice") or row.get("outreach") or row.get("objection"))
        if label != noticed or (noticed and "at" not in row):
            continue
        at = datetime.fromisoformat(row.get("at", "2026-12-01T09:00:00+00:00"))
        chosen.append((row["text"], at, row.get("tz", "UTC")))
    return chosen


def _room_message(text: str, at: datetime, tz: str) -> None:
    """What capture tries on a room message outside a thread (`capture.on_message`)."""
    if absence.recognise(text, at, tz) is None:
        outreach_reader.recognise(text, at, tz)


def common_case() -> dict:
    at = datetime(2026, 12, 1, 9, 0).astimezone()
    texts = [
        line.strip()
        for line in CHAT.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for text in texts:
        _room_message(text, at, "Europe/Paris")

    def read_all():
        for text in texts:
            _room_message(text, at, "Europe/Paris")

    def scan_all():
        search = KEYWORDS.search
        for text in texts:
            search(text)

    bot = len(texts) / best_of(RUNS * 4, read_all)
    bare = len(texts) / best_of(RUNS * 4, scan_all)
    return figure(
        f"1 chat capture, ordinary chat ({len(texts)} messages)",
        bot,
        "messages/s",
        bare,
        bare / bot,
        "value >= 20000 and ratio <= 3",
    )


def near_misses() -> dict:
    messages = _messages(noticed=False)
    texts = [text for text, _, _ in messages]
    for text, at, tz in messages:  # warm: compiled patterns, zone data
        capture.read(text, at, tz)

    def read_all():
        for text, at, tz in messages:
            capture.read(text, at, tz)

    def scan_all():
        search = KEYWORDS.search
        for text in texts:
            search(text)

    bot = len(messages) / best_of(RUNS, read_all)
    bare = len(messages) / best_of(RUNS, scan_all)
    return figure(
        f"1b chat capture, near misses ({len(messages)} messages)",
        bot,
        "messages/s",
        bare,
        bare / bot,
        "none (worst case, for information)",
    )


def notices() -> dict:
    import dateparser

    messages = _messages(noticed=True)
    for text, at, tz in messages:
        capture.read(text, at, tz)

    def read_all():
        for text, at, tz in messages:
            capture.read(text, at, tz)

    base = datetime(2026, 12, 1, 9, 0)
    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base}
    dateparser.parse("9 December", languages=["en"], settings=settings)

    def parse_once():
        dateparser.parse("9 December", languages=["en"], settings=settings)

    per_notice = best_of(RUNS, read_all) / len(messages) * 1000
    per_date = best_of(RUNS * 20, parse_once) * 1000
    return figure(
        f"2 chat capture, real notice ({len(messages)} notices)",
        per_notice,
        "ms/message",
        per_date,
        per_notice / per_date,
        "none set (baseline: one dateparser.parse)",
    )


def main() -> None:
    emit(common_case())
    emit(near_misses())
    emit(notices())


if __name__ == "__main__":
    main()
