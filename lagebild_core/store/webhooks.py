"""Webhooks: a tenant's subscriptions, the outbox of deliveries, and every attempt made.

A delivery row is the outbox: it is written in the same transaction as the extraction version
or the failed job it announces (lagebild_core.webhooks.record_event), so an event is announced
if and only if it was committed, and it survives any worker or broker loss until it is sent or
given up. Attempts are kept for `GET /v1/webhooks/{id}/deliveries`.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lagebild_core.store.models import Base, UTCDateTime, new_id, tenant_column, utcnow


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscriptions"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True, default=new_id)
    tenant: Mapped[str] = tenant_column()
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list] = mapped_column(JSON)
    # Kept in clear: every delivery is signed with it (an HMAC key cannot be stored as a hash).
    secret: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | disabled
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)  # events given up in a row
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(Base):
    """One event for one subscription: the outbox row, pending until delivered or given up."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("subscription_id", "event_id", name="uq_webhook_delivery_event"),
                      Index("ix_webhook_deliveries_due", "status", "next_attempt_at"))

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True, default=new_id)
    tenant: Mapped[str] = tenant_column()
    subscription_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(40))  # the `webhook-id` header, the same on every retry
    event_type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict] = mapped_column(JSON)  # links are API paths; the base URL is added when sent
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | succeeded | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # attempts started
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # last message published
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # lease of the attempt in flight
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class WebhookAttempt(Base):
    """One HTTP request made for a delivery (or the reason none could be made)."""

    __tablename__ = "webhook_attempts"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    subscription_id: Mapped[str] = mapped_column(String(32), index=True)
    tenant: Mapped[str] = tenant_column()
    event_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(32))
    number: Mapped[int] = mapped_column(Integer)  # 1 for the first attempt of the event
    attempted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))  # succeeded | retrying | failed
