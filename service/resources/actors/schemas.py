"""Actor registry schemas: the global actors and where they appear."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.resources.common import PageArgsSchema, Timestamp, page_schema

KINDS = ("person", "organization", "state", "location", "group", "other")


class ActorListArgsSchema(PageArgsSchema):
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=200), metadata={
        "description": "Part of any spelling of the name, case- and accent-insensitive (\"belousov\")."})
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    country = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Za-z]{3}$"), metadata={
        "description": "ISO 3166-1 alpha-3 affiliation (\"RUS\")."})


class GlobalActorLinksSchema(ma.Schema):
    self = fields.String(required=True)


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
