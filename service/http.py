"""Response helpers shared by the views: JSON bodies, idempotent 202s, conditional GETs."""
from __future__ import annotations

import hashlib
import logging
import re
from typing import Callable

from flask import Response, current_app, g, json, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lagebild_core import domain
from service.queue import queue

IMMUTABLE = "public, max-age=31536000, immutable"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
log = logging.getLogger(__name__)


def db():
    return current_app.extensions["lagebild_db"]


def settings():
    return current_app.config["LAGEBILD"]


def tenant() -> str:
    """The tenant of the current request's API key (service.auth checked it)."""
    return g.principal.tenant


def version_links(article_id: str, version: int) -> dict:
    """The links of an item taken from one extraction version: its article and that version."""
    return {"article": url_for("articles.get_article", article_id=article_id),
            "extraction": url_for("extractions.get_extraction", article_id=article_id, version=str(version))}


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def no_content() -> Response:
    """204 No Content: no body, so no Content-Type either (RFC 9110 §15.3.5)."""
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def accepted(work: Callable[[Session], tuple[dict, dict, list[str]]]) -> Response:
    """Run `work` in one transaction and answer 202, honouring `Idempotency-Key`.

    `work(session)` returns (body, headers, job_ids). The same key with the same request
    replays the first answer and does no work; with another request it is a 422. The key is
    looked up in the work's own transaction (one transaction per request, keyed or not). The jobs
    are published to the broker only after the commit (they were created marked dispatched).
    """
    key = request.headers.get("Idempotency-Key")
    if key is not None and not _KEY.match(key):
        raise domain.Invalid("The Idempotency-Key header must be 1–255 visible ASCII characters.",
                             [{"field": "Idempotency-Key", "message": "1–255 visible ASCII characters."}])
    scope, fingerprint = (_key_scope(), _request_fingerprint()) if key else ("", "")
    try:
        with db().transaction() as session:
            replay = domain.recall_response(session, scope, key, fingerprint) if key else None
            if replay is None:
                body, headers, job_ids = work(session)
                if key:
                    domain.remember_response(session, scope, key, fingerprint,
                                             domain.RememberedResponse(202, body, headers))
    except IntegrityError as error:  # a concurrent request with the same key won the race
        if not (key and domain.is_duplicate_key_error(error)):
            raise
        with db().transaction() as session:
            return _replayed(domain.recall_response(session, scope, key, fingerprint))
    if replay:
        return _replayed(replay)
    dispatch(job_ids)
    return json_response(body, 202, headers)


def _key_scope() -> str:
    """Where an idempotency key is valid: a key is the tenant's own, never another's answer."""
    return f"{tenant()} {request.method} {request.path}"


def _request_fingerprint() -> str:
    """The SHA-256 of what makes a request the same request: media type with its charset (the same
    bytes in another charset are another text), query and body."""
    media_type = f"{request.mimetype};charset={request.mimetype_params.get('charset', '').lower()}"
    return hashlib.sha256(media_type.encode() + b"\n" + request.query_string + b"\n" + request.get_data()).hexdigest()


def dispatch(job_ids: list[str]) -> None:
    """Publish the committed jobs; the ones the broker did not take lose their dispatch mark, so
    that the sweep publishes them 15 s after their creation."""
    published = set(queue.publish(job_ids))
    unpublished = [job_id for job_id in job_ids if job_id not in published]
    if not unpublished:
        return
    try:
        with db().transaction() as session:
            domain.mark_undispatched(session, unpublished)
    except Exception:  # the article is accepted all the same: the sweep's rules for lost messages find it
        log.warning("could not clear the dispatch mark of %d job(s)", len(unpublished), exc_info=True)


def _replayed(replay: domain.RememberedResponse) -> Response:
    return json_response(replay.body, replay.status_code, {**replay.headers, "Idempotent-Replayed": "true"})


def acceptance_headers(article_id: str, job_id: str) -> dict:
    return {
        "Location": url_for("articles.get_article", article_id=article_id),
        "Operation-Location": url_for("jobs.get_job", job_id=job_id),
        "Retry-After": str(settings().retry_after_seconds),
    }


def conditional(body: bytes, etag: str, cache_control: str, extra: dict | None = None) -> Response:
    """Answer 304 when `If-None-Match` names `etag`, else 200 with the body and the ETag."""
    wanted = _etags(request.headers.get("If-None-Match", ""))
    if etag in wanted or "*" in wanted:
        response = Response(status=304)
    else:
        response = Response(body, status=200, mimetype="application/json")
    # `add` to the new response's own headers: a dict handed to Response was copied through
    # werkzeug's generic mapping path (ABC checks per call), 2 us of a keyed read (timeit)
    add = response.headers.add
    add("ETag", etag)
    add("Cache-Control", cache_control)
    for name, value in (extra or {}).items():
        add(name, value)
    return response


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def next_link(endpoint: str, next_cursor: str | None, **params) -> str | None:
    """URL of the next page, keeping the filters; None on the last page."""
    if next_cursor is None:
        return None
    params = {k: v for k, v in params.items() if v is not None}
    return url_for(endpoint, cursor=next_cursor, **params)
