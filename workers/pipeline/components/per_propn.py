"""PROPN/NOUN repair with the entities (component ``lagebild_per_propn``, after the NER)."""
from __future__ import annotations

from spacy.tokens import Doc

from workers.pipeline.components.gazetteer_embed import NOUN_BIT, known_only_as


def per_propn(doc: Doc) -> Doc:
    """Capitalised words inside a PER entity that the morphologizer tagged NOUN become PROPN
    (UD: parts of personal names are proper nouns); PROPN outside any entity that the lexicon
    knows only as a common noun becomes NOUN. Return `doc`."""
    for ent in doc.ents:
        if ent.label_ == "PER":
            for tok in ent:
                if tok.pos_ == "NOUN" and tok.is_title:
                    tok.pos_ = "PROPN"
    for tok in doc:
        if tok.pos_ == "PROPN" and not tok.ent_type and known_only_as(doc.vocab, tok.lower_, NOUN_BIT):
            tok.pos_ = "NOUN"
    return doc
