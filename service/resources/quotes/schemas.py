"""Quote schemas: the filters of `GET /v1/quotes` and the quotes it lists."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from lagebild_core.quotes import KINDS
from service.resources.common import PageArgsSchema, page_schema

GLOBAL_ID = validate.Length(min=1, max=200)


class QuoteListArgsSchema(PageArgsSchema):
    actor = fields.String(load_default=None, validate=GLOBAL_ID, metadata={
        "description": "Global actor id of the speaker (`GET /v1/actors/{id}` links here)."})
    addressee = fields.String(load_default=None, validate=GLOBAL_ID, metadata={
        "description": "Global actor id of the actor spoken to."})
    speaker = fields.String(load_default=None, validate=validate.Length(min=1, max=200), metadata={
        "description": "Part of any spelling of the speaker's name (every spelling the articles used for that "
                       "actor), case- and accent-insensitive (\"beloussow\")."})
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=200), metadata={
        "description": "Part of the quote's text, case- and accent-insensitive."})
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    date_from = fields.Date(load_default=None, data_key="from", metadata={
        "description": "Quotes of articles published on or after this day (articles without a date are left "
                       "out when a range is given)."})
    date_to = fields.Date(load_default=None, data_key="to", metadata={
        "description": "Quotes of articles published on or before this day."})
    article = fields.String(load_default=None, validate=validate.Regexp(r"^[0-9a-f]{32}$"), metadata={
        "description": "The quotes of one article (its id)."})


class ActorRefSchema(ma.Schema):
    """A global actor by id and its registry name."""

    id = fields.String(required=True, metadata={"description": "The global id (`GET /v1/actors/{id}`)."})
    name = fields.String(allow_none=True, required=True, metadata={"description": "The registry's fullest name."})


class QuoteSpeakerSchema(ma.Schema):
    text = fields.String(required=True, metadata={
        "description": "The words that name the speaker at this quote (may be a pronoun or a role)."})
    actor = fields.Nested(ActorRefSchema, allow_none=True, required=True, metadata={
        "description": "The global actor they stand for, or null when they resolve to none."})


class QuoteLinksSchema(ma.Schema):
    article = fields.String(required=True)
    extraction = fields.String(required=True)


class IndexedQuoteSchema(ma.Schema):
    """A quote of an article's latest extraction, with its speaker resolved to a global actor."""

    article_id = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "The extraction version it comes from."})
    published_at = fields.Date(allow_none=True, required=True, metadata={"description": "The article's."})
    quote_id = fields.String(required=True, metadata={"description": "The quote's id in that version (\"Q1\")."})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    text = fields.String(required=True, metadata={"description": "The reported content."})
    start = fields.Integer(required=True, metadata={"description": "Offset of the content in the article text."})
    end = fields.Integer(required=True)
    cue = fields.String(allow_none=True, required=True, metadata={"description": "The speech verb or marker."})
    speaker = fields.Nested(QuoteSpeakerSchema, allow_none=True, required=True, metadata={
        "description": "Null when the article does not say who spoke."})
    addressee = fields.Nested(ActorRefSchema, allow_none=True, required=True, metadata={
        "description": "The actor spoken to, or null."})
    links = fields.Nested(QuoteLinksSchema, required=True)


QuotePageSchema = page_schema("QuotePage", IndexedQuoteSchema, "Quotes across articles.")
