"""Webhooks: a tenant's subscriptions, the outbox of events, and the state of each delivery.

The life of an event:

1. `announce_extraction` / `announce_failure` run inside the transaction that stores the version
   or fails the job (lagebild_core.domain) and write one outbox row per subscription that wants
   the event. Nothing is sent before that transaction commits; the caller publishes the rows
   returned by `recorded_deliveries` once it has.
2. A worker `claim`s a row (a lease, so that two copies of its message do not both send), POSTs
   it signed (lagebild_core.webhook_http) and `finish`es it: delivered on a 2xx; otherwise
   retried after the next delay of the backoff schedule, or given up after the last one. A
   subscription whose events are given up `disable_after` times in a row is disabled.
3. `lost_deliveries` (the periodic sweep) republishes rows whose message was lost: never
   published (broker down, or a delay too long for a countdown), their lease ran out (the
   worker died mid-attempt), or published long ago and never picked up.

Delivery is at least once: a worker killed after the receiver answered but before `finish`
sends the event again, with the same `webhook-id`, which receivers use to drop duplicates.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lagebild_core.exceptions import Conflict, Invalid, NotFound
from lagebild_core.pagination import decode_cursor, page
from lagebild_core.store.models import Job, rfc3339, utcnow
from lagebild_core.store.webhooks import WebhookAttempt, WebhookDelivery, WebhookSubscription
from lagebild_core.webhook_http import DestinationRefused, Outcome, check_url, new_secret

EXTRACTION_CREATED = "extraction.created"
JOB_FAILED = "job.failed"
EVENT_TYPES = (EXTRACTION_CREATED, JOB_FAILED)
MAX_SUBSCRIPTIONS = 25  # per tenant: every event is one outbox row per subscription
MAX_URL_LENGTH = 2000
MAX_COUNTDOWN_SECONDS = 120  # longer delays wait in the database for the sweep, not in a broker message
LEASE_MARGIN_SECONDS = 20
_RECORDED = "lagebild_webhook_deliveries"  # session.info key: the outbox rows of this transaction
_SUBSCRIPTIONS = "lagebild_webhook_subscriptions"  # session.info: {tenant: active webhooks}


# --- subscriptions ----------------------------------------------------------------------------

def create_subscription(session: Session, *, tenant: str, url: str, events: list[str],
                        allow_private: bool) -> WebhookSubscription:
    """Store a subscription with a new secret; raise Invalid for a refused URL or unknown events."""
    wanted = list(dict.fromkeys(events))
    unknown = [name for name in wanted if name not in EVENT_TYPES]
    if not wanted or unknown:
        raise Invalid(f"Subscribe to one or more of {', '.join(EVENT_TYPES)}.",
                      [{"field": "events", "message": f"Unknown event type(s): {', '.join(unknown)}." if unknown
                        else "Name at least one event type."}])
    if len(url) > MAX_URL_LENGTH:
        raise Invalid(f"The URL is longer than {MAX_URL_LENGTH} characters.",
                      [{"field": "url", "message": f"At most {MAX_URL_LENGTH} characters."}])
    try:
        check_url(url, allow_private)
    except DestinationRefused as error:
        raise Invalid(f"This URL cannot receive webhooks: {error}", [{"field": "url", "message": str(error)}])
    count = session.scalar(select(func.count()).select_from(WebhookSubscription)
                           .where(WebhookSubscription.tenant == tenant))
    if count >= MAX_SUBSCRIPTIONS:
        # a quota of the tenant's current state, not a fault of this request: 409, like other conflicts
        raise Conflict(f"This tenant has {count} webhooks; at most {MAX_SUBSCRIPTIONS} are allowed. Delete one first.")
    subscription = WebhookSubscription(tenant=tenant, url=url, events=wanted, secret=new_secret(),
                                       status="active", consecutive_failures=0, created_at=utcnow())
    session.add(subscription)
    session.flush()
    return subscription


def get_subscription(session: Session, subscription_id: str, *, tenant: str) -> WebhookSubscription:
    """The tenant's subscription, or NotFound (another tenant's is not found either)."""
    found = session.scalar(select(WebhookSubscription).where(
        WebhookSubscription.id == subscription_id, WebhookSubscription.tenant == tenant))
    if found is None:
        raise NotFound(f"There is no webhook with id '{subscription_id}'.")
    return found


def list_subscriptions(session: Session, *, tenant: str, limit: int,
                       cursor: str | None = None) -> tuple[list[WebhookSubscription], str | None]:
    """One page of the tenant's subscriptions, newest first, and the next cursor."""
    query = (select(WebhookSubscription).where(WebhookSubscription.tenant == tenant)
             .order_by(WebhookSubscription.seq.desc()).limit(limit + 1))
    if cursor:
        query = query.where(WebhookSubscription.seq < decode_cursor(cursor))
    return page(list(session.scalars(query)), limit, lambda s: s.seq)


def delete_subscription(session: Session, subscription_id: str, *, tenant: str) -> None:
    """Delete the subscription with its pending deliveries and their attempts."""
    session.delete(get_subscription(session, subscription_id, tenant=tenant))  # deliveries: ON DELETE CASCADE
    session.flush()


def list_attempts(session: Session, subscription_id: str, *, tenant: str, limit: int,
                  cursor: str | None = None) -> tuple[list[WebhookAttempt], str | None]:
    """One page of the delivery attempts made for a subscription, newest first."""
    get_subscription(session, subscription_id, tenant=tenant)
    query = (select(WebhookAttempt).where(WebhookAttempt.subscription_id == subscription_id,
                                          WebhookAttempt.tenant == tenant)
             .order_by(WebhookAttempt.seq.desc()).limit(limit + 1))
    if cursor:
        query = query.where(WebhookAttempt.seq < decode_cursor(cursor))
    return page(list(session.scalars(query)), limit, lambda a: a.seq)


# --- the outbox ---------------------------------------------------------------------------------

def resource_links(article_id: str | None, job_id: str, version: int | None) -> dict:
    """The API paths an event links to (`render_body` makes them absolute when a base URL is set)."""
    return {"article": f"/v1/articles/{article_id}" if article_id else None,
            "extraction": f"/v1/articles/{article_id}/extractions/{version}" if article_id and version else None,
            "job": f"/v1/jobs/{job_id}"}


def announce_extraction(session: Session, job: Job, version: int) -> None:
    """Record `extraction.created` for the job's new version, in the caller's transaction."""
    _record(session, job.tenant, EXTRACTION_CREATED, job.finished_at or utcnow(), {
        "article_id": job.article_id, "job_id": job.id, "version": version,
        "links": resource_links(job.article_id, job.id, version)})


def announce_failure(session: Session, job: Job) -> None:
    """Record `job.failed` with the job's error, in the caller's transaction."""
    _record(session, job.tenant, JOB_FAILED, job.finished_at or utcnow(), {
        "article_id": job.article_id, "job_id": job.id, "error": job.error,
        "links": resource_links(job.article_id, job.id, None)})


def _active_subscriptions(session: Session, tenant: str) -> list[WebhookSubscription]:
    """The tenant's active webhooks, read once per transaction (a worker's batch stores several
    versions of one tenant in one)."""
    known = session.info.setdefault(_SUBSCRIPTIONS, {})
    if tenant not in known:
        known[tenant] = list(session.scalars(select(WebhookSubscription).where(
            WebhookSubscription.tenant == tenant, WebhookSubscription.status == "active")))
    return known[tenant]


def _record(session: Session, tenant: str, event_type: str, occurred_at: dt.datetime, data: dict) -> None:
    subscriptions = [s for s in _active_subscriptions(session, tenant) if event_type in s.events]
    if not subscriptions:
        return
    now = utcnow()
    event_id = f"msg_{uuid.uuid4().hex}"  # one id per event: the `webhook-id` of every attempt
    payload = {"type": event_type, "timestamp": rfc3339(occurred_at), "data": data}
    recorded = session.info.setdefault(_RECORDED, [])
    for subscription in subscriptions:
        # dispatched_at: the caller publishes right after the commit (and clears it if it cannot)
        delivery = WebhookDelivery(tenant=tenant, subscription_id=subscription.id, event_id=event_id,
                                   event_type=event_type, payload=payload, status="pending", attempts=0,
                                   next_attempt_at=now, dispatched_at=now, created_at=now)
        session.add(delivery)
        session.flush()
        recorded.append(delivery.id)


def recorded_deliveries(session: Session) -> list[str]:
    """Ids of the outbox rows this session's transaction wrote, to publish once it has committed."""
    return list(session.info.get(_RECORDED, ()))


def render_body(payload: dict, base_url: str) -> bytes:
    """The exact bytes sent (and signed): the payload with its links made absolute when the
    service has a public base URL."""
    if base_url:
        links = payload["data"]["links"]
        payload = {**payload, "data": {**payload["data"], "links": {
            name: base_url.rstrip("/") + path if path else None for name, path in links.items()}}}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- delivering ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """What one attempt needs, read under the delivery's lease."""

    delivery_id: str
    event_id: str
    url: str
    secret: str
    body: bytes
    attempt: int


def claim(session: Session, delivery_id: str, attempts: int, *, base_url: str, lease_seconds: float) -> Claim | None:
    """Take the lease on a delivery for its next attempt; None when there is nothing to do.

    `attempts` is how many attempts the message's sender saw: a message for an attempt already
    made (a duplicate, a redelivery) does nothing, and so does one that arrives while another
    worker holds the lease or before the attempt is due.
    """
    delivery = _locked(session, delivery_id)
    now = utcnow()
    if (delivery is None or delivery.status != "pending" or delivery.attempts != attempts
            or (delivery.locked_until and delivery.locked_until > now)
            or delivery.next_attempt_at > now + dt.timedelta(seconds=1)):
        return None
    subscription = _subscription(session, delivery.subscription_id)
    if subscription.status != "active":
        delivery.status, delivery.finished_at = "failed", now
        return None
    delivery.attempts += 1
    delivery.locked_until = now + dt.timedelta(seconds=lease_seconds)
    return Claim(delivery.id, delivery.event_id, subscription.url, subscription.secret,
                 render_body(delivery.payload, base_url), delivery.attempts)


def finish(session: Session, claimed: Claim, outcome: Outcome, *, backoff: tuple[float, ...],
           disable_after: int) -> float | None:
    """Record the attempt and decide what follows: None when the delivery is finished (delivered
    or given up), else the seconds until the next attempt."""
    delivery = _locked(session, claimed.delivery_id)
    if delivery is None or delivery.status != "pending" or delivery.attempts != claimed.attempt:
        return None  # deleted with its subscription meanwhile, or the lease ran out and another worker went on
    subscription = _subscription(session, delivery.subscription_id)
    now = utcnow()
    retry_in = None if outcome.succeeded or delivery.attempts > len(backoff) else backoff[delivery.attempts - 1]
    session.add(WebhookAttempt(
        delivery_id=delivery.id, subscription_id=delivery.subscription_id, tenant=delivery.tenant,
        event_id=delivery.event_id, event_type=delivery.event_type, number=delivery.attempts, attempted_at=now,
        status_code=outcome.status_code, error=outcome.error, duration_ms=outcome.duration_ms,
        outcome="succeeded" if outcome.succeeded else "failed" if retry_in is None else "retrying"))
    delivery.locked_until = None
    if outcome.succeeded:
        delivery.status, delivery.finished_at = "succeeded", now
        subscription.consecutive_failures = 0
    elif retry_in is None:
        delivery.status, delivery.finished_at = "failed", now
        _count_given_up(subscription, now, disable_after)
    else:
        delivery.next_attempt_at = now + dt.timedelta(seconds=retry_in)
        # a short delay travels as a countdown message; a long one waits here for the sweep
        delivery.dispatched_at = now if retry_in <= MAX_COUNTDOWN_SECONDS else None
    return retry_in if retry_in is not None and retry_in <= MAX_COUNTDOWN_SECONDS else None


def _count_given_up(subscription: WebhookSubscription, now: dt.datetime, disable_after: int) -> None:
    subscription.consecutive_failures += 1
    if subscription.status == "active" and subscription.consecutive_failures >= disable_after:
        subscription.status, subscription.disabled_at = "disabled", now
        subscription.disabled_reason = (
            f"{subscription.consecutive_failures} events in a row were given up after every retry failed; "
            "no more events are sent. Fix the receiver, then delete this webhook and create it again.")


def _locked(session: Session, delivery_id: str) -> WebhookDelivery | None:
    return session.scalar(select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update())


def _subscription(session: Session, subscription_id: str) -> WebhookSubscription:
    return session.scalar(select(WebhookSubscription).where(WebhookSubscription.id == subscription_id))


def lost_deliveries(session: Session, *, republish_after: dt.timedelta, limit: int = 500) -> list[tuple[str, int]]:
    """(id, attempts) of the due deliveries whose message is missing, now marked as published
    again: never published, their lease ran out, or published `republish_after` ago and never
    picked up."""
    now = utcnow()
    rows = list(session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now,
        or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now),
        or_(WebhookDelivery.dispatched_at.is_(None), WebhookDelivery.locked_until.is_not(None),
            WebhookDelivery.dispatched_at < now - republish_after),
    ).order_by(WebhookDelivery.seq).limit(limit).with_for_update(skip_locked=True)))
    for delivery in rows:
        delivery.dispatched_at, delivery.locked_until = now, None
    return [(delivery.id, delivery.attempts) for delivery in rows]


def mark_unpublished(session: Session, delivery_ids: list[str]) -> None:
    """Record that these deliveries' messages did not reach the broker: the sweep sends them."""
    for delivery in session.scalars(select(WebhookDelivery).where(WebhookDelivery.id.in_(delivery_ids))):
        delivery.dispatched_at = None
