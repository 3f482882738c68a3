"""Actor registry schemas: the global actors and where they appear."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.resources.common import PageArgsSchema, Timestamp, page_schema
from service.resources.extractions.schemas import EVENT_TYPES
from service.resources.quotes.schemas import ActorRefSchema

KINDS = ("person", "organization", "state", "location", "group", "other")


class ActorListArgsSchema(PageArgsSchema):
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=200), metadata={
        "description": "Part of any spelling of the name, case- and accent-insensitive (\"belousov\")."})
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    country = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Za-z]{3}$"), metadata={
        "description": "ISO 3166-1 alpha-3 affiliation (\"RUS\")."})


class GlobalActorLinksSchema(ma.Schema):
    self = fields.String(required=True)
    quotes = fields.String(required=True, metadata={"description": "Its quotes: `/v1/quotes?actor=ID`."})
    events = fields.String(required=True, metadata={"description": "Its events: `/v1/events?actor=ID`."})
    relations = fields.String(required=True, metadata={"description": "The actors it is linked to."})


class GlobalActorSummarySchema(ma.Schema):
    """A global actor: the same person, organisation or state in every article."""

    id = fields.String(required=True, metadata={
        "description": "The global id; extraction documents carry it as `global_id` "
                       "(\"person:andrey-belousov\", \"state:RUS\", \"org:NATO\")."})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    name = fields.String(required=True, metadata={"description": "The fullest name seen."})
    names = fields.List(fields.String(), required=True, metadata={"description": "Every spelling seen."})
    roles = fields.List(fields.String(), required=True, metadata={"description": "Roles as written, first seen first."})
    country = fields.String(allow_none=True, required=True)
    created_at = Timestamp(required=True)
    updated_at = Timestamp(required=True)
    links = fields.Nested(GlobalActorLinksSchema, required=True)


class ActorAppearanceLinksSchema(ma.Schema):
    article = fields.String(required=True)
    extraction = fields.String(required=True)


class ActorAppearanceSchema(ma.Schema):
    """The actor in one extraction version of one article."""

    article_id = fields.String(required=True)
    version = fields.Integer(required=True)
    local_id = fields.String(required=True, metadata={"description": "The actor's `id` in that version (\"A1\")."})
    name = fields.String(required=True, metadata={"description": "The name that article gives."})
    mention_count = fields.Integer(required=True)
    quote_count = fields.Integer(required=True)
    event_count = fields.Integer(required=True)
    quotes = fields.List(fields.String(), required=True, metadata={
        "description": "Ids of the quotes it speaks or is addressed in (\"Q1\")."})
    events = fields.List(fields.String(), required=True, metadata={
        "description": "Ids of the events it is source, target or location of (\"E2\")."})
    links = fields.Nested(ActorAppearanceLinksSchema, required=True)


class GlobalActorSchema(GlobalActorSummarySchema):
    """A global actor with the articles, quotes and events it appears in."""

    article_count = fields.Integer(required=True)
    quote_count = fields.Integer(required=True, metadata={"description": "Quotes in the articles' newest versions."})
    event_count = fields.Integer(required=True, metadata={"description": "Events in the articles' newest versions."})
    appearances = fields.List(fields.Nested(ActorAppearanceSchema), required=True, metadata={
        "description": "Every stored version it appears in, newest first."})


GlobalActorPageSchema = page_schema("GlobalActorPage", GlobalActorSummarySchema, "Actors across articles.")


VIAS = ("event", "quote")
DIRECTIONS = ("outgoing", "incoming", "joint")


class RelationArgsSchema(ma.Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200), metadata={
        "description": "At most this many relations, the most frequent first (at most 200)."})
    via = fields.String(load_default=None, validate=validate.OneOf(VIAS), metadata={
        "description": "Only relations through events or only through quotes."})
    type = fields.String(load_default=None, validate=validate.OneOf(EVENT_TYPES), metadata={
        "description": "Only event relations of this PLOVER type."})


class RelationEvidenceLinksSchema(ma.Schema):
    extraction = fields.String(required=True)


class RelationEvidenceSchema(ma.Schema):
    """One event or quote that shows the relation."""

    article_id = fields.String(required=True)
    version = fields.Integer(required=True)
    item_id = fields.String(required=True, metadata={"description": "The event's or quote's id there (\"E7\", \"Q1\")."})
    published_at = fields.Date(allow_none=True, required=True)
    links = fields.Nested(RelationEvidenceLinksSchema, required=True)


class RelationLinksSchema(ma.Schema):
    items = fields.String(required=True, metadata={
        "description": "Quotes: exactly this relation's quotes. Events: the actor's events of this type (a "
                       "superset: the event list filters by one actor)."})


class RelationSchema(ma.Schema):
    """The actor and another one, linked through events of one type in one direction, or through quotes."""

    actor = fields.Nested(ActorRefSchema, required=True, metadata={"description": "The other actor."})
    via = fields.String(required=True, validate=validate.OneOf(VIAS))
    type = fields.String(allow_none=True, required=True, metadata={
        "description": "The PLOVER event type; null for quotes."})
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS), metadata={
        "description": "Events: `outgoing` the actor is a source and the other a target, `incoming` the reverse, "
                       "`joint` both are sources. Quotes: `outgoing` the actor speaks to the other, `incoming` "
                       "the other speaks to the actor."})
    count = fields.Integer(required=True, metadata={"description": "Distinct events or quotes."})
    first_published_at = fields.Date(allow_none=True, required=True, metadata={
        "description": "The earliest publication date of the articles they come from (not the event's time)."})
    last_published_at = fields.Date(allow_none=True, required=True)
    evidence = fields.List(fields.Nested(RelationEvidenceSchema), required=True, metadata={
        "description": "The newest (at most 5) of these events or quotes."})
    links = fields.Nested(RelationLinksSchema, required=True)


class ActorRelationsSchema(ma.Schema):
    """The actors linked to one actor in the tenant's articles (each article's latest extraction)."""

    actor = fields.Nested(ActorRefSchema, required=True)
    relations = fields.List(fields.Nested(RelationSchema), required=True)
    truncated = fields.Boolean(required=True, metadata={
        "description": "True when there are more relations than `limit`."})
