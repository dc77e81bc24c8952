"""Two instances acting on the same record at once: a conditional update lets one win."""

from datetime import UTC, date, datetime

from storage.engine import make_engine, upgrade
from storage.uow import Store

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _store(db_url) -> Store:
    engine = make_engine(db_url)
    upgrade(engine)
    return Store(engine)


def test_an_outreach_window_is_closed_by_one_instance_only(db_url):
    store = _store(db_url)
    with store() as uow:
        group = uow.groups.create("pn-ai", NOW)
        record = uow.outreach.add(
            group_id=group.id,
            member="amina",
            event="RightsCon",
            date=date(2027, 5, 5),
            announced_at=NOW,
            window_closes_at=NOW,
        )
        uow.commit()
        record_id = record.id

    with store() as first, store() as second:
        seen_by_first = first.outreach.get(group.id, record_id)
        seen_by_second = second.outreach.get(group.id, record_id)
        assert second.outreach.move_status(seen_by_second, "announced", "cleared")
        second.commit()

        assert not first.outreach.move_status(seen_by_first, "announced", "polling")
        first.commit()

    with store() as uow:
        assert uow.outreach.get(group.id, record_id).status == "cleared"
    store.engine.dispose()


def test_a_poll_is_closed_by_one_instance_only(db_url):
    store = _store(db_url)
    with store() as uow:
        group = uow.groups.create("pn-ai", NOW)
        poll = uow.polls.add(
            group_id=group.id,
            question="Adopt?",
            options=[],
            opened_by="f",
            opened_at=NOW,
            closes_at=NOW,
        )
        uow.commit()
        poll_id = poll.id

    with store() as first, store() as second:
        mine, theirs = first.polls.get(group.id, poll_id), second.polls.get(group.id, poll_id)
        assert second.polls.close_if_open(theirs, NOW)
        second.commit()
        assert not first.polls.close_if_open(mine, NOW)
    store.engine.dispose()
