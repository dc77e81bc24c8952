"""`pnbot run` with SLACK_APP_TOKEN runs Socket Mode as a real process: slack_sdk's own
Socket Mode client opens the URL that `apps.connections.open` gives (here a WebSocket server on
127.0.0.1, standing in for Slack's), acknowledges a slash command's envelope on the socket,
and answers through the Web API."""

from __future__ import annotations

import asyncio
import json
import queue
import subprocess
import sys
import threading

import pytest
from aiohttp import WSMsgType, web
from slackfake import AMINA, ROOM, TEAM, WAIT, bot_environment

APP_TOKEN = "xapp-1-A0PNBOT01-test"


class SocketModeServer:
    """Slack's side of Socket Mode: says hello, sends each envelope once, and keeps every
    message the client sends back (its acknowledgements)."""

    def __init__(self, envelopes: list[dict]):
        self.envelopes = envelopes
        self.received: queue.Queue[dict] = queue.Queue()
        self.connections = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> str:
        self.thread.start()
        port = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(WAIT)
        return f"ws://127.0.0.1:{port}/link/"

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(WAIT)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(WAIT)
        self.loop.close()

    async def _start(self) -> int:
        app = web.Application()
        app.router.add_get("/link/", self._socket)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        return self.runner.addresses[0][1]

    async def _socket(self, request):
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.connections += 1
        await socket.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0PNBOT01"}}
        )
        if self.connections == 1:
            for envelope in self.envelopes:
                await socket.send_json(envelope)
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.received.put(json.loads(message.data))
        return socket


def slash_command(text: str) -> dict:
    return {
        "envelope_id": "1d8e7a3c-0001",
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "token": "legacy",
            "team_id": TEAM,
            "channel_id": ROOM,
            "channel_name": "pn-ai",
            "user_id": AMINA,
            "command": "/pn",
            "text": text,
            "api_app_id": "A0PNBOT01",
            "response_url": "http://127.0.0.1:1/unused",
            "trigger_id": "trigger.socket.0001",
        },
    }


def test_pnbot_run_in_socket_mode_acknowledges_on_the_socket_and_answers(
    sqlite_url, fake, tmp_path
):
    server = SocketModeServer([slash_command("help")])
    fake.answers["apps.connections.open"] = {"ok": True, "url": server.start()}
    env = bot_environment(sqlite_url, fake, SLACK_APP_TOKEN=APP_TOKEN)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        try:
            ack = server.received.get(timeout=30)
        except queue.Empty:
            process.kill()
            pytest.fail(f"no acknowledgement on the socket: {process.communicate()[1][-2000:]}")

        assert ack == {"envelope_id": "1d8e7a3c-0001"}
        [opened] = fake.to("apps.connections.open")
        assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"
        [answer] = fake.wait_for("chat.postEphemeral")
        assert (answer.body["channel"], answer.body["user"]) == (ROOM, AMINA)
        assert answer.text().startswith("Commands (type them after /pn")
    finally:
        process.terminate()
        process.wait(WAIT)
        process.stdout.close()
        process.stderr.close()
        server.stop()
