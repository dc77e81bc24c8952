"""Figure 9: how fast the e-mail transport reads a mail (who wrote it, whether a machine did,
what the receiving server vouched for, the reply without quote and signature).

1. Every labelled message of the capture corpora, written as a reply to the list (a quoted
   reminder below it, a signature, Authentication-Results). Baseline: the email package's own
   parse of the same bytes and a read of its text part, the floor any mail reading sets.
2. The slowest of a set of hostile mails (a 200 000-character line, thousands of quote
   markers, 20 000 References, a long Authentication-Results): for information; the target
   is the house rule, milliseconds whatever a mail holds.

Run: .venv/bin/python bench/mail_read.py
"""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from common import best_of, corpus_rows, emit, figure

from bot.transports import email_read

AUTHSERV = "mx.example.org"


def as_mail(text: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["Authentication-Results"] = headers.pop(
        "auth", f"{AUTHSERV}; dkim=pass header.d=datarights.example"
    )
    message["From"] = "Amina <amina@datarights.example>"
    message["To"] = "pn-ai@lists.example.org"
    message["Subject"] = headers.pop("subject", "Re: Reminder: the pn-ai meeting is tomorrow")
    message["Message-ID"] = "<abc@datarights.example>"
    for name, value in headers.items():
        message[name] = value
    message.set_content(text)
    return message.as_bytes()


def floor(raw: bytes) -> None:
    BytesParser(policy=policy.default).parsebytes(raw).get_body(("plain",)).get_content()


def main() -> None:
    mails = [
        as_mail(
            f"{row['text']}\n\nBest,\nAmina\n-- \nData Rights Lab\n\n"
            "On Mon, 7 Dec 2026 at 10:00, pnbot <pnbot@example.org> wrote:\n"
            "> Reminder: the pn-ai meeting is tomorrow, Tue 8 Dec 2026, 12:00 UTC\n"
        )
        for row in corpus_rows()
    ]
    ours = best_of(5, lambda: [email_read.parse(m, AUTHSERV) for m in mails]) / len(mails)
    base = best_of(5, lambda: [floor(m) for m in mails]) / len(mails)
    emit(
        figure(
            "mail read: one reply to the list (µs)",
            ours * 1e6,
            "µs",
            base * 1e6,
            ours / base,
            "ratio <= 5 (the email package itself is the floor)",
        )
    )
    hostile = [
        as_mail("x " * 200_000),
        as_mail("> " * 100_000 + "\n"),
        as_mail(("On " * 39 + "wrote\n") * 400),
        as_mail("hi", References=" ".join(f"<{i}@x.example>" for i in range(20_000))),
        as_mail("hi", auth=f"{AUTHSERV}; " + "dkim=pass header.d=x.example; " * 2000),
        as_mail("hi", subject="Re: " * 20_000),
    ]
    worst = max(best_of(3, lambda m=m: email_read.parse(m, AUTHSERV)) for m in hostile)
    emit(
        figure(
            "mail read: slowest hostile mail (ms)", worst * 1e3, "ms", None, None, "value <= 100"
        )
    )


if __name__ == "__main__":
    main()
