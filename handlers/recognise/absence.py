"""Availability notices in chat: a member saying that *they* will not attend a group meeting
("apologies, I can't make the 9 December call", "je ne pourrai pas assister à la réunion du 9",
"no podré asistir a la sesión del martes").

After the engine's prefilter and cues (`engine`), one absence expression is read in four steps:

1. The writer's own. The clause before the expression holds no hedge, conditional or report
   (``blocked_before``: "if I can't", "she said", "I suggest we skip") and is no question; the
   clause is no group decision about the meeting (``collective``: "we'll skip the December
   call"), and no list of other people follows the cue ("Regrets: @ana"). French and Spanish verbs
   show the person; English ones do not, so there the word right before the expression
   (skipping ``adverbs``) must be one of the language's ``self_words`` ("I", "we", "my",
   "sorry"). A name there ("Maria can't make the call on Wednesday"), or before a ``third``
   person expression ("Marie ne pourra pas venir jeudi"), makes apologies passed on for someone
   named, as "Ana sends her apologies" does: never filed, the writer is asked (`_passed_on`).
2. Its object. The words right after the expression are read token by token: ``skippable``
   words are skipped, and the object must reach a ``meeting`` noun or a date phrase; any other
   word stops it ("can't make *sense*") unless it qualifies a meeting noun one word on ("the
   *PN* call"); ``not_qualifiers`` never do ("make *a* call"). A verb with no object at all is
   a notice when its sentence mentions a meeting or a date, and, when nothing in the message
   does ("I also have a conflict."), a reply to the meeting's reminder, recorded for the next
   meeting; an ``apology`` or ``elsewhere`` expression always needs its object; being
   ``elsewhere`` counts only during a meeting. Arriving ``late``, a ``hedged`` absence ("I may
   not be available"), an engagement and "this time" or "that day" (a day only the
   conversation knows) are asked about, never recorded outright.
3. The reason: what follows a ``reason`` marker, or for English a reason stated without one
   (``stated_reason``: "..., I'm travelling to the IGF").
4. The date: phrases located by the language's ``dates`` in the notice's object first, else in
   its sentence, read by `date_phrases.read` (see its conventions); "this morning" written after
   noon (``earlier_today``) is past, and so is a notice the writer takes back in its sentence
   (``still_attends``: "… but will make it to the meeting"); a date right after
   ``until`` ends an absence, not a meeting; a notice whose dates are all past is none;
   "the next meeting" with no date is ``next_meeting``; a ``week`` ("next week") is a
   ``period`` from its Monday to its Sunday, bound to the meeting held in it. A message that is
   only an apology (``lone``: "Regrets.") is asked about for the next meeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from handlers import date_phrases
from handlers.recognise import engine
from handlers.recognise.tables import LANGUAGES, Absence, cues_of


@dataclass(frozen=True)
class AvailabilityReading:
    language: str  # the language's code ("en", "fr", "es")
    when: date | None  # the date meant, in the writer's time zone; None if no date given
    next_meeting: bool  # "the next meeting/call", "next session" with no explicit date
    ambiguous: bool  # a date phrase is there but resolves to no single date
    reason: str | None  # the stated reason if any, else None
    # "sure": a full pattern; "ask": a looser cue with a date or "the next meeting", to be
    # confirmed by the writer before anything is recorded
    confidence: str = "sure"
    cue: str | None = field(default=None, compare=False)  # the words that made it a notice
    # an absence over days with no meeting day named ("OOO Dec 7-11"): its first and last
    # days; the writer is asked about the meeting held inside it
    period: tuple[date, date] | None = None
    # apologies passed on for someone named ("Ana sends her apologies"): the name. The bot
    # cannot file them for Ana; it asks the writer whether to tell the secretariat
    on_behalf: str | None = None


TABLES = tuple(lang.absence for lang in LANGUAGES)
# the expressions, looser cues (read only when no expression made a notice: a notice to ask
# about), and the scans that tell ordinary chat there is nothing to read
EXPRESSIONS, PREFILTER, UNSURE, UNSURE_PREFILTER, ANY_PREFILTER, GATE = cues_of(
    [(lang, kind, source) for lang in TABLES for kind, source in lang.expressions.items()], TABLES
)
_MAX_REASON = 200
# a time of day, or a time zone, after a date ("Tue 2pm UTC", "le 9 à 14h")
_TIME = re.compile(r"^(?:\d{1,2}(?:[:.h]\d{2})?(?:am|pm|h)?|utc|gmt|cet|cest|est|edt|pst|pdt)$")
# right after a cue: a list of people named by handle ("Regrets: @ana, @ben"), not the writer
_OTHERS = re.compile(r"[ \t]*:?[ \t]*@\w")
# right after a cue and a colon: the first word listed ("Regrets: Jeff")
_LISTED = re.compile(r"[ \t]*:[ \t]*([\w'-]+)")
_SYMBOL = re.compile(r"[^\w\s'’.,;:!?()-]")
# a sentence naming this many different date phrases names no single day: no more go to
# dateparser (see `date_phrases.read`)
_MAX_DATES = 6
# periods read in one sentence at most (each costs dateparser one or two parses)
_MAX_PERIODS = 3
_PASSED_ON = ("passed_on", "sends")
_WORD = re.compile(r"@?[\w'-]+")  # a word or a handle, in a name
# the "next meeting" phrases that point back at a day named earlier in the conversation
_VAGUE = re.compile(
    r"this\s+time|that\s+(?:day|date)|(?:esa|dicha)\s+fecha|ese\s+d[íi]a|cette\s+date"
    r"|ce\s+jour-l[àa]",
    re.IGNORECASE,
)
# each language's periods as one regex (their group names dropped), so a sentence without any
# costs one search, not one a period
_ANY_PERIOD = {
    lang.code: re.compile(
        "|".join(re.sub(r"\(\?P<\w+>", "(?:", p.pattern) for p in lang.periods), re.IGNORECASE
    )
    for lang in TABLES
    if lang.periods
}


def might_be_notice(text: str) -> bool:
    """Whether `text` contains any absence expression at all (the cheap first test)."""
    return PREFILTER.search(text) is not None


def recognise(text: str, at: datetime, tz: str) -> AvailabilityReading | None:
    """Read `text`, written at `at` by someone in zone `tz`, as an availability notice, or None."""
    return _lone(text) or engine.read_message(text, at, tz, _recognise, GATE)


# a message this short or shorter may be an apology alone ("Regrets.")
_LONE_MAX = 20


def _lone(text: str) -> AvailabilityReading | None:
    """A message that is only an apology ("Regrets."), asked about for the next meeting."""
    if len(text) > _LONE_MAX:
        return None
    for lang in TABLES:
        if lang.lone and lang.lone.fullmatch(text.strip()):
            return AvailabilityReading(lang.code, None, True, False, None, "ask", text.strip())
    return None


def _recognise(text: str, base: datetime, budget: date_phrases.Budget):
    if not ANY_PREFILTER.search(text):
        return None
    if any(lang.auto_reply and lang.auto_reply.match(text) for lang in TABLES):
        return None  # "Out of office: … until 7 December": a program wrote it, not the member
    if any(lang.minutes and lang.minutes.match(text) for lang in TABLES):
        return None  # "Minutes of the December call … Apologies: Gilly": a report
    if not might_be_notice(text):
        return _unsure(text, base, budget) if might_be_unsure(text) else None
    text = engine.normalise(text)
    unsure = None  # a notice to ask about gives way to a sure one later in the message
    seen: dict[str, bool] = {}
    for lang, kind, match in engine.cues(text, EXPRESSIONS, budget, PREFILTER):
        reading = _read(text, lang, kind, match, base, budget, seen)
        if reading is not None and reading.confidence == "sure":
            return replace(reading, cue=match.group(0))
        if reading is not None and unsure is None:
            unsure = replace(reading, cue=match.group(0))
    if unsure is not None:
        return unsure
    return _unsure(text, base, budget) if might_be_unsure(text) else None


def might_be_unsure(text: str) -> bool:
    """Whether `text` holds any looser cue ("my absence", "OOO") at all."""
    return UNSURE_PREFILTER is not None and UNSURE_PREFILTER.search(text) is not None


def _unsure(text: str, base: datetime, budget: date_phrases.Budget):
    """A looser cue said by the writer in a sentence that names one date or the next meeting:
    a notice to ask the writer about ("Please note my absence on the 8th")."""
    text = engine.normalise(text)
    for lang, _, match in engine.cues(text, UNSURE, budget, UNSURE_PREFILTER):
        sentence_start, sentence_end = engine.span(
            engine.SENTENCE_END, text, match.start(), match.end()
        )
        budget.charge(sentence_end - sentence_start)
        clause_start, clause_end = engine.span(engine.CLAUSE_END, text, match.start(), match.end())
        if not _writer_states_it(text, lang, match, clause_start, clause_end):
            continue
        if lang.still_attends and lang.still_attends.search(text, match.end(), sentence_end):
            continue
        # what follows the cue names a meeting or a date, or nothing ("... me es imposible");
        # an emoji or a symbol ends it ("can't do the 8th 😞"), another noun does not ("can't
        # make any promises", "miss the deadline")
        symbol = _SYMBOL.search(text, match.end(), clause_end)
        verdict = _object(text, lang, match.end(), symbol.start() if symbol else clause_end)
        if verdict == "fail":
            # "I will be on vacation off the grid, and without Internet from December 30th
            # through January 14th": away, over days that the sentence names
            periods, _ = _periods(text, lang, match.end(), sentence_end, base, budget)
            if periods and _writer_states_it(text, lang, match, clause_start, clause_end):
                return AvailabilityReading(
                    lang.code, None, False, False, None, "ask", match.group(0), periods[0]
                )
        if verdict not in ("object", "bare"):
            continue
        if lang.unsure_self and not lang.unsure_self.search(text, sentence_start, sentence_end):
            continue
        periods, dated = _periods(text, lang, sentence_start, sentence_end, base, budget)
        # the cue's own clause first: "out of town on Tuesday (1/12), so I'll send my comments
        # on Monday (1/11)"
        stretch = (match.end(), clause_end)
        when, ambiguous, past = _dates(dated, *stretch, base, lang, budget)
        if when is None or ambiguous or past:
            stretch = (sentence_start, sentence_end)
            when, ambiguous, past = _dates(dated, *stretch, base, lang, budget)
        if when is None and not past and periods:
            # "I'm away from 7 to 11 December": the meeting inside the absence
            return AvailabilityReading(
                lang.code, None, False, False, None, "ask", match.group(0), periods[0]
            )
        if (
            past
            or ambiguous
            or _earlier_today(text, lang, sentence_start, sentence_end, base, when)
        ):
            continue
        said = lang.next_meeting.search(text, sentence_start, sentence_end)
        # "ce jour-là", "this time" point back at a day only the conversation knows
        next_meeting = when is None and said is not None and not _VAGUE.fullmatch(said.group(0))
        if when is None and not next_meeting:
            continue
        week = _week(dated, lang, *stretch, when)
        return AvailabilityReading(
            lang.code,
            None if week else when,
            next_meeting,
            False,
            None,
            confidence="ask",
            cue=match.group(0),
            period=week,
        )
    return None


def _periods(
    text: str, lang: Absence, start: int, end: int, base: datetime, budget: date_phrases.Budget
) -> tuple[list[tuple[date, date]], str]:
    """The absences over days named in text[start:end] that are not over (first first), and
    `text` with their phrases blanked out (one space a character), so that no day inside them
    is read as the meeting's: "away from 7 to 11 December" names no meeting on the 11th."""
    if not lang.periods or not _ANY_PERIOD[lang.code].search(text, start, end):
        return [], text
    spans: list[tuple[int, int, re.Match[str]]] = []
    for pattern in lang.periods:
        for found in pattern.finditer(text, start, end):
            if not any(s < found.end() and found.start() < e for s, e, _ in spans):
                spans.append((found.start(), found.end(), found))
            if len(spans) >= _MAX_PERIODS:
                break
        if len(spans) >= _MAX_PERIODS:
            break
    if not spans:
        return [], text
    spans.sort(key=lambda item: item[0])
    periods = []
    for _, _, found in spans:
        period = date_phrases.read_period(found, base, lang, lang.period_day_month, budget)
        if period is not None:
            periods.append(period)
    blanked = list(text[start:end])
    for s, e, _ in spans:
        blanked[s - start : e - start] = " " * (e - s)
    return periods, text[:start] + "".join(blanked) + text[end:]


def _read(
    text: str,
    lang: Absence,
    kind: str,
    match: re.Match[str],
    base: datetime,
    budget: date_phrases.Budget,
    seen: dict[str, bool] | None = None,
) -> AvailabilityReading | None:
    seen = {} if seen is None else seen
    sentence_start, sentence_end = engine.span(
        engine.SENTENCE_END, text, match.start(), match.end()
    )
    budget.charge(sentence_end - sentence_start)
    clause_start, clause_end = engine.span(engine.CLAUSE_END, text, match.start(), match.end())
    if kind in _PASSED_ON:
        return _passed_on(text, lang, kind, match, base, budget, seen)
    if kind == "third" or not _writer_states_it(text, lang, match, clause_start, clause_end):
        # "@skade will not be available for this meeting", "Ana can't make it on Thursday",
        # "Marie ne pourra pas venir jeudi": someone named, for whom the writer may pass
        # apologies on (the writer is asked)
        if kind == "third":
            name = _name_before(text, lang, clause_start, match.start())
        else:
            name = _named_subject(text, lang, kind, match, clause_start)
        if name is None:
            return None
        verdict = _object(text, lang, match.end(), clause_end, match.group(0))
        if verdict == "object" or (
            verdict == "bare" and _has_context(text, lang, sentence_start, sentence_end)
        ):
            return _passed_on(text, lang, kind, match, base, budget, seen, name)
        return None

    verdict = _object(text, lang, match.end(), clause_end, match.group(0))
    if verdict == "fail" and kind in ("verb", "absent", "hedged"):
        # "I won't be available pretty much all of January": no full pattern, but an absence
        # over days follows in the clause; the writer is asked about the meeting inside it
        periods, _ = _periods(text, lang, match.end(), clause_end, base, budget)
        if periods:
            return AvailabilityReading(
                lang.code, None, False, False, None, "ask", match.group(0), periods[0]
            )
    if verdict == "fail" and kind == "commitment":
        verdict = "bare"  # "j'ai un engagement familial pris depuis longtemps": the day counts
    if verdict in ("fail", "past"):
        return None
    if (
        kind != "late"
        and lang.still_attends
        and lang.still_attends.search(text, match.end(), sentence_end)
    ):
        # "I will miss the morning session but will make it to the meeting" (arriving late,
        # the writer comes: "un quart d'heure de retard, mais je viendrai")
        return None
    confidence = "sure"
    if verdict == "bare" and kind == "apology" and _names_a_coming_meeting(text, lang, seen):
        # "Veuillez faire agréer mes excuses au groupe", the meeting named in another sentence:
        # the writer is asked whether it is an apology for the next meeting, or for the one day
        # its sentence names ("convocada la reunión del jueves 10 …, extiendo mis excusas")
        when, ambiguous, past = _dates(text, sentence_start, sentence_end, base, lang, budget)
        when = None if ambiguous or past else when
        return AvailabilityReading(
            lang.code, when, when is None, False, None, confidence="ask", cue=match.group(0)
        )
    if verdict == "bare" and kind in ("apology", "elsewhere"):
        return None
    if kind == "commitment" and not _has_context(text, lang, sentence_start, sentence_end):
        return None  # an engagement on no day named: nothing to ask
    if verdict == "bare" and not _has_context(text, lang, sentence_start, sentence_end):
        # "I can't make it.", with the meeting or its day named elsewhere in the message, or
        # nowhere: the writer is asked about the next one (in a room, "I also have a conflict"
        # may answer the meeting's reminder or anything else said there)
        confidence = "sure" if _message_has_context(text, lang, seen) else "ask"
    # being elsewhere is an absence only during a meeting: "on a plane during the call"
    if kind == "elsewhere" and not lang.meeting.search(text, match.end(), clause_end):
        return None

    reason, reason_start = _reason(text, lang, match.end(), sentence_end)
    if reason is None and lang.stated_reason is not None:
        reason, reason_start = _stated_reason(
            text, lang.stated_reason, match.end(), sentence_end, reason_start
        )
    periods, dated = _periods(text, lang, sentence_start, sentence_end, base, budget)
    # the notice's own object names the meeting's day: "OOO Dec 7-11, so I'll miss the 8th"
    stretch = (match.end(), max(match.end(), reason_start))
    when, ambiguous, past = _dates(dated, *stretch, base, lang, budget)
    if (
        (when is None or ambiguous or past)
        and periods
        and confidence == "sure"
        and not lang.next_meeting.search(text, match.end(), max(match.end(), reason_start))
    ):
        # "I'm out of town from March 5-10 and won't be joining the call": the meeting is the
        # one inside the absence, which only the schedule knows; the writer is asked
        return AvailabilityReading(
            lang.code, None, False, False, reason, "ask", match.group(0), periods[0]
        )
    if when is None or ambiguous or past:
        stretch = (sentence_start, reason_start)
        when, ambiguous, past = _dates(dated, *stretch, base, lang, budget)
    if past or _earlier_today(text, lang, sentence_start, sentence_end, base, when):
        return None
    said = lang.next_meeting.search(text, sentence_start, reason_start)
    next_meeting = when is None and not ambiguous and said is not None
    if next_meeting and _VAGUE.fullmatch(said.group(0)):
        # "can't make it this time", "no podré estar para esa fecha": the meeting is the one
        # the conversation is about, most often the next; the writer is asked
        confidence = "ask"
    if confidence == "ask" and (when is not None or ambiguous):
        return None  # a date said outside the notice's sentence, with no meeting: unclear
    if kind in ("late", "noted", "commitment", "hedged") or (
        lang.hedge_before and lang.hedge_before.search(text, clause_start, match.start())
    ):
        # part of the meeting missed, not all of it, an absence to be noted, or one the
        # writer is unsure of ("I'll probably miss it"): the writer says whether it is one
        confidence = "ask"
    week = _week(dated, lang, *stretch, when)
    if week is not None:
        # "I won't be at the call next week": the meeting held that week, whichever its day
        return AvailabilityReading(
            lang.code, None, False, False, reason, confidence, match.group(0), week
        )
    return AvailabilityReading(
        lang.code,
        when,
        next_meeting or (confidence == "ask" and when is None),
        ambiguous,
        reason,
        confidence,
    )


def _week(text: str, lang: Absence, start: int, end: int, when: date | None):
    """Monday and Sunday of the week of `when` when every date phrase in text[start:end]
    names a whole week ("next week", "cette semaine"), else None."""
    if lang.week is None or when is None:
        return None
    found = [m.group(0).strip() for m in lang.dates.finditer(text, start, end)]
    if not found or not all(lang.week.match(phrase) for phrase in found):
        return None
    monday = when - timedelta(days=when.weekday())
    return monday, monday + timedelta(days=6)


def _dates(
    text: str, start: int, end: int, base: datetime, lang: Absence, budget: date_phrases.Budget
):
    """The date the stretch [start, end) of `text` names, as `date_phrases.read` reads it
    with this reader's limits: (date, ambiguous, past)."""
    return date_phrases.read(
        text,
        start,
        end,
        base,
        lang,
        until=lang.until,
        max_phrases=_MAX_DATES,
        budget=budget,
        week=lang.week,
    )


def _writer_states_it(
    text: str, lang: Absence, match: re.Match[str], clause_start: int, clause_end: int
) -> bool:
    """Not a question, conditional or hedge, and (in English) said by the writer themselves."""
    before = text[clause_start : match.start()]
    if lang.blocked_before.search(before) or lang.blocked_before.search(match.group(0)):
        return False
    if lang.collective and lang.collective.search(text, clause_start, clause_end):
        return False  # "We'll skip the December call": the group decides, nobody is away
    if _OTHERS.match(text, match.end()):
        return False  # "Regrets: @ana, @ben": other people's apologies, listed
    listed = _LISTED.match(text, match.end())
    if listed and _is_name(listed.group(1), lang):
        return False  # "Regrets: Jeff" in minutes
    asked = text[clause_end : clause_end + 1] == "?"
    if lang.self_words is None:
        # French and Spanish expressions carry the first person in the verb itself
        return not asked
    # dates and punctuation say nothing about who is absent ("tomorrow I can't make it")
    words = [
        w.lower()
        for w in lang.token.findall(lang.dates.sub(" ", before))
        if any(c.isalpha() for c in w)
    ]
    while words and words[-1] in lang.adverbs:
        words.pop()
    if not words:
        return not asked
    if asked:
        # only "could you pass on my apologies?" is a notice phrased as a question
        return words[-1] in ("my", "our")
    return words[-1] in lang.self_words


def _object(text: str, lang: Absence, pos: int, clause_end: int, cue: str = "") -> str:
    """What follows the expression `cue`: "object" (a meeting or date), "bare", "fail" or
    "past"."""
    past = False
    for _ in range(12):  # objects are short; never walk a long message
        while pos < clause_end and text[pos].isspace():
            pos += 1
        if pos >= clause_end:
            return "past" if past else "bare"
        if any(pattern.match(text, pos) for pattern in lang.periods):
            return "past" if past else "object"  # "away from 7 to 11 December", "until the 15th"
        date_match = lang.dates.match(text, pos)
        if date_match:
            if past or _is_past_word(lang, date_match.group(0)):
                return "past"
            return (
                "object" if _date_ends_object(text, lang, date_match.end(), clause_end) else "fail"
            )
        if lang.meeting.match(text, pos) or lang.next_meeting.match(text, pos):
            return "past" if past else "object"
        if _starts_reason(text, lang, pos, clause_end):
            # "I can't make it because …", "no puedo ir por temas personales"
            return "past" if past else "bare"
        token = lang.token.match(text, pos)
        word = token.group(0).lower() if token else ""
        if word in lang.object_ends:
            return "past" if past else "bare"  # "my apologies to the group and ..."
        if word in lang.past:
            past = True
        elif (
            word not in lang.skippable
            # English possessives qualify the meeting ("this month's call")
            and not (lang.possessive and word.endswith(lang.possessive))
            and not _qualifies_meeting(
                text, lang, word, token.end() if token else pos + 1, clause_end, cue
            )
        ):
            return "fail"
        pos = token.end() if token else pos + 1
    return "fail"


def _qualifies_meeting(
    text: str, lang: Absence, word: str, pos: int, clause_end: int, cue: str = ""
) -> bool:
    """Whether `word`, ending at `pos`, qualifies a meeting noun that follows within one more
    word: "the *PN* call", "the *board* meeting", "attend *a* call", but not "make *a* call"
    nor "miss *your* call"."""
    if word in lang.not_qualifiers and (
        lang.determiner_verbs is None
        or not cue.split()
        or cue.split()[-1].lower() in lang.determiner_verbs
        or word not in lang.determiners
    ):
        return False
    for _ in range(2):
        while pos < clause_end and text[pos].isspace():
            pos += 1
        if pos >= clause_end:
            return False
        if lang.meeting.match(text, pos):
            return True
        token = lang.token.match(text, pos)
        if token is None or not token.group(0)[0].isalnum():
            return False
        pos = token.end()
    return False


def _date_ends_object(text: str, lang: Absence, pos: int, clause_end: int) -> bool:
    """In English a date can qualify another noun: "the 9 December call" but "... deadline"."""
    if lang.after_date is None:
        return True  # French and Spanish put the date after the noun ("la réunion du 9")
    for _ in range(4):  # "Monday's subgroup meeting": modifiers may come before the noun
        while pos < clause_end and text[pos].isspace():
            pos += 1
        if pos >= clause_end or lang.meeting.match(text, pos):
            return True
        token = lang.token.match(text, pos)
        word = token.group(0).lower() if token else ""
        if word in lang.after_date:
            return True
        if _TIME.match(word) or word in ("(", ")"):
            continue_at = token.end() if token else pos + 1
            # a time or a date in brackets after the day: "Tue 2pm UTC", "Tuesday (1/12)"
            following = lang.dates.match(text, continue_at)
            pos = following.end() if following else continue_at
            continue
        if word not in lang.skippable:
            return False
        pos = token.end()
    return False


def _starts_reason(text: str, lang: Absence, pos: int, clause_end: int) -> bool:
    """Whether a reason marker (a word: "because", "car", "por") starts at `pos`."""
    marker = lang.reason.match(text, pos, clause_end)
    return marker is not None and text[pos].isalpha()


def _is_past_word(lang: Absence, phrase: str) -> bool:
    if lang.not_past and lang.not_past.search(phrase):
        return False  # "pasado mañana" is the day after tomorrow
    return any(word in lang.past for word in phrase.lower().split())


def _earlier_today(
    text: str, lang: Absence, start: int, end: int, base: datetime, when: date | None
) -> bool:
    """Whether the date read is this morning and the writer's morning is over: an apology for
    an absence already past ("excuser mon absence de ce matin" written at 15:00)."""
    return (
        when is not None
        and lang.earlier_today is not None
        and when == base.date()
        and base.hour >= 12
        and lang.earlier_today.search(text, start, end) is not None
    )


def _names_a_coming_meeting(text: str, lang: Absence, seen: dict[str, bool]) -> bool:
    """Whether the message names a meeting or a date and no word of it is past ("last",
    "hier"); worked out once a message and language (`seen`), however many cues ask."""
    key = f"coming {lang.code}"
    if key not in seen:
        said = lang.not_past.sub(" ", text) if lang.not_past else text  # "last minute"
        seen[key] = _message_has_context(text, lang, seen) and not any(
            word.lower() in lang.past for word in lang.token.findall(said)
        )
    return seen[key]


def _message_has_context(text: str, lang: Absence, seen: dict[str, bool]) -> bool:
    """`_has_context` over the whole message, worked out once a message and language."""
    if lang.code not in seen:
        seen[lang.code] = _has_context(text, lang, 0, len(text))
    return seen[lang.code]


def _has_context(text: str, lang: Absence, start: int, end: int) -> bool:
    """Whether the sentence mentions a meeting or a date at all."""
    return bool(lang.dates.search(text, start, end) or lang.meeting.search(text, start, end))


def _stated_reason(
    text: str, stated: re.Pattern[str], pos: int, sentence_end: int, stop: int
) -> tuple[str | None, int]:
    """A reason stated without a marker in the rest of the sentence or the very next one;
    (None, `stop`) when there is none."""
    found = stated.search(text, pos, min(len(text), sentence_end + 1))
    if found is None:
        following = stated.match(text, sentence_end)
        found = following if following and following.start() == sentence_end else None
    if found is None:
        return None, stop
    reason = found[1].strip(" \t,.;:!—–-")
    if not reason or reason.endswith("?"):
        return None, stop
    return reason[:_MAX_REASON].rstrip(), min(stop, found.start())


def _reason(text: str, lang: Absence, pos: int, sentence_end: int) -> tuple[str | None, int]:
    """The stated reason after the notice, and where the notice's own words stop."""
    marker = lang.reason.search(text, pos, sentence_end)
    if not marker:
        return None, sentence_end
    reason = text[marker.end() : sentence_end].strip(" \t,.;:!—–-")
    if not reason or reason.endswith("?"):
        # a trailing request ("— could someone take notes?") is no reason
        return None, marker.start()
    return reason[:_MAX_REASON].rstrip(), marker.start()


def _passed_on(
    text: str,
    lang: Absence,
    kind: str,
    match: re.Match[str],
    base: datetime,
    budget: date_phrases.Budget,
    seen: dict[str, bool],
    subject: str | None = None,
) -> AvailabilityReading | None:
    """Apologies a writer passes on for someone they name ("Ana sends her apologies for
    Thursday", "je vous prie d'accepter les excuses de Mme Lambert", or `subject`, named before
    an absence expression: "Ana can't make it on Thursday"): never filed as the writer's own,
    and never for the named member, whom only they or the secretariat may excuse; the writer
    is asked whether to pass them on to the secretariat."""
    sentence_start, sentence_end = engine.span(
        engine.SENTENCE_END, text, match.start(), match.end()
    )
    clause_start, _ = engine.span(engine.CLAUSE_END, text, match.start(), match.end())
    if subject is not None:
        name = subject
    elif kind in lang.name_before:
        name = _name_before(text, lang, clause_start, match.start())
    else:
        # a title's full stop may end the sentence found ("excuser M. Durand"): read on a little
        name = _name_after(text, lang, match.end(), min(len(text), match.end() + 60))
    if name is None:
        return None
    key = f"roll call {lang.code}"
    if key not in seen:
        seen[key] = bool(lang.roll_call and lang.roll_call.search(text))
    if seen[key]:
        return None  # "On today's call we have Olivier, Tijani. Apologies from Carlton."
    before = text[clause_start : match.start()]
    if kind in lang.name_before or subject is not None:
        before = before[: max(0, before.rfind(name.split()[0]))]
    if lang.blocked_before.search(before) or text[sentence_end : sentence_end + 1] == "?":
        return None
    said = text[sentence_start:sentence_end]
    if lang.not_past:
        said = lang.not_past.sub(" ", said)
    if any(word.lower() in lang.past for word in lang.token.findall(said)):
        return None  # "Ana sent her apologies last time"
    periods, dated = _periods(text, lang, sentence_start, sentence_end, base, budget)
    when, ambiguous, past = _dates(dated, sentence_start, sentence_end, base, lang, budget)
    if past or _earlier_today(text, lang, sentence_start, sentence_end, base, when):
        return None
    period = periods[0] if when is None and periods else None
    return AvailabilityReading(
        lang.code,
        when,
        when is None and period is None,
        False,
        None,
        "ask",
        match.group(0),
        period,
        on_behalf=name,
    )


def _named_subject(
    text: str, lang: Absence, kind: str, match: re.Match[str], clause_start: int
) -> str | None:
    """The person named right before an English absence expression, its subject ("Ana",
    "@skade", "Ana Pérez"; auxiliaries and adverbs skipped: "Ana will unfortunately not be
    available"); None for anyone else, and in languages whose verbs show the person."""
    if lang.self_words is None or kind not in ("verb", "absent"):
        return None
    words = _WORD.findall(text, clause_start, match.start())
    while words and words[-1].lower() in lang.adverbs:
        words.pop()
    if not words or not _is_name(words[-1], lang) or words[-1].lower() in lang.self_words:
        return None
    if len(words) > 1 and _is_name(words[-2], lang) and words[-2].lower() not in lang.adverbs:
        return f"{words[-2]} {words[-1]}"  # "Ana Pérez can't…"
    return words[-1]


def _is_name(word: str, lang: Absence) -> bool:
    """A person's name or handle as written: capitalised ("Ana", "Lambert") or "@ana"."""
    return (
        bool(word)
        and (word[0] == "@" and len(word) > 1 or word[0].isupper())
        and word.lower() not in lang.not_names
        and lang.dates.match(word) is None
        and lang.meeting.match(word) is None
    )


def _name_after(text: str, lang: Absence, pos: int, end: int) -> str | None:
    """The name right after `pos` (after a title: "M. Durand", "Sra. Pérez"), with a second
    capitalised word if there is one ("Ana Pérez")."""
    parts: list[str] = []
    for _ in range(5):
        while pos < end and text[pos].isspace():
            pos += 1
        token = re.compile(r"@?[\w'-]+\.?|\S").match(text, pos, end)
        if token is None:
            break
        word = token.group(0)
        bare = word.rstrip(".")
        if not parts and word.lower() in lang.titles or not parts and bare.lower() in lang.titles:
            pos = token.end()
            continue
        if not _is_name(bare, lang):
            break
        parts.append(bare)
        pos = token.end()
        if len(parts) == 2 or word.endswith("."):
            break
    return " ".join(parts) or None


def _name_before(text: str, lang: Absence, start: int, pos: int) -> str | None:
    """The name right before `pos`, within its clause: "Ana sends her apologies"."""
    words = re.findall(r"@?[\w'-]+", text[start:pos])
    if not words or not _is_name(words[-1], lang):
        return None
    if len(words) > 1 and _is_name(words[-2], lang) and len(words) > 2:
        return f"{words[-2]} {words[-1]}"  # "Ana Pérez sends…" (not "Thursday Ana")
    return words[-1]
