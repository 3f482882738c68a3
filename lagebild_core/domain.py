"""The use cases of Lagebild, shared by the HTTP routes, the workers and the command line.

Functions take an open SQLAlchemy session and leave committing to the caller's
transaction, so that one request or one task is one unit of work. Errors are the
`DomainError`s below; service.errors maps them to HTTP.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lagebild_core import actors, events, quotes, relations, stories, webhooks
from lagebild_core.exceptions import (  # noqa: F401 - re-exported: callers name them domain.NotFound, …
    PROBLEM_TYPE_BASE, Backlogged, Conflict, DomainError, Forbidden, IdempotencyKeyReused, Invalid, Malformed, NotFound,
    NotReady, TooLarge, Unauthenticated, Unavailable, UnsupportedMediaType,
)
from lagebild_core.pagination import decode_cursor, encode_cursor, page  # noqa: F401
from lagebild_core.store.models import (  # noqa: F401
    Article, Extraction, IdempotencyRecord, Job, new_id, rfc3339, utcnow,
)

JOB_STATUSES = ("queued", "running", "succeeded", "failed")
MAX_ATTEMPTS = 3  # a task that keeps killing its worker is failed after this many starts
DEFAULT_LEASE = dt.timedelta(seconds=30)  # LAGEBILD_JOB_LEASE_SECONDS


@dataclass
class NewArticle:
    """An article as a client submits it, already validated by the schema."""

    text: str
    title: str | None = None
    url: str | None = None
    published_at: dt.date | None = None
    language: str = "de"
    source: str | None = None
    external_id: str | None = None
    metadata: dict = field(default_factory=dict)


# --- articles -------------------------------------------------------------------------

def submit_articles(session: Session, new_articles: list[NewArticle], *, tenant: str) -> list[tuple[Article, Job]]:
    """Store each article of `tenant` with a queued extraction job; return the (article, job) pairs."""
    accepted = []
    for new in new_articles:
        article = Article(  # the id is set here, so that one flush at the end inserts articles and jobs
            id=new_id(), tenant=tenant, text=new.text, text_sha256=hashlib.sha256(new.text.encode("utf-8")).hexdigest(),
            title=new.title, url=new.url, published_at=new.published_at, language=new.language,
            source=new.source, external_id=new.external_id, meta=new.metadata or {}, status="queued",
        )
        session.add(article)
        job = Job(article_id=article.id, tenant=tenant, status="queued")
        session.add(job)
        accepted.append((article, job))
    session.flush()
    return accepted


def ensure_capacity(session: Session, *, tenant: str, adding: int, max_pending: int) -> None:
    """Raise Backlogged when `adding` more jobs would give the tenant more than `max_pending`
    unfinished ones (back-pressure: one tenant cannot fill the queue for everyone)."""
    pending = session.scalar(select(func.count()).select_from(Job).where(
        Job.tenant == tenant, Job.status.in_(("queued", "running"))))
    if pending + adding > max_pending:
        raise Backlogged(f"This tenant has {pending} unfinished jobs; at most {max_pending} may wait. "
                         "Retry when some have finished.")


def get_article(session: Session, article_id: str, *, tenant: str) -> Article:
    """Return the tenant's article or raise NotFound (another tenant's article is not found either)."""
    article = session.scalar(select(Article).where(Article.id == article_id, Article.tenant == tenant))
    if article is None:
        raise NotFound(f"There is no article with id '{article_id}'.")
    return article


def latest_job(session: Session, article_id: str) -> Job | None:
    """Return the newest job of an article."""
    return session.scalar(select(Job).where(Job.article_id == article_id).order_by(Job.seq.desc()).limit(1))


def list_articles(session: Session, *, tenant: str, limit: int, cursor: str | None = None, status: str | None = None,
                  published_after: dt.date | None = None, published_before: dt.date | None = None,
                  external_id: str | None = None) -> tuple[list[Article], str | None]:
    """Return one page of the tenant's articles, newest first, and the cursor of the next page (or None)."""
    query = select(Article).where(Article.tenant == tenant).order_by(Article.seq.desc()).limit(limit + 1)
    if cursor:
        query = query.where(Article.seq < decode_cursor(cursor))
    if status:
        query = query.where(Article.status == status)
    if published_after:
        query = query.where(Article.published_at >= published_after)
    if published_before:
        query = query.where(Article.published_at <= published_before)
    if external_id:
        query = query.where(Article.external_id == external_id)
    rows = list(session.scalars(query))
    return page(rows, limit, lambda a: a.seq)


def delete_article(session: Session, article_id: str, *, tenant: str) -> None:
    """Delete the article and all its extraction versions; its jobs stay as records. The
    stories its events belonged to lose those reports (and disappear when none is left)."""
    article = get_article(session, article_id, tenant=tenant)
    session.execute(select(Article.seq).where(Article.id == article.id).with_for_update())  # article, then stories
    stories.lock_tenant(session, tenant)
    before, stale = stories.reports_of_article(session, article.id)
    relations.unindex_article(session, article.id)  # the counts; the index rows go with the article
    session.delete(article)
    session.flush()
    stories.regroup(session, tenant, seqs=[], before=before, stale=stale)


# --- extractions ------------------------------------------------------------------------

def rerun_extraction(session: Session, article_id: str, *, tenant: str) -> Job:
    """Queue a new extraction of the article; it will become a new version."""
    article = get_article(session, article_id, tenant=tenant)
    job = Job(article_id=article.id, tenant=tenant, status="queued")
    session.add(job)
    article.status = "queued"
    session.flush()
    return job


def list_extractions(session: Session, article_id: str, *, tenant: str, limit: int,
                     cursor: str | None = None) -> tuple[list[Extraction], str | None]:
    """Return one page of an article's versions, newest first, and the next cursor."""
    get_article(session, article_id, tenant=tenant)
    query = (select(Extraction).where(Extraction.article_id == article_id)
             .order_by(Extraction.version.desc()).limit(limit + 1))
    if cursor:
        query = query.where(Extraction.version < decode_cursor(cursor))
    return page(list(session.scalars(query)), limit, lambda e: e.version)


def get_extraction(session: Session, article_id: str, version: int | str, *, tenant: str) -> Extraction:
    """Return version `version` of an article's extraction ('latest' for the newest)."""
    article = get_article(session, article_id, tenant=tenant)
    if version == "latest":
        if article.latest_version is None:
            job = latest_job(session, article_id)
            raise NotReady(f"Article '{article_id}' has no extraction yet (its job is {article.status}); "
                           "poll the job in Operation-Location.", job.id if job else None)
        version = article.latest_version
    extraction = session.scalar(select(Extraction).where(
        Extraction.article_id == article_id, Extraction.version == int(version)))
    if extraction is None:
        raise NotFound(f"Article '{article_id}' has no extraction version {version}.")
    return extraction


def latest_version(session: Session, article_id: str, *, tenant: str) -> int | None:
    """The tenant's article's newest version number (None before the first), in one small query
    that loads neither its text nor a document; NotFound when the tenant has no such article."""
    row = session.execute(select(Article.latest_version).where(
        Article.id == article_id, Article.tenant == tenant)).first()
    if row is None:
        raise NotFound(f"There is no article with id '{article_id}'.")
    return row[0]


def existing_articles(session: Session, articles: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of the (tenant, article id) pairs name an article that exists, in one query."""
    rows = session.execute(select(Article.tenant, Article.id).where(
        Article.id.in_({article_id for _tenant, article_id in articles})))
    return set(map(tuple, rows)) & set(articles)


def canonical_json(document: dict) -> str:
    """The one serialisation of an extraction that its ETag is computed from and served as."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- jobs -------------------------------------------------------------------------------

def get_job(session: Session, job_id: str, *, tenant: str) -> Job:
    """Return the tenant's job or raise NotFound."""
    job = session.scalar(select(Job).where(Job.id == job_id, Job.tenant == tenant))
    if job is None:
        raise NotFound(f"There is no job with id '{job_id}'.")
    return job


FINISHED = ("succeeded", "failed")


def job_counts(session: Session) -> dict[str, int]:
    """The number of jobs in each state, over every tenant (for operations, not for clients)."""
    counts = dict.fromkeys(("queued", "running", "succeeded", "failed"), 0)
    counts.update(session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    return counts


def finished_jobs(session: Session, job_ids: set[str]) -> set[str]:
    """Return which of `job_ids` have finished (succeeded or failed), in one query."""
    if not job_ids:
        return set()
    return set(session.scalars(select(Job.id).where(Job.id.in_(job_ids), Job.status.in_(FINISHED))))


def mark_dispatched(session: Session, job_ids: list[str]) -> None:
    """Record that these jobs' messages were handed to the broker.

    The commit need not wait for the disk (PostgreSQL's synchronous_commit, for this transaction
    only): a mark lost in a crash means only that the sweep publishes the job again, which a
    worker finds finished or running and skips. It is the last wait of every POST."""
    if not job_ids:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql_text("SET LOCAL synchronous_commit = off"))
    session.execute(update(Job).where(Job.id.in_(job_ids)).values(dispatched_at=utcnow()),
                    execution_options={"synchronize_session": False})  # nothing of these jobs is loaded here


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
    job, article = _lock_job_and_article(session, job_id)
    if job is None or job.status in ("succeeded", "failed"):
        return None
    if job.status == "running" and _last_sign_of_life(job) > utcnow() - lease:
        return None
    if article is None:
        _finish_failed(session, job, None, "article-deleted", "The article was deleted before it was processed.")
        return None
    if job.attempts >= MAX_ATTEMPTS:
        _finish_failed(session, job, article, "attempts-exhausted",
                       f"The extraction was started {job.attempts} times without finishing "
                       "(the worker was lost or the time limit was hit each time).")
        return None
    job.attempts += 1
    job.status = "running"
    job.started_at = job.heartbeat_at = utcnow()
    article.status = "running" if _is_latest(session, job) else article.status
    return ClaimedJob(job.id, article.id, article.text, article.published_at, job.attempts)


def store_extraction(session: Session, job_id: str, document: dict) -> Extraction | None:
    """Store the job's result as the article's next version and mark the job succeeded.

    Idempotent: a job that already has its version returns that version unchanged.
    Returns None when the article is gone.
    """
    job, article = _lock_job_and_article(session, job_id)
    if job is None:
        return None
    existing = session.scalar(select(Extraction).where(Extraction.job_id == job_id))
    if existing is not None:
        return existing
    if article is None:
        _finish_failed(session, job, None, "article-deleted", "The article was deleted while it was processed.")
        return None
    version = (session.scalar(select(func.max(Extraction.version))
                              .where(Extraction.article_id == article.id)) or 0) + 1
    now = utcnow()
    # the tenant's story lock (index_events needs it) before the registry too: two workers creating
    # the same new actor would otherwise collide on its key, and the loser's retry ran the whole
    # extraction again
    stories.lock_tenant(session, article.tenant)
    document = actors.link_actors(session, article.tenant, article.id, version, document)  # global ids, same transaction
    full = {"article_id": article.id, "version": version, "created_at": rfc3339(now), **document}
    extraction = Extraction(
        article_id=article.id, tenant=article.tenant, version=version, job_id=job.id, document=full,
        etag='"' + hashlib.sha256(canonical_json(full).encode("utf-8")).hexdigest()[:40] + '"',
        pipeline_name=document["pipeline"]["name"], pipeline_version=document["pipeline"]["version"],
        model=document["pipeline"]["model"], created_at=now,
    )
    session.add(extraction)
    session.flush()
    job.status, job.finished_at, job.extraction_version, job.error = "succeeded", now, version, None
    article.latest_version = version
    # max + 1 under the article's lock: this version is the newest, whatever the indexes hold
    events.index_events(session, article.tenant, article.id, version, full, newest=True)
    webhooks.announce_extraction(session, job, version)  # the outbox row commits with the version
    quotes.index_quotes(session, article.tenant, article.id, version, full, newest=True)
    relations.index_relations(session, article.tenant, article.id, version, full, newest=True)
    if _is_latest(session, job):
        article.status = "succeeded"
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
    article_id = select(Job.article_id).where(Job.id == job_id).scalar_subquery()
    session.execute(update(Article).where(Article.id == article_id, Article.latest_version.is_(None))
                    .values(status="failed"))


def _lock_job_and_article(session: Session, job_id: str) -> tuple[Job | None, Article | None]:
    """Lock a job's article, then the job, and return both (None for what does not exist).

    Always article first, then job: deleting an article locks it and then its jobs, and the
    opposite order in a worker deadlocks against a concurrent DELETE on PostgreSQL.
    """
    article = session.scalar(select(Article).where(
        Article.id == select(Job.article_id).where(Job.id == job_id).scalar_subquery()).with_for_update())
    job = session.scalar(select(Job).where(Job.id == job_id).with_for_update())
    if job is not None and article is not None and job.article_id != article.id:  # deleted meanwhile
        article = None
    return job, article


def _finish_failed(session: Session, job: Job, article: Article | None, slug: str, detail: str) -> None:
    job.status, job.finished_at = "failed", utcnow()
    job.error = {"type": PROBLEM_TYPE_BASE + slug, "title": slug.replace("-", " ").capitalize(),
                 "detail": detail}
    webhooks.announce_failure(session, job)  # the outbox row commits with the failure
    if article is not None and article.status in ("queued", "running"):
        article.status = "failed" if article.latest_version is None else "succeeded"


def _is_latest(session: Session, job: Job) -> bool:
    newest = session.scalar(select(func.max(Job.seq)).where(Job.article_id == job.article_id))
    return newest == job.seq


def release_job(session: Session, job_id: str) -> None:
    """Give a running job back after its attempt failed for a transient reason (a unique-key race
    on a new registry actor, the database away): queued again and the start not counted, so the
    task's own retry claims it at once instead of being dropped as a copy under the attempt's
    lease (which stranded the job until the lease ran out and the sweep came)."""
    job, article = _lock_job_and_article(session, job_id)
    if job is None or job.status != "running":
        return
    job.status, job.heartbeat_at, job.attempts = "queued", None, max(0, job.attempts - 1)
    if article is not None and _is_latest(session, job):
        article.status = "queued"


def heartbeat(session: Session, job_id: str) -> None:
    """Renew the lease of a job this worker is running."""
    session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(heartbeat_at=utcnow()))


def _last_sign_of_life(job: Job) -> dt.datetime:
    return job.heartbeat_at or job.started_at or job.created_at


def stalled_jobs(session: Session, *, undispatched_after: dt.timedelta, stalled_after: dt.timedelta,
                 lease: dt.timedelta = DEFAULT_LEASE, queue_depth: int | None = None) -> list[str]:
    """Return ids of jobs whose message may be lost, to be published again:
    - queued and never handed to the broker (for `undispatched_after`);
    - running, but the worker has not renewed the lease (it is gone), and not published again
      within the lease (a copy is on its way);
    - queued and published longer than a lease ago while the broker holds fewer messages
      (`queue_depth`) than there are such jobs: the broker lost messages (e.g. Redis restarted
      without its data); a copy of a message that was not lost is harmless (start_job drops it);
    - queued or running for longer than `stalled_after`, whatever the broker says.
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


# --- idempotency ------------------------------------------------------------------------

@dataclass
class RememberedResponse:
    status_code: int
    body: dict
    headers: dict


def recall_response(session: Session, scope: str, key: str, request_sha256: str) -> RememberedResponse | None:
    """Return the answer given to the first request with this key, if any.

    Raises IdempotencyKeyReused when the key was used with a different request. A key whose
    articles were deleted since is forgotten (None): replaying an answer that points at
    deleted articles would hand out dead links, and the client undid that work itself.
    """
    record = session.scalar(select(IdempotencyRecord).where(
        IdempotencyRecord.scope == scope, IdempotencyRecord.key == key))
    if record is None:
        return None
    if record.request_sha256 != request_sha256:
        raise IdempotencyKeyReused(
            f"Idempotency-Key '{key}' was first used with a different request body; "
            "use a new key for a new request.")
    referenced = _articles_in(record.body)
    existing = set(session.scalars(select(Article.id).where(Article.id.in_(referenced)))) if referenced else set()
    if existing != referenced:
        session.delete(record)
        session.flush()
        return None
    return RememberedResponse(record.status_code, record.body, record.headers)


def _articles_in(body: dict) -> set[str]:
    """Ids of the articles an accepted answer names: an article, a batch of them, or a rerun job."""
    items = body["items"] if isinstance(body.get("items"), list) else [body]
    return {_article_of(item) for item in items if isinstance(item, dict)} - {None}


def _article_of(item: dict) -> str | None:
    if "job" in item:  # an accepted article carries its job
        return item.get("id")
    return item.get("article_id")  # an accepted rerun is a job


def remember_response(session: Session, scope: str, key: str, request_sha256: str,
                      response: RememberedResponse) -> None:
    """Store the answer for this key in the caller's transaction."""
    session.add(IdempotencyRecord(scope=scope, key=key, request_sha256=request_sha256,
                                  status_code=response.status_code, body=response.body,
                                  headers=response.headers))
    session.flush()


def is_duplicate_key_error(error: IntegrityError) -> bool:
    """True when an insert lost a race on the idempotency key's unique constraint."""
    return "uq_idempotency_scope_key" in str(error.orig) or "idempotency_records" in str(error.orig)
