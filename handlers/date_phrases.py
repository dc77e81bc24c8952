"""Locate and read the date phrases people write in chat (in each language of `handlers.phrases`) with dateparser.

The recognisers (`handlers.recognise`) read dates the same way, in two steps, and both steps'
shared parts live here, so a fix to date reading lands once:

1. Locate. Each language's phrase file (`handlers.phrases`) holds *locator* regexes built from
   its vocabulary (weekdays, months, days of the month, calendar dates such as "9 December",
   "le 9 décembre", "el 9 de diciembre", d/m numbers) and its own relative words ("tmrw", "ce
   soir", "la semana que viene"). The locator is run over one sentence, never the whole message:
   ``dateparser.search`` reads "je" or "a" as dates. A locator can also sort what it finds
   (`grouped_locator`): a ``range`` ("3-5 March") or a ``vague`` period ("next week", "in May")
   names no single day, and a ``past`` one ("last week", "ayer") says the sentence is about
   the past.
2. Read. `read` takes each located phrase in a stretch of text, `resolve` lightly normalises it
   (possessive "'s", a leading article, English "the"/"of" and ordinal suffixes dropped, then
   the recogniser's *synonyms* applied: rewrites of phrases dateparser lacks, such as "tmrw" or
   "ce soir", to ones it knows) and parses it with ``dateparser`` relative to the message time
   as a wall-clock time in the writer's zone (`local_base`), preferring future dates; `read` then
   settles on one date.

Conventions, decided once:

- a bare weekday means the nearest such day, today included ("Thursday's call" written on a
  Thursday is today's);
- a weekday the recogniser's *next_weekday* pattern matches ("next Tuesday", "mardi prochain",
  "el martes que viene") is the first such day after today;
- a week phrase ("next week") resolves to dateparser's day, the same weekday a week on; the
  caller decides what that means (availability matches it to the meeting held that week);
- a day without a month ("the 8th", "le 15", "el martes 8") is the next such day, today
  included: "the 8th" written on the 30th is next month's;
- dotted dates ("08.12.2026") are day first in every language, and carry their year;
- d/m numbers ("9/12") are ambiguous in English unless only one reading is a valid date or both
  agree, even in zones that write day first (Africa/Nairobi, Europe/*): the zone is where the
  writer is, not how they write dates, and an expatriate's "8/12" may be 12 August; French and
  Spanish write day first, so there they are read day-first; an impossible date ("31/02") is
  none;
- in a stretch of text, phrases resolving to different dates, an ambiguous phrase, a range or a
  vague period make the reading ``ambiguous`` (dates before today do not count when a later one
  is there); if every date found lies before today, or a ``past`` phrase is there and no date or
  ambiguity is, the text is about the *past* (which outranks ambiguity);
- a phrase right after a recogniser's *until* pattern ("until", "jusqu'au", "hasta") ends an
  absence, not a meeting, and is skipped;
- a recogniser may cap how many different phrases one stretch may ask dateparser about
  (*max_phrases*); one more makes the reading ambiguous, so a long list cannot cost seconds;
- a whole message asks dateparser at most `MAX_PARSES` times (a `Budget` shared by every
  stretch of the message read, which also remembers phrases already read): a phrase it can no
  longer afford makes the reading ambiguous; a phrase longer than `MAX_PHRASE` characters is
  never parsed (ambiguous), and d/m numbers that are no day and month in any order ("31/45")
  are none without asking dateparser.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import dateparser

from handlers import phrases

# The shared pieces of date phrases (a day of the month, ordinals, numeric dates) are defined
# with the phrase files; each language's weekdays and months are in its file's vocabulary.
DAY, ORD, NUMERIC = phrases.DAY, phrases.ORD, phrases.NUMERIC


def _flags(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def grouped_locator(ranges: str, vague: str, past: str, days: str) -> re.Pattern[str]:
    """A locator whose matches `read` sorts by group: ``range`` and ``vague`` phrases make the
    reading ambiguous, ``past`` ones mark the text past, ``day`` ones are resolved. (A plain
    regex is a locator too: all its matches are resolved.)"""
    # alternatives are tried in this order at each position: a range before its first day
    return _flags(f"(?P<range>{ranges})|(?P<vague>{vague})|(?P<past>{past})|(?P<day>{days})")


# Phrase clean-up before dateparser; these only reshape a located phrase, never compute a date.
_LEADING_WORDS = _flags(r"^(?:the|on|le|du|au|el|del|al)\s+")
_INNER_WORDS = _flags(r"\b(?:the|of)\s+")  # English only: "Thursday the 10th of December"
_ORDINAL = _flags(r"\b(\d{1,2})(?:st|nd|rd|th|er|ème|e|º|°)\b")
_POSSESSIVE = _flags(r"'s\b")
_BARE_WEEKDAY = _flags(rf"^(?:{phrases.weekdays()})$")
# "15", "martes 8": a day of the month with no month named
_DAY_WITHOUT_MONTH = _flags(rf"^(?:(?:{phrases.weekdays()})\s+)?{DAY}$")
_DAY_MONTH_NUMBERS = re.compile(r"^(\d{1,2})([/.])(\d{1,2})(?:\2\d{2,4})?$")
_UNTIL_REACH = 20  # characters before a phrase searched for an `until` word
# One dateparser call costs about half a millisecond, a junk phrase several: these bound what a
# message can cost, whatever it holds. A real notice needs one to three calls.
MAX_PARSES = 8
MAX_PHRASE = 48


# The characters of sentences one message's cues may have read in full (each cue's sentence is
# charged as it is read): many cues in long sentences stop here rather than cost seconds.
MAX_READ_CHARS = 1600


class Budget:
    """What one message may still ask dateparser, and the phrases it has read already; and how
    many characters of sentences its cues may still read (`charge`)."""

    def __init__(self, parses: int = MAX_PARSES, chars: int = MAX_READ_CHARS) -> None:
        self.left = parses
        self.calls = 0
        self.resolved: dict[tuple, tuple[date | None, bool]] = {}
        self.chars_left = chars

    def charge(self, chars: int) -> None:
        """Count a stretch of text about to be read in full."""
        self.chars_left -= chars

    @property
    def spent(self) -> bool:
        return self.chars_left <= 0

    def spend(self) -> None:
        if self.left <= 0:
            raise _Exhausted
        self.left -= 1
        self.calls += 1


class _Exhausted(Exception):
    """The message's dateparser budget is spent."""


Synonyms = tuple[tuple[re.Pattern[str], str], ...]


class DateLanguage(Protocol):
    """What `read` needs from a recogniser's table for one language."""

    code: str  # "en", "fr" or "es": dateparser's language
    dates: re.Pattern[str]  # the locator: a plain regex or one made by `grouped_locator`
    synonyms: Synonyms  # see `resolve`
    next_weekday: re.Pattern[str] | None  # see `resolve`


# ----------------------------------------------------------------------------------------------
# Public functions


def local_base(at: datetime, tz: str) -> datetime:
    """`at` as a naive wall-clock time in zone `tz` (dateparser's RELATIVE_BASE); a naive `at`
    is taken as UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def read(
    text: str,
    start: int,
    end: int,
    base: datetime,
    language: DateLanguage,
    *,
    until: re.Pattern[str] | None = None,
    max_phrases: int | None = None,
    budget: Budget | None = None,
    week: re.Pattern[str] | None = None,
) -> tuple[date | None, bool, bool]:
    """The date meant in text[start:end], whether it is ambiguous, and whether it is past.

    `language.dates` finds the phrases (see `grouped_locator` for its groups), which `resolve`
    reads with the language's code, synonyms and next_weekday pattern; a phrase right after
    `until` (searched in the few characters before it) is skipped; at most `max_phrases`
    different phrases are resolved, and one more makes the reading ambiguous; `budget` (one
    per message) bounds the dateparser calls of every stretch read with it. A bare weekday
    with one phrase that `week` matches ("Thursday next week") is that weekday in that week."""
    budget = budget if budget is not None else Budget()
    found: set[date] = set()
    weeks: set[date] = set()  # the Mondays of the weeks named
    weekdays: set[int] = set()  # the bare weekdays named
    others = 0  # phrases that are neither
    asked: set[str] = set()
    ambiguous = past = False
    for phrase in language.dates.finditer(text, start, end):
        if phrase.lastgroup == "past":
            past = True
            continue
        if phrase.lastgroup in ("range", "vague"):
            ambiguous = True
            continue
        if until and until.search(text, max(start, phrase.start() - _UNTIL_REACH), phrase.start()):
            continue  # "I'm on leave until the 15th" dates the leave, not the meeting
        key = phrase.group(0).lower()
        if key not in asked:
            if max_phrases is not None and len(asked) >= max_phrases:
                # a sentence with this many dates names no single day; stop calling dateparser
                ambiguous = True
                break
            asked.add(key)
        cached = (id(language), key)
        if cached not in budget.resolved:  # the same phrase twice costs dateparser once
            try:
                budget.resolved[cached] = resolve(
                    key, language.code, base, language.synonyms, language.next_weekday, budget
                )
            except _Exhausted:
                ambiguous = True
                break
        day, unclear = budget.resolved[cached]
        ambiguous = ambiguous or unclear
        if day is not None:
            found.add(day)
            if week is not None and week.match(key.strip()):
                weeks.add(day - timedelta(days=day.weekday()))
            elif week is not None and _is_bare_weekday(key):
                weekdays.add(day.weekday())
            else:
                others += 1
    if len(weeks) == 1 and len(weekdays) == 1 and not others:
        found = {weeks.pop() + timedelta(days=weekdays.pop())}
    today = base.date()
    if found and all(day < today for day in found) or (past and not found and not ambiguous):
        return None, False, True
    found = {day for day in found if day >= today}
    if ambiguous or len(found) > 1:
        return None, True, False
    return (found.pop() if found else None), False, False


def _is_bare_weekday(phrase: str) -> bool:
    """Whether `phrase` is a weekday alone ("Thursday's", "le jeudi")."""
    cleaned = _LEADING_WORDS.sub("", _POSSESSIVE.sub("", phrase.strip().lower()))
    return _BARE_WEEKDAY.match(cleaned) is not None


def resolve(
    phrase: str,
    language: str,
    base: datetime,
    synonyms: Synonyms = (),
    next_weekday: re.Pattern[str] | None = None,
    budget: Budget | None = None,
) -> tuple[date | None, bool]:
    """Parse one located phrase with dateparser; (date, ambiguous).

    `synonyms` rewrite the cleaned phrase, in order, before parsing; `next_weekday`, if it
    matches the whole rewritten phrase, names the weekday (its first non-empty group) meant as
    the first such day after today. Every dateparser call is spent from `budget`."""
    if len(phrase) > MAX_PHRASE:
        return None, True  # no date phrase is this long: never hand dateparser a paragraph
    budget = budget if budget is not None else Budget()
    cleaned = _POSSESSIVE.sub("", phrase.strip().lower())
    cleaned = _LEADING_WORDS.sub("", cleaned)
    if language == "en":
        cleaned = _INNER_WORDS.sub("", cleaned)
    cleaned = _ORDINAL.sub(r"\1", cleaned)
    for pattern, replacement in synonyms:
        cleaned = pattern.sub(replacement, cleaned)
    cleaned = " ".join(cleaned.split())

    numbers = _DAY_MONTH_NUMBERS.match(cleaned)
    if numbers and numbers.group(2) == "." and cleaned.count(".") == 1:
        cleaned = cleaned.replace(".", "/")  # "08.12" is a time to dateparser; "08/12" a date
    if numbers:
        first, second = int(numbers.group(1)), int(numbers.group(3))
        day_first = (
            _parse_numbers(cleaned, language, base, "DMY", (first, second), budget)
            if _may_be_day_month(first, second)
            else None
        )
        if language != "en" or numbers.group(2) == ".":
            # French and Spanish write the day first, and so does everyone who writes dots
            return day_first, False
        month_first = (
            _parse_numbers(cleaned, language, base, "MDY", (second, first), budget)
            if _may_be_day_month(second, first)
            else None
        )
        if day_first and month_first and day_first != month_first:
            return None, True
        return day_first or month_first, False

    weekday_match = next_weekday.match(cleaned) if next_weekday else None
    if weekday_match:
        # "mardi prochain": dateparser's bare weekday is already the first one after today
        weekday = next(group for group in weekday_match.groups() if group)
        return _parse(weekday, language, base, budget=budget), False

    day_without_month = _DAY_WITHOUT_MONTH.match(cleaned) is not None
    # a lone number is a month to dateparser's English default ("10" -> October): say day first
    order = "DMY" if day_without_month else None
    parsed = _parse(cleaned, language, base, order, budget)
    if parsed is None:
        return None, False
    today = base.date()
    if _BARE_WEEKDAY.match(cleaned) and parsed.weekday() == today.weekday():
        # dateparser skips to next week when the weekday named is today; people mean today
        return today, False
    if day_without_month and parsed < today:
        # "the 8th" written on the 30th means next month's; dateparser stays in this month,
        # so parse again from a base it moved one month on
        budget.spend()
        next_month = dateparser.parse("in 1 month", settings=_settings(base))
        if next_month is not None:
            return _parse(cleaned, language, next_month, order, budget), False
    return parsed, False


# ----------------------------------------------------------------------------------------------
# dateparser


def _may_be_day_month(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 else 30 if month in _SHORT else 31)


_SHORT = (4, 6, 9, 11)  # the months of 30 days


def _parse_numbers(
    phrase: str,
    language: str,
    base: datetime,
    order: str,
    day_month: tuple[int, int],
    budget: Budget,
) -> date | None:
    """One reading of "9/12"; None unless dateparser kept those numbers as day and month."""
    parsed = _parse(phrase, language, base, order, budget)
    # dateparser salvages an impossible reading ("12/25" day first -> 12 Dec 2125)
    if parsed is None or (parsed.day, parsed.month) != day_month:
        return None
    return parsed


def _settings(base: datetime, order: str | None = None) -> dict:
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"}
    if order:
        settings["DATE_ORDER"] = order
    return settings


def _parse(
    phrase: str,
    language: str,
    base: datetime,
    order: str | None = None,
    budget: Budget | None = None,
) -> date | None:
    if budget is not None:
        budget.spend()
    try:
        parsed = dateparser.parse(phrase, languages=[language], settings=_settings(base, order))
    except (ValueError, OverflowError):
        # out-of-range numbers that slipped through the locator ("31/02")
        return None
    return parsed.date() if parsed else None


# ----------------------------------------------------------------------------------------------
# periods: an absence that spans days ("OOO Dec 7-11", "du 7 au 11", "until the 15th")

MAX_PERIOD_DAYS = 62  # an absence longer than two months names no meeting worth asking about


def read_period(
    found: re.Match[str],
    base: datetime,
    language: DateLanguage,
    day_month: str = "{day} {month}",
    budget: Budget | None = None,
) -> tuple[date, date] | None:
    """The first and last day of the absence a period phrase names, from today at the
    earliest; None when it is past, too long, or not two dates in order.

    The phrase's named groups say what it holds: ``from`` and ``to`` (its first and last days),
    with ``month`` when they share one ("7-11 December", whose days are bare numbers joined to
    it with `day_month`, "{day} de {month}" in Spanish); ``to`` alone (from today: "until the
    15th"); ``back`` (the day the writer returns: the day before is the last one); ``whole``
    (a month: "all of January"). "The week of the 8th" is no period: the 8th binds to the
    meeting of that week as a day does."""
    budget = budget if budget is not None else Budget()
    groups = {name: value for name, value in found.groupdict().items() if value}
    month = groups.get("month")

    def day_of(phrase: str) -> date | None:
        phrase = phrase.strip()
        if month and phrase.isdigit():
            phrase = day_month.format(day=phrase, month=month)
        key = (id(language), phrase.lower())
        if key not in budget.resolved:  # the same phrase twice costs dateparser once
            try:
                budget.resolved[key] = resolve(
                    key[1], language.code, base, language.synonyms, language.next_weekday, budget
                )
            except _Exhausted:
                return None
        return budget.resolved[key][0]

    today = base.date()
    if "whole" in groups:
        first = day_of(day_month.format(day="1", month=groups["whole"]))
        if first is None:
            return None
        if (first.year - 1, first.month) == (today.year, today.month):
            first = first.replace(year=today.year)  # "all of December" written in December
        after = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        start, end = first, after - timedelta(days=1)
    elif "back" in groups:
        back = day_of(groups["back"])
        if back is None:
            return None
        start, end = today, back - timedelta(days=1)
    else:
        end = day_of(groups["to"]) if "to" in groups else None
        start = day_of(groups["from"]) if "from" in groups else today
        if start is None or end is None:
            return None
        if end < start and (start.month, start.day) != (2, 29):
            # "7-11 December" written on the 9th: dateparser moves the 7th, past, to next year
            earlier = start.replace(year=start.year - 1)
            if earlier <= end and (end - earlier).days <= MAX_PERIOD_DAYS:
                start = earlier
        if end < start:  # "from 28 December to 3 January"
            if (end.month, end.day) == (2, 29):
                return None  # no 29 February the year after one
            if end.replace(year=end.year + 1) - start <= timedelta(MAX_PERIOD_DAYS):
                end = end.replace(year=end.year + 1)
    start = max(start, today)
    if end < start or (end - start).days > MAX_PERIOD_DAYS:
        return None
    return start, end
