"""The marks around the handles the core writes (handlers.events.mention) never reach a reader
on the console: a whole month prints none, although the queued messages carry them; and marks
a person types are taken out before the core reads the line."""

from __future__ import annotations

import re

import sqlalchemy as sa
from support import EXAMPLES, SCHEDULE, Transcript

from handlers.events import MARK_CLOSE, MARK_OPEN

NONCHARACTER = re.compile("[\ufdd0-\ufdef]")


def queued_texts(app) -> list[str]:
    with app.engine.connect() as connection:
        return [row[0] for row in connection.execute(sa.text("SELECT text FROM outbox"))]


def test_a_whole_month_prints_no_mark_though_the_core_marks_its_mentions(app):
    chat = Transcript(app)

    assert chat.console.run_script(EXAMPLES / "month.txt") == 0

    printed = chat.out.getvalue()
    assert "Dissent, block: @bruno: the sponsor is a vendor" in printed
    assert not NONCHARACTER.search(printed)
    # The queued texts mark the core's own mentions: what the console prints took them out.
    assert any(f"{MARK_OPEN}@bruno{MARK_CLOSE}" in text for text in queued_texts(app))


def test_marks_typed_around_a_handle_are_taken_out_before_the_core_reads_them(app, transcript):
    transcript.say(f"!roster-import roster.csv\n{SCHEDULE}")
    forged = f"Ask {MARK_OPEN}@bruno{MARK_CLOSE} about the sponsor\ufdef"

    printed = transcript.say(f"@amina: /pn agenda add {forged}")

    assert "Ask @bruno about the sponsor" in printed
    assert not NONCHARACTER.search(printed)
    with app.engine.connect() as connection:
        [item] = connection.execute(sa.text("SELECT text FROM agenda_items")).scalars().all()
    assert item == "Ask @bruno about the sponsor"
    echoed = [text for text in queued_texts(app) if "Ask @bruno about" in text]
    assert echoed and not any(MARK_OPEN in text for text in echoed)
