"""A fake Slack for the transport tests: a local Web API server that records every call, and
a driver that sends signed requests to the Bolt app as Slack would (fixtures in conftest.py).

The fake stands in for Slack's servers only; the bot, its database and slack-bolt are real.
It listens on 127.0.0.1 (port 0, so tests never collide), answers each Web API method the bot
uses, can answer 429 with Retry-After for the first N calls of a method, and can hold a
method's answer until the test releases it. Like Slack, it refuses blocks past Block Kit's
limits (`refusal`), checked with its own counting and with slack_sdk's block models.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.signature import SignatureVerifier
from support import START, snapshot  # noqa: F401  (re-exported for the Slack tests)

from bot.transports import slack

ROOT = Path(__file__).parent.parent.parent  # the repository, for PYTHONPATH
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-1-test"
BOT_USER = "UPNBOT001"
BOT_ID = "BPNBOT001"
TEAM = "T0TEAM001"
FACILITATOR = "UFACIL001"
AMINA = "UAMINA001"
BRUNO = "UBRUNO001"
ROOM = "CGROUP001"
WAIT = 10  # seconds to wait for something that should happen at once; never asserted on
# Block Kit's documented limits, as Slack enforces them
MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update")
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
VIEW_BYTES = 250_000  # a whole view, as JSON
SECTION_CHARS = 3000
MESSAGE_CHARS = 12_000  # text of all of a message's blocks together


@dataclass
class Call:
    method: str
    body: dict
    headers: dict
    answer: dict | None = None
    at: float = field(default_factory=time.monotonic)  # when it reached the fake

    def text(self) -> str:
        return self.body.get("text", "")

    def buttons(self) -> list[dict]:
        blocks = self.body.get("blocks") or []
        return [e for b in blocks if b.get("type") == "actions" for e in b["elements"]]


@dataclass
class FakeSlack:
    """The recording fake Web API; `url` ends in '/' as slack_sdk's urljoin needs."""

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    scopes: str = ",".join(sorted(slack.SCOPES))
    answers: dict[str, dict] = field(default_factory=dict)
    limited: dict[str, int] = field(default_factory=dict)
    retry_after: int = 0  # the Retry-After of a rate-limited answer, in seconds
    refused: dict[str, str] = field(default_factory=dict)  # channel -> the error it answers
    held: dict[str, threading.Event] = field(default_factory=dict)
    # users.info: the time zone of each user's profile; anyone else is user_not_found
    profiles: dict[str, str] = field(default_factory=dict)
    changed: threading.Condition = field(default_factory=threading.Condition)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

    def rate_limit(self, method: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with 429 and `retry_after` (0 s)."""
        self.limited[method] = times

    def hold(self, method: str) -> threading.Event:
        """Keep `method`'s answers waiting until the returned event is set."""
        self.held[method] = threading.Event()
        return self.held[method]

    def to(self, method: str) -> list[Call]:
        with self.changed:
            return [c for c in self.calls if c.method == method]

    def posts(self) -> list[Call]:
        """Messages in the order they were sent (the successful ones)."""
        with self.changed:
            return [
                c
                for c in self.calls
                if c.method in ("chat.postMessage", "chat.postEphemeral", "response_url")
                and not c.headers.get("x-fake-limited")
            ]

    def wait_for(self, method: str, count: int = 1) -> list[Call]:
        """Wait until `method` was called `count` times (a bounded wait, never a sleep)."""
        with self.changed:
            done = self.changed.wait_for(lambda: len(self.to_unlocked(method)) >= count, WAIT)
            found = self.to_unlocked(method)
        assert done, f"{method} called {len(found)} times, expected {count}"
        return found

    def to_unlocked(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def web_api(self) -> list[str]:
        """Which methods were called, in order (auth.test left out)."""
        with self.changed:
            return [c.method for c in self.calls if c.method != "auth.test"]

    def record(self, method: str, body: dict, headers: dict, answer: dict | None = None) -> None:
        with self.changed:
            self.calls.append(Call(method, body, headers, answer))
            self.changed.notify_all()

    def answer_of(self, call: Call) -> dict:
        return call.answer

    def next_ts(self) -> str:
        return f"1800000000.{next(self._ts):06d}"

    def answer(self, method: str, body: dict) -> dict:
        error = refusal(method, body)
        if error:
            return {"ok": False, "error": error}
        if method in self.answers:
            return self.answers[method]
        if body.get("channel") in self.refused:
            return {"ok": False, "error": self.refused[body["channel"]]}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://pn.slack.com/",
                "team": "PN",
                "user": "pnbot",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
            }
        if method == "chat.postMessage":
            return {"ok": True, "channel": body.get("channel"), "ts": self.next_ts()}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self.next_ts()}
        if method == "chat.update":
            return {"ok": True, "channel": body.get("channel"), "ts": body.get("ts")}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + body.get("users", "")[1:]}}
        if method == "views.publish":
            return {"ok": True, "view": body.get("view")}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):08d}"
            upload = self.url.replace("/api/", f"/upload/{file_id}")
            return {"ok": True, "upload_url": upload, "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = json.loads(body.get("files") or "[]")
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "users.info":
            user = body.get("user", "")
            if user not in self.profiles:
                return {"ok": False, "error": "user_not_found"}
            zone = self.profiles[user]
            return {"ok": True, "user": {"id": user, "tz": zone, "is_bot": False}}
        if method in ("conversations.history", "conversations.replies"):
            return self.history(body, thread=body.get("ts") if "replies" in method else None)
        if method == "apps.connections.open":
            return {"ok": True, "url": "wss://example.invalid/socket"}
        return {"ok": True}

    def history(self, body: dict, thread: str | None) -> dict:
        """The bot's messages in a conversation (or one thread), newest first, as Slack keeps
        them: with their metadata when `include_all_metadata` is asked for."""
        with_metadata = str(body.get("include_all_metadata")).lower() in ("1", "true")
        messages = []
        for call in self.to_unlocked("chat.postMessage"):
            answer = call.answer or {}
            if not answer.get("ok") or call.body.get("channel") != body.get("channel"):
                continue
            if thread is not None and thread not in (call.body.get("thread_ts"), answer["ts"]):
                continue
            message = {"type": "message", "ts": answer["ts"], "text": call.text()}
            if with_metadata and call.body.get("metadata"):
                message["metadata"] = call.body["metadata"]
            messages.append(message)
        limit = int(body.get("limit") or 100)
        newest = messages[::-1]
        return {"ok": True, "messages": newest[:limit], "has_more": len(newest) > limit}


def refusal(method: str, body: dict) -> str | None:
    """The error Slack answers to the blocks of a message or a Home view; None if it takes them."""
    if method == "views.publish":
        view = _json(body.get("view")) or {}
        if len(json.dumps(view).encode()) > VIEW_BYTES:
            return "view_too_large"
        blocks, most = _json(view.get("blocks")) or [], VIEW_BLOCKS
    elif method in MESSAGE_METHODS:
        blocks, most = _json(body.get("blocks")) or [], MESSAGE_BLOCKS
    else:
        return None
    if len(blocks) > most or not all(_valid(block) for block in blocks):
        return "invalid_blocks"
    # msg_blocks_too_long is a message's limit; a view's is its size (view_too_large)
    if method in MESSAGE_METHODS and sum(text_size(b) for b in blocks) > MESSAGE_CHARS:
        return "msg_blocks_too_long"
    return None


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _valid(block: dict) -> bool:
    """Whether Slack takes this one block: its section text's length, then slack_sdk's model."""
    text = (block.get("text") or {}).get("text") or ""
    if block.get("type") == "section" and len(text) > SECTION_CHARS:
        return False
    try:
        parsed = Block.parse(block)
        if parsed is None:  # a type slack_sdk does not know
            return False
        parsed.validate_json()
        parsed.to_dict()  # validates the elements and text objects inside it too
    except (SlackObjectFormationError, TypeError, ValueError):
        return False
    return True


def text_size(node) -> int:
    """The characters of text in a block: every `text` string in it, however deep."""
    if isinstance(node, list):
        return sum(text_size(item) for item in node)
    if not isinstance(node, dict):
        return 0
    return sum(
        len(value) if key == "text" and isinstance(value, str) else text_size(value)
        for key, value in node.items()
    )


def _decode(raw: bytes, content_type: str) -> dict:
    if not raw:
        return {}
    text = raw.decode("utf-8")
    if "json" in content_type:
        return json.loads(text)
    body = dict(parse_qsl(text))
    for key in ("blocks", "view", "metadata"):
        if isinstance(body.get(key), str):
            body[key] = json.loads(body[key])
    return body


def handler(fake: FakeSlack):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = self.path.split("?")[0]
            is_upload = path.startswith("/upload/")
            body = {} if is_upload else _decode(raw, self.headers.get("Content-Type", ""))
            method = "response_url" if path.startswith("/response/") else path.rsplit("/", 1)[-1]
            headers = {k.lower(): v for k, v in self.headers.items()}
            if method in fake.held:
                fake.held[method].wait(WAIT)
            if fake.limited.get(method, 0) > 0:
                fake.limited[method] -= 1
                fake.record(method, body, headers | {"x-fake-limited": "1"})
                self._send(
                    429,
                    {"ok": False, "error": "ratelimited"},
                    {"Retry-After": str(fake.retry_after)},
                )
                return
            if is_upload:  # step 2 of files_upload_v2: the file's bytes
                fake.record(
                    "upload", {"file": path.split("/")[-1], "content": raw.decode()}, headers
                )
                self._send(200, None)
                return
            if method == "response_url":
                fake.record(method, body, headers)
                self._send(200, None)
                return
            self._answer(method, body, headers)

        def do_GET(self):  # slack_sdk reads conversations.history and .replies with GET
            path, _, query = self.path.partition("?")
            headers = {k.lower(): v for k, v in self.headers.items()}
            self._answer(path.rsplit("/", 1)[-1], dict(parse_qsl(query)), headers)

        def _answer(self, method: str, body: dict, headers: dict) -> None:
            answer = fake.answer(method, body)
            fake.record(method, body, headers, answer)
            extra = {"x-oauth-scopes": fake.scopes} if method == "auth.test" else {}
            self._send(200, answer, extra)

        def _send(self, status: int, payload: dict | None, headers: dict | None = None):
            data = b"ok" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header(
                "Content-Type", "text/plain" if payload is None else "application/json"
            )
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002
            pass

    return Handler


class Inline(Executor):
    """Runs a submitted function at once, so `dispatch()` returns when the work is done."""

    def submit(self, fn, /, *args, **kwargs):
        future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to whoever looks at the future, as a pool would
            future.set_exception(error)
        return future


class Clock:
    """The time the bot is told it is (slash commands and buttons carry no time of their own)."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def bot_environment(database_url: str, fake: FakeSlack, **settings: str) -> dict[str, str]:
    """The environment of a `pnbot run` process on Slack against `fake`: this process's,
    without any pnbot or Slack settings of the machine, plus `settings`."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PNBOT_", "DATABASE"))
    }
    return env | {
        "DATABASE_URL": database_url,
        "PNBOT_TRANSPORT": "slack",
        "PNBOT_FACILITATORS": FACILITATOR,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake.url,
        "PYTHONPATH": str(ROOT),
        **settings,
    }


def signed_headers(body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"x-slack-request-timestamp": stamp, "x-slack-signature": signature}


@dataclass
class Sent:
    status: int
    body: str


class Driver:
    """Builds Slack's payloads, signs them and delivers them through `send`."""

    def __init__(
        self,
        send: Callable[[str, dict], Sent],
        clock: Clock,
        fake_url: str = "",
        first_id: int = 1,
    ):
        """`first_id` numbers this driver's ids, so two drivers of one bot never share one."""
        self.send = send
        self.clock = clock
        # Slash commands carry a response_url; the fake records what is posted to it.
        self.response_base = fake_url.replace("/api/", "/response/") or "http://127.0.0.1:1/"
        self._n = itertools.count(first_id)

    def _id(self, prefix: str) -> str:
        return f"{prefix}{next(self._n):06d}"

    def ts(self, at: datetime | None = None) -> str:
        moment = at or self.clock.now
        return f"{int(moment.timestamp())}.{next(self._n):06d}"

    # raw delivery
    def deliver(self, body: str, content_type: str, headers: dict | None = None) -> Sent:
        return self.send(
            body, {"content-type": content_type} | signed_headers(body) | (headers or {})
        )

    def event(self, event: dict, event_id: str | None = None, retry: int | None = None) -> Sent:
        payload = {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0PNBOT01",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or self._id("Ev"),
            "event_time": int(self.clock.now.timestamp()),
        }
        extra = {"x-slack-retry-num": str(retry), "x-slack-retry-reason": "http_timeout"}
        return self.deliver(json.dumps(payload), "application/json", extra if retry else None)

    # what people do
    def command(
        self, text: str, user: str = FACILITATOR, channel: str = ROOM, slash: str = "/pn"
    ) -> Sent:
        body = urlencode(
            {
                "token": "legacy",
                "team_id": TEAM,
                "channel_id": channel,
                "channel_name": "directmessage" if channel.startswith("D") else "pn-ai",
                "user_id": user,
                "command": slash,
                "text": text,
                "response_url": self.response_base + self._id("hook"),
                "trigger_id": self._id("trigger."),
            }
        )
        return self.deliver(body, "application/x-www-form-urlencoded")

    def say(
        self,
        text: str,
        user: str = AMINA,
        channel: str = ROOM,
        thread: str | None = None,
        ts: str | None = None,
        **extra,
    ) -> tuple[str, Sent]:
        """`user` writes `text`; returns the message's ts and Slack's answer."""
        ts = ts or self.ts()
        event = {
            "type": "message",
            "channel": channel,
            "channel_type": "im" if channel.startswith("D") else "channel",
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
        }
        if thread:
            event["thread_ts"] = thread
        return ts, self.event(event | extra)

    def edit(
        self,
        ts: str,
        old: str,
        new: str,
        user: str = AMINA,
        channel: str = ROOM,
        thread: str | None = None,
        event_id: str | None = None,
        retry: int | None = None,
    ) -> Sent:
        """`user` edits their message `ts` from `old` to `new`, as Slack reports it."""
        at = self.ts()
        original = {"type": "message", "user": user, "text": old, "ts": ts, "team": TEAM}
        if thread:
            original["thread_ts"] = thread
        changed = original | {"text": new, "edited": {"user": user, "ts": at}}
        event = {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": channel,
            "channel_type": "im" if channel.startswith("D") else "channel",
            "message": changed,
            "previous_message": original,
            "ts": at,
            "event_ts": at,
        }
        return self.event(event, event_id=event_id, retry=retry)

    def delete(
        self, ts: str, old: str, user: str = AMINA, channel: str = ROOM, thread: str | None = None
    ) -> Sent:
        """`user` deletes their message `ts` (which said `old`), as Slack reports it."""
        at = self.ts()
        original = {"type": "message", "user": user, "text": old, "ts": ts, "team": TEAM}
        if thread:
            original["thread_ts"] = thread
        event = {
            "type": "message",
            "subtype": "message_deleted",
            "hidden": True,
            "channel": channel,
            "channel_type": "im" if channel.startswith("D") else "channel",
            "deleted_ts": ts,
            "previous_message": original,
            "ts": at,
            "event_ts": at,
        }
        return self.event(event)

    def mention(self, text: str, user: str = AMINA, channel: str = ROOM) -> Sent:
        ts = self.ts()
        return self.event(
            {
                "type": "app_mention",
                "channel": channel,
                "user": user,
                "text": f"<@{BOT_USER}> {text}",
                "ts": ts,
                "event_ts": ts,
            }
        )

    def react(
        self, name: str, target: str, user: str = BRUNO, channel: str = ROOM, added: bool = True
    ) -> Sent:
        return self.event(
            {
                "type": "reaction_added" if added else "reaction_removed",
                "user": user,
                "reaction": name,
                "item": {"type": "message", "channel": channel, "ts": target},
                "item_user": AMINA,
                "event_ts": self.ts(),
            }
        )

    def click(self, button: dict, user: str, channel: str | None = ROOM, message_ts=None) -> Sent:
        """`user` clicks a button exactly as the bot rendered it."""
        if channel is None:
            container = {"type": "view", "view_id": "V0HOME001"}
        else:
            container = {
                "type": "message",
                "message_ts": message_ts or "1800000000.000001",
                "channel_id": channel,
                "is_ephemeral": False,
            }
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": user, "team_id": TEAM},
            "api_app_id": "A0PNBOT01",
            "token": "legacy",
            "container": container,
            "trigger_id": self._id("trigger."),
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": "b1",
                    "text": button["text"],
                    "value": button["value"],
                    "action_ts": self.ts(),
                }
            ],
        }
        if channel is not None:
            payload["channel"] = {"id": channel, "name": "pn-ai"}
        return self.deliver(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    def home(self, user: str) -> Sent:
        return self.event(
            {"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": "home"}
        )


def post_http(url: str, body: str, headers: dict) -> Sent:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return Sent(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Sent(error.code, error.read().decode())


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def start_group(driver: Driver) -> None:
    """The facilitator starts pn-ai in ROOM with two members and a meeting on 15 December."""
    for text in (
        "group create pn-ai",
        f'member add <@{AMINA}|amina> group=civil-society region=africa gender=woman org="Data Rights Lab" name="Amina Diallo"',
        f'member add <@{BRUNO}|bruno> group=government region=latin-america-caribbean gender=man org="Ministry of Communications" name="Bruno Costa"',
        "meeting add 15 December 2026 13:00",
    ):
        assert driver.command(text).status == 200
