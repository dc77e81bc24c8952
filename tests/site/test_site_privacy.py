"""The public website leaves out what the record marks private: a private meeting (its date,
link, agenda, apologies, attendance), who voted what on an anonymous poll, observers'
handles, apologies' reasons, every person's gender, time zone, personal organisation and
e-mail, a milestone's owner and the note of a move, and who presents an IGF briefing with
which slides. The whole output folder is searched, every file of it."""

import csv
import re
from datetime import UTC, datetime

from support import EXAMPLES, Transcript

from bot import site

SCRIPT = """
!now 2026-11-20 09:00 UTC
!group pn-ai
!roster-import roster.csv
@facilitator: /pn member edit @amina email=amina.odhiambo@datarights.example
@facilitator: /pn milestone add "Stakeholder mapping" due=2026-12-03 owner=@amina kind=other
@facilitator: /pn milestone move 1 due=2026-12-05 the host ministry delayed its reply
@amina: /pn milestone done 1 mapping shared with the secretariat
@facilitator: /pn milestone add "Regional consultation" due=2026-12-10 owner=@dana kind=consultation
@facilitator: /pn igf add "MAG virtual meeting" 2026-12-02 kind=mag
@bruno: /pn briefing 1 presenter=@bruno slides=https://docs.example.org/unpublished-slides.pdf
@facilitator: /pn meeting add 1 December 2026 15:00 tz=UTC private=yes link=https://meet.example.org/secret-room
@amina: /pn agenda add Confidential budget line for the host country
@facilitator: /pn agenda approve
@hugo: /pn away 1 December because of a board meeting
@facilitator: /pn poll "Should the group endorse the Lisbon statement?" closes=2d anonymous=yes
@bruno: /pn vote 1 block we never discussed the Lisbon text
@chen: /pn vote 1 agree
@dana: /pn vote 1 disagree the timing is wrong for governments
@elif: /pn vote 1 agree
@visitor: /pn vote 1 agree
!advance 2d1h
@facilitator: /pn outcome 1 no-consensus "A block stands"
@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=UTC link=https://meet.example.org/open
@rosa: /pn away 8 December hearing at the congress
!advance 12d
@bruno: /pn igf report 1 The MAG welcomed the mapping.
@facilitator: /pn attended @amina @bruno @chen meeting=2026-12-01
!advance 8d
@facilitator: /pn attended @amina @dana @elif
"""
AT = datetime(2026, 12, 20, 9, 0, tzinfo=UTC)
ANONYMOUS_VOTERS = ("bruno", "chen", "dana", "elif", "visitor")
GENDER = re.compile(r"\b(wom[ae]n|m[ae]n|non-binary)\b", re.IGNORECASE)


def roster() -> list[dict]:
    with open(EXAMPLES / "roster.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def the_site(app, tmp_path) -> dict[str, str]:
    chat = Transcript(app)
    printed = chat.say(SCRIPT)
    assert "Recorded 3 new attendees for the meeting of Tue 1 Dec 2026" in printed
    assert "Dissent, block: (name withheld)" in printed
    assert "Milestone 1 (Stakeholder mapping) is done" in printed
    assert "Report on #1 MAG virtual meeting" in printed
    site.build(app.store, tmp_path / "public", AT)
    return {
        str(path.relative_to(tmp_path / "public")): path.read_text(encoding="utf-8")
        for path in sorted((tmp_path / "public").rglob("*"))
        if path.is_file()
    }


def test_nothing_private_reaches_any_file_of_the_site(app, tmp_path):
    files = the_site(app, tmp_path)
    people = roster()
    assert len(files) > 10 and "g/pn-ai/decisions/1/index.html" in files

    # the private meeting: no date, link, agenda, apology or attendance of it anywhere
    forbidden = [
        "2026-12-01",
        "1 Dec 2026",
        "secret-room",
        "Confidential budget line",
        # apologies' reasons, of the private meeting and of an open one
        "board meeting",
        "hearing at the congress",
        # an observer's handle
        "visitor",
        # a member's e-mail; a milestone's owner; a move's note; a briefing's presenter, slides
        "datarights.example",
        "@amina",
        "@dana",
        "@bruno",
        "host ministry delayed",
        "unpublished-slides",
    ]
    # every person's time zone (none is the meetings' zone here) and a personal organisation
    forbidden += sorted({p["timezone"] for p in people})
    forbidden += [p["organisation"] for p in people if p["capacity"] == "personal"]
    found = {(text, path) for path, body in files.items() for text in forbidden if text in body}
    assert found == set()

    # the workplan and the IGF date are published, without who owns or presents them
    workplan = files["g/pn-ai/workplan/index.html"]
    assert (
        "#1 Stakeholder mapping" in workplan and "mapping shared with the secretariat" in workplan
    )
    assert "#2 Regional consultation" in workplan and "Overdue by 10 days" in workplan
    assert "The MAG welcomed the mapping." in workplan
    for person in people:
        assert person["name"] not in workplan, person
        assert not re.search(rf"\b{person['handle']}\b", workplan), person

    # the open meeting is published, with counts only
    meeting = files["g/pn-ai/meetings/2026-12-08/index.html"]
    assert "<dt>Apologies</dt><dd>1</dd>" in meeting
    assert "<dt>Present</dt><dd>3 members</dd>" in meeting


def test_an_anonymous_polls_files_name_no_voter(app, tmp_path):
    files = the_site(app, tmp_path)
    names = {p["handle"]: p["name"] for p in roster()}
    about_the_poll = {p: b for p, b in files.items() if "Lisbon" in b}
    # the decision page, the list of decisions, the home page and the feed
    assert {
        "g/pn-ai/decisions/1/index.html",
        "g/pn-ai/decisions/index.html",
        "g/pn-ai/index.html",
        "g/pn-ai/feed.atom",
    } <= set(about_the_poll)
    decision = files["g/pn-ai/decisions/1/index.html"]
    assert "we never discussed the Lisbon text" in decision  # the reasons stay, unnamed
    assert decision.count("(name withheld)") == 2
    for path, body in about_the_poll.items():
        for handle in ANONYMOUS_VOTERS:
            voter = names.get(handle, handle)
            assert voter not in body, (voter, path)
            assert f"@{handle}" not in body, (handle, path)


def test_gender_is_published_as_counts_never_beside_a_name(app, tmp_path):
    files = the_site(app, tmp_path)
    names = [p["name"] for p in roster()]
    # the templates write one person, row or item per line: no line names someone and a gender
    for path, body in files.items():
        for line in body.splitlines():
            if GENDER.search(line):
                assert not [n for n in names if n in line], (path, line)
    # and the only files that speak of gender at all are the composition page and its chart
    speaking = {path for path, body in files.items() if GENDER.search(body)}
    assert speaking == {"g/pn-ai/composition/index.html", "g/pn-ai/charts/composition.svg"}
    composition = files["g/pn-ai/composition/index.html"]
    assert '<tr><th scope="row">woman</th><td>10</td><td>10</td></tr>' in composition
    assert '<tr><th scope="row">non-binary</th><td>1</td><td>–</td></tr>' in composition
