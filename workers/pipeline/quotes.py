"""Quotes: direct, indirect and mixed speech with the speaker who said it.

Not yet extracted: the quotes issue fills this in. Returns an empty list so that the
result document keeps its schema-v1 shape.
"""
from __future__ import annotations

from spacy.tokens import Doc

from workers.pipeline.actors import ActorIndex


def extract_quotes(doc: Doc, actors: ActorIndex) -> list[dict]:
    """Return schema-v1 quote records for `doc` (none yet)."""
    return []
