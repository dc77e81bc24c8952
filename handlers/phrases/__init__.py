"""The phrases chat capture recognises, as data: one TOML file per language, and `common.toml`.

A language file (`en.toml`, `fr.toml`, `es.toml`; adding a language is adding a file) holds:

- ``code`` (dateparser's language code) and ``order`` (which language reads first when two
  match at the same place);
- ``[vocabulary]``: named regex pieces (weekdays, months, "attend" verbs...) that the patterns
  below use as ``${name}``; ``${DAY}``, ``${ORD}``, ``${NUMERIC}`` and ``${UPPER}`` are shared by
  every language and defined here. The names of weekdays and months are dateparser's own
  (its language data for ``code``), each accepted with or without its accents:
  ``${dp_weekday_full}``, ``${dp_month_full}``, and ``${dp_weekday}``, ``${dp_month}`` with
  their abbreviations of three letters or more, less the file's ``not_date_words`` (an
  abbreviation that is an everyday word there: English "sun", French "jeu");
- ``[availability]``: the absence expressions by kind (``[availability.expressions]``), the date
  locator, meeting nouns, the words an object may skip, reason markers, hedges that block a
  notice, and for a language whose verbs do not show the person (English) the words that may
  stand before an expression;
- ``[outreach]``: the announcement triggers by kind, the date locator by group (``range``,
  ``vague``, ``past``, ``day``), event prepositions, event nouns, internal audiences...;
- ``[objection]``: the objection expressions, negations before and after, conditionals, and
  the common words that tell this language when an objection's words are shared;
- ``[words]``: small words, articles and particles of the language that the shared rules use
  (a place's particles, "the/la/el" before an event, words that name nothing alone).

A pattern is a string or a list of alternatives (joined with ``|``), compiled case-insensitive.
`common.toml` holds the objection words several languages share ("objection", "-1").
"""

from __future__ import annotations

import importlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Shared by every language: a day of the month, an ordinal suffix ("9th", "1er", "2º"), numeric
# dates ("2026-12-09", "9/12", "9/12/2026", "09.12.2026": dotted dates carry their year, since
# "3.5" is a number) and the capital letters a name may start with.
DAY = r"(?:[12]\d|3[01]|0?[1-9])"
ORD = r"(?:st|nd|rd|th|er|e|ème|º|°)?"
NUMERIC = r"\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b"
UPPER = "A-ZÀ-ÖØ-Þ"
SHARED = {"DAY": DAY, "ORD": ORD, "NUMERIC": NUMERIC, "UPPER": UPPER}

_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


@dataclass(frozen=True)
class PhraseFile:
    """One language file, read: its tables as written and its vocabulary expanded."""

    code: str
    order: int
    vocabulary: dict[str, str]
    tables: dict

    def source(self, entry: str | list[str]) -> str:
        """A pattern's regex source, its ``${name}`` pieces expanded."""
        return expand(entry, self.vocabulary)

    def pattern(self, entry: str | list[str]) -> re.Pattern[str]:
        return re.compile(self.source(entry), re.IGNORECASE)

    def optional(self, table: dict, key: str) -> re.Pattern[str] | None:
        return self.pattern(table[key]) if key in table else None


def expand(entry: str | list[str], vocabulary: dict[str, str]) -> str:
    """`entry` joined into one regex source, with ``${name}`` replaced from `vocabulary`."""
    source = entry if isinstance(entry, str) else "|".join(entry)
    for _ in range(8):  # pieces may use pieces; a few levels suffice, and a cycle stops here
        expanded = _PLACEHOLDER.sub(lambda m: vocabulary[m.group(1)], source)
        if expanded == source:
            return expanded
        source = expanded
    raise ValueError(f"phrase vocabulary nests too deep: {source[:60]}")


def words(entry: str) -> frozenset[str]:
    """A space-separated word list as a set."""
    return frozenset(entry.split())


MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MIN_ABBREVIATION = 3  # "mo", "ma", "me": two letters name a day too rarely to be worth it


def date_words(code: str, not_date_words: frozenset[str] = frozenset()) -> dict[str, str]:
    """Regex pieces for the weekday and month names of dateparser's language `code`."""
    info = importlib.import_module(f"dateparser.data.date_translation_data.{code}").info

    def names(keys: list[str], abbreviations: bool) -> str:
        found: set[str] = set()
        for key in keys:
            forms = sorted({form.lower() for form in info.get(key, ())}, key=len)
            if not forms:
                continue
            found.add(forms[-1])  # the full name is the longest form
            if abbreviations:
                found.update(
                    form
                    for form in forms[:-1]
                    if len(form) >= _MIN_ABBREVIATION and form not in not_date_words
                )
        return "|".join(_unaccented_too(name) for name in sorted(found, key=lambda w: (-len(w), w)))

    return {
        "dp_weekday_full": names(WEEKDAYS, False),
        "dp_weekday": names(WEEKDAYS, True),
        "dp_month_full": names(MONTHS, False),
        "dp_month": names(MONTHS, True),
    }


def _unaccented_too(word: str) -> str:
    """`word` as a regex that also accepts it written without accents ("mi[ée]rcoles")."""
    out = []
    for char in word:
        base = unicodedata.normalize("NFD", char)[0]
        out.append(f"[{char}{base}]" if base != char else re.escape(char))
    return "".join(out)


def _read(path: Path) -> PhraseFile:
    with path.open("rb") as handle:
        tables = tomllib.load(handle)
    vocabulary = dict(SHARED)
    vocabulary.update(date_words(tables["code"], words(tables.get("not_date_words", ""))))
    for name, value in tables.get("vocabulary", {}).items():
        vocabulary[name] = value
    vocabulary = {name: expand(value, vocabulary) for name, value in vocabulary.items()}
    return PhraseFile(tables["code"], tables["order"], vocabulary, tables)


@cache
def languages() -> tuple[PhraseFile, ...]:
    """Every language file in this folder, in reading order."""
    found = [_read(path) for path in HERE.glob("*.toml") if path.stem != "common"]
    return tuple(sorted(found, key=lambda f: (f.order, f.code)))


@cache
def codes() -> list[str]:
    """The language codes of the files, in reading order: the languages dateparser reads a date
    typed in a command in, so that a new file teaches commands its weekdays and months too."""
    return [f.code for f in languages()]


@cache
def common() -> PhraseFile:
    """`common.toml`: the phrases several languages share."""
    with (HERE / "common.toml").open("rb") as handle:
        tables = tomllib.load(handle)
    return PhraseFile("", 0, dict(SHARED), tables)


@cache
def weekdays() -> str:
    """A regex source for a weekday in any language."""
    return "|".join(f"(?:{f.vocabulary['weekday']})" for f in languages())
