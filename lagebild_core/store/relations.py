"""The relation index: one row per (actor, other actor, event or quote) of each article's latest
extraction, from both actors' sides, so that `GET /v1/actors/{id}/relations` is one index range
per actor instead of a self-join of all its event participants.

Rebuilt from the extraction document with the other indexes (lagebild_core.relations.index_relations),
gone with the article (CASCADE). Global ids are the tenant's registry ids.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from lagebild_core.store.models import Base, tenant_column


class RelationRecord(Base):
    __tablename__ = "actor_relations"
    __table_args__ = (
        # one actor's rows grouped by relation, newest last within a group: the counts stream from
        # the index in group order, and the evidence is the end of each group (PostgreSQL reads
        # the included columns from the index too)
        Index("ix_actor_relations_actor", "tenant", "actor", "other", "via", "type", "direction", "seq",
              postgresql_include=["article_id", "version", "item_id", "published_at"]),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = mapped_column(String(64))
    article_id: Mapped[str] = mapped_column(String(32), ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))        # the global id whose relation this is
    other: Mapped[str] = mapped_column(String(200))        # the other actor's global id
    via: Mapped[str] = mapped_column(String(8))            # event | quote
    type: Mapped[str | None] = mapped_column(String(16))   # PLOVER type of the event; None for quotes
    direction: Mapped[str] = mapped_column(String(8))      # outgoing | incoming | joint
    item_id: Mapped[str] = mapped_column(String(32))       # "E7", "Q1"
    published_at: Mapped[dt.date | None] = mapped_column(Date)
