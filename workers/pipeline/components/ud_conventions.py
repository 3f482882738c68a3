"""UD German-GSD to UD German-PUD conventions (component ``lagebild_ud_conventions``, after the parser).

GSD (the bulk of the UD training data) and PUD differ in a few conventions; the training data
can be harmonised to PUD's (training/scripts/convert.py, harmonize_gsd). A pipeline trained on
GSD's conventions gets the same mapping here.
"""
from __future__ import annotations

from spacy.tokens import Doc

from lagebild_core.lexicon import read_words
from workers.pipeline.components import LEXICONS


def _time_nouns() -> frozenset[str]:
    """Return the lower-cased months and weekdays (NOUN in PUD, PROPN in GSD)."""
    return read_words(LEXICONS / "time_nouns.tsv")


def ud_conventions(doc: Doc) -> Doc:
    """Map GSD's conventions in `doc` to PUD's and return it: months/weekdays NOUN (not PROPN),
    adverbially used adjectives (ADJ attached as advmod) ADV, comparative "als"/"wie" CCONJ+cc,
    "um" (zu) SCONJ, "%" SYM."""
    time_nouns = _time_nouns()
    for tok in doc:
        pos, dep = tok.pos_, tok.dep_
        low = tok.lower_
        if pos == "PROPN" and low in time_nouns:
            tok.pos_ = "NOUN"
        elif pos == "ADJ" and dep == "advmod":
            tok.pos_ = "ADV"
        elif low in ("als", "wie") and dep == "case" and pos in ("ADP", "CCONJ"):
            tok.pos_ = "CCONJ"
            tok.dep_ = "cc"
        elif low == "um" and pos == "ADP" and dep == "mark":
            tok.pos_ = "SCONJ"
        elif tok.text == "%" and pos == "X":
            tok.pos_ = "SYM"
    return doc
