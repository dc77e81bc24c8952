"""`make bench`: every figure of the benchmark, one JSON object a line on stdout
(`{"name", "value", "unit", "baseline", "ratio", "target"}`), then the capture quality lines.
Each figure runs in a process of its own, so one's imports and caches do not help another.

Run: .venv/bin/python bench/run.py [capture_speed capture_worst slash_vote slack_roundtrip tally history
     startup scale mail_read]
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIGURES = (
    "capture_speed",
    "capture_worst",
    "slash_vote",
    "slack_roundtrip",
    "tally",
    "history",
    "startup",
    "scale",
    "mail_read",
)


def main(argv: list[str]) -> int:
    chosen = argv or [*FIGURES, "capture_quality"]
    failed = []
    begin = time.perf_counter()
    for name in chosen:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(HERE / f"{name}.py")], check=False)
        print(f"bench: {name} took {time.perf_counter() - start:.1f} s", file=sys.stderr)
        if done.returncode:
            failed.append(name)
    print(f"bench: all took {time.perf_counter() - begin:.1f} s", file=sys.stderr)
    if failed:
        print(f"bench: failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
