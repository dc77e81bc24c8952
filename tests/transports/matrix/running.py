"""`pnbot run` as a real process for a test: its stdout lines queued, its stderr read as it
comes (a full pipe would stop a bot that logs), and killed if it does not stop when asked,
so it never outlives its test and answers in the next one's rooms."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest


class Running:
    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=cwd,
            env=env | {"PYTHONFAULTHANDLER": "1"},  # SIGABRT prints where every thread is
            # Ctrl-C as at a terminal, even when the tests run in a background job (whose
            # shell ignores SIGINT, which the child would inherit and keep)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines.put)).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.errors.append)).start()

    @staticmethod
    def _read(stream, keep) -> None:
        for line in stream:
            keep(line)

    def line(self, timeout: float) -> str:
        """The next line it printed; the test fails, naming its stderr, if none comes."""
        try:
            return self.lines.get(timeout=timeout).strip()
        except queue.Empty:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"pnbot run printed nothing more: {''.join(self.errors)[-3000:]}")

    def interrupt(self, timeout: float) -> tuple[int, str]:
        """Ctrl-C; its exit status and everything it wrote on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            pytest.fail(f"pnbot run did not stop on Ctrl-C: {''.join(self.errors)[-6000:]}")
        return status, "".join(self.errors)
