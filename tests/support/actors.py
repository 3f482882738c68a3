"""Shared helpers of the actor tests: the actors step over a blank German pipeline with
hand-labelled person and organisation entities."""
from __future__ import annotations

from workers.pipeline.actors import extract_actors
from workers.pipeline.document import DocumentView


def actors_of(nlp, text: str, persons: list[str] = (), orgs: list[str] = ()) -> list[dict]:
    """Run the actors step on `text`; `persons` (and `orgs`) are entity texts labelled PER (ORG) by
    hand, each at its first occurrence that no earlier one overlaps."""
    doc = nlp(text)
    ents, used = [], set()
    for name, label in [(n, "PER") for n in persons] + [(n, "ORG") for n in orgs]:
        start = text.index(name)
        while used & set(range(start, start + len(name))):
            start = text.index(name, start + 1)
        used.update(range(start, start + len(name)))
        ents.append(doc.char_span(start, start + len(name), label=label))
    doc.ents = sorted(ents, key=lambda s: s.start)
    return extract_actors(DocumentView.of(doc))


def persons(actors: list[dict]) -> dict[str, dict]:
    """Return the named persons (an unnamed source such as "der Chef der Gruppe" is no named person)."""
    return {a["name"]: a for a in actors if a["kind"] == "person" and a.get("named", True)}
