"""A button works wherever it is pressed: in a direct message or an app's home page the
group comes from the record the button acts on, not from the room."""

from sqlmodel import select
from support import snapshot

from storage.models import Vote

TWO_GROUPS = """
!group pn-cyber
@facilitator: /pn member add @amina group=civil-society region=africa gender=woman org="Data Rights Lab"
@facilitator: /pn member add @bruno group=technical-community region=latin-america-caribbean gender=man org=LACNIC
!group pn-ai
@facilitator: /pn member add @amina group=civil-society region=africa gender=woman org="Data Rights Lab"
@facilitator: /pn poll "Adopt the outline?" closes=3d
"""


def test_a_vote_button_pressed_in_a_direct_message_counts_in_the_polls_group(app, transcript):
    transcript.say(TWO_GROUPS)

    printed = transcript.say("@amina dm click poll.vote 1:agree")

    assert "Your vote on poll 1 is agree." in printed
    with app.store() as uow:
        votes = uow.session.exec(select(Vote)).all()
        assert [(v.poll_id, v.member, v.option, v.advisory) for v in votes] == [
            (1, "amina", "agree", False)
        ]


def test_a_button_for_another_groups_record_is_judged_by_that_groups_roster(app, transcript):
    transcript.say(TWO_GROUPS)
    before = snapshot(app.engine)

    # bruno is on pn-cyber's roster only: in pn-ai he is an observer, so his view is advisory
    printed = transcript.say("@bruno dm click poll.vote 1:agree")

    assert "recorded as advisory" in printed
    assert snapshot(app.engine) != before


def test_a_button_naming_no_record_is_refused_and_changes_nothing(app, transcript):
    transcript.say(TWO_GROUPS)
    before = snapshot(app.engine)

    printed = transcript.say("@amina dm click poll.vote 99:agree")

    assert "belongs to no working group" in printed or "There is no poll 99" in printed
    assert snapshot(app.engine) == before
