"""Extraction schemas: schema version 1 of the result contract (docs/extraction-schema.md)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.resources.common import PageArgsSchema, Timestamp, page_schema

ACTOR_KINDS = ("person", "organization", "state", "location", "group", "other")
EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
               "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


class OpenSchema(ma.Schema):
    """A part of the schema-v1 document: version 1 grows by adding fields, so clients (and this
    contract) must accept fields they do not know yet."""

    class Meta:
        unknown = ma.INCLUDE


class MentionSchema(OpenSchema):
    """A span of the article text: `text == article.text[start:end]`."""

    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


class ActorSchema(OpenSchema):
    id = fields.String(required=True, metadata={"example": "A1"})
    global_id = fields.String(allow_none=True, required=True)
    name = fields.String(required=True, metadata={"example": "Andrey Belousov"})
    kind = fields.String(required=True, validate=validate.OneOf(ACTOR_KINDS))
    named = fields.Boolean(metadata={
        "description": "False for a source named only by what it is (\"eine Armeesprecherin\", \"Diplomaten\"); "
                       "may be missing in extractions stored before it was added (read as true)."})
    roles = fields.List(fields.String(), required=True)
    country = fields.String(allow_none=True, required=True, metadata={"description": "ISO 3166-1 alpha-3."})
    mentions = fields.List(fields.Nested(MentionSchema), required=True)


class SpeakerSchema(OpenSchema):
    actor = fields.String(allow_none=True, required=True)
    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


class QuoteSchema(OpenSchema):
    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("direct", "indirect", "mixed")))
    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    speaker = fields.Nested(SpeakerSchema, allow_none=True, required=True)
    cue = fields.Nested(MentionSchema, allow_none=True, required=True)
    addressee = fields.String(allow_none=True, required=True)


class EventLocationSchema(OpenSchema):
    text = fields.String(required=True)
    actor = fields.String(allow_none=True, required=True)
    start = fields.Integer(metadata={"description": "Offset of the location phrase, when it is in the text."})
    end = fields.Integer()


class EventTimeSchema(OpenSchema):
    text = fields.String(required=True)
    value = fields.String(allow_none=True, required=True, metadata={
        "description": "2024-10-15 (day), 2024-W43 (week), 2024-10 (month), 2024-SU (season), 2024 (year)."})
    granularity = fields.String(allow_none=True, required=True, validate=validate.OneOf(
        ("day", "week", "month", "season", "year")))
    start = fields.Integer(metadata={"description": "Offset of the time expression, when it is in the text."})
    end = fields.Integer()


class EventSchema(OpenSchema):
    id = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    mode = fields.String(allow_none=True, required=True)
    trigger = fields.Nested(MentionSchema, required=True)
    evidence = fields.Nested(MentionSchema, required=True)
    mentions = fields.List(fields.Nested(MentionSchema), required=True)
    source = fields.List(fields.String(), required=True)
    target = fields.List(fields.String(), required=True)
    location = fields.Nested(EventLocationSchema, allow_none=True, required=True)
    time = fields.Nested(EventTimeSchema, allow_none=True, required=True)
    modality = fields.String(required=True, validate=validate.OneOf(
        ("asserted", "planned", "negated", "hypothetical")))
    confidence = fields.Float(required=True, validate=validate.Range(min=0, max=1))


class PipelineInfoSchema(OpenSchema):
    name = fields.String(required=True)
    version = fields.String(required=True)
    model = fields.String(required=True)


class ExtractionSchema(OpenSchema):
    """One immutable extraction version (schema version 1)."""

    schema_version = fields.String(required=True, metadata={"example": "1"})
    article_id = fields.String(required=True)
    version = fields.Integer(required=True)
    created_at = Timestamp(required=True)
    pipeline = fields.Nested(PipelineInfoSchema, required=True)
    language = fields.String(required=True)
    published_at = fields.Date(allow_none=True, required=True)
    actors = fields.List(fields.Nested(ActorSchema), required=True)
    events = fields.List(fields.Nested(EventSchema), required=True)
    quotes = fields.List(fields.Nested(QuoteSchema), required=True)


class ExtractionCountsSchema(ma.Schema):
    actors = fields.Integer(required=True)
    events = fields.Integer(required=True)
    quotes = fields.Integer(required=True)


class ExtractionSummarySchema(ma.Schema):
    """A version as listed: its number, when and by what it was made, and its size."""

    version = fields.Integer(required=True)
    created_at = Timestamp(required=True)
    job_id = fields.String(required=True)
    pipeline = fields.Nested(PipelineInfoSchema, required=True)
    counts = fields.Nested(ExtractionCountsSchema, required=True)
    etag = fields.String(required=True)
    link = fields.String(required=True)


ExtractionPageSchema = page_schema("ExtractionPage", ExtractionSummarySchema, "Extraction versions, newest first.")


ExtractionListArgsSchema = PageArgsSchema
