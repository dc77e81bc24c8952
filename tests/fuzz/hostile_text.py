"""Hostile and odd text for the fuzz tests: markup and mention injection, SQL-looking strings,
mixed scripts, invisible characters, control characters and oversized messages.

(Imported as `hostile_text` from the tests of this folder.)
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Markup, mention and link injection (Slack's and Matrix's forms), and SQL-looking strings.
INJECTIONS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    "<@U012AB|amina>",
    "<#C042|general>",
    "<https://x|y>",
    "<https://evil.example/login|Click to vote>",
    "*bold*",
    "_italic_",
    "~strike~",
    "`code`",
    "```block```",
    "&lt;!channel&gt;",
    "@room",
    "@channel",
    "<b>bold</b>",
    "<script>alert(1)</script>",
    "[link](https://x)",
    "'; DROP TABLE members; --",
    "1' OR '1'='1",
    "\\x00",
    "%s%s%n",
    "{0}{1}",
    "${jndi:ldap://x}",
    "Robert'); DELETE FROM votes;--",
]

# Mixed scripts and invisible characters: Arabic, Hebrew, CJK, Devanagari, combining marks,
# right-to-left and bidi overrides, zero-width characters, emoji with joiners.
SCRIPTS = [
    "مرحبا",
    "اجتماع",
    "שלום",
    "会议",
    "委員会",
    "회의",
    "बैठक",
    "ç̧̀",
    "e\u0301\u0302\u0303",
    "Z\u0351\u0327\u0336",
    "\u200f",
    "\u200e",
    "\u202eevil\u202c",
    "\u2066isolate\u2069",
    "\u200b",
    "\u200d",
    "\u2060",
    "\ufeff",
    "🙂",
    "👩\u200d👩\u200d👧",
    "🏳️\u200d🌈",
    "🇰🇪",
    "\U0001f9d1\U0001f3fd\u200d\U0001f4bb",
]

# Control characters that commands refuse (tab, newline and carriage return are whitespace).
CONTROLS = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]

# Examples per property; raise it for a longer hunt (`PNBOT_FUZZ_EXAMPLES=2000`).
MAX_EXAMPLES = int(os.environ.get("PNBOT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz_on(app) -> settings:
    """FUZZ on the bot's SQLite file; half its examples on PostgreSQL, where each costs several
    times more."""
    if app.engine.dialect.name == "sqlite":
        return FUZZ
    return settings(FUZZ, max_examples=max(1, MAX_EXAMPLES // 2))


# One word of text with no whitespace of any kind in it: stored and echoed exactly as typed.
_DENSE = st.characters(
    blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters='"“”„«»'
)
dense_word = st.one_of(
    st.sampled_from(INJECTIONS).filter(lambda w: " " not in w),
    st.sampled_from(SCRIPTS),
    st.text(_DENSE, min_size=1, max_size=12),
).filter(lambda w: "=" not in w and not any(c.isspace() for c in w))


def dense_phrase(max_words: int = 12):
    """Words of hostile text joined by single spaces (so commands keep them verbatim)."""
    return st.lists(dense_word, min_size=1, max_size=max_words).map(" ".join)


def oversized(size: int = 40_000):
    """A message of exactly `size` characters built from hostile pieces."""
    piece = st.lists(
        st.sampled_from(INJECTIONS + SCRIPTS + ["apologies I can't make the call", " "]),
        min_size=1,
        max_size=6,
    ).map("".join)
    return piece.map(lambda p: (p * (size // max(len(p), 1) + 1))[:size])


# Anything at all: arbitrary Unicode (control characters included), hostile pieces, or both.
any_text = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.one_of(
            st.sampled_from(INJECTIONS + SCRIPTS + CONTROLS + ['"', "“", "=", "\n", "\t"]),
            st.text(max_size=8),
        ),
        max_size=20,
    ).map(" ".join),
    oversized(),
)


class Tally:
    """How many inputs the fuzz tests tried, by test, printed at the end of the session."""

    def __init__(self) -> None:
        self.tried: Counter[str] = Counter()

    def add(self, name: str) -> None:
        self.tried[name] += 1

    @property
    def total(self) -> int:
        return sum(self.tried.values())
