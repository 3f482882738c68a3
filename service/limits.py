"""Rate limits per API key, with flask-limiter: a read budget and a write budget.

Every `/v1/` request of a key counts against its read budget (GET, HEAD) or its write budget
(POST, PUT, PATCH, DELETE), `LAGEBILD_RATE_LIMIT_READ` / `_WRITE` in the limits library's notation
("600/minute"). Counters live in Redis when the installation has one (shared by every gunicorn
process and host); on the embedded default they are in memory, per API process. Over budget:
a 429 problem with `Retry-After`; every limited answer carries the RateLimit headers of the
IETF draft (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` in seconds).

Authentication runs first (service.auth is initialised before this module), so requests
without a valid key are refused with 401 before they cost a counter.
"""
from __future__ import annotations

import math
import time

from flask import Flask, Response, current_app, g, request
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse

from lagebild_core.settings import Settings
from service.auth import WRITE_METHODS
from service.errors import problem


def storage_uri(settings: Settings) -> str:
    """Where the counters live: the configured URI, else the broker's Redis, else this process's memory."""
    if settings.rate_limit_storage_url:
        return settings.rate_limit_storage_url
    if settings.broker_url.startswith(("redis://", "rediss://")):
        return settings.broker_url
    return "memory://"


def _is_write() -> bool:
    return request.method in WRITE_METHODS


def _budget() -> str:
    settings = current_app.config["LAGEBILD"]
    return settings.rate_limit_write if _is_write() else settings.rate_limit_read


def _key() -> str:
    principal = g.get("principal")
    return f"{principal.key_id}:{'write' if _is_write() else 'read'}" if principal else request.remote_addr or "-"


def _unlimited() -> bool:
    """Only requests with a key are counted: the open paths (probes, docs) never are."""
    return g.get("principal") is None


def _limiter(app: Flask) -> Limiter:
    return app.extensions["lagebild_limiter"]


def _seconds_until(current, least: int) -> int:
    """Whole seconds until the window frees a request (limits rounds reset_at up a second)."""
    return min(max(math.ceil(current.reset_at - time.time()), least), current.limit.get_expiry())


def _rate_limit_headers(response: Response) -> Response:
    current = _limiter(current_app).current_limit if g.get("principal") else None
    if current is not None:
        response.headers["RateLimit-Limit"] = str(current.limit.amount)
        response.headers["RateLimit-Remaining"] = str(max(current.remaining, 0))
        response.headers["RateLimit-Reset"] = str(_seconds_until(current, 0))
        response.headers["RateLimit-Policy"] = f"{current.limit.amount};w={current.limit.get_expiry()}"
    return response


def _too_many_requests(error: RateLimitExceeded) -> Response:
    current = _limiter(current_app).current_limit
    wait = _seconds_until(current, 1) if current else 1
    budget = "write" if _is_write() else "read"
    response = problem(429, "too-many-requests", "Too many requests",
                       f"This key's {budget} budget ({error.limit.limit}) is used up; retry in {wait} s.",
                       headers={"Retry-After": str(wait)})
    return _rate_limit_headers(response)


def init_app(app: Flask) -> None:
    """Count every keyed request; one Limiter per app (its storage belongs to the app)."""
    settings: Settings = app.config["LAGEBILD"]
    for name in ("rate_limit_read", "rate_limit_write"):  # a typo fails at start, not on the first request
        try:
            parse(getattr(settings, name))
        except ValueError:
            raise ValueError(f"LAGEBILD_{name.upper()}={getattr(settings, name)!r} is not a rate limit "
                             "such as '600/minute'.") from None
    limiter = Limiter(
        key_func=_key, app=app, application_limits=[_budget], application_limits_exempt_when=_unlimited,
        storage_uri=storage_uri(settings), key_prefix="lagebild-limits", strategy="moving-window",
        headers_enabled=False,  # our own headers: flask-limiter's would overwrite a 202's Retry-After
        # Redis down: count in memory meanwhile instead of refusing every request
        in_memory_fallback_enabled=True, swallow_errors=True)
    app.extensions["lagebild_limiter"] = limiter
    app.after_request(_rate_limit_headers)
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
