"""Recognise outreach announcements and objections to them in chat text.

The terms of reference let members promote the group's work at outside events "upon informing
the group", and let anyone object. This module reads both kinds of message, in English, French
or Spanish; it decides nothing and stores nothing.

An **outreach announcement** is the writer saying that *they* (or "we") will present, speak
about, represent or promote the group's work at an outside event, or will be on a panel, give a
talk, run or moderate a session there ("I'll be presenting our work at RightsCon on 5 May",
"je présenterai nos travaux au FGI Afrique le 12 septembre", "voy a hablar del PN en la
RightsCon"). Reading one takes five steps, cheapest first, as in `availability_text`:

1. Prefilter. One precompiled regex, the union of every language's trigger expressions
   (accepting ’ for '), is searched; ordinary chat stops there.
2. Trigger. Each language has a small table of expressions grouped by *kind*:
   - ``present``: present / speak about / talk about ("présenterai", "hablaré de");
   - ``promote``: represent / promote / showcase / mention, which must be followed by the group's
     work ("the PN", "our report", "nos travaux", "la red") — "I represent civil society" is no
     announcement;
   - ``role``: a role at an event that is outside by nature (on a panel, a keynote, a talk, a
     speaker, "panéliste", "ponente");
   - ``host``: running, hosting or moderating a session or workshop, which may be internal.
   The trigger must be the writer's own. French and Spanish verb forms show the first person;
   English ones do not, so there the words before the trigger, skipping auxiliaries ("'ll be",
   "am going to"), must reach "I" or "we" ("Ana and I will present" counts, "Maria will
   present" does not). Past tenses never match. Hedges, conditionals and questions ("I might",
   "if", "should someone", "?") are no announcements.
3. Event. Prepositional phrases in the trigger's sentence ("at …", "au …", "lors de …",
   "en el …") are cut at the next date, place, clause boundary or connecting word and sorted
   into *named* events ("the EuroDIG session"), *generic* ones ("an event", "un panel"),
   *internal* ones ("our next call", "la prochaine réunion", "the steering group") and places
   ("in Lisbon", "à Genève", "en Bogotá": a capitalised run with no event word in it). A
   trigger counts when its sentence names an outside event (named or generic) or a place, or,
   for the ``role`` kind, on its own; an internal audience alone makes it no announcement.
4. Date. Candidate phrases are located with this module's regexes (built from the vocabulary
   of `date_phrases`) in the trigger's sentence and read with `date_phrases.read`, whose
   docstring states the conventions shared with `availability_text` (a bare weekday is the
   nearest such day, today included; "next Tuesday" / "mardi prochain" is the first one after
   today; d/m numbers are ambiguous in English unless only one reading is valid, day-first in
   French and Spanish). Ranges ("3-5 March", "du 5 au 7 mai"), weeks and months ("next week",
   "le mois prochain", "in May") are there but name no single day: the reading is
   ``ambiguous``. A sentence whose only dates are past ("last week", "ayer") reports a past
   appearance: no announcement. At most six different date phrases of a sentence are parsed;
   a seventh makes the reading ``ambiguous``.
5. The event and place are returned as written (from the original text, typographic
   apostrophes included), trimmed. An article written as a word is kept ("the EuroDIG
   session", "la RightsCon", "el LACIGF"); one fused with its preposition is not ("au FGI
   Afrique" -> "FGI Afrique", "lors du Forum de Montréal" -> "Forum de Montréal").

Borderline cases decided here: attending is not announcing ("I'll attend RightsCon", "je
participerai à la RightsCon"); an invitation to the group ("we were invited to speak at X, who
wants to go?") is no announcement, since nobody has committed; "I've been asked/invited to
present at X" by a single writer is one unless a question follows; presenting with no outside
event, place or panel ("I'll present our findings next week") is not one, since it is as likely
to mean the group's own call; wishes and offers ("I'd love to", "happy to") are not; a generic
event ("at an event in Santiago") counts with ``event`` None; lowercase event names after "at",
"au", "en la" are accepted, but after "in", "for" or a bare "à"/"en" a name must be capitalised
or contain an event word.

An **objection** is a reply in an announcement's thread that objects: "I object", "-1, …",
"objection: …", "I'm not comfortable with this because …", "je m'oppose", "j'ai une objection",
"me opongo", "no estoy de acuerdo porque …". Negated and withdrawn forms ("no objection", "I
don't object", "pas d'objection", "sin objeciones", "objection withdrawn", "objection noted"),
questions ("any objections?"), conditionals ("I'd object if …") and approvals ("+1") are not.
Joining someone else's objection ("+1 to Ana's objection", "apoyo la objeción de Lucía") is one.
"I object to the font size in the draft" is read as an objection: in an announcement's thread an
objection to something else is rare, and a missed objection (a member going ahead although
someone objected) costs more than one the writer can withdraw. The reason is the text after ":",
a dash, "because", "as", "since", "car", "parce que", "puisque", "vu que", "porque", "ya que", or
after a comma right behind the objection ("-1, this conflicts with our neutrality"), up to the
end of the sentence; a reason in a following sentence is not read.

Limits: at most the first 20 trigger expressions of a message are examined; only the trigger's
sentence is read for its event, place and dates; an event named without a preposition
("RightsCon, 5 May: I'll present") is not found; event names containing "and" or, in English,
"to" are cut there. Gaps seen on held-out messages and left as they are: Spanish present tense
as future ("mañana doy una charla", "represento a la red"), verbs outside the tables
("keynoting", "speaking on the closing plenary of X"), an event after "du"/"of" with no
preposition the tables know, French and Spanish names cut at "en"/"para", all-capital places
("NYC"); for objections "I'm opposed", "I really don't think we should", a bare "strongly
object" or "Contre.".
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
    EN_MONTH_FULL,
    EN_WEEKDAY,
    EN_WEEKDAY_DATE,
    ES_DAY_MONTH,
    ES_MONTH,
    ES_MONTH_FULL,
    ES_WEEKDAY,
    ES_WEEKDAY_DATE,
    FR_DAY_MONTH,
    FR_MONTH,
    FR_MONTH_FULL,
    FR_WEEKDAY,
    FR_WEEKDAY_DATE,
    NUMERIC,
    ORD,
)

# ----------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class OutreachReading:
    language: str  # "en" | "fr" | "es"
    event: str | None  # the event's name as written, trimmed; None if not said
    when: date | None  # the date of the appearance in the writer's zone; None if not said
    ambiguous: bool  # a date phrase is there but can't be resolved to one date
    place: str | None  # "in Lisbon", "à Genève" -> "Lisbon" / "Genève", else None


@dataclass(frozen=True)
class ObjectionReading:
    language: str
    reason: str | None  # the stated reason, trimmed, <= 300 chars, or None


# ----------------------------------------------------------------------------------------------
# Shared vocabulary (the date words are in `date_phrases`)

_UPPER = "A-ZÀ-ÖØ-Þ"

# A sentence ends at ! ? ; a newline, or a full stop followed by a space or the end (so "Dec. 9"
# is cut, which only loses a rare date). Clauses also end at commas, colons and dashes.
_SENTENCE_END = re.compile(r"[!?;\n]|\.(?=\s|$)")
_CLAUSE_END = re.compile(r"[,;:.!?\n()—–]|\s-\s")
# Characters an event or place name is made of; anything else (emoji, "!", quotes) ends it.
_NAME_END = re.compile(r"[^\w\s'’&+./-]|[,;:!?\n()—–]|\.(?=\s|$)|\s-\s")


def _flags(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _apostrophes(source: str) -> str:
    # phones and macOS type "I’ll": the prefilter sees raw text, so accept both apostrophes
    # (expression sources therefore never put an apostrophe inside a [character class])
    return source.replace("'", "['’]")


# ----------------------------------------------------------------------------------------------
# Outreach: one table per language


@dataclass(frozen=True)
class _Language:
    """Everything one language needs to read an announcement; wording lives only here."""

    code: str
    triggers: dict[str, str]  # kind -> regex source
    dates: re.Pattern[str]  # locates and sorts date phrases: `date_phrases.grouped_locator`
    event_prep: re.Pattern[str]  # a preposition introducing an event or a place
    loose_preps: frozenset[str]  # preps whose phrase must look like a name (capital/event word)
    place_preps: frozenset[str]  # preps that may introduce a place
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
    # `date_phrases.read` reads dates with `code`, `dates` and these two (see `DateLanguage`)
    synonyms: tuple[tuple[re.Pattern[str], str], ...] = ()  # phrase rewrites for dateparser
    next_weekday: re.Pattern[str] | None = None  # "mardi prochain" -> weekday
    # English only (its verbs do not show the person): see `_writer_announces`
    subjects: frozenset[str] | None = None
    auxiliaries: frozenset[str] = frozenset()
    at_event: re.Pattern[str] | None = None  # "I'll be at X … presenting"


# ---- English ---------------------------------------------------------------------------------

_EN_ROLE_NOUN = (
    r"(?:talk|keynote|presentation|speech|lecture|briefing|lightning\s+talk|intervention|address)"
)
_EN_SESSION = (
    r"(?:session|workshop|panel|webinar|roundtable|round\s+table|side\s+event|breakout|discussion"
    r"|fireside\s+chat|masterclass|training)"
)
EN = _Language(
    code="en",
    triggers={
        "present": r"\b(?:presenting|(?<!\bbe\s)(?<!'m\s)(?<!\bam\s)present)\b"
        r"|\b(?:speak|speaking|talk|talking)(?=\s+(?:about|on|at|during|in|of)\b)"
        r"|\b(?:discuss|discussing)\b",
        "promote": r"\b(?:represent|representing|promote|promoting|showcase|showcasing|plug"
        r"|plugging|pitch|pitching|mention|mentioning|highlight|highlighting)\b",
        "role": rf"\b(?:giv(?:e|ing)|do(?:ing)?|deliver(?:ing)?)\s+(?:a|an|the|my|our)\s+"
        rf"(?:[\w-]+\s+){{0,2}}?{_EN_ROLE_NOUN}s?\b"
        r"|\bon\s+(?:a|the)\s+(?:[\w-]+\s+){0,2}?panel\b"
        r"|\b(?:a|the|one\s+of\s+the)\s+(?:[\w-]+\s+)?(?:speaker|panell?ist|keynote\s+speaker"
        r"|presenter)s?\b",
        "host": rf"\b(?:run(?:ning)?|host(?:ing)?|co-?host(?:ing)?|organi[sz](?:e|ing)"
        rf"|chair(?:ing)?|lead(?:ing)?|facilitat(?:e|ing))\s+(?:a|an|the|our)\s+"
        rf"(?:[\w-]+\s+){{0,2}}?{_EN_SESSION}s?\b"
        r"|\bmoderat(?:e|ing)\b",
    },
    dates=date_phrases.grouped_locator(
        ranges=rf"\b{DAY}{ORD}\s*(?:-|–|to)\s*{DAY}{ORD}\s+(?:of\s+)?{EN_MONTH}(?!\w)"
        rf"|\b{EN_MONTH}\s+{DAY}{ORD}\s*(?:-|–)\s*{DAY}{ORD}\b",
        vague=r"\b(?:next|this|coming)\s+(?:week|month)(?:'s)?\b|\blater\s+this\s+(?:week|month)\b"
        rf"|\b(?:in|during|early|mid|late|end\s+of)[\s-]+{EN_MONTH_FULL}\b(?!\s+\d)",
        past=r"\b(?:last|past|previous)\s+(?:week|month|year|"
        rf"{EN_WEEKDAY})(?:'s)?\b|\byesterday(?:'s)?\b|\b\w+\s+(?:days|weeks|months)\s+ago\b",
        days=rf"\b(?:(?:this|next|coming)\s+)?{EN_WEEKDAY}(?:'s)?\b"
        rf"{EN_WEEKDAY_DATE}"
        rf"|{EN_DAY_MONTH}"
        r"|\b(?:today|tonight|tomorrow|tmrw|tmr|2moro)(?:'s)?\b"
        r"|\bthis\s+(?:morning|afternoon|evening)(?:'s)?\b"
        rf"|\b{NUMERIC}",
    ),
    event_prep=_flags(r"\b(at|during|in|for|to)\s+"),
    loose_preps=frozenset({"in", "for", "to"}),
    place_preps=frozenset({"in"}),
    stop=_flags(
        r"\s(?:at|during|to|about|and|with|where|which|who|if|unless|but|so|then|because|since"
        r"|as|presenting|talking|discussing|speaking|representing|moderating|mostly|alongside"
        r"|together|please|via|when|while|i|i'll|i'm|we|we'll|we're|will|and|plus|or|if)\b"
    ),
    event_noun=_flags(
        r"\b(?:forum|conference|summit|session|workshop|panel|meeting|dialogue|consultations?"
        r"|week|day|days|festival|congress|symposium|webinar|event|track|seminar|expo|fair"
        r"|plenary|assembly|convention|roundtable|hearing|talk|keynote|lecture|igf|camp"
        r"|hackathon|retreat|school|academy|programme|program|launch|briefing|gathering)s?\b"
    ),
    not_event=_flags(
        r"^(?:the\s+|a\s+|my\s+|this\s+)?(?:moment|least|most|all|once|home|work|office|length"
        r"|doc|document|draft|chat|channel|thread|slack|list|email|website|site|linkedin|twitter"
        r"|blog|newsletter|detail|general|person|writing|english|french|spanish|time|end|start"
        r"|beginning|same\s+time)\b|^\d"
    ),
    internal=_flags(
        r"\b(?:our|us)\b|\b(?:next|monthly|weekly|regular|upcoming|tomorrow's|today's)\s+"
        r"(?:[\w-]+\s+)?(?:call|meeting|sync|session|check-in|catch-up)s?\b"
        r"|^(?:the\s+)?(?:group|mwg|wg|pn|policy\s+network|team|facilitators?|secretariat|list"
        r"|channel|call|meeting|session|sync)$|\b(?:steering|drafting|sub)[\s-]?(?:group|committee)\b"
    ),
    generic=_flags(r"^(?:a|an|some|my)\s"),
    nested=_flags(rf"\s(?:of(?:\s+the)?|at)\s+(?=[{_UPPER}])"),
    group_work=_flags(
        r"\b(?:pn|pn's|policy\s+network|policy\s+network's|mwg|mwg's|network|network's|group"
        r"|group's|us|our)\b"
    ),
    blocked_before=_flags(
        r"\b(?:if|unless|whether|who|whoever|anyone|anybody|someone|somebody|might|may|maybe"
        r"|perhaps|could|would|should|can|hope|hoping|wish|says|said|told|he|she|they)\b|¿"
    ),
    strip_end=_flags(r"(?:\s+(?:on|of|in|at|the|this|next|coming|from|for|to|by))+$"),
    token=_flags(r"[\w-]+(?:'\w+)?|\S"),
    synonyms=((_flags(r"^(?:tmrw|tmr|2moro)$"), "tomorrow"),),
    subjects=_words("i we i'll i'm im ill we'll we're i've"),
    auxiliaries=_words(
        "will shall am are be 'll 'm 're going to gonna plan planning intend intending also "
        "then definitely now just both all actually officially still again scheduled set due "
        "booked been asked invited selected confirmed have"
    ),
    at_event=_flags(
        r"\b(?:i|we)(?:'ll|\s+will|'m|\s+am|'re|\s+are)(?:\s+be)?\s+(?:at|in|attending)\b"
    ),
)

# ---- French ----------------------------------------------------------------------------------

_FR_ROLE = (
    r"(?:panéliste|paneliste|intervenante?|oratrice|orateur|conférencière|conférencier"
    r"|modératrice|modérateur|animatrice|animateur|keynote)s?"
)
FR = _Language(
    code="fr",
    triggers={
        "present": r"(?<!\bne\s)(?<!\bn')\b(?:présenterai|présenterons|interviendrai"
        r"|interviendrons|parlerai(?=\s+(?:de|du|des|d'|sur)\b)"
        r"|parlerons(?=\s+(?:de|du|des|d'|sur)\b))\b(?!\s+(?:pas|plus|jamais)\b)"
        r"|\b(?:je|nous)\s+(?:vais|allons|compte|comptons|dois|devons)\s+(?:présenter|intervenir"
        r"|parler(?=\s+(?:de|du|des|d'|sur)\b))\b"
        r"|\bje\s+présente\b|\bnous\s+présentons\b|\bj'interviens\b|\bnous\s+intervenons\b"
        r"|\b(?:je|nous)\s+(?:ferai|ferons|vais\s+faire|allons\s+faire)\s+(?:une|un)\s+"
        r"(?:présentation|exposé|intervention|conférence)\b",
        "promote": r"(?<!\bne\s)\b(?:représenterai|représenterons|promouvrai|promouvrons)\b"
        r"|\b(?:je|nous)\s+(?:vais|allons|compte|comptons)\s+(?:représenter|promouvoir"
        r"|mentionner|faire\s+la\s+promotion\s+d)"
        r"|\bje\s+représente\b|\b(?:je|nous)\s+(?:ferai|ferons)\s+la\s+promotion\s+d",
        "invited": r"\bon\s+m'a\s+(?:invitée?|demandé|proposé)\s+(?:à|de)\s+(?:présenter|intervenir"
        r"|parler(?=\s+(?:de|du|des|d'|sur)\b))\b"
        r"|\bj'ai\s+été\s+(?:invitée?|sollicitée?)\s+(?:à|pour)\s+(?:présenter|intervenir"
        r"|parler(?=\s+(?:de|du|des|d'|sur)\b))\b",
        "role": rf"\b(?:je|nous)\s+(?:serai|serons)\s+(?:l'une?\s+des\s+|parmi\s+les\s+)?{_FR_ROLE}\b"
        r"|\b(?:je|nous)\s+(?:participerai|participerons)(?=\s+à\s+(?:une?|la|le)\s+"
        r"(?:table\s+ronde|panel|débat))",
        "host": r"\b(?:je|nous)\s+(?:modérerai|modérerons|animerai|animerons|modère|anime"
        r"|vais\s+(?:modérer|animer)|allons\s+(?:modérer|animer))\b"
        r"|\bj'(?:animerai|anime)\b|\b(?:modérerai|animerai)\b"
        r"|\b(?:je|nous)\s+(?:participerai|participerons)(?=\s+à\s+(?:une?|la|le)\s+"
        r"(?:atelier|session))",
    },
    dates=date_phrases.grouped_locator(
        ranges=rf"\b(?:du\s+)?{DAY}(?:er)?\s+au\s+{DAY}\s+{FR_MONTH}(?!\w)"
        rf"|\b{DAY}(?:er)?\s*[-–]\s*{DAY}\s+{FR_MONTH}(?!\w)",
        vague=r"\b(?:la\s+)?semaine\s+prochaine\b|\b(?:le\s+)?mois\s+prochain\b|\bcette\s+semaine\b"
        rf"|\bce\s+mois-ci\b|\b(?:en|début|mi-|fin|courant)\s*{FR_MONTH_FULL}\b(?!\s+\d)",
        past=r"\bhier\b|\b(?:la\s+)?semaine\s+derni[èe]re\b|\b(?:le\s+)?mois\s+dernier\b"
        r"|\bl'ann[ée]e\s+derni[èe]re\b|\bil\s+y\s+a\s+\w+\s+(?:jours|semaines|mois)\b",
        days=rf"\b(?:ce\s+)?{FR_WEEKDAY}{FR_WEEKDAY_DATE}"
        r"(?:\s+prochain)?\b"
        rf"|{FR_DAY_MONTH}"
        rf"|\b(?:le|du)\s+{DAY}\b(?![/.]\d|\s*(?:h\b|heures?|:|%|ans|min))"
        r"|\b(?:aujourd'hui|demain|après-demain|ce\s+soir|cet\s+après-midi|ce\s+matin)(?!\w)"
        rf"|\b{NUMERIC}",
    ),
    event_prep=_flags(
        r"\b(au|aux|à|pendant|durant|lors\s+du|lors\s+des|lors\s+de)\s+|\b(lors\s+d')"
    ),
    loose_preps=frozenset({"à"}),
    place_preps=frozenset({"à"}),
    stop=_flags(
        r"\s(?:pour|afin|et|où|qui|avec|avant|après|puis|mais|car|dont|ce|cette|je|j'|nous|y"
        r"|en|au|aux|à|lors|pendant|durant|si|comme|ou)\b"
    ),
    event_noun=_flags(
        r"\b(?:forum|conférence|conference|sommet|session|atelier|panel|réunion|dialogue"
        r"|consultations?|semaine|journées?|salon|congrès|colloque|séminaire|webinaire|webinar"
        r"|événement|évènement|assemblée|table\s+ronde|rencontres?|festival|fgi|igf|débat"
        r"|conférence-débat|université|école)s?\b"
    ),
    not_event=_flags(
        r"^(?:la\s+|le\s+|l'|un\s+|une\s+)?(?:maison|bureau|moment|fois|fin|début|liste"
        r"|messagerie|chat|fil|document|brouillon|ligne|site|écrit|détail|propos|sujet|ordre"
        r"|anglais|français|espagnol)\b|^\d"
    ),
    internal=_flags(
        r"\b(?:notre|nos)\b|\bprochaine?\s+(?:réunion|reunion|séance|seance|session|appel|call"
        r"|visio)\b|\b(?:réunion|appel|séance)\s+(?:mensuelle?|du\s+groupe|de\s+groupe)\b"
        r"|^(?:le\s+|la\s+)?(?:groupe|pn|rp|réseau(?:\s+politique)?)$|\bcomité\s+de\s+pilotage\b"
        r"|^(?:la\s+|l'|le\s+)?(?:réunion|reunion|appel|séance|seance|session|visio|call)$"
    ),
    generic=_flags(r"^(?:un|une|des|mon|ma)\s"),
    nested=_flags(rf"\s(?:du|de\s+la|de\s+l'|des)\s*(?=[{_UPPER}])"),
    group_work=_flags(r"\b(?:pn|rp|réseau|groupe|nos|notre|nous)\b"),
    blocked_before=_flags(
        r"\b(?:si|s'il|au\s+cas\s+où|peut-être|peut-etre|quelqu'un|qui)\b|¿|\best-ce\s+que\b"
    ),
    strip_end=_flags(r"(?:\s+(?:le|la|les|l'|du|de|des|d'|ce|cette|en|à|au))+$"),
    token=_flags(r"\w+'(?=\w)|[\w-]+|\S"),
    synonyms=(
        (_flags(r"^(?:ce\s+soir|cet\s+après-midi|ce\s+matin)$"), "aujourd'hui"),
        (_flags(r"^ce\s+"), ""),
    ),
    next_weekday=_flags(rf"^({FR_WEEKDAY})\s+prochain$"),
)

# ---- Spanish ---------------------------------------------------------------------------------

_ES_TALK = r"(?:charla|ponencia|presentación|presentacion|conferencia|plática|platica|taller)"
_ES_ROLE = r"(?:ponente|panelista|oradora?|expositora?|conferencista|moderadora?)e?s?"
ES = _Language(
    code="es",
    triggers={
        "present": r"(?<!\bno\s)\b(?:presentaré|presentare|presentaremos|presento"
        r"|hablaré(?=\s+(?:de|del|sobre|acerca)\b)|hablaremos(?=\s+(?:de|del|sobre|acerca)\b)"
        r"|expondré|expondremos)\b"
        r"|(?<!\bno\s)\b(?:voy|vamos)\s+a\s+(?:presentar|exponer"
        r"|hablar(?=\s+(?:de|del|sobre|acerca)\b))\b"
        r"|\bme\s+toca\s+(?:presentar|hablar|exponer)\b"
        rf"|(?<!\bno\s)\b(?:daré|dare|daremos|(?:voy|vamos)\s+a\s+dar)\s+(?:una|un)\s+{_ES_TALK}\b",
        "promote": r"(?<!\bno\s)\b(?:representaré|representare|representaremos|promocionaré"
        r"|promoveré|promoveremos|promocionaremos)\b"
        r"|(?<!\bno\s)\b(?:voy|vamos)\s+a\s+(?:representar|promocionar|promover|difundir"
        r"|mencionar)\b",
        "invited": r"\bme\s+(?:invitaron|han\s+invitado|invitan|pidieron|han\s+pedido)\s+(?:a\s+)?"
        r"(?:presentar|exponer|hablar(?=\s+(?:de|del|sobre|acerca)\b))\b",
        "role": rf"(?<!\bno\s)\b(?:seré|sere|seremos)\s+(?:uno\s+de\s+los\s+|una\s+de\s+las\s+)?"
        rf"{_ES_ROLE}\b"
        r"|(?<!\bno\s)\b(?:estaré|estare|estaremos|participaré|participare|participaremos"
        r"|(?:voy|vamos)\s+a\s+(?:estar|participar))(?=\s+en\s+(?:un|una|el|la)\s+"
        r"(?:panel|mesa\s+redonda|conversatorio))",
        "host": r"(?<!\bno\s)\b(?:moderaré|moderare|moderaremos|modero|coordinaré"
        r"|(?:voy|vamos)\s+a\s+(?:moderar|coordinar))\b"
        r"|(?<!\bno\s)\b(?:participaré|participaremos)(?=\s+en\s+(?:un|una|el|la)\s+"
        r"(?:taller|sesión|sesion))",
    },
    dates=date_phrases.grouped_locator(
        ranges=rf"\b(?:del\s+)?{DAY}\s+al\s+{DAY}\s+de\s+{ES_MONTH}(?!\w)"
        rf"|\b{DAY}\s*[-–]\s*{DAY}\s+de\s+{ES_MONTH}(?!\w)",
        vague=r"\b(?:la\s+)?(?:próxima|proxima)\s+semana\b|\b(?:la\s+)?semana\s+que\s+viene\b"
        r"|\b(?:el\s+)?mes\s+que\s+viene\b|\b(?:el\s+)?pr[óo]ximo\s+mes\b|\besta\s+semana\b"
        rf"|\beste\s+mes\b|\ben\s+{ES_MONTH_FULL}\b(?!\s+\d)"
        rf"|\ba\s+(?:principios|mediados|finales)\s+de\s+{ES_MONTH_FULL}\b",
        past=r"\bayer\b|\b(?:la\s+)?semana\s+pasada\b|\bel\s+mes\s+pasado\b"
        r"|\bel\s+año\s+pasado\b|\bhace\s+\w+\s+(?:días|semanas|meses)\b",
        days=rf"\b(?:(?:el|del|este|próximo|proximo)\s+)?{ES_WEEKDAY}{ES_WEEKDAY_DATE}"
        r"(?:\s+pr[óo]ximo)?\b"
        rf"|{ES_DAY_MONTH}"
        rf"|\b(?:el|del)\s+{DAY}\b(?![/.]\d|\s*(?:h\b|horas?|:|%|años|min))"
        r"|\b(?:hoy|pasado\s+mañana|(?<!\bla\s)mañana|esta\s+(?:tarde|noche))(?!\w)"
        rf"|\b{NUMERIC}",
    ),
    event_prep=_flags(r"\b(en|al|durante)\s+"),
    loose_preps=frozenset({"en"}),
    place_preps=frozenset({"en"}),
    stop=_flags(
        r"\s(?:para|y|e|donde|que|con|antes|después|pero|porque|ya|como|a|este|esta|yo|voy"
        r"|vamos|en|al|durante|o|si)\b"
    ),
    event_noun=_flags(
        r"\b(?:foro|conferencia|cumbre|sesi[óo]n|sesiones|taller|panel|reuni[óo]n|di[áa]logo"
        r"|consulta|semana|jornadas?|feria|congreso|simposio|seminario|webinar|webinario"
        r"|evento|encuentro|asamblea|mesa\s+redonda|festival|igf|conversatorio|convenci[óo]n)"
        r"e?s?\b"
    ),
    not_event=_flags(
        r"^(?:la\s+|el\s+|un\s+|una\s+)?(?:casa|oficina|momento|vez|chat|hilo|documento"
        r"|borrador|lista|l[íi]nea|sitio|web|red|escrito|detalle|general|persona|ingl[ée]s"
        r"|franc[ée]s|español|canal|correo)\b|^\d"
    ),
    internal=_flags(
        r"\b(?:nuestra|nuestro|nuestras|nuestros)\b"
        r"|\bpr[óo]xim[ao]\s+(?:reuni[óo]n|llamada|sesi[óo]n|junta|llamado)\b"
        r"|^(?:el\s+|la\s+)?(?:grupo|pn|red(?:\s+de\s+pol[íi]ticas)?)$"
        r"|^(?:la\s+|el\s+)?(?:reuni[óo]n|llamada|sesi[óo]n|llamado|videollamada)$"
        r"|\b(?:reuni[óo]n|llamada)\s+(?:mensual|del\s+grupo)\b"
    ),
    generic=_flags(r"^(?:un|una|unos|unas|mi)\s"),
    nested=_flags(rf"\s(?:del|de\s+la|de\s+los)\s+(?=[{_UPPER}])"),
    group_work=_flags(r"\b(?:pn|red|grupo|nuestr[oa]s?|nosotros)\b"),
    blocked_before=_flags(
        r"\b(?:si|quizás?|quizas?|tal\s+vez|a\s+lo\s+mejor|alguien|quién|quien)\b|¿"
    ),
    strip_end=_flags(r"(?:\s+(?:el|la|los|las|del|de|en|al|este|esta))+$"),
    token=_flags(r"[\w-]+|\S"),
    synonyms=(
        (_flags(r"^esta\s+(?:tarde|noche)$"), "hoy"),
        (_flags(r"^este\s+"), ""),
    ),
    next_weekday=_flags(rf"^(?:pr[óo]ximo\s+({ES_WEEKDAY})|({ES_WEEKDAY})\s+pr[óo]ximo)$"),
)

LANGUAGES = (EN, FR, ES)

_TRIGGERS = tuple(
    (lang, kind, _flags(_apostrophes(source)))
    for lang in LANGUAGES
    for kind, source in lang.triggers.items()
)
# The prefilter is the union of every trigger: if it finds nothing, nothing else can. Every
# trigger starts at a word boundary with one of these letters; looking ahead for that first lets
# the regex engine dismiss most positions (those inside words) at once, which makes ordinary
# messages about three times cheaper (unit tests check both facts against the triggers).
_FIRST_LETTERS = "acdefghijlmnoprstv"
_PREFILTER = _flags(
    rf"(?=\b[{_FIRST_LETTERS}])(?:"
    + "|".join(f"(?:{_apostrophes(s)})" for lang in LANGUAGES for s in lang.triggers.values())
    + ")"
)

# A place is a run of capitalised words ("Addis Ababa", "São Paulo", "Ciudad de México")
_PLACE = re.compile(
    rf"[{_UPPER}][\w'’.-]*(?:\s+(?:(?:de|del|da|do|di|la)\s+)?[{_UPPER}][\w'’.-]*)*"
)
_CAPITALISED = re.compile(rf"(?:^|[\s'’(])[{_UPPER}]|\w[{_UPPER}]|\d")
_NOT_PLACE = _flags(
    rf"^(?:{EN_MONTH_FULL}|{FR_MONTH_FULL}|{ES_MONTH_FULL}|{EN_WEEKDAY}|{FR_WEEKDAY}"
    rf"|{ES_WEEKDAY}|english|french|spanish|anglais|français|espagnol|inglés|francés|español"
    r"|person|personne|persona|zoom|teams|i)$"
)
_DETERMINER = _flags(r"(?:the|a|an|la|le|les|l'|el|los|las|un|une|una|unos|unas)\b")
# small words of any of the languages: a phrase made only of these names nothing ("at the en")
_FUNCTION_WORDS = _words(
    "the a an this that of and at in on to for la le les l' el los las un une una unos unas ce "
    "cette este esta de du del des d' y et en à au al"
)
_MAX_NAME = 120
_WINDOW = 400  # characters read around a trigger for its clause and sentence
# An announcement says so early; a message repeating trigger words thousands of times is read
# only this far, so it cannot cost seconds.
_MAX_TRIGGERS = 20
_MAX_PHRASES = 12
# a sentence naming this many different date phrases names no single day: no more go to
# dateparser (see `date_phrases.read`)
_MAX_DATES = 6


# ----------------------------------------------------------------------------------------------
# Public functions: outreach


def might_be_outreach(text: str) -> bool:
    """Whether `text` contains any outreach trigger at all (the cheap first test)."""
    return _PREFILTER.search(text) is not None


def recognise_outreach(text: str, at: datetime, tz: str) -> OutreachReading | None:
    """Read `text`, written at `at` by someone in zone `tz`, as an outreach announcement."""
    budget = date_phrases.Budget()  # one for the whole message: every trigger spends from it
    base = date_phrases.local_base(at, tz)
    for part in read_bounds.parts(text):
        reading = _recognise_outreach(part, base, budget)
        if reading is not None:
            return reading
    return None


def _recognise_outreach(text: str, base: datetime, budget: date_phrases.Budget):
    if not might_be_outreach(text):
        return None
    original = text
    # one character for one, so positions found in `text` hold in `original`
    text = text.replace("\u2019", "'").replace("\u00a0", " ")
    # the first few matches of each pattern hold the first few of all: never scan further
    matches = sorted(
        (
            (m.start(), lang, kind, m)
            for lang, kind, rx in _TRIGGERS
            for m in islice(rx.finditer(text), _MAX_TRIGGERS)
        ),
        key=lambda item: item[0],
    )
    for _, lang, kind, match in matches[:_MAX_TRIGGERS]:
        reading = _read_outreach(text, original, lang, kind, match, base, budget)
        if reading is not None:
            return reading
    return None


# ----------------------------------------------------------------------------------------------
# Reading one trigger


@dataclass(frozen=True)
class _Phrase:
    kind: str  # "named" | "generic" | "internal" | "place"
    start: int
    end: int


def _read_outreach(
    text: str,
    original: str,
    lang: _Language,
    kind: str,
    match: re.Match[str],
    base: datetime,
    budget: date_phrases.Budget,
) -> OutreachReading | None:
    sentence_start, sentence_end = _span(_SENTENCE_END, text, match.start(), match.end())
    clause_start, clause_end = _span(_CLAUSE_END, text, match.start(), match.end())
    if not _writer_announces(text, lang, kind, match, sentence_start, clause_start, clause_end):
        return None
    if kind == "promote" and not _promotes_group_work(text, lang, match.end(), sentence_end):
        return None

    # in sentence order: "I'll be at the IETF meeting … presenting our findings to the HRPC"
    phrases = _phrases(text, lang, sentence_start, match.start()) + _phrases(
        text, lang, match.end(), sentence_end
    )
    named = next((p for p in phrases if p.kind == "named"), None)
    place = next((p for p in phrases if p.kind == "place"), None)
    outside = named is not None or place is not None or any(p.kind == "generic" for p in phrases)
    if not outside and (kind != "role" or any(p.kind == "internal" for p in phrases)):
        return None

    when, ambiguous, past = date_phrases.read(
        text, sentence_start, sentence_end, base, lang, max_phrases=_MAX_DATES, budget=budget
    )
    if past:
        return None
    return OutreachReading(
        lang.code,
        original[named.start : named.end] if named else None,
        when,
        ambiguous,
        original[place.start : place.end] if place else None,
    )


def _span(boundary: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of text around [start, end) that no boundary interrupts."""
    # clauses and sentences in chat are short; a bounded window keeps a long message linear
    left = max(0, start - _WINDOW)
    for found in boundary.finditer(text, left, start):
        left = found.end()
    right_limit = min(len(text), end + _WINDOW)
    right_match = boundary.search(text, end, right_limit)
    return left, right_match.start() if right_match else right_limit


def _writer_announces(
    text: str,
    lang: _Language,
    kind: str,
    match: re.Match[str],
    sentence_start: int,
    clause_start: int,
    clause_end: int,
) -> bool:
    """Not a question, conditional or hedge, and (in English) the writer's own plan."""
    before = text[clause_start : match.start()]
    # dates say nothing about who speaks, and "5 May" is no "may"
    if lang.blocked_before.search(lang.dates.sub(" ", before)):
        return False
    if text[clause_end : clause_end + 1] == "?":
        return False
    # "I've been invited to speak at X" is an announcement unless the writer asks about it
    # ("… should I accept?")
    asks_after = "?" in text[match.end() : match.end() + 200]
    if lang.subjects is None:
        # French and Spanish triggers carry the first person in the verb
        return kind != "invited" or not asks_after
    words = [w.lower() for w in lang.token.findall(before) if any(c.isalpha() for c in w)]
    auxiliaries = []
    while words and words[-1] in lang.auxiliaries:
        auxiliaries.append(words.pop())
    continuous = match.group(0).lower().endswith("ing") or "will" in auxiliaries
    if words and words[-1] in lang.subjects:
        if {"asked", "invited", "selected"} & set(auxiliaries):
            # an invitation to "we" is an invitation to the group: nobody has committed yet
            return words[-1] in ("i", "i've") and not asks_after
        return True
    if not words:
        # chat shorthand with no subject: "Presenting our work at X next week!", "will present
        # at X"; a bare base form is an imperative and "A speaker at X said" a report
        return continuous
    # "I'll be at the IETF meeting in Madrid on 20 March presenting our findings"
    return bool(
        continuous and lang.at_event and lang.at_event.search(text, sentence_start, match.start())
    )


def _promotes_group_work(text: str, lang: _Language, pos: int, sentence_end: int) -> bool:
    """A promote trigger ("represent", "promouvoir") needs the group's work as its object."""
    prep = lang.event_prep.search(text, pos, sentence_end)
    if prep and not text[pos : prep.start()].strip():
        # the object itself may follow a preposition: "representaré al PN", "present to us"
        prep = lang.event_prep.search(text, prep.end(), sentence_end)
    end = min(prep.start() if prep else sentence_end, pos + 80)
    return lang.group_work.search(text, pos, end) is not None


def _phrases(text: str, lang: _Language, start: int, end: int) -> list[_Phrase]:
    """The event, internal and place phrases introduced by a preposition in text[start:end]."""
    found: list[_Phrase] = []
    pos = start
    while len(found) < _MAX_PHRASES:
        prep = lang.event_prep.search(text, pos, end)
        if prep is None:
            break
        word = " ".join(next(g for g in prep.groups() if g).lower().split())
        phrase_start = prep.end()
        phrase_end = _phrase_end(text, lang, phrase_start, end)
        pos = max(phrase_end, prep.end())
        phrase = _classify(text, lang, word, phrase_start, phrase_end)
        if phrase is not None:
            found.append(phrase)
    return found


def _phrase_end(text: str, lang: _Language, start: int, end: int) -> int:
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


def _classify(text: str, lang: _Language, prep: str, start: int, end: int) -> _Phrase | None:
    # a leading space lets strip_end remove a phrase made only of small words ("at the")
    trimmed = lang.strip_end.sub("", " " + text[start:end].rstrip().rstrip(".-/").rstrip())[1:]
    end = start + len(trimmed)
    if not _has_content(trimmed) or lang.not_event.match(trimmed):
        return None
    if prep in lang.place_preps and _is_place(trimmed, lang):
        return _Phrase("place", start, end)
    if lang.internal.search(trimmed):
        return _Phrase("internal", start, end)
    if lang.generic.match(trimmed):
        nested = lang.nested.search(trimmed)
        if nested:
            return _Phrase("named", start + nested.end(), end)
        return _Phrase("generic", start, end) if lang.event_noun.search(trimmed) else None
    if prep in lang.loose_preps and not (
        _CAPITALISED.search(trimmed)
        or (_DETERMINER.match(trimmed) and lang.event_noun.search(trimmed))
    ):
        # "in detail", "to talk", "à propos": only a name or "the/a … <event word>" counts
        return None
    return _Phrase("named", start, end)


def _has_content(phrase: str) -> bool:
    words = re.findall(r"\w+'?", phrase.lower())
    return any(word not in _FUNCTION_WORDS for word in words)


def _is_place(words: str, lang: _Language) -> bool:
    """A run of capitalised words with no event word in it: "Lisbon", "Addis Ababa"."""
    place = _PLACE.match(words)
    return bool(
        place
        and place.end() == len(words)
        and not _NOT_PLACE.match(words)
        and not lang.event_noun.search(words)
        and not _looks_like_a_name(words)
    )


def _looks_like_a_name(words: str) -> bool:
    """RightsCon, EuroDIG, ICANN80: capitals inside a word or digits make an event, not a city."""
    return any(
        sum(c.isupper() for c in word) >= 2 or any(c.isdigit() for c in word)
        for word in words.split()
    )


# ----------------------------------------------------------------------------------------------
# Objections


@dataclass(frozen=True)
class _Objecting:
    """How one language objects; ``code`` None means the words are shared and the language is
    guessed from the rest of the message ("-1", "objection" in English and French)."""

    code: str | None
    expressions: str  # regex source
    negated_before: frozenset[str]  # any of these among the few words before: not an objection
    negated_after: re.Pattern[str]  # right after the expression (matched there): not one
    conditional: re.Pattern[str]  # anywhere in the clause: not an objection
    token: re.Pattern[str]


_EN_NEGATORS = _words(
    "no not n't don't dont do never without any none zero nor withdraw withdrew withdrawn "
    "retract drop dropped discuss wouldn't won't didn't nobody anyone someone who if"
)
_FR_NEGATORS = _words(
    "pas aucune aucun sans ne n' retire retirer retirons lève lever plus jamais des si "
    "quelqu'un qui personne"
)
_ES_NEGATORS = _words(
    "sin ninguna ningún ninguno no retiro retirar retiramos alguna algún nadie alguien quién "
    "si nunca"
)
_OBJECTING = (
    _Objecting(
        code="en",
        expressions=r"\bi(?:'d|'ll|\s+(?:would|will|must|have\s+to|need\s+to|want\s+to|strongly"
        r"|really|do|formally|still|firmly|hereby|also|too|definitely)){0,2}\s+(?:object|oppose)\b"
        r"|\bobjecting\b"
        r"|\bi\s+(?:strongly\s+|really\s+|respectfully\s+|firmly\s+)?disagree\b"
        r"|\b(?:not\s+(?:very\s+|really\s+|entirely\s+|at\s+all\s+)?comfortable|uncomfortable)\b"
        r"|\bnot\s+(?:ok|okay|happy)\s+with\b"
        r"|\b(?:i'm|im|i\s+am)\s+(?:(?!not\b)\w+\s+)?against\b"
        r"|\bi\s+(?:don't|do\s+not)\s+think\s+(?:we|you|this|that|it)\s+(?:should|is\s+a\s+good"
        r"\s+idea)\b"
        r"|\bi'd\s+rather\s+(?:we|you)\s+(?:didn't|did\s+not|not|don't)\b|\bi'd\s+rather\s+not\b"
        r"|\bi\s+have\s+(?:serious\s+|strong\s+|real\s+|major\s+)?concerns?\b",
        negated_before=_EN_NEGATORS,
        negated_after=_flags(r"\s*(?:from\s+\w+\s+)?(?:withdrawn|noted|retracted|dropped)\b"),
        conditional=_flags(r"\b(?:if|unless)\b"),
        token=_flags(r"[\w-]+(?:'\w+)?|\S"),
    ),
    _Objecting(
        code="fr",
        expressions=r"\bje\s+m'(?:y\s+)?oppose\b|\bj'ai\s+une\s+objection\b"
        r"|\bje\s+ne\s+suis\s+pas\s+d'accord\b|(?:^|[,.!;:]\s*|\bnon\s*,?\s*)pas\s+d'accord\b"
        r"|\bje\s+suis\s+(?:tout\s+à\s+fait\s+|totalement\s+|plutôt\s+)?contre\b"
        r"|\b(?:je\s+ne\s+suis\s+pas|pas)\s+(?:très\s+|du\s+tout\s+|vraiment\s+)?à\s+l'aise\b"
        r"|\bje\s+ne\s+pense\s+pas\s+que\s+(?:ce\s+soit|c'est)\s+une\s+bonne\s+idée\b"
        r"|\bje\s+préf[eè]re(?:rais)?\s+(?:qu'on|que\s+(?:nous|tu|vous))\s+ne\b",
        negated_before=_FR_NEGATORS - {"ne", "n'", "pas"},
        negated_after=_flags(r"\s*(?:retirée|levée|notée)\b"),
        conditional=_flags(r"\b(?:si|s'il)\b"),
        token=_flags(r"\w+'(?=\w)|[\w-]+|\S"),
    ),
    _Objecting(
        code="es",
        expressions=r"(?<!\bno\s)\bme\s+opongo\b|\btengo\s+una\s+objeci[óo]n\b"
        r"|\bobjeci[óo]n(?:es)?\b"
        r"|\bno\s+estoy\s+de\s+acuerdo\b|(?<!\bno\s)\bestoy\s+en\s+contra\b"
        r"|\bno\s+me\s+siento\s+c[óo]mod[oa]\b"
        r"|\bno\s+me\s+parece\s+(?:bien|adecuado|apropiado|buena\s+idea|oportuno|correcto)\b"
        r"|\bno\s+lo\s+veo\s+(?:bien|apropiado|adecuado)\b|\bprefiero\s+que\s+no\b",
        negated_before=_ES_NEGATORS,
        negated_after=_flags(r"\s*(?:retirada|anotada)\b"),
        conditional=_flags(r"\b(?:si)\b"),
        token=_flags(r"[\w-]+|\S"),
    ),
    _Objecting(
        code=None,
        expressions=r"\bobjections?\b|(?<![\w+\-−])[-−]1(?!\d|[.,]\d)",
        negated_before=_EN_NEGATORS | _FR_NEGATORS,
        negated_after=_flags(
            r"\s*(?:from\s+\w+\s+)?(?:withdrawn|noted|retracted|dropped|retirée|levée|notée)\b"
        ),
        conditional=_flags(r"\b(?:if|unless|si|s'il)\b"),
        token=_flags(r"\w+'(?=\w)|[\w-]+|\S"),
    ),
)
_OBJECTION_EXPRESSIONS = tuple((o, _flags(_apostrophes(o.expressions))) for o in _OBJECTING)
# what an objection expression may start with (a unit test checks it): the same look-ahead
_OBJECTION_FIRST = "!,.:;\\-−eijmnoptu"
_OBJECTION_PREFILTER = _flags(
    rf"(?=[{_OBJECTION_FIRST}])(?:"
    + "|".join(f"(?:{_apostrophes(o.expressions)})" for o in _OBJECTING)
    + ")"
)
_REASON = _flags(
    r"(?:,\s*)?\b(?:because(?:\s+of)?|since|given\s+that"
    r"|as(?=\s+(?:i|i'm|we|we're|our|the|it|it's|this|that|there|they|a|an|my|its|these|those"
    r"|he|she)\b)"
    r"|car|parce\s+qu(?:e\b|')|puisque|vu\s+que|étant\s+donné\s+qu(?:e\b|')"
    r"|porque|ya\s+que|dado\s+que|puesto\s+que|pues)\s*"
    r"|\s*:\s*|\s+[-—–]+\s+|\s*[—–]\s*|,\s+"
)
_REASON_END = re.compile(r"[!?;\n]|\.(?=\s|$)")
_MAX_REASON = 300
_MAX_OBJECTIONS = 20
_GUESS = {
    "fr": _words("je j' le la les est pas ça ca une des nous et ce cet cette de du mon ma car"),
    "es": _words("el los las es esto una que y nuestra nuestro por porque mi con lo muy no"),
    "en": _words("the is this it a and our we i not my from me to of with because"),
}


def recognise_objection(text: str) -> ObjectionReading | None:
    """Read `text`, a reply to an outreach announcement, as an objection to it, or None."""
    for part in read_bounds.parts(text):
        reading = _recognise_objection(part)
        if reading is not None:
            return reading
    return None


def _recognise_objection(text: str) -> ObjectionReading | None:
    if _OBJECTION_PREFILTER.search(text) is None:
        return None
    original = text
    text = text.replace("\u2019", "'").replace("\u00a0", " ")
    matches = sorted(
        (
            (m.start(), o, m)
            for o, rx in _OBJECTION_EXPRESSIONS
            for m in islice(rx.finditer(text), _MAX_OBJECTIONS)
        ),
        key=lambda item: item[0],
    )
    for _, objecting, match in matches[:_MAX_OBJECTIONS]:
        if _objects(text, objecting, match):
            language = objecting.code or _guess_language(text)
            return ObjectionReading(language, _objection_reason(text, original, match.end()))
    return None


def _objects(text: str, objecting: _Objecting, match: re.Match[str]) -> bool:
    """Not negated, withdrawn, asked or conditional."""
    clause_start, clause_end = _span(_CLAUSE_END, text, match.start(), match.end())
    if text[clause_end : clause_end + 1] == "?" or "¿" in text[clause_start : match.start()]:
        return False
    if objecting.conditional.search(text, clause_start, clause_end):
        return False
    before = objecting.token.findall(text[clause_start : match.start()].lower())[-3:]
    if any(word in objecting.negated_before for word in before):
        return False
    return not objecting.negated_after.match(text, match.end(), clause_end)


def _objection_reason(text: str, original: str, pos: int) -> str | None:
    end_match = _REASON_END.search(text, pos, pos + _WINDOW * 2)
    end = end_match.start() if end_match else min(len(text), pos + _WINDOW * 2)
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
        code: sum(word in vocabulary for word in words) for code, vocabulary in _GUESS.items()
    }
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] > 0 else "en"
