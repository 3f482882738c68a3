"""/v1/articles/{id}/extractions: the immutable versions of an article's extraction."""
from __future__ import annotations

import re

from flask import url_for
from flask_smorest import Blueprint

from lagebild_core import domain
from service import capacity
from service.api import alternative, operation, problems
from service.http import (
    IMMUTABLE,
    acceptance_headers,
    accepted,
    conditional,
    db,
    json_response,
    next_link,
    settings,
    tenant,
)
from service.read_cache import stored_version
from service.resources.articles.examples import IDEMPOTENCY_KEY, JOB
from service.resources.common import ETAG_HEADERS, LOCATION_HEADERS
from service.resources.extractions import examples
from service.resources.extractions.schemas import (
    ExtractionListArgsSchema,
    ExtractionPageSchema,
    ExtractionSchema,
)
from service.resources.jobs.routes import job_body
from service.resources.jobs.schemas import JobSchema

blp = Blueprint("extractions", __name__, url_prefix="/v1",
                description="Extraction versions: a new one per run, never overwritten.")

_VERSION = re.compile(r"[1-9][0-9]{0,8}")  # ASCII digits only: str.isdigit() also accepts "²" and "١"
VERSION_PARAMETER = {"in": "path", "name": "version", "required": True,
                     "description": "A version number (1, 2, …) or `latest`.",
                     "schema": {"type": "string", "pattern": "^([1-9][0-9]{0,8}|latest)$"}}


def summary_body(extraction) -> dict:
    document = extraction.document
    return {
        "version": extraction.version, "created_at": document["created_at"], "job_id": extraction.job_id,
        "pipeline": document["pipeline"], "etag": extraction.etag,
        "counts": {name: len(document.get(name, [])) for name in ("actors", "events", "quotes")},
        "link": url_for("extractions.get_extraction", article_id=extraction.article_id,
                        version=extraction.version),
    }


@blp.route("/articles/<string:article_id>/extractions", methods=["GET"])
@operation(blp, "list_extractions", "List an article's extraction versions, newest first")
@blp.arguments(ExtractionListArgsSchema, location="query", as_kwargs=True)
@blp.response(200, ExtractionPageSchema, example=examples.PAGE)
@problems(blp, 404, 422)
def list_extractions(article_id, limit, cursor):
    """Every version ever made for the article, newest first, cursor-paginated."""
    items, next_cursor = domain.list_extractions(db().session, article_id, tenant=tenant(), limit=limit, cursor=cursor)
    return json_response({
        "items": [summary_body(e) for e in items],
        "next_cursor": next_cursor,
        "next": next_link("extractions.list_extractions", next_cursor, article_id=article_id, limit=limit),
    })


@blp.route("/articles/<string:article_id>/extractions/<string:version>", methods=["GET"])
@operation(blp, "get_extraction", "Read one extraction version (or `latest`)", parameters=[VERSION_PARAMETER])
@blp.response(200, ExtractionSchema, example=examples.EXTRACTION, headers=ETAG_HEADERS,
              description="The schema-v1 document. Numbered versions are immutable and cached for a year.")
@alternative(blp, 304, description="Not modified: the `If-None-Match` ETag is current.")
@problems(blp, 404, 409)
def get_extraction(article_id, version):
    """Numbered versions never change (strong ETag, immutable caching); `latest` moves to the
    newest version and must be revalidated."""
    if version != "latest" and not _VERSION.fullmatch(version):
        raise domain.NotFound(f"'{version}' is not a version: use 1, 2, … or 'latest'.")
    if version == "latest":
        number = domain.latest_version(db().session, article_id, tenant=tenant())
        if number is None:  # NotReady, with the job to poll (unless the first version just appeared)
            number = domain.get_extraction(db().session, article_id, "latest", tenant=tenant()).version
        entry = stored_version(article_id, number, checked=True)
        location = url_for("extractions.get_extraction", article_id=article_id, version=number)
        return conditional(entry.body, entry.etag, "no-cache", {"Content-Location": location})
    entry = stored_version(article_id, int(version))
    return conditional(entry.body, entry.etag, IMMUTABLE)


@blp.route("/articles/<string:article_id>/extractions", methods=["POST"])
@operation(blp, "rerun_extraction", "Run the extraction again (a new version)", parameters=[IDEMPOTENCY_KEY],
           responses={202: {"links": {"GetJob": {"operationId": "get_job",
                                                   "parameters": {"job_id": "$response.body#/id"}}}}})
@blp.response(202, JobSchema, headers=LOCATION_HEADERS, example=JOB,
              description="Accepted: a job that will store the next version; older versions stay.")
@problems(blp, 403, 404, 422)
def rerun_extraction(article_id):
    """Queues a new run with the current pipeline. It creates version N+1 when it succeeds
    and never changes an existing version."""
    def work(session):
        capacity.ensure_capacity(session, tenant=tenant(), adding=1, max_pending=settings().max_pending_jobs)
        job = domain.rerun_extraction(session, article_id, tenant=tenant())
        return job_body(job), acceptance_headers(article_id, job.id), [job.id]
    return accepted(work)
