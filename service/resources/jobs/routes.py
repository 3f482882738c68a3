"""/v1/jobs: the status monitor of extraction runs."""
from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint

from lagebild_core import domain
from service.api import operation, problems
from service.http import db, json_response, settings, tenant
from service.resources.articles.examples import JOB
from service.resources.jobs.schemas import JobSchema

blp = Blueprint("jobs", __name__, url_prefix="/v1", description="Status monitors of extraction jobs.")


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
    return JobSchema().dump(job) | {"links": links}


@blp.route("/jobs/<string:job_id>", methods=["GET"])
@operation(blp, "get_job", "Poll an extraction job")
@blp.response(200, JobSchema, example=JOB,
              headers={"Retry-After": {"description": "Seconds to wait while the job is not done.",
                                       "schema": {"type": "integer"}}})
@problems(blp, 404)
def get_job(job_id):
    """`queued` → `running` → `succeeded` (with a link to its version) or `failed` (with an error)."""
    job = domain.get_job(db().session, job_id, tenant=tenant())
    headers = {} if job.status in ("succeeded", "failed") else {"Retry-After": str(settings().retry_after_seconds)}
    return json_response(job_body(job), 200, headers)
