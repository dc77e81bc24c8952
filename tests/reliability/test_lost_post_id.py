"""A bot stopped between posting an outreach announcement and noting the post's id still
tells the group when the objection window closes: in the main room, not in a thread."""

from __future__ import annotations

import sqlalchemy as sa
from support import said

from storage.models import SentPost


def test_a_window_closing_on_an_announcement_whose_post_id_was_lost_is_still_announced(
    transcript, app
):
    transcript.say("!roster-import roster.csv")
    transcript.say("@dana: /pn outreach EuroDIG 2027 on 20 June at Brussels")
    with app.engine.begin() as connection:
        assert connection.execute(sa.delete(SentPost)).rowcount >= 1

    printed = transcript.say("!advance 4d")

    (cleared,) = [s for s in said(printed) if "is cleared" in s.text]
    assert (cleared.where, cleared.thread) == ("#pn-ai", None)
    assert cleared.text.startswith("No objection: outreach 1 is cleared.")
