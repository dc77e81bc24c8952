"""`pnbot doctor` says what is missing at each step of setting up the Slack app, and exits 0
only when all is well."""

from __future__ import annotations

import io
import os
import sqlite3

import pytest
from slackfake import BOT_TOKEN, FACILITATOR, SIGNING_SECRET, FakeSlack

from bot import doctor as doctor_module
from bot.cli import main
from bot.transports import slack
from storage.engine import make_engine, upgrade


@pytest.fixture
def env(monkeypatch, tmp_path, fake: FakeSlack, core):
    """A configured Slack deployment on the test's migrated database, and no .env file."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("SLACK_", "PNBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    values = {
        "DATABASE_URL": core.settings.database_url,
        "PNBOT_TRANSPORT": "slack",
        "PNBOT_FACILITATORS": FACILITATOR,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.url,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def doctor(capsys) -> tuple[int, str]:
    status = main(["doctor"])
    return status, capsys.readouterr().out


def test_a_complete_setup_is_all_well(env, fake, capsys):
    status, out = doctor(capsys)

    assert status == 0, out
    assert "ok    transport: slack, in HTTP mode" in out
    assert "ok    database: " in out and "migrations applied" in out
    assert "ok    bot token: @pnbot (user UPNBOT001) in PN (T0TEAM001)." in out
    assert "ok    scopes: every scope in slack/manifest.yml is granted." in out
    assert out.endswith("All is well.\n")
    assert fake.web_api() == []  # only auth.test was asked


def test_missing_scopes_are_named_with_how_to_grant_them(env, fake, capsys):
    fake.scopes = "channels:read,chat:write,commands,im:write,users:read"

    status, out = doctor(capsys)

    assert status == 1
    assert (
        "FIX   scopes: missing app_mentions:read, channels:history, files:write, groups:history, im:history, "
        "reactions:read: add them under OAuth & Permissions" in out
    )
    assert "note  scopes: granted but not used: channels:read." in out


def test_a_refused_bot_token_says_where_to_find_the_right_one(env, fake, capsys):
    fake.answers["auth.test"] = {"ok": False, "error": "invalid_auth"}

    status, out = doctor(capsys)

    assert status == 1
    assert "FIX   bot token: Slack refused SLACK_BOT_TOKEN (invalid_auth)" in out
    assert "Bot User OAuth Token" in out


def test_socket_mode_checks_the_app_level_token(env, fake, capsys):
    env.setenv("SLACK_APP_TOKEN", "xapp-1-test")
    status, out = doctor(capsys)
    assert status == 0, out
    assert "ok    transport: slack, in Socket Mode" in out
    assert "ok    app token: Socket Mode connections are allowed." in out
    assert fake.to("apps.connections.open")[0].headers["authorization"] == "Bearer xapp-1-test"

    fake.answers["apps.connections.open"] = {"ok": False, "error": "not_allowed_token_type"}
    status, out = doctor(capsys)
    assert status == 1
    assert "FIX   app token: Slack refused SLACK_APP_TOKEN (not_allowed_token_type)" in out


def test_a_database_without_the_migrations_is_to_be_upgraded(env, tmp_path, capsys):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    env.setenv("DATABASE_URL", f"sqlite:///{empty}")

    status, out = doctor(capsys)

    assert status == 1
    assert "has no tables yet: run `pnbot db upgrade`" in out
    assert "on a roster" not in out  # not read from a database without tables


def test_a_missing_database_file_is_named_as_the_first_start_creates_it(env, tmp_path, capsys):
    env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nowhere.db'}")

    status, out = doctor(capsys)

    assert status == 0, out
    assert "note  database: " in out
    assert "nowhere.db does not exist yet: `pnbot run` creates it" in out
    assert not (tmp_path / "nowhere.db").exists()


def test_a_malformed_setting_is_named_with_its_variable(env, capsys):
    env.setenv("SLACK_BOT_TOKEN", "xoxp-a-user-token")

    status, out = doctor(capsys)

    assert status == 1
    assert "FIX   configuration: SLACK_BOT_TOKEN: must start with 'xoxb-'" in out


def test_without_any_facilitator_nobody_could_create_a_group(env, capsys):
    env.delenv("PNBOT_FACILITATORS")

    status, out = doctor(capsys)

    assert status == 1
    assert "FIX   facilitators: nobody can create a group: set PNBOT_FACILITATORS" in out


def test_the_scopes_checked_are_the_ones_the_transport_uses():
    assert {
        "app_mentions:read",
        "channels:history",
        "chat:write",
        "commands",
        "files:write",
        "groups:history",
        "im:history",
        "im:write",
        "reactions:read",
        "users:read",
    } == slack.SCOPES


# the console and Matrix ---------------------------------------------------------------------


def migrated_file(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'pnbot.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def doctor_with(env: dict[str, str]) -> tuple[int, str]:
    out = io.StringIO()
    return doctor_module.main(env=env, out=out), out.getvalue()


def test_the_console_needs_no_facilitator_setting(tmp_path):
    status, out = doctor_with({"DATABASE_URL": migrated_file(tmp_path)})

    assert status == 0, out
    assert "ok    transport: console" in out
    assert "ok    facilitators: on the console you are @facilitator, who always is one." in out
    assert "PNBOT_FACILITATORS" not in out
    assert out.endswith("All is well.\n")


def test_a_console_before_its_first_start_has_nothing_to_fix(tmp_path):
    status, out = doctor_with({"DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'pnbot.db'}"})

    assert status == 0, out
    assert "note  database: " in out and "does not exist yet: `pnbot run` creates it" in out
    assert "ok    facilitators: on the console you are @facilitator" in out


def test_matrix_without_a_facilitator_asks_for_a_matrix_user_id(tmp_path):
    env = {
        "DATABASE_URL": migrated_file(tmp_path),
        "PNBOT_TRANSPORT": "matrix",
        "MATRIX_HOMESERVER": "https://matrix.example.org",
        "MATRIX_USER_ID": "@pnbot:example.org",
        "MATRIX_ACCESS_TOKEN": "syt_token",
    }
    status, out = doctor_with(env)

    assert status == 1
    assert (
        "FIX   facilitators: nobody can create a group: set PNBOT_FACILITATORS to your Matrix user id"
        in out
    )
    assert "Slack" not in out.split("facilitators:")[1]
    assert out.endswith("1 thing to fix.\n")


def test_a_database_url_with_a_bad_port_is_one_finding_without_the_password():
    status, out = doctor_with({"DATABASE_URL": "postgresql://pnbot:pa55w0rd@db:5x32/pnbot"})

    assert status == 1
    assert "FIX   configuration: DATABASE_URL: " in out and "port that is not a number" in out
    assert "pa55w0rd" not in out
