"""Event schemas: the filters of `GET /v1/events` and the events it lists."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.resources.common import PageArgsSchema, feature_collection_schema, page_schema
from service.resources.extractions.schemas import EVENT_TYPES, EventSchema

MODALITIES = ("asserted", "planned", "negated", "hypothetical")


class EventListArgsSchema(PageArgsSchema):
    type = fields.String(load_default=None, validate=validate.OneOf(EVENT_TYPES),
                         metadata={"description": "PLOVER event type."})
    actor = fields.String(load_default=None, validate=validate.Length(min=1, max=200), metadata={
        "description": "Global actor id (an actor's `global_id`): events with it as source or target."})
    country = fields.String(load_default=None, validate=validate.Regexp(
        r"^[A-Za-z]{3}$", error="An ISO 3166-1 alpha-3 code such as RUS."), metadata={
        "description": "ISO 3166-1 alpha-3: events with a source, target or place of that country."})
    date_from = fields.Date(load_default=None, data_key="from", metadata={
        "description": "Events whose time overlaps the range starting this day (events without a time "
                       "are left out when a range is given)."})
    date_to = fields.Date(load_default=None, data_key="to", metadata={
        "description": "Events whose time overlaps the range ending this day."})
    modality = fields.String(load_default=None, validate=validate.OneOf(MODALITIES))
    story = fields.String(load_default=None, validate=validate.Length(min=1, max=32), metadata={
        "description": "A story id: the events that report it."})


class EventParticipantSchema(ma.Schema):
    role = fields.String(required=True, validate=validate.OneOf(("source", "target", "location")))
    actor = fields.String(required=True, metadata={"description": "The actor's id in the extraction (A1)."})
    global_id = fields.String(allow_none=True, required=True)
    name = fields.String(allow_none=True, required=True)
    country = fields.String(allow_none=True, required=True)


class EventLinksSchema(ma.Schema):
    article = fields.String(required=True)
    extraction = fields.String(required=True)
    story = fields.String(allow_none=True, metadata={"description": "The story it belongs to."})


class IndexedEventSchema(ma.Schema):
    """An event of an article's latest extraction, with its article and resolved participants."""

    article_id = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "The extraction version it comes from."})
    published_at = fields.Date(allow_none=True, required=True)
    event = fields.Nested(EventSchema, required=True)
    story_id = fields.String(allow_none=True, required=True, metadata={
        "description": "The story (/v1/stories) this event reports, with the events of other articles "
                       "that report the same happening."})
    participants = fields.List(fields.Nested(EventParticipantSchema), required=True)
    links = fields.Nested(EventLinksSchema, required=True)


EventPageSchema = page_schema("EventPage", IndexedEventSchema, "Events across articles.")


class EventActorRefSchema(ma.Schema):
    id = fields.String(allow_none=True, required=True, metadata={"description": "Global actor id."})
    name = fields.String(allow_none=True, required=True)


class EventFeaturePropertiesSchema(ma.Schema):
    article_id = fields.String(required=True)
    version = fields.Integer(required=True)
    published_at = fields.Date(allow_none=True, required=True)
    event_id = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    mode = fields.String(allow_none=True, required=True)
    modality = fields.String(required=True, validate=validate.OneOf(MODALITIES))
    time = fields.String(allow_none=True, required=True, metadata={"description": "The normalised time value."})
    location = fields.String(required=True, metadata={"description": "The place as the article writes it."})
    place = fields.String(required=True, metadata={"description": "The town or state the point stands for."})
    precision = fields.String(required=True, validate=validate.OneOf(("city", "country")), metadata={
        "description": "`city`: a town's coordinates (GeoNames); `country`: a state's representative point."})
    sources = fields.List(fields.Nested(EventActorRefSchema), required=True)
    targets = fields.List(fields.Nested(EventActorRefSchema), required=True)
    links = fields.Nested(EventLinksSchema, required=True)


EventFeatureCollectionSchema = feature_collection_schema(
    "EventFeatureCollection", EventFeaturePropertiesSchema,
    "Events whose place resolves to coordinates, as an RFC 7946 FeatureCollection (all pages).")
