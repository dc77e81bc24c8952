"""Wordings the capture reads by construction: quoted lines, the noun "objection" as one's own,
an emoji ending a sentence, the group's roles, late arrivals asked about, the formal French."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

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
        "That is why I object.",
        "C'est pourquoi nous nous opposons fermement à cette intervention.",
        "Il est clair que je m'oppose à cette annonce.",
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
    ("text", "event", "day"),
    [
        # two verbs joined to one subject
        (
            "I'll be moderating/speaking at the Open Data Summit on 14 January.",
            "the Open Data Summit",
            date(2027, 1, 14),
        ),
        ("I'm hosting and presenting at EuroDIG on 9 June.", "EuroDIG", date(2027, 6, 9)),
        # a session word after a measure, and a booth
        (
            "On 20 January I will be running a 2.5h workshop on our report at the Lagos Tech Fair.",
            "the Lagos Tech Fair",
            date(2027, 1, 20),
        ),
        (
            "I'll be hosting the PN booth at the Berlin Digital Days on 3 February.",
            "the Berlin Digital Days",
            date(2027, 2, 3),
        ),
        # an event pointed at after being named
        (
            "I'll be talking about our report in this hackathon on 8 Jan, link below.",
            "this hackathon",
            date(2027, 1, 8),
        ),
        # speaking as a purpose
        (
            "At the Oslo Freedom Days on 12 March I'll be speaking to share our findings.",
            "the Oslo Freedom Days",
            date(2027, 3, 12),
        ),
        # a talk accepted for the writer
        (
            "We have been accepted for a short talk at the Data Justice Conference on 4 May!",
            "the Data Justice Conference",
            date(2027, 5, 4),
        ),
        # a line wrapped after the preposition, and the name in bold
        (
            "Reminder that I will be presenting at\n**Open Source Policy Day** on 11 February.",
            "Open Source Policy Day",
            date(2027, 2, 11),
        ),
        # a politeness frame is no hedge
        (
            "I would like to let you know that I'll speak about our report at FOSDEM on 30 January.",
            "FOSDEM",
            date(2027, 1, 30),
        ),
        # French: a lecture given
        (
            "Je donnerai une conférence sur nos travaux au Salon de la Donnée le 9 mars.",
            "Salon de la Donnée",
            date(2027, 3, 9),
        ),
        # a future without a subject is the writer's own plan
        ("Gonna present our findings at FOSDEM on Feb 6.", "FOSDEM", date(2027, 2, 6)),
        # a role taken "as"
        (
            "Estaré como ponente en el Foro de Gobernanza el 15 de enero.",
            "el Foro de Gobernanza",
            date(2027, 1, 15),
        ),
        (
            "Je participerai en tant que panéliste au Forum de Paris le 12 janvier.",
            "Forum de Paris",
            date(2027, 1, 12),
        ),
    ],
)
def test_announcements_read_by_construction(text, event, day):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.confidence == "sure"
    assert (found.event, found.when) == (event, day)


@pytest.mark.parametrize(
    ("text", "event", "day"),
    [
        # an event list, one a line: the first item's day, and its event for "these events"
        (
            "I'll be presenting our report at these events:\n- RightsCon (5 May)\n- EuroDIG (9 June)",
            "RightsCon",
            date(2027, 5, 5),
        ),
        (
            "As part of EuroDIG 2027, I'll be speaking at the following sessions:\n\n"
            "- Tuesday, 8 June 2027 at 10:00 -> Panel on meaningful access\n- 9 June: workshop",
            "EuroDIG 2027",
            date(2027, 6, 8),
        ),
        (
            "I'll be presenting our report at:\n- RightsCon (5 May)\n- EuroDIG (9 June)",
            "RightsCon",
            date(2027, 5, 5),
        ),
        (
            "Je présenterai le rapport lors des événements suivants :\n- FGI France (5 juin)",
            "FGI France",
            date(2027, 6, 5),
        ),
        (
            "Presentaré el informe en los siguientes eventos:\n- LACIGF (12 de agosto)",
            "LACIGF",
            date(2027, 8, 12),
        ),
    ],
)
def test_list_shaped_announcements(text, event, day):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and (found.event, found.when) == (event, day)


def test_a_time_after_a_weekday_is_no_day_of_the_month():
    text = "I'll be giving a talk at FOSDEM on Saturday 13:00 on our findings."
    found = outreach.recognise(text, datetime.fromisoformat("2027-01-25T09:00:00+00:00"), "UTC")
    assert found is not None and found.when == date(2027, 1, 30)


def test_presenting_on_behalf_of_the_group_is_asked_about():
    text = "Presentation 26 January at the Applied Policy Summit, on behalf of the policy network."
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.confidence == "ask" and found.when == date(2027, 1, 26)


@pytest.mark.parametrize(
    "text",
    [
        # a roll call records them; nobody sends them
        "On today's call we have Olivier, Tijani, Cheryl. Apologies from Carlton.",
        "We have apologies from Jordi and Mason.",
        "Maria sent her apologies last week",
        "Please accept my apologies from the bottom of my heart",
        "Roll call: regrets from Iris and Tomás; observers Lena and Kofi.",
        "To confirm the roll-call: Bea, Omar and me, with apologies from Hui.",
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
        ("j'serai pas là le 8", date(2026, 12, 8)),
        ("dsl je serai pas là jeudi pour la réu", date(2026, 12, 3)),
        ("je ne serai pas à la réunion de jeudi", date(2026, 12, 3)),
        ("nous ne serons pas au call de jeudi", date(2026, 12, 3)),
        ("Je suis malade, je ne viendrai pas à la réunion jeudi.", date(2026, 12, 3)),
        ("I have to pull out of Thursday's meeting, something came up.", date(2026, 12, 3)),
        ("Please excuse my absence on Thursday.", date(2026, 12, 3)),
        (
            "Sadly I must decline for Thursday the 3rd, it clashes with our national IGF.",
            date(2026, 12, 3),
        ),
        ("je zappe l'appel de jeudi, trop de boulot", date(2026, 12, 3)),
        ("ojo: no cuenten conmigo para el jueves, estoy enferma", date(2026, 12, 3)),
        ("Sorry chicos, no voy a estar en la call del 8", date(2026, 12, 8)),
        ("Hoy no me puedo conectar a la reunión, lo siento mucho.", date(2026, 12, 1)),
        ("Me va a ser imposible asistir pasado mañana.", date(2026, 12, 3)),
        ("o no estaremos en la reunión del jueves", date(2026, 12, 3)),
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


@pytest.mark.parametrize(
    "text",
    [
        # someone's words quoted
        'I told Ana, "I\'m giving a talk at the Data Summit on 9 January, want to join?"',
        # the group as the audience, in French
        "Chers collègues, je présente au groupe les excuses de Karim pour le 9 décembre.",
        # past, with a looser cue later in the sentence
        "I participated in the Internet Governance Forum today, on a panel with three others.",
        # the meeting the writer is in
        "I'll present the draft in this meeting on 8 December.",
    ],
)
def test_no_announcement_of_the_writers(text):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is None


@pytest.mark.parametrize(
    "text",
    [
        "Not in favour of sending a speaker to this one.",
        "Hard no from me.",
        "I'm a no on this panel.",
        "Nay.",
        "Strongly against.",
        "I can't agree to this announcement.",
        "This talk should not go ahead as written.",
        "I'm far from convinced by the slides.",
        "I'm also far from convinced by the explanations in the announcement.",
        "I have serious concerns about the sponsor.",
        "+1 to Dana's objection",
        "I second the objection raised by Ben.",
        "Je ne suis pas favorable à cette intervention.",
        "Nous ne soutenons pas cette annonce.",
        "Je suis en désaccord avec cette présentation.",
        "Estoy en desacuerdo con la ponencia.",
        "No estoy a favor.",
        # an objection to a detail of what the writer otherwise accepts
        "I object to the title on slide 2, but otherwise fine.",
    ],
)
def test_looser_objections_are_asked_about(text):
    found = objection.recognise(text)
    assert found is not None and found.confidence == "ask"


@pytest.mark.parametrize(
    "text",
    [
        # a vote symbol glossed or taught
        "👎 means block.",
        "Reply 👎 to object.",
        "To block, react with :no_entry:.",
        # praise, and replies to an objector
        "I can't support this enough!",
        "Absolutely not a problem, happy to help!",
        "I don't agree with Ana's objection, the talk is fine.",
        "I disagree with your concerns, the panel is balanced.",
        "I understand Ana's objection, but the slides are fixed now.",
        "Je ne suis pas d'accord avec ton objection, la présentation est équilibrée.",
        "No estoy de acuerdo con tu objeción, el panel está bien.",
        # someone else's position, or words quoted from others
        "Vous n'êtes pas favorable à cette intervention : je l'entends.",
        'If enough members say "No, don\'t go" and nobody says "Yes", we\'ll withdraw.',
        "I'm up against a deadline, will read the draft tomorrow.",
        # someone else's objection or unease, said of them
        "Ana is objecting because of the sponsor.",
        "Ana is not comfortable with the panel.",
        "They're not happy with the slides.",
        "Marie n'est pas d'accord avec cette annonce.",
        "Le bureau a émis un avis défavorable.",
        # idioms and a poll's choices
        "It will be a talk-shop (as opposed to a negotiation).",
        "Le 7 mai n'est pas pour tout de suite.",
        "Debería existir ese voto en contra, pero como un voto específico.",
        "Quick poll: should the January meeting move to the 14th? 👍/👎",
    ],
)
def test_no_objection_of_the_writers(text):
    assert objection.recognise(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Nope, the host is a vendor.",
        "100% opposed to this.",
        "Oppose.",
        "Bref. Contre.",
        "Non, pas d'accord.",
        "indeed, do not.",
    ],
)
def test_votes_at_a_sentence_start_are_still_read(text):
    # these cues are written to start at their word (the prefilter then skips the rest)
    assert objection.recognise(text) is not None


def test_plans_listed_under_i_will_are_asked_about():
    text = (
        "As part of our participation at RightsCon, I will:\n\n"
        "* Co-facilitate a session on our recommendations (6th May 2027)\n"
        "* Host a booth with copies of the report (7th May 2027)"
    )
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.confidence == "ask"
    assert (found.event, found.when) == ("RightsCon", date(2027, 5, 6))


@pytest.mark.parametrize(
    "text",
    [
        "Ana will:\n- present our report at the IGF on 5 May",
        "To do:\n- present our report at the IGF on 5 May",
        "Ana will be speaking at these events:\n- RightsCon (5 May)",
        "I'll be presenting our report at:\n- our next call (8 December)",
    ],
)
def test_a_list_of_someone_elses_plans_or_tasks_is_none(text):
    assert outreach.recognise(text, TUESDAY, "UTC") is None


@pytest.mark.parametrize(
    "text",
    [
        "I'd love to speak at RightsCon on 5 May if there's a slot.",
        "I'm thinking of submitting a talk to FOSDEM on 30 January.",
        "I won't be presenting at RightsCon on 5 May after all.",
        "We were invited to speak at EuroDIG on 12 June, who wants to go?",
        "I'll talk to Ana about the RightsCon panel on Friday.",
        "If accepted, I'll present at FOSDEM on 30 January.",
        "Si le projet est retenu, je présenterai nos travaux au FGI le 9 mars.",
    ],
)
def test_wishes_proposals_conditions_and_conversations_are_no_announcement(text):
    assert outreach.recognise(text, TUESDAY, "UTC") is None


def test_another_conference_is_no_event_name():
    text = "I'll be presenting our report at another conference on 8 December."
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.event is None


@pytest.mark.parametrize(
    ("text", "event", "day"),
    [
        (
            "Quick note: I'm keynoting the Africa IGF on 12 September.",
            "Africa IGF",
            date(2027, 9, 12),
        ),
        (
            "I'll be sharing our report at the OECD Digital Week on 14 April.",
            "the OECD Digital Week",
            date(2027, 4, 14),
        ),
        (
            "I'll be introducing our recommendations at the WSIS Forum on 7 July.",
            "the WSIS Forum",
            date(2027, 7, 7),
        ),
        ("Estaré representando a la red en el IGF el 9 de diciembre.", "el IGF", date(2026, 12, 9)),
        (
            "Estoy presentando el informe en el LACIGF el 12 de agosto.",
            "el LACIGF",
            date(2027, 8, 12),
        ),
    ],
)
def test_more_ways_of_announcing(text, event, day):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and (found.event, found.when) == (event, day)


@pytest.mark.parametrize(
    "text",
    [
        "Je suis opposée à cette intervention.",
        "Je désapprouve cette présentation.",
        "Pour moi c'est non.",
        "Hors de question.",
        "Je ne souhaite pas que cette présentation ait lieu.",
        "Rechazo esta presentación.",
        "Mi voto es no.",
        "No estoy conforme con esta ponencia.",
        "Estamos totalmente opuestos a esta ponencia.",
        "Me niego a que se presente así.",
        "En contra.",
        "I disapprove of this talk.",
        "Absolutely not.",
        "This is a bad idea.",
        "I'd prefer we don't send anyone.",
        "We shouldn't send anyone to this.",
    ],
)
def test_more_noes_are_asked_about(text):
    found = objection.recognise(text)
    assert found is not None and found.confidence == "ask"


@pytest.mark.parametrize(
    "text",
    ["Ana está en contra.", "En contra de lo que dije, me parece bien.", "Not a bad idea."],
)
def test_others_noes_and_idioms_are_none(text):
    assert objection.recognise(text) is None


def test_a_bare_disagreement_may_answer_an_objector_so_it_is_asked_about():
    assert objection.recognise("I disagree, the talk is fine.").confidence == "ask"
    assert objection.recognise("I disagree with this proposal.").confidence == "sure"


@pytest.mark.parametrize(
    ("text", "event", "confidence"),
    [
        ("I'm joining a panel on data governance at the IGF on 10 December.", "the IGF", "sure"),
        ("Speaking at #RightsCon on 5 May about our report - come say hi!", "RightsCon", "sure"),
        (
            "Our panel proposal for EuroDIG was accepted, I'll be moderating it on 12 June.",
            "EuroDIG",
            "sure",
        ),
        ("I have a slot at FOSDEM on 30 January to present our report.", "FOSDEM", "ask"),
    ],
)
def test_panels_slots_and_hashtags(text, event, confidence):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and (found.event, found.confidence) == (event, confidence)


def test_a_field_label_under_the_announcement_is_no_event():
    text = (
        "L'intervention du réseau au Forum de Paris sur la Paix m'a été confiée. "
        "J'interviendrai pour le réseau selon les modalités suivantes :\n"
        "Date : 11 novembre 2026\nLieu : Paris"
    )
    found = outreach.recognise(text, TUESDAY - timedelta(days=30), "Europe/Paris")
    assert found is not None
    assert (found.event, found.when) == ("Forum de Paris sur la Paix", date(2026, 11, 11))


@pytest.mark.parametrize(
    "text",
    [
        # the writer's own negative vote, cast
        "Mi voto es negativo: el panel no pasó por la asamblea.",
        "Voto negativamente, por dos razones.",
        "He decidido votar no.",
        "Voy a votar en contra de esta participación.",
        "Por ello voto en contra.",
        "Pues no con mi voto.",
        "Je vote contre.",
        "Nous voterons résolument contre cette délégation.",
        "I'm strongly opposed to sending a speaker.",
        "I will vote against this panel.",
        "Anuncio mi voto negativo a la participación.",
        "Confirmo que votaré en contra de enviar a la delegación.",
        "Avis défavorable.",
        "Merci pour l'annonce. Avis défavorable, car le collège n'a pas été consulté.",
        "I am most definitely against it.",
    ],
)
def test_own_votes_against_are_recorded(text):
    found = objection.recognise(text)
    assert found is not None and found.confidence == "sure"


@pytest.mark.parametrize(
    "text",
    [
        "I also have a conflict.",
        "Can't join either. Sorry!",
        "I won't be able to attend.  Probably can't even attend remotely.",
        "sorry, but I can't attend since I'm in another city right now :(",
        "I shall not be attending as I have run out of holidays.",
    ],
)
def test_a_bare_notice_is_asked_about_for_the_next_meeting(text):
    # nothing else to go on: it may answer the meeting's reminder, or anything else
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None, text
    assert (found.when, found.next_meeting, found.confidence) == (None, True, "ask")


def test_a_bare_task_is_asked_about_not_recorded():
    found = absence.recognise("Sorry, I won't be able to do it.", TUESDAY, "UTC")
    assert found is None or found.confidence == "ask"


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("I shall not be attending on Thursday as I have run out of holidays.", date(2026, 12, 3)),
        ("I won't be making the call today due to a prior commitment.", date(2026, 12, 1)),
        ("I have a conflict I can't move on Dec 10.", date(2026, 12, 10)),
        ("Je ne pourrai assister à la réunion du jeudi 10 décembre.", date(2026, 12, 10)),
    ],
)
def test_more_ways_of_saying_one_will_not_attend(text, when):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None, text
    assert (found.when, found.confidence) == (when, "sure")


@pytest.mark.parametrize(
    "text",
    [
        # consent withheld or taken back, without a classic cue
        "I don't feel comfortable with us co-hosting this session.",
        "I wish to remove my endorsement of the statement.",
        "Please don't speak on behalf of me.",
        "It should not be read out in our name.",
        "I say no, we have not discussed it.",
        "I'm writing to push for the withdrawal of our panel.",
        "Your answers don't address my concerns.",
        "I really wish the steering group had not agreed to this.",
        "Count me in: I want to join the opposition to this panel.",
        "No votaré positivo la participación en ese foro.",
        "No acompaño que se presente así.",
        "NO APROBAMOS Y RECHAZAMOS que se presente en el congreso.",
        "Personalmente no me voy a prestar para esto.",
        "No le podemos entregar la vocería de la red a esta delegación.",
        "Nous avons fait le choix de nous opposer à cette participation.",
        "I find this proposal to pull our speaker weird, illegitimate and inappropriate.",
        "If it is read out, the names under it should be limited. Mine should not be on it.",
        "Please take my name off the statement.",
    ],
)
def test_withheld_consent_is_asked_about(text):
    found = objection.recognise(text)
    assert found is not None and found.confidence == "ask"


@pytest.mark.parametrize(
    "text",
    [
        # a vote's instructions, an abstention, votes reported for the minutes
        "Please put +1 to consent, ~ to abstain, and -1 to dissent.",
        "No estamos a favor ni en contra, necesitamos más tiempo.",
        "Hay propuestas que no apoyo, pero tampoco estoy en contra de esta (me abstengo).",
        "Para el acta: Carlos votó negativo. El tercer voto en contra fue de Humberto.",
        "Nous nous abstiendrons, pour ne pas nous opposer à l'objectif de l'intervention.",
        "I am not against it at all.",
        "Je vote contre-intuitivement pour ce panel.",
        "I'd vote against it if the sponsor stays.",
        "I find the venue appropriate and the panel balanced.",
    ],
)
def test_abstentions_and_reported_votes_are_none(text):
    assert objection.recognise(text) is None


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # a talk the writer has, or gives, named before the event
        ("Jory and I have a talk at EuroDIG about the network on 5 May.", "EuroDIG"),
        ("I got a talk about our report accepted at CPDP in Brussels on 19 May!", "CPDP"),
        (
            "We have this talk at CHAOSSCon EU on 5 May for presenting the working group.",
            "CHAOSSCon EU",
        ),
        (
            "This is V2 of my presentation, which I will be giving at Community Over Code on 5 May.",
            "Community Over Code",
        ),
    ],
)
def test_a_talk_the_writer_has_or_gives(text, event):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.event == event and found.when is not None
    assert found.confidence == "sure"


@pytest.mark.parametrize(
    "text",
    [
        "This meeting falls on a public holiday here. I may not be available.",
        "Btw. I may be offline next week due to vacation.",
        "FYI, I might not be able to attend the call on Thursday.",
        "I will be about 20min late due to a meeting I just can't push off.",
        "I'm going to have to drop off in another 20 minutes though.",
        # a day only the conversation knows
        "Sorry, something came up, can't make it this time.",
        "Creo que no podré estar para esa fecha.",
    ],
)
def test_hedged_late_and_vague_notices_are_asked_about(text):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None, text
    assert found.confidence == "ask" or found.ambiguous, text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Je vous prie de bien vouloir excuser mon collègue Hervé, retenu aujourd'hui.", "Hervé"),
        (
            "Je vous prie d'excuser l'absence de notre présidente Catherine à la réunion de jeudi.",
            "Catherine",
        ),
    ],
)
def test_french_apologies_for_a_colleague_are_passed_on(text, name):
    found = absence.recognise(text, TUESDAY, "Europe/Paris")
    assert found is not None, text
    assert (found.on_behalf, found.confidence) == (name, "ask")


@pytest.mark.parametrize(
    "text",
    [
        "Ana has a talk at EuroDIG on 5 May.",
        "Who is giving at the fundraiser on 5 May?",
        "I gave a talk at EuroDIG last week.",
        "Ana got a talk accepted at CPDP on 19 May.",
    ],
)
def test_someone_elses_or_past_talks_are_none(text):
    assert outreach.recognise(text, TUESDAY, "UTC") is None


def test_participating_in_a_seminar_is_asked_about():
    text = "El próximo viernes estaré participando en el Seminario Internacional de FLACSO."
    found = outreach.recognise(text, TUESDAY, "America/Bogota")
    assert found is not None and found.confidence == "ask"


def test_got_invited_to_present_is_the_writers_plan():
    text = "I got invited to present at the OECD Global Forum on 20 January."
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and (found.event, found.confidence) == (
        "the OECD Global Forum",
        "sure",
    )


@pytest.mark.parametrize(
    "text",
    [
        "She may not be available on Thursday.",
        "We should tell DESA that we will not participate in a closed meeting.",
        "Je ne pourrai que participer à la réunion de jeudi.",
        "Je ne travaillais pas ce jour-là, voilà le motif de mon absence.",
        "Je ne serai pas à Paris jeudi, mais en ligne.",
        "je serai pas là pour le dîner de jeudi",
        "je ne participerai pas au vote de jeudi",
        "the trains are running late on Thursday",
        "We may need to pull out of the coalition on Thursday.",
        "Forgive my absence from the chat lately",
        "I must decline the invitation to speak on Thursday.",
        "no cuenten conmigo para organizar la cena del jueves",
    ],
)
def test_others_proposals_and_past_absences_stay_none(text):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is None, text


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Je ne pourrai peut-être pas venir à la réunion de jeudi.", "Europe/Paris"),
        ("I may not be available on Thursday.", "UTC"),
        ("I'm out on vacation. I'll be back for next meeting", "UTC"),
        ("Aunque llegue un poco tarde a la reunión del jueves, a ver si me da tiempo.", "UTC"),
        ("I have to leave at 3pm on Thursday.", "UTC"),
        ("Sorry, I leave at 14:30 on Thursday.", "UTC"),
        ("I'll drop off after the first half hour on Thursday.", "UTC"),
        ("running 5 min late", "UTC"),
        ("Desculpem, vou me atrasar uns 15 minutos.", "UTC"),
    ],
)
def test_possible_absences_and_late_arrivals_are_asked_about(text, zone):
    found = absence.recognise(text, TUESDAY, zone)
    assert found is not None, text
    assert found.confidence == "ask", text


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("va a ser imposible asistir hoy", date(2026, 12, 1)),
        (
            "Je vous prie donc de bien vouloir excuser, demain, mon absence à notre réunion.",
            date(2026, 12, 2),
        ),
    ],
)
def test_the_spanish_future_without_me_and_a_day_inside_a_french_apology(text, when):
    found = absence.recognise(text, TUESDAY, "Europe/Paris")
    assert found is not None, text
    assert (found.when, found.confidence) == (when, "sure")


def test_an_impersonal_impossibility_is_no_notice():
    assert absence.recognise("Es imposible asistir sin registro.", TUESDAY, "UTC") is None


@pytest.mark.parametrize(
    ("text", "when"),
    [
        (
            "Fatima will run the call tomorrow — I have a meatspace meeting I can't miss at the "
            "same time.",
            date(2026, 12, 2),
        ),
        ("I have a meeting I can't move on Thursday, sorry.", date(2026, 12, 3)),
    ],
)
def test_a_meeting_one_cannot_miss_is_asked_about(text, when):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None, text
    assert (found.when, found.confidence) == (when, "ask")


@pytest.mark.parametrize(
    "text",
    [
        "Ana has a meeting she can't miss tomorrow.",
        "I am not available at that time. What about Weds, 5pm?",
    ],
)
def test_others_meetings_and_a_proposed_time_are_none(text):
    assert absence.recognise(text, TUESDAY, "UTC") is None, text


@pytest.mark.parametrize("year", [2026, 2027, 2028])
@pytest.mark.parametrize(
    "text",
    [
        "je serai absent du 1er mars au 29 février",
        "I am away from 1 March to 29 February",
        "estaré fuera del 1 de marzo al 29 de febrero",
    ],
)
def test_a_period_ending_on_a_29_february_before_it_starts_is_no_period(text, year):
    found = absence.recognise(text, datetime(year, 12, 20, tzinfo=UTC), "UTC")
    assert found is None or found.period is None


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # written on Tuesday 1 December: the meeting is whichever day that week it is held
        ("I won't be at the call this week.", date(2026, 11, 30)),
        ("Regrets for next week's call, I'm on leave.", date(2026, 12, 7)),
        ("je ne serai pas à la réunion la semaine prochaine", date(2026, 12, 7)),
        ("no podré asistir a la reunión la semana que viene", date(2026, 12, 7)),
    ],
)
def test_a_week_names_the_meeting_held_in_it(text, first):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.confidence == "sure", text
    assert found.when is None and found.period == (first, first + timedelta(days=6)), text


@pytest.mark.parametrize(
    "text",
    [
        "I'm a -1 on this, the sponsor writes the agenda.",
        "Honestly I am a strong -1 on sending anyone.",
        "so I'm a -1 on the panel as it stands.",
        "My vote is a firm -1.",
        "Given the sponsor, -1 from me.",
        "Pour ma part, -1 de ma part sur cette intervention.",
    ],
)
def test_a_minus_one_with_an_article_or_from_me_is_recorded(text):
    found = objection.recognise(text)
    assert found is not None and found.confidence == "sure", text


@pytest.mark.parametrize(
    "text",
    [
        "I can't make the call next week, on Thursday",
        "Regrets for Thursday next week",
        "je ne pourrai pas venir jeudi la semaine prochaine",
        "no podré asistir el jueves de la próxima semana",
    ],
)
def test_a_weekday_in_a_named_week_is_that_day(text):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.period is None, text
    assert found.when == date(2026, 12, 10), text


@pytest.mark.parametrize(
    "text",
    [
        "A single -1 can block the announcement.",
        "One -1 is enough to hold the statement back.",
        "Is a -1 from me enough to stop it?",
        'Ben wrote "-1 from me" on the first draft.',
        "I'm not a -1 on this, just curious.",
    ],
)
def test_a_minus_one_talked_about_asked_or_quoted_is_none(text):
    assert objection.recognise(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "On January the 22nd I will be speaking at the DevOps Days in Copenhagen.",
        "I'll present our report at DevOps Days on the 22nd of January.",
    ],
)
def test_a_day_of_a_named_month_keeps_its_month(text):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.when == date(2027, 1, 22), text


def test_a_period_begun_before_today_stays_in_this_year():
    # Wednesday 9 December: "7-11 December" is under way, not next year's
    at = datetime.fromisoformat("2026-12-09T10:00:00+00:00")
    found = absence.recognise(
        "I'll be out of office 7-11 December and will miss the call.", at, "UTC"
    )
    assert found is not None and found.period == (date(2026, 12, 9), date(2026, 12, 11))


@pytest.mark.parametrize(
    ("text", "name", "when"),
    [
        ("Maria can't make the call on Wednesday.", "Maria", date(2026, 12, 2)),
        ("@skade will not be available for this meeting, so don't wait :)", "@skade", None),
        ("Unfortunately, Ana won't be able to join us on Thursday.", "Ana", date(2026, 12, 3)),
        ("Ana Pérez will not attend the meeting on Thursday", "Ana Pérez", date(2026, 12, 3)),
        # French, Spanish and Portuguese say the person in the verb
        ("Marie ne pourra pas assister à la réunion de jeudi.", "Marie", date(2026, 12, 3)),
        ("Pedro no estará en la reunión del jueves.", "Pedro", date(2026, 12, 3)),
        ("A Ana não vai poder participar da reunião de quinta.", "Ana", date(2026, 12, 3)),
    ],
)
def test_someone_named_before_an_absence_is_passed_on_after_asking(text, name, when):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.confidence == "ask", text
    assert (found.on_behalf, found.when) == (name, when)


@pytest.mark.parametrize(
    "text",
    [
        # a no given as one's vote, or counted among the noes
        "So no from me on this one.",
        "That's a hard no for us.",
        "Put me down as a -1.",
        "Count me among the objectors.",
        # taking the group out of the event
        "We should withdraw our participation from the forum.",
        "I propose we pull our speaker.",
        "The network should pull out of the summit.",
        "There is no other way than to refuse to take part.",
        # asking that nobody go or sign, and one's name kept off
        "I ask that we do not send anyone.",
        "I'd urge that the group not sign this.",
        "Let's not sign it.",
        "I'm not going to sign letters in the name of the network.",
        "I don't want it signed in mine, or my name associated with it.",
        # strong disapproval of going
        "Please stop. Three days of discussion is not enough.",
        "This is not a decision-making process I can be proud to be involved with.",
        "I am appalled that we are going.",
        "That's unacceptable.",
        "Frankly it is an affront to send a speaker there.",
        "Going anyway would be a disgrace.",
        "We should boycott this summit.",
        "Shame on us for going.",
        "I won't be signing this.",
        "I cannot in good conscience support sending a speaker.",
        "Please don't sign it in my name.",
    ],
)
def test_implicit_noes_are_asked_about(text):
    found = objection.recognise(text)
    assert found is not None and found.confidence == "ask", text


@pytest.mark.parametrize(
    "text",
    [
        "Ana can't make sense of this.",
        "Ana can't make it.",  # no meeting or day named: nothing to pass on
        "If Ana can't make it on Thursday we'll move the call.",
        "Maria said she can't make it on Thursday.",
        "Unfortunately can't make it Thursday.",
        "Si Marie ne peut pas venir jeudi, on décale la réunion.",
        "Marie ne pourra pas assister à la conférence de jeudi.",
        "Ninguém vai poder participar da reunião de quinta?",
    ],
)
def test_no_name_or_no_meeting_passes_nothing_on(text):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is None or found.on_behalf is None, text


@pytest.mark.parametrize("text", ["Regrets.", "regret+", "My regrets!"])
def test_a_message_that_is_only_regrets_is_asked_about_for_the_next_meeting(text):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None and (found.confidence, found.next_meeting) == ("ask", True)


@pytest.mark.parametrize("text", ["No regrets", "Regrets: none", "regrets, I had a few"])
def test_regrets_that_are_no_apology_are_none(text):
    assert absence.recognise(text, TUESDAY, "UTC") is None


@pytest.mark.parametrize(
    "text",
    [
        # questions, negations and hedges
        "Yes or no from me?",
        "Did you ask that we not send anyone?",
        "Don't count me as a no, I'm still reading.",
        "I won't withdraw our participation.",
        "We must not withdraw from the forum.",
        "I'm hesitant to pull our panel due to the precedent.",
        # someone else, quoted or reported
        'She said "it\'s a no from me".',
        "Ana had to withdraw from the panel.",
        "They refuse to take part in the forum, which is a pity.",
        "If they refuse to take part we will send someone else.",
        # procedure, and everyday wording with the same words
        "A thumbs down counts as a -1.",
        "I won't sign up for the dinner.",
        "I don't want to sign anything before reading it.",
        "Please stop by the booth!",
        # documents, not people; timing; others refusing
        "Let's not send the final version before Friday.",
        "I ask that we do not send the slides before the review is done.",
        "I don't want it sent before Ana has reviewed the numbers.",
        "The organisers refuse to take part in any vendor showcase, which is reassuring.",
        "No from me either, I have no objection.",
        "We should not boycott the summit.",
        "Don't sign up yet, the form is broken.",
        "I won't be signing up for the dinner.",
        # indignation at something else than going
        "It is a scandal how expensive the hotels are, book early!",
        "I'm appalled by how little attention this topic gets, glad you're going.",
        "I'm outraged on your behalf that they cut your slot, go anyway!",
        "It's a shame the organisers moved the date.",
        # support
        "This is a process I can be proud of.",
        "It would be irresponsible not to send someone.",
        "It would be a disgrace if we didn't go.",
        "It's inappropriate for me to vote on this, I'm a co-author.",
    ],
)
def test_implicit_noes_reported_asked_or_supporting_are_none(text):
    assert objection.recognise(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        # taking the group out, asking that nobody go or sign, one's name kept off
        "Nous proposons nous aussi de retirer notre participation au sommet.",
        "Le réseau devrait se retirer de ce panel.",
        "Je demande qu'on n'envoie personne.",
        "Pas en mon nom.",
        "Creo que deberíamos retirar nuestra delegación del foro.",
        "Pido que no enviemos a nadie.",
        "No quiero que se firme en mi nombre.",
        "Proponho retirar a nossa participação no fórum.",
        "Recuso-me a assinar essa carta.",
        # a no given as one's vote, or counted among the noes
        "Non de ma part.",
        "Cuéntenme en contra.",
        "Para mim é um não.",
        # strong disapproval of going
        "Y de todos modos ir, sabiendo esto, es una afrenta.",
        "Es una vergüenza que vayamos.",
        "Nous devrions boycotter ce forum.",
        "Je suis consternée par cette décision.",
        "É uma vergonha.",
    ],
)
def test_implicit_noes_in_french_spanish_and_portuguese_are_asked_about(text):
    found = objection.recognise(text)
    assert found is not None and found.confidence == "ask", text


@pytest.mark.parametrize(
    "text",
    [
        "Elle aussi est contre cette participation.",
        "Je ne veux pas retirer notre participation.",
        "Si nous devons nous retirer, je préviendrai les organisateurs.",
        "Ce serait une honte de ne pas y aller.",
        "Non, pour ma part ça me va.",
        "No vamos a retirar nuestra participación.",
        "Sería una vergüenza no ir.",
        "No es un no, es un todavía no.",
        'Dijo que "es una vergüenza".',
        "Não vamos retirar a nossa participação.",
        "Seria uma vergonha não ir.",
        "Je propose de ne pas envoyer les diapositives avant vendredi.",
        "C'est une honte que le forum ne soit pas mieux financé, bravo d'y aller.",
        "Es una vergüenza que no nos hayan invitado antes, bien por ir.",
        "No enviemos el documento todavía.",
        "É uma vergonha que só agora nos convidaram; ainda bem que vamos.",
    ],
)
def test_implicit_noes_negated_reported_or_supporting_are_none_in_other_languages(text):
    assert objection.recognise(text) is None, text


@pytest.mark.parametrize(
    "text",
    ["I honestly don't think we should send anyone.", "Firmly object. The host sells the tickets."],
)
def test_an_adverb_or_a_left_out_writer_still_objects(text):
    found = objection.recognise(text)
    assert found is not None and found.confidence == "sure", text


@pytest.mark.parametrize(
    "text",
    ["Ana and Ben strongly object to the new format.", "I really don't think we should worry?"],
)
def test_others_objecting_or_a_question_is_none(text):
    assert objection.recognise(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        # unsure, late, or leaving part-way: asked, never recorded outright
        "I will probably not be able to join the call on Thursday.",
        "I'll probably miss Thursday's call.",
        "I might not make the January call",
        "I am also traveling this week and may not make the meeting.",
        "Je ne suis pas certain de pouvoir assister à l'appel de jeudi.",
        "Queria avisar que probablemente el jueves no pueda estar en la reunión.",
        "I'm coming in from a client site, I might be a little bit late to Thursday's call.",
        "I will have to leave the call early on Thursday.",
        "Sorry, I'm not going to be able to make it until closer to 14:30 on Thursday.",
        "i might be late for about 30min on Thursday",
        "Je risque d'avoir un quart d'heure de retard, mais je viendrai à l'appel de jeudi.",
        "J'aurai du retard jeudi",
        "Regrets: me",
    ],
)
def test_unsure_or_partial_absences_are_asked_about(text):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.confidence == "ask", text


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("I won't be able to make the mtg on Thursday", date(2026, 12, 3)),
        ("Thursday won't be possible for me, hope Ana can make it!", date(2026, 12, 3)),
        (
            "I personally will not be able to attend on Thursday due to a prior commitment.",
            date(2026, 12, 3),
        ),
        (
            "Um compromisso me impedirá de comparecer à nossa chamada de quinta-feira.",
            date(2026, 12, 3),
        ),
        ("Un imprevisto me impide asistir a la reunión del jueves.", date(2026, 12, 3)),
    ],
)
def test_more_ways_to_say_an_absence_are_recorded(text, when):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None and (found.confidence, found.when) == ("sure", when), text


@pytest.mark.parametrize(
    ("text", "event", "day"),
    [
        # Spanish: a talk given as "estar dando", "dar" in the present, an invitation to "me"
        (
            "Este jueves 14 de enero voy a estar dando una charla en la PyConAR sobre el informe.",
            "la PyConAR",
            date(2027, 1, 14),
        ),
        (
            "El 9 de febrero doy una ponencia en el Foro Abierto.",
            "el Foro Abierto",
            date(2027, 2, 9),
        ),
        (
            "Me invitaron a dar una charla en el Congreso de Datos el 3 de febrero.",
            "el Congreso de Datos",
            date(2027, 2, 3),
        ),
        # an English name for the event in Spanish chat is an event, not a place
        (
            "El 15 de enero daré una charla en Lima Data School sobre la red.",
            "Lima Data School",
            date(2027, 1, 15),
        ),
        # Portuguese: the present of a settled plan, a round table
        (
            "Na sexta-feira, 8 de janeiro, no Fórum Aberto, estreio a palestra sobre a rede.",
            "Fórum Aberto",
            date(2027, 1, 8),
        ),
        (
            "Dia 20 de janeiro participo de mesa redonda no Encontro de Dados.",
            "Encontro de Dados",
            date(2027, 1, 20),
        ),
        # French: the talk pointed at, an invitation by name
        (
            "Je ferai cette présentation au Forum Numérique le 19 janvier.",
            "Forum Numérique",
            date(2027, 1, 19),
        ),
        (
            "Les organisatrices m'ont invitée à présenter nos travaux aux Rencontres du Libre le 2 février.",
            "Rencontres du Libre",
            date(2027, 2, 2),
        ),
        # English: a panel chaired, slides of one's own, an aside after the subject
        (
            "I'll be chairing a panel at the Open Policy Summit on 2 March.",
            "the Open Policy Summit",
            date(2027, 3, 2),
        ),
        (
            "I'll have some slides on our report at the Civic Tech Fair on 6 February.",
            "the Civic Tech Fair",
            date(2027, 2, 6),
        ),
        (
            "I (Ben) got invited to present at the Data Week on 11 January.",
            "the Data Week",
            date(2027, 1, 11),
        ),
    ],
)
def test_talks_said_in_more_ways_are_announcements(text, event, day):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.confidence == "sure", text
    assert (found.event, found.when) == (event, day)


@pytest.mark.parametrize(
    "text",
    [
        # a talk of the writer's own with no event or date: the bot asks for them
        "En estos días estaré dando una charla sobre el informe.",
        "He sido invitada para compartir con la comunidad una ponencia sobre la red.",
        # the event named in the sentence before
        "El 20 de enero estaré en la DataConf de Quito. Voy a estar hablándoles a los asistentes sobre la red.",
        "I'll be in Berlin for the Data Summit. At the end of it I'll be moderating a panel with its speakers.",
        # an invitation to speak accepted, a slot counted in minutes
        "I accepted the invitation to talk about our report on 3 March.",
        "We have 40 minutes for the report at the Civic Data Seminar on 20 January.",
        # one capitalised word after an event word is the event, not a person
        "Here's the panel line-up for Datafest: Ana and me. I'll have a few slides about our report.",
    ],
)
def test_a_talk_with_its_event_or_date_missing_is_asked_about(text):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None, text
    assert found.confidence == "ask" or found.event is None or found.when is None, text


@pytest.mark.parametrize(
    "text",
    [
        # past talks
        "Ayer di una charla en la PyConAR, salió muy bien.",
        "La semana pasada estuve dando una charla en el Foro Abierto.",
        "Na semana passada dei uma palestra no Fórum Aberto.",
        "J'ai fait cette présentation au Forum Numérique la semaine dernière.",
        "I chaired a panel at the Open Policy Summit last week.",
        # someone else's talk
        "Juan dará una charla en la PyConAR el 14 de enero.",
        "Ana estreia a palestra no Fórum Aberto dia 8 de janeiro.",
        "Maria (our chair) will present at the Data Week on 11 January.",
        # an invitation to the group, or one put as a question
        "Nos invitaron a dar una charla en el Congreso de Datos, ¿alguien se anima?",
        "Me invitaron a dar una charla en el Congreso de Datos el 3 de febrero, ¿qué opinan?",
        # attending only
        "Voy a estar en la PyConAR el 14 de enero, ¿alguien más va?",
        "Dia 20 de janeiro vou ao Encontro de Dados.",
        # a call for papers
        "La PyConAR abre la convocatoria de charlas hasta el 14 de enero.",
        "O Fórum Aberto recebe propostas de palestra até 8 de janeiro.",
        "Call for papers: the Open Policy Summit on 2 March accepts slides on open data.",
        # not a talk of one's own: presenting the report to the group
        "Na quinta apresento o relatório ao grupo.",
        # "au final" names no event
        "Au final je ferai cette présentation en interne le 19 janvier.",
    ],
)
def test_past_others_attending_and_calls_for_talks_are_no_announcement(text):
    assert outreach.recognise(text, TUESDAY, "UTC") is None, text


@pytest.mark.parametrize(
    ("text", "event", "day"),
    [
        (
            "Talks\n\nComing up...\n  * Jan 12, Quito: Data Day 2027.",
            "Data Day 2027",
            date(2027, 1, 12),
        ),
        ("Upcoming talks:\n- 14 January: Data Week, Lisbon", "Data Week", date(2027, 1, 14)),
        (
            "Mes prochaines interventions :\n- 19 janvier : Forum Numérique",
            "Forum Numérique",
            date(2027, 1, 19),
        ),
        ("Próximas charlas:\n- 3 de febrero: PyConAR", "PyConAR", date(2027, 2, 3)),
    ],
)
def test_a_list_of_the_writers_coming_talks_is_asked_about(text, event, day):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.confidence == "ask", text
    assert (found.event, found.when) == (event, day)


@pytest.mark.parametrize(
    "text",
    [
        # a vote or opposition stated as one's own is recorded
        "That earns a -1 from me.",
        "Given the rules on sponsorship, -1 from me.",
        "I'm -1 on this until the sponsor is named",
        "My vote is also no.",
        "We express our strong opposition to sending a delegate.",
        "I don't think that we should go.",
        "Mon vote sera négatif.",
        "Nous exprimons notre opposition à ce déplacement.",
        "Nuestro voto también es en contra.",
        "Manifestamos nuestra oposición a esa firma.",
        "Vamos votar contra a viagem.",
        "Manifestamos nossa oposição à viagem.",
    ],
)
def test_a_vote_or_opposition_stated_as_ones_own_is_recorded(text):
    reading = objection.recognise(text)
    assert reading is not None and reading.confidence == "sure"


@pytest.mark.parametrize(
    "text",
    [
        # a one-word heading may head old talks: nothing says these are ahead
        "Talks\n- Sep 26: LatinR",
        # past, internal, or no list under the heading
        "Upcoming talks:\n- yesterday: Data Week",
        "Upcoming talks:\n- 14 January: our monthly call",
        "Upcoming talks\nWe should list them on the site by 14 January.",
    ],
)
def test_a_talk_list_not_ahead_or_not_outside_is_none(text):
    assert outreach.recognise(text, TUESDAY, "UTC") is None, text


@pytest.mark.parametrize(
    "text",
    [
        "Minutes of the call\nPresent: Behdad, Lucas, Anne\nRegrets: Jeff\nAbsent: Vincent",
        "Regrets: Jeff, Ana",
        "She might not make the call",
    ],
)
def test_others_listed_or_reported_are_no_notice_of_the_writer(text):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is None or found.on_behalf is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "This is a travel fund request for attending the Data Week, 11-13 January, and speaking "
        "there about our report.",
        "My funding request for presenting at FOSDEM on 30 January is in.",
    ],
)
def test_a_talk_the_writer_asks_support_for_is_asked_about(text):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None, text
    assert found.confidence == "ask" or found.when is None, text


@pytest.mark.parametrize(
    "text",
    [
        "NAK from me, the panel is vendor-only.",
        "NACK.",
        "Honestly I don't think we can endorse this.",
        "I would ask the organisers to please just withdraw this.",
        "I refuse.",
        "I won't vote to approve this trip.",
        "The sponsor list makes me feel uneasy.",
        "Je refuse.",
        "Je pense qu'on ne doit pas y aller.",
        "Je ne peux accepter cet accord.",
        "Je signe l'appel pour le retrait du réseau de ce forum.",
        "No vamos a apoyar ese viaje.",
        "Creo que no deberíamos firmar.",
        "Vamos a pedir que se suspenda el viaje.",
        "Acho que não devemos ir.",
        "Peço para cancelar essa ida.",
    ],
)
def test_refusals_and_the_going_judged_wrong_are_asked_about(text):
    reading = objection.recognise(text)
    assert reading is not None and reading.confidence == "ask"


@pytest.mark.parametrize(
    "text",
    [
        # vote symbols defined or glossed, not cast
        "+1 = approve\n0 = no opinion\n-1 = reject (give a reason)",
        "A blocking vote (-1) pauses the work until it is talked through.",
        "Objections can be raised until Friday.",
        # against not acting: support
        "I'm against doing nothing here.",
        "I'm strongly opposed to not sending anyone.",
        "I object to skipping the summit.",
        "My vote is no longer needed.",
        # quoted or asked
        'She said "NAK from me".',
        "Is it a NAK from you?",
        "So what do you answer to\n\n  Without a budget, it's a NAK from me.\n\n? Shall we go?",
        # other refusals, others' views, other worries
        "I refuse to believe we'd miss this.",
        "Je refuse de croire qu'on n'y aille pas.",
        "I don't think we can make the call Tuesday.",
        "No creo que debamos cancelar.",
        "Creo que no deberían faltar.",
        "Ana dijo que su voto será negativo.",
        "Acho que não devemos faltar.",
        "I would ask you to please confirm.",
        "I won't vote until Friday.",
    ],
)
def test_votes_defined_support_quoted_or_other_refusals_are_none(text):
    assert objection.recognise(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Ana's travel fund request for presenting at RightsCon on 5 May was approved.",
        "If my funding request for speaking at FOSDEM on 30 January goes through, great.",
        "Our grant covers attending RightsCon on 5 May.",
        "Ana accepted the invitation to speak at RightsCon on 5 May.",
        "We have 30 minutes for the call on Tuesday.",
        "We have 10 minutes left at the Civic Data Seminar on 20 January.",
    ],
)
def test_someone_elses_a_hedged_request_or_no_talk_is_none(text):
    assert outreach.recognise(text, TUESDAY, "UTC") is None, text


@pytest.mark.parametrize(
    ("text", "when", "next_meeting"),
    [
        ("So I'm not gonna be here on Thursday. Sorry, bye.", date(2026, 12, 3), False),
        ("Well, I won't be here next time, so see you all in February.", None, True),
        ("Al final no voy a la reunión del jueves :(", date(2026, 12, 3), False),
        ("Je ne passerai pas à la réunion de jeudi.", date(2026, 12, 3), False),
    ],
)
def test_spoken_absences_are_recorded(text, when, next_meeting):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.confidence == "sure", text
    assert (found.when, found.next_meeting) == (when, next_meeting), text


@pytest.mark.parametrize(
    "text",
    [
        "I have to drop 40 minutes in on Thursday, unfortunately.",
        "I have to drop in 30 minutes, so apologies.",
        "i need to leave at half two on Thursday, fyi",
    ],
)
def test_leaving_part_way_said_in_chat_is_asked_about(text):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.confidence == "ask", text


@pytest.mark.parametrize(
    "text",
    [
        "Minutes of the December call\n1. Apologies for Absence\nGilly, Rachel",
        "Compte rendu de la réunion du 3 décembre. Excusés : Marie, Paul.",
        "No voy a la cena del jueves",
        "Next time I'll bring the slides",
        "I can't make the call of what style to use for you, but consider this.",
    ],
)
def test_minutes_dinners_and_decisions_are_no_absence(text):
    found = absence.recognise(text, TUESDAY, "UTC")
    assert found is None or found.on_behalf is not None, text


def test_an_objection_others_might_believe_is_none():
    text = "On va finir par croire que je suis contre eux... c'est plus fort que moi !"
    assert objection.recognise(text) is None


@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        ("I withdraw my +1 until the programme is published.", "sure"),
        ("I am also not happy about the press release.", "ask"),
        ("I believe that we must disassociate ourselves clearly from this statement.", "ask"),
        ("I wouldn't. The summit is hosted by a government opposed to what we stand for.", "ask"),
        ("No hay presupuesto para ese viaje y no lo vamos a aprobar.", "ask"),
        ("Há várias coisas em que eu não colocaria o meu nome.", "ask"),
        ("Il est inimaginable de signer une telle déclaration !", "ask"),
    ],
)
def test_consent_taken_back_or_refused_in_more_words_is_read(text, confidence):
    found = objection.recognise(text)
    assert found is not None and found.confidence == confidence, text


@pytest.mark.parametrize(
    "text",
    ["If I were you I wouldn't worry.", "Ana withdrew her +1 yesterday, she told me."],
)
def test_others_withdrawals_and_advice_are_no_objection(text):
    assert objection.recognise(text) is None, text


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("I'm going to be speaking at All Day DevOps on 17 December.", "All Day DevOps"),
        (
            "I'm excited to be speaking at the swampUP conference on 20 May.",
            "the swampUP conference",
        ),
        (
            "Voy a dar mi primera charla en la NodeConf Argentina el 20 de mayo.",
            "la NodeConf Argentina",
        ),
        ("Vou ministrar dois workshops no PHPConference em 20 de maio.", "PHPConference"),
    ],
)
def test_talks_said_with_feeling_or_counted_are_announcements(text, event):
    found = outreach.recognise(text, TUESDAY, "UTC")
    assert found is not None and found.event == event, text


@pytest.mark.parametrize(
    "text",
    [
        "She's excited to be speaking at RightsCon on 24 February.",
        "I don't care at all about the event on 24 February.",
    ],
)
def test_others_talks_and_all_are_no_announcement(text):
    assert outreach.recognise(text, TUESDAY, "UTC") is None, text
