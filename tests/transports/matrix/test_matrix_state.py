"""What the Matrix transport keeps across restarts is kept by the database, on SQLite and on
PostgreSQL: one value per name, the last one written."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import build
from bot.config import Settings

ON_POSTGRES = True  # on both databases: a transport's state kept in the database

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_the_sync_token_and_direct_rooms_are_kept_one_value_per_name(db_url):
    app = build(Settings(database_url=db_url))
    try:
        with app.store() as uow:
            uow.transport_state.put("matrix", "sync_token", "s1", NOW)
            uow.transport_state.put("matrix", "direct:!a:x", "amina:x", NOW)
            uow.transport_state.put("slack", "direct:!a:x", "someone else", NOW)
            uow.commit()
        with app.store() as uow:
            uow.transport_state.put("matrix", "sync_token", "s2", NOW)
            uow.commit()
        with app.store() as uow:
            assert uow.transport_state.get("matrix", "sync_token") == "s2"
            assert uow.transport_state.get("matrix", "nothing") is None
            assert uow.transport_state.named_like("matrix", "direct:") == {"direct:!a:x": "amina:x"}
    finally:
        app.engine.dispose()
