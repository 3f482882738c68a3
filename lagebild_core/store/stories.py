"""Stories: one row per happening, however many indexed events (reports) belong to it.

The rows are derived: lagebild_core.stories recomputes them from the event index whenever an
article's events change (new version, deletion). `events.story_id` says which story an event
belongs to; this table holds what a story's list and page show, and what they filter on.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lagebild_core.store.models import Base, UTCDateTime, tenant_column, utcnow


class Story(Base):
    __tablename__ = "stories"
    __table_args__ = (UniqueConstraint("tenant", "id", name="uq_story_tenant_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32))   # lagebild_core.story_rule.story_id
    tenant: Mapped[str] = tenant_column(index=False)  # uq_story_tenant_id
    type: Mapped[str] = mapped_column(String(16), index=True)
    mode: Mapped[str | None] = mapped_column(String(32))
    time_value: Mapped[str | None] = mapped_column(String(16))
    time_granularity: Mapped[str | None] = mapped_column(String(8))
    time_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    time_end: Mapped[dt.date | None] = mapped_column(Date)
    place_id: Mapped[str | None] = mapped_column(String(64))
    place_name: Mapped[str | None] = mapped_column(String(500))
    participants: Mapped[list] = mapped_column(JSON)           # [{global_id, name, country}]
    first_report: Mapped[dt.date | None] = mapped_column(Date)
    last_report: Mapped[dt.date | None] = mapped_column(Date)
    report_count: Mapped[int] = mapped_column(Integer)
    article_count: Mapped[int] = mapped_column(Integer)
    search: Mapped[str] = mapped_column(Text)                 # folded names and evidence, for `q`
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
