"""The extraction pipeline: article text in, a schema-v1 extraction dict out.

`load(model)` builds a `Pipeline` once per process; `Pipeline.extract(text, published_at)`
returns exactly the document described in docs/extraction-schema.md (schema version 1),
without the server-only fields (article_id, version, created_at).
"""
from workers.pipeline.extractor import SCHEMA_VERSION, Pipeline, load

__all__ = ["SCHEMA_VERSION", "Pipeline", "load"]
