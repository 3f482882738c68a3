"""Story schemas: the filters of `GET /v1/stories` and the stories it lists."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.resources.common import PageArgsSchema, Timestamp, feature_collection_schema, page_schema
from service.resources.events.schemas import MODALITIES, EventActorRefSchema
from service.resources.extractions.schemas import (
    EVENT_TYPES,
    EventTimeSchema,
    MentionSchema,
)


class StoryListArgsSchema(PageArgsSchema):
    type = fields.String(load_default=None, validate=validate.OneOf(EVENT_TYPES),
                         metadata={"description": "PLOVER event type."})
    actor = fields.String(load_default=None, validate=validate.Length(min=1, max=64), metadata={
        "description": "Global actor id: stories with it among the participants (a source or target of a report)."})
    date_from = fields.Date(load_default=None, data_key="from", metadata={
        "description": "Stories whose time overlaps the range starting this day (stories without a time "
                       "are left out when a range is given)."})
    date_to = fields.Date(load_default=None, data_key="to", metadata={
        "description": "Stories whose time overlaps the range ending this day."})
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=200), metadata={
        "description": "Part of a participant's or the place's name or of a report's evidence sentence, "
                       "case- and accent-insensitive (\"belousov\", \"peking\")."})


class StoryActorSchema(ma.Schema):
    """A global actor (see /v1/actors)."""

    global_id = fields.String(required=True)
    name = fields.String(allow_none=True, required=True)
    country = fields.String(allow_none=True, required=True)


class StoryPlaceSchema(ma.Schema):
    """The place, a global actor of kind location or state."""

    global_id = fields.String(required=True)
    name = fields.String(allow_none=True, required=True)


class StoryTimeSchema(ma.Schema):
    """The narrowest time all reports agree with: the days common to every report's time."""

    value = fields.String(allow_none=True, required=True, metadata={
        "description": "The time value of the report that names exactly these days (2024-10-15), else null."})
    granularity = fields.String(allow_none=True, required=True)
    start = fields.Date(required=True, metadata={"description": "First day."})
    end = fields.Date(required=True, metadata={"description": "Last day."})


class StoryReportLinksSchema(ma.Schema):
    article = fields.String(required=True)
    extraction = fields.String(required=True)


class StoryReportSchema(ma.Schema):
    """One event of one article's latest extraction that reports the story's happening."""

    article_id = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "The extraction version it comes from."})
    event_id = fields.String(required=True, metadata={"description": "The event's id in that version (\"E3\")."})
    published_at = fields.Date(allow_none=True, required=True)
    mode = fields.String(allow_none=True, required=True)
    modality = fields.String(required=True, validate=validate.OneOf(MODALITIES))
    time = fields.Nested(EventTimeSchema, allow_none=True, required=True)
    evidence = fields.Nested(MentionSchema, required=True, metadata={"description": "The sentence that states it."})
    links = fields.Nested(StoryReportLinksSchema, required=True)


class StoryLinksSchema(ma.Schema):
    self = fields.String(required=True)
    events = fields.String(required=True, metadata={"description": "Its events in /v1/events."})


class StorySchema(ma.Schema):
    """One happening, however many articles report it (the rule: docs/extraction-schema.md, Stories)."""

    id = fields.String(required=True, metadata={
        "description": "Derived from the story's first report: it changes when an earlier report joins or "
                       "the first one leaves (the old id then answers 404)."})
    type = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    mode = fields.String(allow_none=True, required=True, metadata={"description": "The reports' most frequent mode."})
    participants = fields.List(fields.Nested(StoryActorSchema), required=True, metadata={
        "description": "Sources and targets of the reports, as global actors, first report first."})
    place = fields.Nested(StoryPlaceSchema, allow_none=True, required=True, metadata={
        "description": "Where it happened, as the reports that name a place name it; null when none does."})
    time = fields.Nested(StoryTimeSchema, allow_none=True, required=True)
    first_report = fields.Date(allow_none=True, required=True, metadata={"description": "Earliest publication date."})
    last_report = fields.Date(allow_none=True, required=True, metadata={"description": "Latest publication date."})
    report_count = fields.Integer(required=True)
    article_count = fields.Integer(required=True)
    reports = fields.List(fields.Nested(StoryReportSchema), required=True, metadata={
        "description": "Every event that belongs to it, first report first."})
    updated_at = Timestamp(required=True)
    links = fields.Nested(StoryLinksSchema, required=True)


StoryPageSchema = page_schema("StoryPage", StorySchema, "Stories across articles.")


class StoryFeaturePropertiesSchema(ma.Schema):
    story_id = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    mode = fields.String(allow_none=True, required=True)
    time = fields.String(allow_none=True, required=True, metadata={"description": "The story's normalised time value."})
    place = fields.String(required=True, metadata={"description": "The town or state the point stands for."})
    precision = fields.String(required=True, validate=validate.OneOf(("city", "country")))
    participants = fields.List(fields.Nested(EventActorRefSchema), required=True)
    first_report = fields.Date(allow_none=True, required=True)
    last_report = fields.Date(allow_none=True, required=True)
    report_count = fields.Integer(required=True)
    links = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


StoryFeatureCollectionSchema = feature_collection_schema(
    "StoryFeatureCollection", StoryFeaturePropertiesSchema,
    "Stories whose place resolves to coordinates, as an RFC 7946 FeatureCollection (all pages).")
