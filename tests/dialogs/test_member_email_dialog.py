"""Members' e-mail addresses: set with `member add`/`member edit` or the roster CSV's `email`
column, checked, shown to the person and the staff only, and kept in the export."""

from __future__ import annotations

from sqlmodel import select
from support import snapshot

from bot.rosterfile import import_file
from storage.archive import export
from storage.models import Member

ADD = (
    "@facilitator: /pn member add @amina group=civil-society region=africa gender=woman "
    'org="Data Rights Lab" email=Amina@DataRights.example'
)


def address(app, handle: str) -> str | None:
    with app.store() as uow:
        member = uow.session.exec(select(Member).where(Member.handle == handle)).one()
        return member.email


def test_an_address_is_kept_in_lower_case_and_shown_to_the_person_only(app, transcript):
    transcript.say(ADD)
    assert address(app, "amina") == "amina@datarights.example"
    assert "E-mail: amina@datarights.example" in transcript.say("@amina: /pn member show")
    transcript.say(
        "@facilitator: /pn member add @bruno group=private-sector region=africa gender=man org=X"
    )
    assert "datarights" not in transcript.say("@bruno: /pn member show @amina")
    with app.store() as uow:
        [group] = export(uow.session)["groups"]
    assert [m["email"] for m in group["members"] if m["handle"] == "amina"] == [
        "amina@datarights.example"
    ]


def test_a_bad_address_is_refused_with_an_example_and_changes_nothing(app, transcript):
    transcript.say(ADD)
    before = snapshot(app.engine)
    printed = transcript.say("@facilitator: /pn member edit @amina email=amina-at-example")
    assert "is not an e-mail address, like amina@example.org" in printed
    assert snapshot(app.engine) == before
    transcript.say("@facilitator: /pn member edit @amina email=amina@ngo.example")
    assert address(app, "amina") == "amina@ngo.example"


def test_the_roster_file_may_carry_an_email_column(app, transcript, tmp_path):
    with_email = tmp_path / "roster.csv"
    with_email.write_text(
        "handle,name,role,stakeholder_group,region,gender,organisation,capacity,timezone,email\n"
        "amina,Amina Odhiambo,member,civil-society,africa,woman,Data Rights Lab,organisation,"
        "Africa/Nairobi,amina@datarights.example\n",
        encoding="utf-8",
    )
    from support import START

    import_file(app.store, with_email, "pn-ai", START)
    assert address(app, "amina") == "amina@datarights.example"
