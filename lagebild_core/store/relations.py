"""The relation index: one row per (actor, other actor, event or quote) of each article's latest
extraction, from both actors' sides, and per relation its running count, so that
`GET /v1/actors/{id}/relations` reads one actor's counts and, for the relations it returns, the
ends of their index ranges, instead of a self-join of all its event participants.

Rebuilt from the extraction document with the other indexes (lagebild_core.relations); the rows
go with the article (CASCADE), the counts are decremented first (relations.unindex_article).
Global ids are the tenant's registry ids. `type` is the PLOVER event type, "" for quotes (a key
column: NULLs would make every quote relation a key of its own).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lagebild_core.store.models import Base

KEY = ("tenant", "actor", "other", "via", "type", "direction")


class RelationRecord(Base):
    __tablename__ = "actor_relations"
    __table_args__ = (
        # a relation's rows, newest last (evidence) and by publication date (first and last date)
        Index("ix_actor_relations_seq", *KEY, "seq"),
        Index("ix_actor_relations_published", *KEY, "published_at"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = mapped_column(String(64))
    article_id: Mapped[str] = mapped_column(String(32), ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))        # the global id whose relation this is
    other: Mapped[str] = mapped_column(String(200))        # the other actor's global id
    via: Mapped[str] = mapped_column(String(8))            # event | quote
    type: Mapped[str] = mapped_column(String(16))          # PLOVER type of the event; "" for quotes
    direction: Mapped[str] = mapped_column(String(8))      # outgoing | incoming | joint
    item_id: Mapped[str] = mapped_column(String(32))       # "E7", "Q1"
    published_at: Mapped[dt.date | None] = mapped_column(Date)


class RelationCount(Base):
    """How many rows of actor_relations one relation has: kept by adding each article's difference
    (count = count + delta), which concurrent workers can do without losing each other's."""

    __tablename__ = "actor_relation_counts"
    __table_args__ = (
        UniqueConstraint(*KEY, name="uq_actor_relation_counts_key"),
        # an actor's most frequent relations first, without sorting all of them
        Index("ix_actor_relation_counts_count", "tenant", "actor", "count"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(200))
    other: Mapped[str] = mapped_column(String(200))
    via: Mapped[str] = mapped_column(String(8))
    type: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8))
    count: Mapped[int] = mapped_column(Integer)
