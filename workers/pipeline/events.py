"""Events: who did what to whom, where and when, typed with PLOVER.

Not yet extracted: the events issue fills this in. Returns an empty list so that the
result document keeps its schema-v1 shape.
"""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc

from workers.pipeline.actors import ActorIndex


def extract_events(doc: Doc, actors: ActorIndex, published_at: dt.date | None) -> list[dict]:
    """Return schema-v1 event records for `doc` (none yet)."""
    return []
