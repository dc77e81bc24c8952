"""Setting up mail: the configuration names a missing or malformed variable, and `pnbot
doctor` checks the SMTP and IMAP servers and the list's group."""

from __future__ import annotations

import pytest
from mailservers import BOT, LIST

from bot import config, doctor


def mail_env(world, **changes) -> dict[str, str]:
    env = {
        "DATABASE_URL": world.app.settings.database_url,
        "PNBOT_FACILITATORS": "facilitator",
        "SMTP_URL": world.system.url,
        "IMAP_URL": world.dovecot.url,
        "MAIL_FROM": BOT,
        "MAIL_LIST_ADDRESS": LIST,
        "MAIL_GROUP": "pn-ai",
        "MAIL_AUTHSERV_ID": "mx.pn.example.org",
    }
    return {k: v for k, v in (env | changes).items() if v is not None}


def findings(env) -> list[tuple[bool | None, str]]:
    return [(f.ok, f.text) for f in doctor.check(env=env) if f.topic == "e-mail"]


def test_doctor_finds_both_servers_and_the_lists_group(world):
    found = findings(mail_env(world))
    assert [ok for ok, _ in found] == [True, True, True], found
    assert "IMAP" in found[1][1] and "opens INBOX" in found[1][1]
    assert f"the list {LIST} belongs to pn-ai" in found[2][1]
    assert "not-a-secret" not in " ".join(text for _, text in found)  # the password is masked


def test_doctor_names_a_refused_login_and_an_unreachable_server(world):
    wrong = world.dovecot.url.replace("not-a-secret", "wrong")
    closed = "smtp://127.0.0.1:1"
    found = findings(mail_env(world, IMAP_URL=wrong, SMTP_URL=closed))
    assert found[0][0] is False and "Check SMTP_URL" in found[0][1]
    assert found[1][0] is False and "Check IMAP_URL" in found[1][1]


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"IMAP_URL": None}, "IMAP_URL"),
        ({"SMTP_URL": "http://mail.example.org"}, "SMTP_URL"),
        ({"MAIL_FROM": "pnbot"}, "MAIL_FROM"),
        ({"MAIL_GROUP": None}, "MAIL_GROUP"),
        ({"MAIL_POLL_SECONDS": "often"}, "MAIL_POLL_SECONDS"),
    ],
)
def test_a_missing_or_malformed_mail_setting_is_named(world, changes, variable):
    with pytest.raises(config.ConfigError) as refused:
        config.load(mail_env(world, **changes), dotenv_path=None)
    assert refused.value.variable == variable
