"""The marks around the handles the core writes (handlers.events.mention) reach neither the
body nor the HTML of a Matrix message: the core's handles read as they always did. (No
homeserver needed.)"""

from __future__ import annotations

import json
import re

from bot.transports import matrix_render as render
from handlers.events import Post, Reply, mention

NONCHARACTER = re.compile("[\ufdd0-\ufdef]")


def test_the_cores_mentions_lose_their_marks_in_body_and_html():
    post = Post(
        transport="matrix",
        room="!r:x",
        text=f"Dissent, block: {mention('bruno:example.org')}: ask `{mention('amina:example.org')}`",
        data={"actions": [{"label": "Undo", "action": "vote.undo", "value": "1"}]},
    )

    said = render.content(post)

    assert not NONCHARACTER.search(json.dumps(said, ensure_ascii=False))
    assert said["body"].startswith("Dissent, block: @bruno:example.org: ask `@amina:example.org`")
    assert (
        'block: <a href="https://matrix.to/#/@bruno:example.org">@bruno:example.org</a>: '
        "ask <code>@amina:example.org</code>"
    ) in said["formatted_body"]
    assert said["m.mentions"] == {}


def test_a_file_reply_loses_the_marks_too():
    said = render.content(
        Reply(text=f"BEGIN:VCALENDAR {mention('amina:example.org')}", data={"filename": "a.ics"})
    )

    assert not NONCHARACTER.search(said["body"] + said["formatted_body"])
