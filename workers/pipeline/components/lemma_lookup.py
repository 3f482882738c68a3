"""Lemma lookup (component ``lagebild_lemma_lookup``, after the edit-tree lemmatizer).

The table lives in the vocab's lookups ("lagebild_lemma", saved with the vocab by
``nlp.to_disk``) and the component's one setting in the config, so the component itself has
nothing to serialise.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

LEMMA_TABLE = "lagebild_lemma"


class LemmaLookup:
    """Set token.lemma_ from the vocab lookups table "lagebild_lemma" (key "UPOS|form",
    built from the UD gold sentences and HanTa over allowed text); tokens not in the
    table keep the edit-tree lemmatizer's lemma, except PROPN, whose lemma is the form."""

    def __init__(self, vocab: Vocab, overwrite: bool = True):
        self.vocab = vocab
        self.overwrite = overwrite

    def __call__(self, doc: Doc) -> Doc:
        """Return `doc` with the table's lemmas set (a pipeline without the table leaves it alone)."""
        if not self.vocab.lookups.has_table(LEMMA_TABLE):
            return doc
        table = self.vocab.lookups.get_table(LEMMA_TABLE)
        for tok in doc:
            if tok.is_space:
                continue
            if not self.overwrite and tok.lemma:
                continue
            lemma = table.get(f"{tok.pos_}|{tok.text}")
            if lemma is None and tok.i > 0 and tok.is_title:
                lemma = table.get(f"{tok.pos_}|{tok.lower_}")
            if lemma is not None:
                tok.lemma_ = lemma
            elif tok.pos_ == "PROPN":
                tok.lemma_ = tok.text
        return doc


def make_lemma_lookup(nlp: Language, name: str, overwrite: bool) -> LemmaLookup:
    """Return the lemma lookup over `nlp`'s vocab (the factory of ``lagebild_lemma_lookup``)."""
    return LemmaLookup(nlp.vocab, overwrite)
