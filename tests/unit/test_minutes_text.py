"""Reading a meeting's tagged lines: every tag and its French and Spanish aliases, the
parts each carries, clear refusals, and a bounded cost whatever the line holds."""

from __future__ import annotations

import contextlib
import time

import pytest

from handlers.minutes_text import MAX_LINE, TagError, Tagged, read, tag_of


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("#topic Budget", "topic"),
        ("#sujet Budget", "topic"),
        ("#Tema Budget", "topic"),
        ("#info x", "info"),
        ("#link https://a.example x", "link"),
        ("#lien https://a.example", "link"),
        ("#enlace https://a.example", "link"),
        ("#idea x", "idea"),
        ("#idée x", "idea"),
        ("#action @a x", "action"),
        ("#acción @a x", "action"),
        ("#agreed x", "agreed"),
        ("#accord x", "agreed"),
        ("#acuerdo x", "agreed"),
        ("#AGREED x", "agreed"),
        ("#undo", "undo"),
        ("#annuler", "undo"),
        ("#deshacer", "undo"),
    ],
)
def test_every_tag_and_alias_is_read(line, kind):
    assert read(line).kind == kind
    assert tag_of(line) == kind


@pytest.mark.parametrize(
    "line",
    ["hello #info", "#general is busy today", "# info", "#infox text", "info: text", "", "#"],
)
def test_a_line_without_a_tag_at_its_start_is_no_tagged_line(line):
    assert read(line) is None


def test_a_link_keeps_its_address_and_text():
    assert read("#link https://example.org/draft?v=2 The second draft") == Tagged(
        "link", "The second draft", url="https://example.org/draft?v=2"
    )


def test_an_action_names_its_people_its_task_and_its_due_date():
    assert read("#action @amina, @bruno @amina Draft the summary due=20 December") == Tagged(
        "action", "Draft the summary", owners=("amina", "bruno"), due="20 December"
    )


def test_an_action_takes_slack_and_matrix_handles():
    assert read("#action <@U012AB> @chen:pnbot.test Draft it").owners == (
        "U012AB",
        "chen:pnbot.test",
    )


def test_a_topic_alone_moves_to_the_next_agenda_item():
    assert read("#topic") == Tagged("topic", "")


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("#info", "Say what to note"),
        ("#agreed", "Say what was agreed"),
        ("#link the draft", "A link starts with its address"),
        ("#action Draft the summary", "An action names who does it"),
        ("#action @amina", "Say what is to be done after the people"),
        ("#info " + "x" * MAX_LINE, "Keep a tagged line under 2000 characters"),
    ],
)
def test_a_tagged_line_that_cannot_be_read_says_how_to_write_it(line, says):
    with pytest.raises(TagError, match=says):
        read(line)


@pytest.mark.parametrize(
    "line",
    [
        "#action " + "@a " * 50_000,
        "#link https://" + "a" * 100_000,
        "#action @a " + "due=" * 50_000,
        "#info " + "\u0301" * 100_000,
        "#" + "x" * 100_000,
    ],
)
def test_a_huge_line_costs_milliseconds(line):
    started = time.perf_counter()
    with contextlib.suppress(TagError):
        read(line)
    assert time.perf_counter() - started < 0.05
