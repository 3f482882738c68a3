"""Article schemas: what clients submit and what they get back."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.resources.common import (
    METADATA_MAX_BYTES, METADATA_MAX_DEPTH, DateOrTimestamp, PageArgsSchema, SafeString, Timestamp,
    check_storable, http_url, not_blank, page_schema,
)
from service.resources.jobs.schemas import JobSchema

STATUS = ("queued", "running", "succeeded", "failed")


class ArticleInSchema(ma.Schema):
    """An article to extract from. Only `text` is required."""

    class Meta:
        unknown = ma.RAISE

    text = SafeString(required=True, validate=not_blank(), metadata={
        "description": "The article text, exactly as it should be analysed (UTF-8, at most "
                       "LAGEBILD_MAX_TEXT_BYTES bytes). Offsets in results index this text."})
    title = SafeString(load_default=None, allow_none=True, validate=validate.Length(max=1000))
    url = SafeString(load_default=None, allow_none=True, validate=http_url())
    published_at = DateOrTimestamp(load_default=None, allow_none=True, metadata={
        "description": "Publication date; anchors relative dates (\"am Dienstag\"). "
                       "An RFC 3339 timestamp is accepted and reduced to its UTC date."})
    language = fields.String(load_default="de", validate=validate.Regexp(
        r"^de(?:[-_][A-Za-z]{2})?$", error="Only German ('de', 'de-AT', …) is supported."))
    source = SafeString(load_default=None, allow_none=True, validate=validate.Length(max=200))
    external_id = SafeString(load_default=None, allow_none=True, validate=validate.Length(max=200),
                             metadata={"description": "The client's own id of the article."})
    metadata = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": f"Free JSON object stored with the article and returned as is: at most "
                       f"{METADATA_MAX_BYTES} bytes as JSON, nested at most {METADATA_MAX_DEPTH} levels. "
                       "Lists of articles include it only when asked (`include_metadata=true`)."})

    @ma.validates("metadata")
    def _metadata_storable(self, value, **_kwargs):
        check_storable(value)


class BatchInSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    articles = fields.List(fields.Nested(ArticleInSchema), required=True,
                           validate=validate.Length(min=1, max=100),
                           metadata={"description": "1 to 100 articles; all are accepted or none."})


class ArticleLinksSchema(ma.Schema):
    self = fields.String(required=True)
    extractions = fields.String(required=True)
    latest_extraction = fields.String(required=True)


class ArticleSummarySchema(ma.Schema):
    """An article without its text, as listed in collections."""

    id = fields.String(required=True)
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    published_at = fields.Date(allow_none=True)
    language = fields.String(required=True)
    source = fields.String(allow_none=True)
    external_id = fields.String(allow_none=True)
    metadata = fields.Dict(attribute="meta", metadata={
        "description": "As submitted; in lists only with `include_metadata=true`."})
    text_length = fields.Integer(required=True, metadata={"description": "Characters in the text."})
    text_sha256 = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUS), metadata={
        "description": "Status of the article's newest extraction job."})
    latest_version = fields.Integer(allow_none=True, metadata={
        "description": "Newest extraction version, null until the first one is stored."})
    created_at = Timestamp(required=True)
    updated_at = Timestamp(required=True)
    links = fields.Nested(ArticleLinksSchema, required=True)


class ArticleSchema(ArticleSummarySchema):
    """An article with its text as submitted."""

    text = fields.String(required=True)


class ArticleAcceptedSchema(ArticleSchema):
    """An accepted article and the job that extracts it."""

    job = fields.Nested(JobSchema, required=True)


class BatchAcceptedSchema(ma.Schema):
    items = fields.List(fields.Nested(ArticleAcceptedSchema), required=True)


class ArticleListArgsSchema(PageArgsSchema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUS))
    published_after = fields.Date(load_default=None, metadata={"description": "Published on or after."})
    published_before = fields.Date(load_default=None, metadata={"description": "Published on or before."})
    external_id = fields.String(load_default=None, validate=validate.Length(max=200))
    include_metadata = fields.Boolean(load_default=False, metadata={
        "description": "Include each article's metadata (up to 64 KB each; left out by default)."})


ArticlePageSchema = page_schema("ArticlePage", ArticleSummarySchema, "Articles, newest first.")
