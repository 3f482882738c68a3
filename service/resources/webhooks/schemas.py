"""Webhook schemas: subscriptions, their delivery attempts, and the events they receive.

The event payloads (`ExtractionCreatedEvent`, `JobFailedEvent` and their `…Data`) are component
schemas and the callbacks of `POST /v1/webhooks`, so generated SDKs get classes to parse them.
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from lagebild_core.webhooks import EVENT_TYPES, EXTRACTION_CREATED, JOB_FAILED, MAX_URL_LENGTH
from service.resources.common import SafeString, Timestamp, http_url, page_schema
from service.resources.jobs.schemas import JobErrorSchema


class WebhookInSchema(ma.Schema):
    """A subscription to create."""

    class Meta:
        unknown = ma.RAISE

    url = SafeString(required=True, validate=http_url(MAX_URL_LENGTH), metadata={
                      "description": "Where the events are POSTed: an http(s) URL whose host resolves to public "
                                     "addresses only (checked now and before every delivery)."})
    events = fields.List(fields.String(validate=validate.OneOf(EVENT_TYPES)), required=True,
                         validate=validate.Length(min=1, max=len(EVENT_TYPES)),
                         metadata={"description": "The event types to receive."})


class WebhookLinksSchema(ma.Schema):
    self = fields.String(required=True)
    deliveries = fields.String(required=True)


class WebhookSchema(ma.Schema):
    """A subscription. Its secret is shown only in the answer that created it."""

    id = fields.String(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(validate=validate.OneOf(EVENT_TYPES)), required=True)
    status = fields.String(required=True, validate=validate.OneOf(("active", "disabled")), metadata={
        "description": "`disabled` after too many events in a row were given up (LAGEBILD_WEBHOOK_DISABLE_AFTER); "
                       "a disabled webhook receives nothing more."})
    consecutive_failures = fields.Integer(required=True, metadata={
        "description": "Events given up in a row since the last successful delivery."})
    disabled_reason = fields.String(allow_none=True, required=True)
    disabled_at = Timestamp(allow_none=True, required=True)
    created_at = Timestamp(required=True)
    links = fields.Nested(WebhookLinksSchema, required=True)


class WebhookCreatedSchema(WebhookSchema):
    """The new subscription with its signing secret, shown this once."""

    secret = fields.String(required=True, metadata={
        "description": "`whsec_` + base64 of 32 random bytes: the HMAC-SHA256 key of the `webhook-signature` "
                       "header (Standard Webhooks). Shown only here; keep it."})


class WebhookAttemptSchema(ma.Schema):
    """One attempt to deliver one event."""

    event_id = fields.String(required=True, metadata={"description": "The `webhook-id` header: the same on every retry."})
    type = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    attempt = fields.Integer(required=True, metadata={"description": "1 for the event's first attempt."})
    attempted_at = Timestamp(required=True)
    status_code = fields.Integer(allow_none=True, required=True, metadata={
        "description": "The receiver's HTTP status; null when there was no answer."})
    error = fields.String(allow_none=True, required=True, metadata={
        "description": "Why the attempt failed (no answer, refused address, non-2xx status); null on success."})
    outcome = fields.String(required=True, validate=validate.OneOf(("succeeded", "retrying", "failed")), metadata={
        "description": "`retrying`: another attempt follows; `failed`: the event was given up."})
    duration_ms = fields.Integer(required=True)


WebhookPageSchema = page_schema("WebhookPage", WebhookSchema, "The tenant's webhooks, newest first.")
WebhookAttemptPageSchema = page_schema("WebhookAttemptPage", WebhookAttemptSchema,
                                       "Delivery attempts of a webhook, newest first.")


# --- the events a receiver gets -------------------------------------------------------------------

class WebhookEventLinksSchema(ma.Schema):
    """Absolute URLs when the service has LAGEBILD_PUBLIC_BASE_URL, else API paths."""

    article = fields.String(allow_none=True, required=True, metadata={"description": "null once the article is deleted."})
    extraction = fields.String(allow_none=True, required=True, metadata={
        "description": "The new version (`extraction.created`); null for `job.failed`."})
    job = fields.String(required=True)


class ExtractionCreatedDataSchema(ma.Schema):
    article_id = fields.String(required=True)
    job_id = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "The extraction version the job stored."})
    links = fields.Nested(WebhookEventLinksSchema, required=True)


class JobFailedDataSchema(ma.Schema):
    article_id = fields.String(allow_none=True, required=True, metadata={
        "description": "null when the article was deleted before its job ran."})
    job_id = fields.String(required=True)
    error = fields.Nested(JobErrorSchema, required=True)
    links = fields.Nested(WebhookEventLinksSchema, required=True)


class ExtractionCreatedEventSchema(ma.Schema):
    """Sent once a new extraction version is committed."""

    type = fields.String(required=True, validate=validate.OneOf((EXTRACTION_CREATED,)))
    timestamp = Timestamp(required=True, metadata={"description": "When the job finished."})
    data = fields.Nested(ExtractionCreatedDataSchema, required=True)


class JobFailedEventSchema(ma.Schema):
    """Sent once a job has failed for good."""

    type = fields.String(required=True, validate=validate.OneOf((JOB_FAILED,)))
    timestamp = Timestamp(required=True, metadata={"description": "When the job failed."})
    data = fields.Nested(JobFailedDataSchema, required=True)


EVENT_SCHEMAS = {EXTRACTION_CREATED: ("ExtractionCreatedEvent", ExtractionCreatedEventSchema),
                 JOB_FAILED: ("JobFailedEvent", JobFailedEventSchema)}
