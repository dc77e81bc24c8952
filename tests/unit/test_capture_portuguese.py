"""Portuguese, Brazilian and European, read by the same engine from `handlers/phrases/pt.toml`:
apologies with the meeting's date, announcements with their event and date (the article fused
with the preposition, "no FIB", "na RightsCon", is not part of the name), objections; and the
wordings that look like them and are none (another person's words, a condition, a negation,
the procedure, the past)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from handlers import date_phrases
from handlers.recognise import absence, objection, outreach

TUESDAY = datetime.fromisoformat("2026-12-01T12:00:00+00:00")  # 1 Dec 2026 is a Tuesday
BRAZIL = "America/Sao_Paulo"  # 09:00 there
PORTUGAL = "Europe/Lisbon"  # 12:00 there

THURSDAY = date(2026, 12, 3)


# availability --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zone", "when", "reason"),
    [
        ("Peço desculpas, não poderei participar da reunião de quinta.", BRAZIL, THURSDAY, None),
        ("Não vou conseguir estar na call do dia 10.", BRAZIL, date(2026, 12, 10), None),
        ("Estarei ausente na reunião de 10/12.", BRAZIL, date(2026, 12, 10), None),
        ("Estarei ausente na reunião de 10/12.", PORTUGAL, date(2026, 12, 10), None),
        ("nao vou conseguir entrar na call de amanha", BRAZIL, date(2026, 12, 2), None),
        (
            "Não poderei estar presente na reunião de 5.ª feira, peço desculpa.",
            PORTUGAL,
            THURSDAY,
            None,
        ),
        ("Não me será possível participar na reunião de dia 9.", PORTUGAL, date(2026, 12, 9), None),
        (
            "Lamento não poder participar da reunião da próxima terça.",
            BRAZIL,
            date(2026, 12, 8),
            None,
        ),
        (
            "Tenho outro compromisso na quinta-feira, não consigo participar.",
            BRAZIL,
            THURSDAY,
            None,
        ),
        ("Vou faltar à reunião de amanhã.", PORTUGAL, date(2026, 12, 2), None),
        (
            "Desculpem, não consigo entrar na call de amanhã por motivos de saúde",
            BRAZIL,
            date(2026, 12, 2),
            "motivos de saúde",
        ),
        (
            "Olá a todos, não vou conseguir participar da reunião de terça que vem porque "
            "estarei em viagem.",
            BRAZIL,
            date(2026, 12, 8),
            "estarei em viagem",
        ),
        (
            "Estou impossibilitada de comparecer à reunião de 9 de dezembro.",
            PORTUGAL,
            date(2026, 12, 9),
            None,
        ),
        ("Vou estar em viagem durante a reunião de quinta.", BRAZIL, THURSDAY, None),
        (
            "Peço desculpas pela minha ausência na reunião do dia 8.",
            BRAZIL,
            date(2026, 12, 8),
            None,
        ),
    ],
)
def test_apologies_with_their_meetings_day(text, zone, when, reason):
    found = absence.recognise(text, TUESDAY, zone)
    assert found is not None, text
    assert (found.language, found.when, found.reason, found.confidence) == (
        "pt",
        when,
        reason,
        "sure",
    )


def test_the_next_meeting_without_a_date():
    text = "Pessoal, infelizmente não vou poder participar da próxima reunião."
    found = absence.recognise(text, TUESDAY, BRAZIL)
    assert found is not None
    assert (found.when, found.next_meeting, found.confidence) == (None, True, "sure")


def test_a_bare_apology_is_asked_about_for_the_next_meeting():
    # nothing after it: the writer is asked about the next meeting
    found = absence.recognise("Infelizmente não consigo participar.", TUESDAY, BRAZIL)
    assert found is not None
    assert (found.language, found.when, found.confidence) == ("pt", None, "ask")


@pytest.mark.parametrize(
    ("text", "when"),
    [
        # arriving late or leaving early is part of the meeting missed: always asked
        ("Vou chegar atrasado.", None),
        ("Vou chegar uns 15 minutos atrasada na reunião de quinta.", THURSDAY),
        ("Vou ter que sair mais cedo da call de amanhã.", date(2026, 12, 2)),
        # a looser cue with one date
        # a week: the meeting held in it (Monday to Sunday)
        ("Estou de férias na próxima semana.", (date(2026, 12, 7), date(2026, 12, 13))),
    ],
)
def test_notices_the_writer_is_asked_about(text, when):
    found = absence.recognise(text, TUESDAY, BRAZIL)
    assert found is not None, text
    assert (found.language, found.period or found.when, found.confidence) == ("pt", when, "ask")


def test_a_holiday_over_several_days_asks_which_date():
    found = absence.recognise("Estarei de férias de 7 a 11 de dezembro.", TUESDAY, BRAZIL)
    assert found is not None
    assert (found.when, found.ambiguous) == (None, True)


@pytest.mark.parametrize(
    "text",
    [
        # a condition, someone else, a question
        "Se eu não puder participar na quinta, mando comentários por escrito.",
        "A Ana disse que não poderá participar da reunião de quinta.",
        "Ela não vai conseguir participar na quinta.",
        "Quem não puder participar na quinta, avise.",
        # the past, the group deciding, a negation, the writer attending after all
        "Não poderei participar da reunião de ontem.",
        "Vamos cancelar a reunião de quinta, não há pauta.",
        "Não vou perder a reunião de quinta por nada!",
        "Não faltarei à reunião de quinta.",
        "Não vou chegar atrasado na quinta.",
        "Estarei de férias, mas participo da reunião de quinta.",
        # something else the writer cannot do, or apologises for
        "Não consigo acessar o link da reunião.",
        "Não vou conseguir terminar o relatório até quinta.",
        "Peço desculpas pela demora na resposta.",
        # "quinta" as an ordinal names no day
        "Na quinta edição do FIB houve muita gente, não consigo participar de tudo.",
    ],
)
def test_wordings_that_are_no_apology(text):
    assert absence.recognise(text, TUESDAY, BRAZIL) is None


def test_spanish_stays_spanish():
    found = absence.recognise("No podré asistir a la reunión del jueves.", TUESDAY, "America/Lima")
    assert found is not None and (found.language, found.when) == ("es", THURSDAY)


# outreach ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "event", "when", "place"),
    [
        (
            "Vou apresentar o trabalho da rede no Fórum da Internet no Brasil em 12 de maio.",
            "Fórum da Internet no Brasil",
            date(2027, 5, 12),
            None,
        ),
        ("Participarei como palestrante no LACIGF.", "LACIGF", None, None),
        (
            "Farei uma apresentação sobre o relatório na RightsCon em 5 de maio.",
            "RightsCon",
            date(2027, 5, 5),
            None,
        ),
        ("Apresentarei nosso relatório no FIB na quinta.", "FIB", THURSDAY, None),
        (
            "Darei uma palestra no Web Summit em Lisboa no dia 11 de dezembro.",
            "Web Summit",
            date(2026, 12, 11),
            "Lisboa",
        ),
        ("Vou moderar uma sessão no IGF no dia 15 de dezembro.", "IGF", date(2026, 12, 15), None),
        (
            "Fui convidada para falar sobre governança de IA no Fórum de Lisboa em 10 de dezembro.",
            "Fórum de Lisboa",
            date(2026, 12, 10),
            None,
        ),
        ("Estarei num painel na EuroDIG em 18 de junho.", "EuroDIG", date(2027, 6, 18), None),
        (
            "Vou representar a rede na reunião da ICANN em 9 de março.",
            "reunião da ICANN",
            date(2027, 3, 9),
            None,
        ),
    ],
)
def test_announcements_with_their_event_and_date(text, event, when, place):
    found = outreach.recognise(text, TUESDAY, BRAZIL)
    assert found is not None, text
    assert (found.language, found.event, found.when, found.place) == ("pt", event, when, place)
    assert not found.ambiguous


def test_a_role_said_after_the_event_over_several_days():
    text = "Participarei da conferência ISOC em Lisboa de 7 a 9 de dezembro como palestrante."
    found = outreach.recognise(text, TUESDAY, PORTUGAL)
    assert found is not None
    assert (found.event, found.place, found.when, found.ambiguous) == (
        "conferência ISOC",
        "Lisboa",
        None,
        True,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Vou apresentar o rascunho na nossa próxima reunião.",
        "Não vou apresentar no FIB este ano.",
        "Não apresentarei no FIB.",
        "A Maria vai apresentar no FIB em 12 de maio.",
        "Gostaria de apresentar o relatório no FIB, alguém se opõe?",
        "Quem vai apresentar no LACIGF?",
        "Apresentei o relatório no FIB ontem.",
        "Vou apresentar a proposta por e-mail amanhã.",
    ],
)
def test_wordings_that_are_no_announcement(text):
    assert outreach.recognise(text, TUESDAY, BRAZIL) is None


# objections ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Eu me oponho.", None),
        ("Oponho-me: o painel não tem equilíbrio.", "o painel não tem equilíbrio"),
        ("Sou contra.", None),
        ("Sou totalmente contra essa participação.", None),
        (
            "Não concordo com esta apresentação, pois o evento não é multissetorial.",
            "o evento não é multissetorial",
        ),
        ("Voto contra.", None),
        ("Objeção: o painel é só de empresas.", "o painel é só de empresas"),
        ("Tenho uma objeção: falta a sociedade civil.", "falta a sociedade civil"),
        ("Nós nos opomos a essa apresentação.", None),
        ("Não estou de acordo com esta proposta.", None),
        ("Não me sinto confortável com isso.", None),
        ("Discordo totalmente.", None),
        (
            "Eu me oponho porque a empresa se beneficia do evento.",
            "a empresa se beneficia do evento",
        ),
        # a shared "-1" takes the language of the words around it
        (
            "-1, o evento é patrocinado por uma empresa de vigilância",
            "o evento é patrocinado por uma empresa de vigilância",
        ),
    ],
)
def test_objections(text, reason):
    found = objection.recognise(text)
    assert found is not None, text
    assert (found.language, found.reason, found.confidence) == ("pt", reason, "sure")


@pytest.mark.parametrize(
    "text",
    [
        # the procedure, someone else's words, a negation, a condition
        "O prazo para objeções é dia 15.",
        "Ela disse que se opõe.",
        'Ela disse "eu me oponho".',
        "Não me oponho.",
        "Sem objeções.",
        "Sem objeções da minha parte.",
        "Não tenho nenhuma objeção.",
        "Eu não sou contra, só acho que falta tempo.",
        "Ninguém é contra.",
        "Se alguém discordar, avise.",
        "Eu me oponho se o painel não tiver sociedade civil.",
        "Um voto contra basta para bloquear.",
        "Retiro minha objeção.",
        "Minha objeção foi retirada.",
        "Não concordo? Pensando bem, concordo.",
        "Concordo plenamente.",
    ],
)
def test_wordings_that_are_no_objection(text):
    assert objection.recognise(text) is None


def test_a_looser_objection_is_asked_about():
    found = objection.recognise("Não posso apoiar esta apresentação.")
    assert found is not None and (found.language, found.confidence) == ("pt", "ask")


# dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("depois de amanhã", date(2026, 12, 3)),
        ("hoje à noite", date(2026, 12, 1)),
        ("quinta, dia 3", THURSDAY),
        ("5ª feira", THURSDAY),
        ("2.ª-feira", date(2026, 12, 7)),
        ("semana que vem", date(2026, 12, 8)),
        ("dia 30", date(2026, 12, 30)),
        ("1º de janeiro", date(2027, 1, 1)),
        # day first, as Portuguese writes it
        ("10/12", date(2026, 12, 10)),
    ],
)
def test_portuguese_date_phrases(phrase, expected):
    portuguese = next(table for table in absence.TABLES if table.code == "pt")
    base = datetime(2026, 12, 1, 9, 0)
    assert date_phrases.resolve(
        phrase, "pt", base, portuguese.synonyms, portuguese.next_weekday
    ) == (expected, False)
