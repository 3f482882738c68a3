"""The extraction pipeline: article text in, a schema-v1 extraction dict out.

`load(model)` builds a `Pipeline` once per process; `Pipeline.extract(text, published_at)`
returns exactly the document described in docs/extraction-schema (schema version 1),
without the server-only fields (article_id, version, created_at).

The names are imported lazily: the API uses light modules of this package (dates, registry,
gazetteer) and must not load spaCy to do so.
"""
from __future__ import annotations

__all__ = ["SCHEMA_VERSION", "Pipeline", "load"]


def __getattr__(name: str):
    if name in __all__:
        from workers.pipeline import extractor
        return getattr(extractor, name)
    raise AttributeError(f"module 'workers.pipeline' has no attribute {name!r}")
