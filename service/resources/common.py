"""Schemas and helpers shared by the resources: problems, pagination, response headers."""
from __future__ import annotations

import datetime as dt
import json
import math
import re

import marshmallow as ma
from marshmallow import fields, validate

from lagebild_core.exceptions import PROBLEM_TYPE_BASE
from lagebild_core.pagination import CURSOR_PATTERN

_BAD_CHARACTERS = re.compile(r"[\x00\ud800-\udfff]")


class SafeString(fields.String):
    """A string that can be stored anywhere: no NUL characters, no lone surrogates."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if _BAD_CHARACTERS.search(text):
            raise ma.ValidationError("Contains a NUL character or an invalid Unicode code point.")
        return text


# Whitespace as both Python (str.isspace) and ECMAScript (\\s) know it, spelled out so that a pattern
# means the same to this server, to schemathesis and to a client's JSON Schema validator.
_SPACE = r"\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = f"^[{_SPACE}]*[^{_SPACE}]"  # a visible character after any spaces
HTTP_URL = f"^https?://[^{_SPACE}/?#]+[^{_SPACE}]*$"


def not_blank(error: str = "The text is empty or only whitespace.") -> validate.Regexp:
    """A validator (and the contract's `pattern`) for a string with at least one visible character."""
    return validate.Regexp(NOT_BLANK, error=error)


def http_url(max_length: int = 2048) -> list:
    """Validators (and the contract's `pattern`) for an http(s) URL that is stored, never fetched:
    a scheme, a host, then anything without spaces."""
    return [validate.Regexp(HTTP_URL, error="Not an http(s) URL."), validate.Length(max=max_length)]


METADATA_MAX_DEPTH = 20
METADATA_MAX_BYTES = 65_536


def check_storable(value, path: str = "metadata") -> None:
    """Raise ValidationError when a JSON value cannot be stored and read back: a string with a NUL
    or a lone surrogate, NaN or ±Infinity (Python's parser accepts them, JSON and PostgreSQL do
    not), nesting deeper than METADATA_MAX_DEPTH (the JSON writers and readers of the API, the
    database driver and the worker recurse once per level) or more than METADATA_MAX_BYTES.

    Walks with an explicit stack: a recursive check would itself fail on deep nesting."""
    stack = [(value, path, 0)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, str):
            if _BAD_CHARACTERS.search(item):
                raise ma.ValidationError(f"{where}: contains a NUL character or an invalid code point.")
        elif isinstance(item, float) and not math.isfinite(item):
            raise ma.ValidationError(f"{where}: {item} is not a JSON number.")
        elif isinstance(item, (dict, list)):
            if depth >= METADATA_MAX_DEPTH:
                raise ma.ValidationError(f"{where}: nested deeper than {METADATA_MAX_DEPTH} levels.")
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(key, str):
                    stack.append((key, where, depth + 1))
                stack.append((child, f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}", depth + 1))
    size = len(json.dumps(value, ensure_ascii=False).encode("utf-8"))
    if size > METADATA_MAX_BYTES:
        raise ma.ValidationError(f"{path}: {size} bytes as JSON; at most {METADATA_MAX_BYTES} are accepted.")


class DateOrTimestamp(fields.Date):
    """A date `YYYY-MM-DD`; an RFC 3339 timestamp is accepted too and reduced to its date."""

    default_error_messages = {"invalid": "Not a valid date: use YYYY-MM-DD (or an RFC 3339 timestamp)."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not value.strip():
            raise self.make_error("invalid")
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value)
            moment = dt.datetime.fromisoformat(value.replace("z", "Z"))
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.timezone.utc)
            return moment.date()
        except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 moved across UTC
            raise self.make_error("invalid") from None


class Timestamp(fields.DateTime):
    """An RFC 3339 UTC timestamp with milliseconds: 2024-10-16T08:00:00.000Z."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FieldErrorSchema(ma.Schema):
    field = fields.String(required=True, metadata={"example": "text"})
    message = fields.String(required=True, metadata={"example": "The text is empty."})


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"description": "URI identifying the problem type."})
    title = fields.String(required=True, metadata={"description": "Short summary of the problem type."})
    status = fields.Integer(required=True, metadata={"description": "HTTP status code."})
    detail = fields.String(required=True, metadata={"description": "What went wrong with this request."})
    instance = fields.String(allow_none=True, metadata={"description": "The request path."})
    errors = fields.List(fields.Nested(FieldErrorSchema), metadata={
        "description": "For validation errors: one entry per invalid field."})


def _problem(status: int, slug: str, title: str, detail: str, **extra) -> dict:
    return {"type": PROBLEM_TYPE_BASE + slug, "title": title, "status": status,
            "detail": detail, "instance": "/v1/articles", **extra}


# status -> (component name, example)
PROBLEM_EXAMPLES: dict[int, tuple[str, dict]] = {
    400: ("BadRequest", _problem(400, "malformed-request", "The request body cannot be read",
                                 "The body is not valid JSON: Expecting value (line 1, column 1).")),
    401: ("Unauthorized", _problem(401, "unauthorized", "Authentication required",
                                   "Send an API key as 'Authorization: Bearer <key>' (create one with "
                                   "`lagebild keys create --tenant NAME`).")),
    403: ("Forbidden", _problem(403, "forbidden", "Not allowed with this key",
                                "The key 3f9a0c1d2e4b5a6f is read-only; POST needs a key with the 'write' scope.")),
    404: ("NotFound", _problem(404, "not-found", "Not found", "There is no article with id '0f3c…'.")),
    406: ("NotAcceptable", _problem(406, "not-acceptable", "Not Acceptable",
                                    "This resource is available as application/json, text/csv; the Accept "
                                    "header (application/xml) takes none of them.")),
    409: ("NotReady", _problem(409, "not-ready", "Not ready yet",
                               "Article '0f3c…' has no extraction yet (its job is queued); poll the job "
                               "in Operation-Location.")),
    413: ("PayloadTooLarge", _problem(413, "payload-too-large", "Payload too large",
                                      "The text has 1200000 bytes; at most 1000000 are accepted.")),
    415: ("UnsupportedMediaType", _problem(415, "unsupported-media-type", "Unsupported media type",
                                           "Send application/json, text/plain or multipart/form-data.")),
    422: ("UnprocessableContent", _problem(422, "validation-error", "The request is invalid",
                                           "The text is empty.",
                                           errors=[{"field": "text", "message": "The text is empty."}])),
    429: ("TooManyRequests", _problem(429, "too-many-requests", "Too many requests",
                                      "This key's write budget (120 per 1 minute) is used up; retry in 12 s.")),
    503: ("ServiceUnavailable", _problem(503, "service-unavailable", "A dependency is unavailable",
                                         "The database does not answer.")),
}


class PageArgsSchema(ma.Schema):
    """Cursor pagination: `limit` items after `cursor` (the `next_cursor` of the page before)."""

    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100),
                           metadata={"description": "Items per page (at most 100)."})
    cursor = fields.String(load_default=None, validate=validate.Regexp(CURSOR_PATTERN),
                           metadata={"description": "Opaque cursor from the previous page's `next_cursor`."})


class PointSchema(ma.Schema):
    type = fields.String(required=True, validate=validate.Equal("Point"))
    coordinates = fields.List(fields.Float(), required=True, validate=validate.Length(equal=2), metadata={
        "description": "[longitude, latitude] (RFC 7946 order), WGS 84."})


def feature_collection_schema(name: str, properties_schema: type[ma.Schema], description: str) -> type[ma.Schema]:
    """An RFC 7946 FeatureCollection of points with `properties_schema`, named `name` in the
    contract (its features `<name without "Collection">`)."""
    feature = type(f"{name.replace('Collection', '')}Schema", (ma.Schema,), {
        "type": fields.String(required=True, validate=validate.Equal("Feature")),
        "geometry": fields.Nested(PointSchema, required=True),
        "properties": fields.Nested(properties_schema, required=True),
    })
    return type(f"{name}Schema", (ma.Schema,), {
        "__doc__": description,
        "type": fields.String(required=True, validate=validate.Equal("FeatureCollection")),
        "features": fields.List(fields.Nested(feature), required=True),
    })


def page_schema(name: str, item_schema: type[ma.Schema], description: str) -> type[ma.Schema]:
    """A cursor page of `item_schema`, named `name` in the contract (components drop "Schema")."""
    return type(f"{name}Schema", (ma.Schema,), {
        "__doc__": description,
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": fields.String(allow_none=True, required=True, metadata={
            "description": "Cursor of the next page; null on the last page."}),
        "next": fields.String(allow_none=True, required=True, metadata={"description": "URL of the next page."}),
    })


LOCATION_HEADERS = {
    "Location": {"description": "URL of the article.", "schema": {"type": "string"}},
    "Operation-Location": {"description": "URL of the job status monitor.", "schema": {"type": "string"}},
    "Retry-After": {"description": "Seconds to wait before polling the job.", "schema": {"type": "integer"}},
}
ETAG_HEADERS = {
    "ETag": {"description": "Strong entity tag of this representation.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "Caching policy.", "schema": {"type": "string"}},
}


def flatten_messages(messages, prefix: str = ""):
    """Yield marshmallow/webargs error messages as `{field, message}` items with dotted paths."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":
                yield from flatten_messages(value, prefix)
            else:
                name = f"{prefix}[{key}]" if isinstance(key, int) else f"{prefix}.{key}" if prefix else str(key)
                yield from flatten_messages(value, name)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        for message in messages:
            yield {"field": prefix, "message": message}
    elif isinstance(messages, list):
        for number, value in enumerate(messages):
            yield from flatten_messages(value, f"{prefix}[{number}]")
    else:
        yield {"field": prefix, "message": str(messages)}
