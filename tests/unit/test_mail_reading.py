"""Reading and writing mail without servers: who wrote it and whether a machine did, what the
receiving server vouched for, what the person wrote above the quote, all in milliseconds
whatever the mail holds; and the same outbox key always making the same Message-ID."""

from __future__ import annotations

import time
from email.message import EmailMessage

import pytest

from bot.transports import email_read, email_render

AUTHSERV = "mx.example.org"


def raw(text: str = "Regrets for Tuesday.", **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = headers.pop("From", "Amina <Amina@DataRights.example>")
    message["To"] = headers.pop("To", "pn-ai@lists.example.org")
    message["Subject"] = headers.pop("Subject", "Regrets")
    message["Message-ID"] = headers.pop("Message_ID", "<abc@datarights.example>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message.as_bytes()


def test_a_persons_mail_is_read_with_its_quote_and_signature_taken_off():
    text = (
        "Regrets for Tuesday's call, I am travelling.\n\nBest,\nAmina\n-- \nData Rights Lab\n\n"
        "On Mon, 7 Dec 2026 at 10:00, pnbot <pnbot@example.org> wrote:\n> Reminder: tomorrow\n"
    )
    mail = email_read.parse(raw(text), AUTHSERV)
    assert mail.sender == "amina@datarights.example" and mail.name == "Amina"
    assert mail.text.startswith("Regrets for Tuesday's call, I am travelling.")
    assert "Reminder" not in mail.text and "Data Rights Lab" not in mail.text
    assert mail.machine is None


def test_a_french_reply_loses_its_quote():
    text = (
        "Je ne pourrai pas venir mardi.\n\nLe lun. 7 déc. 2026 à 10:00, pnbot a écrit :\n> Rappel"
    )
    assert email_read.parse(raw(text), AUTHSERV).text == "Je ne pourrai pas venir mardi."


def test_an_html_only_mail_is_read_as_text_without_its_blockquote():
    message = EmailMessage()
    message["From"] = "dana@ietf.example"
    message["Message-ID"] = "<h@ietf.example>"
    message.set_content("<p>agree</p><blockquote>Poll 1: ...</blockquote>", subtype="html")
    assert email_read.parse(message.as_bytes(), AUTHSERV).text == "agree"


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X_Autoreply": "yes"},
        {"Return_Path": "<>"},
        {"From": "MAILER-DAEMON@telco.example"},
        {"Subject": "Out of Office: pn-ai"},
        {"Subject": "Réponse automatique : pn-ai"},
    ],
)
def test_mail_a_machine_wrote_is_known(headers):
    assert email_read.parse(raw(**headers), AUTHSERV).machine


def test_a_list_copy_is_not_taken_for_a_machine():
    assert email_read.parse(raw(Precedence="list", Auto_Submitted="no"), AUTHSERV).machine is None


@pytest.mark.parametrize(
    ("results", "verified"),
    [
        (f"{AUTHSERV}; dkim=pass header.d=datarights.example", {"datarights.example"}),
        (f"{AUTHSERV}; spf=pass smtp.mailfrom=amina@datarights.example", {"datarights.example"}),
        (f"{AUTHSERV}; dkim=fail header.d=datarights.example", set()),
        ("mx.forger.example; dkim=pass header.d=datarights.example", set()),
        (f"{AUTHSERV}; dkim=pass (unclosed comment", set()),
        (f"{AUTHSERV}; " + "dkim=pass header.d=x.example; " * 500, set()),  # too long to read
    ],
)
def test_only_the_configured_servers_passes_count(results, verified):
    mail = email_read.parse(raw(Authentication_Results=results), AUTHSERV)
    assert mail.verified == verified


def test_without_an_authserv_id_nothing_is_verified():
    results = f"{AUTHSERV}; dkim=pass header.d=datarights.example"
    assert email_read.parse(raw(Authentication_Results=results), None).verified == frozenset()


def test_mail_without_a_sender_or_message_id_is_not_read():
    message = EmailMessage()
    message["From"] = "amina@datarights.example"
    message.set_content("hi")
    assert email_read.parse(message.as_bytes(), AUTHSERV) is None


@pytest.mark.parametrize(
    "hostile",
    [
        raw("x " * 200_000),
        raw("> " * 100_000 + "\n"),
        raw("On " * 50_000 + "wrote:\n"),
        raw(References=" ".join(f"<{i}@x.example>" for i in range(20_000))),
        raw(Subject="Re: " * 20_000),
        raw("<" * 100_000, Content_Type="text/html"),
    ],
)
def test_any_mail_is_read_in_milliseconds(hostile):
    started = time.perf_counter()
    mail = email_read.parse(hostile, AUTHSERV)
    assert time.perf_counter() - started < 0.5
    assert mail is None or len(mail.references) <= email_read.MAX_IDS


def test_the_same_outbox_key_makes_the_same_message_id():
    first = email_render.message_id("meeting:1:20261208T1200Z:agenda:email:list", "example.org")
    again = email_render.message_id("meeting:1:20261208T1200Z:agenda:email:list", "example.org")
    other = email_render.message_id("meeting:1:20261208T1200Z:remind-24h:email:list", "example.org")
    assert first == again != other
    assert email_render.is_own(first, "example.org")
    assert not email_render.is_own(first, "elsewhere.example")


def test_a_mail_has_text_and_html_from_the_same_words_and_threads_under_its_poll():
    from datetime import UTC, datetime

    mail = email_render.build(
        sender="pnbot@example.org",
        to=["pn-ai@lists.example.org"],
        text="Poll 1 is closed: <b>agree</b> 3\nuse `poll show 1`",
        msgid="<pnbot.1@example.org>",
        subject="Poll 1 is closed",
        at=datetime(2026, 12, 8, tzinfo=UTC),
        in_reply_to="<pnbot.0@example.org>",
        references=["<pnbot.0@example.org>"],
        list_address="pn-ai@lists.example.org",
    )
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "<b>agree</b> 3" in text
    assert "&lt;b&gt;agree&lt;/b&gt; 3" in html and "<code>poll show 1</code>" in html
    assert mail["In-Reply-To"] == "<pnbot.0@example.org>"
    assert mail["References"] == "<pnbot.0@example.org>"
    assert mail["Reply-To"] == "pn-ai@lists.example.org"


def test_a_mail_is_seven_bit_whatever_its_text():
    from datetime import UTC, datetime

    mail = email_render.build(
        sender="pnbot@example.org",
        to=["pn-ai@lists.example.org"],
        text="Objections until “Sat 5 Dec” — déjà vu, 你好",
        msgid="<pnbot.2@example.org>",
        subject="Outreach 1 — Genève",
        at=datetime(2026, 12, 8, tzinfo=UTC),
    )
    assert max(mail.as_bytes()) < 128
    assert "你好" in mail.get_body(("plain",)).get_content()
    assert str(mail["Subject"]) == "Outreach 1 — Genève"
