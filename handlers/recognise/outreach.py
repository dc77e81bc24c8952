"""Outreach announcements in chat: a member saying that *they* (or "we") will present, speak
about, represent or promote the group's work at an outside event, or take a role there ("I'll be
presenting our work at RightsCon on 5 May", "je présenterai nos travaux au FGI Afrique le 12
septembre", "voy a hablar del PN en la RightsCon"). The terms of reference let members do so
"upon informing the group".

After the engine's prefilter and cues (`engine`), one trigger is read in four steps:

1. The writer's own plan: no hedge, conditional or question (``blocked_before``, "?"); in a
   language whose verbs do not show the person (English) the words before the trigger,
   skipping ``auxiliaries``, must reach one of its ``subjects`` ("Ana and I will present"
   counts, "Maria will present" does not; an aside after the subject, "I (Nick) will", is
   skipped). A talk that is the purpose of the writer's own request for support (``purpose``:
   "my travel fund request for … speaking there") is asked about. A ``promote`` trigger needs
   the group's work as its object (``group_work``); an ``invited`` or ``invited_talk`` one is
   no plan when a question follows.
2. Event. Prepositional phrases in the sentence (``event_prep``) are cut at the next date,
   place, boundary or ``stop`` word and sorted into *named* events, *generic* ones ("an
   event"), *internal* ones ("our next call") and places ("in Lisbon": a capitalised run with
   no event word). A trigger counts when its sentence names an outside event or a place, or,
   for the ``role`` and ``invited_talk`` kinds, on its own; an internal audience alone makes
   it none.
3. Date: the sentence's phrases sorted by the language's ``dates`` groups and read by
   `date_phrases.read`; a range or a vague period is ``ambiguous``; past ones make it none.
4. The event and place are returned as written (typographic apostrophes included), trimmed; an
   article written as a word is kept ("la RightsCon"), one fused with its preposition is not
   ("au FGI Afrique" -> "FGI Afrique").

Attending is not announcing; wishes and offers ("I'd love to") are not announcements; an
invitation to the group ("we were invited to speak, who wants to go?") is none, and so is a
talk not settled yet (``unsettled``: "if accepted, …") or one quoted from someone else.

Lists: a heading over the writer's own talks (the ``talk_list`` kind: "Upcoming talks") is
asked about when its first item is dated and not past. A sentence ending with ":" over lines of
items reads its date from the first item, and
its event too when the sentence only points at the list (``list_pointer``: "these events:");
items that are bare verbs under the writer's "I will:" (``list_lead``) are the writer's plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from handlers import date_phrases, phrases
from handlers.recognise import engine
from handlers.recognise.tables import (
    LANGUAGES,
    Outreach,
    cues_of,
    shared_words,
    words_pattern,
)


@dataclass(frozen=True)
class OutreachReading:
    language: str  # the language's code
    event: str | None  # the event's name as written, trimmed; None if not said
    when: date | None  # the date of the appearance in the writer's zone; None if not said
    ambiguous: bool  # a date phrase is there but can't be resolved to one date
    place: str | None  # "in Lisbon", "à Genève" -> "Lisbon" / "Genève", else None
    # "sure": a full pattern; "ask": a looser cue with an outside event and one date, to be
    # confirmed by the writer before anything is recorded
    confidence: str = "sure"
    cue: str | None = field(default=None, compare=False)  # the words that made it an announcement


TABLES = tuple(lang.outreach for lang in LANGUAGES)
# the triggers, looser cues (read only when no trigger made an announcement: one to ask
# about), and the scans that tell ordinary chat there is nothing to read
TRIGGERS, PREFILTER, UNSURE, UNSURE_PREFILTER, ANY_PREFILTER, GATE = cues_of(
    [(lang, kind, source) for lang in TABLES for kind, source in lang.triggers.items()], TABLES
)

_UPPER = phrases.UPPER
# Characters an event or place name is made of; anything else (emoji, "!", quotes) ends it.
_NAME_END = re.compile(r"[^\w\s'’&+./-]|[,;:!?\n()—–]|\.(?=\s|$)|\s-\s")
# A place is a run of capitalised words ("Addis Ababa", "São Paulo", "Ciudad de México")
_PLACE = re.compile(
    rf"[{_UPPER}][\w'’.-]*(?:\s+(?:(?:{words_pattern('place_particles')})\s+)?[{_UPPER}][\w'’.-]*)*"
)
_PERSON = re.compile(rf"[{_UPPER}][^\W\d_]+")
_NAME_START = re.compile(rf"(?<![\w'’])[{_UPPER}]")
_CAPITALISED = re.compile(rf"(?:^|[\s'’(])[{_UPPER}]|\w[{_UPPER}]|\d")
# a month, a weekday, a language's name... is no place
_NOT_PLACE = re.compile(
    "^(?:"
    + "|".join(
        f"{f.vocabulary['month_full']}|{f.vocabulary['weekday']}" for f in phrases.languages()
    )
    + f"|{words_pattern('not_place')})$",
    re.IGNORECASE,
)
# "the/a … <event word>", and "this/ce/este … <event word>" pointing at an event just named
_DETERMINER = re.compile(
    rf"(?:{words_pattern('determiners')}|{words_pattern('event_pointers')})\b", re.IGNORECASE
)
# Markup and line breaks that cut no sentence: "**Nagios World Conference**" is bold, and
# "presenting at\nthe IGF" wraps where a preposition cannot end a sentence (one character for
# one, so positions hold)
# (a star against a word is emphasis; "* " opening a line is a list's bullet, and stays)
# (and a hashtag's "#": "#RightsCon")
_MARKUP = re.compile(r"[*`#]+(?=[^\W\d_])|(?<=[\w.!?])[*`]+")
_WRAPPED = re.compile(
    rf"\b(?:{words_pattern('wrap_words')})[ \t]*\n(?=[ \t]*[\w*_])", re.IGNORECASE
)
# small words of any of the languages: a phrase made only of these names nothing ("at the en")
_FUNCTION_WORDS = shared_words("function_words")
# a verb right before the trigger and joined to it: "co-facilitating/", "hosting and "
_JOINED_VERB = re.compile(r"(?:[\w-]+ing\s*(?:/|&|\band\b|\bor\b)|[\w-]+\s*/)\s*$", re.IGNORECASE)
_MAX_NAME = 120
_EVENT_BEFORE = 24  # characters before a preposition where an event word makes a name an event
# kinds that make an announcement with no event named: a role at one ("I'll be on a panel"), a
# talk the writer was invited to give
_ON_ITS_OWN = ("role", "invited_talk")
_MAX_PHRASES = 12
# a sentence naming this many different date phrases names no single day: no more go to
# dateparser (see `date_phrases.read`)
_MAX_DATES = 6


def might_be_outreach(text: str) -> bool:
    """Whether `text` contains any outreach trigger at all (the cheap first test)."""
    return PREFILTER.search(text) is not None


def recognise(text: str, at: datetime, tz: str) -> OutreachReading | None:
    """Read `text`, written at `at` by someone in zone `tz`, as an outreach announcement."""
    return engine.read_message(text, at, tz, _recognise, GATE)


def _recognise(text: str, base: datetime, budget: date_phrases.Budget):
    original = text
    if not ANY_PREFILTER.search(text):
        return None
    if not might_be_outreach(text):
        return _unsure(_unwrapped(engine.normalise(text)), original, base, budget)
    text = _unwrapped(engine.normalise(text))
    for lang, kind, match in engine.cues(text, TRIGGERS, budget, PREFILTER):
        reading = _read_outreach(text, original, lang, kind, match, base, budget)
        if reading is not None:
            return replace(reading, cue=match.group(0))
    return _unsure(text, original, base, budget)


def _unwrapped(text: str) -> str:
    """`text` without markup characters, and with a line break right after a preposition read
    as a space: one character for one, so positions hold in the original."""
    if "\n" in text:
        text = _WRAPPED.sub(lambda m: m.group(0).replace("\n", " "), text)
    return (
        _MARKUP.sub(lambda m: " " * len(m.group(0)), text)
        if ("*" in text or "`" in text or "#" in text)
        else text
    )


def _unsure(text: str, original: str, base: datetime, budget: date_phrases.Budget):
    """A looser cue ("on a panel", "porterai la voix", "panelista") in a sentence the writer
    says of themselves, naming an outside event and one date: an announcement to ask about."""
    if UNSURE_PREFILTER is None or not UNSURE_PREFILTER.search(text):
        return None
    for lang, _, match in engine.cues(text, UNSURE, budget, UNSURE_PREFILTER):
        sentence_start, sentence_end = engine.span(
            engine.NAME_SENTENCE_END, text, match.start(), match.end()
        )
        budget.charge(sentence_end - sentence_start)
        clause_start, clause_end = engine.span(engine.CLAUSE_END, text, match.start(), match.end())
        # a looser cue is read with the whole sentence before it: "I participated in the IGF
        # today, on a panel with…" is past
        before = lang.dates.sub(" ", text[sentence_start : match.start()])
        if lang.blocked_before.search(before) or "?" in text[clause_end : sentence_end + 1]:
            continue  # (a question later in the sentence: "…, who wants to go?")
        if lang.unsettled and lang.unsettled.search(before):
            continue
        if engine.inside_quotes(text, match.start()):
            continue
        if lang.unsure_self and not lang.unsure_self.search(text, sentence_start, sentence_end):
            continue
        phrases = _phrases(text, lang, sentence_start, sentence_end, budget)
        named = next((p for p in phrases if p.kind == "named"), None)
        if named is None or any(p.kind == "internal" for p in phrases):
            continue
        when, ambiguous, past = date_phrases.read(
            text, sentence_start, sentence_end, base, lang, max_phrases=_MAX_DATES, budget=budget
        )
        if when is None or ambiguous or past:
            continue
        place = next((p for p in phrases if p.kind == "place"), None)
        return OutreachReading(
            lang.code,
            original[named.start : named.end],
            when,
            False,
            original[place.start : place.end] if place else None,
            confidence="ask",
            cue=original[match.start() : match.end()],
        )
    return None


@dataclass(frozen=True)
class _Phrase:
    kind: str  # "named" | "generic" | "internal" | "place"
    start: int
    end: int


def _read_outreach(
    text: str,
    original: str,
    lang: Outreach,
    kind: str,
    match: re.Match[str],
    base: datetime,
    budget: date_phrases.Budget,
) -> OutreachReading | None:
    if kind == "talk_list":
        return _talk_list(text, original, lang, match, base, budget)
    sentence_start, sentence_end = engine.span(
        engine.NAME_SENTENCE_END, text, match.start(), match.end()
    )
    budget.charge(sentence_end - sentence_start)
    clause_start, clause_end = engine.span(engine.CLAUSE_END, text, match.start(), match.end())
    requested = False
    if not _writer_announces(text, lang, kind, match, sentence_start, clause_start, clause_end):
        if not _requested(text, lang, sentence_start, match):
            return None
        requested = True  # a talk the writer asks support for is not settled: asked about
    if engine.inside_quotes(text, match.start()):
        return None  # someone's words quoted: 'and said, "I'm giving a talk at RailsConf…"'

    if kind == "promote" and not _promotes_group_work(text, lang, match.end(), sentence_end):
        return None

    # in sentence order: "I'll be at the IETF meeting … presenting our findings to the HRPC"
    phrases = _phrases(text, lang, sentence_start, match.start(), budget) + _phrases(
        text, lang, match.end(), sentence_end, budget
    )
    named = next((p for p in phrases if p.kind == "named"), None)
    if named is None and kind in ("host", "role"):
        named = _named_in_cue(text, match)  # "I will facilitate a RightsCon session"
    place = next((p for p in phrases if p.kind == "place"), None)
    outside = named is not None or place is not None or any(p.kind == "generic" for p in phrases)
    confidence = "ask" if requested else "sure"
    if not outside and any(p.kind == "internal" for p in phrases):
        return None  # "I'll present the draft at our next call"
    if not outside and text[sentence_start:sentence_end].rstrip().endswith(":"):
        # "I'll be presenting at:\n- RightsCon (5 May)": the list names the event
        named = _list_event(text, sentence_end)
        outside = named is not None
    if not outside:
        # the event named in another sentence of the message ("The IGF is on 9 May. I'll
        # present our report there."): the writer is asked
        named = _named_elsewhere(text, lang, sentence_start, sentence_end, budget)
        if named is None and kind not in _ON_ITS_OWN:
            return None
        if named is not None:
            confidence = "ask"

    when, ambiguous, past = date_phrases.read(
        text, sentence_start, sentence_end, base, lang, max_phrases=_MAX_DATES, budget=budget
    )
    if past:
        return None
    if when is None and not ambiguous:
        # a list-shaped announcement: "I'll be speaking at these sessions:\n- 5 May: …"
        when, ambiguous, past = _list_date(text, lang, sentence_start, sentence_end, base, budget)
        if past:
            return None
        if when is not None and named is not None and _points_at_list(lang, text, named):
            # "at these events:" names the first item's event: "- RightsCon (5 May)"
            named = _list_event(text, sentence_end) or named
    if confidence == "ask" and when is None and not ambiguous:
        when, ambiguous, past = _date_elsewhere(text, lang, base, budget)
        if past:
            return None
    if confidence == "ask" and (when is None or ambiguous):
        confidence = "sure"  # incomplete: the bot asks for what is missing instead
    return OutreachReading(
        lang.code,
        original[named.start : named.end] if named else None,
        when,
        ambiguous,
        original[place.start : place.end] if place else None,
        confidence=confidence,
    )


_LIST_LINES = 4  # lines read under a list's heading for its first item
_BULLET = re.compile(r"[ \t]*(?:[-*•·]|\d{1,2}[.)])[ \t]+")
_ITEM_NAME = re.compile(r":[ \t]+(?=\S)")


def _talk_list(
    text: str, original: str, lang: Outreach, match: re.Match[str], base, budget
) -> OutreachReading | None:
    """A heading over the writer's own talks ("Upcoming talks", "Mes prochaines
    interventions") and, under it (past a lead line such as "Coming up..."), a first item that
    is dated and not past: "* Jan 12, Montevideo: Smart Talent Day". A page of talks may list
    someone else's or old ones as well, so the writer is asked."""
    # a heading of one word ("Talks") may head past ones as well: only a lead line under it
    # ("Coming up...") says the items are ahead
    ahead = len(match.group(0).split()) > 1
    pos = text.find("\n", match.end())
    for _ in range(_LIST_LINES):
        if pos < 0:
            return None
        start = pos + 1
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        pos = end if end < len(text) else -1
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        if bullet is None:
            if line.rstrip().endswith((":", "...", "…")):
                ahead = True
                continue  # "Coming up...": a lead line over the items
            return None
        if not ahead:
            return None
        budget.charge(end - start)
        when, ambiguous, past = date_phrases.read(
            text, start, end, base, lang, max_phrases=2, budget=budget
        )
        if when is None or past:
            return None
        # the event after the item's date and place: "Jan 12, Montevideo: Smart Talent Day"
        named = _ITEM_NAME.search(text, start, end)
        name_start = named.end() if named else start + bullet.end()
        stop = _NAME_END.search(text, name_start, end)
        name = text[name_start : stop.start() if stop else end].strip()
        if name and lang.internal.search(name):
            return None  # "- 14 January: our monthly call"
        return OutreachReading(
            lang.code,
            original[name_start : name_start + len(name)] if name else None,
            when,
            ambiguous,
            None,
            confidence="ask",
        )
    return None


def _requested(text: str, lang: Outreach, sentence_start: int, match: re.Match[str]) -> bool:
    """Whether the trigger is the purpose of a request for support made earlier in its sentence
    ("This is a travel fund request for participating at X, and speaking there about …"),
    with no hedge before it."""
    if lang.purpose is None or not lang.purpose.search(text, sentence_start, match.end()):
        return False
    return not lang.blocked_before.search(lang.dates.sub(" ", text[sentence_start : match.start()]))


def _named_in_cue(text: str, match: re.Match[str]) -> _Phrase | None:
    """A name inside a host or role cue's own object: "facilitate a *RightsCon session*"."""
    first = match.group(0).split(None, 1)
    if len(first) < 2:
        return None
    name = _NAME_START.search(text, match.start() + len(first[0]), match.end())
    return _Phrase("named", name.start(), match.end()) if name else None


def _named_elsewhere(
    text: str, lang: Outreach, sentence_start: int, sentence_end: int, budget
) -> _Phrase | None:
    """The first outside event named in the sentences around the cue's, within `WINDOW`."""
    before = max(0, sentence_start - engine.WINDOW)
    after = min(len(text), sentence_end + engine.WINDOW)
    for start, end in ((before, sentence_start), (sentence_end, after)):
        for phrase in _phrases(text, lang, start, end, budget):
            if phrase.kind != "named":
                continue
            # not from someone else's announcement ("Maria will present at the IGF")
            around = engine.span(engine.NAME_SENTENCE_END, text, phrase.start, phrase.end)
            if PREFILTER.search(text, *around) is None:
                return phrase
    return None


_LIST_ITEM = re.compile(r"\n[ \t]*(?:[-*•·>]|\d{1,2}[.)])?[ \t]*(?=\S)")


def _points_at_list(lang: Outreach, text: str, named: _Phrase) -> bool:
    return lang.list_pointer is not None and lang.list_pointer.match(text, named.start) is not None


def _list_event(text: str, sentence_end: int) -> _Phrase | None:
    """The name opening the first list item after `sentence_end`, if it opens with one."""
    item = _LIST_ITEM.search(text, sentence_end, sentence_end + 8)
    if item is None or not _NAME_START.match(text, item.end()):
        return None
    end = _NAME_END.search(text, item.end(), item.end() + _MAX_NAME)
    stop = end.start() if end else min(len(text), item.end() + _MAX_NAME)
    name = text[item.end() : stop].rstrip()
    if not name or text[stop : stop + 1] == ":":
        return None  # a field's label ("Date : 11 novembre"), not an event
    return _Phrase("named", item.end(), item.end() + len(name))


def _list_date(text: str, lang: Outreach, sentence_start: int, sentence_end: int, base, budget):
    """The date of the first item of a list the trigger's sentence introduces (it ends with
    ":"), one item a line: the event's first day."""
    if not text[sentence_start:sentence_end].rstrip().endswith(":"):
        return None, False, False
    item = _LIST_ITEM.search(text, sentence_end, sentence_end + 8)
    if item is None:
        return None, False, False
    line_end = text.find("\n", item.end(), item.end() + engine.WINDOW)
    line_end = line_end if line_end >= 0 else min(len(text), item.end() + engine.WINDOW)
    return date_phrases.read(text, item.end(), line_end, base, lang, max_phrases=2, budget=budget)


def _date_elsewhere(text: str, lang: Outreach, base, budget):
    """The one date the message names within reach of the cue, if it names one."""
    return date_phrases.read(
        text, 0, min(len(text), 2 * engine.WINDOW), base, lang, max_phrases=2, budget=budget
    )


def _writer_announces(
    text: str,
    lang: Outreach,
    kind: str,
    match: re.Match[str],
    sentence_start: int,
    clause_start: int,
    clause_end: int,
) -> bool:
    """Not a question, conditional or hedge, and (in English) the writer's own plan."""
    before = text[clause_start : match.start()]
    aside = _aside_before(text, clause_start)
    if aside is not None:
        # an aside between the subject and its verb is the subject's: "I (Nick) got invited to
        # present at X", "We (Ana and I) will present"
        before = text[engine.span(engine.CLAUSE_END, text, aside, aside)[0] : aside] + before
    # dates say nothing about who speaks, and "5 May" is no "may"
    if lang.blocked_before.search(lang.dates.sub(" ", before)):
        return False
    if lang.unsettled and lang.unsettled.search(text, sentence_start, match.start()):
        return False  # 'If accepted, I will present at FOSDEM'
    if text[clause_end : clause_end + 1] == "?":
        return False
    # "I've been invited to speak at X" is an announcement unless the writer asks about it
    # ("… should I accept?")
    asks_after = "?" in text[match.end() : match.end() + 200]
    if lang.subjects is None:
        # French and Spanish triggers carry the first person in the verb
        return kind not in ("invited", "invited_talk") or not asks_after
    # a verb joined to the trigger speaks for the same subject: "I'll be co-facilitating/
    # speaking at", "I'm hosting and presenting"
    before = _JOINED_VERB.sub("", before, count=1)
    words = [w.lower() for w in lang.token.findall(before) if any(c.isalpha() for c in w)]
    auxiliaries = []
    while words and words[-1] in lang.auxiliaries:
        auxiliaries.append(words.pop())
    # a future said without a subject is the writer's plan too: "gonna present at X"
    continuous = match.group(0).lower().endswith("ing") or bool(
        {"will", "gonna", "going", "shall"} & set(auxiliaries)
    )
    if words and words[-1] in lang.subjects:
        if {"asked", "invited", "selected"} & set(auxiliaries):
            # an invitation to "we" is an invitation to the group: nobody has committed yet
            return words[-1] in ("i", "i've") and not asks_after
        return True
    if words and words[-1].endswith("-"):
        words.pop()  # a prefix split from the trigger: "Co-facilitate"
    if not words:
        # chat shorthand with no subject: "Presenting our work at X next week!", "will present
        # at X"; a bare base form is an imperative and "A speaker at X said" a report, unless
        # it is an item of a list the writer opened with "I will:"
        return continuous or _item_of_own_list(text, lang, clause_start)
    # "I'll be at the IETF meeting in Madrid on 20 March presenting our findings"
    return bool(
        continuous and lang.at_event and lang.at_event.search(text, sentence_start, match.start())
    )


_MAX_ASIDE = 40


def _aside_before(text: str, clause_start: int) -> int | None:
    """Where a short parenthesis that ends right at `clause_start` opens, when a word stands
    before it on its line ("I (Nick) got…"); else None."""
    if clause_start == 0 or text[clause_start - 1] != ")":
        return None
    opening = text.rfind("(", max(0, clause_start - _MAX_ASIDE), clause_start - 1)
    if (
        opening <= 0
        or "\n" in text[opening:clause_start]
        or ")" in text[opening : clause_start - 1]
    ):
        return None
    return (
        opening if text[opening - 1] == " " and text[opening - 2 : opening - 1].isalpha() else None
    )


_ITEM_START = re.compile(r"[ \t]*(?:[-*•·]|\d{1,2}[.)])[ \t]")


def _item_of_own_list(text: str, lang: Outreach, pos: int) -> bool:
    """Whether `pos` is in a list item ("- ", "* ", "1. ") under a line that opens a list of
    the writer's plans (the language's ``list_lead``), within `WINDOW` characters."""
    if lang.list_lead is None:
        return False
    line_start = text.rfind("\n", max(0, pos - engine.WINDOW), pos) + 1
    if not line_start or not _ITEM_START.match(text, line_start):
        return False
    # back over the other items and blank lines to the line that opened the list
    end = line_start - 1
    while end > 0 and pos - end < engine.WINDOW:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if line.strip() and not _ITEM_START.match(line):
            return lang.list_lead.search(line) is not None
        end = start - 1
    return False


def _promotes_group_work(text: str, lang: Outreach, pos: int, sentence_end: int) -> bool:
    """A promote trigger ("represent", "promouvoir") needs the group's work as its object."""
    prep = lang.event_prep.search(text, pos, sentence_end)
    if prep and not text[pos : prep.start()].strip():
        # the object itself may follow a preposition: "representaré al PN", "present to us"
        prep = lang.event_prep.search(text, prep.end(), sentence_end)
    end = min(prep.start() if prep else sentence_end, pos + 80)
    return lang.group_work.search(text, pos, end) is not None


def _phrases(
    text: str, lang: Outreach, start: int, end: int, budget: date_phrases.Budget
) -> list[_Phrase]:
    """The event, internal and place phrases introduced by a preposition in text[start:end]:
    at most `_MAX_PHRASES`, from at most twice as many prepositions, while `budget` lasts."""
    found: list[_Phrase] = []
    pos = start
    for _ in range(2 * _MAX_PHRASES):
        if len(found) >= _MAX_PHRASES or budget.spent:
            break
        prep = lang.event_prep.search(text, pos, end)
        if prep is None:
            break
        word = " ".join(next(g for g in prep.groups() if g).lower().split())
        phrase_start = prep.end()
        budget.charge(min(end, phrase_start + _MAX_NAME) - phrase_start)
        phrase_end = _phrase_end(text, lang, phrase_start, end)
        pos = max(phrase_end, prep.end())
        phrase = _classify(text, lang, word, phrase_start, phrase_end)
        if phrase is not None:
            found.append(phrase)
    return found


def _phrase_end(text: str, lang: Outreach, start: int, end: int) -> int:
    """Where a name starting at `start` stops: a date, a boundary or a connecting word."""
    limit = min(end, start + _MAX_NAME)
    stops = [limit]
    for pattern in (_NAME_END, lang.dates, lang.stop):
        found = pattern.search(text, start, limit)
        if found:
            stops.append(found.start())
    for prep in lang.event_prep.finditer(text, start + 1, limit):
        # English "in" ends a name before a place, not inside one ("Women in Cyber Forum");
        # the other prepositions are in the stop words
        if next(g for g in prep.groups() if g).lower() not in lang.place_preps:
            continue
        # bounded like the name itself: unbounded, a run of capitalised words with "In"
        # repeated made every "in" read to the end of the message
        following = _PLACE.match(text, prep.end(), limit)
        if following and lang.event_noun.search(following.group(0)):
            continue
        stops.append(prep.start())
        break
    return min(stops)


def _classify(text: str, lang: Outreach, prep: str, start: int, end: int) -> _Phrase | None:
    # a leading space lets strip_end remove a phrase made only of small words ("at the")
    trimmed = lang.strip_end.sub("", " " + text[start:end].rstrip().rstrip(".-/").rstrip())[1:]
    end = start + len(trimmed)
    if not _has_content(trimmed) or lang.not_event.match(trimmed):
        return None
    if prep in lang.place_preps and _is_place(trimmed, lang):
        return _Phrase("place", start, end)
    if prep in lang.noun_preps and not lang.event_noun.search(trimmed):
        return None  # "on the topic", "on Zoom", "a session on our report": a topic, no event
    if prep in lang.loose_preps and not (
        _CAPITALISED.search(trimmed)
        or (_DETERMINER.match(trimmed) and lang.event_noun.search(trimmed))
    ):
        # "in detail", "to talk", "à propos", "to present our report": only a name or "the/a …
        # <event word>" counts
        return None
    if lang.internal.search(trimmed):
        return _Phrase("internal", start, end)
    if lang.generic.match(trimmed):
        nested = lang.nested.search(trimmed)
        if nested:
            return _Phrase("named", start + nested.end(), end)
        if not lang.event_noun.search(trimmed):
            return None
        # "an upcoming GNI learning call": a name in it makes it a named event
        name = _NAME_START.search(trimmed, lang.generic.match(trimmed).end())
        return _Phrase("named" if name else "generic", start, end)
    if (
        prep in lang.loose_preps
        and _PERSON.fullmatch(trimmed)
        and not _looks_like_a_name(trimmed)
        and not _event_named_before(text, lang, start)
    ):
        # "talk to Ana", "for Ben": one capitalised word and no event word is a person, unless
        # an event word just before makes it the event's ("the panel line-up for Nostriga")
        return None
    return _Phrase("named", start, end)


# an article before an event word (with one word between at most): "the panel", "a big panel"
_ARTICLE_BEFORE = re.compile(
    rf"\b(?:{words_pattern('determiners')})\s+(?:[\w-]+\s+)?$", re.IGNORECASE
)


def _event_named_before(text: str, lang: Outreach, start: int) -> bool:
    """Whether an event word used as a noun ("the panel", not "I'll talk") stands in the
    `_EVENT_BEFORE` characters before the phrase starting at `start`."""
    window = max(0, start - _EVENT_BEFORE)
    for noun in lang.event_noun.finditer(text, window, start):
        if _ARTICLE_BEFORE.search(text, max(0, noun.start() - 24), noun.start()):
            return True
    return False


def _has_content(phrase: str) -> bool:
    words = re.findall(r"\w+'?", phrase.lower())
    return any(word not in _FUNCTION_WORDS for word in words)


def _is_place(words: str, lang: Outreach) -> bool:
    """A run of capitalised words with no event word in it, in any of the languages (events
    keep their English names in Spanish chat: "en Nuclio Digital School"): "Lisbon", "Addis
    Ababa"."""
    place = _PLACE.match(words)
    return bool(
        place
        and place.end() == len(words)
        and not _NOT_PLACE.match(words)
        and not any(table.event_noun.search(words) for table in TABLES)
        and not _looks_like_a_name(words)
    )


def _looks_like_a_name(words: str) -> bool:
    """RightsCon, EuroDIG, ICANN80: capitals inside a word or digits make an event, not a city."""
    return any(
        sum(c.isupper() for c in word) >= 2 or any(c.isdigit() for c in word)
        for word in words.split()
    )
