"""The recognisers' tables, built from the phrase files (`handlers.phrases`): one `Language` per
file, holding what each kind of notice needs, and the few word lists the rules share across
languages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants as sre
from re import _parser as sre_parse
from typing import NamedTuple

from handlers import date_phrases, phrases
from handlers.phrases import PhraseFile, words
from handlers.recognise import engine, literals

Synonyms = tuple[tuple[re.Pattern[str], str], ...]


@dataclass(frozen=True)
class Absence:
    """How a language says its writer will not attend (`absence`); see the phrase files."""

    code: str
    expressions: dict[str, str]  # kind -> regex source
    dates: re.Pattern[str]  # locates candidate date phrases
    meeting: re.Pattern[str]  # a meeting noun, at the current position
    next_meeting: re.Pattern[str]
    skippable: frozenset[str]  # words allowed between an expression and its object
    past: frozenset[str]  # words that put the object in the past ("last", "hier")
    reason: re.Pattern[str]  # a reason marker; the reason is what follows it
    blocked_before: re.Pattern[str]  # in the clause before the expression: not a notice
    token: re.Pattern[str]
    not_qualifiers: frozenset[str]  # determiners: "make *a* call" is a phone call
    # with these: "a"/"an" qualify a meeting after any other verb ("attend a call"); without
    # them (None) never
    determiner_verbs: frozenset[str] | None = None
    determiners: frozenset[str] = frozenset()
    # `date_phrases.read` reads dates with `code`, `dates` and these two (see `DateLanguage`)
    synonyms: Synonyms = ()  # phrase rewrites for dateparser
    next_weekday: re.Pattern[str] | None = None  # "mardi prochain" -> weekday, no "today" rule
    # right before a date phrase: the date ends an absence ("on leave until the 15th")
    until: re.Pattern[str] | None = None
    # for a language whose verbs do not show the person (English): see `absence._writer_states_it`
    self_words: frozenset[str] | None = None  # may stand right before the expression
    adverbs: frozenset[str] = frozenset()  # skipped when looking for that word
    after_date: frozenset[str] | None = None  # may follow a date object ("Tuesday, as ...")
    stated_reason: re.Pattern[str] | None = None  # a reason said without a marker
    possessive: str | None = None  # a possessive ending that qualifies a meeting ("month's")
    unsure: str | None = None  # looser cues: a notice to ask the writer about (regex source)
    unsure_self: re.Pattern[str] | None = None  # the writer must be in the sentence too
    # the group deciding about the meeting, not one member away ("we'll skip the December call")
    collective: re.Pattern[str] | None = None
    # a date phrase that is past once the writer's day is half over ("ce matin" at 15:00)
    earlier_today: re.Pattern[str] | None = None
    # after the notice in its sentence: the writer attends after all ("but will make it to the
    # meeting"); part of a day missed, not the meeting
    still_attends: re.Pattern[str] | None = None
    # a date phrase naming a whole week ("next week", "cette semaine"): the notice is for the
    # meeting held that week, whichever day it falls on
    week: re.Pattern[str] | None = None
    # a whole message that is only an apology ("Regrets."): asked about for the next meeting
    lone: re.Pattern[str] | None = None
    # in the clause before an expression: the writer is unsure ("probably"), and is asked
    hedge_before: re.Pattern[str] | None = None
    # an absence over days ("Dec 7-11", "du 7 au 11", "until the 15th"), each compiled alone
    # (their group names repeat; see `date_phrases.read_period`), and how a bare day joins its
    # month there ("{day} de {month}")
    periods: tuple[re.Pattern[str], ...] = ()
    period_day_month: str = "{day} {month}"
    # phrases with a past word that speak of no past ("at the last minute", "au dernier moment")
    not_past: re.Pattern[str] | None = None
    # apologies passed on for a named member ("Ana sends her apologies"): the name stands
    # before these expression kinds' words, or after them
    name_before: frozenset[str] = frozenset()
    # titles and words that are no name, next to an apology passed on
    titles: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    # a word that ends an expression's object as the end of its clause does ("my apologies to
    # the group *and* ...")
    object_ends: frozenset[str] = frozenset()
    # a roll call or minutes ("present:", "on today's call we have"): apologies passed on there
    # are recorded already
    roll_call: re.Pattern[str] | None = None
    # at a message's start: a mail program's automatic reply, never a notice
    auto_reply: re.Pattern[str] | None = None
    # at a message's start: minutes or notes of a meeting, which report others' apologies
    minutes: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Outreach:
    """How a language announces outreach (`outreach`); see the phrase files."""

    code: str
    triggers: dict[str, str]  # kind -> regex source
    dates: re.Pattern[str]  # locates and sorts date phrases: `date_phrases.grouped_locator`
    event_prep: re.Pattern[str]  # a preposition introducing an event or a place
    loose_preps: frozenset[str]  # preps whose phrase must look like a name (capital/event word)
    place_preps: frozenset[str]  # preps that may introduce a place
    noun_preps: frozenset[str]  # preps whose phrase must hold an event word ("on a panel")
    stop: re.Pattern[str]  # a word that ends an event phrase (searched at a space)
    event_noun: re.Pattern[str]
    not_event: re.Pattern[str]  # nouns after "at" that are no event ("at the moment", "doc")
    internal: re.Pattern[str]  # the group's own meetings and people
    generic: re.Pattern[str]  # an indefinite event ("an event", "un panel")
    nested: re.Pattern[str]  # "a panel of the X", "un panel del X": X is the event
    group_work: re.Pattern[str]  # the object a ``promote`` trigger needs
    blocked_before: re.Pattern[str]  # in the clause before the trigger: no announcement
    strip_end: re.Pattern[str]  # trailing words cut from an event ("… consultation on")
    token: re.Pattern[str]
    synonyms: Synonyms = ()
    next_weekday: re.Pattern[str] | None = None
    # for a language whose verbs do not show the person: see `outreach._writer_announces`
    subjects: frozenset[str] | None = None
    auxiliaries: frozenset[str] = frozenset()
    at_event: re.Pattern[str] | None = None  # "I'll be at X … presenting"
    # a line that ends by opening a list of the writer's own plans: "As part of it, I will:"
    list_lead: re.Pattern[str] | None = None
    # anywhere in the sentence before the trigger: the talk is not settled ("If accepted, …")
    unsettled: re.Pattern[str] | None = None
    # an event phrase that points at a list below ("these events:", "the following sessions:")
    list_pointer: re.Pattern[str] | None = None
    unsure: str | None = None  # looser cues: an announcement to ask the writer about
    unsure_self: re.Pattern[str] | None = None  # the writer must be in the sentence too
    # a request for support whose purpose is a talk ("a travel fund request for participating
    # at X and speaking there"): the writer's plan, not settled, so asked about
    purpose: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Objecting:
    """How a language objects; ``code`` None means the words are shared (`common.toml`) and the
    language is guessed from the rest of the message ("-1", "objection")."""

    code: str | None
    expressions: str  # regex source
    negated_before: frozenset[str]  # any of these among the few words before: not an objection
    negated_after: re.Pattern[str]  # right after the expression (matched there): not one
    conditional: re.Pattern[str]  # anywhere in the clause: not an objection
    token: re.Pattern[str]
    guess_words: frozenset[str] = frozenset()  # common words that tell the language
    unsure: str | None = None  # looser cues: an objection to ask the writer about
    # in the clause before the expression: someone else's words ("she said", a quotation)
    reported: re.Pattern[str] | None = None
    # in the clause: talk about the procedure, not an objection ("the deadline for objections")
    procedural: re.Pattern[str] | None = None
    # right after a vote symbol: a gloss, as in a legend of the symbols ("👎: signifies …")
    legend: re.Pattern[str] | None = None
    # in the sentence: the objection is to a detail of something the writer accepts ("… but
    # otherwise fine"): asked about, not recorded outright
    partial: re.Pattern[str] | None = None
    # in the cue itself: the vote is the writer's own, cast ("I am -1", "-1 from me"), so the
    # procedure named in its clause is what the writer objects to, not talk about votes
    own: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Language:
    code: str
    absence: Absence
    outreach: Outreach
    objecting: Objecting
    reason_markers: str  # what introduces an objection's reason ("because", "car", "porque")
    words: dict[str, frozenset[str]]


def _synonyms(source: PhraseFile, table: dict) -> Synonyms:
    return tuple((source.pattern(p), replacement) for p, replacement in table.get("synonyms", ()))


def _optional_words(table: dict, key: str) -> frozenset[str] | None:
    return words(table[key]) if key in table else None


def _absence(f: PhraseFile) -> Absence:
    t = f.tables["availability"]
    return Absence(
        code=f.code,
        expressions={kind: f.source(entry) for kind, entry in t["expressions"].items()},
        dates=f.pattern(t["dates"]),
        meeting=f.pattern(t["meeting"]),
        next_meeting=f.pattern(t["next_meeting"]),
        skippable=words(t["skippable"]),
        past=words(t["past"]),
        reason=f.pattern(t["reason"]),
        blocked_before=f.pattern(t["blocked_before"]),
        token=f.pattern(t["token"]),
        not_qualifiers=words(f.tables["words"]["not_qualifiers"]),
        determiner_verbs=_optional_words(t, "determiner_verbs"),
        determiners=words(f.tables["words"].get("determiners", "")),
        synonyms=_synonyms(f, t),
        next_weekday=f.optional(t, "next_weekday"),
        until=f.optional(t, "until"),
        self_words=_optional_words(t, "self_words"),
        adverbs=words(t.get("adverbs", "")),
        after_date=_optional_words(t, "after_date"),
        stated_reason=f.optional(t, "stated_reason"),
        possessive=t.get("possessive"),
        unsure=f.source(t["unsure"]) if "unsure" in t else None,
        unsure_self=f.optional(t, "unsure_self"),
        collective=f.optional(t, "collective"),
        earlier_today=f.optional(t, "earlier_today"),
        still_attends=f.optional(t, "still_attends"),
        week=f.optional(t, "week"),
        lone=f.optional(t, "lone"),
        hedge_before=f.optional(t, "hedge_before"),
        periods=tuple(f.pattern(source) for source in t.get("periods", ())),
        period_day_month=t.get("period_day_month", "{day} {month}"),
        not_past=f.optional(t, "not_past"),
        name_before=words(t.get("name_before", "")),
        titles=words(f.tables["words"].get("titles", "")),
        not_names=words(f.tables["words"].get("not_names", "")),
        object_ends=words(t.get("object_ends", "")),
        roll_call=f.optional(t, "roll_call"),
        auto_reply=f.optional(t, "auto_reply"),
        minutes=f.optional(t, "minutes"),
    )


def _outreach(f: PhraseFile) -> Outreach:
    t = f.tables["outreach"]
    dates = t["dates"]
    return Outreach(
        code=f.code,
        triggers={kind: f.source(entry) for kind, entry in t["triggers"].items()},
        dates=date_phrases.grouped_locator(
            ranges=f.source(dates["range"]),
            vague=f.source(dates["vague"]),
            past=f.source(dates["past"]),
            days=f.source(dates["day"]),
        ),
        event_prep=f.pattern(t["event_prep"]),
        loose_preps=words(t["loose_preps"]),
        place_preps=words(t["place_preps"]),
        noun_preps=frozenset(" ".join(w.split()) for w in t.get("noun_preps", "").split(","))
        - {""},
        stop=f.pattern(t["stop"]),
        event_noun=f.pattern(t["event_noun"]),
        not_event=f.pattern(t["not_event"]),
        internal=f.pattern(t["internal"]),
        generic=f.pattern(t["generic"]),
        nested=f.pattern(t["nested"]),
        group_work=f.pattern(t["group_work"]),
        blocked_before=f.pattern(t["blocked_before"]),
        strip_end=f.pattern(t["strip_end"]),
        token=f.pattern(t["token"]),
        synonyms=_synonyms(f, t),
        next_weekday=f.optional(t, "next_weekday"),
        subjects=_optional_words(t, "subjects"),
        auxiliaries=words(t.get("auxiliaries", "")),
        at_event=f.optional(t, "at_event"),
        list_lead=f.optional(t, "list_lead"),
        unsettled=f.optional(t, "unsettled"),
        list_pointer=f.optional(t, "list_pointer"),
        unsure=f.source(t["unsure"]) if "unsure" in t else None,
        unsure_self=f.optional(t, "unsure_self"),
        purpose=f.optional(t, "purpose"),
    )


def objecting(f: PhraseFile, code: str | None) -> Objecting:
    t = f.tables["objection"]
    return Objecting(
        code=code,
        expressions=f.source(t["expressions"]),
        negated_before=words(t["negated_before"]),
        negated_after=f.pattern(t["negated_after"]),
        conditional=f.pattern(t["conditional"]),
        token=f.pattern(t["token"]),
        guess_words=words(t.get("guess_words", "")),
        unsure=f.source(t["unsure"]) if "unsure" in t else None,
        reported=f.optional(t, "reported"),
        procedural=f.optional(t, "procedural"),
        legend=f.optional(t, "legend"),
        partial=f.optional(t, "partial"),
        own=f.optional(t, "own"),
    )


def language(f: PhraseFile) -> Language:
    return Language(
        code=f.code,
        absence=_absence(f),
        outreach=_outreach(f),
        objecting=objecting(f, f.code),
        reason_markers=f.source(f.tables["objection"]["reason_markers"]),
        words={name: words(value) for name, value in f.tables.get("words", {}).items()},
    )


LANGUAGES = tuple(language(f) for f in phrases.languages())
SHARED_OBJECTING = objecting(phrases.common(), None)


def shared_words(name: str) -> frozenset[str]:
    """The union of one word list over every language (and `common.toml`)."""
    found = set(phrases.common().tables.get("words", {}).get(name, "").split())
    for lang in LANGUAGES:
        found |= lang.words.get(name, frozenset())
    return frozenset(found)


def words_pattern(name: str) -> str:
    """A regex alternation of `shared_words(name)`, longest first."""
    return "|".join(re.escape(w) for w in sorted(shared_words(name), key=lambda w: (-len(w), w)))


# ----------------------------------------------------------------------------------------------
# The prefilters' look-ahead, worked out from the expressions themselves


def cue_patterns(entries) -> tuple:
    """`(table, kind, source)` entries as `(table, kind, pattern)` cues, case-insensitive."""
    return tuple(
        (table, kind, re.compile(engine.apostrophes(source), re.IGNORECASE))
        for table, kind, source in entries
    )


class Cues(NamedTuple):
    """A reader's cues and the scans that spare it reading: `sure` and `unsure` cues as
    `(table, kind, pattern)`, a prefilter for each and for both, and the literal gate first."""

    sure: tuple
    prefilter: re.Pattern[str] | None
    unsure: tuple
    unsure_prefilter: re.Pattern[str] | None
    any_prefilter: Either
    gate: literals.Gate


class Either(NamedTuple):
    """Two prefilters searched as one (either may be None): a third regex uniting them would
    match the same places but cost every process that loads the reader its compiling."""

    first: re.Pattern[str] | None
    second: re.Pattern[str] | None

    def search(self, text: str, *bounds: int) -> re.Match[str] | None:
        for prefilter in self:
            found = prefilter.search(text, *bounds) if prefilter is not None else None
            if found is not None:
                return found
        return None


def cues_of(sure: list[tuple], tables) -> Cues:
    """`sure` as `(table, kind, source)` entries, with each of `tables`' `unsure` cue."""
    unsure = [(table, "unsure", table.unsure) for table in tables if table.unsure]
    sure_sources = [source for _, _, source in sure]
    unsure_sources = [source for _, _, source in unsure]
    both = sure_sources + unsure_sources
    sure_prefilter, unsure_prefilter = union(sure_sources), union(unsure_sources)
    return Cues(
        cue_patterns(sure),
        sure_prefilter,
        cue_patterns(unsure),
        unsure_prefilter,
        # either kind of cue: ordinary chat matches neither, so there is nothing to read
        Either(sure_prefilter, unsure_prefilter),
        # cheaper, and first: the literal words no cue of either kind can match without
        literals.Gate(engine.apostrophes(source) for source in both),
    )


def union(sources: list[str]) -> re.Pattern[str] | None:
    """One prefilter for all of `sources` (if it finds nothing, none of them can); None when
    there are none. It matches where one of their alternatives does, and the alternatives are
    grouped by the characters they may start with, each group behind one look-ahead for them:
    Python's engine otherwise enters every alternative at every word start, so the cost of a
    message grew with each phrase added. (Each alternative is written once: copying it into a
    group per character is faster still, but the idle bot then outgrows its memory budget.)"""
    if not sources:
        return None
    groups: dict[str | None, list[str]] = {}
    for source in sources:
        for alternative in alternatives(engine.apostrophes(source)):
            chars, may_be_empty = first_chars(sre_parse.parse(alternative, re.IGNORECASE))
            if chars is None or may_be_empty:
                groups.setdefault(None, []).append(alternative)
                continue
            groups.setdefault("".join(sorted({c.lower() for c in chars})), []).append(alternative)
    branches = [
        ("" if chars is None else "(?=[" + "".join(re.escape(c) for c in chars) + "])")
        + "(?:"
        + "|".join(f"(?:{alternative})" for alternative in group)
        + ")"
        for chars, group in groups.items()
    ]
    first = first_characters(sources)
    return re.compile(
        (f"(?={first})" if first else "") + "(?:" + "|".join(branches) + ")", re.IGNORECASE
    )


def alternatives(source: str) -> list[str]:
    """The top-level alternatives of a regex source (split at each "|" outside any group or
    character class)."""
    found: list[str] = []
    depth = start = i = 0
    in_class = False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += source.startswith("^", i + 1)
            i += source.startswith("]", i + 1)  # a "]" first in a class is a character
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            found.append(source[start:i])
            start = i + 1
        i += 1
    found.append(source[start:])
    return found


def first_characters(sources: list[str]) -> str:
    """A look-ahead source for where any of `sources` may start: a listed non-letter, or a
    listed letter at a word start (which lets the regex engine skip positions inside words).
    Empty when some expression may start anywhere."""
    letters: set[str] = set()
    others: set[str] = set()
    for source in sources:
        parsed = sre_parse.parse(engine.apostrophes(source), re.IGNORECASE)
        chars, may_be_empty = first_chars(parsed)
        if chars is None or may_be_empty:
            return ""
        for char in chars:
            # the prefilters are case-insensitive: one case of a letter suffices
            (letters if char.isalpha() else others).add(char.lower())
    alternatives = []
    if others:
        alternatives.append("[" + "".join(re.escape(c) for c in sorted(others)) + "]")
    if letters:
        alternatives.append(r"\b[" + "".join(sorted(letters)) + "]")
    return "|".join(alternatives)


def first_chars(items) -> tuple[set[str] | None, bool]:
    """The characters a parsed pattern may start with (None: any) and whether it may be empty."""
    found: set[str] = set()
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.LITERAL:
            return found | {chr(av)}, False
        if op is sre.IN:
            for kind, value in av:
                if kind is sre.LITERAL:
                    found.add(chr(value))
                elif kind is sre.RANGE:
                    found.update(chr(c) for c in range(value[0], value[1] + 1))
                else:
                    return None, False
            return found, False
        if op in (sre.BRANCH, sre.SUBPATTERN, sre.MAX_REPEAT, sre.MIN_REPEAT):
            if op is sre.BRANCH:
                alternatives = av[1]
            elif op is sre.SUBPATTERN:
                alternatives = [av[3]]
            else:
                alternatives = [av[2]]
            empty = op not in (sre.BRANCH, sre.SUBPATTERN) and av[0] == 0
            for alternative in alternatives:
                chars, may_be_empty = first_chars(alternative)
                if chars is None:
                    return None, False
                found |= chars
                empty = empty or may_be_empty
            if not empty:
                return found, False
            continue
        return None, False
    return found, True
