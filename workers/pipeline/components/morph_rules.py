"""Konjunktiv-I fix-ups (component ``lagebild_morph_rules``, after the morphologizer and lemmatizers).

The statistical morphologizer sees too few subjunctive forms of the frequent auxiliaries, modals
and verbs ("sei", "habe", "werde", "wolle", "könne", ...); those in konjunktiv1.tsv always get
``Mood=Sub`` and their lemma.
"""
from __future__ import annotations

from functools import cache

from spacy.tokens import Doc, MorphAnalysis

from lagebild_core.lexicon import read_table, read_words
from workers.pipeline.components import LEXICONS


@cache
def _konjunktiv1() -> dict[str, dict[str, str]]:
    """Return the rows of konjunktiv1.tsv keyed by their lower-cased form."""
    return {row["form"]: row for row in read_table(LEXICONS / "konjunktiv1.tsv")}


def _first_person() -> frozenset[str]:
    """Return the lower-cased first-person pronouns near which ambiguous forms are left alone."""
    return read_words(LEXICONS / "first_person.tsv")


def morph_rules(doc: Doc) -> Doc:
    """Give the Konjunktiv-I forms of konjunktiv1.tsv in `doc` Mood=Sub, finite verb features
    and their lemma; return `doc`."""
    forms = _konjunktiv1()
    first_person = _first_person()
    for tok in doc:
        low = tok.lower_
        row = forms.get(low)
        if row is None:
            continue
        # "ich habe / ich werde / ich wolle": indicative and subjunctive coincide;
        # leave the statistical analysis alone after a first-person pronoun.
        if row["always"] != "yes" and any(
            t.lower_ in first_person for t in doc[max(0, tok.i - 3): tok.i + 3]
        ):
            continue
        if tok.pos_ not in ("AUX", "VERB"):
            # a capitalised "Habe" noun etc.
            if tok.is_title and tok.i > 0 and not doc[tok.i - 1].is_sent_end:
                continue
            tok.pos_ = row["upos"]
        feats = tok.morph.to_dict()
        feats["Mood"] = "Sub"
        feats["VerbForm"] = "Fin"
        feats.setdefault("Tense", "Pres")
        feats.setdefault("Person", "3")
        feats.setdefault("Number", row["number"])
        tok.set_morph(MorphAnalysis(doc.vocab, feats))
        tok.lemma_ = row["lemma"]
    return doc
