"""The running bot keeps the website current: with PNBOT_SITE_DIR set, a scheduler tick
rebuilds it when the record changed (or a meeting started) and does nothing otherwise; `site`
in chat says where it is published (PNBOT_SITE_URL)."""

from datetime import UTC, datetime, timedelta

import pytest
from support import START, Transcript, bot_replies

from bot import site
from bot.app import build
from bot.config import ConfigError, Settings, load
from bot.runtime import Runtime

ROSTER = """
!group pn-ai
!roster-import roster.csv
@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=UTC
"""


@pytest.fixture
def bot(db_url, tmp_path):
    app = build(
        Settings(
            database_url=db_url,
            facilitators=frozenset({"facilitator"}),
            site_dir=tmp_path / "public",
            site_url="https://pn.example.org/record",
        )
    )
    yield app
    app.engine.dispose()


def page(tmp_path, path: str = "g/pn-ai/index.html") -> str:
    return (tmp_path / "public" / path).read_text(encoding="utf-8")


def test_a_tick_rebuilds_the_site_only_when_the_record_changed(bot, tmp_path):
    chat = Transcript(bot)
    chat.say(ROSTER)
    now = START
    runtime = Runtime(bot, [], clock=lambda: now, inline=True)
    runtime.tick(now)
    first = (tmp_path / "public").readlink()
    assert "20 members with an equal say" in page(tmp_path, "g/pn-ai/composition/index.html")

    runtime.tick(now + timedelta(minutes=1))  # nothing written, no meeting started
    assert (tmp_path / "public").readlink() == first

    chat.say("@facilitator: /pn member remove @marco left Telecom Europe")
    runtime.tick(now + timedelta(minutes=2))
    second = (tmp_path / "public").readlink()
    assert second != first
    composition = page(tmp_path, "g/pn-ai/composition/index.html")
    assert "19 members with an equal say" in composition
    assert '<tr><th scope="row">Marco Rossi</th>' in composition  # now a former member

    # the first meeting starts with nothing written: it moves from coming to held
    assert "0 held" in page(tmp_path)
    runtime.tick(datetime(2026, 12, 8, 13, 0, tzinfo=UTC))
    assert "1 held" in page(tmp_path)


def test_a_failing_build_waits_for_the_next_tick(bot, tmp_path):
    chat = Transcript(bot)
    chat.say(ROSTER)
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "mine.txt").write_text("not the bot's")
    runtime = Runtime(bot, [], clock=lambda: START, inline=True)
    assert runtime.tick(START) == 0  # the tick goes on; the folder is left alone
    assert sorted(p.name for p in (tmp_path / "public").iterdir()) == ["mine.txt"]
    (tmp_path / "public" / "mine.txt").unlink()
    runtime.tick(START)
    assert "pn-ai" in page(tmp_path)


def test_refresh_is_a_few_reads_when_nothing_changed(bot, tmp_path):
    Transcript(bot).say(ROSTER)
    refresher = site.Refresher(bot.store, tmp_path / "public")
    assert refresher.refresh(START) is True
    assert refresher.refresh(START) is False
    assert refresher.refresh(START + timedelta(days=1)) is False


def test_site_in_chat_says_where_the_record_is_published(bot, app):
    chat = Transcript(bot)
    chat.say(ROSTER)
    assert bot_replies(chat.say("@amina: /pn site")) == [
        "The public record of pn-ai (composition, meetings, decisions, workplan, outreach, "
        "emerging issues): https://pn.example.org/record/g/pn-ai/"
    ]
    # a stranger in a direct message is told the same (the one group's record)
    assert bot_replies(chat.say("@zoe dm: site")) == bot_replies(chat.say("@amina: /pn site"))
    unset = Transcript(app)  # the same database, without PNBOT_SITE_URL
    [answer] = bot_replies(unset.say("@amina: /pn site"))
    assert answer.startswith("This deployment publishes no website of the record yet.")
    assert "PNBOT_SITE_URL" in answer


def test_the_settings_name_a_bad_site_url():
    assert load(env={}).site_dir is None
    settings = load(env={"PNBOT_SITE_DIR": "/srv/pn", "PNBOT_SITE_URL": "https://pn.example.org/"})
    assert (str(settings.site_dir), settings.site_url) == ("/srv/pn", "https://pn.example.org")
    with pytest.raises(ConfigError, match="PNBOT_SITE_URL: 'pn.example.org' is not an http"):
        load(env={"PNBOT_SITE_URL": "pn.example.org"})
