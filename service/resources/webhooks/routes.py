"""/v1/webhooks: subscribe URLs to events, list them, see every delivery attempt."""
from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint

from lagebild_core import webhooks
from service.api import operation, problems
from service.http import db, json_response, next_link, no_content, settings, tenant
from service.resources.common import PageArgsSchema
from service.resources.webhooks import examples
from service.resources.webhooks.schemas import (
    EVENT_SCHEMAS, WebhookAttemptPageSchema, WebhookAttemptSchema, WebhookCreatedSchema, WebhookInSchema,
    WebhookPageSchema, WebhookSchema,
)

blp = Blueprint("webhooks", __name__, url_prefix="/v1",
                description="Signed notifications (Standard Webhooks) when an extraction is stored or a job fails.")


_WEBHOOK, _ATTEMPT = WebhookSchema(), WebhookAttemptSchema()


def webhook_body(subscription) -> dict:
    """The JSON representation of a subscription (never its secret)."""
    links = {"self": url_for("webhooks.get_webhook", webhook_id=subscription.id),
             "deliveries": url_for("webhooks.list_webhook_deliveries", webhook_id=subscription.id)}
    return _WEBHOOK.dump(subscription) | {"links": links}


def attempt_body(attempt) -> dict:
    return _ATTEMPT.dump({
        "event_id": attempt.event_id, "type": attempt.event_type, "attempt": attempt.number,
        "attempted_at": attempt.attempted_at, "status_code": attempt.status_code, "error": attempt.error,
        "outcome": attempt.outcome, "duration_ms": attempt.duration_ms})


@blp.route("/webhooks", methods=["POST"])
@operation(blp, "create_webhook", "Subscribe a URL to events", callbacks=examples.callbacks(EVENT_SCHEMAS))
@blp.arguments(WebhookInSchema, example=examples.CREATE)
@blp.response(201, WebhookCreatedSchema, example=examples.CREATED, description="Created; the secret is shown only now.",
              headers={"Location": {"description": "URL of the webhook.", "schema": {"type": "string"}}})
@problems(blp, 400, 403, 409, 422)
def create_webhook(new):
    """Each matching event is POSTed to `url`, signed with the returned `secret` (shown only in this
    answer). Hosts that resolve to non-public addresses are refused (422)."""
    with db().transaction() as session:
        subscription = webhooks.create_subscription(session, tenant=tenant(), url=new["url"], events=new["events"],
                                                    allow_private=settings().webhook_allow_private)
        body = webhook_body(subscription) | {"secret": subscription.secret}
    return json_response(body, 201, {"Location": body["links"]["self"]})


@blp.route("/webhooks", methods=["GET"])
@operation(blp, "list_webhooks", "List webhooks, newest first")
@blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
@blp.response(200, WebhookPageSchema, example=examples.PAGE)
@problems(blp, 422)
def list_webhooks(limit, cursor):
    """Cursor-paginated; each with its status (`disabled` after repeated failures)."""
    found, next_cursor = webhooks.list_subscriptions(db().session, tenant=tenant(), limit=limit, cursor=cursor)
    return json_response({"items": [webhook_body(s) for s in found], "next_cursor": next_cursor,
                          "next": next_link("webhooks.list_webhooks", next_cursor, limit=limit)})


@blp.route("/webhooks/<string:webhook_id>", methods=["GET"])
@operation(blp, "get_webhook", "Read a webhook and its status")
@blp.response(200, WebhookSchema, example=examples.WEBHOOK)
@problems(blp, 404)
def get_webhook(webhook_id):
    """The URL, the events, and whether it is active or was disabled (and why)."""
    return json_response(webhook_body(webhooks.get_subscription(db().session, webhook_id, tenant=tenant())))


@blp.route("/webhooks/<string:webhook_id>", methods=["DELETE"])
@operation(blp, "delete_webhook", "Delete a webhook")
@blp.response(204, description="Deleted; its pending deliveries are dropped.")
@problems(blp, 403, 404)
def delete_webhook(webhook_id):
    """Stops all deliveries to it at once, including retries still waiting."""
    with db().transaction() as session:
        webhooks.delete_subscription(session, webhook_id, tenant=tenant())
    return no_content()


@blp.route("/webhooks/<string:webhook_id>/deliveries", methods=["GET"])
@operation(blp, "list_webhook_deliveries", "List a webhook's delivery attempts, newest first")
@blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
@blp.response(200, WebhookAttemptPageSchema, example=examples.ATTEMPTS)
@problems(blp, 404, 422)
def list_webhook_deliveries(webhook_id, limit, cursor):
    """Every attempt: the event's id and type, when, and the HTTP status or the error."""
    attempts, next_cursor = webhooks.list_attempts(db().session, webhook_id, tenant=tenant(), limit=limit,
                                                   cursor=cursor)
    return json_response({
        "items": [attempt_body(a) for a in attempts], "next_cursor": next_cursor,
        "next": next_link("webhooks.list_webhook_deliveries", next_cursor, webhook_id=webhook_id, limit=limit)})
