"""Refusals: bad input of every kind, and a crash inside a use case (who may not do what is
tested in test_authorization_matrix.py, on every path and for every role).

Each refusal must leave the database exactly as it was (`snapshot`), and say in the reply
what was wrong and how to do it right.
"""

from __future__ import annotations

import dataclasses
import logging

import pytest
from support import bot_replies, snapshot

from bot.dispatch import CRASH_REPLY
from handlers.base import ROLES
from handlers.composition import CAPACITIES, GENDERS, REGIONS, STAKEHOLDER_GROUPS
from handlers.grammar import MAX_COMMAND_LENGTH
from handlers.registry import REGISTRY


def the_reply(printed: str) -> str:
    replies = bot_replies(printed)
    assert len(replies) == 1, printed
    return replies[0]


UMA = '@uma group=civil-society region=africa gender=woman org="Data Rights Lab"'

# People of every role but facilitator; `zoe` is on no roster at all.
PEOPLE = {
    "member": "amina",
    "co-moderator": "bruno",
    "observer": "olga",
    "secretariat": "sekou",
    "stranger": "zoe",
}


# pn-ai with the example roster, an observer and a secretariat person, and its monthly
# meetings: on 8 December 2026 at 14:00 UTC, just after the first (@amina attended), with
# @amina's item on the next agenda (12 January) and her emerging issue #1; @amina's outreach 1
# with @bruno's objection 1, poll 1 open and poll 2 closed (@amina voted) with no outcome;
# and pn-polls, a second group with nobody on its roster, in #pn-polls. Built once and copied
# for each test (`WORLD` in tests/conftest.py).
WORLD = """
        !roster-import roster.csv
        @facilitator: /pn member add @olga group=government region=eastern-europe gender=woman org="Observer Institute" role=observer
        @facilitator: /pn member add @sekou group=civil-society region=africa gender=man org="Secretariat" role=secretariat
        @facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Paris duration=90 link=https://meet.example.org/pn-ai
        !now 2026-12-08 14:00 UTC
        !advance 1m
        @facilitator: /pn attended @amina
        @amina: /pn agenda add Review the draft outline
        @amina: /pn raise New EU rules on AI audits
        @amina: /pn outreach RightsCon on 5 May at Taipei
        @bruno: /pn object 1 The sponsor is a vendor whose product we assess
        @facilitator: /pn poll "Should the output recommend a common incident reporting format?" closes=5d
        @facilitator: /pn poll "Should the group meet in Geneva in March?" closes=2d
        @amina: /pn vote 2 agree
        @facilitator: /pn poll close 2
        @facilitator #pn-polls: /pn group create pn-polls
        """


@pytest.fixture
def group(app, transcript):
    """A copy of the world, its roles checked."""
    with app.store() as uow:
        roles = {m.handle: m.role for m in uow.members.all(uow.groups.named("pn-ai").id)}
    assert {role: roles.get(handle) for role, handle in PEOPLE.items()} == {
        "member": "member",
        "co-moderator": "co-moderator",
        "observer": "observer",
        "secretariat": "secretariat",
        "stranger": None,
    }
    return transcript


# (a) bad input ------------------------------------------------------------------------------

ADD = "@facilitator: /pn member add @uma"
OK_OPTIONS = 'group=civil-society region=africa gender=woman org="Data Rights Lab"'
ADD_USAGE = f"Usage: `{REGISTRY['member add'].usage}`"
NOT_A_ZONE = ["`Mars/Olympus` is not a time zone", "IANA", "Europe/Zurich"]

# (id, command it is about or None, console line, what the reply must say)
BAD_INPUT = [
    (
        "bad stakeholder group",
        "member add",
        f'{ADD} group=academia region=africa gender=woman org="Data Rights Lab"',
        ["`academia` is not a stakeholder group", ", ".join(STAKEHOLDER_GROUPS)],
    ),
    (
        "bad region",
        "member add",
        f'{ADD} group=civil-society region=mars gender=woman org="Data Rights Lab"',
        ["`mars` is not a region", ", ".join(REGIONS)],
    ),
    (
        "bad gender",
        "member add",
        f'{ADD} group=civil-society region=africa gender=female org="Data Rights Lab"',
        ["`female` is not a gender", ", ".join(GENDERS)],
    ),
    (
        "bad capacity",
        "member add",
        f"{ADD} {OK_OPTIONS} capacity=own",
        ["`own` is not a capacity", ", ".join(CAPACITIES)],
    ),
    (
        "bad role",
        "member add",
        f"{ADD} {OK_OPTIONS} role=chair",
        ["`chair` is not a role", ", ".join(ROLES)],
    ),
    ("bad tz on member add", "member add", f"{ADD} {OK_OPTIONS} tz=Mars/Olympus", NOT_A_ZONE),
    ("bad tz", "tz", "@amina: /pn tz Mars/Olympus", NOT_A_ZONE),
    (
        "missing required option",
        "member add",
        f"{ADD} group=civil-society region=africa gender=woman",
        ["`member add` needs `org=`", ADD_USAGE],
    ),
    (
        "missing person",
        "member add",
        f"@facilitator: /pn member add {OK_OPTIONS}",
        ["`member add` is missing `@user`", ADD_USAGE],
    ),
    (
        "unknown option",
        "member add",
        f"{ADD} {OK_OPTIONS} colour=blue",
        ["`member add` has no option `colour=`", ADD_USAGE],
    ),
    (
        "duplicate option",
        "member add",
        f"{ADD} region=asia-pacific {OK_OPTIONS}",
        ["`region=` is given twice", ADD_USAGE],
    ),
    (
        "unclosed quote",
        "member add",
        f'{ADD} group=civil-society region=africa gender=woman org="Data Rights Lab',
        ['A quote is not closed: every `"` needs its partner.'],
    ),
    (
        "extra word on member add",
        "member add",
        f"{ADD} please {OK_OPTIONS}",
        ["I did not expect `please` there.", ADD_USAGE],
    ),
    (
        "duplicate member",
        "member add",
        f"@facilitator: /pn member add @amina {OK_OPTIONS}",
        ["@amina is already on the roster", "`member edit`"],
    ),
    (
        "removing someone not on the roster",
        "member remove",
        "@facilitator: /pn member remove @zoe",
        ["@zoe is not on the roster of pn-ai", "`roster`"],
    ),
    (
        "member edit with nothing to change",
        "member edit",
        "@facilitator: /pn member edit @amina",
        ["Say what to change", "org="],
    ),
    (
        "member edit to a value no member may have",
        "member edit",
        "@facilitator: /pn member edit @amina gender=robot",
        ["`robot` is not a gender"],
    ),
    (
        "member edit of someone not on the roster",
        "member edit",
        "@facilitator: /pn member edit @zoe org=Elsewhere",
        ["@zoe is not on the roster of pn-ai"],
    ),
    (
        "extra word on roster all",
        "roster all",
        "@amina: /pn roster all please",
        ["I did not expect `please` there.", "Usage: `roster all`"],
    ),
    (
        "member show of a name, not a person",
        "member show",
        '@amina: /pn member show "Bruno Costa"',
        ["`Bruno Costa` is not a person: mention them, like `@alice`."],
    ),
    (
        "member show of someone not on the roster",
        "member show",
        "@amina: /pn member show @zoe",
        ["@zoe is not on the roster of pn-ai"],
    ),
    (
        "member show by a stranger",
        "member show",
        "@zoe: /pn member show",
        ["You are not on the roster of pn-ai"],
    ),
    (
        "tz by a stranger",
        "tz",
        "@zoe: /pn tz Europe/Paris",
        ["You are not on the roster of pn-ai"],
    ),
    (
        "extra word on tz",
        "tz",
        "@amina: /pn tz Europe/Paris Europe/Rome",
        ["I did not expect `Europe/Rome` there.", "Usage: `tz [<zone>]`"],
    ),
    (
        "extra word on roster",
        "roster",
        "@amina: /pn roster please",
        ["I did not expect `please` there.", "Usage: `roster`"],
    ),
    (
        "extra word on balance",
        "balance",
        "@amina: /pn balance now",
        ["I did not expect `now` there.", "Usage: `balance [on=<date>]`"],
    ),
    (
        "balance on a date that is no date",
        "balance",
        "@amina: /pn balance on=someday",
        ["`someday` is not a date I can read"],
    ),
    (
        "extra word on group",
        "group",
        "@amina: /pn group pn-ai",
        ["I did not expect `pn-ai` there.", "Usage: `group`"],
    ),
    (
        "extra word on site",
        "site",
        "@amina: /pn site pn-ai",
        ["I did not expect `pn-ai` there.", "Usage: `site`"],
    ),
    (
        "help for no such command",
        "help",
        "@amina: /pn help quorum",
        ["There is no command `quorum`", "`help`"],
    ),
    (
        "bad group name",
        "group create",
        "@facilitator #pn-health: /pn group create pn_health!",
        ["`pn_health!` is not a group name", "lowercase letters, digits and dashes"],
    ),
    (
        "bad group target",
        "group create",
        "@facilitator #pn-health: /pn group create pn-health target=0",
        ["`target=0`", "1 to 500"],
    ),
    (
        "group create in an already bound room",
        "group create",
        "@facilitator #pn-ai: /pn group create pn-health",
        ["This room already belongs to pn-ai."],
    ),
    (
        "group create of a name already taken",
        "group create",
        "@facilitator #pn-health: /pn group create pn-ai",
        ["There is already a group called pn-ai", "`group bind pn-ai`"],
    ),
    (
        "group create in a direct message",
        "group create",
        "@facilitator dm: group create pn-health",
        ["not in a direct message"],
    ),
    (
        "bad group name to bind",
        "group bind",
        "@facilitator #pn-health: /pn group bind pn/ai",
        ["`pn/ai` is not a group name"],
    ),
    (
        "group bind to no such group",
        "group bind",
        "@facilitator #pn-health: /pn group bind pn-health",
        ["There is no group called pn-health", "`group create pn-health`"],
    ),
    (
        "group bind in an already bound room",
        "group bind",
        "@facilitator #pn-ai: /pn group bind pn-ai",
        ["This room already belongs to pn-ai."],
    ),
    (
        "empty command",
        None,
        "@amina: /pn",
        ["Type a command after the bot's name, for example `help`."],
    ),
    (
        "control character in a handle",
        "member add",
        f"{ADD}\x07x {OK_OPTIONS}",
        ["invisible control character (U+0007)"],
    ),
    (
        "control character in an option value",
        "member add",
        f'{ADD} group=civil-society\x00 region=africa gender=woman org="Data Rights Lab"',
        ["invisible control character (U+0000)"],
    ),
    (
        "control character in a command name",
        None,
        "@amina: /pn roster\x1b[2J",
        ["invisible control character (U+001B)"],
    ),
    (
        "extra word on agenda",
        "agenda",
        "@amina: /pn agenda now",
        ["I did not expect `now` there.", "Usage: `agenda`"],
    ),
    (
        "agenda add without text",
        "agenda add",
        "@amina: /pn agenda add",
        ["`agenda add` is missing `<text>`.", "Usage: `agenda add <text...>`"],
    ),
    (
        "agenda add by a stranger",
        "agenda add",
        "@zoe: /pn agenda add My product launch",
        ["Only people on the roster propose agenda items; see `roster`."],
    ),
    (
        "agenda item too long",
        "agenda add",
        "@amina: /pn agenda add " + "x" * 501,
        ["Keep an agenda item under 500 characters (this one has 501)."],
    ),
    (
        "agenda remove of no such item",
        "agenda remove",
        "@amina: /pn agenda remove 7",
        ["There is no item 7 on the next agenda; see `agenda`."],
    ),
    (
        "agenda remove of someone else's item",
        "agenda remove",
        "@bruno: /pn agenda remove 1",
        ["Item 1 was proposed by @amina; only they or the facilitator remove it."],
    ),
    (
        "agenda remove without a number",
        "agenda remove",
        "@amina: /pn agenda remove",
        ["`agenda remove` is missing `<number>`.", "Usage: `agenda remove <number> [<reason...>]`"],
    ),
    (
        "extra word on agenda approve",
        "agenda approve",
        "@facilitator: /pn agenda approve now",
        ["I did not expect `now` there.", "Usage: `agenda approve`"],
    ),
    (
        "agenda timing beyond 30 days",
        "agenda timing",
        "@facilitator: /pn agenda timing call=31d",
        ["`call=31d` should be days or hours before the meeting, like 10d or 36h (at most 30d)."],
    ),
    (
        "agenda timing of no such step",
        "agenda timing",
        "@facilitator: /pn agenda timing colour=red",
        ["`agenda timing` has no option `colour=`."],
    ),
    (
        "attended by someone not on the roster",
        "attended",
        "@facilitator: /pn attended @bruno @zoe",
        ["@zoe is not on the roster of pn-ai; nothing was recorded."],
    ),
    (
        "attended without anyone",
        "attended",
        "@facilitator: /pn attended",
        ["`attended` is missing `<people>`.", "Usage: `attended <people...> [meeting=<date>]`"],
    ),
    (
        "attended of a meeting still ahead",
        "attended",
        "@facilitator: /pn attended @bruno meeting=2027-01-12",
        ["The meeting of Tue 12 Jan 2027, 12:00 UTC has not taken place yet."],
    ),
    (
        "attendance over no meetings",
        "attendance",
        "@facilitator: /pn attendance last=0",
        ["`last=` should be a number of meetings from 1 to 24."],
    ),
    (
        "attendance of a day without a meeting",
        "attendance",
        "@facilitator: /pn attendance 2026-12-09",
        ["There is no pn-ai meeting on Wed 9 Dec 2026. See `meetings`."],
    ),
    (
        "away by a stranger",
        "away",
        "@zoe: /pn away",
        ["Only people on the roster of pn-ai send apologies; see `roster`."],
    ),
    (
        "away for a day with no meeting near",
        "away",
        "@amina: /pn away 2026-12-20",
        ["There is no pn-ai meeting within 3 days of Sun 20 Dec 2026; the next:"],
    ),
    (
        "back without apologies",
        "back",
        "@amina: /pn back",
        ["You had sent no apologies for the meeting of Tue 12 Jan 2027, 12:00 UTC"],
    ),
    (
        "back to no date",
        "back",
        "@amina: /pn back blah",
        ["`blah` is not a date I can read. Try `9 December` or `2026-12-09`."],
    ),
    (
        "extra word on issues",
        "issues",
        "@amina: /pn issues all",
        ["I did not expect `all` there.", "Usage: `issues`"],
    ),
    (
        "raise without text",
        "raise",
        "@amina: /pn raise",
        ["`raise` is missing `<text>`.", "Usage: `raise <text...>`"],
    ),
    (
        "raise by an observer",
        "raise",
        "@olga: /pn raise Budget",
        ["Only members raise and support emerging issues."],
    ),
    (
        "support of no such issue",
        "support",
        "@chen: /pn support 9",
        ["There is no emerging issue #9; see `issues`."],
    ),
    (
        "support twice",
        "support",
        "@amina: /pn support 1",
        ["You support issue #1 already."],
    ),
    (
        "issue close by a member",
        "issue close",
        "@amina: /pn issue close 1",
        ["Only the facilitator"],
    ),
    (
        "issue defer of no such issue",
        "issue defer",
        "@facilitator: /pn issue defer 9 later",
        ["There is no emerging issue #9; see `issues`."],
    ),
    (
        "issue resolve without a number",
        "issue resolve",
        "@facilitator: /pn issue resolve",
        ["`issue resolve` is missing `<id>`.", "Usage: `issue resolve <id> [<note...>]`"],
    ),
    (
        "meeting pattern it cannot read",
        "meeting schedule",
        "@facilitator: /pn meeting schedule fortnightly on mondays at 10:00",
        ["I can't read `fortnightly on mondays` as a meeting pattern."],
    ),
    (
        "meeting pattern without a time",
        "meeting schedule",
        "@facilitator: /pn meeting schedule monthly on the second tuesday",
        ["Say when the meetings are, with a time"],
    ),
    (
        "meeting schedule in no time zone",
        "meeting schedule",
        "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Mars/Olympus",
        NOT_A_ZONE,
    ),
    (
        "meeting add in the past",
        "meeting add",
        "@facilitator: /pn meeting add 2026-12-08 09:00 UTC",
        ["Tue 8 Dec 2026, 09:00 UTC is in the past."],
    ),
    (
        "meeting add without a time",
        "meeting add",
        "@facilitator: /pn meeting add 15 January",
        ["`15 January` has a date but no time: add one, e.g. `15 January 14:00`"],
    ),
    (
        "meeting cancel of a day without a meeting",
        "meeting cancel",
        "@facilitator: /pn meeting cancel 2026-12-20",
        ["There is no pn-ai meeting on Sun 20 Dec 2026. See `meetings`."],
    ),
    (
        "meeting cancel of a meeting already held",
        "meeting cancel",
        "@facilitator: /pn meeting cancel 2026-12-08",
        ["That meeting has already started; it can no longer be cancelled."],
    ),
    (
        "meeting move without to",
        "meeting move",
        "@facilitator: /pn meeting move 12 January 13 January 15:00",
        ["Say where it moves: `meeting move 9 December to 10 December 15:00`."],
    ),
    (
        "meeting move onto another meeting",
        "meeting move",
        "@facilitator: /pn meeting move 12 January to 2027-02-09 12:00 UTC",
        ["There is already a meeting at Tue 9 Feb 2027, 12:00 UTC."],
    ),
    (
        "meetings count out of range",
        "meetings",
        "@amina: /pn meetings count=0",
        ["`count=` should be a number from 1 to 24."],
    ),
    (
        "extra word on meetings ics",
        "meetings ics",
        "@amina: /pn meetings ics now",
        ["I did not expect `now` there.", "Usage: `meetings ics`"],
    ),
    # outreach, objections, polls and outcomes
    (
        "outreach without a date",
        "outreach",
        "@amina: /pn outreach RightsCon in Taipei",
        ["Say when: `outreach <event> on <date> [at <place>] [link]`"],
    ),
    (
        "outreach on a date it cannot read",
        "outreach",
        "@amina: /pn outreach RightsCon on someday",
        ["`someday` is not a date I can read. Try `5 May` or `2027-05-05`."],
    ),
    (
        "outreach after the event",
        "outreach",
        "@amina: /pn outreach RightsCon on 2026-11-20",
        ["Fri 20 Nov 2026 is in the past; outreach is announced before the event."],
    ),
    (
        "outreach by an observer",
        "outreach",
        "@olga: /pn outreach RightsCon on 5 May",
        ["Only members announce outreach for the group."],
    ),
    (
        "outreach with an event name too long",
        "outreach",
        "@amina: /pn outreach " + "x" * 201 + " on 5 May",
        ["Name the event in under 200 characters."],
    ),
    (
        "extra word on outreach list",
        "outreach list",
        "@amina: /pn outreach list all",
        ["I did not expect `all` there.", "Usage: `outreach list`"],
    ),
    (
        "outreach withdraw of someone else's announcement",
        "outreach withdraw",
        "@bruno: /pn outreach withdraw 1",
        ["Outreach 1 is @amina's to withdraw."],
    ),
    (
        "outreach withdraw of no such outreach",
        "outreach withdraw",
        "@amina: /pn outreach withdraw 9",
        ["There is no outreach 9 in pn-ai; see `outreach list`."],
    ),
    (
        "report on someone else's outreach",
        "report",
        "@bruno: /pn report 1 Full room, good questions",
        ["Outreach 1 is @amina's; they report on it."],
    ),
    (
        "report without text",
        "report",
        "@amina: /pn report 1",
        ["`report` is missing `<text>`.", "Usage: `report <id> <text...>`"],
    ),
    (
        "object to one's own announcement",
        "object",
        "@amina: /pn object 1 on second thoughts",
        ["That is your own announcement; to drop it: `outreach withdraw 1`."],
    ),
    (
        "object by the facilitator",
        "object",
        "@facilitator: /pn object 1 not neutral enough",
        ["As facilitator you stay neutral and do not object to outreach."],
    ),
    (
        "object to no such outreach",
        "object",
        "@chen: /pn object 7 wrong venue",
        ["There is no outreach 7 in pn-ai; see `outreach list`."],
    ),
    (
        "object to an outreach number beyond any id",
        "object",
        "@chen: /pn object 99999999999999999999 wrong venue",
        ["There is no outreach 9999999999 in pn-ai; see `outreach list`."],
    ),
    (
        "withdraw someone else's objection",
        "withdraw",
        "@chen: /pn withdraw 1",
        ["You have no objection 1."],
    ),
    (
        "withdraw without a number",
        "withdraw",
        "@bruno: /pn withdraw",
        ["`withdraw` is missing `<objection>`.", "Usage: `withdraw <objection>`"],
    ),
    (
        "withdraw an objection number beyond any id",
        "withdraw",
        "@bruno: /pn withdraw 99999999999999999999",
        ["You have no objection 9999999999."],
    ),
    (
        "poll open for longer than 90 days",
        "poll",
        '@facilitator: /pn poll "Should we publish?" closes=120d',
        ["A poll stays open from one hour to 90 days"],
    ),
    (
        "poll with a single option",
        "poll",
        '@facilitator: /pn poll "Should we publish?" options=yes',
        ["Give 2 to 10 different options separated by commas"],
    ),
    (
        "poll question too long",
        "poll",
        "@facilitator: /pn poll " + "q" * 501,
        ["Keep the question under 500 characters (this one has 501)."],
    ),
    (
        "vote for an option the poll does not have",
        "vote",
        "@amina: /pn vote 1 maybe",
        ["`maybe` is not an option of poll 1: agree, abstain, disagree, block."],
    ),
    (
        "block without a reason",
        "vote",
        "@amina: /pn vote 1 block",
        ["Please say why you block: `vote 1 block <reason>`."],
    ),
    (
        "disagree without a reason",
        "vote",
        "@chen: /pn vote 1 disagree",
        ["Please say why you disagree: `vote 1 disagree <reason>`."],
    ),
    (
        "vote on a closed poll",
        "vote",
        "@chen: /pn vote 2 agree",
        ["Poll 2 is closed; votes are no longer taken."],
    ),
    (
        "vote by the secretariat",
        "vote",
        "@sekou: /pn vote 1 agree",
        ["As secretariat you stay neutral and do not vote."],
    ),
    (
        "vote by the facilitator",
        "vote",
        "@facilitator: /pn vote 1 agree",
        ["As facilitator you stay neutral and do not vote."],
    ),
    (
        "vote without an option",
        "vote",
        "@amina: /pn vote 1",
        ["`vote` is missing `<option>`.", "Usage: `vote <poll> <option> [<reason...>]`"],
    ),
    (
        "vote on a poll number beyond any id",
        "vote",
        "@amina: /pn vote 99999999999999999999 agree",
        ["There is no poll 9999999999 in pn-ai; see `polls`."],
    ),
    (
        "poll show of no such poll",
        "poll show",
        "@amina: /pn poll show 9",
        ["There is no poll 9 in pn-ai; see `polls`."],
    ),
    (
        "extra word on polls",
        "polls",
        "@amina: /pn polls open",
        ["I did not expect `open` there.", "Usage: `polls`"],
    ),
    (
        "poll close of a closed poll",
        "poll close",
        "@facilitator: /pn poll close 2",
        ["Poll 2 is closed already."],
    ),
    (
        "poll reopen of an open poll",
        "poll reopen",
        "@facilitator: /pn poll reopen 1",
        ["Poll 1 is open already."],
    ),
    (
        "poll reopen for longer than 90 days",
        "poll reopen",
        "@facilitator: /pn poll reopen 2 closes=120d",
        ["A poll stays open from one hour to 90 days"],
    ),
    (
        "poll rules with a quorum over 100%",
        "poll rules",
        "@facilitator: /pn poll rules quorum=150%",
        ["`quorum=150%` should be a percentage from 0 to 100."],
    ),
    (
        "poll rules with blocks not a number",
        "poll rules",
        "@facilitator: /pn poll rules blocks=many",
        ["`blocks=many` should be a number."],
    ),
    (
        "outcome of an open poll",
        "outcome",
        '@facilitator: /pn outcome 1 consensus "Broad support"',
        ["Poll 1 is still open; close it first (`poll close 1`)."],
    ),
    (
        "outcome that is neither consensus nor no-consensus",
        "outcome",
        '@facilitator: /pn outcome 2 maybe "Unclear"',
        ["`maybe` is not an outcome: say consensus or no-consensus."],
    ),
    (
        "outcome without a rationale",
        "outcome",
        "@facilitator: /pn outcome 2 consensus",
        [
            "`outcome` is missing `<rationale>`.",
            "Usage: `outcome <poll> <consensus|no-consensus|option> <rationale...>`",
        ],
    ),
    (
        "meeting private without on or off",
        "meeting private",
        "@facilitator: /pn meeting private 12 January maybe",
        ["Say the date, then on or off: `meeting private 12 January on`."],
    ),
    (
        "audit with a count that is no number",
        "audit",
        "@facilitator: /pn audit lots",
        ["Give how many changes to show, from 1 to 500: `audit 50`."],
    ),
    (
        "outcome amend of a poll that does not exist",
        "outcome amend",
        '@facilitator: /pn outcome amend 9 consensus "Broad support"',
        ["There is no poll 9 in pn-ai; see `polls`."],
    ),
    (
        "extra word on decisions",
        "decisions",
        "@amina: /pn decisions all",
        ["I did not expect `all` there.", "Usage: `decisions`"],
    ),
    (
        "meeting start in a direct message",
        "meeting start",
        "@bruno dm: meeting start",
        ["Open the minutes in the group's room, where the meeting is held."],
    ),
    (
        "meeting end with no meeting open",
        "meeting end",
        "@facilitator: /pn meeting end",
        ["No pn-ai meeting is open; a chair opens one with `meeting start`."],
    ),
    (
        "chair with no meeting open",
        "chair",
        "@facilitator: /pn chair @amina",
        ["No pn-ai meeting is open; a chair opens one with `meeting start`."],
    ),
    (
        "here with no meeting open",
        "here",
        "@amina: /pn here",
        ["No pn-ai meeting is open; a chair opens one with `meeting start`."],
    ),
    (
        "minutes before any were taken",
        "minutes",
        "@amina: /pn minutes",
        ["pn-ai has no minutes yet; a chair takes them with `meeting start` in a meeting."],
    ),
    (
        "minutes correct before any were taken",
        "minutes correct",
        "@amina: /pn minutes correct The link is wrong",
        ["pn-ai has no minutes yet"],
    ),
    (
        "minutes edit before any were taken",
        "minutes edit",
        "@facilitator: /pn minutes edit 3 The second draft",
        ["pn-ai has no minutes yet"],
    ),
    (
        "minutes approve before any were taken",
        "minutes approve",
        "@facilitator: /pn minutes approve",
        ["pn-ai has no minutes yet"],
    ),
    (
        "minutes window that is no length",
        "minutes window",
        "@facilitator: /pn minutes window forever",
        ["Give the window in hours or days, from 1h to 30d: `minutes window 48h`."],
    ),
    (
        "actions of two people",
        "actions",
        "@amina: /pn actions @amina @bruno",
        ["I did not expect `@bruno` there."],
    ),
    (
        "action done of an item that does not exist",
        "action done",
        "@amina: /pn action done 7",
        ["There is no action item 7 in pn-ai; see `actions all`."],
    ),
    (
        "action reassign without a person",
        "action reassign",
        "@amina: /pn action reassign 1",
        ["`action reassign` is missing `@person`."],
    ),
    (
        "action due without a date",
        "action due",
        "@amina: /pn action due 1",
        ["`action due` is missing `<date>`."],
    ),
    (
        "milestone of an unknown kind",
        "milestone add",
        '@facilitator: /pn milestone add "X" due=2027-01-10 kind=party',
        ["`kind=party` should be one of consultation, output, session, other."],
    ),
    (
        "milestone done that does not exist",
        "milestone done",
        "@amina: /pn milestone done 9",
        ["There is no milestone 9 in pn-ai; see `workplan`."],
    ),
    (
        "milestone move that does not exist",
        "milestone move",
        "@facilitator: /pn milestone move 9 due=2027-02-01",
        ["There is no milestone 9 in pn-ai; see `workplan`."],
    ),
    (
        "milestone drop that does not exist",
        "milestone drop",
        "@facilitator: /pn milestone drop 9",
        ["There is no milestone 9 in pn-ai; see `workplan`."],
    ),
    (
        "extra word on workplan",
        "workplan",
        "@amina: /pn workplan all",
        ["I did not expect `all` there.", "Usage: `workplan`"],
    ),
    (
        "time poll with one slot",
        "timepoll",
        '@facilitator: /pn timepoll "T" slots="Tue 13:00 UTC"',
        ["Give 2 to 8 slots separated by commas"],
    ),
    (
        "answer to a time poll that does not exist",
        "timepoll answer",
        "@amina: /pn timepoll answer 9 yes",
        ["There is no time poll 9 in pn-ai"],
    ),
    (
        "time poll shown that does not exist",
        "timepoll show",
        "@amina: /pn timepoll show x",
        ["There is no time poll x in pn-ai"],
    ),
    (
        "fairness over too many months",
        "fairness",
        "@amina: /pn fairness months=99",
        ["`months=` should be a number from 1 to 36"],
    ),
    (
        "draft shared without a web address",
        "draft share",
        '@facilitator: /pn draft share "D" docs.example.org comments-until=2027-01-10',
        ["`docs.example.org` should be the draft's web address"],
    ),
    (
        "comment on a draft that does not exist",
        "comment",
        "@amina: /pn comment 9 hello",
        ["There is no draft 9 in pn-ai; see `drafts`."],
    ),
    (
        "ack of a draft that does not exist",
        "ack",
        "@amina: /pn ack 9",
        ["There is no draft 9 in pn-ai; see `drafts`."],
    ),
    (
        "draft shown that does not exist",
        "draft show",
        "@amina: /pn draft show 9",
        ["There is no draft 9 in pn-ai; see `drafts`."],
    ),
    (
        "extra word on drafts",
        "drafts",
        "@amina: /pn drafts all",
        ["I did not expect `all` there.", "Usage: `drafts`"],
    ),
    (
        "IGF event of an unknown kind",
        "igf add",
        '@facilitator: /pn igf add "I" 2027-02-16 kind=summit',
        ["`kind=summit` should be one of open-consultation, mag, annual-meeting, other."],
    ),
    (
        "extra word on igf",
        "igf",
        "@amina: /pn igf all",
        ["I did not expect `all` there.", "Usage: `igf`"],
    ),
    (
        "briefing for an IGF event that does not exist",
        "briefing",
        "@bruno: /pn briefing 9 presenter=@bruno",
        ["There is no IGF event 9 in pn-ai; see `igf`."],
    ),
    (
        "report on an IGF event that does not exist",
        "igf report",
        "@bruno: /pn igf report 9 fine",
        ["There is no IGF event 9 in pn-ai; see `igf`."],
    ),
    (
        "capture asking neither on nor off",
        "capture asking",
        "@facilitator: /pn capture asking sometimes",
        ["Say `capture asking on` or `capture asking off`."],
    ),
]


def test_bad_input_cases_cover_every_command():
    assert {command for _, command, _, _ in BAD_INPUT} - {None} == set(REGISTRY)


@pytest.mark.parametrize(
    ("line", "expected"), [case[2:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_gets_a_specific_reply_and_changes_nothing(app, group, line, expected):
    before = snapshot(app.engine)

    reply = the_reply(group.say(line))

    for fragment in expected:
        assert fragment in reply
    assert CRASH_REPLY not in reply
    assert snapshot(app.engine) == before


def test_a_forty_thousand_character_command_is_refused_briefly(app, group):
    command = "member add @uma " + "x" * (40_000 - len("member add @uma "))
    before = snapshot(app.engine)

    reply = the_reply(group.say(f"@facilitator: /pn {command}"))

    assert reply == (
        f"That command is too long ({len(command)} characters; {MAX_COMMAND_LENGTH} at most)."
    )
    assert snapshot(app.engine) == before


@pytest.mark.parametrize(
    ("option", "value"),
    [("name", "Uma\x00Achieng"), ("org", "Data\x1b[31m Rights Lab"), ("name", "Uma\x07")],
    ids=["NUL in a name", "escape sequence in an organisation", "bell in a name"],
)
def test_control_characters_in_a_stored_value_are_refused(app, group, option, value):
    line = (
        f"{ADD} group=civil-society region=africa gender=woman "
        + ('org="Data Rights Lab" ' if option != "org" else "")
        + f'{option}="{value}"'
    )
    before = snapshot(app.engine)

    reply = the_reply(group.say(line))

    assert not reply.startswith("Added"), "a control character was stored"
    assert reply != CRASH_REPLY, "a control character crashed the bot instead of being refused"
    assert snapshot(app.engine) == before


# (b) a crash inside a use case ---------------------------------------------------------------


def test_a_crash_in_a_use_case_says_nothing_was_changed_and_writes_nothing(
    app, group, monkeypatch, caplog
):
    spec = REGISTRY["member add"]

    def add_then_fail(ctx, args):
        spec.func(ctx, args)  # the member is added within the unit of work...
        raise RuntimeError("disk on fire at /var/lib/pnbot")  # ...which then fails

    monkeypatch.setitem(REGISTRY, "member add", dataclasses.replace(spec, func=add_then_fail))
    before = snapshot(app.engine)

    with caplog.at_level(logging.ERROR, logger="bot.dispatch"):
        printed = group.say(f"@facilitator: /pn member add {UMA}")

    assert the_reply(printed) == CRASH_REPLY
    assert "nothing was changed" in CRASH_REPLY
    for leak in ("Traceback", "RuntimeError", "disk on fire", 'File "'):
        assert leak not in printed
    assert snapshot(app.engine) == before
    assert any(
        record.exc_info and isinstance(record.exc_info[1], RuntimeError)
        for record in caplog.records
    ), "the details should be in the bot's log"
