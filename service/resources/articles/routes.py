"""/v1/articles: submit, list, read and delete articles."""
from __future__ import annotations

from flask import current_app, request, url_for
from flask_smorest import Blueprint

from lagebild_core import domain
from service import capacity
from service.api import operation, problems
from service.http import (
    accepted, acceptance_headers, db, json_response, next_link, no_content, settings, tenant,
)
from service.resources.articles import examples
from service.resources.articles.intake import read_article, read_batch
from service.resources.articles.schemas import (
    ArticleAcceptedSchema, ArticleListArgsSchema, ArticlePageSchema, ArticleSchema,
    ArticleSummarySchema, BatchAcceptedSchema,
)
from service.resources.common import LOCATION_HEADERS
from service.resources.jobs.routes import job_body

blp = Blueprint("articles", __name__, url_prefix="/v1", description="Articles and their extraction status.")


_SUMMARY = ArticleSummarySchema()  # built once: building one costs more than dumping


def article_body(article, *, job=None, with_text=True, with_metadata=True) -> dict:
    """The JSON representation of an article (with its job when it was just accepted)."""
    links = {
        "self": url_for("articles.get_article", article_id=article.id),
        "extractions": url_for("extractions.list_extractions", article_id=article.id),
        "latest_extraction": url_for("extractions.get_extraction", article_id=article.id, version="latest"),
    }
    body = _SUMMARY.dump(article) | {"text_length": len(article.text), "links": links}
    if not with_metadata:
        del body["metadata"]
    if with_text:
        body["text"] = article.text
    if job is not None:
        body["job"] = job_body(job)
    return body


@blp.route("/articles", methods=["POST"])
@operation(blp, "create_article", "Submit an article for extraction",
           requestBody=examples.CREATE_REQUEST_BODY, parameters=examples.TEXT_PLAIN_PARAMETERS,
           responses={202: {"links": examples.ACCEPTED_LINKS}})
@blp.response(202, ArticleAcceptedSchema, headers=LOCATION_HEADERS, example=examples.ACCEPTED,
              description="Accepted: the article is stored and its extraction queued.")
@problems(blp, 400, 403, 413, 415, 422)
def create_article():
    """Store the article and queue its extraction. The first version appears when the job
    succeeds. Send `Idempotency-Key` to make retries safe."""
    new = read_article(request, settings().max_text_bytes)

    def work(session):
        capacity.ensure_capacity(session, tenant=tenant(), adding=1, max_pending=settings().max_pending_jobs)
        article, job = domain.submit_articles(session, [new], tenant=tenant())[0]
        return article_body(article, job=job), acceptance_headers(article.id, job.id), [job.id]
    return accepted(work)


@blp.route("/articles:batch", methods=["POST"])
@operation(blp, "create_articles_batch", "Submit up to 100 articles at once",
           requestBody=examples.BATCH_REQUEST_BODY, parameters=[examples.IDEMPOTENCY_KEY])
@blp.response(202, BatchAcceptedSchema, example=examples.BATCH_ACCEPTED,
              headers={"Retry-After": LOCATION_HEADERS["Retry-After"]},
              description="Accepted: every article is stored and queued (all or none).")
@problems(blp, 400, 403, 413, 415, 422)
def create_articles_batch():
    """Store 1–100 articles in one transaction and queue one extraction job each."""
    batch = read_batch(request, settings().max_text_bytes, settings().batch_limit)

    def work(session):
        capacity.ensure_capacity(session, tenant=tenant(), adding=len(batch), max_pending=settings().max_pending_jobs)
        pairs = domain.submit_articles(session, batch, tenant=tenant())
        items = [article_body(article, job=job) for article, job in pairs]
        return {"items": items}, {"Retry-After": str(settings().retry_after_seconds)}, [j.id for _, j in pairs]
    return accepted(work)


@blp.route("/articles", methods=["GET"])
@operation(blp, "list_articles", "List articles, newest first")
@blp.arguments(ArticleListArgsSchema, location="query", as_kwargs=True)
@blp.response(200, ArticlePageSchema, example=examples.PAGE)
@problems(blp, 422)
def list_articles(limit, cursor, status, published_after, published_before, external_id, include_metadata):
    """Cursor-paginated; filter by status, publication date range or external id."""
    articles, next_cursor = domain.list_articles(
        db().session, tenant=tenant(), limit=limit, cursor=cursor, status=status, published_after=published_after,
        published_before=published_before, external_id=external_id)
    filters = {"limit": limit, "status": status, "external_id": external_id,
               "include_metadata": "true" if include_metadata else None,
               "published_after": published_after and published_after.isoformat(),
               "published_before": published_before and published_before.isoformat()}
    return json_response({
        "items": [article_body(a, with_text=False, with_metadata=include_metadata) for a in articles],
        "next_cursor": next_cursor,
        "next": next_link("articles.list_articles", next_cursor, **filters),
    })


@blp.route("/articles/<string:article_id>", methods=["GET"])
@operation(blp, "get_article", "Read an article with its status and latest version")
@blp.response(200, ArticleSchema, example=examples.ARTICLE)
@problems(blp, 404)
def get_article(article_id):
    """The text as submitted, its metadata, the status of its newest job and its newest version."""
    return json_response(article_body(domain.get_article(db().session, article_id, tenant=tenant())))


@blp.route("/articles/<string:article_id>", methods=["DELETE"])
@operation(blp, "delete_article", "Delete an article and its extractions")
@blp.response(204, description="Deleted.")
@problems(blp, 403, 404)
def delete_article(article_id):
    """Deletes the article and every extraction version; job records stay for their monitors."""
    with db().transaction() as session:
        domain.delete_article(session, article_id, tenant=tenant())
    current_app.extensions["lagebild_versions"].forget(tenant(), article_id)  # other processes: read_cache.py
    return no_content()
