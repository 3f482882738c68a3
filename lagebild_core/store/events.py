"""The event index: one row per event of each article's latest extraction, for queries
across articles (`GET /v1/events`), and one row per participant for actor and country filters.
Each event row names its story (lagebild_core.stories).

The extraction document stays the source of truth; these rows are rebuilt from it whenever an
article gets a new version (lagebild_core.events.index_events).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from lagebild_core.store.models import Base, tenant_column


class EventRecord(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_time_range", "time_start", "time_end"),
                      Index("ix_events_story_candidates", "tenant", "type", "window_start", "window_end"),
                      # a tenant's events newest first, without stepping over other tenants' newer ones
                      Index("ix_events_tenant_seq", "tenant", "seq"))

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(32), ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    tenant: Mapped[str] = tenant_column(index=False)  # ix_events_tenant_seq
    version: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(String(32))          # "E1", local to the extraction
    type: Mapped[str] = mapped_column(String(16), index=True)
    mode: Mapped[str | None] = mapped_column(String(32))
    modality: Mapped[str] = mapped_column(String(16), index=True)
    time_value: Mapped[str | None] = mapped_column(String(16))
    time_granularity: Mapped[str | None] = mapped_column(String(8))
    time_start: Mapped[dt.date | None] = mapped_column(Date)    # first and last day of the time value
    time_end: Mapped[dt.date | None] = mapped_column(Date)
    published_at: Mapped[dt.date | None] = mapped_column(Date)
    event: Mapped[dict] = mapped_column(JSON)                   # the schema-v1 event as extracted
    # the days the event may refer to (lagebild_core.story_rule.window) and the story it belongs to
    window_start: Mapped[dt.date | None] = mapped_column(Date)
    window_end: Mapped[dt.date | None] = mapped_column(Date)
    story_id: Mapped[str | None] = mapped_column(String(32), index=True)


class EventParticipant(Base):
    __tablename__ = "event_participants"
    # an actor's events and relations: the participant rows of one global id, with their events
    __table_args__ = (Index("ix_event_participants_global_id", "global_id", "event_seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_seq: Mapped[int] = mapped_column(Integer, ForeignKey("events.seq", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))               # source | target | location
    actor_id: Mapped[str] = mapped_column(String(32))           # local id in the extraction ("A1")
    global_id: Mapped[str | None] = mapped_column(String(200))  # ix_event_participants_global_id (+ event_seq)
    name: Mapped[str | None] = mapped_column(String(500))
    country: Mapped[str | None] = mapped_column(String(3), index=True)
