"""What every benchmark shares: the result line, timers, the corpora and throw-away databases.

Each figure is a ratio against a baseline measured in the same run, because this machine is
shared and noisy: the absolute value says what it costs here today, the ratio what the bot adds
to the floor its libraries set.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests", ROOT / "tests" / "transports"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

CORPORA = ROOT / "tests" / "unit"
# the tests' server (figure 7 works in a schema of its own there, dropped after)
POSTGRES_URL = os.environ.get(
    "PNBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def figure(
    name: str, value: float, unit: str, baseline: float | None, ratio: float | None, target: str
) -> dict:
    """One result line: `target` states the goal in words ("value >= 20000, ratio <= 3")."""
    return {
        "name": name,
        "value": _round(value),
        "unit": unit,
        "baseline": _round(baseline),
        "ratio": _round(ratio),
        "target": target,
    }


def _round(x: float | None) -> float | None:
    if x is None:
        return None
    return round(x, 3) if abs(x) < 100 else round(x, 1)


def emit(row: dict) -> None:
    print(json.dumps(row), flush=True)


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """The fastest of `runs` timings of `fn()` in seconds (the least disturbed by neighbours)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def corpus_rows() -> list[dict]:
    """Every labelled chat message of the capture corpora (development and held-out sets)."""
    rows = []
    for path in sorted(CORPORA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line) | {"set": path.stem})
    return rows
