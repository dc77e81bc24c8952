"""One group on two platforms in one runtime: a Slack channel (the fake Slack Web API) and a
Matrix room (a real Synapse) are its main rooms. A poll opened on either platform is announced
in both rooms, each voter is written to once, on their own platform, a vote cast on each
platform counts, and the tally is posted in both rooms when the runtime's clock passes the
poll's close. `pnbot run` with PNBOT_TRANSPORT=slack,matrix serves both from one process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from matrixpeople import WAIT, Loop, Person, bodies, membership
from running import Running
from slack_bolt.request import BoltRequest
from slackfake import (
    AMINA,
    BOT_TOKEN,
    FACILITATOR,
    ROOM,
    SIGNING_SECRET,
    START,
    Call,
    Clock,
    Driver,
    FakeSlack,
    Inline,
    Sent,
    bot_environment,
    post_http,
)

from bot.app import build
from bot.config import Settings
from bot.runtime import Runtime
from bot.transports import slack
from bot.transports.matrix import MatrixBot

QUESTION = "Adopt the outline?"
REASON = "the timeline leaves no room for consultation"
INVITATION = "A consensus poll is open in pn-ai"


@dataclass
class Both:
    """The bot on Slack and on Matrix, the people on each, and the runtime's clock."""

    runtime: Runtime
    core: object
    clock: Clock
    loop: Loop
    fake: FakeSlack
    slack: Driver
    bot: MatrixBot
    facilitator: Person  # on Matrix; the Slack facilitator is FACILITATOR
    bruno: Person  # a member on Matrix; the Slack member is AMINA

    def bot_reads(self) -> int:
        """The bot syncs once with Synapse and answers; then the people catch up."""
        handled = self.loop.run(self.bot.sync_once())
        for person in (self.facilitator, self.bruno):
            person.sync()
        return handled

    def matrix_posts(self, room: str, person: Person | None = None) -> list[str]:
        return bodies((person or self.bruno).from_user(room, self.bot.me.user_id))

    def slack_posts(self, channel: str) -> list[Call]:
        return [c for c in self.fake.posts() if c.body.get("channel") == channel]


@pytest.fixture
def both(sqlite_url, fake, homeserver, accounts, loop):
    settings = Settings(
        database_url=sqlite_url,
        transport="slack,matrix",
        facilitators=frozenset({FACILITATOR, accounts["facilitator"].user_id[1:]}),
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.url,
        matrix_homeserver=homeserver.url,
        matrix_user_id=accounts["pnbot"].user_id,
        matrix_access_token=accounts["pnbot"].access_token,
    )
    core = build(settings)
    clock = Clock()
    runtime = Runtime(core, [], clock=clock, inline=True)
    app, _ = slack.build_app(
        core,
        client=slack.make_client(BOT_TOKEN, fake.url),
        clock=clock,
        process_before_response=True,
        listener_executor=Inline(),
        runtime=runtime,
    )
    bot = MatrixBot(core, clock=clock, runtime=runtime)
    loop.run(bot.start())
    loop.run(bot.sync_once())

    def send(body: str, headers: dict) -> Sent:
        response = app.dispatch(BoltRequest(body=body, headers=headers))
        return Sent(response.status, response.body)

    people = [
        Person(loop, homeserver.url, accounts[name].user_id, accounts[name].access_token)
        for name in ("facilitator", "bruno")
    ]
    for person in people:
        person.sync()
    yield Both(runtime, core, clock, loop, fake, Driver(send, clock, fake.url), bot, *people)
    for person in people:
        person.close()
    loop.run(bot.close())
    core.engine.dispose()


def start_group(w: Both) -> str:
    """pn-ai starts on Slack with a Slack member and a Matrix member; the facilitator binds a
    Matrix room to it. The Matrix room's id."""
    for text in (
        "group create pn-ai",
        f'member add <@{AMINA}|amina> group=civil-society region=africa gender=woman org="Data Rights Lab" name="Amina Diallo"',
        f'member add {w.bruno.user_id} group=government region=latin-america-caribbean gender=man org="Ministry of Communications" name="Bruno Costa"',
    ):
        assert w.slack.command(text).status == 200
    room = w.facilitator.create_room("pn-ai", [w.bot.me.user_id, w.bruno.user_id])
    w.bot_reads()
    w.facilitator.say(room, "!pn group bind pn-ai")
    assert w.bot_reads() == 1
    return room


def rows(core, query: str) -> list[tuple]:
    with core.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(query)).all()]


@pytest.mark.parametrize("where", ["slack", "matrix"])
def test_a_poll_reaches_both_rooms_each_voter_once_and_both_platforms_votes_count(both, where):
    w = both
    room = start_group(w)
    with w.core.store() as uow:
        group = uow.groups.named("pn-ai")
        mains = {(r.transport, r.room) for r in uow.groups.main_rooms(group.id)}
    assert mains == {("slack", ROOM), ("matrix", room)}

    if where == "slack":
        assert w.slack.command(f'poll "{QUESTION}" closes=3d').status == 200
        w.bruno.sync()  # what the bot sent to Synapse meanwhile
    else:
        w.facilitator.say(room, f'!pn poll "{QUESTION}" closes=3d')
        assert w.bot_reads() == 1

    # The announcement, in both main rooms.
    [announced] = [c for c in w.slack_posts(ROOM) if c.text().startswith(f"Poll 1: {QUESTION}")]
    assert [b for b in w.matrix_posts(room) if b.startswith(f"Poll 1: {QUESTION}")]
    # Each voter's invitation: once, on their own platform.
    slack_dms = [c for c in w.fake.posts() if c.body.get("channel", "").startswith("D")]
    assert [(c.body["channel"], INVITATION in c.text()) for c in slack_dms] == [
        ("D" + AMINA[1:], True)
    ]
    assert [c.body.get("users") for c in w.fake.to("conversations.open")] == [AMINA]
    [direct] = w.bruno.direct_rooms_with(w.bot.me.user_id)
    assert len([b for b in w.matrix_posts(direct) if b.startswith(INVITATION)]) == 1
    invitations = rows(
        w.core, f"SELECT transport, target FROM outbox WHERE text LIKE '{INVITATION}%'"
    )
    assert sorted(invitations) == [("matrix", w.bruno.handle), ("slack", AMINA)]
    assert rows(w.core, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == [(0,)]

    # A vote on Slack (the poll's button) and one on Matrix (a command, with its reason).
    [agree] = [b for b in announced.buttons() if b["text"]["text"] == "agree"]
    assert w.slack.click(agree, AMINA, message_ts=announced.answer["ts"]).status == 200
    w.bruno.say(room, f"!pn vote 1 disagree {REASON}")
    assert w.bot_reads() == 1
    with w.core.store() as uow:
        votes = sorted((v.member, v.option) for v in uow.votes.for_poll(1))
    assert votes == [(AMINA, "agree"), (w.bruno.handle, "disagree")]

    # The close: the runtime's clock passes it, one tick posts the tally in both rooms.
    slack_seen, matrix_seen = len(w.slack_posts(ROOM)), len(w.matrix_posts(room))
    w.clock.now = START + timedelta(days=3, minutes=1)
    w.runtime.tick()
    w.bruno.sync()
    [slack_tally] = [c.text() for c in w.slack_posts(ROOM)[slack_seen:]]
    [matrix_tally] = w.matrix_posts(room)[matrix_seen:]
    for tally in (slack_tally, matrix_tally):
        assert tally.startswith(f"Poll 1 is closed: {QUESTION}")
        assert "Votes: agree 1, abstain 0, disagree 1, block 0." in tally, tally
        assert "Turnout: 2 of 2 eligible members" in tally, tally
        assert REASON in tally
    assert w.runtime.tick() == 0  # posted once


def test_pnbot_run_serves_slack_and_matrix_from_one_process(
    sqlite_url, fake, homeserver, accounts, loop, tmp_path
):
    bot = accounts["pnbot"]
    facilitator = accounts["facilitator"]
    env = bot_environment(
        sqlite_url,
        fake,
        PNBOT_TRANSPORT="slack,matrix",
        PNBOT_FACILITATORS=f"{FACILITATOR},{facilitator.user_id}",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        MATRIX_HOMESERVER=homeserver.url,
        MATRIX_USER_ID=bot.user_id,
        MATRIX_PASSWORD=bot.password,
    )
    process = Running(["run", "--port", "0"], tmp_path, env)
    person = Person(loop, homeserver.url, facilitator.user_id, facilitator.access_token)
    try:
        banners = [process.line(WAIT), process.line(WAIT)]
        assert banners[0] == f"pnbot: connected to Matrix as {bot.user_id}"
        assert banners[1].startswith("pnbot: Slack HTTP mode on http://127.0.0.1:")
        url = banners[1].split(" on ", 1)[1]
        slack_side = Driver(lambda body, headers: post_http(url, body, headers), Clock(), fake.url)

        assert slack_side.command("group create pn-ai").status == 200
        person.sync()
        room = person.create_room("pn-ai", [bot.user_id])
        person.wait_for(lambda: membership(person, room, bot.user_id) == "join")
        person.say(room, "!pn group bind pn-ai")
        [bound] = person.wait_for(lambda: bodies(person.from_user(room, bot.user_id)))
        assert bound.startswith("This room now belongs to pn-ai: it is the group's main room")

        assert slack_side.command(f'poll "{QUESTION}" closes=3d').status == 200
        person.wait_for(
            lambda: [
                b for b in bodies(person.from_user(room, bot.user_id)) if b.startswith("Poll 1:")
            ]
        )
        posted = fake.wait_for("chat.postMessage", 2)  # the group's creation, then the poll
        assert [c.body["channel"] for c in posted if c.text().startswith("Poll 1:")] == [ROOM]
    finally:
        status, errors = process.interrupt(WAIT)
        person.close()
    assert status == 130
    assert "Traceback" not in errors
