"""Back-pressure per tenant (`LAGEBILD_MAX_PENDING_JOBS`) without a count query per submission.

`domain.ensure_capacity` counts the tenant's unfinished jobs: a statement per submission, 0.5 of
the API's CPU ms per POST. Each API process keeps the count it last made per tenant, for at most
`RECOUNT_SECONDS`, adding the jobs it accepted since, and admits a submission without a query while
that sum stays within the limit. A submission the sum would refuse counts again, so a refusal (and
the number its 429 names) always comes from a fresh count, and a tenant whose jobs finished is let
in at once. The price: jobs that other processes (or the CLI) accepted within that time are not in
the sum, so together they can pass the limit by what they added in it; jobs that finished only
make the sum too high, which costs a count, not a wrong refusal.
"""
from __future__ import annotations

import threading
import time

from flask import Flask, current_app
from sqlalchemy.orm import Session

from lagebild_core import domain

# how long a count stands in for a query (and so how far other processes' submissions can pass
# the limit); a steady submitter then costs one count a second instead of one per submission
RECOUNT_SECONDS = 1.0
MAX_TENANTS = 10_000  # counts kept at most (old ones are dropped first): a bound on the memory


class PendingJobs:
    """Per tenant: when its unfinished jobs were last counted, and that count plus what this
    process accepted since."""

    def __init__(self, seconds: float = RECOUNT_SECONDS, clock=time.monotonic):
        self.seconds, self.clock = seconds, clock
        self._known: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def ensure(self, session: Session, *, tenant: str, adding: int, max_pending: int) -> None:
        """Raise domain.Backlogged when `adding` more jobs would give `tenant` more than
        `max_pending` unfinished ones, by a fresh count (see the module's docstring)."""
        now = self.clock()
        with self._lock:
            counted_at, pending = self._known.get(tenant, (now - self.seconds, 0))
            if now - counted_at < self.seconds and pending + adding <= max_pending:
                self._known[tenant] = (counted_at, pending + adding)
                return
        pending = domain.ensure_capacity(session, tenant=tenant, adding=adding, max_pending=max_pending)
        with self._lock:
            self._known.pop(tenant, None)  # re-inserted last: the dict's order is the counts' age
            self._known[tenant] = (now, pending + adding)
            if len(self._known) > MAX_TENANTS:
                del self._known[next(iter(self._known))]


def init_app(app: Flask) -> None:
    app.extensions["lagebild_pending_jobs"] = PendingJobs()


def ensure_capacity(session: Session, *, tenant: str, adding: int, max_pending: int) -> None:
    """PendingJobs.ensure of the current app."""
    current_app.extensions["lagebild_pending_jobs"].ensure(session, tenant=tenant, adding=adding,
                                                           max_pending=max_pending)
