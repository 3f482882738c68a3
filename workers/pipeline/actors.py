"""Actors: the people, organisations and states an article names.

`extract_actors(doc)` returns schema-v1 actor records; `ActorIndex` maps a character span
back to the actor whose mention covers it, for the quote and event steps.

This is the first cut: one actor per distinct named entity, a person's surname alone
joining the full name it ends. Roles, countries, pronouns and states named through their
capitals are the actors issue's work.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

ENTITY_KINDS = {"PER": "person", "PERSON": "person", "ORG": "organization", "LOC": "location", "GPE": "state"}


def _mention(span: Span) -> dict:
    return {"text": span.text, "start": span.start_char, "end": span.end_char}


def _actor_entities(doc: Doc) -> list[Span]:
    """Return the entities that can be actors, whatever label set the model uses."""
    return [ent for ent in doc.ents if ent.label_ in ENTITY_KINDS and ent.text.strip()]


def extract_actors(doc: Doc) -> list[dict]:
    """Return one actor record per distinct participant named by an entity in `doc`."""
    groups: dict[tuple[str, str], list[Span]] = {}
    for ent in _actor_entities(doc):
        kind = ENTITY_KINDS[ent.label_]
        groups.setdefault((kind, ent.text), []).append(ent)
    merged = _merge_surnames(groups)
    records = []
    for number, ((kind, name), spans) in enumerate(merged.items(), start=1):
        records.append({
            "id": f"A{number}",
            "global_id": None,
            "name": name,
            "kind": kind,
            "roles": [],
            "country": None,
            "mentions": [_mention(s) for s in sorted(spans, key=lambda s: s.start_char)],
        })
    return records


def _merge_surnames(groups: dict[tuple[str, str], list[Span]]) -> dict[tuple[str, str], list[Span]]:
    """Fold a person named by one word into the unique longer name of that person ending in it."""
    merged = dict(groups)
    for kind, name in list(groups):
        if kind != "person" or " " in name:
            continue
        fuller = [k for k in groups if k[0] == "person" and k[1] != name and k[1].split()[-1] == name]
        if len(fuller) == 1:
            merged[fuller[0]] = merged[fuller[0]] + merged.pop((kind, name))
    return merged


class ActorIndex:
    """Finds the actor that a character span refers to, by the mentions of each actor."""

    def __init__(self, actors: list[dict]):
        self.actors = actors
        self._spans = sorted(
            (m["start"], m["end"], a["id"]) for a in actors for m in a["mentions"]
        )

    def actor_at(self, start: int, end: int) -> str | None:
        """Return the id of the actor with a mention overlapping [start, end), or None."""
        best, best_overlap = None, 0
        for m_start, m_end, actor_id in self._spans:
            overlap = min(end, m_end) - max(start, m_start)
            if overlap > best_overlap:
                best, best_overlap = actor_id, overlap
        return best
