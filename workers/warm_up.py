"""Warming a worker up before its pool forks: one extraction and one rehearsal of claiming and
storing, so that the pool's processes inherit what the first task of each would otherwise build.

A freshly forked process spent about 130 ms more on its first extraction (spaCy's and the rules'
lazily built parts) and 110 ms more on its first claim and store (SQLAlchemy compiles every
statement once per engine) than on the next ones: in each process of the pool, after every start
and every replacement of a process. Both are built here once, in the main process, and shared.
The rehearsal stores nothing: its transaction is rolled back.
"""
from __future__ import annotations

import datetime as dt
import logging
import time

from lagebild_core import domain
from lagebild_core.store import Database
from lagebild_core.store.db import REHEARSAL_TENANT

log = logging.getLogger(__name__)

# Written for this purpose (not from any corpus): actors, a meeting, an agreement and a quote, so
# that every step of the pipeline runs.
SAMPLE_TEXT = (
    "Berlin – Die Bundesinnenministerin hat am Montag in Berlin ihren französischen Amtskollegen "
    "empfangen. Beide Regierungen vereinbarten eine engere Zusammenarbeit der Polizeibehörden an der "
    "Grenze. „Wir werden gemeinsam gegen Schleuser vorgehen“, sagte die Ministerin nach dem Treffen. "
    "Die Gewerkschaft der Polizei kritisierte, es fehle an Personal."
)
SAMPLE_DATE = dt.date(2024, 3, 4)


def warm_up(pipeline, database: Database) -> dict[str, float]:
    """Extract SAMPLE_TEXT and rehearse claiming and storing its document; return the milliseconds
    each took ({"extract": ..., "store": ...}; "store" missing when the database could not be
    used: the worker starts all the same, its first tasks just compile their statements)."""
    started = time.perf_counter()
    document = pipeline.extract(SAMPLE_TEXT, SAMPLE_DATE)
    timings = {"extract": 1000 * (time.perf_counter() - started)}
    started = time.perf_counter()
    try:
        rehearse_store(database, document)
    except Exception:  # the database is away or not migrated yet: nothing to warm, nothing lost
        log.warning("cannot rehearse storing before the pool forks", exc_info=True)
    else:
        timings["store"] = 1000 * (time.perf_counter() - started)
    finally:
        database.engine.dispose()  # the pool's processes open their own connections; the compiled statements stay
    return timings


def rehearse_store(database: Database, document: dict) -> None:
    """Run what a task runs for a batch of two new articles (submit, claim, look for more, store)
    in one transaction, and roll it back. Only rows of the rehearsal are locked: the look for
    more jobs chooses none (no room for characters), so other workers' jobs are not touched."""
    with database.rehearsal() as session:
        pairs = domain.submit_articles(session, [domain.NewArticle(text=SAMPLE_TEXT, published_at=SAMPLE_DATE)] * 2,
                                       tenant=REHEARSAL_TENANT)
        claims = [domain.start_job(session, job.id) for _, job in pairs]
        domain.start_queued_jobs(session, limit=1, max_characters=0, exclude=claims[0].job_id)
        domain.store_extractions(session, [(claim.job_id, document) for claim in claims])
