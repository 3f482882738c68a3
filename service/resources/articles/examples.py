"""Examples and hand-written request bodies for the article operations' documentation.

The POST body takes three media types, which flask-smorest cannot derive from one schema;
the JSON variants still reference the marshmallow schemas' components.
"""
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from service.resources.articles.intake import FIELDS
from service.resources.articles.schemas import ArticleInSchema

_ARTICLE_ID = "3f2c9a7e8b1d4c6fa0e5d7b9c1a2f3e4"
_JOB_ID = "9b8a7c6d5e4f40318a2b1c0d9e8f7a6b"

SUBMIT_EXAMPLE = {
    "text": "Russlands Verteidigungsminister Andrey Belousov traf am Dienstag in Peking "
            "Zhang Youxia. „Wir teilen gemeinsame Ansichten“, sagte Belousov.",
    "title": "Russlands Verteidigungschef in Peking",
    "published_at": "2024-10-16",
    "source": "example-news",
    "external_id": "news-4711",
    "metadata": {"section": "Ausland"},
}

CREATE_REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/ArticleIn"}, "example": SUBMIT_EXAMPLE},
        "text/plain": {
            "schema": {"type": "string", "minLength": 1},
            "example": SUBMIT_EXAMPLE["text"],
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "The article as a text file."},
                    "title": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "published_at": {"type": "string", "format": "date"},
                    "language": {"type": "string"},
                    "source": {"type": "string"},
                    "external_id": {"type": "string"},
                    "metadata": {"type": "string", "description": "A JSON object, as text."},
                },
            },
        },
    },
}

IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "required": False,
                   "schema": {"type": "string", "pattern": "^[!-~]{1,255}$"},
                   "description": "Retries with the same key and body return the first answer and do no "
                                  "work twice; the same key with another body is a 422."}



def _text_plain_parameters() -> list[dict]:
    """The article's fields as query parameters (with a text/plain body), converted from the JSON
    schema's fields so that both say the same."""
    plugin = MarshmallowPlugin()
    APISpec("parameters", "1", "3.0.3", plugins=[plugin])
    parameters = plugin.converter.schema2parameters(ArticleInSchema(only=FIELDS), location="query")
    for parameter in parameters:
        parameter["schema"] = {k: v for k, v in parameter["schema"].items() if k not in ("nullable", "default")}
        parameter["description"] = f"With a text/plain body: the article's `{parameter['name']}`."
    return parameters


TEXT_PLAIN_PARAMETERS = _text_plain_parameters() + [IDEMPOTENCY_KEY]

BATCH_REQUEST_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ArticleBatchIn"},
                                     "example": {"articles": [SUBMIT_EXAMPLE]}}},
}

_LINKS = {
    "self": f"/v1/articles/{_ARTICLE_ID}",
    "extractions": f"/v1/articles/{_ARTICLE_ID}/extractions",
    "latest_extraction": f"/v1/articles/{_ARTICLE_ID}/extractions/latest",
}

SUMMARY = {
    "id": _ARTICLE_ID, "title": SUBMIT_EXAMPLE["title"], "url": None, "published_at": "2024-10-16",
    "language": "de", "source": "example-news", "external_id": "news-4711", "metadata": {"section": "Ausland"},
    "text_length": len(SUBMIT_EXAMPLE["text"]), "text_sha256": "5d41402abc4b2a76b9719d911017c592" * 2,
    "status": "succeeded", "latest_version": 1, "created_at": "2024-10-16T08:00:00.000Z",
    "updated_at": "2024-10-16T08:00:03.000Z", "links": _LINKS,
}

ARTICLE = {**SUMMARY, "text": SUBMIT_EXAMPLE["text"]}

JOB = {
    "id": _JOB_ID, "article_id": _ARTICLE_ID, "status": "queued", "error": None, "attempts": 0,
    "extraction_version": None, "created_at": "2024-10-16T08:00:00.000Z", "started_at": None,
    "finished_at": None,
    "links": {"self": f"/v1/jobs/{_JOB_ID}", "article": f"/v1/articles/{_ARTICLE_ID}", "result": None},
}

ACCEPTED = {**ARTICLE, "status": "queued", "latest_version": None, "job": JOB}
BATCH_ACCEPTED = {"items": [ACCEPTED]}
PAGE = {"items": [SUMMARY], "next_cursor": "cDoxMg", "next": "/v1/articles?cursor=cDoxMg&limit=20"}

# OpenAPI links: how a client (and schemathesis) goes from a 202 to the resources it names.
ACCEPTED_LINKS = {
    "GetArticle": {"operationId": "get_article", "parameters": {"article_id": "$response.body#/id"}},
    "GetJob": {"operationId": "get_job", "parameters": {"job_id": "$response.body#/job/id"}},
    "ListExtractions": {"operationId": "list_extractions", "parameters": {"article_id": "$response.body#/id"}},
    "GetLatestExtraction": {"operationId": "get_extraction",
                            "parameters": {"article_id": "$response.body#/id", "version": "latest"}},
    "RerunExtraction": {"operationId": "rerun_extraction", "parameters": {"article_id": "$response.body#/id"}},
    "DeleteArticle": {"operationId": "delete_article", "parameters": {"article_id": "$response.body#/id"}},
}
