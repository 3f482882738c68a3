"""UPOS consistency with the parse (component ``lagebild_upos_rules``, after the parser)."""
from __future__ import annotations

from spacy.tokens import Doc

# the UD relations of auxiliaries (a label set of the annotation scheme, not a word list)
AUX_DEPS = frozenset({"aux", "aux:pass", "cop"})


def upos_rules(doc: Doc) -> Doc:
    """UD German: AUX only for tokens attached as aux/aux:pass/cop. A token the
    morphologizer tagged AUX that the parser attaches otherwise ("hat" as a main
    verb, root "ist") becomes VERB, and a VERB attached as aux/cop becomes AUX; return `doc`."""
    for tok in doc:
        pos = tok.pos_
        if pos == "AUX":
            if tok.dep_ not in AUX_DEPS:
                tok.pos_ = "VERB"
        elif pos == "VERB" and tok.dep_ in AUX_DEPS:
            tok.pos_ = "AUX"
    return doc
