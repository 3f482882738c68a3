"""Participants found beyond the trigger's own phrase: the subject among bare noun phrases, the owner
of a demanded, rejected or criticised thing, the previous sentence's subject for a pronoun, and the
target area of an attack (its place, not a target). Used by arguments.py."""
from __future__ import annotations

from workers.pipeline.events import clauses, lexicon
from workers.pipeline.events.spans import (
    ActorSpan,
    Arguments,
    Scene,
    actor_spans,
    coordinated,
)
from workers.pipeline.events.triggers import TriggerMatch

SUBJECT_DEPS = {"nsubj", "nsubj:pass", "sb"}


def previous_subject(found: TriggerMatch, scene: Scene) -> list[str]:
    """Return the subject of the previous sentence for a verb trigger whose own subject is a personal
    pronoun that names no actor ("Während des Treffens am Dienstag unterzeichneten sie …"): the clause
    has no participant of its own, and a pronoun subject takes up the last sentence's subject; a plural
    verb after a single subject takes up everyone that clause names ("Xi traf Putin.")."""
    token = found.token
    doc = token.doc
    heads = [token] + [c for c in token.children if c.dep_.startswith("aux")]
    pronoun = next((c for h in heads for c in h.children if c.dep_ in SUBJECT_DEPS
                    and c.lower_ in lexicon.word_class("subject_pronoun")), None)
    if pronoun is None or scene.actors.actor_at(pronoun.idx, pronoun.idx + len(pronoun)) is not None:
        return []
    number = scene.view.sentence_of(token.i)
    if not number:
        return []
    previous = scene.view.sentences[number - 1]
    if scene.view.is_heading(previous.start):
        return []
    for seg in clauses.segments(previous):
        bare = [s for s in actor_spans(seg, scene) if s.marker is None and not s.fallback]
        if bare:
            group = subject(found, bare, doc)
            if len(group) == 1 and any("Plur" in h.morph.get("Number") for h in heads):
                group = bare  # "Xi traf Putin. … unterzeichneten sie": both of them
            return list(dict.fromkeys(s.actor for s in group))
    return []


def target_area(args: Arguments, spans: list[ActorSpan], kinds: dict[str, str | None], doc) -> None:
    """Move a town or region that an attack is aimed at from the targets to the place ("hatten das Dorf
    Fakola angegriffen", "bombardierten Rafah"): the place of an attack is its target area; states
    stay targets ("griff die Ukraine an")."""
    for actor in [a for a in args.target if kinds.get(a) == "location"]:
        args.target.remove(actor)
        if args.location is None:
            span = next((s for s in spans if s.actor == actor), None)
            if span is not None:
                doc_span = doc[span.start:span.end]
                args.location = {"text": doc_span.text, "actor": actor, "start": doc_span.start_char,
                                 "end": doc_span.end_char}


def object_owners(found: TriggerMatch, spans: list[ActorSpan]) -> list[ActorSpan]:
    """Return the actors whose thing the accusative object of a content-object verb is: a genitive
    or place adjective that depends on the object noun ("fordern Assads Rücktritt", "den Rückzug
    Russlands", "haben russische Vorschläge abgelehnt") — what is demanded or rejected is theirs."""
    token = found.token
    doc = token.doc
    if not doc.has_annotation("DEP"):
        return []
    heads = {token.i} | {c.i for c in token.children if c.dep_.startswith("aux")}
    owners = []
    for span in spans:
        if span.marker is not None:
            continue
        last = doc[span.end - 1]
        noun = last.head
        if last.dep_ in ("nmod", "amod", "det:poss") and noun.i != last.i and noun.pos_ == "NOUN" \
                and noun.dep_ == "obj" and noun.head.i in heads:
            owners.append(span)
        elif last.dep_ == "obj" and last.head.i in heads and span.end < len(doc) and last.text.endswith("s") \
                and doc[span.end].pos_ == "NOUN" and doc[span.end].head.i == last.i:
            owners.append(span)   # "fordern Assads Rücktritt" parsed as the name with the noun its part
    return owners


def subject(found: TriggerMatch, bare: list[ActorSpan], doc) -> list[ActorSpan]:
    """Return the subject spans among the bare noun phrases: parse labels first, else position."""
    if not bare:
        return []
    by_dep = [s for s in bare if s.deps & SUBJECT_DEPS]
    if by_dep and doc.has_annotation("DEP"):
        first = by_dep[0]
        coordinators = lexicon.word_class("coordinator")
        left = [s for s in bare if s.end + 1 == first.start and doc[s.end].lower_ in coordinators]
        group = left + [first]
        for s in bare:
            if s is first or s.start <= first.start:
                continue
            if first.pair is not None and s.pair == first.pair:
                group.append(s)
            elif any(t.dep_ == "conj" and first.start <= t.head.i < first.end for t in doc[s.start:s.end]) \
                    and all(t.lower_ in coordinators or t.text == "," for t in doc[group[-1].end:s.start]):
                group.append(s)  # only a conjunct right after the subject ("Putin und Xi", not "… Nato und USA")
        return group
    return coordinated(bare, bare[0], doc)
