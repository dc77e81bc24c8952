"""A member added on Slack by a mention, without `tz=`, takes the time zone of their Slack
profile (`users.info`); a zone given in the command wins, and a failed lookup leaves the
deployment's default without stopping the addition."""

from __future__ import annotations

from slackfake import AMINA, FakeSlack

ADD = 'member add <@{user}|amina> group=civil-society region=africa gender=woman org="Data Rights Lab"'


def zone_of(core, handle: str) -> str | None:
    with core.store() as uow:
        return uow.members.get(uow.groups.named("pn-ai").id, handle).timezone


def test_a_member_added_by_mention_takes_the_zone_of_their_slack_profile(driver, fake, core):
    fake.profiles[AMINA] = "Africa/Nairobi"
    driver.command("group create pn-ai")

    driver.command(ADD.format(user=AMINA))

    assert zone_of(core, AMINA) == "Africa/Nairobi"
    assert [c.body["user"] for c in fake.to("users.info")] == [AMINA]
    added = fake.posts()[-1].text()
    assert added.endswith("Time zone: Africa/Nairobi (from their profile).")


def test_a_zone_given_in_the_command_wins_and_slack_is_not_asked(driver, fake: FakeSlack, core):
    fake.profiles[AMINA] = "Africa/Nairobi"
    driver.command("group create pn-ai")

    driver.command(ADD.format(user=AMINA) + " tz=Europe/Paris")

    assert zone_of(core, AMINA) == "Europe/Paris"
    assert fake.to("users.info") == []


def test_a_failed_lookup_keeps_the_default_and_the_member_is_added(driver, fake, core):
    driver.command("group create pn-ai")  # the fake knows no profile: user_not_found

    driver.command(ADD.format(user=AMINA))

    assert zone_of(core, AMINA) is None  # the deployment's default applies
    assert len(fake.to("users.info")) == 1
    assert fake.posts()[-1].text().startswith(f"Added {AMINA} (<@{AMINA}>)")


def test_a_profile_zone_that_is_no_iana_zone_is_not_taken(driver, fake, core):
    fake.profiles[AMINA] = "Mars/Olympus_Mons"
    driver.command("group create pn-ai")

    driver.command(ADD.format(user=AMINA))

    assert zone_of(core, AMINA) is None


def test_a_handle_that_is_no_slack_user_id_is_not_looked_up(driver, fake, core):
    driver.command("group create pn-ai")

    driver.command(ADD.replace("<@{user}|amina>", "@amina"))

    assert zone_of(core, "amina") is None
    assert fake.to("users.info") == []
