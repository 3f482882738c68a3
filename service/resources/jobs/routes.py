"""/v1/jobs: the status monitor of extraction runs."""
from __future__ import annotations

from flask import request, url_for
from flask_smorest import Blueprint

from lagebild_core import domain
from service import longpoll
from service.api import operation, problems
from service.http import db, json_response, settings, tenant
from service.resources.articles.examples import JOB
from service.resources.jobs.schemas import JobSchema

blp = Blueprint("jobs", __name__, url_prefix="/v1", description="Status monitors of extraction jobs.")


_JOB = JobSchema()


def job_body(job) -> dict:
    """The JSON representation of a job with its links."""
    result = None
    if job.article_id and job.extraction_version is not None:
        result = url_for("extractions.get_extraction", article_id=job.article_id, version=job.extraction_version)
    links = {
        "self": url_for("jobs.get_job", job_id=job.id),
        "article": url_for("articles.get_article", article_id=job.article_id) if job.article_id else None,
        "result": result,
    }
    return _JOB.dump(job) | {"links": links}


PREFER = {"in": "header", "name": "Prefer", "required": False, "schema": {"type": "string"},
          "example": "wait=10",
          "description": f"`wait=N` (RFC 7240): hold the answer until the job finishes or N seconds pass "
                         f"(at most {longpoll.MAX_WAIT_SECONDS}); then answer as usual."}


@blp.route("/jobs/<string:job_id>", methods=["GET"])
@operation(blp, "get_job", "Poll an extraction job", parameters=[PREFER])
@blp.response(200, JobSchema, example=JOB,
              headers={"Retry-After": {"description": "Seconds to wait while the job is not done.",
                                       "schema": {"type": "integer"}},
                       "Preference-Applied": {"description": "`wait=N` when the request's `Prefer: wait` "
                                                             "was honoured (N as applied).",
                                              "schema": {"type": "string"}}})
@problems(blp, 404)
def get_job(job_id):
    """`queued` → `running` → `succeeded` (with a link to its version) or `failed` (with an error).
    With `Prefer: wait=N` the answer waits for the job to finish, at most N seconds."""
    job = _job(job_id)
    wait = longpoll.requested_wait(request.headers.get("Prefer"))
    headers = {"Vary": "Prefer"}
    if wait is not None:
        headers["Preference-Applied"] = f"wait={wait}"
        if job.status not in domain.FINISHED and wait > 0:
            db().release()  # hold no database connection while waiting (the key's look-up may have used one)
            longpoll.wait_for_job(job.id, wait)
            job = _job(job_id)
    if job.status not in domain.FINISHED:
        headers["Retry-After"] = str(settings().retry_after_seconds)
    return json_response(job_body(job), 200, headers)


def _job(job_id: str):
    """The tenant's job, read in autocommit (one round trip; the connection goes back at once)."""
    with db().autocommit() as connection:
        return domain.get_job(connection, job_id, tenant=tenant())
