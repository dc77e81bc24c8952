"""The year's work on the public website: the workplan page (milestones upcoming, overdue in
words, done and dropped with their outcome notes), the IGF dates with the group's briefing and
report, the home page's next milestone, and the public calendar carrying the same milestones
and dates as the pages."""

import re
from datetime import UTC, date, datetime

from icalendar import Calendar

from handlers.site_pages import public_calendar
from handlers.site_workplan import milestone, outcome_note, workplan
from storage.models import Group, IgfEvent, Milestone

GROUP = "g/pn-ai"
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def main(page: bytes) -> str:
    return page.decode().split('<main id="main">')[1].split("</main>")[0]


def rows(html: str, caption: str) -> list[str]:
    """The body rows of the table with `caption`, tags and all."""
    table = html.split(f"<caption>{caption}</caption>")[1].split("</table>")[0]
    return re.findall(r"<tr[ >].*?</tr>", table.split("<tbody>")[1])


def test_the_workplan_shows_upcoming_overdue_done_and_dropped_milestones(month_site):
    page = main(month_site.files()[f"{GROUP}/workplan/index.html"])
    upcoming = rows(page, "Open milestones, by due date")
    assert upcoming == [
        '<tr class="overdue"><td><time datetime="2026-12-15">Tue 15 Dec 2026</time></td>'
        '<th scope="row">#1 Outline of the output document</th><td>output</td>'
        "<td><strong>Overdue by 7 days</strong></td></tr>",
        '<tr><td><time datetime="2027-03-22">Mon 22 Mar 2027</time></td>'
        '<th scope="row">#3 Public consultation on the draft</th><td>consultation</td>'
        "<td>Upcoming</td></tr>",
        '<tr><td><time datetime="2027-04-30">Fri 30 Apr 2027</time></td>'
        '<th scope="row">#4 Session proposal for the annual meeting</th><td>session</td>'
        "<td>Upcoming</td></tr>",
    ]
    assert "1 milestone past its due date and not done yet." in page
    [done] = rows(page, "Milestones done, by due date")
    assert "#2 Scoping note to the MAG" in done and "Overdue" not in done  # done late is done
    assert '<time datetime="2026-12-21">Mon 21 Dec 2026</time>' in done
    assert "<td>sent to the MAG with the outline&#39;s first sections</td>" in done
    [dropped] = rows(page, "Milestones dropped from the workplan, by due date")
    assert "#5 Glossary of terms" in dropped and "<td>merged into the outline</td>" in dropped
    # a move's note is not repeated in the room, so not published; the new date is
    assert "the secretariat asked for a later date" not in page


def test_the_workplan_names_no_owner(month_site):
    files = month_site.files()
    page = main(files[f"{GROUP}/workplan/index.html"])
    home = main(files[f"{GROUP}/index.html"]).split('<h2 id="year">')[1].split("</section>")[0]
    for text in (page, home):
        for owner in ("Amina Odhiambo", "Bruno Costa", "Chen Wei", "amina", "bruno", "chen"):
            assert owner not in text, owner


def test_igf_dates_show_the_groups_briefing_and_its_report_but_not_who_or_the_slides(
    month_site,
):
    files = month_site.files()
    page = main(files[f"{GROUP}/workplan/index.html"])
    coming = rows(page, "IGF dates ahead, at which the group briefs the community")
    assert [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in coming] == [
        "Tue 16 Feb 2027 to Thu 18 Feb 2027 IGF 2027 first open consultations open "
        "consultation The group will brief the community.",
        "Tue 16 Nov 2027 to Sat 20 Nov 2027 IGF 2027 annual meeting annual meeting "
        "Not arranged yet.",
    ]
    past = page.split('<h2 id="igf-past">Past IGF dates</h2>')[1]
    assert "<h3>MAG virtual meeting</h3>" in past and "MAG meeting." in past
    assert "<p>The MAG asked for the outline before the open consultations.</p>" in past
    # who presents and the slides are the group's preparation, not the public record
    assert "Bruno Costa" not in page
    leaks = [p for p, body in files.items() if b"pn-ai-mag-briefing" in body]
    assert leaks == []


def test_the_home_page_tells_the_next_milestone_and_the_coming_igf_dates(month_site):
    home = main(month_site.files()[f"{GROUP}/index.html"])
    assert (
        'Next milestone: <a href="workplan/index.html">#3 Public consultation on the draft</a> '
        '(consultation), due <time datetime="2027-03-22">Mon 22 Mar 2027</time>. '
        "1 milestone overdue." in home
    )
    assert (
        "IGF 2027 first open consultations (open consultation); "
        "the group will brief the community.</li>" in home
    )
    assert "IGF 2027 annual meeting (annual meeting).</li>" in home
    assert "MAG virtual meeting" not in home  # past
    assert '<a href="workplan/index.html">Workplan</a>: 3 open (1 overdue), 1 done' in home


def test_the_public_calendar_carries_what_the_workplan_page_shows(month_site):
    files = month_site.files()
    events = Calendar.from_ical(files[f"{GROUP}/meetings.ics"]).walk("VEVENT")
    by_uid = {str(e["UID"]): e for e in events}
    milestones = {u: e for u, e in by_uid.items() if "-milestone-" in u}
    igf = {u: e for u, e in by_uid.items() if "-igf-" in u}
    page = main(files[f"{GROUP}/workplan/index.html"])
    on_page = set(re.findall(r'<th scope="row">#(\d+) ', page))
    assert on_page == {"1", "2", "3", "4", "5"}
    assert {u.split("-milestone-")[1].split("@")[0] for u in milestones} == on_page
    assert str(milestones["pn-ai-milestone-3@pnbot"]["SUMMARY"]) == (
        "pn-ai workplan: Public consultation on the draft"
    )
    assert milestones["pn-ai-milestone-3@pnbot"].decoded("DTSTART") == date(2027, 3, 22)
    assert str(milestones["pn-ai-milestone-5@pnbot"]["STATUS"]) == "CANCELLED"  # dropped
    assert sorted(str(e["SUMMARY"]) for e in igf.values()) == [
        "IGF: IGF 2027 annual meeting",
        "IGF: IGF 2027 first open consultations",
        "IGF: MAG virtual meeting",
    ]
    assert str(igf["pn-ai-igf-1@pnbot"]["DESCRIPTION"]) == (
        "MAG meeting; pn-ai briefs the community here."
    )
    assert not [u for u in by_uid if "-draft-" in u]  # review rounds are not on the site


def milestone_row(id, due, status="open", history=()):
    return Milestone(
        id=id,
        group_id=1,
        title=f"Milestone {id}",
        kind="output",
        due=due,
        owner="amina",
        status=status,
        created_by="facilitator",
        created_at=T0,
        closed_at=T0 if status != "open" else None,
        history=list(history),
    )


def igf_row(id, starts, ends, presenter=None, slides=None, report=None):
    return IgfEvent(
        id=id,
        group_id=1,
        title=f"IGF date {id}",
        kind="open-consultation",
        starts=starts,
        ends=ends,
        created_by="facilitator",
        created_at=T0,
        presenter=presenter,
        slides=slides,
        report=report,
    )


def test_a_milestone_is_overdue_from_the_day_after_it_was_due():
    now = datetime(2027, 3, 15, 23, 0, tzinfo=UTC)
    due_today = milestone(milestone_row(1, date(2027, 3, 15)), now.date())
    due_yesterday = milestone(milestone_row(2, date(2027, 3, 14)), now.date())
    done_late = milestone(milestone_row(3, date(2027, 3, 1), "done"), now.date())
    assert (due_today.overdue, due_yesterday.overdue_days, done_late.overdue) == (False, 1, False)
    plan = workplan(
        [milestone_row(2, date(2027, 3, 14)), milestone_row(1, date(2027, 3, 15))], [], now
    )
    assert [m.number for m in plan.overdue] == [2]
    assert plan.next_milestone.number == 1  # due today: the next, not yet late


def test_the_outcome_note_is_the_one_said_with_the_outcome_not_a_moves():
    history = [
        {"action": "moved", "note": "the chair is away", "by": "facilitator", "was": "2027-01-01"},
        {"action": "done", "note": "shared with the MAG", "by": "amina"},
    ]
    assert outcome_note(history, "done") == "shared with the MAG"
    assert outcome_note(history[:1], "done") is None
    shown = milestone(milestone_row(1, date(2027, 1, 8), "done", history), date(2027, 1, 9))
    assert shown.note == "shared with the MAG" and shown.closed_on == T0.date()
    still_open = milestone(milestone_row(2, date(2027, 1, 8), "open", history[:1]), T0.date())
    assert still_open.note is None


def test_an_igf_date_is_coming_until_its_last_day_is_over():
    now = datetime(2027, 2, 18, 12, 0, tzinfo=UTC)
    plan = workplan(
        [],
        [
            igf_row(1, date(2027, 2, 16), date(2027, 2, 18), presenter="bruno"),
            igf_row(2, date(2027, 2, 1), date(2027, 2, 17), report="Went well."),
        ],
        now,
    )
    assert [(e.number, e.briefing) for e in plan.coming_igf] == [(1, True)]
    assert [(e.number, e.report) for e in plan.past_igf] == [(2, "Went well.")]


def test_the_public_calendar_leaves_out_a_briefings_slides():
    group = Group(id=1, name="pn-ai", created_at=T0)
    briefed = igf_row(
        1, date(2027, 2, 16), date(2027, 2, 18), "bruno", "https://docs.example.org/slides"
    )
    dropped = milestone_row(2, date(2027, 1, 8), "dropped")
    text = public_calendar(group, None, [], [dropped], [briefed])
    assert "docs.example.org" not in text and "bruno" not in text and "amina" not in text
    events = {str(e["UID"]): e for e in Calendar.from_ical(text).walk("VEVENT")}
    assert set(events) == {"pn-ai-milestone-2@pnbot", "pn-ai-igf-1@pnbot"}
    assert str(events["pn-ai-milestone-2@pnbot"]["STATUS"]) == "CANCELLED"
