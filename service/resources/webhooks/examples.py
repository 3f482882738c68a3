"""Examples for the webhook operations, and the callbacks that document what a receiver gets."""

_WEBHOOK_ID = "5d1e7f2a9c3b4e6f8a0b1c2d3e4f5a6b"
_ARTICLE_ID = "3f2c9a7e8b1d4c6fa0e5d7b9c1a2f3e4"
_JOB_ID = "9b8a7c6d5e4f40318a2b1c0d9e8f7a6b"

CREATE = {"url": "https://receiver.example/lagebild", "events": ["extraction.created", "job.failed"]}

WEBHOOK = {
    "id": _WEBHOOK_ID,
    "url": CREATE["url"],
    "events": CREATE["events"],
    "status": "active",
    "consecutive_failures": 0,
    "disabled_reason": None,
    "disabled_at": None,
    "created_at": "2024-10-16T08:00:00.000Z",
    "links": {"self": f"/v1/webhooks/{_WEBHOOK_ID}", "deliveries": f"/v1/webhooks/{_WEBHOOK_ID}/deliveries"},
}
CREATED = {**WEBHOOK, "secret": "whsec_T8cV+EX6kgkr028L1paL0fpW+Pe81EITiVzemlwBdP0="}
PAGE = {"items": [WEBHOOK], "next_cursor": None, "next": None}
ATTEMPTS = {
    "items": [
        {"event_id": "msg_2b7c0d4e6f8a4b1c9d3e5f7a9b1c3d5e", "type": "extraction.created", "attempt": 2,
         "attempted_at": "2024-10-16T08:00:07.412Z", "status_code": 200, "error": None, "outcome": "succeeded",
         "duration_ms": 38},
        {"event_id": "msg_2b7c0d4e6f8a4b1c9d3e5f7a9b1c3d5e", "type": "extraction.created", "attempt": 1,
         "attempted_at": "2024-10-16T08:00:02.130Z", "status_code": 503,
         "error": "HTTP 503 (a 2xx status is expected).", "outcome": "retrying", "duration_ms": 12},
    ],
    "next_cursor": None,
    "next": None,
}

_LINKS = {"article": f"https://lagebild.example/v1/articles/{_ARTICLE_ID}", "job": f"https://lagebild.example/v1/jobs/{_JOB_ID}"}
EVENT_EXAMPLES = {
    "extraction.created": {
        "type": "extraction.created", "timestamp": "2024-10-16T08:00:01.873Z",
        "data": {"article_id": _ARTICLE_ID, "job_id": _JOB_ID, "version": 1, "links": {
            **_LINKS, "extraction": f"https://lagebild.example/v1/articles/{_ARTICLE_ID}/extractions/1"}}},
    "job.failed": {
        "type": "job.failed", "timestamp": "2024-10-16T08:00:01.873Z",
        "data": {"article_id": _ARTICLE_ID, "job_id": _JOB_ID, "links": {**_LINKS, "extraction": None},
                 "error": {"type": "urn:lagebild:problem:time-limit", "title": "Time limit",
                           "detail": "The extraction took longer than 120 s."}}},
}

_SIGNATURE_HEADERS = [
    {"name": "webhook-id", "in": "header", "required": True, "schema": {"type": "string"},
     "description": "The event's id, the same on every retry: receivers drop duplicates by it."},
    {"name": "webhook-timestamp", "in": "header", "required": True, "schema": {"type": "integer"},
     "description": "When this attempt was signed, in Unix seconds (reject old ones against replays)."},
    {"name": "webhook-signature", "in": "header", "required": True, "schema": {"type": "string"},
     "description": "`v1,` + base64(HMAC-SHA256(base64-decoded secret after `whsec_`, "
                    "\"{webhook-id}.{webhook-timestamp}.{raw body}\")) — Standard Webhooks."},
]


def callbacks(event_schemas: dict[str, tuple[str, object]]) -> dict:
    """An OpenAPI callback per event type: the signed POST a receiver gets at the webhook's URL."""
    return {event_type: {"{$request.body#/url}": {"post": {
        "summary": f"The `{event_type}` event, POSTed to the webhook's URL",
        "description": "Answer 2xx within 5 s; anything else (or no answer) is retried with backoff "
                       "(LAGEBILD_WEBHOOK_BACKOFF_SECONDS). Redirects are not followed.",
        "security": [],
        "parameters": _SIGNATURE_HEADERS,
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{name}"}, "example": EVENT_EXAMPLES[event_type]}}},
        "responses": {"2XX": {"description": "Received."}},
    }}} for event_type, (name, _schema) in event_schemas.items()}
