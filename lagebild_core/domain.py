"""The use cases of Lagebild, shared by the HTTP routes, the workers and the command line.

Functions take an open SQLAlchemy session and leave committing to the caller's
transaction, so that one request or one task is one unit of work. Errors are the
`DomainError`s below; service.errors maps them to HTTP.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, insert, inspect, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lagebild_core import relations, stories
from lagebild_core.exceptions import (  # noqa: F401 - re-exported: callers name them domain.NotFound, …
    PROBLEM_TYPE_BASE,
    Backlogged,
    Conflict,
    DomainError,
    Forbidden,
    IdempotencyKeyReused,
    Invalid,
    Malformed,
    NotFound,
    NotReady,
    TooLarge,
    Unauthenticated,
    Unavailable,
    UnsupportedMediaType,
)
from lagebild_core.jobs import (  # noqa: F401 - the workers' side of a job, re-exported: domain.start_job, …
    DEFAULT_LEASE,
    MAX_ATTEMPTS,
    ClaimedJob,
    canonical_json,
    fail_job,
    fail_unreadable_job,
    heartbeat,
    mark_dispatched,
    mark_undispatched,
    release_job,
    stalled_jobs,
    start_job,
    start_queued_jobs,
    store_extraction,
    store_extractions,
)
from lagebild_core.pagination import decode_cursor, encode_cursor, page  # noqa: F401
from lagebild_core.store.models import (  # noqa: F401
    UNFINISHED,
    Article,
    Extraction,
    IdempotencyRecord,
    Job,
    new_id,
    rfc3339,
    utcnow,
)

JOB_STATUSES = ("queued", "running", "succeeded", "failed")


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
    """Store each article of `tenant` with a queued extraction job; return the (article, job) pairs,
    as objects outside the session (they serve the answer; nothing else is loaded or changed here).

    INSERTs without the ORM's unit of work (which cost more than the statements): the objects
    carry every column's value, the defaults included, and are written as they are. One article on
    PostgreSQL is one statement with its job (`_ARTICLE_AND_JOB`); otherwise two INSERTs (executemany
    for a batch: an INSERT with a WITH is not one that drivers may fold into a multi-row VALUES)."""
    now = utcnow()
    accepted = [(article, _new_job(article.id, tenant, now)) for article in
                (_new_article(new, tenant, now) for new in new_articles)]
    if len(accepted) == 1 and session.get_bind().dialect.name == "postgresql":
        (article, job), = accepted
        session.execute(_ARTICLE_AND_JOB, _columns(article, "article_") | _columns(job, "job_"))
    else:  # SQLite has no INSERT inside WITH
        session.execute(insert(Article.__table__), [_columns(article) for article, _ in accepted])
        session.execute(insert(Job.__table__), [_columns(job) for _, job in accepted])
    return accepted


def _new_article(new: NewArticle, tenant: str, now: dt.datetime) -> Article:
    return Article(
        id=new_id(), tenant=tenant, text=new.text, text_sha256=hashlib.sha256(new.text.encode("utf-8")).hexdigest(),
        title=new.title, url=new.url, published_at=new.published_at, language=new.language, source=new.source,
        external_id=new.external_id, meta=new.metadata or {}, status="queued", created_at=now, updated_at=now)


def _columns(row: Article | Job, prefix: str = "") -> dict:
    """The column values of a new row by `prefix` + column name (`meta` is the column `metadata`),
    None for what was not set, without the sequence number the database assigns."""
    return {prefix + column.name: getattr(row, attribute.key) for attribute in inspect(type(row)).column_attrs
            for column in attribute.columns if column.name != "seq"}


def _bound_insert(table, prefix: str):
    """INSERT INTO `table` of every column but `seq`, each value the parameter `prefix` + column name."""
    return insert(table).values({column.name: bindparam(prefix + column.name, type_=column.type)
                                 for column in table.columns if column.name != "seq"})


# An article and its job in one statement, the article's INSERT in a WITH (PostgreSQL runs it, and
# the job's foreign key sees its row): a round trip and a statement execution fewer per submission
# than two INSERTs, 0.6 of the API's CPU ms per POST (of 6.0). Built once, like the count below.
_ARTICLE_AND_JOB = _bound_insert(Job.__table__, "job_").add_cte(
    _bound_insert(Article.__table__, "article_").cte("new_article"))


def _new_job(article_id: str, tenant: str, now: dt.datetime) -> Job:
    """Return a new queued job, marked dispatched: the caller publishes its message right after
    the commit and clears the mark if the broker does not take it (`mark_undispatched`). One
    transaction per submission instead of a second one for the mark; a message lost with the
    API process between commit and publish is found by the sweep all the same (`stalled_jobs`)."""
    return Job(id=new_id(), article_id=article_id, tenant=tenant, status="queued", attempts=0, created_at=now,
               dispatched_at=now)


# built once: building the statement cost more than running it. The statuses are written into the
# SQL (literal_execute), so that the partial index on them (ix_jobs_unfinished_tenant) serves the
# count even under a generic plan of a prepared statement.
_UNFINISHED_OF_TENANT = select(func.count()).select_from(Job).where(Job.tenant == bindparam("tenant"), Job.status.in_(
    bindparam("unfinished", list(UNFINISHED), expanding=True, literal_execute=True)))


def ensure_capacity(session: Session, *, tenant: str, adding: int, max_pending: int) -> int:
    """Return the tenant's number of unfinished jobs; raise Backlogged when `adding` more would give
    it more than `max_pending` (back-pressure: one tenant cannot fill the queue for everyone). The
    API counts through service/capacity.py, which skips the count while it knows the answer."""
    pending = session.scalar(_UNFINISHED_OF_TENANT, {"tenant": tenant})
    if pending + adding > max_pending:
        raise Backlogged(f"This tenant has {pending} unfinished jobs; at most {max_pending} may wait. "
                         "Retry when some have finished.")
    return pending


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
    job = _new_job(article.id, tenant, utcnow())
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


# --- jobs -------------------------------------------------------------------------------

# built once, and run without the ORM: a job monitor is polled all the time, and building the
# statement and loading a Job object cost more than the query
_JOB_OF_TENANT = select(*Job.__table__.columns).where(
    Job.__table__.c.id == bindparam("job_id"), Job.__table__.c.tenant == bindparam("tenant"))


def get_job(session: Session | Connection, job_id: str, *, tenant: str) -> Row:
    """Return the tenant's job as a read-only row (its attributes are the Job's) or raise NotFound."""
    job = session.execute(_JOB_OF_TENANT, {"job_id": job_id, "tenant": tenant}).first()
    if job is None:
        raise NotFound(f"There is no job with id '{job_id}'.")
    return job


FINISHED = ("succeeded", "failed")


def job_counts(session: Session) -> dict[str, int]:
    """The number of jobs in each state, over every tenant (for operations, not for clients)."""
    counts = dict.fromkeys(("queued", "running", "succeeded", "failed"), 0)
    counts.update(session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    return counts


def finished_jobs(session: Session | Connection, job_ids: set[str]) -> set[str]:
    """Return which of `job_ids` have finished (succeeded or failed), in one query (a connection
    will do: the long poll's watcher keeps one of its own)."""
    if not job_ids:
        return set()
    return set(session.scalars(select(Job.id).where(Job.id.in_(job_ids), Job.status.in_(FINISHED))))


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
