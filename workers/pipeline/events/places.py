"""The place of an event: "in"/"im"/"nach"/"rund um" + a place in the trigger's clause."""
from __future__ import annotations

from lagebild_core import gazetteer
from workers.pipeline.actors import ActorIndex
from workers.pipeline.document import entities_within
from workers.pipeline.events import lexicon
from workers.pipeline.events.spans import ActorSpan, blocked
from workers.pipeline.events.triggers import TriggerMatch


def event_location(found: TriggerMatch, spans: list[ActorSpan], index: ActorIndex, others: set[int] | None = None,
              light: bool = False) -> dict | None:
    """Return {"text", "actor", "start", "end"} of the place in the trigger's segment, or None.

    A place follows "in"/"im"/"nach"/"rund um"; it is an actor of kind state or location, a
    gazetteer form, a LOC entity or a phrase ending in a geographic word (places.tsv). The
    place nearest the trigger wins; "nach" counts for travel only.
    """
    doc = found.token.doc
    segment = found.segment
    kinds = index.kinds
    travel = found.entry.mode == "visit"
    places = lexicon.words("places.tsv")
    candidates = []
    for i, tok in enumerate(segment):
        word = tok.lower_
        prep = lexicon.contractions().get(word, word)
        if prep not in lexicon.word_class("location_preposition") or (prep == "nach" and not travel):
            continue
        if prep == "um" and not (tok.i > segment.start and doc[tok.i - 1].lower_ == "rund"):
            continue
        start = tok.i + 1
        while start < segment.end and doc[start].lower_ in lexicon.word_class("definite_article"):
            start += 1
        end = start
        while end < segment.end and end - start < 4 and doc[end].text[:1].islower() \
                and doc[end].lower_.endswith(("e", "en", "er", "es", "em")):
            end += 1                                     # adjectives before the head: "im Arktischen Ozean"
        head_start = end
        head_actor = index.actor_at(doc[end].idx, doc[end].idx + len(doc[end])) if end < segment.end else None
        while end < segment.end and end - start < 5 and doc[end].text[:1].isupper():
            if head_actor is not None and index.actor_at(doc[end].idx, doc[end].idx + len(doc[end])) != head_actor:
                break                                    # "in Kazan Verträge": the place is the actor's words
            if end > head_start and doc[end].pos_ == "NOUN" and doc[end - 1].pos_ == "PROPN":
                break
            end += 1
            if gazetteer.lookup(doc[end - 1].text):
                break                                    # "in Moskau China will …": the place ends here
        if end == head_start:
            continue
        if end == start or blocked(found.token.i, tok.i, end, others or set()):
            continue
        if any(0 < tok.i - o <= 3 for o in others or set()):
            continue  # "seit dem Einmarsch Russlands in die Ukraine … ausgebaut": the invasion's place
        if found.is_noun and not light and tok.i < found.token.i:
            continue
        phrase = doc[start:end]
        actor = index.actor_at(phrase.start_char, phrase.end_char)
        is_place = (actor is not None and kinds.get(actor) in ("state", "location")) \
            or any(gazetteer.lookup(t.text) for t in phrase) \
            or any(e.label_ in ("LOC", "GPE") for e in entities_within(doc, start, end)) \
            or any(t.lower_.endswith(places) for t in phrase)
        if not is_place:
            continue
        if actor is not None and kinds.get(actor) not in ("state", "location"):
            actor = None
        if prep == "um":
            phrase = doc[tok.i - 1:end]
        candidates.append((abs(phrase.start - found.token.i), phrase, actor))
    if not candidates:
        return None
    _, phrase, actor = min(candidates, key=lambda c: c[0])
    return {"text": phrase.text, "actor": actor, "start": phrase.start_char, "end": phrase.end_char}
