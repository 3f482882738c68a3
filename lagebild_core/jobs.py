"""The life of a job in the workers: claimed, extracted, stored or failed, and found again when
its worker or its message was lost.

A worker claims its message's job (`start_job`) and, when more articles wait, a few more
(`start_queued_jobs`) to extract them together; stores the results (`store_extractions`, one
transaction for the batch) or fails a job with a readable reason; renews the leases of what it
runs (`heartbeat`); gives a job back after a transient error (`release_job`). The sweep asks
`stalled_jobs` which messages to publish again. Like lagebild_core.domain (which re-exports
these), the functions take an open session and leave committing to the caller; what finishes a job
records it (lagebild_core.job_events) for the caller to announce once the transaction has committed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field, replace

from sqlalchemy import func, or_, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from lagebild_core import actors, events, job_events, quotes, relations, stories, webhooks
from lagebild_core.exceptions import PROBLEM_TYPE_BASE
from lagebild_core.store.models import Article, Extraction, Job, rfc3339, utcnow

MAX_ATTEMPTS = 3  # a task that keeps killing its worker is failed after this many starts
DEFAULT_LEASE = dt.timedelta(seconds=30)  # LAGEBILD_JOB_LEASE_SECONDS


def canonical_json(document: dict) -> str:
    """The one serialisation of an extraction that its ETag is computed from and served as."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def mark_dispatched(session: Session, job_ids: list[str]) -> None:
    """Record that these jobs' messages were handed to the broker again (the sweep; a new job is
    created marked, lagebild_core.domain).

    The commit need not wait for the disk (PostgreSQL's synchronous_commit, for this transaction
    only): a mark lost in a crash means only that the sweep publishes the job again, which a
    worker finds finished or running and skips."""
    if not job_ids:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql_text("SET LOCAL synchronous_commit = off"))
    session.execute(update(Job).where(Job.id.in_(job_ids)).values(dispatched_at=utcnow()),
                    execution_options={"synchronize_session": False})  # nothing of these jobs is loaded here


def mark_undispatched(session: Session, job_ids: list[str]) -> None:
    """Clear the dispatch mark of new jobs whose message the broker did not take: the sweep then
    publishes them 15 s after their creation instead of waiting for the rules of lost messages."""
    session.execute(update(Job).where(Job.id.in_(job_ids)).values(dispatched_at=None),
                    execution_options={"synchronize_session": False})


@dataclass
class ClaimedJob:
    job_id: str
    article_id: str
    text: str
    published_at: dt.date | None
    attempt: int


def start_job(session: Session, job_id: str, *, lease: dt.timedelta = DEFAULT_LEASE) -> ClaimedJob | None:
    """Mark a job running and return what the extraction needs; None if there is nothing to do.

    Nothing to do: the job is unknown, finished, running under a live lease (another worker
    renews its heartbeat: this message is a copy), or its article was deleted (the job is
    then failed with a reason). A job started MAX_ATTEMPTS times already is failed too:
    its task kept being lost, typically by killing the worker.
    """
    if _taken(session, job_id, lease):  # no lock needed to see it: a copy does not wait for the locks
        return None
    return next(iter(_start_jobs(session, [job_id], lease)), None)


def _start_jobs(session: Session, job_ids: list[str], lease: dt.timedelta) -> list[ClaimedJob]:
    """`start_job` for several jobs at once (their locks and facts read in one statement each);
    the claims of those started, in the order of `job_ids`."""
    locked = _lock_jobs_and_articles(session, job_ids)
    newest = _newest_jobs(session, {job.article_id for job, _ in locked.values()})
    claims = []
    for job, article in (locked[job_id] for job_id in job_ids if job_id in locked):
        if _taken_job(job, lease):  # again under the locks: another worker may have been faster
            continue
        if article is None:
            _finish_failed(session, job, None, "article-deleted", "The article was deleted before it was processed.")
        elif job.attempts >= MAX_ATTEMPTS:
            _finish_failed(session, job, article, "attempts-exhausted",
                           f"The extraction was started {job.attempts} times without finishing "
                           "(the worker was lost or the time limit was hit each time).")
        else:
            job.attempts += 1
            job.status = "running"
            job.started_at = job.heartbeat_at = utcnow()
            if newest.get(job.article_id) == job.seq:
                article.status = "running"
            claims.append(ClaimedJob(job.id, article.id, article.text, article.published_at, job.attempts))
    return claims


def _taken(session: Session, job_id: str, lease: dt.timedelta) -> bool:
    """Whether the job is unknown, finished or running under a live lease, by a look without locks:
    a worker storing a batch holds its jobs' article locks for the whole transaction, and the
    messages of those jobs, arriving at another worker meanwhile, must not wait for them."""
    job = session.execute(select(Job.status, Job.heartbeat_at, Job.started_at, Job.created_at)
                          .where(Job.id == job_id)).first()
    return job is None or _taken_job(job, lease)


def _taken_job(job, lease: dt.timedelta) -> bool:
    """Whether a job (a row or a Job) is finished or running under a live lease."""
    return job.status in ("succeeded", "failed") or \
        (job.status == "running" and _last_sign_of_life(job) > utcnow() - lease)


def start_queued_jobs(session: Session, *, limit: int, max_characters: int, exclude: str = "", share: int = 1,
                      lease: dt.timedelta = DEFAULT_LEASE) -> list[ClaimedJob]:
    """Start up to `limit` of the oldest queued jobs never started before (other than `exclude`)
    whose articles have at most `max_characters` together, and return them: a worker that finds
    more articles waiting extracts them with its own (the parser is faster on several texts at
    once, and the batch is stored in one transaction). Their messages, when they arrive, find the jobs running under a
    live lease and do nothing; should the worker die, the leases run out and the sweep publishes
    them again. Jobs another worker starts meanwhile are skipped (`start_job` finds them running).
    `share`: the number of processes extracting; at most that share of the waiting jobs is taken,
    so that when the backlog runs out the last articles are spread over the processes instead of
    one process working through a batch while the others wait."""
    if limit <= 0:
        return []
    share = max(1, share)
    # never started before: a job whose earlier start was lost with its worker may have killed it
    # (a text that crashes the parser), and in a batch it would take the others' attempts with it
    waiting = session.execute(
        select(Job.id, func.length(Article.text)).join(Article, Article.id == Job.article_id)
        .where(Job.status == "queued", Job.attempts == 0, Job.id != exclude).order_by(Job.seq)
        .limit(limit * share)).all()
    waiting = waiting[:min(limit, len(waiting) // share)]
    chosen: list[str] = []
    room = max_characters
    for job_id, length in waiting:
        if length > room:
            break  # in order: a long article waits for a worker of its own rather than being overtaken
        chosen.append(job_id)
        room -= length
    return _start_jobs(session, chosen, lease)


def store_extraction(session: Session, job_id: str, document: dict) -> Extraction | None:
    """Store the job's result as the article's next version and mark the job succeeded.

    Idempotent: a job that already has its version returns that version unchanged.
    Returns None when the article is gone.
    """
    return store_extractions(session, [(job_id, document)])[0]


def store_extractions(session: Session, results: list[tuple[str, dict]]) -> list[Extraction | None]:
    """`store_extraction` for each (job id, document) of a worker's batch, in one transaction;
    returns what it would return, in the same order.

    The batch shares the work that does not depend on one article: the locks are taken once, all
    articles before the tenants' story locks (in one order for every worker, so that two batches,
    or a batch and a DELETE, cannot wait for each other), what the versions depend on is read in
    one statement each, the first versions' events, quotes and relations are indexed in one
    statement each, and the stories are regrouped once per tenant for all the events the batch
    indexed (lagebild_core.stories.regroup_all: the same stories as one regroup per article)."""
    locked = _lock_jobs_and_articles(session, [job_id for job_id, _ in results])
    # the tenant's story lock (index_events needs it) before the registry too: two workers creating
    # the same new actor would otherwise collide on its key, and the loser's retry ran the whole
    # extraction again
    tenant_of = {job_id: article.tenant for job_id, (_, article) in locked.items() if article is not None}
    tenants = sorted(set(tenant_of.values()))
    for tenant in tenants:
        stories.lock_tenant(session, tenant)
    registries = {tenant: actors.Registry.for_documents(
        session, tenant, [document for job_id, document in results if tenant_of.get(job_id) == tenant])
        for tenant in tenants}
    batch = _Batch.read(session, locked)
    with session.no_autoflush:  # the versions and the jobs' and articles' changes: one statement per table
        stored = [_store_locked(session, *locked.get(job_id, (None, None)), document,
                                registries.get(tenant_of.get(job_id)), batch) for job_id, document in results]
    session.flush()
    batch.index_first_versions(session)
    for tenant, registry in registries.items():  # before the stories, which read the names of new actors
        registry.save()
    for tenant, tenant_changes in sorted(batch.changes.items()):
        stories.regroup_all(session, tenant, tenant_changes)
    return stored


@dataclass
class _Batch:
    """What storing a batch's versions depends on, read once for the batch, and what it leaves to
    do for all of them at the end: the first versions to index, the story changes per tenant."""

    existing: dict[str, Extraction]  # job id -> the version it made before (a redelivered message)
    versions: dict[str, int]  # article id -> its newest version so far
    newest_jobs: dict[str, int]  # article id -> the seq of its newest job
    jobs_per_article: Counter
    first_versions: dict[str, list[tuple[str, int, dict]]] = field(default_factory=dict)  # per tenant
    changes: dict[str, list[stories.Change]] = field(default_factory=dict)
    unwritten: dict[str, stories.Change] = field(default_factory=dict)  # article id -> its change in `changes`

    @classmethod
    def read(cls, session: Session, locked: dict[str, tuple[Job, Article | None]]) -> "_Batch":
        article_ids = {job.article_id for job, _ in locked.values()}
        return cls(
            existing={e.job_id: e for e in session.scalars(
                select(Extraction).where(Extraction.job_id.in_(list(locked))))},
            versions=dict(session.execute(select(Extraction.article_id, func.max(Extraction.version))
                                          .where(Extraction.article_id.in_(article_ids))
                                          .group_by(Extraction.article_id)).all()),
            newest_jobs=_newest_jobs(session, article_ids),
            jobs_per_article=Counter(job.article_id for job, _ in locked.values()))

    def next_version(self, article_id: str) -> int:
        self.versions[article_id] = self.versions.get(article_id, 0) + 1
        return self.versions[article_id]

    def index(self, session: Session, article: Article, version: int, document: dict) -> None:
        """Index a stored version: a first version of an article that has no other job in the
        batch at the end, with the others (`index_first_versions`); any other now, replacing its
        article's rows (the indexes hold rows of an article only once it has a version)."""
        if version == 1 and self.jobs_per_article[article.id] == 1:
            self.first_versions.setdefault(article.tenant, []).append((article.id, version, document))
            return
        first = version == 1
        change = events.index_events(session, article.tenant, article.id, version, document, newest=True,
                                     regroup=False, first=first)
        if change is not None:
            self._add_change(article, change)
        quotes.index_quotes(session, article.tenant, article.id, version, document, newest=True, first=first)
        relations.index_relations(session, article.tenant, article.id, version, document, newest=True, first=first)

    def _add_change(self, article: Article, change: stories.Change) -> None:
        """Add an article's change to those of its tenant. The event rows of a change are written by
        the regroup at the end: a later version of the article in the batch found none of the
        earlier one's rows to replace, so the earlier change goes, and what it replaced is replaced
        by the later one."""
        tenant_changes = self.changes.setdefault(article.tenant, [])
        earlier = self.unwritten.pop(article.id, None)
        if earlier is not None:
            tenant_changes[:] = [c for c in tenant_changes if c is not earlier]
            change = replace(change, before=earlier.before + change.before,
                                         stale=earlier.stale | change.stale)
        tenant_changes.append(change)
        self.unwritten[article.id] = change

    def index_first_versions(self, session: Session) -> None:
        for tenant, articles in sorted(self.first_versions.items()):
            self.changes.setdefault(tenant, []).append(events.index_new_events(session, tenant, articles))
            quotes.index_new_quotes(session, tenant, articles)
            relations.index_new_relations(session, tenant, articles)
        self.first_versions = {}


def _store_locked(session: Session, job: Job | None, article: Article | None, document: dict,
                  registry: actors.Registry | None, batch: _Batch) -> Extraction | None:
    if job is None:
        return None
    if job.id in batch.existing:
        return batch.existing[job.id]
    if article is None:
        _finish_failed(session, job, None, "article-deleted", "The article was deleted while it was processed.")
        return None
    # max + 1 under the article's lock: this version is the newest, whatever the indexes hold
    version = batch.next_version(article.id)
    now = utcnow()
    # global ids, same transaction; the registry's writes wait for the batch's end
    document = actors.link_actors(session, article.tenant, article.id, version, document, registry)
    full = {"article_id": article.id, "version": version, "created_at": rfc3339(now), **document}
    extraction = Extraction(
        article_id=article.id, tenant=article.tenant, version=version, job_id=job.id, document=full,
        etag='"' + hashlib.sha256(canonical_json(full).encode("utf-8")).hexdigest()[:40] + '"',
        pipeline_name=document["pipeline"]["name"], pipeline_version=document["pipeline"]["version"],
        model=document["pipeline"]["model"], created_at=now,
    )
    session.add(extraction)
    job.status, job.finished_at, job.extraction_version, job.error = "succeeded", now, version, None
    article.latest_version = version
    if batch.newest_jobs.get(job.article_id) == job.seq:  # a re-run queued after this job leaves the status alone
        article.status = "succeeded"
    batch.index(session, article, version, full)
    webhooks.announce_extraction(session, job, version)  # the outbox row commits with the version
    job_events.record_finished(session, job.id)
    return extraction


def fail_job(session: Session, job_id: str, slug: str, detail: str) -> None:
    """Mark the job failed with a readable error (the article itself cannot be processed)."""
    job, article = _lock_job_and_article(session, job_id)
    if job is None or job.status == "succeeded":
        return
    _finish_failed(session, job, article, slug, detail)


def fail_unreadable_job(session: Session, job_id: str, detail: str) -> None:
    """Fail a job whose article cannot even be loaded (a poison message), without loading it."""
    error = {"type": PROBLEM_TYPE_BASE + "unreadable-article", "title": "Unreadable article", "detail": detail}
    failed = session.execute(update(Job).where(Job.id == job_id, Job.status.in_(("queued", "running")))
                             .values(status="failed", finished_at=utcnow(), error=error)).rowcount
    if failed:
        webhooks.announce_failure(session, session.scalar(select(Job).where(Job.id == job_id)))
        job_events.record_finished(session, job_id)
    article_id = select(Job.article_id).where(Job.id == job_id).scalar_subquery()
    session.execute(update(Article).where(Article.id == article_id, Article.latest_version.is_(None))
                    .values(status="failed"))


def _lock_job_and_article(session: Session, job_id: str) -> tuple[Job | None, Article | None]:
    """Lock a job's article, then the job, and return both (None for what does not exist)."""
    return _lock_jobs_and_articles(session, [job_id]).get(job_id, (None, None))


def _lock_jobs_and_articles(session: Session, job_ids: list[str]) -> dict[str, tuple[Job, Article | None]]:
    """Lock the jobs' articles, then the jobs, and return {job id: (job, its article or None)} for
    the jobs that exist.

    Always articles first (in id order: two workers' batches take them alike), then jobs:
    deleting an article locks it and then its jobs, and the opposite order in a worker deadlocks
    against a concurrent DELETE on PostgreSQL. One statement each, whatever the number of jobs.
    """
    if not job_ids:
        return {}
    articles = {article.id: article for article in session.scalars(
        select(Article).where(Article.id.in_(select(Job.article_id).where(Job.id.in_(job_ids))))
        .order_by(Article.id).with_for_update())}
    jobs = session.scalars(select(Job).where(Job.id.in_(job_ids)).order_by(Job.id).with_for_update())
    return {job.id: (job, articles.get(job.article_id)) for job in jobs}


def _newest_jobs(session: Session, article_ids: set[str]) -> dict[str, int]:
    """{article id: the seq of its newest job}: a job that is not its article's newest (a re-run
    was queued after it) leaves the article's status alone."""
    if not article_ids:
        return {}
    return dict(session.execute(select(Job.article_id, func.max(Job.seq))
                                .where(Job.article_id.in_(article_ids)).group_by(Job.article_id)).all())


def _finish_failed(session: Session, job: Job, article: Article | None, slug: str, detail: str) -> None:
    job.status, job.finished_at = "failed", utcnow()
    job.error = {"type": PROBLEM_TYPE_BASE + slug, "title": slug.replace("-", " ").capitalize(),
                 "detail": detail}
    webhooks.announce_failure(session, job)  # the outbox row commits with the failure
    job_events.record_finished(session, job.id)
    if article is not None and article.status in ("queued", "running"):
        article.status = "failed" if article.latest_version is None else "succeeded"


def release_job(session: Session, job_id: str) -> None:
    """Give a running job back after its attempt failed for a transient reason (a unique-key race
    on a new registry actor, the database away): queued again and the start not counted, so the
    task's own retry claims it at once instead of being dropped as a copy under the attempt's
    lease (which stranded the job until the lease ran out and the sweep came)."""
    job, article = _lock_job_and_article(session, job_id)
    if job is None or job.status != "running":
        return
    job.status, job.heartbeat_at, job.attempts = "queued", None, max(0, job.attempts - 1)
    if article is not None and _newest_jobs(session, {job.article_id}).get(job.article_id) == job.seq:
        article.status = "queued"


def heartbeat(session: Session, job_ids: list[str]) -> None:
    """Renew the leases of the jobs this worker is running."""
    session.execute(update(Job).where(Job.id.in_(job_ids), Job.status == "running").values(heartbeat_at=utcnow()))


def _last_sign_of_life(job: Job) -> dt.datetime:
    return job.heartbeat_at or job.started_at or job.created_at


def stalled_jobs(session: Session, *, undispatched_after: dt.timedelta, stalled_after: dt.timedelta,
                 lease: dt.timedelta = DEFAULT_LEASE, queue_depth: int | None = None) -> list[str]:
    """Return ids of jobs whose message may be lost, to be published again:
    - queued and never handed to the broker (for `undispatched_after`): the API could not
      publish them (`mark_undispatched`);
    - running, but the worker has not renewed the lease (it is gone), and not published again
      within the lease (a copy is on its way);
    - queued and published longer than a lease ago while the broker holds fewer messages
      (`queue_depth`) than there are such jobs: the broker lost messages (e.g. Redis restarted
      without its data), or an API process was lost between a job's commit and its publishing
      (a new job is marked dispatched before the commit); a copy of a message that was not lost
      is harmless (start_job drops it);
    - queued or running for longer than `stalled_after`, whatever the broker says.
    (A worker that finds a backlog also claims the oldest jobs never started, message or not:
    start_queued_jobs.)
    """
    now = utcnow()
    stalled, expired = now - stalled_after, now - lease
    life = func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at)
    conditions = [
        (Job.status == "queued") & Job.dispatched_at.is_(None) & (Job.created_at < now - undispatched_after),
        (Job.status == "queued") & (Job.dispatched_at < stalled),
        (Job.status == "running") & (life < expired) & (Job.dispatched_at.is_(None) | (Job.dispatched_at < expired)),
    ]
    waiting = (Job.status == "queued") & (Job.dispatched_at < expired)
    if queue_depth is not None and session.scalar(select(func.count()).where(waiting)) > queue_depth:
        conditions.append(waiting)
    return list(session.scalars(select(Job.id).where(or_(*conditions)).order_by(Job.seq).limit(500)))
