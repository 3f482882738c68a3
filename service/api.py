"""The flask-smorest Api, documenting errors as problem+json and naming every operation."""
from __future__ import annotations

import flask_smorest

from service.resources.common import PROBLEM_EXAMPLES, ProblemSchema

PROBLEM = "application/problem+json"
SECURITY_SCHEME = "bearerAuth"
SECURITY = [{SECURITY_SCHEME: []}]  # the document's default; open operations say `security: []`
_SECONDS = {"type": "integer", "minimum": 0}
PROBLEM_HEADERS = {
    401: {"WWW-Authenticate": {"description": "`Bearer realm=\"lagebild\"` (RFC 6750).", "schema": {"type": "string"}}},
    403: {"WWW-Authenticate": {"description": "`Bearer … error=\"insufficient_scope\"`.", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds until the budget allows the request.", "schema": _SECONDS},
          "RateLimit-Limit": {"description": "Requests in the key's budget (read or write).", "schema": _SECONDS},
          "RateLimit-Remaining": {"description": "Requests left in the window.", "schema": _SECONDS},
          "RateLimit-Reset": {"description": "Seconds until the window frees a request.", "schema": _SECONDS}},
    503: {"Retry-After": {"description": "Seconds to wait before retrying.", "schema": _SECONDS}},
}


class Api(flask_smorest.Api):
    """flask-smorest's Api with RFC 9457 problem responses as the documented error shape."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = "UnexpectedError"

    def _register_responses(self):
        # Schemas referenced only from hand-written parts of the spec are registered here.
        from service.resources.articles.schemas import ArticleInSchema, BatchInSchema
        from service.resources.webhooks.schemas import EVENT_SCHEMAS
        for name, schema in (("Problem", ProblemSchema), ("ArticleIn", ArticleInSchema),
                             ("ArticleBatchIn", BatchInSchema), *EVENT_SCHEMAS.values()):
            self.spec.components.schema(name, schema=schema)
        for status, (name, description) in PROBLEM_EXAMPLES.items():
            self.spec.components.response(name, {
                "description": description["title"],
                "content": {PROBLEM: {"schema": "Problem", "example": description}},
                **({"headers": PROBLEM_HEADERS[status]} if status in PROBLEM_HEADERS else {}),
            })
        self.spec.components.security_scheme(SECURITY_SCHEME, {
            "type": "http", "scheme": "bearer",
            "description": "An API key (`lagebild keys create --tenant NAME`), sent as "
                           "`Authorization: Bearer <key>`. Every `/v1/` operation needs one; a key "
                           "sees only its tenant's articles, jobs, extractions, actors, events and stories."})
        self.spec.components.response("UnexpectedError", {
            "description": "Unexpected error",
            "content": {PROBLEM: {"schema": "Problem"}},
        })

    def handle_http_exception(self, error):  # errors.init_app registers the real handler
        from service.errors import handle_http_exception
        return handle_http_exception(error)


def documented(view, decorator):
    """Return `view` itself, carrying the documentation that `decorator` (flask-smorest's `doc` or
    `alt_response`) adds. Those decorators wrap the view in a function that only calls it through
    `current_app.ensure_sync`: a keyed read passed seven such layers (/healthz two), each a proxy
    look-up and a coroutine check per request, for documentation that is read once, at start."""
    view._apidoc = decorator(view)._apidoc
    return view


def problems(blp: flask_smorest.Blueprint, *statuses: int):
    """Decorator documenting the problem responses an operation can give."""
    def decorate(view):
        for status in statuses:
            view = documented(view, blp.alt_response(status, response=PROBLEM_EXAMPLES[status][0]))
        return view
    return decorate


def alternative(blp: flask_smorest.Blueprint, status: int, **doc):
    """Decorator documenting another answer of an operation (`blp.alt_response`'s arguments)."""
    return lambda view: documented(view, blp.alt_response(status, **doc))


def operation(blp: flask_smorest.Blueprint, operation_id: str, summary: str, *, public: bool = False, **doc):
    """Decorator giving an operation its operationId and summary (generated SDKs name methods by
    them); operations need an API key (documented 401) unless `public`."""
    def decorate(view):
        if public:
            return documented(view, blp.doc(operationId=operation_id, summary=summary, security=[], **doc))
        return problems(blp, 401, 429)(documented(view, blp.doc(operationId=operation_id, summary=summary, **doc)))
    return decorate


api = Api(spec_kwargs={"openapi_version": "3.0.3"})
