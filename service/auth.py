"""Who is asking: every `/v1/` request carries `Authorization: Bearer <API key>`.

The key names a tenant; the views read it with `service.http.tenant()` and hand it to the
domain, which filters every query by it. Paths outside `/v1/` (`/healthz`, `/readyz`, `/docs`,
`/openapi.yaml`) stay open: probes and people reading the contract have no key.
"""
from __future__ import annotations

from flask import Flask, g, request

from lagebild_core import domain, keys
from service.http import db

PROTECTED_PREFIX = "/v1/"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def principal() -> keys.Principal:
    """The key of the current request (set before every protected view)."""
    return g.principal


def _authenticate() -> None:
    if not request.path.startswith(PROTECTED_PREFIX):
        return
    scheme, _, presented = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise domain.Unauthenticated("Send an API key as 'Authorization: Bearer <key>' "
                                     "(create one with `lagebild keys create --tenant NAME`).")
    found = keys.authenticate(db().session, presented.strip())
    if found is None:
        raise domain.Unauthenticated("The API key is unknown or revoked.", presented=True)
    if request.method in WRITE_METHODS and not found.can_write:
        raise domain.Forbidden(f"The key {found.key_id} is read-only; {request.method} needs a key "
                               "with the 'write' scope.")
    g.principal = found


def init_app(app: Flask) -> None:
    app.before_request(_authenticate)
