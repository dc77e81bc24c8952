"""The composition root: settings → engine (migrated) → store → dispatcher."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from bot.config import Settings
from bot.dispatch import Dispatcher
from storage.engine import make_engine, upgrade
from storage.uow import Store


@dataclass
class App:
    settings: Settings
    engine: Engine
    store: Store
    dispatcher: Dispatcher


def build(settings: Settings, migrate: bool = True) -> App:
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    store = Store(engine)
    dispatcher = Dispatcher(
        store,
        default_tz=settings.default_tz,
        facilitators=settings.facilitators,
        secretariat_room=settings.secretariat_room,
        site_url=settings.site_url,
    )
    return App(settings, engine, store, dispatcher)
