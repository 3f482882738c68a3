"""Reading a submitted article from JSON, a text/plain body or a multipart file upload."""
from __future__ import annotations

import json

import marshmallow as ma
from flask import Request

from lagebild_core import domain
from service.resources.articles.schemas import ArticleInSchema, BatchInSchema
from service.resources.common import flatten_messages

FIELDS = ("title", "url", "published_at", "language", "source", "external_id")


# one instance each: building a schema deep-copies its fields (a large share of a POST's time)
_ARTICLE_IN, _BATCH_IN, _QUERY_IN = ArticleInSchema(), BatchInSchema(), ArticleInSchema(only=FIELDS)


def read_article(request: Request, max_text_bytes: int) -> domain.NewArticle:
    """Return the article in the request body, or raise the domain error that explains why not."""
    query = _query_fields(request)
    mimetype = request.mimetype
    if mimetype == "application/json" or mimetype.endswith("+json"):
        payload = _json_body(request)
        if not isinstance(payload, dict):
            raise domain.Invalid("The body must be a JSON object.", [{"field": "", "message": "Expected an object."}])
        data = {**query, **payload}
    elif mimetype == "text/plain":
        data = {**_fields_from(request.args), "text": _decode(request.get_data(), request.mimetype_params)}
    elif mimetype == "multipart/form-data":
        data = _multipart(request)
    else:
        raise domain.UnsupportedMediaType(
            f"Cannot read a body of type '{mimetype or 'none'}'; send application/json, "
            "text/plain or multipart/form-data (field 'file').")
    return _load(_ARTICLE_IN, data, max_text_bytes)


def read_batch(request: Request, max_text_bytes: int, batch_limit: int) -> list[domain.NewArticle]:
    """Return the articles of a batch request (JSON `{"articles": [...]}`), all valid or none."""
    if request.mimetype != "application/json":
        raise domain.UnsupportedMediaType("A batch is a JSON object: {\"articles\": [...]}.")
    payload = _json_body(request)
    articles = payload.get("articles") if isinstance(payload, dict) else payload  # a bare list too
    if isinstance(articles, list) and len(articles) > batch_limit:
        raise domain.Invalid(f"A batch holds at most {batch_limit} articles; this one has "
                             f"{len(articles)}.",
                             [{"field": "articles", "message": f"At most {batch_limit} articles."}])
    try:
        loaded = _BATCH_IN.load(payload if isinstance(payload, dict) else {"articles": payload})
    except ma.ValidationError as error:
        raise _invalid(error) from None
    for number, item in enumerate(loaded["articles"]):
        _check_size(item["text"], max_text_bytes, f"articles[{number}].text")
    return [domain.NewArticle(**item) for item in loaded["articles"]]


def _load(schema: ma.Schema, data: dict, max_text_bytes: int) -> domain.NewArticle:
    if isinstance(data.get("text"), str):
        _check_size(data["text"], max_text_bytes, "text")
    try:
        loaded = schema.load(data)
    except ma.ValidationError as error:
        raise _invalid(error) from None
    return domain.NewArticle(**loaded)


def _check_size(text: str, limit: int, field: str) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise domain.TooLarge(f"{field} has {size} bytes; at most {limit} are accepted.")


def _json_body(request: Request):
    raw = request.get_data()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise domain.Malformed(f"The body is not valid UTF-8 (byte {error.start}).") from None
    if not text.strip():
        raise domain.Malformed("The body is empty; expected a JSON object.")
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise domain.Malformed(f"The body is not valid JSON: {error}.") from None


def _decode(raw: bytes, params: dict) -> str:
    charset = params.get("charset", "utf-8")
    try:
        return raw.decode(charset)
    except LookupError:
        raise domain.UnsupportedMediaType(f"Unknown charset '{charset}'.") from None
    except UnicodeDecodeError as error:
        raise domain.Malformed(f"The body is not valid {charset} (byte {error.start}).") from None


def _query_fields(request: Request) -> dict:
    """The article fields given as query parameters, checked whatever the body: they are part of
    the operation's contract even where the body overrides them."""
    query = {name: request.args[name] for name in FIELDS if name in request.args}
    errors = _QUERY_IN.validate(query) if query else None  # none of FIELDS is required
    if errors:
        raise _invalid(ma.ValidationError(errors))
    return query


def _fields_from(form) -> dict:
    data = {k: form.get(k) for k in FIELDS if form.get(k) not in (None, "")}
    if form.get("metadata"):
        try:
            data["metadata"] = json.loads(form["metadata"])
        except json.JSONDecodeError as error:
            raise domain.Invalid("metadata is not a JSON object.",
                                 [{"field": "metadata", "message": f"Not valid JSON: {error}."}]) from None
        except RecursionError:  # nested deeper than the parser goes
            raise domain.Invalid("metadata is nested too deeply.",
                                 [{"field": "metadata", "message": "Nested too deeply."}]) from None
    return data


def _multipart(request: Request) -> dict:
    upload = request.files.get("file")
    if upload is None:
        raise domain.Invalid("A multipart upload needs the article in the field 'file'.",
                             [{"field": "file", "message": "Missing file."}])
    try:
        text = _decode(upload.read(), upload.mimetype_params)
    except domain.Malformed as error:
        raise domain.Invalid(f"The uploaded file is not text: {error}",
                             [{"field": "file", "message": "Not UTF-8 text."}]) from None
    return {**_fields_from(request.form), "text": text}


def _invalid(error: ma.ValidationError) -> domain.Invalid:
    errors = list(flatten_messages(error.messages))
    summary = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors[:5])
    return domain.Invalid(f"The article is invalid: {summary}", errors)
