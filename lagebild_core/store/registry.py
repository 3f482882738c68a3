"""The cross-article actor registry: one row per real-world actor, and where it appears.

`actors` holds the global identity (its `id` is the key that extraction documents carry as
`global_id`, e.g. "person:andrey-belousov", "state:RUS"); `actor_appearances` records each
extraction version in which an actor appears, with its local id there and how many mentions,
quotes and events it has in that version.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, ForeignKeyConstraint, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lagebild_core.store.models import Base, UTCDateTime, tenant_column, utcnow


class RegistryActor(Base):
    __tablename__ = "actors"
    # each tenant has its own registry: "state:RUS" of one tenant is not another tenant's row
    __table_args__ = (UniqueConstraint("tenant", "id", name="uq_actor_tenant_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(200))
    tenant: Mapped[str] = tenant_column(index=False)  # uq_actor_tenant_id
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(Text)
    names: Mapped[list] = mapped_column(JSON, default=list)
    roles: Mapped[list] = mapped_column(JSON, default=list)
    country: Mapped[str | None] = mapped_column(String(3), index=True)
    search: Mapped[str] = mapped_column(Text, default="")  # folded names, "|"-separated
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ActorNameKey(Base):
    """A key a person of the registry is found by when an article's persons are linked
    (lagebild_core.registry.person_keys: the skeletons of its spellings): an exact lookup by the
    primary key, whatever the size of the tenant's registry (migration 0013)."""

    __tablename__ = "actor_name_keys"
    __table_args__ = (ForeignKeyConstraint(["tenant", "actor_id"], ["actors.tenant", "actors.id"], ondelete="CASCADE",
                                           name="fk_name_key_actor"),)

    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    actor_id: Mapped[str] = mapped_column(String(200), primary_key=True)


class ActorAppearance(Base):
    __tablename__ = "actor_appearances"
    __table_args__ = (
        UniqueConstraint("article_id", "version", "local_id", name="uq_appearance_local"),
        ForeignKeyConstraint(["tenant", "actor_id"], ["actors.tenant", "actors.id"], ondelete="CASCADE",
                             name="fk_appearance_actor"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = tenant_column()
    actor_id: Mapped[str] = mapped_column(String(200), index=True)
    article_id: Mapped[str] = mapped_column(String(32), ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    local_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    mention_count: Mapped[int] = mapped_column(Integer, default=0)
    quote_count: Mapped[int] = mapped_column(Integer, default=0)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    quote_ids: Mapped[list] = mapped_column(JSON, default=list)
    event_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
