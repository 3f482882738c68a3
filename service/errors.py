"""One error shape: RFC 9457 problem details, `application/problem+json`.

Domain errors (lagebild_core.domain) and HTTP errors (werkzeug) are mapped to problems here and
nowhere else, so that every 4xx/5xx the API sends has the same shape.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, json, request, url_for
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, RequestURITooLarge

from lagebild_core import domain
from lagebild_core.exceptions import PROBLEM_TYPE_BASE
from service.resources.common import flatten_messages

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

# domain error -> (status, slug, title)
DOMAIN_ERRORS: dict[type[domain.DomainError], tuple[int, str, str]] = {
    domain.Unauthenticated: (401, "unauthorized", "Authentication required"),
    domain.Forbidden: (403, "forbidden", "Not allowed with this key"),
    domain.NotFound: (404, "not-found", "Not found"),
    domain.Invalid: (422, "validation-error", "The request is invalid"),
    domain.Malformed: (400, "malformed-request", "The request body cannot be read"),
    domain.TooLarge: (413, "payload-too-large", "Payload too large"),
    domain.UnsupportedMediaType: (415, "unsupported-media-type", "Unsupported media type"),
    domain.IdempotencyKeyReused: (422, "idempotency-key-reused",
                                  "Idempotency-Key already used for a different request"),
    domain.Conflict: (409, "conflict", "Conflict"),
    domain.Backlogged: (429, "too-many-pending-jobs", "Too many unfinished jobs"),
    domain.NotReady: (409, "not-ready", "Not ready yet"),
    domain.Unavailable: (503, "service-unavailable", "A dependency is unavailable"),
}


def problem(status: int, slug: str, title: str, detail: str, *, errors=None, headers=None) -> Response:
    """Return a problem+json response."""
    body = {"type": PROBLEM_TYPE_BASE + slug, "title": title, "status": status, "detail": detail,
            "instance": request.path if request else None}
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def handle_domain_error(error: domain.DomainError) -> Response:
    status, slug, title = DOMAIN_ERRORS[type(error)]
    headers = {"Retry-After": str(error.retry_after)} if getattr(error, "retry_after", None) else {}
    if getattr(error, "job_id", None):
        headers["Operation-Location"] = url_for("jobs.get_job", job_id=error.job_id)
    headers.update(getattr(error, "headers", None) or {})
    return problem(status, slug, title, str(error), errors=getattr(error, "errors", None), headers=headers)


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    slug = error.name.lower().replace(" ", "-").replace("'", "")
    detail = {
        404: f"No resource at {request.path}.",
        405: f"{request.method} is not allowed on {request.path}.",
        413: "The request body is larger than this service accepts.",
    }.get(status, error.description or error.name)
    headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else None
    data = getattr(error, "data", None) or {}
    errors = list(flatten_messages(_without_location(data["messages"]))) if "messages" in data else None
    if status == 422 and errors:  # webargs: invalid query parameters
        return problem(422, "validation-error", "The request is invalid",
                       "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]), errors=errors)
    return problem(status, slug, error.name, detail, headers=headers)


def _without_location(messages):
    """webargs nests errors under their location ("query"); clients know where they sent them."""
    if isinstance(messages, dict) and len(messages) == 1 and next(iter(messages)) in ("query", "json", "headers"):
        return next(iter(messages.values()))
    return messages


def handle_database_unavailable(error: Exception) -> Response:
    """The database refused the connection, timed out or is locked: a 503 the client may retry."""
    log.warning("database unavailable on %s %s: %s", request.method, request.path, str(error).splitlines()[0])
    return problem(503, "service-unavailable", "A dependency is unavailable",
                   "The database does not answer; try again later.", headers={"Retry-After": "5"})


def handle_unexpected(error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem(500, "internal-error", "Internal Server Error",
                   "The server failed to answer this request; it has been logged.")


MAX_URL_LENGTH = 8192


def _refuse_long_urls() -> None:
    if len(request.full_path) > MAX_URL_LENGTH:
        raise RequestURITooLarge(f"The URL is longer than {MAX_URL_LENGTH} characters.")


def init_app(app: Flask) -> None:
    """Route every error the app can raise to the problem+json shape."""
    app.before_request(_refuse_long_urls)
    for error_class in DOMAIN_ERRORS:
        app.register_error_handler(error_class, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(PoolTimeoutError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
