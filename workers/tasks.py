"""Celery tasks: thin and idempotent. They read ids, call the domain and the pipeline.

`extract(job_id)` re-reads the article, runs the pipeline (loaded once per worker process)
and stores the next version; a redelivered message finds the job finished and does nothing.
`deliver_webhook(delivery_id, attempts)` makes one attempt of one outbox row
(lagebild_core.webhooks); the events a transaction recorded, and the jobs it finished (for long
polls waiting on them, lagebild_core.job_events), are published only after it has committed
(`_transaction`).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading

from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy.exc import DBAPIError, OperationalError

from lagebild_core import domain, file_queue, job_events, logs, webhooks
from lagebild_core.queue import (
    DELIVER_WEBHOOK_TASK, EXTRACT_TASK, REQUEST_ID_HEADER, SWEEP_TASK, RedisPublisher, announcement_folder,
    message_folder, queue_depth, uses_folders, uses_redis,
)
from lagebild_core.webhook_http import post_signed
from workers import copies, metrics
from workers.celery_app import celery
from workers.phases import Phases
from workers.process import database, pipeline, settings, state

log = logging.getLogger(__name__)

UNQUEUE_TIMEOUT_SECONDS = 1.0  # a Redis away delays a batch by twice this at most (one retry)


@contextlib.contextmanager
def _transaction():
    """A transaction whose recorded webhook events and finished jobs are published once it has
    committed (never before: a receiver must find the version it is told about, a woken long poll
    its job finished)."""
    with database().transaction() as session:
        yield session
        recorded = webhooks.recorded_deliveries(session)
        finished = job_events.recorded_finished(session)
    announcer = _announcer() if finished else None
    if announcer is not None:
        announcer.publish(finished)
    if recorded:
        publish_deliveries([(delivery_id, 0) for delivery_id in recorded])


def _announcer() -> job_events.Publisher | job_events.FolderPublisher | None:
    """The publisher of finished jobs: on the broker's Redis, or in the file-system queue's folder."""
    if "announcer" not in state:
        config = settings()
        state["announcer"] = (job_events.Publisher(config.effective_broker_url) if uses_redis(config)
                              else job_events.FolderPublisher(announcement_folder(config)) if uses_folders(config)
                              else None)
    return state["announcer"]


def publish_deliveries(deliveries: list[tuple[str, int]], countdown: float | None = None) -> None:
    """Publish a `deliver_webhook` message per (delivery id, attempts made); what the broker
    does not take is marked unpublished for the sweep."""
    for number, (delivery_id, attempts) in enumerate(deliveries):
        try:
            deliver_webhook.apply_async(args=[delivery_id, attempts], countdown=countdown)
        except Exception:  # broker down: the sweep publishes them later
            log.warning("broker unavailable; %d webhook deliveries left to the sweep", len(deliveries) - number,
                        exc_info=True)
            with database().transaction() as session:
                webhooks.mark_unpublished(session, [d for d, _ in deliveries[number:]])
            return


@celery.task(name=EXTRACT_TASK, bind=True, acks_late=True, reject_on_worker_lost=True,
             autoretry_for=(OperationalError, DBAPIError, ConnectionError),
             # no jitter: a random delay can be near 0, and the retries must outlast an outage
             retry_backoff=2, retry_backoff_max=120, retry_jitter=False,
             max_retries=celery.conf.lagebild_settings.task_max_retries,
             Request=copies.DropsTakenCopies)  # copies of jobs taken into a batch never reach the pool
def extract(self, job_id: str, alone: bool = False) -> int | None:
    """Run the extraction for one job, and for a few more when their articles are waiting (not
    when `alone`); return the job's stored version (None if nothing was done)."""
    with logs.context(job_id=job_id, request_id=self.request.get(REQUEST_ID_HEADER)):
        return _extract(job_id, alone)


def _extract(job_id: str, alone: bool = False) -> int | None:
    phases = Phases()
    claims = _claim(job_id, alone)
    if not claims:
        return None
    phases.end("claim")
    with _lease([c.job_id for c in claims]):
        documents = _run_pipeline(claims)
    if documents is None:  # the batch hit the time limit: each job runs again on its own
        _give_back([c.job_id for c in claims], alone=True)
        return None
    duration = phases.end("pipeline")
    done = [(claim, document) for claim, document in zip(claims, documents) if document is not None]
    stored = _store(job_id, done)
    duration += phases.end("store")
    metrics.EXTRACTIONS.labels("succeeded").inc(len(stored))
    metrics.EXTRACTED_CHARACTERS.inc(sum(len(claim.text) for claim, _ in done))
    metrics.EXTRACTION_SECONDS.observe(duration)
    # the phases of one task: what the service adds to the pipeline is claim + store
    own = stored.get(job_id)
    log.info("extraction stored", extra={"article_id": claims[0].article_id, "version": own,
                                         "batch": len(claims), "stored": len(stored),
                                         "duration_ms": round(duration * 1000, 1), **phases.fields})
    return own


def _claim(job_id: str, alone: bool) -> list[domain.ClaimedJob]:
    """The message's job first, then (unless `alone`) up to LAGEBILD_WORKER_BATCH_SIZE - 1 queued
    jobs more; [] when the message's job has nothing to do (a copy, finished, unreadable)."""
    config = settings()
    try:
        with _transaction() as session:
            claim = domain.start_job(session, job_id, lease=_lease_time())
    except (OperationalError, DBAPIError):
        raise  # transient: retried with backoff
    except Exception as error:  # a row that cannot be read would otherwise be republished forever
        log.exception("cannot read job %s", job_id)
        with _transaction() as session:
            domain.fail_unreadable_job(session, job_id, f"The stored article cannot be read: {type(error).__name__}.")
        return []
    if claim is None:
        return []
    # a job started before whose start was lost runs alone: it may be what killed its worker
    if alone or claim.attempt > 1 or config.worker_batch_size <= 1 or len(claim.text) >= config.worker_batch_characters:
        return [claim]
    try:  # its own transaction: the message's job is claimed whatever happens to the others
        with _transaction() as session:
            more = domain.start_queued_jobs(session, limit=config.worker_batch_size - 1, exclude=job_id,
                                            share=config.worker_concurrency,
                                            max_characters=config.worker_batch_characters - len(claim.text),
                                            lease=_lease_time())
    except Exception:  # the others keep their messages; this one runs alone
        log.warning("cannot start more queued jobs", exc_info=True)
        more = []
    _set_aside_messages([c.job_id for c in more])
    return [claim, *more]


def _set_aside_messages(job_ids: list[str]) -> None:
    """The messages of jobs just taken into this process's batch: taken out of the queue (Redis: one
    script call; the file-system queue: their files), so that the worker's main process need not
    receive and drop them one by one after the batch, and noted (workers/copies.py) so that those
    it fetched already, or that arrive late, are dropped on arrival.

    Safe: their jobs were started in a committed transaction and run under this process's live
    lease (`_lease`); a message could only find them running. Each is then stored, failed or given
    back with a new message (`_give_back`); if the process dies or the give-back cannot reach the
    database, the job stays running until its lease runs out and the sweep publishes it again
    (domain.stalled_jobs), as it does a job given back whose new message the broker refused. A
    queue that does not answer keeps the messages: they are dropped as copies, as before."""
    if not job_ids:
        return
    copies.note_taken(job_ids)
    try:
        removed = _unqueue(job_ids)
    except Exception:  # redis.RedisError, an OSError, anything: never worth the batch
        log.warning("cannot take the messages of %d batched job(s) out of the queue", len(job_ids), exc_info=True)
        return
    log.debug("took %d of %d batched jobs' messages out of the queue", removed, len(job_ids))


def _unqueue(job_ids: list[str]) -> int:
    """Take the waiting messages of these jobs out of the queue; return how many were taken."""
    config = settings()
    if uses_redis(config):
        return _queue().unqueue(job_ids)
    if uses_folders(config):
        return file_queue.unqueue(message_folder(config), job_ids)
    return 0


def _queue() -> RedisPublisher:
    """The process's Redis client for the queue (created after the fork, where it is used)."""
    if "queue" not in state:
        state["queue"] = RedisPublisher(celery, timeout=UNQUEUE_TIMEOUT_SECONDS)
    return state["queue"]


def _run_pipeline(claims: list[domain.ClaimedJob]) -> list[dict | None] | None:
    """The documents of `claims`, in order, parsed together; None in the place of an article that
    failed (its job is failed with a readable error). None instead of a list when a batch of
    several hit the soft time limit (the caller gives every job back to run alone)."""
    try:
        if len(claims) == 1:
            return [pipeline().extract(claims[0].text, claims[0].published_at)]
        return list(pipeline().extract_many([(c.text, c.published_at) for c in claims], batch_size=len(claims)))
    except SoftTimeLimitExceeded:
        if len(claims) > 1:
            return None
        _fail(claims[0].job_id, "time-limit", f"The extraction took longer than {settings().task_soft_time_limit} s.")
        return [None]
    except Exception as error:
        if len(claims) == 1:
            _fail_extraction(claims[0].job_id, error)
            return [None]
        log.warning("a batch of %d articles failed (%s); extracting them one by one", len(claims), error)
    return _one_by_one(claims)


def _one_by_one(claims: list[domain.ClaimedJob]) -> list[dict | None]:
    """Extract each article on its own, so that the one that cannot be processed fails alone; at
    the soft time limit the rest are given back (each then runs alone)."""
    documents: list[dict | None] = []
    for number, claim in enumerate(claims):
        try:
            documents.append(pipeline().extract(claim.text, claim.published_at))
        except SoftTimeLimitExceeded:
            _give_back([c.job_id for c in claims[number:]], alone=True)
            return documents + [None] * (len(claims) - number)
        except Exception as error:
            _fail_extraction(claim.job_id, error)
            documents.append(None)
    return documents


def _fail_extraction(job_id: str, error: Exception) -> None:
    log.error("extraction failed for job %s", job_id, exc_info=error)
    _fail(job_id, "extraction-failed", f"The pipeline could not process this article: {type(error).__name__}: {error}")


def _store(job_id: str, done: list[tuple[domain.ClaimedJob, dict]]) -> dict[str, int]:
    """Store the documents ({job id: version} of those stored): a batch in one transaction, and if
    that fails each on its own. A document that cannot be stored gives its job back: a batch-mate
    with a new message (its own was taken as a copy while the batch held the job), the message's
    own job without one, raising so that its task is retried."""
    if len(done) > 1:
        try:
            return _store_together(done)
        except (OperationalError, DBAPIError):
            log.warning("storing a batch of %d failed; storing one by one", len(done), exc_info=True)
    versions: dict[str, int] = {}
    failure = None
    for claim, document in done:
        try:
            versions |= _store_together([(claim, document)])
        except (OperationalError, DBAPIError) as error:
            own = claim.job_id == job_id
            _give_back([claim.job_id], publish=not own)
            failure = error if own else failure
    if failure is not None:
        raise failure  # transient: retried with backoff, and the retry finds the job free
    return versions


def _store_together(done: list[tuple[domain.ClaimedJob, dict]]) -> dict[str, int]:
    """Store the documents in one transaction; {job id: version} of those stored."""
    with _transaction() as session:
        if len(done) == 1:
            stored = [domain.store_extraction(session, done[0][0].job_id, done[0][1])]
        else:
            stored = domain.store_extractions(session, [(claim.job_id, document) for claim, document in done])
    return {claim.job_id: extraction.version for (claim, _), extraction in zip(done, stored) if extraction}


def _give_back(job_ids: list[str], *, alone: bool = False, publish: bool = True) -> None:
    """Queue jobs again after an attempt that failed for a transient reason, with a message each
    (`publish`: their own messages may have been taken as copies meanwhile); what cannot be given
    back or published is left to the lease and the sweep."""
    copies.forget(job_ids)  # their next messages must run
    try:
        with database().transaction() as session:
            for job_id in job_ids:
                domain.release_job(session, job_id)
    except Exception:  # the database is away: the leases run out and the sweep republishes the jobs
        log.warning("cannot give %d job(s) back after a failed attempt", len(job_ids), exc_info=True)
        return
    for job_id in job_ids if publish else ():
        try:
            extract.apply_async(args=[job_id], kwargs={"alone": alone})
        except Exception:  # the broker is away: the sweep publishes the job once its message is missed
            log.warning("cannot publish job %s again", job_id, exc_info=True)


def _lease_time() -> dt.timedelta:
    return dt.timedelta(seconds=settings().job_lease_seconds)


@contextlib.contextmanager
def _lease(job_ids: list[str]):
    """Renew the jobs' leases every third of their length while the block runs (a thread: the
    extraction holds this process, and a worker that dies stops renewing, which the sweep sees)."""
    done = threading.Event()

    def renew() -> None:
        while not done.wait(settings().job_lease_seconds / 3):
            try:
                with database().transaction() as session:
                    domain.heartbeat(session, job_ids)
            except Exception:  # the database is away: the lease may expire, a copy may run; never fatal
                log.warning("cannot renew the lease", exc_info=True)

    thread = threading.Thread(target=renew, name=f"lease-{job_ids[0]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _fail(job_id: str, slug: str, detail: str) -> None:
    with _transaction() as session:
        domain.fail_job(session, job_id, slug, detail)
    metrics.EXTRACTIONS.labels("failed").inc()
    log.warning("job failed: %s", slug, extra={"error": slug})
    return None


@celery.task(name=DELIVER_WEBHOOK_TASK, bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True,
             autoretry_for=(OperationalError, DBAPIError, ConnectionError),
             retry_backoff=2, retry_backoff_max=60, retry_jitter=True,
             max_retries=celery.conf.lagebild_settings.task_max_retries)
def deliver_webhook(self, delivery_id: str, attempts: int) -> None:
    """Make the next attempt of one webhook delivery (a no-op for a stale or duplicate message)."""
    config = settings()
    with database().transaction() as session:
        claim = webhooks.claim(session, delivery_id, attempts, base_url=config.public_base_url,
                               lease_seconds=2 * config.webhook_timeout_seconds + webhooks.LEASE_MARGIN_SECONDS)
    if claim is None:
        return
    outcome = post_signed(claim.url, claim.secret, claim.event_id, claim.body,
                          timeout=config.webhook_timeout_seconds, allow_private=config.webhook_allow_private)
    with database().transaction() as session:
        retry_in = webhooks.finish(session, claim, outcome, backoff=config.webhook_backoff,
                                   disable_after=config.webhook_disable_after)
    if retry_in is not None:
        publish_deliveries([(delivery_id, claim.attempt)], countdown=retry_in)


@celery.task(name=SWEEP_TASK, ignore_result=True)
def sweep() -> int:
    """Publish again the jobs and webhook deliveries whose message may be lost; return how many."""
    requeue_after = dt.timedelta(seconds=settings().requeue_after_seconds)
    try:
        depth = queue_depth(celery)
    except Exception:  # the broker is away: judge by time alone
        depth = None
    with database().transaction() as session:
        job_ids = domain.stalled_jobs(session, undispatched_after=dt.timedelta(seconds=15), stalled_after=requeue_after,
                                      lease=_lease_time(), queue_depth=depth)
        for job_id in job_ids:
            extract.apply_async(args=[job_id])
        domain.mark_dispatched(session, job_ids)
    with database().transaction() as session:
        deliveries = webhooks.lost_deliveries(session, republish_after=requeue_after)
    publish_deliveries(deliveries)
    if job_ids or deliveries:
        log.warning("republished %d stalled job(s) and %d webhook deliveries", len(job_ids), len(deliveries))
    return len(job_ids) + len(deliveries)
