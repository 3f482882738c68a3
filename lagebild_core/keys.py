"""API keys: create, list, revoke, and authenticate a presented key.

A key reads `lgb_<id>_<secret>`: the id names the row (and is what `keys list` and `keys revoke`
show), the secret is 32 random bytes. Only SHA-256 of the whole key is stored: the secret has 256
bits of entropy, so a slow password hash would add nothing but CPU per request, and a stolen table
still holds no usable key. The stored and the presented digest are compared in constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lagebild_core.exceptions import Invalid, NotFound
from lagebild_core.store.models import ApiKey, utcnow

SCOPES = ("read", "write")
TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_KEY = re.compile(r"^lgb_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
# compared against when the id is unknown, so that unknown and wrong keys take the same time
_NO_DIGEST = hashlib.sha256(b"no such key").hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who sent a request: the key's id, its tenant and its scope."""

    key_id: str
    tenant: str
    scope: str

    @property
    def can_write(self) -> bool:
        return self.scope == "write"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(session: Session, tenant: str, scope: str = "write") -> tuple[ApiKey, str]:
    """Store a new key for `tenant`; return its row and the key (the only time it exists in clear)."""
    if not TENANT.match(tenant or ""):
        raise Invalid("A tenant is 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
                      [{"field": "tenant", "message": "1–64 characters of [A-Za-z0-9._-]."}])
    if scope not in SCOPES:
        raise Invalid(f"The scope is 'read' or 'write', not {scope!r}.", [{"field": "scope", "message": "read | write"}])
    key_id = secrets.token_hex(8)
    key = f"lgb_{key_id}_{secrets.token_urlsafe(32)}"
    row = ApiKey(id=key_id, tenant=tenant, scope=scope, secret_sha256=digest(key), created_at=utcnow())
    session.add(row)
    session.flush()
    return row, key


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.seq)))


def revoke_key(session: Session, key_id: str) -> ApiKey:
    """Mark the key revoked (kept as a record); requests with it are refused from now on (by API
    processes that read it before: once their LAGEBILD_API_KEY_CACHE_SECONDS are over)."""
    row = session.scalar(select(ApiKey).where(ApiKey.id == key_id))
    if row is None:
        raise NotFound(f"There is no API key with id '{key_id}'.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


@dataclass(frozen=True)
class StoredKey:
    """What a request needs of a key's row: who it is, its digest and whether it is revoked
    (kept by service.auth for a few seconds, so that most requests cost no query)."""

    principal: Principal
    secret_sha256: str
    revoked: bool


def key_id(presented: str) -> str | None:
    """The id part of a well-formed key, else None."""
    match = _KEY.match(presented)
    return match.group(1) if match else None


def _stored(row: ApiKey) -> StoredKey:
    return StoredKey(Principal(row.id, row.tenant, row.scope), row.secret_sha256, row.revoked_at is not None)


def stored_key(session: Session, key_id: str) -> StoredKey | None:
    """The key `key_id` as stored (revoked ones included), None when there is none."""
    row = session.scalar(select(ApiKey).where(ApiKey.id == key_id))
    return None if row is None else _stored(row)


def stored_keys(session: Session, key_ids: list[str]) -> dict[str, StoredKey]:
    """The keys of `key_ids` that exist (revoked ones included), by id, in one query."""
    return {row.id: _stored(row) for row in session.scalars(select(ApiKey).where(ApiKey.id.in_(key_ids)))}


def verify(stored: StoredKey | None, presented: str) -> Principal | None:
    """The principal when `presented` is the stored, unrevoked key; the digests are compared in
    constant time, against a dummy when the id is unknown."""
    expected = stored.secret_sha256 if stored is not None else _NO_DIGEST
    if not hmac.compare_digest(expected, digest(presented)) or stored is None or stored.revoked:
        return None
    return stored.principal


def authenticate(session: Session, presented: str) -> Principal | None:
    """Return who holds `presented`, or None when it is no valid, unrevoked key."""
    found = key_id(presented)
    return verify(stored_key(session, found) if found else None, presented)
