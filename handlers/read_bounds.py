"""How much of a message chat capture reads, so any message costs milliseconds.

Capture's scans are linear in what they read, but a chat message may hold 40,000 characters
from anyone in the room, and the recognisers each try dozens of expressions over it. A notice,
an announcement or an objection says so early, or, under something pasted, at the very end;
so capture reads a long message's head (the first `HEAD` characters, cut at a space so no
word is split) and its tail (what follows the first sentence end in the last `TAIL`
characters, so no sentence loses its subject: "Maria will present" must not become "will
present"), each read on its own. What lies between (a long quotation, a pasted document) is
never read for a notice.
"""

from __future__ import annotations

import re

HEAD = 2000
TAIL = 1000
_CUT_BACK = 40  # at most this far to the nearest space, so a long word is cut anyway
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")


def parts(text: str) -> tuple[str, ...]:
    """The parts of `text` capture reads: the whole of a short message, else head and tail."""
    if len(text) <= HEAD + TAIL:
        return (text,)
    cut = text.rfind(" ", HEAD - _CUT_BACK, HEAD)
    head = text[: cut if cut > 0 else HEAD]
    end = _SENTENCE_END.search(text, len(text) - TAIL)
    if end is None:
        return (head,)  # the tail is part of a sentence that began before it
    return head, text[end.end() :]
