"""`bench/capture_blind.py` prints aggregate figures of a held-out set and never its messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "capture_blind.py"
SAMPLE = ROOT / "bench" / "data" / "capture_blind_sample.jsonl"


def run(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True, check=False
    )


def row(text: str, kind: str, context: str = "room", date: str | None = None) -> str:
    return json.dumps(
        {
            "id": text[:10],
            "text": text,
            "lang": "en",
            "kind": kind,
            "context": context,
            "at": "2026-12-01T09:00:00+00:00",
            "tz": "UTC",
            "next_meeting": "2026-12-08",
            "date": date,
            "event": None,
        }
    )


def test_the_figures_count_recorded_and_asked_apart(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text(
        "\n".join(
            [
                row("I can't make the 9 December call", "availability", date="2026-12-09"),
                row("Apologies, I can't make the next meeting", "availability", date="2026-12-08"),
                row("I can't make the call on 9/12 or 10/12", "availability"),  # asked: which?
                row("Make that four, I'm down with a flu.", "availability"),  # missed
                row("I can't make sense of the draft", "none"),
                row("I object: the sponsor lobbies", "objection", "outreach_thread"),
                row("I object: the sponsor lobbies", "none"),  # not under an announcement
            ]
        ),
        encoding="utf-8",
    )
    done = run(path)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    availability = figures["per_kind"]["availability"]
    assert availability["n"] == 4
    assert availability["recorded"] == {"precision": 1.0, "recall": 0.5, "predicted": 2}
    assert availability["recorded_or_asked"] == {"precision": 1.0, "recall": 0.75, "predicted": 3}
    assert figures["per_kind"]["objection"]["recorded"]["recall"] == 1.0
    assert figures["no_notice"] == {"n": 2, "asked_rate": 0.0, "recorded_rate": 0.0}
    assert figures["dates"] == {"recorded_dated": 2, "accuracy": 1.0, "meeting_right": 1.0}
    assert figures["per_kind_and_language"]["availability"]["en"]["n"] == 4


def test_the_development_sample_prints_figures_and_no_message():
    done = run(SAMPLE)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["messages"] == 60
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        assert text not in done.stdout


def test_a_line_that_is_no_labelled_message_is_refused_by_number_only(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(row("fine", "none") + '\n{"text": "secret words"}\n', encoding="utf-8")
    done = run(path)
    assert done.returncode != 0
    assert "line 2" in done.stderr and "secret" not in done.stderr + done.stdout
