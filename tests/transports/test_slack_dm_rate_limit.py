"""A poll tells every voter by direct message even when Slack rate-limits opening the direct
message conversations: each 429 holds the message back for its Retry-After, the delivery
loop sends it once that has passed, and nobody is told twice or forgotten."""

from __future__ import annotations

from datetime import timedelta

from slackfake import FakeSlack, start_group

ON_POSTGRES = True  # on both databases: retries held in the outbox

VOTERS = ["UAMINA001", "UBRUNO001", "UCHENX001"]


def dms(fake: FakeSlack) -> list[str]:
    """Who got a direct message about the poll, one entry per message that reached Slack."""
    return sorted(
        "U" + c.body["channel"][1:]
        for c in fake.to("chat.postMessage")
        if c.body["channel"].startswith("D") and "consensus poll is open" in c.text()
    )


def limited(fake: FakeSlack) -> int:
    return sum(1 for c in fake.to("conversations.open") if c.headers.get("x-fake-limited"))


def test_poll_dms_wait_out_six_429s_on_conversations_open_and_each_arrives_once(
    driver, fake, core, bolt, clock
):
    start_group(driver)
    driver.command(
        'member add <@UCHENX001|chen> group=private-sector region=asia-pacific gender=man org="Chen Ltd" name="Chen Wei"'
    )
    fake.rate_limit("conversations.open", times=6)
    fake.retry_after = 1
    runtime = bolt.out.runtime

    sent = driver.command('poll "Adopt the outline of the annual output?" closes=5d')

    assert sent.status == 200
    assert dms(fake) == []  # each voter's first try met a 429
    opened = clock.now
    # Retry-After is honoured: a round before it has passed sends nothing, and asks nothing.
    assert runtime.drain(opened + timedelta(milliseconds=500)) == 0
    assert limited(fake) == 3
    rounds = []
    for second in range(1, 6):
        rounds.append(runtime.drain(opened + timedelta(seconds=second)))
        if dms(fake) == VOTERS:
            break
    assert limited(fake) == 6
    assert dms(fake) == VOTERS
    assert sum(rounds) == len(VOTERS)
    assert runtime.drain(opened + timedelta(minutes=5)) == 0  # nothing left, nothing again
    assert dms(fake) == VOTERS
    with core.store() as uow:
        assert uow.outbox.failed() == []
        assert uow.outbox.next_due() is None
