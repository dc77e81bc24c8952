"""The tables. Every record belongs to a group; datetimes are timezone-aware UTC."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Group(SQLModel, table=True):
    """One working group: its roster, meetings, polls."""

    __tablename__ = "groups"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    target_size: int = 20
    created_at: datetime


class Room(SQLModel, table=True):
    """A chat room bound to a group; the main room is where the bot posts for the group."""

    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("transport", "room"),)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    transport: str = Field(max_length=20)
    room: str = Field(max_length=255)
    main: bool = False


class Member(SQLModel, table=True):
    """A person on a group's roster, with the composition facts the terms of reference ask for."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("group_id", "handle"),)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    handle: str = Field(max_length=255)
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    stakeholder_group: str | None = Field(default=None, max_length=40)
    region: str | None = Field(default=None, max_length=40)
    gender: str | None = Field(default=None, max_length=20)
    organisation: str | None = Field(default=None, max_length=200)
    capacity: str | None = Field(default=None, max_length=20)
    timezone: str | None = Field(default=None, max_length=64)
    added_at: datetime


class ProcessedEvent(SQLModel, table=True):
    """An inbound event already handled: the same (transport, key) is processed once."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("transport", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    transport: str = Field(max_length=20)
    key: str = Field(max_length=255)
    processed_at: datetime


class OutboxItem(SQLModel, table=True):
    """Something the bot will say on a schedule: claimed before sending, marked after."""

    __tablename__ = "outbox"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=255)
    group_id: int | None = Field(default=None, foreign_key="groups.id", index=True)
    due_at: datetime = Field(index=True)
    kind: str = Field(max_length=20)
    transport: str = Field(max_length=20)
    target: str = Field(max_length=255)
    thread: str | None = Field(default=None, max_length=255)
    text: str
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    claimed_by: str | None = Field(default=None, max_length=80)
    claimed_at: datetime | None = None
    sent_at: datetime | None = Field(default=None, index=True)
    attempts: int = 0
    last_error: str | None = None
