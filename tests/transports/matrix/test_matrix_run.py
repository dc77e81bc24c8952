"""`pnbot run` on Matrix as a real process: it logs in with the password, joins the room its
facilitator invites it to, answers there, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from matrixpeople import WAIT, Person, bodies, membership
from running import Running

ROOT = Path(__file__).parent.parent.parent.parent


def environment(sqlite_url, homeserver, accounts) -> dict[str, str]:
    bot = accounts["pnbot"]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "PNBOT_", "MATRIX_", "DATABASE"))
    }
    return env | {
        "DATABASE_URL": sqlite_url,
        "PNBOT_FACILITATORS": accounts["facilitator"].user_id,
        "MATRIX_HOMESERVER": homeserver.url,
        "MATRIX_USER_ID": bot.user_id,
        "MATRIX_PASSWORD": bot.password,
        "PYTHONPATH": str(ROOT),
    }


def test_pnbot_run_serves_matrix_until_interrupted(
    sqlite_url, homeserver, accounts, loop, tmp_path
):
    bot = accounts["pnbot"]
    process = Running(["run"], tmp_path, environment(sqlite_url, homeserver, accounts))
    facilitator = Person(
        loop, homeserver.url, accounts["facilitator"].user_id, accounts["facilitator"].access_token
    )
    try:
        assert process.line(WAIT) == f"pnbot: connected to Matrix as {bot.user_id}"

        facilitator.sync()
        room = facilitator.create_room("pn-ai", [bot.user_id])
        facilitator.wait_for(lambda: membership(facilitator, room, bot.user_id) == "join")
        facilitator.say(room, "!pn group create pn-ai")

        [answer] = facilitator.wait_for(lambda: bodies(facilitator.from_user(room, bot.user_id)))
        assert answer.startswith("Created the working group pn-ai")
    finally:
        status, errors = process.interrupt(WAIT)
        facilitator.close()
    assert status == 130
    assert "Traceback" not in errors


def test_a_wrong_password_stops_pnbot_run_with_one_clear_line(
    sqlite_url, homeserver, accounts, tmp_path
):
    env = environment(sqlite_url, homeserver, accounts) | {"MATRIX_PASSWORD": "not-the-password"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("pnbot: Matrix: Matrix login refused: Invalid")
    assert len(done.stderr.splitlines()) == 1
