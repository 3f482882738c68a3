"""Who is asking: every `/v1/` request carries `Authorization: Bearer <API key>`.

The key names a tenant; the views read it with `service.http.tenant()` and hand it to the
domain, which filters every query by it. Paths outside `/v1/` (`/healthz`, `/readyz`, `/docs`,
`/openapi.yaml`) stay open: probes and people reading the contract have no key.

Each API process keeps the keys it looked up for `LAGEBILD_API_KEY_CACHE_SECONDS` (default 5), so
that a request costs no key query: a revoked key is refused everywhere at most that long after the
revocation. The process's refresher (service/refresher.py) re-reads the kept keys in one query before
that period is over, so requests find them fresh; a request reads its key itself only when the
refresher fell behind. The presented key is still hashed and compared in constant time on every request;
ids that name no key are never kept (they would let anyone fill the memory).
"""
from __future__ import annotations

import functools
import threading
import time

from flask import Flask, g, request

from lagebild_core import domain, keys
from service.http import db
from service.refresher import Confirmed, refresh_due

PROTECTED_PREFIX = "/v1/"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


MAX_CACHED_KEYS = 10_000


class KeyCache:
    """Stored keys by id, each fresh for `seconds` after it was last read from the database
    (service/refresher.py re-reads them before that)."""

    def __init__(self, seconds: float, clock=time.monotonic):
        self.seconds, self.clock = seconds, clock
        self._keys: Confirmed[str, keys.StoredKey] = Confirmed(seconds)
        self._lock = threading.Lock()

    def get(self, key_id: str, load) -> keys.StoredKey | None:
        """The stored key `key_id`, from memory while fresh, else `load(key_id)` (and kept)."""
        now = self.clock()
        with self._lock:
            cached, fresh = self._keys.get(key_id, now)
        if fresh:
            return cached
        stored = load(key_id)
        with self._lock:
            if stored is None or self.seconds <= 0:
                self._keys.pop(key_id)
            else:
                self._keys.put(key_id, stored, now)
                if len(self._keys) > MAX_CACHED_KEYS:
                    self._keys.pop(self._keys.oldest())
        return stored

    def refresh(self, session) -> int:
        """Re-read the keys due in one query (per MAX_BATCH); forget those that no longer exist
        (a revoked key is kept, revoked: `keys.verify` refuses it)."""
        return refresh_due(self._keys, self._lock, self.clock, lambda batch: keys.stored_keys(session, batch),
                           self._keys.pop)


def principal() -> keys.Principal:
    """The key of the current request (set before every protected view)."""
    return g.principal


def _authenticate(cache: KeyCache) -> None:
    req = request._get_current_object()  # one context look-up, not one per attribute
    if not req.path.startswith(PROTECTED_PREFIX):
        return
    scheme, _, presented = req.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise domain.Unauthenticated("Send an API key as 'Authorization: Bearer <key>' "
                                     "(create one with `lagebild keys create --tenant NAME`).")
    presented = presented.strip()
    key_id = keys.key_id(presented)
    stored = cache.get(key_id, lambda i: keys.stored_key(db().session, i)) if key_id else None
    found = keys.verify(stored, presented)
    if found is None:
        raise domain.Unauthenticated("The API key is unknown or revoked.", presented=True)
    if req.method in WRITE_METHODS and not found.can_write:
        raise domain.Forbidden(f"The key {found.key_id} is read-only; {req.method} needs a key "
                               "with the 'write' scope.")
    g.principal = found


def init_app(app: Flask) -> None:
    cache = app.extensions["lagebild_keys"] = KeyCache(app.config["LAGEBILD"].api_key_cache_seconds)
    app.before_request(functools.partial(_authenticate, cache))  # bound here: no app look-up per request
