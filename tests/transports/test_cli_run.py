"""`pnbot run` serves Slack's HTTP mode as a real process, bound to 127.0.0.1."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading

import pytest
from slackfake import BOT_TOKEN, SIGNING_SECRET, WAIT, Clock, Driver, bot_environment, post_http


def test_pnbot_run_http_serves_slack_on_127_0_0_1(sqlite_url, fake, tmp_path):
    env = bot_environment(sqlite_url, fake, SLACK_SIGNING_SECRET=SIGNING_SECRET)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--http", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in process.stdout], daemon=True).start()
    try:
        try:
            banner = lines.get(timeout=30)
        except queue.Empty:
            process.kill()
            pytest.fail(f"pnbot run --http printed nothing: {process.stderr.read()}")
        assert banner.startswith("pnbot: Slack HTTP mode on http://127.0.0.1:")
        url = banner.split(" on ", 1)[1].strip()
        http = Driver(lambda body, headers: post_http(url, body, headers), Clock())

        assert http.command("help").status == 200
        [answer] = fake.wait_for("chat.postEphemeral")
        assert answer.text().startswith("Commands")
        assert http.send("x", {"content-type": "application/json"}).status == 401
    finally:
        process.terminate()
        process.wait(WAIT)
        process.stdout.close()
        process.stderr.close()


def test_http_mode_without_a_signing_secret_is_refused_before_starting(monkeypatch, tmp_path):
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("SLACK_", "PNBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-test")

    assert main(["run", "--http"]) == 2
    assert not (tmp_path / "data").exists()  # no database was created
