"""The Slack transport: slack-bolt listeners that parse Slack's events into the event model
and hand them to the runtime, and the delivery of what the core says as Slack messages.

Every listener has the runtime record its event in the inbox and then acknowledges Slack at
once: it never waits for the core, whose workers process the event while the delivery loop
sends the answers from the outbox. The idempotency key is the event's `event_id` (Events API)
or the `trigger_id` (slash commands, buttons), so a retry (`X-Slack-Retry-Num`) or a second
delivery is recorded, and so processed, once.

The core decides everything; this module only translates:
- `/pn TEXT` → Command; a mention of the bot or a direct message → Message addressed to the
  bot; any other message in a channel → Message for chat capture (its `thread_ts` is the
  thread); `reaction_added`/`reaction_removed` → Reaction on the item's `ts`; a button →
  Action (the button's action id and value); `app_home_opened` → the Home tab is published.
- Reply → an ephemeral message when private in a channel, the thread when `in_thread`, else
  the channel (a direct message room gets plain messages); Post → `chat.postMessage`;
  DirectMessage → `conversations.open` and `chat.postMessage`; Update → `chat.update`; a file
  reply (`meetings ics`) → an upload (`files_upload_v2`), or a code block when the upload
  fails. Agendas, polls and tallies are laid out by slack_layouts from the data the core
  sends with them; what is too big for one message continues in its thread.
- Slack's answers: a 429 → the delivery loop waits for its Retry-After; a refusal that will
  never pass (`invalid_blocks`, `channel_not_found`, ...) → the item is marked failed and the
  facilitator told; anything else → retried with a back-off.
- `member add` of a Slack user without `tz=`: the core asks `profile_zone`, which reads the
  zone of the user's Slack profile (`users.info`).

An edit (`message_changed` with a new text) → Edited, a deletion (`message_deleted`, or a
`message_changed` to a tombstone when the message had replies) → Deleted, both naming the
original message's `ts`; the core updates or withdraws what the message gave. An edit whose
text did not change (a reply added to its thread, a link unfurled) is nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.transports import slack_blocks
from bot.transports.base import Limits, Refused, RetryLater, Sent
from bot.transports.slack_home import home_view
from handlers.events import (
    Action,
    Address,
    Command,
    Deleted,
    DirectMessage,
    Edited,
    Message,
    Outgoing,
    Post,
    Reaction,
    Reply,
    Update,
)

log = logging.getLogger(__name__)

TRANSPORT = "slack"
COMMAND = "/pn"
HTTP_PATH = "/slack/events"
# A scheduled message carries its outbox key as Slack message metadata of this type, so that
# after a crash between sending and marking sent the scheduler can see it already went out.
OUTBOX_EVENT = "pnbot_outbox"
HISTORY_PAGE = 200

# What the bot uses, and so what slack/manifest.yml asks for (a test keeps them equal).
SCOPES = frozenset(
    {
        "app_mentions:read",  # app_mention
        "channels:history",  # message.channels: capture in public channels
        "chat:write",  # chat.postMessage, chat.postEphemeral, chat.update
        "commands",  # the /pn slash command
        "files:write",  # files_upload_v2: the calendar of `meetings ics` as a file
        "groups:history",  # message.groups: capture in private channels
        "im:history",  # message.im: commands in a direct message
        "im:write",  # conversations.open for direct messages
        "reactions:read",  # reaction_added, reaction_removed
        "users:read",  # users.info: a new member's time zone from their profile
    }
)
BOT_EVENTS = frozenset(
    {
        "app_home_opened",
        "app_mention",
        "message.channels",
        "message.groups",
        "message.im",
        "reaction_added",
        "reaction_removed",
    }
)
# Message subtypes that are someone writing; the others (edits, deletions, joins, bots) are not.
WRITTEN = (None, "thread_broadcast", "file_share")
USER_ID = re.compile(r"[UW][A-Z0-9]{6,}")
# Errors that mean the bot cannot write in the channel; a slash command still has its response_url.
NOT_THERE = ("channel_not_found", "not_in_channel", "is_archived", "restricted_action")


def wall_clock() -> datetime:
    return datetime.now(UTC)


def _outbox_metadata(out: Outgoing) -> dict | None:
    key = getattr(out, "key", None)
    return {"event_type": OUTBOX_EVENT, "event_payload": {"key": key}} if key else None


def make_client(token: str | None, base_url: str | None = None) -> WebClient:
    """A Web API client. A rate-limited call fails at once: the delivery loop holds the item
    back for Slack's Retry-After, so no thread ever sleeps on a limit."""
    return WebClient(token=token, base_url=base_url or WebClient.BASE_URL)


# parsing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """Where the event happened, to answer there: `channel` None means the App Home (answers
    go by direct message); `root` is the thread an in-thread reply goes to."""

    channel: str | None
    user: str
    is_direct: bool = False
    root: str | None = None
    response_url: str | None = None


def _at(seconds) -> datetime:
    return datetime.fromtimestamp(float(seconds), UTC)


def _is_dm_channel(channel: str | None) -> bool:
    return bool(channel) and channel.startswith("D")


def _thread(thread_ts: str | None, ts: str | None) -> str | None:
    return thread_ts if thread_ts and thread_ts != ts else None


def parse_command(body: dict, now: datetime) -> tuple[Command, Where]:
    channel = body["channel_id"]
    direct = _is_dm_channel(channel) or body.get("channel_name") == "directmessage"
    event = Command(
        transport=TRANSPORT,
        room=channel,
        user=body["user_id"],
        key=body["trigger_id"],
        at=now,
        is_direct=direct,
        text=slack_blocks.plain(body.get("text") or "").strip(),
    )
    return event, Where(channel, body["user_id"], direct, None, body.get("response_url"))


def parse_message(body: dict, bot_user_id: str | None) -> tuple[Message, Where] | None:
    """A message someone wrote in a channel or to the bot; None for what is not one (edits,
    deletions, joins, the bot's own and other bots' messages, mentions of the bot in a
    channel, which arrive as `app_mention` too)."""
    event = body["event"]
    user = event.get("user")
    if event.get("subtype") not in WRITTEN or event.get("bot_id") or not user:
        return None
    if user == bot_user_id:
        return None
    direct = event.get("channel_type") == "im"
    text, mentioned = slack_blocks.strip_mention(event.get("text") or "", bot_user_id)
    if mentioned and not direct:
        return None
    return _message(body, event, text, direct=direct, mentions_bot=False)


def parse_mention(body: dict, bot_user_id: str | None) -> tuple[Message, Where] | None:
    event = body["event"]
    if event.get("bot_id") or not event.get("user") or event.get("user") == bot_user_id:
        return None
    if _is_dm_channel(event.get("channel")):
        return None  # the direct message arrives as message.im as well
    text, _ = slack_blocks.strip_mention(event.get("text") or "", bot_user_id)
    return _message(body, event, text, direct=False, mentions_bot=True)


def _message(
    body: dict, event: dict, text: str, *, direct: bool, mentions_bot: bool
) -> tuple[Message, Where]:
    ts = event["ts"]
    thread = _thread(event.get("thread_ts"), ts)
    channel = event["channel"]
    message = Message(
        transport=TRANSPORT,
        room=channel,
        user=event["user"],
        key=body.get("event_id") or f"{channel}:{ts}:{event.get('type')}",
        at=_at(ts),
        message_id=ts,
        thread=thread,
        is_direct=direct,
        text=slack_blocks.plain(text),
        mentions_bot=mentions_bot,
    )
    return message, Where(channel, event["user"], direct, thread or ts)


def parse_change(body: dict, bot_user_id: str | None) -> tuple[Edited | Deleted, Where] | None:
    """An edit or a deletion of someone's message; None when it is neither, or the message
    was the bot's own or another bot's."""
    event = body["event"]
    channel = event["channel"]
    direct = event.get("channel_type") == "im" or _is_dm_channel(channel)
    previous = event.get("previous_message") or {}
    message = event.get("message") or {}
    deleted = event.get("subtype") == "message_deleted" or message.get("subtype") == "tombstone"
    user = previous.get("user") if deleted else message.get("user")
    if not user or user == bot_user_id or previous.get("bot_id") or message.get("bot_id"):
        return None
    ts = (event.get("deleted_ts") or previous.get("ts")) if deleted else message.get("ts")
    if not ts:
        return None
    original = previous if deleted else message
    thread = _thread(original.get("thread_ts"), ts)
    base = {
        "transport": TRANSPORT,
        "room": channel,
        "user": user,
        "key": body.get("event_id") or f"{channel}:{ts}:{event.get('event_ts')}",
        "at": _at(event.get("event_ts") or event.get("ts") or body.get("event_time")),
        "message_id": ts,
        "thread": thread,
        "is_direct": direct,
    }
    if deleted:
        return Deleted(**base), Where(channel, user, direct)
    if message.get("text") == previous.get("text"):
        return None  # a reply added to its thread, a link unfurled: nobody changed the text
    text, _ = slack_blocks.strip_mention(message.get("text") or "", bot_user_id)
    return Edited(text=slack_blocks.plain(text), **base), Where(channel, user, direct, thread or ts)


def parse_reaction(body: dict, bot_user_id: str | None) -> tuple[Reaction, Where] | None:
    event = body["event"]
    item = event.get("item") or {}
    user = event.get("user")
    if item.get("type") != "message" or not user or user == bot_user_id:
        return None
    channel = item["channel"]
    reaction = Reaction(
        transport=TRANSPORT,
        room=channel,
        user=user,
        key=body.get("event_id") or f"{channel}:{item['ts']}:{user}:{event['type']}",
        at=_at(event.get("event_ts") or body.get("event_time")),
        is_direct=_is_dm_channel(channel),
        name=event["reaction"].split("::", 1)[0],  # without a skin tone
        target=item["ts"],
        added=event["type"] == "reaction_added",
    )
    return reaction, Where(channel, user, _is_dm_channel(channel))


def parse_actions(body: dict, now: datetime) -> list[tuple[Action, Where]]:
    """The button clicks of a `block_actions` payload (one, for buttons)."""
    user = body["user"]["id"]
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    if container.get("type") == "view":
        channel = None
    target = container.get("message_ts") or message.get("ts")
    thread = _thread(message.get("thread_ts") or container.get("thread_ts"), target)
    direct = channel is None or _is_dm_channel(channel)
    where = Where(channel, user, direct, thread or target, body.get("response_url"))
    found = []
    for i, clicked in enumerate(body.get("actions") or []):
        key = body["trigger_id"] if i == 0 else f"{body['trigger_id']}:{i}"
        action = Action(
            transport=TRANSPORT,
            room=channel or f"home:{user}",
            user=user,
            key=key,
            at=now,
            message_id=target,
            thread=thread,
            is_direct=direct,
            action=slack_blocks.action_name(clicked["action_id"]),
            value=clicked.get("value") or "",
            target=target,
        )
        found.append((action, where))
    return found


def profile_zone(client: WebClient, handle: str) -> str | None:
    """The time zone of a Slack user's profile (`users.info`); None when the handle is no
    Slack user id or Slack does not tell (the member then keeps the deployment's default)."""
    if not USER_ID.fullmatch(handle):
        return None
    try:
        zone = client.users_info(user=handle).get("user", {}).get("tz")
    except SlackApiError as error:
        log.warning("users.info of %s failed: %s", handle, error.response.get("error"))
        return None
    except Exception:
        log.exception("users.info of %s failed", handle)
        return None
    return zone if isinstance(zone, str) else None


# rendering ----------------------------------------------------------------------------------

# What Slack answers when it will never take the message as it is: marked failed, not retried.
REFUSALS = frozenset(
    {
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_blocks_too_long",
        "msg_too_long",
        "no_text",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "restricted_action",
        "cannot_dm_bot",
        "user_not_found",
        "user_disabled",
        "messages_tab_disabled",
        "invalid_arguments",
        "not_authed",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "missing_scope",
    }
)


def _failure(error: SlackApiError) -> Exception:
    """What a Slack error means for the outbox: wait, give up, or try again later."""
    response = error.response
    code = response.get("error") if response is not None else None
    if response is not None and response.status_code == 429:
        retry_after = (response.headers or {}).get("Retry-After") or (response.headers or {}).get(
            "retry-after"
        )
        try:
            seconds = float(retry_after)
        except (TypeError, ValueError):
            seconds = 30.0
        return RetryLater(seconds, f"Slack: {code or 'ratelimited'}")
    if code in REFUSALS:
        return Refused(f"Slack: {code}")
    return ConnectionError(f"Slack: {code or error}")


def where_of(to: Address) -> Where:
    """Where to answer an event, from the address its reply carries."""
    home = bool(to.extra.get("home"))
    return Where(
        None if home else to.room,
        to.user,
        to.is_direct,
        to.thread or to.message_id,
        to.extra.get("response_url"),
    )


class SlackOut:
    """The Slack transport's delivering side: what the runtime takes from the outbox, as
    Slack Web API calls, split to fit Slack's limits (continuations in the first message's
    thread), with Slack's refusals and rate limits told to the delivery loop."""

    name = TRANSPORT
    # chat.postMessage: about one message a second a channel; an ephemeral answer is none
    limits = Limits(per_room=1.0, private_unpaced=True)

    def __init__(self, client: WebClient, core, command: str = COMMAND):
        self.client = client
        self.core = core
        self.command = command
        self._dm_channels: dict[str, str] = {}

    def owns(self, handle: str) -> bool:
        return bool(USER_ID.fullmatch(handle))

    def deliver(self, out: Outgoing, strict: bool = True) -> Sent | None:
        """Send a Reply, Post, DirectMessage or Update: the runtime's delivery."""
        transport = (
            out.to.transport
            if isinstance(out, Reply) and out.to
            else getattr(out, "transport", TRANSPORT)
        )
        if transport != TRANSPORT:
            raise Refused(f"not a Slack message: {transport}")
        try:
            if isinstance(out, Reply):
                return self.reply(out, where_of(out.to))
            if isinstance(out, Post):
                return self.post(out)
            if isinstance(out, DirectMessage):
                return self.direct(out.user, out)
            if isinstance(out, Update):
                text, blocks = _parts(out)[0]
                self.client.chat_update(
                    channel=out.room, ts=out.message_id, text=text, blocks=blocks
                )
                return None
        except SlackApiError as error:
            raise _failure(error) from None
        raise TypeError(f"cannot deliver {type(out).__name__}")

    def reply(self, out: Reply, where: Where) -> Sent | None:
        if out.data.get("filename") and self.upload(out, where):
            return None
        if where.channel is None:
            sent = self.direct(where.user, out)
            self._publish_home(where.user)  # clicked on the Home tab: show it as it is now
            return sent
        thread = where.root if out.in_thread else None
        try:
            if out.private and not where.is_direct:
                for text, blocks in _parts(out):
                    self.client.chat_postEphemeral(
                        channel=where.channel,
                        user=where.user,
                        text=text,
                        blocks=blocks,
                        thread_ts=thread,
                    )
                return None
            return self._post_parts(where.channel, out, thread)
        except SlackApiError as error:
            if not (where.response_url and error.response.get("error") in NOT_THERE):
                raise
            # A slash command where the bot is not a member: its response URL still works.
            for text, blocks in _parts(out):
                WebhookClient(where.response_url).send(
                    text=text,
                    blocks=blocks,
                    response_type="ephemeral" if out.private or where.is_direct else "in_channel",
                )
            return None

    def upload(self, out: Reply, where: Where) -> bool:
        """Send a file reply (an .ics calendar) as an uploaded file: in the channel, or by
        direct message when it is for its asker alone (a file cannot be ephemeral). False
        when Slack refuses, so the caller shows it in a code block instead."""
        filename = out.data["filename"]
        try:
            if where.channel is None or (out.private and not where.is_direct):
                channel, thread = self._dm_channel(where.user), None
            else:
                channel, thread = where.channel, where.root if out.in_thread else None
            self.client.files_upload_v2(
                channel=channel,
                filename=filename,
                title=filename,
                content=out.text,
                thread_ts=thread,
            )
        except SlackApiError as error:
            log.warning("could not upload %s: %s", filename, error.response.get("error"))
            return False
        except Exception as error:  # the upload URL refused the bytes, or was unreachable
            log.warning("could not upload %s: %s", filename, error)
            return False
        return True

    def post(self, out: Post) -> Sent:
        return self._post_parts(out.room, out, out.thread)

    def direct(self, user: str, out: Outgoing) -> Sent:
        return self._post_parts(self._dm_channel(user), out, None)

    def _post_parts(self, channel: str, out: Outgoing, thread: str | None) -> Sent:
        """Post `out` as one message, or as a first message and its continuations in that
        message's thread when it is too big for one; the first carries the outbox key."""
        first: Sent | None = None
        for i, (text, blocks) in enumerate(_parts(out)):
            sent = self.client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                thread_ts=thread if first is None else (thread or first.message_id),
                metadata=_outbox_metadata(out) if i == 0 else None,
            )
            if first is None:
                first = Sent(sent["channel"], sent["ts"])
        return first

    def delivered(self, out: Outgoing) -> Sent | bool | None:
        """Where an earlier, interrupted attempt to send `out` landed on Slack: each message
        carries its outbox key as message metadata, so the recent history of its
        conversation tells (and gives the message's ts). None when it cannot tell (no key, an ephemeral answer, history
        refused, or more recent messages than one page holds), and it is sent again."""
        key = getattr(out, "key", None)
        if key is None:
            return None
        try:
            if isinstance(out, Post):
                channel, thread = out.room, out.thread
            elif isinstance(out, DirectMessage):
                channel, thread = self._dm_channel(out.user), None
            elif isinstance(out, Reply) and out.to is not None and not out.private:
                where = where_of(out.to)
                if where.channel is None:
                    return None
                channel, thread = where.channel, where.root if out.in_thread else None
            else:
                return None
            if thread:
                page = self.client.conversations_replies(
                    channel=channel, ts=thread, include_all_metadata=True, limit=HISTORY_PAGE
                )
            else:
                page = self.client.conversations_history(
                    channel=channel, include_all_metadata=True, limit=HISTORY_PAGE
                )
        except SlackApiError as error:
            log.warning("cannot read the history of %s: %s", key, error.response.get("error"))
            return None
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == OUTBOX_EVENT and payload.get("key") == key:
                return Sent(channel, message["ts"])
        return None if page.get("has_more") else False

    def _dm_channel(self, user: str) -> str:
        channel = self._dm_channels.get(user)
        if channel is None:
            channel = self.client.conversations_open(users=user)["channel"]["id"]
            self._dm_channels[user] = channel
        return channel

    def publish_home(self, user: str, now: datetime) -> None:
        self.client.views_publish(user_id=user, view=home_view(self.core, user, now, self.command))

    def _publish_home(self, user: str) -> None:
        _publish(self, user, wall_clock())


def _parts(out: Outgoing) -> list[tuple[str, list[dict] | None]]:
    """The Slack messages `out` becomes: one, or several when it is too big for one."""
    split = getattr(slack_blocks, "messages", None)
    return split(out) if split else [slack_blocks.render(out)]


# listeners ----------------------------------------------------------------------------------


def register(
    app, runtime, *, command: str = COMMAND, clock: Callable[[], datetime] = wall_clock
) -> SlackOut:
    """Attach the bot's listeners to a Bolt `app`, and the transport to `runtime`'s
    dispatcher. Each listener parses the event, has the runtime record it in the inbox,
    and only then acknowledges Slack: it never waits for the core."""
    core = runtime.dispatcher
    out = SlackOut(app.client, core, command)
    out.runtime = runtime
    runtime.add(out)
    core.profiles[TRANSPORT] = lambda handle: profile_zone(app.client, handle)
    core.slash_commands[TRANSPORT] = command

    def receive(parsed) -> None:
        if parsed is None:
            return
        event, where = parsed
        extra = {}
        if where.response_url:
            extra["response_url"] = where.response_url
        if where.channel is None:
            extra["home"] = True
        runtime.receive(event, extra)

    def on_command(ack, body):
        receive(parse_command(body, clock()))
        ack()

    # Recorded, then acknowledged: an event the bot fails to record is resent by Slack.
    def on_mention(ack, body, context):
        receive(parse_mention(body, context.get("bot_user_id")))
        ack()

    def on_message(ack, body, context):
        event = body["event"]
        if event.get("subtype") in ("message_changed", "message_deleted"):
            receive(parse_change(body, context.get("bot_user_id")))
        else:
            receive(parse_message(body, context.get("bot_user_id")))
        ack()

    def on_reaction(ack, body, context):
        receive(parse_reaction(body, context.get("bot_user_id")))
        ack()

    def on_actions(ack, body):
        for parsed in parse_actions(body, clock()):
            receive(parsed)
        ack()

    def on_home(ack, event):
        ack()
        if event.get("tab", "home") == "home":
            _publish(out, event["user"], clock())

    app.command(command)(on_command)
    app.event("app_mention")(on_mention)
    app.event("message")(on_message)
    app.event("reaction_added")(on_reaction)
    app.event("reaction_removed")(on_reaction)
    app.event("app_home_opened")(on_home)
    app.block_action(re.compile(r".+"))(on_actions)
    return out


def _publish(out: SlackOut, user: str, now: datetime) -> None:
    try:
        out.publish_home(user, now)
    except SlackApiError as error:
        log.warning("could not publish the Home tab of %s: %s", user, error.response.get("error"))


def build_app(
    core_app,
    *,
    client: WebClient | None = None,
    clock: Callable[[], datetime] = wall_clock,
    inline: bool = False,
    process_before_response: bool = False,
    listener_executor: Executor | None = None,
    runtime=None,
):
    """A Bolt app with the bot's listeners on a runtime serving Slack (`runtime`, shared with
    other platforms, or a new one); returns (app, transport), the runtime being
    `transport.runtime`.

    Production keeps `inline` off: a listener records the event and acknowledges, the
    runtime's workers process it and its delivery loop answers. Tests pass `inline=True`,
    `process_before_response=True` and an executor that runs at once, so `dispatch()`
    returns when everything was sent.
    """
    from slack_bolt import App

    from bot.runtime import Runtime

    settings = core_app.settings
    app = App(
        client=client or make_client(settings.slack_bot_token, settings.slack_api_url),
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=process_before_response,
        listener_executor=listener_executor,
        name="pnbot",
    )
    if runtime is None:
        runtime = Runtime(core_app, [], clock=clock, inline=inline)
    return app, register(app, runtime, command=settings.slack_command, clock=clock)


# serving ------------------------------------------------------------------------------------


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _LoggingHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
        log.info("%s " + format, self.address_string(), *args)


def http_server(app, signing_secret: str, host: str = "127.0.0.1", port: int = 3000) -> WSGIServer:
    """A threaded WSGI server for Bolt's HTTP mode (`serve_forever()` runs it). A forged,
    stale or unsigned request gets 401 and reaches nothing."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_bolt.request import BoltRequest
    from slack_bolt.response import BoltResponse
    from slack_sdk.signature import SignatureVerifier

    verifier = SignatureVerifier(signing_secret)

    class Checked(SlackRequestHandler):
        # The signature is checked before Bolt parses the body: Bolt (which checks it too)
        # would fail with a 500 on a body that is not the JSON it claims to be.
        def dispatch(self, request):
            try:
                body, headers = request.get_body(), request.get_headers()
                signed = verifier.is_valid_request(body, headers)
            except ValueError:  # not UTF-8, a timestamp that is no number
                signed = False
            if not signed:
                return BoltResponse(status=401, body="")
            try:
                return self.app.dispatch(
                    BoltRequest(body=body, query=request.query_string, headers=headers)
                )
            except ValueError:  # signed, yet not a payload Bolt can read
                return BoltResponse(status=400, body="")

    return make_server(
        host,
        port,
        Checked(app, path=HTTP_PATH),
        server_class=ThreadingWSGIServer,
        handler_class=_LoggingHandler,
    )


def run(core_app, *, http: bool, host: str, port: int, announce=print, runtime=None) -> int:
    """Run the bot on Slack until interrupted: Socket Mode when SLACK_APP_TOKEN is set (and
    --http not asked for), else HTTP mode, on the one runtime (`runtime` when other platforms
    share it: it is started here, with Slack added)."""
    settings = core_app.settings
    app, transport = build_app(core_app, runtime=runtime)
    runtime = transport.runtime
    runtime.start()
    try:
        if settings.slack_app_token and not http:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            announce("pnbot: connected to Slack in Socket Mode", flush=True)
            SocketModeHandler(app, settings.slack_app_token).start()
        else:
            server = http_server(app, settings.slack_signing_secret, host, port)
            bound_host, bound_port = server.server_address[:2]
            announce(
                f"pnbot: Slack HTTP mode on http://{bound_host}:{bound_port}{HTTP_PATH}", flush=True
            )
            try:
                server.serve_forever()
            finally:
                server.server_close()
    finally:
        runtime.stop()
    return 0
