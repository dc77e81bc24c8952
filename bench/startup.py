"""Figure 6: start-up and memory, in real processes.

- `pnbot --help` wall time against `python -c pass` with the same interpreter (the fastest of
  several runs each): what the bot adds to starting Python. Target: at most 0.25 s in all.
- Resident memory of `pnbot console` sitting idle at its prompt (a pipe on stdin, a SQLite
  file, migrations applied): VmRSS and its peak VmHWM from /proc. Target: at most 90 MB.
  Baseline: `python -c` waiting on stdin, the interpreter alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, emit, figure

BIN = Path(sys.executable).parent
RUNS = 7
PROMPT = b"> "


def _wall(argv: list[str], env: dict) -> float:
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def _memory(pid: int) -> dict[str, float]:
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024  # kB to MiB
    return found


def _idle(argv: list[str], env: dict, ready: bytes | None) -> dict[str, float]:
    process = subprocess.Popen(
        argv, env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        if ready is not None:
            seen = b""
            while not seen.endswith(ready):
                chunk = os.read(process.stdout.fileno(), 4096)
                if not chunk:
                    raise RuntimeError(f"{argv} ended before its prompt: {seen[-500:]!r}")
                seen += chunk
        else:
            time.sleep(0.5)  # the bare interpreter prints nothing; give it time to settle
        return _memory(process.pid)
    finally:
        process.stdin.close()
        process.wait(timeout=30)


def run() -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PNBOT_", "SLACK_"))}
    env.pop("DATABASE_URL", None)
    python = [sys.executable, "-c", "pass"]
    bare = _wall(python, env)
    helped = _wall([str(BIN / "pnbot"), "--help"], env)
    with tempfile.TemporaryDirectory() as tmp:
        console = [str(BIN / "pnbot"), "--database", f"sqlite:///{tmp}/idle.db", "console"]
        bot = _idle(console, env, PROMPT)
    floor = _idle([sys.executable, "-c", "import sys; sys.stdin.read()"], env, None)
    return [
        figure("6 start-up, pnbot --help", helped, "s", bare, helped / bare, "value <= 0.25"),
        figure(
            "6 memory of the idle console, VmRSS",
            bot["VmRSS"],
            "MiB",
            floor["VmRSS"],
            bot["VmRSS"] / floor["VmRSS"],
            "value <= 90",
        ),
        figure(
            "6 memory of the idle console, peak VmHWM",
            bot["VmHWM"],
            "MiB",
            floor["VmHWM"],
            bot["VmHWM"] / floor["VmHWM"],
            "value <= 90",
        ),
    ]


def main() -> None:
    for row in run():
        emit(row)


if __name__ == "__main__":
    main()
