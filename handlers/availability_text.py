"""Recognise availability notices ("apologies, I can't make the 9 December call") in chat text.

A notice is a member saying that *they* will not attend a group meeting, in English, French or
Spanish. Reading one takes four steps, cheapest first:

1. Prefilter. One precompiled regex (the union of every language's absence expressions,
   accepting ’ for ') is searched; most chat messages contain none and stop there, in about
   ten to twenty microseconds.
2. Absence expression. Each language has a small table of expressions, grouped by *kind*:
   - ``verb``: a negated or "skip/miss" attendance verb ("can't make", "I'll have to sit out",
     "give it a miss", "count me out", "I have a clash", "je vais devoir sauter", "j'ai un
     empêchement", "pas dispo", "me toca faltar", "imposible para mí");
   - ``apology``: an apology noun ("apologies", "regrets", "excusez mon absence");
   - ``absent``: a statement of absence ("je serai absente", "estaré ausente");
   - ``elsewhere``: being somewhere else *during* a meeting ("I'll be on a plane during the
     call", "je serai en vol pendant l'appel", "estaré volando durante la reunión"); only
     clear states count ("driving" or "presenting" during the call are no absence), and the
     object must name a meeting, not merely a date ("durante la próxima semana" is not one).
   The expression must be the writer's own. French and Spanish verbs show the person; English
   ones do not, so there the word right before the expression (skipping adverbs and auxiliaries)
   must be "I", "we", "my" or a greeting or discourse word ("Sorry, can't make it"), never a
   name ("Maria can't make it"). Conditionals ("if I can't"), hedges ("I might not"), reports
   ("she said") and questions are no notices, except a request to pass on *my* apologies.
3. Meeting context. The words right after the expression (its *object*) are read token by
   token: small function words and meeting-ish modifiers are skipped, and the object must
   reach a meeting noun ("call", "réunion", "la reu", "sesión") or a date phrase. Any other
   word stops it ("can't make *sense*", "can't attend *to*", "I'll miss *you all*", "absent
   *du bureau*") unless it qualifies a meeting noun that follows within one more word ("the
   *PN* call", "the *budget committee* meeting"); determiners never qualify ("make *a* call"
   is a phone call, "miss *your* call" someone else's). A verb
   expression with no object at all ("I can't make it, sorry") is accepted when its sentence
   mentions a meeting or a date; an apology always needs its object ("apologies for the late
   reply" is no notice, "apologies for Tuesday" is).
4. Date. Candidate phrases are *located* with this module's regexes (built from the
   vocabulary of `date_phrases`) in the notice's sentence only, and read with
   `date_phrases.read`, whose docstring states the conventions shared with `outreach_text`: a
   bare weekday is the nearest such day, today included; a day without a month is the next
   such day; d/m numbers ("9/12") are ambiguous in English unless only one reading is a valid
   date, and day-first in French and Spanish; two phrases resolving to different dates make
   the reading ``ambiguous``. This module adds:
   - "next/following Tuesday", "mardi prochain/suivant", "el próximo martes", "el martes que
     viene/siguiente" are all the first such day after today;
   - a week phrase ("next week") resolves to the same weekday a week on; the caller matches it
     to the meeting held that week;
   - a date that ends an absence ("I'm on leave *until* the 15th", "jusqu'au", "hasta") is not
     the meeting's date, so "I won't join the next meeting, on leave until the 15th" is about
     the next meeting;
   - "the January meeting (12th)": a day in brackets after a month-named meeting is its date;
   - chat spellings are read: "tomorrows", "tmrw", "tmw", "2moro", "thurs", "Tuesdays call";
     "ce soir" and "semana que viene", which dateparser lacks, are mapped to phrases it knows;
   - a notice whose only dates lie before today is about a past meeting: no notice.

Borderline cases decided here: tentative wording ("I may not be able to") is not a notice;
"je ne peux pas assister à cette discussion sur la messagerie" is not one (a chat thread is
no meeting); proxy notices ("apologies from Tomás", "Ana can't make it") are left to the
person concerned, but "Ana and I can't make it" counts for the writer; "I'll be away/out" is
not an absence expression (too often about offices and holidays), though "I'm out *for*
Tuesday" is, as its object must be a meeting or a date; a month alone ("the
December call") is no date, so `when` stays None; "absent du bureau" / "ausente de la
oficina" is absence from an office, not a meeting.

Limits: only the notice's own sentence is read for dates (a date in the next sentence is not
used); at most the first 20 absence expressions of a message are examined; "we'll have to
skip the next call" is read as the writer's notice although an organiser may mean that the
call is cancelled; "mardi en huit" and "Tuesday next week" are not resolved to one day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from handlers import date_phrases, read_bounds
from handlers.date_phrases import (
    DAY,
    EN_DAY_MONTH,
    EN_MONTH,
    EN_WEEKDAY,
    EN_WEEKDAY_DATE,
    ES_DAY_MONTH,
    ES_WEEKDAY,
    ES_WEEKDAY_DATE,
    FR_DAY_MONTH,
    FR_WEEKDAY,
    FR_WEEKDAY_DATE,
    NUMERIC,
    ORD,
)

# ----------------------------------------------------------------------------------------------
# Result


@dataclass(frozen=True)
class AvailabilityReading:
    language: str  # "en", "fr" or "es"
    when: date | None  # the date meant, in the writer's time zone; None if no date given
    next_meeting: bool  # "the next meeting/call", "next session" with no explicit date
    ambiguous: bool  # a date phrase is there but resolves to no single date
    reason: str | None  # the stated reason if any, else None


# ----------------------------------------------------------------------------------------------
# Sentences, clauses and the language tables (the date vocabulary is in `date_phrases`)

# A sentence ends at ! ? ; a newline, or a full stop followed by a capital (so "Dec. 9" and
# "9 déc. en raison de" stay whole). Clauses also end at commas, colons and dashes.
_SENTENCE_END = re.compile(r"[!?;\n]|\.(?=\s+[A-ZÀ-ÖØ-Þ¿¡]|\s*$)")
_CLAUSE_END = re.compile(r"[,;:.!?\n()—–]|\s-\s")


@dataclass(frozen=True)
class _Language:
    """Everything one language needs; the tables below are the only place wording lives."""

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
    # `date_phrases.read` reads dates with `code`, `dates` and these two (see `DateLanguage`)
    synonyms: tuple[tuple[re.Pattern[str], str], ...] = ()  # phrase rewrites for dateparser
    next_weekday: re.Pattern[str] | None = None  # "mardi prochain" -> weekday, no "today" rule
    # right before a date phrase: the date ends an absence ("on leave until the 15th"), so it
    # is not the meeting's date
    until: re.Pattern[str] | None = None
    # English only (its verbs do not show the person): see `_writer_states_it`
    self_words: frozenset[str] | None = None  # may stand right before the expression
    adverbs: frozenset[str] = frozenset()  # skipped when looking for that word
    after_date: frozenset[str] | None = None  # may follow a date object ("Tuesday, as ...")


def _flags(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---- English ---------------------------------------------------------------------------------

_EN_ATTEND = (
    r"(?:make|do|attend(?!\s+to\b)|join|participate|dial\s+in|come|be\s+(?:at|on|in|there|present"
    r"|joining|attending(?!\s+to\b)|around|available))"
)
_EN_NEG = (
    r"(?:can'?t|cannot|can\s+not|won'?t|will\s+not|'ll\s+not|unable\s+to|not\s+able\s+to"
    r"|(?:won'?t|will\s+not|not\s+going\s+to)\s+be\s+able\s+to|not\s+going\s+to)"
)
# "I'll", "I have to", "(I'm) going to have to", "gonna" before a verb of skipping
_EN_MUST = (
    r"(?:'ll|\bwill|\bgoing\s+to|\bgonna|\bhave\s+to|\bneed\s+to|\bmust"
    r"|\bgot\s+to|\bgotta)\s+(?:have\s+to\s+)?"
)
_EN_SKIP = (
    r"(?:skip|miss|drop(?:\s+out)?|bow\s+out|pass\s+on|sit\s+(?:(?:this\s+one|it)\s+)?out"
    r"|be\s+missing|be\s+skipping|give\s+(?:\w+(?:'\w+)?\s+){1,4}a\s+miss)\b"
)
EN = _Language(
    code="en",
    expressions={
        "verb": rf"\b{_EN_NEG}\s+{_EN_ATTEND}\b"
        rf"|{_EN_MUST}{_EN_SKIP}"
        r"|(?:'ll|\bwill)\s+be\s+absent\b"
        r"|\bnot\s+(?:joining|attending(?!\s+to\b)|making\s+it)\b"
        r"|\bcount\s+me\s+out\b"
        # a clash names what it clashes with: "I have a clash with Tuesday's call"
        r"|\b(?:have|got)\s+(?:a\s+)?(?:clash|conflict)(?:\s+with)?\b|\bdouble[- ]?booked\b"
        # "I'm out for Tuesday" (but "I'm out" alone is as often about an office or a holiday)
        r"|(?:'m|\bam|'ll\s+be|\bwill\s+be)\s+out\s+for\b",
        "apology": r"\b(?:apologies|apologi[sz]e|regrets)\b",
        # "driving" or "presenting" during the call are no absences: only clear elsewhere states
        "elsewhere": r"(?:'ll\s+be|\bwill\s+be|'m|\bam|\bgoing\s+to\s+be|\bgonna\s+be)\s+"
        r"(?:on\s+(?:a|the|my)\s+(?:plane|flight|train)|in\s+the\s+air|in\s+flight|flying"
        r"|in\s+transit|travell?ing|asleep|offline|in\s+(?:another|a\s+different|a)\s+(?:meeting"
        r"|call))\s+(?:during|throughout|at\s+the\s+time\s+of)\b",
    },
    dates=_flags(
        # "this/next Tuesday('s)", optionally followed by a day and month; "Tuesdays call" lost
        # its apostrophe, but "I can't do Tuesdays" is a plural
        rf"\b(?:(?:this|next|coming|following)\s+)?{EN_WEEKDAY}"
        r"(?:'s|s(?=\s+(?:call|meeting|session)\b))?\b"
        rf"{EN_WEEKDAY_DATE}"
        rf"|{EN_DAY_MONTH}"
        # "the January meeting (12th)": the month qualifies the meeting, the day follows
        rf"|\b{EN_MONTH}\s+(?:[\w-]+\s+){{0,2}}?(?:meeting|call|session)\s*"
        rf"\(\s*(?:the\s+)?{DAY}{ORD}\s*\)"
        # chat spells "tomorrow's" as "tomorrows", "tmrw", "tmw"...
        r"|\b(?:today|tonight|tomorrow|yesterday|tmrw|tmw|tmr|2morrow|2moro)(?:'?s)?\b"
        r"|\bthis\s+(?:morning|afternoon|evening)(?:'s)?\b"
        r"|\b(?:next|this|last)\s+week(?:'s)?\b"
        rf"|\b{NUMERIC}"
    ),
    meeting=_flags(
        r"\b(?:meeting|call|session|sync|catch-up|check-in|plenary|workshop|webinar|meet)s?\b"
        # a meeting noun that only qualifies a document is no meeting ("the meeting notes")
        r"(?!\s+(?:notes|minutes|agenda|recording|link|invite|invitation|summary|slides|deck"
        r"|doc|document|materials|chat|time|slot|room|details|report|transcript|series"
        r"|organi[sz]er|host|etiquette|template)\b)"
    ),
    next_meeting=_flags(
        # up to two qualifiers: "the next PN call", "the next monthly drafting session"
        r"\b(?:the\s+)?(?:next|upcoming)\s+(?:[\w-]+\s+){0,2}?(?:meeting|call|session|one)\b"
    ),
    skippable=_words(
        "it to in on at for from me the this that one our my either all of part start "
        "beginning end first half second bit much any missing skipping not being joining "
        "attending making monthly weekly regular full plenary drafting outreach steering "
        "coordination group subgroup sub-group working online virtual zoom teams mwg wg "
        "next upcoming whole unfortunately sadly again please anymore after january "
        "february march april may june july august september october november december "
        "jan feb mar apr jun jul aug sep sept oct nov dec"
    ),
    past=frozenset({"last", "previous", "yesterday", "yesterday's"}),
    reason=_flags(
        r"\b(?:because(?:\s+of)?|since|due\s+to|owing\s+to"
        r"|as(?=\s+(?:i|i'm|i'll|i've|i\s+am|we|we're|we'll|my|our|there|it|it's|the|a|an)\b))\s+"
        r"|\s*[—–]\s*|:\s+|\s-\s+"
    ),
    # hedges, conditionals and reports of others anywhere before the expression in its clause
    blocked_before=_flags(
        r"\b(?:if|unless|whether|in\s+case|who|whoever|anyone|anybody|someone|somebody|might|may"
        r"|maybe|perhaps|says|said|told|mentioned|he|she|they)\b|¿"
    ),
    token=_flags(r"[\w-]+(?:'\w+)?|\S"),
    # English verbs do not show the person, so the word right before the expression must be
    # the writer ("I", "we", "my apologies") or a greeting or discourse word ("Sorry, can't make
    # it"); a name or another pronoun there ("Maria can't make it") makes it someone else's.
    self_words=_words(
        "i i'm im i'll i've i'd am 'm 'll we we'll we're we've my our sorry apologies "
        "afraid unfortunately sadly regrettably alas hi hello hey all folks everyone team "
        "colleagues ok okay yeah yes oh ah ugh argh but so and fyi btw note heads-up "
        "regret that say please accept send sending pass give though anyway actually"
    ),
    # adverbs and auxiliaries between the subject and the expression ("I will be unable to")
    adverbs=_words(
        "really probably definitely certainly honestly still just also unfortunately "
        "sadly now then totally simply will 'll be am 'm shall going to gonna"
    ),
    after_date=_words(
        "either as because since due owing unfortunately sorry and but so or too at in "
        "for then after anymore though morning afternoon evening all please with this "
        "that i i'm i'll we apologies regrets"
    ),
    until=_flags(r"\b(?:until|till|til|through|back(?:\s+on)?)\s+$"),
    synonyms=(
        (_flags(r"^(?:tmrw|tmw|tmr|2morrow|2moro)s?$|^tomorrows$"), "tomorrow"),
        (_flags(r"(day|night)s$"), r"\1"),  # "todays", "tonights", "thursdays"
        (_flags(r"\bthurs?\b"), "thursday"),
        # "january meeting (12)" -> "12 january"
        (_flags(r"^(\w+)\.?\s.*\((\d{1,2})\)$"), r"\2 \1"),
    ),
    next_weekday=_flags(rf"^(?:next|coming|following)\s+({EN_WEEKDAY})$"),
)

# ---- French ----------------------------------------------------------------------------------

_FR_ATTEND = (
    r"(?:assister|participer|[eê]tre|me\s+joindre|me\s+connecter|venir|rejoindre|y\s+[eê]tre"
    r"|y\s+assister|y\s+participer|me\s+lib[ée]rer)"
)
FR = _Language(
    code="fr",
    expressions={
        "verb": r"\bje\s+(?:ne\s+|n')?(?:\w+\s+)?(?:pourrai|pourrais|peux|vais)\s+(?:\w+\s+)?pas"
        rf"\s+(?:pouvoir\s+)?{_FR_ATTEND}\b"
        # "pourrai" is first person only, so a coordinated clause may drop "je"
        rf"|\bne\s+pourrai\s+(?:\w+\s+)?pas\s+{_FR_ATTEND}\b"
        r"|\bje\s+n'arriverai\s+(?:\w+\s+)?pas\s+à\s+(?:me\s+connecter|me\s+joindre|venir"
        r"|[eê]tre|assister|participer)\b"
        r"|\bje\s+ne\s+serai\s+(?:\w+\s+)?pas\s+(?:l[àa]|pr[ée]sente?|disponible|connect[ée]e?"
        r"|de\s+la\s+partie|des\s+v[ôo]tres|des\s+n[ôo]tres|parmi\s+vous)\b"
        r"|\bje\s+n'y\s+serai\s+(?:\w+\s+)?pas\b"
        # "pas dispo" shows no person: it must open a clause or follow "(je ne) suis/serai",
        # "moi" or "désolé(e)", never a name ("Marie n'est pas dispo")
        r"|\b(?=pas\s)(?:(?<!\w\s)|(?<=\bsuis\s)|(?<=\bserai\s)|(?<=\bserais\s)|(?<=\bmoi\s)"
        r"|(?<=sol[ée]\s)|(?<=sol[ée]e\s))pas\s+dispo(?:nible)?\b"
        # the object decides: "impossible pour moi mardi", not "... d'ouvrir le document"
        r"|\b(?:impossible\s+pour\s+moi|il\s+me\s+sera\s+impossible)\b"
        r"|\bj'ai\s+(?:un\s+)?(?:petit\s+|gros\s+)?(?:empêchement|empechement"
        r"|conflit\s+d'(?:agenda|horaire))\b"
        r"|\bje\s+(?:vais\s+devoir|dois|devrai)\s+(?:\w+\s+)?(?:manquer|rater|m'absenter"
        r"|sauter|faire\s+l'impasse\s+sur)\b"
        # "je ne manquerai pas de" means "I won't fail to": the verb must follow "je" directly
        r"|\bje\s+(?:vais\s+)?(?:manquer(?:ai)?|rater(?:ai)?|sauter(?:ai)?)\b",
        "absent": r"\bje\s+serai\s+absente?\b|\bnous\s+serons\s+absente?s\b",
        "apology": r"\bexcuse[rz]?\s+(?:mon|notre)\s+absence\b|\bje\s+m'excuse\b|\bexcusez-moi\b"
        r"|\bje\s+(?:dois|tiens\s+à)\s+(?:\w+\s+)?m'excuser\b|\b(?:toutes\s+)?mes\s+excuses\b"
        r"|\b(?:merci\s+de|veuillez)\s+(?:bien\s+)?(?:vouloir\s+)?m'excuser\b",
        "elsewhere": r"\bje\s+(?:serai|suis)\s+(?:en\s+(?:vol|avion|transit|d[ée]placement"
        r"|mission|r[ée]union|route)|dans\s+(?:l'avion|le\s+train|une\s+autre\s+r[ée]union)"
        r"|hors\s+ligne)"
        r"\s+(?:pendant|durant|lors|au\s+moment)\b",
    },
    dates=_flags(
        rf"\b(?:ce\s+)?{FR_WEEKDAY}{FR_WEEKDAY_DATE}"
        r"(?:\s+(?:prochain|suivant))?\b"
        rf"|{FR_DAY_MONTH}"
        # "le 15" / "du 15", but not "le 15h" nor "le 15 %"
        rf"|\b(?:le|du)\s+{DAY}\b(?![/.]\d|\s*(?:h\b|heures?|:|%|ans|min))"
        r"|\b(?:aujourd'hui|demain|après-demain|hier|ce\s+soir|cet\s+après-midi|ce\s+matin)(?!\w)"
        r"|\b(?:la\s+)?semaine\s+(?:prochaine|dernière)\b|\bcette\s+semaine\b"
        rf"|\b{NUMERIC}"
    ),
    meeting=_flags(
        r"\b(?:réunion|reunion|r[ée]u|appel|séance|seance|session|visio(?:conférence)?|rencontre"
        # "groupe de travail" is a meeting; "travail" alone is work ("être au travail demain")
        r"|atelier|plénière|call|groupe\s+de\s+travail)s?\b"
    ),
    next_meeting=_flags(
        r"\b(?:la\s+)?prochaine\s+(?:réunion|reunion|r[ée]u|séance|seance|session|rencontre)\b"
        r"|\b(?:le\s+)?prochain\s+(?:appel|call|atelier)\b"
    ),
    skippable=_words(
        "à a au aux la le l' les de du d' des lors pour en ce cette cet me y m' assister "
        "participer être etre présent présente présents là connecter connectée joindre "
        "rejoindre venir malheureusement hélas mon notre absence prochaine prochain "
        "mensuelle mensuel plénière groupe rédaction vôtres nôtres partie parmi "
        "vous"
    ),
    past=frozenset({"dernière", "derniere", "dernier", "précédente", "hier"}),
    reason=_flags(
        r"\b(?:car|parce\s+qu(?:e\b|')|en\s+raison\s+d(?:e\b|u\b|es\b|')|à\s+cause\s+d(?:e\b|u\b"
        r"|es\b|')|puisque\b|vu\s+que\b)\s*|\s*[—–]\s*|:\s+|\s-\s+"
    ),
    blocked_before=_flags(r"\b(?:si|s'il|au\s+cas\s+où|peut-être|peut-etre)\b|¿"),
    token=_flags(r"\w+'(?=\w)|[\w-]+|\S"),
    synonyms=(
        (_flags(r"^(?:ce\s+soir|cet\s+après-midi|ce\s+matin)$"), "aujourd'hui"),
        (_flags(r"^ce\s+"), ""),
    ),
    next_weekday=_flags(rf"^({FR_WEEKDAY})\s+(?:prochain|suivant)$"),
    until=_flags(r"\b(?:jusqu'(?:au|à|a)?|(?:de\s+)?retour)\s*$"),
)

# ---- Spanish ---------------------------------------------------------------------------------

_ES_ATTEND = (
    r"(?:asistir|participar|estar|conectarme|unirme|sumarme|ir|llegar|entrar"
    r"|acompañarl[oe]s)"
)
ES = _Language(
    code="es",
    expressions={
        "verb": r"\bno\s+(?:podré|podre|puedo|podremos|voy\s+a(?:\s+poder)?"
        rf"|vamos\s+a(?:\s+poder)?)\s+(?:\w+\s+)?{_ES_ATTEND}\b"
        r"|\bno\s+(?:asistir[ée]|participar[ée]|ir[ée]|me\s+conectar[ée])\b"
        # bare "no voy a poder": its object is checked like any other
        r"|\bno\s+voy\s+a\s+poder\b"
        r"|\blamento\s+no\s+poder\b"
        rf"|\bme\s+(?:va\s+a\s+ser|será|sera|es)\s+imposible\s+{_ES_ATTEND}\b"
        r"|\bno\s+(?:alcanzo|alcanzaré|alcanzare|voy\s+a\s+alcanzar)\s+a\s+(?:llegar|conectarme"
        r"|estar|asistir|entrar)\b"
        r"|\bno\s+(?:llego|llegaré|llegare)\b"  # "no llego a la reunión": the object decides
        rf"|\bno\s+me\s+(?:va\s+a\s+ser|será|sera|es)\s+posible\s+{_ES_ATTEND}\b"
        r"|\b(?:me\s+toca|tengo\s+que|voy\s+a\s+tener\s+que)\s+(?:perderme|faltar"
        r"|ausentarme)\b"
        # the object decides: "imposible para mí el 8", not "... revisar esto hoy"
        r"|\b(?:imposible\s+para\s+m[íi]|para\s+m[íi]\s+(?:es|será|sera)\s+imposible)\b"
        # subjunctive after an apology: "disculpen que no pueda estar"
        rf"|\b(?:disculpen|perdonen|siento|lamento)\s+(?:que\s+)?no\s+pueda\s+{_ES_ATTEND}\b"
        # "no me perderé" means "I won't miss it", "no faltaré" "I won't be missing"
        r"|(?<!\bno\s)\bme\s+(?:perderé|perdere|voy\s+a\s+perder|ausentaré|ausentare"
        r"|voy\s+a\s+ausentar)\b"
        r"|(?<!\bno\s)\b(?:faltaré|faltare|voy\s+a\s+(?:faltar|ausentarme))\b",
        "absent": r"\bestar[ée]\s+ausente\b"
        r"|\bno\s+estar[ée]\s+(?:presente|disponible|en|con\s+ustedes)\b",
        "apology": r"\bdisculp(?:en|e|an)\s+mi\s+ausencia\b|\b(?:pido|mis)\s+disculpas\b",
        "elsewhere": r"\b(?:estar[ée]|estoy)\s+(?:volando|viajando|de\s+viaje"
        r"|en\s+(?:un\s+|el\s+)?(?:vuelo|avi[óo]n|tr[áa]nsito|camino)|en\s+otra\s+reuni[óo]n"
        r"|sin\s+conexi[óo]n)"
        r"\s+(?:durante|a\s+la\s+hora\s+de)\b",
    },
    dates=_flags(
        rf"\b(?:(?:el|del|este|próximo|proximo|siguiente)\s+)?{ES_WEEKDAY}{ES_WEEKDAY_DATE}"
        r"(?:\s+(?:pr[óo]ximo|siguiente|que\s+viene))?\b"
        rf"|{ES_DAY_MONTH}"
        rf"|\b(?:el|del)\s+{DAY}\b(?![/.]\d|\s*(?:h\b|horas?|:|%|años|min))"
        # "mañana" is also "morning": not after "la" ("por la mañana")
        r"|\b(?:hoy|pasado\s+mañana|(?<!\bla\s)mañana|ayer|esta\s+(?:tarde|noche|mañana))(?!\w)"
        r"|\b(?:la\s+)?(?:próxima|proxima)\s+semana\b|\b(?:la\s+)?semana\s+(?:que\s+viene"
        r"|próxima|pasada)\b|\besta\s+semana\b"
        rf"|\b{NUMERIC}"
    ),
    meeting=_flags(
        r"\b(?:reuni[óo]n|reuniones|reu|llamada|llamado|sesi[óo]n|sesiones|encuentro"
        # "grupo de trabajo" is a meeting; "trabajo" alone is work ("ir al trabajo mañana")
        r"|videollamada|taller|plenaria|junta|grupo\s+de\s+trabajo)s?\b"
    ),
    next_meeting=_flags(
        r"\b(?:la\s+)?pr[óo]xima\s+(?:reuni[óo]n|reu|sesi[óo]n|llamada|junta|plenaria)\b"
        r"|\b(?:el\s+)?pr[óo]ximo\s+(?:llamado|encuentro|taller)\b"
    ),
    skippable=_words(
        "a al la el los las en de del esta este estar asistir participar conectarme "
        "unirme sumarme ir presente presentes ahí allí mi para lamentablemente tampoco "
        "con ustedes próxima proxima próximo mensual grupo"
    ),
    past=frozenset({"pasada", "pasado", "última", "ultima", "anterior", "ayer"}),
    reason=_flags(
        r"\b(?:porque|debido\s+a(?:l\b)?|ya\s+que|puesto\s+que"
        # "por" gives a reason, except in "por la tarde", "por favor", "por escrito"...
        r"|por(?!\s+(?:favor|la\s+(?:mañana|tarde|noche)|escrito|zoom|teams|aquí|el\s+chat)\b))"
        r"\s+|\s*[—–]\s*|:\s+|\s-\s+"
    ),
    blocked_before=_flags(r"\b(?:si|quizás?|quizas?|tal\s+vez|a\s+lo\s+mejor)\b|¿"),
    token=_flags(r"[\w-]+|\S"),
    synonyms=(
        (_flags(r"^esta\s+(?:tarde|noche|mañana)$"), "hoy"),
        (_flags(r"^(?:la\s+)?semana\s+(?:que\s+viene|próxima)$"), "la próxima semana"),
        (_flags(r"^este\s+"), ""),
    ),
    next_weekday=_flags(
        rf"^(?:(?:pr[óo]ximo|siguiente)\s+({ES_WEEKDAY})"
        rf"|({ES_WEEKDAY})\s+(?:pr[óo]ximo|siguiente|que\s+viene))$"
    ),
    until=_flags(r"\b(?:hasta|(?:de\s+)?(?:vuelta|regreso))\s+$"),
)

LANGUAGES = (EN, FR, ES)


def _expression(source: str) -> str:
    # phones and macOS type "can’t": the prefilter sees raw text, so accept both apostrophes
    # (expression sources therefore never put an apostrophe inside a [character class])
    return source.replace("'", "['’]")


_EXPRESSIONS = tuple(
    (lang, kind, _flags(_expression(source)))
    for lang in LANGUAGES
    for kind, source in lang.expressions.items()
)
# The prefilter is the union of every expression: if it finds nothing, nothing else can. Every
# expression starts at an apostrophe ("'ll") or at the start of a word beginning with one of
# these letters; looking ahead for that first lets the regex engine dismiss most positions
# (all those inside words) at once, which cuts the cost on ordinary messages by more than half
# (unit tests check the prefilter still agrees with the expressions).
_FIRST_LETTERS = "acdefghijlmnprstuvw"
_PREFILTER = _flags(
    rf"(?=['’]|\b[{_FIRST_LETTERS}])(?:"
    + "|".join(f"(?:{_expression(s)})" for lang in LANGUAGES for s in lang.expressions.values())
    + ")"
)

# determiners that make "a call" a telephone call and "your session" someone else's
_NOT_QUALIFIERS = _words(
    "a an another any each every no some your his her their its un une votre vos son sa ses "
    "leur leurs una uno otra otro su sus tu tus"
)
_MAX_REASON = 200
# A reason given without a marker, as the writer's own next clause or sentence: "I can't make
# the 8 December call, I'm travelling to the IGF" (English only; other languages mark it).
_STATED_REASON = re.compile(
    r"[,.;]\s+((?:i'm|i\s+am|i'll\s+be|i\s+will\s+be|i\s+have|i've\s+got)\s[^.!?;\n]+)",
    re.IGNORECASE,
)
_WINDOW = 400  # characters read around an expression for its clause and sentence
# A notice says so early; a message repeating absence expressions thousands of times is read
# only this far, so it cannot cost seconds.
_MAX_EXPRESSIONS = 20
# a sentence naming this many different date phrases names no single day: no more go to
# dateparser (see `date_phrases.read`)
_MAX_DATES = 6


# ----------------------------------------------------------------------------------------------
# Public functions


def might_be_notice(text: str) -> bool:
    """Whether `text` contains any absence expression at all (the cheap first test)."""
    return _PREFILTER.search(text) is not None


def recognise(text: str, at: datetime, tz: str) -> AvailabilityReading | None:
    """Read `text`, written at `at` by someone in zone `tz`, as an availability notice, or None."""
    budget = date_phrases.Budget()  # one for the whole message: every expression spends from it
    base = date_phrases.local_base(at, tz)
    for part in read_bounds.parts(text):
        reading = _recognise(part, base, budget)
        if reading is not None:
            return reading
    return None


def _recognise(text: str, base: datetime, budget: date_phrases.Budget):
    if not might_be_notice(text):
        return None
    text = text.replace("\u2019", "'").replace("\u00a0", " ")
    # the first few matches of each expression hold the first few of all: never scan further
    matches = sorted(
        (
            (m.start(), lang, kind, m)
            for lang, kind, rx in _EXPRESSIONS
            for m in islice(rx.finditer(text), _MAX_EXPRESSIONS)
        ),
        key=lambda item: item[0],
    )
    for _, lang, kind, match in matches[:_MAX_EXPRESSIONS]:
        reading = _read(text, lang, kind, match, base, budget)
        if reading is not None:
            return reading
    return None


# ----------------------------------------------------------------------------------------------
# Reading one expression


def _read(
    text: str,
    lang: _Language,
    kind: str,
    match: re.Match[str],
    base: datetime,
    budget: date_phrases.Budget,
) -> AvailabilityReading | None:
    sentence_start, sentence_end = _span(_SENTENCE_END, text, match.start(), match.end())
    clause_start, clause_end = _span(_CLAUSE_END, text, match.start(), match.end())
    if not _writer_states_it(text, lang, match, clause_start, clause_end):
        return None

    verdict = _object(text, lang, match.end(), clause_end)
    if verdict in ("fail", "past"):
        return None
    if verdict == "bare" and (
        kind in ("apology", "elsewhere")
        or not _has_context(text, lang, sentence_start, sentence_end)
    ):
        return None
    # being elsewhere is an absence only during a meeting: "on a plane during the call"
    if kind == "elsewhere" and not lang.meeting.search(text, match.end(), clause_end):
        return None

    reason, reason_start = _reason(text, lang, match.end(), sentence_end)
    if reason is None and lang.code == "en":
        reason, reason_start = _stated_reason(text, match.end(), sentence_end, reason_start)
    dates = {"until": lang.until, "max_phrases": _MAX_DATES, "budget": budget}
    # the notice's own object names the meeting's day: "OOO Dec 7-11, so I'll miss the 8th"
    when, ambiguous, past = date_phrases.read(
        text, match.end(), max(match.end(), reason_start), base, lang, **dates
    )
    if when is None or ambiguous or past:
        when, ambiguous, past = date_phrases.read(
            text, sentence_start, reason_start, base, lang, **dates
        )
    if past:
        return None
    next_meeting = (
        when is None
        and not ambiguous
        and lang.next_meeting.search(text, sentence_start, reason_start) is not None
    )
    return AvailabilityReading(lang.code, when, next_meeting, ambiguous, reason)


def _span(boundary: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of text around [start, end) that no boundary interrupts."""
    # clauses and sentences in chat are short; a bounded window keeps a long message linear
    left = max(0, start - _WINDOW)
    for found in boundary.finditer(text, left, start):
        left = found.end()
    right_limit = min(len(text), end + _WINDOW)
    right_match = boundary.search(text, end, right_limit)
    return left, right_match.start() if right_match else right_limit


def _writer_states_it(
    text: str, lang: _Language, match: re.Match[str], clause_start: int, clause_end: int
) -> bool:
    """Not a question, conditional or hedge, and (in English) said by the writer themselves."""
    before = text[clause_start : match.start()]
    if lang.blocked_before.search(before) or lang.blocked_before.search(match.group(0)):
        return False
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


def _object(text: str, lang: _Language, pos: int, clause_end: int) -> str:
    """What follows the expression: "object" (a meeting or date), "bare", "fail" or "past"."""
    past = False
    for _ in range(12):  # objects are short; never walk a long message
        while pos < clause_end and text[pos].isspace():
            pos += 1
        if pos >= clause_end:
            return "past" if past else "bare"
        date_match = lang.dates.match(text, pos)
        if date_match:
            if past or _is_past_word(lang, date_match.group(0)):
                return "past"
            return (
                "object" if _date_ends_object(text, lang, date_match.end(), clause_end) else "fail"
            )
        if lang.meeting.match(text, pos) or lang.next_meeting.match(text, pos):
            return "past" if past else "object"
        token = lang.token.match(text, pos)
        word = token.group(0).lower() if token else ""
        if word in lang.past:
            past = True
        elif (
            word not in lang.skippable
            # English possessives qualify the meeting ("this month's call")
            and not (lang is EN and word.endswith("'s"))
            and not _qualifies_meeting(
                text, lang, word, token.end() if token else pos + 1, clause_end
            )
        ):
            return "fail"
        pos = token.end() if token else pos + 1
    return "fail"


def _qualifies_meeting(text: str, lang: _Language, word: str, pos: int, clause_end: int) -> bool:
    """Whether `word`, ending at `pos`, qualifies a meeting noun that follows within one more
    word: "the *PN* call", "the *board* meeting", but not "make *a* call" nor "miss *your* call"."""
    if word in _NOT_QUALIFIERS:
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


def _date_ends_object(text: str, lang: _Language, pos: int, clause_end: int) -> bool:
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
        if word not in lang.skippable:
            return False
        pos = token.end()
    return False


def _is_past_word(lang: _Language, phrase: str) -> bool:
    return any(word in lang.past for word in phrase.lower().split())


def _has_context(text: str, lang: _Language, start: int, end: int) -> bool:
    """Whether the sentence mentions a meeting or a date at all."""
    return bool(lang.dates.search(text, start, end) or lang.meeting.search(text, start, end))


def _stated_reason(text: str, pos: int, sentence_end: int, stop: int) -> tuple[str | None, int]:
    """A reason stated without a marker in the rest of the sentence or the very next one;
    (None, `stop`) when there is none."""
    found = _STATED_REASON.search(text, pos, min(len(text), sentence_end + 1))
    if found is None:
        following = _STATED_REASON.match(text, sentence_end)
        found = following if following and following.start() == sentence_end else None
    if found is None:
        return None, stop
    reason = found[1].strip(" \t,.;:!—–-")
    if not reason or reason.endswith("?"):
        return None, stop
    return reason[:_MAX_REASON].rstrip(), min(stop, found.start())


def _reason(text: str, lang: _Language, pos: int, sentence_end: int) -> tuple[str | None, int]:
    """The stated reason after the notice, and where the notice's own words stop."""
    marker = lang.reason.search(text, pos, sentence_end)
    if not marker:
        return None, sentence_end
    reason = text[marker.end() : sentence_end].strip(" \t,.;:!—–-")
    if not reason or reason.endswith("?"):
        # a trailing request ("— could someone take notes?") is no reason
        return None, marker.start()
    return reason[:_MAX_REASON].rstrip(), marker.start()
