"""The errors of the domain: requests it refuses, each with a human-readable detail.

They say what is wrong in the domain's terms; service/errors.py maps them to HTTP problems.
"""
from __future__ import annotations

PROBLEM_TYPE_BASE = "urn:lagebild:problem:"  # + a slug: the `type` of every problem and job error


class DomainError(Exception):
    """A request the domain refuses; `str(error)` is the human-readable detail."""


class NotFound(DomainError):
    pass


class Invalid(DomainError):
    def __init__(self, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.errors = errors or []


class Malformed(DomainError):
    pass


class TooLarge(DomainError):
    pass


class UnsupportedMediaType(DomainError):
    pass


class IdempotencyKeyReused(DomainError):
    pass


class Conflict(DomainError):
    pass


class NotReady(DomainError):
    """The resource will exist once a job finishes; `job_id` is the job to poll."""

    def __init__(self, detail: str, job_id: str | None, retry_after: int = 2):
        super().__init__(detail)
        self.job_id = job_id
        self.retry_after = retry_after


class Backlogged(DomainError):
    """The tenant has as many unfinished jobs as it may have; it should retry once some finished."""

    def __init__(self, detail: str, retry_after: int = 30):
        super().__init__(detail)
        self.retry_after = retry_after


class Unavailable(DomainError):
    def __init__(self, detail: str, retry_after: int = 5):
        super().__init__(detail)
        self.retry_after = retry_after


class Unauthenticated(DomainError):
    """No key, or one that is not (or no longer) valid."""

    def __init__(self, detail: str, presented: bool = False):
        super().__init__(detail)
        # RFC 6750: the challenge names the error only when a token was presented
        self.headers = {"WWW-Authenticate": 'Bearer realm="lagebild"'
                        + (', error="invalid_token"' if presented else "")}


class Forbidden(DomainError):
    """A valid key whose scope does not allow the request (a read-only key that writes)."""

    def __init__(self, detail: str, scope: str = "write"):
        super().__init__(detail)
        self.headers = {"WWW-Authenticate": f'Bearer realm="lagebild", error="insufficient_scope", scope="{scope}"'}
