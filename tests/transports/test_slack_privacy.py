"""Personal data on Slack as on the console (tests/dialogs/test_privacy_matrix.py): a member
reads another's name, stakeholder group, region and role, not their gender, time zone or
organisation; the person themself reads all of it; the channel is told no organisation
when someone joins."""

from __future__ import annotations

from slackfake import AMINA, BRUNO, start_group

STRANGER = "UZOE00001"
STRANGER_DM = "DZOE00001"
PUBLIC = [
    f"Amina Diallo (<@{AMINA}>) — civil-society, africa",
    "Role: member",
    "Stakeholder group: civil-society",
    "Region: africa",
]


def shown_to(fake, user: str) -> list[str]:
    """The lines of the last answer only `user` saw."""
    private = [
        c
        for c in fake.posts()
        if c.body.get("user") == user or c.body.get("response_type") == "ephemeral"
    ]
    return private[-1].text().splitlines()


def test_a_member_reads_another_members_public_details_only(driver, fake):
    start_group(driver)

    driver.command(f"member show <@{AMINA}|amina>", user=BRUNO)

    assert shown_to(fake, BRUNO) == PUBLIC


def test_the_person_themself_reads_their_gender_and_organisation(driver, fake):
    start_group(driver)

    driver.command("member show", user=AMINA)

    lines = shown_to(fake, AMINA)
    assert lines[0] == f"Amina Diallo (<@{AMINA}>) — Data Rights Lab, civil-society, africa"
    assert lines[4:6] == ["Gender: woman", "Organisation: Data Rights Lab (organisation capacity)"]


def test_a_stranger_in_a_direct_message_reads_the_public_details_only(driver, fake):
    start_group(driver)

    driver.command(f"member show <@{AMINA}|amina>", user=STRANGER, channel=STRANGER_DM)

    answer = fake.posts()[-1]
    assert answer.text().splitlines() == PUBLIC


def test_the_channel_is_told_no_organisation_when_someone_joins(driver, fake):
    start_group(driver)

    told = "\n".join(c.text() for c in fake.posts() if c.body.get("response_type") != "ephemeral")
    assert f"Added Amina Diallo (<@{AMINA}>) — civil-society, africa" in told
    assert "Data Rights Lab" not in told and "Ministry of Communications" not in told
