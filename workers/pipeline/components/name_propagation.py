"""Document-level name consistency (component ``lagebild_name_propagation``, after the NER).

News articles name a person in full once and by surname afterwards.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from workers.pipeline.components.gazetteer_embed import ADJ_BIT, NOUN_BIT, known_only_as


def name_propagation(doc: Doc) -> Doc:
    """Once a multi-word person name ("Andrey Belousov") is found, make later or earlier
    single-token mentions of its last (or first, for Chinese-style names) part ("Belousov")
    PER too, unless they are part of a longer entity; return `doc`."""
    parts: dict[str, str] = {}
    for ent in doc.ents:
        if ent.label_ == "PER" and len(ent) >= 2:
            for t in (ent[-1], ent[0]):
                # a wrongly long span ("Lis Teilnahme") must not make every "Teilnahme" a person
                if t.is_title and len(t.text) > 2 and not known_only_as(doc.vocab, t.lower_, NOUN_BIT | ADJ_BIT):
                    parts.setdefault(t.text, "PER")
    if not parts:
        return doc
    ents = list(doc.ents)
    covered = {}
    for e in ents:
        for i in range(e.start, e.end):
            covered[i] = e
    new = []
    drop = set()
    for tok in doc:
        if tok.text not in parts:
            continue
        e = covered.get(tok.i)
        if e is None:
            new.append(Span(doc, tok.i, tok.i + 1, label="PER"))
        elif len(e) == 1 and e.label_ not in ("PER", "LOCderiv"):
            drop.add((e.start, e.end))
            new.append(Span(doc, tok.i, tok.i + 1, label="PER"))
    if new:
        kept = [e for e in ents if (e.start, e.end) not in drop]
        doc.ents = filter_spans(kept + new)
    return doc
