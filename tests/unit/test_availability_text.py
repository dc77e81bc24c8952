"""Availability notices in chat: which messages are notices, and which date they mean."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.recognise import absence
from handlers.recognise.absence import AvailabilityReading, might_be_notice, recognise

CORPUS_PATH = Path(__file__).parent / "availability_corpus.jsonl"
CORPUS = [json.loads(line) for line in CORPUS_PATH.read_text(encoding="utf-8").splitlines() if line]
MIN_PRECISION = 0.97
MIN_RECALL = 0.90
MIN_DATE_MATCH = 0.95

TUESDAY = datetime.fromisoformat("2026-12-01T09:00:00+00:00")  # 1 Dec 2026 is a Tuesday
THURSDAY = datetime.fromisoformat("2026-12-03T14:30:00+00:00")
LATE_TUESDAY_UTC = datetime.fromisoformat("2026-12-01T23:30:00+00:00")
LAST_OF_NOVEMBER = datetime.fromisoformat("2026-11-30T16:00:00+00:00")


def read(row: dict) -> AvailabilityReading | None:
    """The writer's own notice read from the row; apologies passed on for someone named are
    none of the writer's (the bot only asks whether to tell the secretariat)."""
    found = recognise(row["text"], datetime.fromisoformat(row["at"]), row["tz"])
    return None if found is not None and found.on_behalf else found


# the labelled corpus ------------------------------------------------------------------------


def test_corpus_is_large_and_varied_enough():
    notices = [row for row in CORPUS if row["notice"]]
    assert len(CORPUS) >= 170
    assert len(notices) >= 90
    assert len(CORPUS) - len(notices) >= 80
    assert len({row["tz"] for row in CORPUS}) >= 5
    assert len({row["at"] for row in CORPUS}) >= 2


def test_capture_precision_and_recall_on_the_corpus(record_property):
    found = {i for i, row in enumerate(CORPUS) if read(row) is not None}
    labelled = {i for i, row in enumerate(CORPUS) if row["notice"]}
    true_positives = len(found & labelled)
    precision = true_positives / len(found) if found else 0.0
    recall = true_positives / len(labelled)
    print(
        f"availability capture: precision={precision:.3f} recall={recall:.3f} "
        f"on {len(CORPUS)} messages"
    )
    record_property("availability_precision", round(precision, 4))
    record_property("availability_recall", round(recall, 4))
    false_positives = [CORPUS[i]["text"] for i in sorted(found - labelled)]
    missed = [CORPUS[i]["text"] for i in sorted(labelled - found)]
    assert precision >= MIN_PRECISION, f"taken for notices: {false_positives}"
    assert recall >= MIN_RECALL, f"notices missed: {missed}"


def test_found_notices_resolve_to_the_labelled_date(record_property):
    checked, mismatches = 0, []
    for row in CORPUS:
        reading = read(row)
        if not row["notice"] or reading is None:
            continue
        checked += 1
        got = (reading.when.isoformat() if reading.when else None, reading.next_meeting)
        expected = (row["date"], row["next_meeting"])
        if got != expected:
            mismatches.append(f"{row['text']!r} ({row['tz']}): expected {expected}, got {got}")
    rate = (checked - len(mismatches)) / checked
    print(f"availability dates: {rate:.3f} match on {checked} notices found")
    record_property("availability_date_match", round(rate, 4))
    assert rate >= MIN_DATE_MATCH, "\n".join(mismatches)


# dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "expected"),
    [("Asia/Tokyo", date(2026, 12, 3)), ("America/Bogota", date(2026, 12, 2))],
)
def test_tomorrow_is_tomorrow_in_the_writers_time_zone(tz, expected):
    # 23:30 UTC on Tuesday is already Wednesday morning in Tokyo, still Tuesday in Bogotá
    reading = recognise("Apologies, I can't make tomorrow's call.", LATE_TUESDAY_UTC, tz)
    assert reading is not None
    assert reading.when == expected


def test_possessive_weekday_means_the_coming_one():
    reading = recognise("Sorry, I can't make Thursday's call", TUESDAY, "Europe/Paris")
    assert reading is not None
    assert reading.when == date(2026, 12, 3)


def test_weekday_named_on_that_same_day_means_today():
    reading = recognise("I'll miss Thursday's session, sorry", THURSDAY, "UTC")
    assert reading is not None
    assert reading.when == date(2026, 12, 3)


def test_next_weekday_is_the_first_one_after_today():
    reading = recognise("I can't attend the call next Tuesday.", TUESDAY, "UTC")
    assert reading is not None
    assert reading.when == date(2026, 12, 8)


@pytest.mark.parametrize(
    "text",
    [
        "I can't make the call on the 8th.",
        "No podré asistir a la sesión del martes 8.",
        "Je ne pourrai pas participer à la séance du 8.",
    ],
)
def test_day_without_month_written_late_in_a_month_means_next_month(text):
    reading = recognise(text, LAST_OF_NOVEMBER, "UTC")
    assert reading is not None
    assert reading.when == date(2026, 12, 8)


def test_day_and_month_numbers_are_ambiguous_in_english():
    reading = recognise("Apologies, I can't make the call on 9/12.", TUESDAY, "Europe/Paris")
    assert reading is not None
    assert reading.ambiguous
    assert reading.when is None


def test_day_and_month_numbers_with_one_valid_reading_are_not_ambiguous():
    reading = recognise("Apologies, I can't make the call on 12/25.", TUESDAY, "UTC")
    assert reading is not None
    assert not reading.ambiguous
    assert reading.when == date(2026, 12, 25)


@pytest.mark.parametrize(
    "text",
    [
        "Je ne pourrai pas participer à la réunion du 9/12.",
        "No podré asistir a la reunión del 9/12.",
    ],
)
def test_day_and_month_numbers_are_day_first_in_french_and_spanish(text):
    reading = recognise(text, TUESDAY, "Europe/Paris")
    assert reading is not None
    assert not reading.ambiguous
    assert reading.when == date(2026, 12, 9)


def test_two_different_dates_make_the_reading_ambiguous():
    reading = recognise("I can't make Tuesday or Thursday, sorry.", TUESDAY, "UTC")
    assert reading is not None
    assert reading.ambiguous
    assert reading.when is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I won't be able to join the next call.", "en"),
        ("Je ne pourrai pas assister à la prochaine réunion.", "fr"),
        ("No podré asistir a la próxima reunión.", "es"),
    ],
)
def test_next_meeting_without_a_date(text, language):
    reading = recognise(text, TUESDAY, "UTC")
    assert reading == AvailabilityReading(language, None, True, False, None)


def test_absence_from_a_past_meeting_is_no_notice():
    assert recognise("Apologies for missing yesterday's call.", TUESDAY, "UTC") is None
    assert recognise("Disculpen mi ausencia en la reunión de ayer.", TUESDAY, "UTC") is None


@pytest.mark.parametrize(
    "text",
    [
        "Je ne pourrai pas assister à la réunion du mardi suivant.",
        "Je n'y serai pas mardi prochain.",
        "No podré asistir a la reunión el martes que viene.",
        "No podré asistir el siguiente martes.",
        "Me ausentaré de la reunión del próximo martes.",
        "I can't make the call the following Tuesday.",
    ],
)
def test_next_weekday_written_on_that_weekday_is_a_week_on(text):
    # "mardi suivant" or "martes que viene" written on a Tuesday is not today
    reading = recognise(text, TUESDAY, "UTC")
    assert reading is not None
    assert reading.when == date(2026, 12, 8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i cant make the call tmrw", date(2026, 12, 2)),
        ("wont make tomorrows call, sorry", date(2026, 12, 2)),
        ("i wont be on the call 2moro", date(2026, 12, 2)),
        ("cant make thursdays call", date(2026, 12, 3)),
        ("I can't make the call next thurs.", date(2026, 12, 3)),
    ],
)
def test_chat_spellings_of_dates_are_read(text, expected):
    reading = recognise(text, TUESDAY, "UTC")
    assert reading is not None
    assert reading.when == expected


def test_a_weekday_plural_is_no_date():
    assert recognise("I can't do Tuesdays anymore.", TUESDAY, "UTC") is None


@pytest.mark.parametrize(
    ("text", "expected", "next_meeting"),
    [
        ("I'm on leave until the 15th so I'll miss Thursday's call.", date(2026, 12, 3), False),
        ("Won't join the next call, I'm away until Friday.", None, True),
        (
            "Je suis en congé jusqu'au 15 décembre, je ne pourrai pas assister à la réunion de "
            "jeudi.",
            date(2026, 12, 3),
            False,
        ),
        (
            "Estoy de vacaciones hasta el 15, no podré asistir a la reunión del jueves.",
            date(2026, 12, 3),
            False,
        ),
    ],
)
def test_a_date_ending_an_absence_is_not_the_meetings_date(text, expected, next_meeting):
    reading = recognise(text, TUESDAY, "UTC")
    assert reading is not None
    assert (reading.when, reading.next_meeting, reading.ambiguous) == (
        expected,
        next_meeting,
        False,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sadly I'll miss the January meeting (12th).", date(2027, 1, 12)),
        ("I can't make the February call (the 3rd), sorry.", date(2027, 2, 3)),
    ],
)
def test_a_day_in_brackets_dates_a_meeting_named_by_its_month(text, expected):
    reading = recognise(text, TUESDAY, "UTC")
    assert reading is not None
    assert reading.when == expected


@pytest.mark.parametrize("tz", ["Africa/Nairobi", "Europe/London", "Europe/Paris"])
def test_day_and_month_numbers_stay_ambiguous_in_english_in_day_first_zones(tz):
    # the zone says where the writer is, not how they write dates
    reading = recognise("I will not be attending the meeting on 8/12.", TUESDAY, tz)
    assert reading is not None
    assert reading.ambiguous
    assert reading.when is None


# reasons ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "reason"),
    [
        (
            "I can't make the 9 December call because I'm travelling.",
            "en",
            "I'm travelling",
        ),
        (
            "Regrets for today's call — connectivity is terrible here.",
            "en",
            "connectivity is terrible here",
        ),
        (
            "Je ne pourrai pas assister à la réunion de jeudi car je serai en déplacement.",
            "fr",
            "je serai en déplacement",
        ),
        (
            "Je manquerai l'appel de demain en raison d'une grève.",
            "fr",
            "une grève",
        ),
        (
            "No podré asistir a la reunión del jueves porque estaré de viaje.",
            "es",
            "estaré de viaje",
        ),
        (
            "Estaré ausente en la llamada del jueves por motivos de salud.",
            "es",
            "motivos de salud",
        ),
    ],
)
def test_reason_is_the_text_after_the_reason_marker(text, language, reason):
    reading = recognise(text, TUESDAY, "UTC")
    assert reading is not None
    assert reading.language == language
    assert reading.reason == reason


def test_no_reason_when_none_is_given():
    reading = recognise("Perdón, no podré asistir a la sesión de hoy por la tarde.", TUESDAY, "UTC")
    assert reading is not None
    assert reading.reason is None


def test_reason_is_at_most_200_characters():
    text = "I can't make Thursday's call because " + "x" * 500
    reading = recognise(text, TUESDAY, "UTC")
    assert reading is not None
    assert reading.reason is not None
    assert len(reading.reason) <= 200


# what is not a notice -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Maria said she can't make the call on Wednesday.",
        "Can you make the call tomorrow?",
        "Who can't make it on the 9th?",
        "If I can't make it on Wednesday I'll send comments.",
        "I can't make sense of the meeting notes.",
        "I'll miss you all at the holidays!",
        "Regrets: none",
        "Apologies for the late reply.",
        "I cannot make the 9 December deadline for comments.",
        "Marie m'a dit qu'elle ne pourra pas assister à la réunion de mercredi.",
        "Je ne manquerai pas de vous envoyer le compte rendu de la réunion.",
        "Je ne peux pas assister à cette discussion sur la messagerie.",
        "No me perderé la reunión del miércoles por nada del mundo.",
        "¿No vas a poder asistir a la llamada del martes?",
    ],
)
def test_near_misses_are_no_notices(text):
    assert recognise(text, TUESDAY, "UTC") is None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("I'll have to skip Thursday's call, sorry.", "en", date(2026, 12, 3)),
        ("Gonna have to miss the call tomorrow.", "en", date(2026, 12, 2)),
        ("Sorry to have to miss Thursday's session.", "en", date(2026, 12, 3)),
        ("I'm going to have to sit this one out, the call is at 3am for me.", "en", None),
        ("I have a conflict with Thursday's call.", "en", date(2026, 12, 3)),
        ("Count me out for Thursday, I'm travelling.", "en", date(2026, 12, 3)),
        ("I'm double-booked for Thursday's session.", "en", date(2026, 12, 3)),
        ("Je dois sauter l'appel de jeudi.", "fr", date(2026, 12, 3)),
        ("J'ai un conflit d'agenda avec la réunion de jeudi.", "fr", date(2026, 12, 3)),
        ("Désolée, pas dispo demain pour la réunion.", "fr", date(2026, 12, 2)),
        ("Je ne serai pas des nôtres jeudi.", "fr", date(2026, 12, 3)),
        ("Veuillez m'excuser pour la séance de jeudi.", "fr", date(2026, 12, 3)),
        ("Tengo que faltar a la llamada del jueves.", "es", date(2026, 12, 3)),
        ("Voy a ausentarme de la llamada de mañana.", "es", date(2026, 12, 2)),
        ("No asistiré a la reunión del jueves.", "es", date(2026, 12, 3)),
        ("Para mí es imposible el jueves.", "es", date(2026, 12, 3)),
    ],
)
def test_other_ways_of_saying_i_will_miss_it(text, language, expected):
    reading = recognise(text, TUESDAY, "UTC")
    assert reading is not None
    assert (reading.language, reading.when) == (language, expected)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Sorry, I'll be in another meeting during the call tomorrow.", "en", date(2026, 12, 2)),
        ("I'm flying during Thursday's session.", "en", date(2026, 12, 3)),
        ("Je serai dans le train pendant la réunion de demain.", "fr", date(2026, 12, 2)),
        ("Estaré en otra reunión a la hora de la llamada del jueves.", "es", date(2026, 12, 3)),
    ],
)
def test_being_elsewhere_during_a_meeting_is_a_notice(text, language, expected):
    reading = recognise(text, TUESDAY, "UTC")
    assert reading is not None
    assert (reading.language, reading.when) == (language, expected)


@pytest.mark.parametrize(
    ("text", "expected", "next_meeting"),
    [
        ("I'll miss the budget committee meeting on Thursday.", date(2026, 12, 3), False),
        ("Can't make the IGF prep call tomorrow.", date(2026, 12, 2), False),
        ("I can't make it to the next PN call.", None, True),
        ("No podré asistir a la próxima reu.", None, True),
        ("Je ne pourrai pas assister au groupe de travail de jeudi.", date(2026, 12, 3), False),
    ],
)
def test_a_meeting_noun_may_carry_a_qualifier(text, expected, next_meeting):
    reading = recognise(text, TUESDAY, "UTC")
    assert reading is not None
    assert (reading.when, reading.next_meeting) == (expected, next_meeting)


@pytest.mark.parametrize(
    "text",
    [
        "I can't make a call right now, my phone is dead.",
        "Sorry I'll miss your call, I'm in the lift.",
        "I'll be presenting during the call on Tuesday.",
        "I'll be driving during the call so audio only.",
        "I'll be offline during the weekend.",
        "Going to have to skip lunch before the call.",
        "I'll sit out the vote at the next call.",
        "Le document n'est pas dispo sur le drive.",
        "Marie n'est pas dispo le 8.",
        "Je ne pourrai pas être au travail demain.",
        "Estaré de viaje durante la próxima semana.",
        "No voy a ir al trabajo mañana.",
        "No voy a faltar a la reunión de mañana.",
        "No me voy a ausentar de la reunión.",
        "No voy a llegar a tiempo a la reunión de mañana.",
    ],
)
def test_near_misses_of_the_newer_expressions_are_no_notices(text):
    assert recognise(text, TUESDAY, "UTC") is None


@pytest.mark.parametrize(
    "text",
    [
        "Thanks everyone for a productive call today!",
        "I've uploaded the revised draft of section 3.",
        "The Zoom link for tomorrow's call is in the invite.",
        "Merci à tous pour la réunion d'aujourd'hui.",
        "¿Alguien tiene el enlace de la llamada del miércoles?",
        "",
    ],
)
def test_prefilter_rejects_typical_messages(text):
    assert might_be_notice(text) is False


def test_prefilter_accepts_every_notice_in_the_corpus():
    assert all(might_be_notice(row["text"]) for row in CORPUS if row["notice"])


def matches_some_expression(text: str) -> bool:
    # the per-language expressions `recognise` reads after the prefilter
    return any(rx.search(text) for _, _, rx in absence.EXPRESSIONS)


def test_prefilter_agrees_with_the_expressions_on_the_corpus():
    for row in CORPUS:
        assert might_be_notice(row["text"]) == matches_some_expression(row["text"]), row["text"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aceijlmnoprstuvwy '’.,éò"), max_size=80))
def test_prefilter_agrees_with_the_expressions_on_generated_text(text):
    assert might_be_notice(text) == matches_some_expression(text)


# words that start (or nearly start) absence expressions, for text the alphabet above rarely
# spells; the prefilter only looks at apostrophes and word starts, which these exercise
PREFILTER_PHRASES = (
    "I I'll I’m we'll am will going gonna got have to need skip miss sit out pass give a it",
    "count me for double-booked clash conflict with be on plane flying during the call",
    "meeting can't cannot wont not joining je ne n'y serai suis pas dispo disponible moi",
    "désolée Marie n'est vais devoir sauter j'ai un empêchement impossible pour merci de",
    "m'excuser en vol pendant no voy puedo podré asistir faltaré faltar tengo que toca",
    "ausentaré ausentarme imposible para mí estaré estoy volando durante lamento",
)
PREFILTER_WORDS = [word for phrase in PREFILTER_PHRASES for word in phrase.split()]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PREFILTER_WORDS), max_size=12),
    st.sampled_from([" ", ", ", "\n", "-", "'", ""]),
)
def test_prefilter_agrees_with_the_expressions_on_generated_word_salad(words, separator):
    text = separator.join(words)
    assert might_be_notice(text) == matches_some_expression(text)


@pytest.mark.parametrize(
    "text", ["Sorry, I can’t make Thursday’s call", "I’ll miss Thursday’s call, sorry"]
)
def test_typographic_apostrophes_are_read_like_plain_ones(text):
    reading = recognise(text, TUESDAY, "UTC")
    assert reading is not None
    assert reading.when == date(2026, 12, 3)


def test_a_request_to_pass_on_my_apologies_is_a_notice():
    text = "Hi Sam, could you pass on my apologies for tomorrow's meeting? I'm in a hearing."
    reading = recognise(text, TUESDAY, "UTC")
    assert reading is not None
    assert reading.when == date(2026, 12, 2)


# robustness ---------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_recognise_never_raises_on_arbitrary_text(text):
    reading = recognise(text, TUESDAY, "Asia/Tokyo")
    assert reading is None or isinstance(reading, AvailabilityReading)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([row["text"] for row in CORPUS]),
    st.text(max_size=200),
    st.text(max_size=200),
)
def test_recognise_never_raises_around_real_notices(message, before, after):
    reading = recognise(before + message + after, THURSDAY, "America/Bogota")
    if reading is not None:
        assert reading.language in ("en", "fr", "es")
        assert reading.reason is None or len(reading.reason) <= 200
        assert not (reading.ambiguous and reading.when is not None)


def test_recognise_copes_with_a_40000_character_message():
    prose = "The drafting team met on Tuesday and agreed the outreach plan for the IGF. "
    pasted = (prose * (40_000 // len(prose) + 1))[:39_970]
    reading = recognise(pasted + "\nI can't make Thursday's call.", TUESDAY, "UTC")
    assert reading is not None
    assert reading.when == date(2026, 12, 3)

    near_misses = "Maria can't make the call on 9/12 — apologies for the late reply, ¿no? 31/02 "
    repeated = (near_misses * (40_000 // len(near_misses) + 1))[:40_000]
    assert recognise(repeated, TUESDAY, "UTC") is None
    # a notice comes first in its message; what follows it does not matter
    reading = recognise("I can't make Thursday's call. " + repeated, TUESDAY, "UTC")
    assert reading is not None
    assert reading.when == date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je ne pourrai pas être là le 12/01", date(2027, 1, 12)),
        ("no podré estar el 12/01/2027", date(2027, 1, 12)),
        ("No podré asistir a la reunión del 08/12/2026", date(2026, 12, 8)),
        ("I can't make the call on 08.12.2026", date(2026, 12, 8)),
        ("Je ne pourrai pas assister à la réunion du 08.12.2026", date(2026, 12, 8)),
        # a range elsewhere in the sentence: the notice's own object names the day
        ("OOO Dec 7-11, so I'll miss the 8th", date(2026, 12, 8)),
        ("I'm out of office Dec 7-11 so I can't make the call on the 8th", date(2026, 12, 8)),
    ],
)
def test_numeric_dotted_and_ranged_dates(text, expected):
    reading = recognise(text, TUESDAY, "Europe/Paris")
    assert reading is not None and not reading.ambiguous
    assert reading.when == expected
