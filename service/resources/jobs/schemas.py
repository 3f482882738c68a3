"""Job schemas: the status monitor of one extraction run."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.resources.common import Timestamp


class JobErrorSchema(ma.Schema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    detail = fields.String(required=True)


class JobLinksSchema(ma.Schema):
    self = fields.String(required=True)
    article = fields.String(allow_none=True, required=True)
    result = fields.String(allow_none=True, required=True, metadata={
        "description": "The extraction version this job made, once it succeeded."})


class JobSchema(ma.Schema):
    """One extraction run of an article. Kept as a record after the article is deleted."""

    id = fields.String(required=True)
    article_id = fields.String(allow_none=True, required=True)
    status = fields.String(required=True, validate=validate.OneOf(("queued", "running", "succeeded", "failed")))
    error = fields.Nested(JobErrorSchema, allow_none=True, required=True)
    attempts = fields.Integer(required=True)
    extraction_version = fields.Integer(allow_none=True, required=True)
    created_at = Timestamp(required=True)
    started_at = Timestamp(allow_none=True, required=True)
    finished_at = Timestamp(allow_none=True, required=True)
    links = fields.Nested(JobLinksSchema, required=True)
