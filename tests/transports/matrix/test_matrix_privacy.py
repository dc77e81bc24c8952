"""Personal data on a real Synapse as on the console (tests/dialogs/test_privacy_matrix.py):
`member show` typed in the room answers in a direct chat; another member reads name,
stakeholder group, region and role, the person themself their gender, organisation and time
zone too; the room is told no organisation when someone joins."""

from __future__ import annotations

from matrixpeople import bodies, start_group


def answer_to(world, person) -> list[str]:
    """The lines of the bot's last message in its direct chat with `person`."""
    [direct] = person.direct_rooms_with(world.bot.me.user_id)
    return bodies(person.from_user(direct, world.bot.me.user_id))[-1].splitlines()


def test_member_show_shows_a_member_the_public_details_and_the_person_all(world):
    room = start_group(world)
    amina = world.amina.user_id

    world.bruno.say(room, f"!pn member show {amina}")
    world.amina.say(room, "!pn member show")
    world.bot_reads()

    assert answer_to(world, world.bruno) == [
        f"Amina Diallo ({amina}) — civil-society, africa",
        "Role: member",
        "Stakeholder group: civil-society",
        "Region: africa",
    ]
    mine = answer_to(world, world.amina)
    assert mine[0] == f"Amina Diallo ({amina}) — Data Rights Lab, civil-society, africa"
    assert mine[4:] == [
        "Gender: woman",
        "Organisation: Data Rights Lab (organisation capacity)",
        "Time zone: Africa/Nairobi",
    ]


def test_the_room_is_told_no_organisation_when_someone_joins(world):
    room = start_group(world)

    told = "\n".join(bodies(world.bruno.from_user(room, world.bot.me.user_id)))

    assert f"Added Amina Diallo ({world.amina.user_id}) — civil-society, africa" in told
    assert "Data Rights Lab" not in told and "Africa/Nairobi" not in told
