"""The tables: articles, their extraction jobs, the immutable extraction versions, the
answers remembered for `Idempotency-Key`s, and the API keys.

Every row a client can reach carries its `tenant` (the API key's owner): queries filter by it,
so one tenant never sees, changes or counts another tenant's rows."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timestamp stored and returned as timezone-aware UTC, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(dt.timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def rfc3339(moment: dt.datetime) -> str:
    """The RFC 3339 UTC form of a timestamp that the API uses everywhere."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    pass


DEFAULT_TENANT = "default"  # rows stored before tenants existed belong to it (migration 0004)


def tenant_column(index: bool = True) -> Mapped[str]:
    """The tenant of a row; `index`: whether it has an index of its own (not when another index of
    the table begins with the tenant, migration 0011)."""
    return mapped_column(String(64), index=index, default=DEFAULT_TENANT, server_default=DEFAULT_TENANT)


class Article(Base):
    __tablename__ = "articles"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True, default=new_id)
    tenant: Mapped[str] = tenant_column()
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.date | None] = mapped_column(Date, index=True)
    language: Mapped[str] = mapped_column(String(16), default="de")
    source: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(Text, index=True)
    meta: Mapped[dict] = mapped_column("metadata", JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), index=True)
    latest_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Job(Base):
    __tablename__ = "jobs"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True, default=new_id)
    tenant: Mapped[str] = tenant_column()  # its own: the job outlives its article
    # Jobs outlive a deleted article (their monitor must still answer), hence SET NULL.
    article_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="queued")
    error: Mapped[dict | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    extraction_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # renewed by the worker while it extracts: a running job with an old heartbeat lost its worker
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Extraction(Base):
    __tablename__ = "extractions"
    __table_args__ = (UniqueConstraint("article_id", "version", name="uq_extraction_version"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    tenant: Mapped[str] = tenant_column()
    version: Mapped[int] = mapped_column(Integer)
    # One job makes at most one version: a redelivered task finds its version and stops.
    job_id: Mapped[str] = mapped_column(String(32), unique=True)
    document: Mapped[dict] = mapped_column(JSON)
    etag: Mapped[str] = mapped_column(String(80))
    pipeline_name: Mapped[str] = mapped_column(String(64))
    pipeline_version: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotency_scope_key"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(255))
    request_sha256: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict] = mapped_column(JSON)
    headers: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(Base):
    """An API key: only its SHA-256 is stored; the key itself is shown once, when created."""

    __tablename__ = "api_keys"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True)  # public part of the key, names it
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    scope: Mapped[str] = mapped_column(String(16))  # read | write
    secret_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


Index("ix_jobs_status_dispatched", Job.status, Job.dispatched_at)
UNFINISHED = ("queued", "running")
# the back-pressure count of every submission (lagebild_core.domain.ensure_capacity): only a tenant's
# unfinished jobs, not its whole history (migration 0010)
Index("ix_jobs_unfinished_tenant", Job.tenant, postgresql_where=Job.status.in_(UNFINISHED),
      sqlite_where=Job.status.in_(UNFINISHED))
