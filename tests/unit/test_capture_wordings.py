"""Wordings the capture reads by construction: quoted lines, the noun "objection" as one's own,
an emoji ending a sentence, the group's roles, late arrivals asked about, the formal French."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from handlers.recognise import absence, objection, outreach

TUESDAY = datetime.fromisoformat("2026-12-01T09:00:00+00:00")  # 1 Dec 2026 is a Tuesday


@pytest.mark.parametrize(
    "text",
    [
        "Objection: the panel has no civil society speaker",
        "Strong objection from me, the host is a vendor",
        "I maintain my objection",
        "+1 to Dana's objection",
        "mantengo mi objeción",
        "j'émets un avis défavorable",
        "-1, the host is a vendor",
        "I'm -1 on this panel",
        "Pour ma part, nous voterons contre.",
        "Nous nous opposons à cette présentation au salon.",
        "Notre vote est défavorable, le panel manque d'équilibre.",
        "Nous y sommes donc défavorables.",
        "Je vous invite à retirer cette annonce.",
    ],
)
def test_objections_said_as_ones_own(text):
    assert objection.recognise(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "It was 9 in favour, 3 objections in the poll",
        "What happens when there is objection under the ToR",
        "My previous objection no longer applies, the slides changed",
        "> I object to this talk\n\nThat was settled last week, thanks all",
        "ninguna objeción por mi parte",
        # votes talked about, explained or tabulated, not cast
        "Any member can block the talk with a single -1",
        "Reviewers mark a change -1 or -2 when they disagree",
        "👎: means the member wants more discussion",
        "| Block | :thumbsdown: |",
        "Ceux qui sont contre lèvent la main.",
        "On peut être en désaccord, je peux donner un avis défavorable et on vote.",
        "Un voto en contra basta para bloquear la propuesta.",
        "I went back over my many objections to the old charter",
    ],
)
def test_talk_about_objections_is_none(text):
    assert objection.recognise(text) is None


def test_a_quoted_line_is_not_the_writers_notice():
    assert (
        absence.recognise("> I can't make the call on the 8th\nnoted, thanks", TUESDAY, "UTC")
        is None
    )


def test_an_emoji_ends_the_sentence_before_a_question():
    found = absence.recognise("I can't make it on the 8th 😞 could we move it?", TUESDAY, "UTC")
    assert found is not None and found.when == date(2026, 12, 8)


def test_the_groups_roles_are_attending():
    found = absence.recognise("I can't chair the call on the 9th, sorry", TUESDAY, "UTC")
    assert found is not None and found.when == date(2026, 12, 9)


def test_this_month_is_the_next_meeting():
    found = absence.recognise("Sorry all, I can't make it this month.", TUESDAY, "UTC")
    assert found is not None and found.next_meeting


def test_a_late_arrival_is_asked_about():
    found = absence.recognise("I'll be a few minutes late to Tuesday's call", TUESDAY, "UTC")
    assert found is not None and found.confidence == "ask"


@pytest.mark.parametrize(
    "text",
    [
        "Je vous prie de bien vouloir m'excuser de ne pouvoir être parmi vous demain.",
        "Il faut que je renonce à la réunion de demain.",
    ],
)
def test_formal_french_apologies(text):
    found = absence.recognise(text, TUESDAY, "Europe/Paris")
    assert found is not None and found.when == date(2026, 12, 2)


@pytest.mark.parametrize(
    "text",
    [
        # the group deciding about its meeting, or proposing to
        "We'll skip the January call for the holidays, next one in February.",
        "Let's cancel Thursday's meeting, nothing on the agenda.",
        "I suggest we skip the call on the 8th.",
        "On annule la réunion du 8, rien à l'ordre du jour.",
        "Cancelamos la reunión del martes por el feriado.",
        # part of a day missed, the meeting attended
        "I'll miss the opening session but will join the call on the 8th",
        # other people's apologies, listed by handle
        "Regrets: @ana, @ben",
    ],
)
def test_no_members_absence(text):
    assert absence.recognise(text, TUESDAY, "UTC") is None


def test_this_morning_after_noon_is_past():
    afternoon = datetime.fromisoformat("2026-12-01T15:00:00+00:00")
    text = "Veuillez excuser mon absence de ce matin."
    assert absence.recognise(text, afternoon, "Europe/Paris") is None
    early = datetime.fromisoformat("2026-12-01T07:00:00+00:00")
    found = absence.recognise("Je ne pourrai pas assister à la réunion ce matin.", early, "UTC")
    assert found is not None and found.when == date(2026, 12, 1)


@pytest.mark.parametrize(
    "text",
    [
        "Sadly I have to cancel my talk at the Open Forum on the 9th.",
        "I spoke at the Digital Rights Summit on 3 December about our report.",
    ],
)
def test_a_talk_called_off_or_given_is_no_announcement(text):
    assert outreach.recognise(text, TUESDAY, "UTC") is None


# -- absences over days: asked about for the meeting inside them (the schedule knows it) ------
@pytest.mark.parametrize(
    "text, first, last",
    [
        ("I'm away from 5 to 12 December", date(2026, 12, 5), date(2026, 12, 12)),
        ("OOO Dec 7-11, so I'll miss the call", date(2026, 12, 7), date(2026, 12, 11)),
        ("I'm on leave until the 15th, sorry", date(2026, 12, 1), date(2026, 12, 15)),
        ("I'm back on the 9th, so I'll miss the call", date(2026, 12, 1), date(2026, 12, 8)),
        ("I won't be available pretty much all of January", date(2027, 1, 1), date(2027, 1, 31)),
        ("I'll be away all of December", date(2026, 12, 1), date(2026, 12, 31)),
        (
            "I'll be on vacation off the grid, and offline from December 30th through January 14th.",
            date(2026, 12, 30),
            date(2027, 1, 14),
        ),
        (
            "I'll be out of town from March 5-10, and won't be joining the call that week.",
            date(2027, 3, 5),
            date(2027, 3, 10),
        ),
        ("je serai en congé du 7 au 11", date(2026, 12, 7), date(2026, 12, 11)),
        (
            "Je serai en congé du 7 au 11 décembre, je ne pourrai pas assister à la réunion",
            date(2026, 12, 7),
            date(2026, 12, 11),
        ),
        ("Je serai absent tout le mois de janvier.", date(2027, 1, 1), date(2027, 1, 31)),
        ("Estaré de vacaciones del 7 al 11 de diciembre", date(2026, 12, 7), date(2026, 12, 11)),
        ("No podré asistir, estoy de viaje hasta el 15", date(2026, 12, 1), date(2026, 12, 15)),
    ],
)
def test_an_absence_over_days_is_asked_about_for_the_meeting_inside_it(text, first, last):
    found = absence.recognise(text, TUESDAY, "Europe/Paris")
    assert found is not None
    assert (found.confidence, found.when, found.period) == ("ask", None, (first, last))


@pytest.mark.parametrize(
    "text, expected",
    [
        # the meeting's own day, named in the notice, wins over the range around it
        ("OOO Dec 7-11, so I'll miss the 8th", date(2026, 12, 8)),
        ("Won't join the call on the 9th, I'm away from 7 to 11 December.", date(2026, 12, 9)),
    ],
)
def test_a_meeting_day_inside_a_range_is_recorded(text, expected):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None and (found.confidence, found.when) == ("sure", expected)


def test_an_absence_over_days_already_over_is_none():
    assert absence.recognise("I was away from 20 to 25 November", TUESDAY, "UTC") is None


def test_an_automatic_reply_is_no_notice():
    text = "Out of office: I am away until 7 December with limited access to email."
    assert absence.recognise(text, TUESDAY, "UTC") is None


# -- apologies passed on for someone named: asked, never filed in anyone's name ---------------
@pytest.mark.parametrize(
    "text, name, when",
    [
        ("Maria sends her apologies for Thursday's call", "Maria", date(2026, 12, 3)),
        ("Apologies from Maria for the call on the 8th", "Maria", date(2026, 12, 8)),
        ("Je tiens à excuser M. Durand qui assiste aux obsèques d'un collègue.", "Durand", None),
        (
            "Je vous prie d'accepter les excuses de Mme Lambert, retenue au conseil.",
            "Lambert",
            None,
        ),
        ("Ana se excusa, no podrá asistir el jueves", "Ana", date(2026, 12, 3)),
    ],
)
def test_apologies_passed_on_for_someone_named_are_asked_about(text, name, when):
    found = absence.recognise(text, TUESDAY, "Europe/Paris")
    assert found is not None
    assert (found.confidence, found.on_behalf, found.when) == ("ask", name, when)
    assert found.next_meeting == (when is None)


@pytest.mark.parametrize(
    "text",
    [
        # a roll call records them; nobody sends them
        "On today's call we have Olivier, Tijani, Cheryl. Apologies from Carlton.",
        "We have apologies from Jordi and Mason.",
        "Maria sent her apologies last week",
        "Please accept my apologies from the bottom of my heart",
    ],
)
def test_apologies_reported_or_past_are_not_passed_on(text):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is None or found.on_behalf is None


# -- minutes-style and formal apologies, spoken French, Spanish, d.m dates --------------------
@pytest.mark.parametrize(
    "text, when",
    [
        ("Please note my absence on the 8th", date(2026, 12, 8)),
        ("Please note my absence", None),
        ("Merci de noter mon absence", None),
        ("Merci de noter mon absence le 8 décembre", date(2026, 12, 8)),
        ("Favor de tomar nota de mi ausencia", None),
        ("j'serai pas là le 8", date(2026, 12, 8)),
        ("el martes me es imposible", date(2026, 12, 1)),  # today, a Tuesday
        ("falto a la del 8", date(2026, 12, 8)),
        (
            "Or le 10 décembre j'ai un engagement familial pris depuis longtemps.",
            date(2026, 12, 10),
        ),
        ("I need to leave an hour and a half in.", None),
        ("I may be a little late into the call tomorrow", date(2026, 12, 2)),
        ("if its okay for me to skip the call tomorrow", date(2026, 12, 2)),
        ("I'll be out the week of this meeting too for a conference.", None),
        ("Llegaré un poco tarde a la reunión del jueves", date(2026, 12, 3)),
        ("Je serai obligée de quitter la réunion de jeudi plus tôt", date(2026, 12, 3)),
    ],
)
def test_looser_notices_are_asked_about(text, when):
    found = absence.recognise(text, TUESDAY, "Europe/Paris")
    assert found is not None and found.confidence == "ask"
    assert (found.when, found.next_meeting) == (when, when is None)


@pytest.mark.parametrize(
    "text, when",
    [
        ("Regrets for Tuesday", date(2026, 12, 1)),
        ("Excusez mon absence à la réunion de mardi", date(2026, 12, 1)),
        ("je ne pourrai pas assister à la réunion du 08.12", date(2026, 12, 8)),
        ("no podré asistir a la reunión del 8.12", date(2026, 12, 8)),
        ("won't be dialling in Thursday", date(2026, 12, 3)),
        # spoken French, without "ne" and with "j'"
        ("j'pourrai pas venir jeudi", date(2026, 12, 3)),
        ("j'y serai pas jeudi", date(2026, 12, 3)),
        ("chuis pas dispo jeudi", date(2026, 12, 3)),
        ("je pourrai pas venir à la réu de jeudi", date(2026, 12, 3)),
        ("me es imposible asistir el jueves", date(2026, 12, 3)),
        ("no podré estar el jueves", date(2026, 12, 3)),
        (
            "En atención a la convocatoria a la reunión del jueves 10 de diciembre, me permito "
            "extender mis más sinceras excusas.",
            date(2026, 12, 10),
        ),
    ],
)
def test_apologies_as_minutes_and_letters_write_them(text, when):
    found = absence.recognise(text, TUESDAY, "Europe/Paris")
    assert found is not None and found.when == when


# -- "next" + weekday around a weekend: the first such day after today ------------------------
@pytest.mark.parametrize(
    "written, text, when",
    [
        ("2026-12-04T10:00:00", "I can't make the call next Monday", date(2026, 12, 7)),  # Fri
        ("2026-12-05T10:00:00", "I can't make next Tuesday's call", date(2026, 12, 8)),  # Sat
        ("2026-12-06T10:00:00", "Regrets for next Tuesday", date(2026, 12, 8)),  # Sun
        ("2026-12-05T10:00:00", "je ne pourrai pas être là mardi prochain", date(2026, 12, 8)),
        ("2026-12-06T10:00:00", "no podré asistir el próximo martes", date(2026, 12, 8)),
    ],
)
def test_next_weekday_around_a_weekend(written, text, when):
    found = absence.recognise(text, datetime.fromisoformat(written + "+00:00"), "UTC")
    assert found is not None and found.when == when
