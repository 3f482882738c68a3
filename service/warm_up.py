"""Warming an API process up after gunicorn forks it, before it takes requests.

Each process loads the app itself (after gevent has patched the standard library), so its first
POST opened the process's database connections (one for the key, one for the request's
transaction) and its broker connection, and compiled the statements of the key lookup, the
capacity check, submitting an article and reading its job: 40-65 ms against 6-9 ms for the next
POSTs (PostgreSQL + Redis, 2026-12-06); in a burst, the workers waited for it. `warm_up(app)` does
that work once, in transactions it rolls back: nothing is stored and nothing is published. It
waits WAIT_SECONDS at most (a database host that does not answer must not keep the process from
serving, nor get it killed by gunicorn's 30 s timeout) and leaves the rehearsal running after that.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from lagebild_core import domain, keys
from lagebild_core.store.db import REHEARSAL_TENANT

log = logging.getLogger(__name__)

WAIT_SECONDS = 5.0
SAMPLE = domain.NewArticle(text="Der Minister traf am Dienstag in Berlin seine Amtskollegen.",
                           published_at=dt.date(2024, 3, 5))


def warm_up(app, wait: float = WAIT_SECONDS) -> float | None:
    """Rehearse a POST's database and broker work in `app`'s process (in a thread, a greenlet
    under gevent, waited for `wait` seconds at most); return the milliseconds it took, or None when
    it did not finish in time or the database or the broker could not be used (the first requests
    then connect themselves, as they always could)."""
    took: list[float] = []
    thread = threading.Thread(target=lambda: took.extend(_rehearse(app)), name="warm-up", daemon=True)
    thread.start()
    thread.join(wait)
    return took[0] if took else None


def _rehearse(app) -> list[float]:
    started = time.perf_counter()
    try:
        with app.app_context():
            database = app.extensions["lagebild_db"]
            with database.rehearsal() as lookup, database.rehearsal() as work:  # two connections, as a request holds
                keys.stored_key(lookup, "0" * 16)
                domain.ensure_capacity(work, tenant=REHEARSAL_TENANT, adding=1, max_pending=1)
                (_, job), = domain.submit_articles(work, [SAMPLE], tenant=REHEARSAL_TENANT)
                work.flush()
                domain.get_job(work, job.id, tenant=REHEARSAL_TENANT)
            publisher = app.extensions.get("lagebild_publisher")
            if publisher is not None:  # Redis: the API writes the messages itself
                publisher.ping()
            else:  # the file-system queue: through Celery, whose message machinery is built on first use
                celery = app.extensions["lagebild_queue"]
                celery.amqp  # noqa: B018 - a property that builds it
                with celery.producer_or_acquire():
                    pass
    except Exception:  # the database or the broker is away, or not migrated yet: nothing to warm
        log.warning("cannot warm the API process up", exc_info=True)
        return []
    return [1000 * (time.perf_counter() - started)]
