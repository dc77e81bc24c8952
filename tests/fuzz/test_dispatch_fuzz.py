"""Hostile input through the whole dispatch path: slash commands, mentions, direct messages,
button clicks, reactions, chat in a group's room, replies in an announcement's thread and
chat in a room no group uses. On a SQLite file and on PostgreSQL.

What the design promises for every input:
- no unhandled exception and never the crash reply;
- a reply to every command, mention, direct message and click; plain chat may stay silent,
  and chat in a room no group uses always does;
- a refusal is one private reply and leaves every table as it was (the event is not even
  marked processed); anything else is marked processed once;
- a command the parser refuses gets exactly the parser's reply;
- markup, mentions and SQL-looking strings in an agenda item, a reason or a poll question are
  stored exactly as typed and the console echoes them unchanged.
"""

from __future__ import annotations

import io
import itertools

import pytest
import sqlalchemy as sa
from hostile_text import INJECTIONS, SCRIPTS, any_text, dense_phrase, fuzz_on, oversized
from hypothesis import example, given
from hypothesis import strategies as st
from support import CONVERSATION, START, Transcript

from bot.dispatch import COMMAND_PREFIX, CRASH_REPLY
from bot.transports.console import Console
from handlers import grammar
from handlers.base import ACTIONS, UserError
from handlers.events import Action, Address, Command, Message, Outgoing, Post, Reaction, Reply
from handlers.lookalikes import BIDI
from handlers.registry import REGISTRY

PEOPLE = ["facilitator", "amina", "bruno", "olga", "sekou", "zoe"]  # zoe is on no roster
ROOM, UNBOUND = "#pn-ai", "#random"
ANNOUNCEMENT, ANNOUNCED = "b1", "m6"  # the bot's post of outreach 1, and amina's message
FIRST_WORDS = {name.split()[0] for name in REGISTRY}
KINDS = ["slash", "mention", "dm", "click", "react", "chat", "thread", "unbound"]
ADDRESSED = {"slash", "mention", "dm", "click"}
# Openings that lead the chat capture down each of its paths.
CHAT_LEADS = [
    "I object: ",
    "Objection — ",
    "apologies, I can't make the 12 January call ",
    "Sorry, I can't make it on Tuesday ",
    "désolée, je ne pourrai pas assister à la réunion du 12 janvier ",
    "I will present our work at ",
    "I'm speaking at RightsCon on 5 May 2027 ",
    "/pn ",
    "/pn vote 1 ",
]


@pytest.fixture
def world(app):
    """pn-ai with the example roster, an observer (@olga), a secretariat (@sekou), its monthly
    meetings, @amina's outreach 1 announced as b1 in the thread of her message m6, and poll 1."""
    chat = Transcript(app)
    printed = chat.say(
        """
        !group pn-ai
        !roster-import roster.csv
        @facilitator: /pn member add @olga group=government region=eastern-europe gender=woman org="Observer Institute" role=observer
        @facilitator: /pn member add @sekou group=civil-society region=africa gender=man org="Secretariat" role=secretariat
        @facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Paris duration=90 link=https://meet.example.org/pn-ai
        @amina: I will present our work at RightsCon in Taipei on 5 May 2027
        @facilitator: /pn poll "Should the group publish a glossary?" closes=5d
        """
    )
    assert "#pn-ai thread m6 pnbot: Recorded outreach 1" in printed
    assert "#pn-ai pnbot [b1]: Outreach 1:" in printed
    return chat


_keys = itertools.count()
_tables: dict[int, sa.MetaData] = {}


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table (as `support.snapshot`, with the tables read once per engine)."""
    metadata = _tables.get(id(engine))
    if metadata is None:
        metadata = _tables[id(engine)] = sa.MetaData()
        metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: sorted(map(tuple, connection.execute(table.select()).all()), key=repr)
            for name, table in sorted(metadata.tables.items())
            if name not in CONVERSATION
        }


def event_of(kind: str, user: str, text: str, extra: str = ""):
    n = next(_keys)
    base = {
        "transport": "console",
        "room": ROOM,
        "user": user,
        "key": f"fuzz:{n}",
        "at": START,
        "message_id": f"f{n}",
    }
    if kind == "slash":
        return Command(text=text, **base)
    if kind == "mention":
        return Message(text=text, mentions_bot=True, **base)
    if kind == "dm":
        return Message(text=text, **(base | {"room": f"dm:{user}", "is_direct": True}))
    if kind == "click":
        return Action(action=extra, value=text[:200], target=ANNOUNCEMENT, **base)
    if kind == "react":
        return Reaction(name=extra, target=ANNOUNCEMENT, **base)
    if kind == "thread":
        thread = ANNOUNCED if extra == ANNOUNCED else ANNOUNCEMENT
        return Message(text=text, **(base | {"thread": thread}))
    if kind == "unbound":
        return Message(text=text, **(base | {"room": UNBOUND}))
    return Message(text=text, **base)


def is_slash(text: str) -> bool:
    """`/pn ...` typed as a message: a command wherever it is written."""
    stripped = text.strip().lower()
    return stripped == COMMAND_PREFIX or stripped.startswith(COMMAND_PREFIX + " ")


def parser_refusal(kind: str, text: str) -> str | None:
    """The parser's own reply when `text`, sent as `kind`, is a command it refuses."""
    if kind == "slash":
        command = text
    elif kind in ("mention", "dm", "chat", "thread", "unbound") and is_slash(text):
        command = text.strip()[len(COMMAND_PREFIX) :]
    elif kind in ("mention", "dm"):
        command = text.strip()
        first = command.split(maxsplit=1)[0].lower() if command else ""
        if command and first not in FIRST_WORDS:
            return None
    else:
        return None
    try:
        grammar.command(command, REGISTRY)
    except UserError as refusal:
        return str(refusal)
    return None


def replies(outgoing: list[Outgoing]) -> list[Reply]:
    return [o for o in outgoing if isinstance(o, Reply)]


def outcome_of(app, event) -> str | None:
    """How the inbox says `event` ended: done, refused or failed."""
    with app.engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT outcome FROM inbox WHERE transport = :t AND key = :k"),
            {"t": event.transport, "k": event.key},
        ).scalar_one()


def check_one(app, kind: str, user: str, text: str, extra: str = "") -> list[Outgoing]:
    """Dispatch one event and check what the design promises of it; return what it got."""
    event = event_of(kind, user, text, extra)
    before = snapshot(app.engine)
    outgoing = app.dispatcher.handle(event)
    after = snapshot(app.engine)

    texts = [o.text for o in outgoing]
    assert CRASH_REPLY not in texts, (kind, user, text[:200])
    assert all(o.text.strip() for o in outgoing)
    slash_in_chat = isinstance(event, Message) and is_slash(text)
    if kind in ADDRESSED or slash_in_chat:
        assert replies(outgoing), (kind, user, text[:200])
    if kind == "unbound" and not slash_in_chat:
        assert outgoing == []
    refused = outcome_of(app, event) == "refused"
    if refused:
        assert after == before
        assert len(outgoing) == 1 and replies(outgoing)[0].private, (kind, user, outgoing)
    else:
        assert outcome_of(app, event) == "done", (kind, user, text[:200])
    expected = parser_refusal(kind, text)
    if expected is not None:
        assert refused and texts == [expected], (kind, text[:200], texts)
    return outgoing


def test_any_input_anywhere_gets_the_promised_answer(app, world, tally):
    @fuzz_on(app)
    @given(
        kind=st.sampled_from(KINDS),
        user=st.sampled_from(PEOPLE),
        text=st.one_of(
            any_text,
            st.tuples(st.sampled_from(sorted(REGISTRY)), any_text).map(" ".join),
            st.tuples(st.just("/pn"), st.sampled_from(sorted(REGISTRY)), any_text).map(" ".join),
            st.tuples(st.sampled_from(CHAT_LEADS), any_text).map("".join),
        ),
        extra=st.one_of(
            st.sampled_from(sorted(ACTIONS) + ["no_entry", "+1", ANNOUNCED]),
            st.text(max_size=20),
        ),
    )
    @example(kind="chat", user="amina", text="x" * 40_000, extra="")
    @example(kind="thread", user="bruno", text="I object: " + "<!channel> " * 4000, extra="")
    @example(kind="slash", user="amina", text="agenda add '; DROP TABLE members; --", extra="")
    @example(kind="thread", user="bruno", text="I object: a vendor\x00 sponsors it", extra="")
    @example(kind="click", user="zoe", text="1:agree\x00", extra="poll.vote")
    def check(kind, user, text, extra):
        tally.add(f"dispatch: any input [{app.engine.dialect.name}]")
        check_one(app, kind, user, text, extra)

    check()


def test_oversized_messages_are_answered_on_every_path(app, world, tally):
    @fuzz_on(app)
    @given(st.sampled_from(KINDS), st.sampled_from(PEOPLE), oversized())
    def check(kind, user, text):
        tally.add(f"dispatch: 40,000 characters [{app.engine.dialect.name}]")
        assert len(text) == 40_000
        check_one(app, kind, user, text, "poll.vote" if kind == "click" else "")

    check()


def echoed(app, event, outgoing: list[Outgoing]) -> str:
    """What the console prints for `outgoing`, the answer to `event`."""
    out = io.StringIO()
    console = Console(app, out=out, now=START)
    for item in app.dispatcher.addressed(outgoing, Address.of(event)):
        console.deliver(item)
    return out.getvalue()


def say(app, user: str, text: str) -> tuple[list[Outgoing], str]:
    event = event_of("slash", user, text)
    outgoing = check_one(app, "slash", user, text)
    return outgoing, echoed(app, event, outgoing)


def test_hostile_text_is_stored_and_echoed_verbatim(app, world, tally):
    @fuzz_on(app)
    @given(dense_phrase())
    @example(" ".join(INJECTIONS).replace('"', "").replace(" =", " "))
    @example(" ".join(SCRIPTS))
    @example(" ".join(BIDI.sub("", " ".join(SCRIPTS)).split()))
    @example("'; DROP TABLE members; -- <!channel> <@U123> <https://x|y> *bold*")
    def check(phrase):
        tally.add(f"dispatch: verbatim [{app.engine.dialect.name}]")
        if "=" in phrase:  # `key=value` words are options to these commands
            return
        if BIDI.search(phrase):  # would show the text in another order than it reads
            _, shown = say(app, "amina", f"agenda add {phrase}")
            assert "invisible direction control" in shown
            return
        _, shown = say(app, "amina", f"agenda add {phrase}")
        assert f": {phrase}\n" in shown
        _, shown = say(app, "amina", "agenda")
        assert phrase in shown

        _, shown = say(app, "amina", f"away next because of {phrase}")
        # a phrase drawn twice repeats the notice, which is acknowledged with its reason
        assert f"({phrase})" in shown or f"(reason: {phrase})" in shown

        outgoing, shown = say(app, "facilitator", f"poll {phrase} closes=5d")
        posts = [o for o in outgoing if isinstance(o, Post)]
        assert posts and posts[0].text.startswith("Poll ")
        poll = int(posts[0].text.split()[1].rstrip(":"))
        assert f"Poll {poll}: {phrase}\n" in shown

        say(app, "bruno", f"vote {poll} disagree {phrase}")

        with app.store() as uow:
            group = uow.groups.named("pn-ai")
            meeting = uow.meetings.upcoming(group.id, START, limit=1)[0]
            items = [i.text for i in uow.agendas.items(meeting.id)]
            reason = uow.apologies.get(meeting.id, "amina").reason
            question = uow.polls.get(group.id, poll).question
            vote = {v.member: v.reason for v in uow.votes.for_poll(poll)}
        assert items[-1] == phrase
        assert reason == phrase
        assert question == phrase
        assert vote == {"bruno": phrase}

    check()


def test_chat_keeps_its_words_but_not_its_control_characters(app, world):
    """A NUL in chat once crashed the capture on PostgreSQL (which cannot store it) and lost
    the objection; chat is now read without invisible control characters, on both databases."""
    objection = check_one(app, "thread", "bruno", "I object: the sponsor\x00 is a \x1bvendor")
    announcement = check_one(
        app, "chat", "chen", "I will present our work at Foo\x00Conf on 7 May 2027"
    )

    assert CRASH_REPLY not in [o.text for o in objection + announcement]
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        reasons = {o.member: o.reason for o in uow.objections.for_outreach([1])}
        events = [r.event for r in uow.outreach.all(group.id) if r.member == "chen"]
    assert reasons == {"bruno": "the sponsor is a vendor"}
    assert events == ["FooConf"]
