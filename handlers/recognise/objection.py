"""Objections in chat: a reply in an outreach announcement's thread that objects to it ("I
object", "-1, …", "objection: …", "I'm not comfortable with this because …", "je m'oppose",
"me opongo", "no estoy de acuerdo porque …").

After the engine's prefilter and cues (`engine`), one objection expression counts unless it is
asked ("any objections?"), conditional ("I'd object if …", the language's ``conditional``),
negated or withdrawn (one of ``negated_before`` among the three words before it: "no
objection", "pas d'objection"; ``negated_after`` right after it: "objection withdrawn", or a
reply to an objector: "I disagree with your concerns"), someone else's (``reported``: "she
said", a quotation, "Ana is not comfortable") or talk about the procedure (``procedural``,
a legend of the vote symbols, a poll's choices "👍/👎", a symbol defined, "-1 = disapprove",
or glossing a word, "a negative vote (-1)"; a vote the cue casts as the writer's own, "I am -1
until we get some rules", stands beside a procedure named) or asked about (a question mark
alone after a quoted sentence). Looser cues (``unsure``: "I can't support this", "👎", "+1 to
Ana's objection", "pas favorable", and the implicit noes: "no from me", "NAK", "count me as
against", "retirer notre participation", "I ask that we do not send anyone", "not in my name",
"I refuse.", "je pense qu'on ne doit pas y aller", asking that the going be suspended,
indignation at going) and an objection to a detail of what the writer otherwise accepts
(``partial``: "… but otherwise fine") are asked about, never recorded outright. An objection to
something else in the thread ("I object to the font size") is read as one: a missed objection
costs more than one its writer withdraws. The reason is the text after ":", a dash, a comma
right behind the objection, or one of the languages' ``reason_markers`` ("because", "car",
"porque"), up to the end of the sentence. Words several languages share ("-1", "objection", in
`common.toml`) take the language whose ``guess_words`` the message uses most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from handlers.recognise import engine
from handlers.recognise.tables import LANGUAGES, SHARED_OBJECTING, Objecting, cues_of


@dataclass(frozen=True)
class ObjectionReading:
    language: str
    reason: str | None  # the stated reason, trimmed, <= 300 chars, or None
    # "sure": a full pattern; "ask": a looser cue ("I can't support this", "👎"), to be
    # confirmed by the writer before anything is recorded
    confidence: str = "sure"
    cue: str | None = field(default=None, compare=False)


TABLES = (*(lang.objecting for lang in LANGUAGES), SHARED_OBJECTING)
# the expressions, looser cues, and the scans that tell ordinary chat there is nothing to read
EXPRESSIONS, PREFILTER, UNSURE, UNSURE_PREFILTER, ANY_PREFILTER, GATE = cues_of(
    [(table, "objection", table.expressions) for table in TABLES], TABLES
)
_REASON = re.compile(
    r"(?:,\s*)?\b(?:"
    + "|".join(lang.reason_markers for lang in LANGUAGES)
    + r")\s*|\s*:\s*|\s+[-—–]+\s+|\s*[—–]\s*|,\s+",
    re.IGNORECASE,
)
_REASON_END = engine.NAME_SENTENCE_END
_MAX_REASON = 300


def might_be_objection(text: str) -> bool:
    """Whether `text` contains any objection expression at all (the cheap first test)."""
    return PREFILTER.search(text) is not None


def recognise(text: str) -> ObjectionReading | None:
    """Read `text`, a reply to an outreach announcement, as an objection to it, or None."""
    return engine.read_message(text, None, None, lambda part, _, __: _recognise(part), GATE)


def _recognise(text: str) -> ObjectionReading | None:
    if not ANY_PREFILTER.search(text):
        return None
    original = text
    text = engine.normalise(text)
    if might_be_objection(original):
        for objecting, _, match in engine.cues(text, EXPRESSIONS, None, PREFILTER):
            if _objects(text, objecting, match):
                language = objecting.code or _guess_language(text)
                reason = _objection_reason(text, original, match.end())
                return ObjectionReading(
                    language,
                    reason,
                    confidence="ask" if _partial(text, match) else "sure",
                    cue=original[match.start() : match.end()],
                )
    if UNSURE_PREFILTER is None or not UNSURE_PREFILTER.search(original):
        return None
    for objecting, _, match in engine.cues(text, UNSURE, None, UNSURE_PREFILTER):
        if _objects(text, objecting, match):
            language = objecting.code or _guess_language(text)
            return ObjectionReading(
                language,
                _objection_reason(text, original, match.end()),
                confidence="ask",
                cue=original[match.start() : match.end()],
            )
    return None


def _objects(text: str, objecting: Objecting, match: re.Match[str]) -> bool:
    """Not negated, withdrawn, asked or conditional."""
    clause_start, clause_end = engine.span(engine.CLAUSE_END, text, match.start(), match.end())
    if text[clause_end : clause_end + 1] == "?" or "¿" in text[clause_start : match.start()]:
        return False
    if _QUESTION_AFTER.match(text, clause_end):
        return False  # a quotation asked about: 'what do you answer to\n  "… -1 from me."\n?'
    if objecting.conditional.search(text, clause_start, clause_end):
        return False
    if objecting.reported and objecting.reported.search(text, clause_start, match.start()):
        return False  # "she said 'I object'": someone else's objection, or a quotation
    if engine.inside_quotes(text, match.start()):
        return False  # 'members say "No, don't go"': words quoted from someone else
    if (
        objecting.procedural
        and objecting.procedural.search(text, clause_start, clause_end)
        and not (objecting.own and objecting.own.search(text, match.start(), match.end()))
    ):
        return False  # "the deadline for objections is the 15th"
    if _in_legend(text, match):
        return False  # "|Block|:thumbsdown:|", "👎 (:-1:): Signifies disagreement"
    before = objecting.token.findall(text[clause_start : match.start()].lower())[-3:]
    if any(word in objecting.negated_before for word in before):
        return False
    return not objecting.negated_after.match(text, match.end(), clause_end)


# the sentence closed, then a question mark alone: the words were quoted to be asked about
_QUESTION_AFTER = re.compile(r"[.!]?[ \t]*\n\s*\?")


# "… but otherwise fine" in any language: an objection to a detail is asked about
_PARTIALS = tuple(lang.objecting.partial for lang in LANGUAGES if lang.objecting.partial)


def _partial(text: str, match: re.Match[str]) -> bool:
    start, end = engine.span(engine.SENTENCE_END, text, match.start(), match.end())
    return any(partial.search(text, start, end) for partial in _PARTIALS)


def _in_legend(text: str, match: re.Match[str]) -> bool:
    """Whether the cue stands in a table row, or is glossed right after it: a legend of the
    vote symbols explains them and casts none."""
    line_start = text.rfind("\n", max(0, match.start() - engine.WINDOW), match.start()) + 1
    if text[line_start : match.start()].lstrip(" \t").startswith("|"):
        return True
    if (
        text[line_start : match.start()].rstrip(" ").endswith("/")
        or text[match.end() : match.end() + engine.WINDOW].lstrip(" ")[:1] == "/"
    ):
        return True  # the choices of a poll: "should we move it? 👍/👎"
    if (
        text[line_start : match.start()].rstrip(" ").endswith("(")
        and re.search(r"\w\s*\($", text[line_start : match.start()].rstrip(" "))
        and text[match.end() : match.end() + 2].lstrip(" ")[:1] == ")"
    ):
        return True  # a symbol glossing the words before it: "a negative vote (-1) halts it"
    legend = SHARED_OBJECTING.legend
    return legend is not None and legend.match(text, match.end()) is not None


def _objection_reason(text: str, original: str, pos: int) -> str | None:
    end_match = _REASON_END.search(text, pos, pos + engine.WINDOW * 2)
    end = end_match.start() if end_match else min(len(text), pos + engine.WINDOW * 2)
    marker = _REASON.search(text, pos, end)
    if not marker:
        return None
    reason = original[marker.end() : end].strip(" \t,.;:!—–-")
    if not reason:
        return None
    return reason[:_MAX_REASON].rstrip() or None


def _guess_language(text: str) -> str:
    words = re.findall(r"\w+'?", text.lower())
    scores = {
        lang.code: sum(word in lang.objecting.guess_words for word in words) for lang in LANGUAGES
    }
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] > 0 else LANGUAGES[0].code
