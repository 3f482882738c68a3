"""Composes the extraction steps into one schema-v1 document.

The steps are pure functions over a spaCy `Doc` (actors, quotes, events); this module only
runs the spaCy pipeline once and wires the steps' records together.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language

from workers.pipeline import actors, clean, events, quotes

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
PIPELINE_NAME = "lagebild-de"
PIPELINE_VERSION = "0.1.0"
DEFAULT_MODEL = str(Path(__file__).resolve().parents[2] / "models" / "de_lagebild")
BLANK_MODEL = "blank:de"


def load_nlp(model: str | None = None) -> tuple[Language, str]:
    """Load a spaCy pipeline by package name or path; return it with a printable model name.

    `None` means the shipped model in models/de_lagebild, falling back to a blank German
    pipeline with a rule-based sentencizer when it is not there (a fresh checkout before
    training). A model that is named explicitly and cannot be loaded is an error.
    """
    try:  # our registered components; the shipped model needs them to load
        import workers.pipeline.language  # noqa: F401
    except ImportError:  # pragma: no cover - only before the model work has landed
        pass
    if model == BLANK_MODEL or (model is None and not Path(DEFAULT_MODEL).exists()):
        if model is None:
            log.warning("no model at %s; using a blank German pipeline", DEFAULT_MODEL)
        nlp = spacy.blank("de")
        nlp.add_pipe("sentencizer")
        return nlp, BLANK_MODEL
    nlp = spacy.load(model or DEFAULT_MODEL)
    meta = nlp.meta
    return nlp, f"{meta.get('lang', '?')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"


@dataclass
class Pipeline:
    """A loaded spaCy pipeline plus the extraction steps that run over its `Doc`s."""

    nlp: Language
    model: str
    name: str = PIPELINE_NAME
    version: str = PIPELINE_VERSION
    info: dict = field(init=False)

    def __post_init__(self) -> None:
        self.info = {"name": self.name, "version": self.version, "model": self.model}

    def extract(self, text: str, published_at: dt.date | str | None = None) -> dict:
        """Return the schema-v1 extraction for `text` (offsets index `text` as given)."""
        anchor = _as_date(published_at)
        doc = self.nlp(clean.mask_boilerplate(text))
        found_actors = actors.extract_actors(doc)
        index = actors.ActorIndex(found_actors)
        return {
            "schema_version": SCHEMA_VERSION,
            "pipeline": dict(self.info),
            "language": "de",
            "published_at": anchor.isoformat() if anchor else None,
            "actors": found_actors,
            "events": events.extract_events(doc, index, anchor),
            "quotes": quotes.extract_quotes(doc, index),
        }


def load(model: str | None = None) -> Pipeline:
    """Load the spaCy model once and return a ready `Pipeline`."""
    nlp, name = load_nlp(model)
    return Pipeline(nlp=nlp, model=name)


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
