"""Gazetteer features for the NER token-to-vector layer (architecture ``lagebild.GazetteerEmbed.v1``,
callback ``lagebild.add_gazetteer.v1``) and the gazetteer's word classes for the rule components.

The shipped vocab carries a lookups table "lagebild_gazetteer" (lower-cased word -> bit mask of
classes: first name, country, city/region, organisation word, place-derived adjective, ...),
generated at training time from Babel/pycountry/gender-guesser (training/scripts/gazetteers.py).
The layer turns the bits into a learned vector that is added to the usual MultiHashEmbed output,
so the NER can weigh the lists itself.
"""
from __future__ import annotations

import json
from collections.abc import Callable

import numpy
from spacy.attrs import IS_PUNCT, IS_TITLE, LOWER
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab
from thinc.api import Linear, Model, Ops

GAZ_TABLE = "lagebild_gazetteer"
GAZ_BITS = 12

# Gazetteer bits of training/scripts/gazetteers.py (BITS) that the rule components read.
NAME_BITS = (1 << 0) | (1 << 10)  # "first_name", "tiger_name"
NOUN_BIT, ADJ_BIT = 1 << 11, 1 << 12  # "tiger_noun", "tiger_adj"

# per vocab: (its lookups object, the gazetteer table, {orth: mask}); a vocab whose lookups were
# replaced (Vocab.from_disk) gets a fresh entry
_MASK_CACHE: dict = {}


def _gaz_matrix(doc: Doc, ops: Ops, n_bits: int):
    """Return per token of `doc` a row: the gazetteer class bits, is_title, and
    is_title-not-after-punctuation (a float32 array of n_bits + 2 columns on `ops`)."""
    n = len(doc)
    X = numpy.zeros((n, n_bits + 2), dtype="float32")
    if n == 0:
        return ops.asarray2f(X)
    vocab = doc.vocab
    cache = _MASK_CACHE.get(id(vocab))
    if cache is None or cache[0] is not vocab.lookups:
        table = vocab.lookups.get_table(GAZ_TABLE) if vocab.lookups.has_table(GAZ_TABLE) else {}
        cache = (vocab.lookups, table, {})
        _MASK_CACHE[id(vocab)] = cache
    _, table, masks_by_orth = cache
    arr = doc.to_array([LOWER, IS_TITLE, IS_PUNCT])
    masks = numpy.zeros((n,), dtype="int64")
    if table:
        strings = vocab.strings
        for i, orth in enumerate(arr[:, 0].tolist()):
            m = masks_by_orth.get(orth)
            if m is None:
                m = table.get(strings[orth], 0) or 0
                masks_by_orth[orth] = m
            masks[i] = m
        X[:, :n_bits] = (masks[:, None] >> numpy.arange(n_bits)[None, :]) & 1
    title = arr[:, 1].astype("float32")
    X[:, n_bits] = title
    prev_punct = numpy.ones((n,), dtype="float32")
    prev_punct[1:] = arr[:-1, 2]
    X[:, n_bits + 1] = title * (1.0 - prev_punct)
    return ops.asarray2f(X)


def gazetteer_embed(embed: Model, width: int, n_bits: int = GAZ_BITS) -> Model:
    """Return a layer that adds a learned projection of the gazetteer bits (`_gaz_matrix`)
    to the output of `embed` (a list of per-doc (tokens x width) arrays)."""
    proj = Linear(nO=width, nI=n_bits + 2)

    def forward(model, docs, is_train):
        ops = model.ops
        Ys, bp_embed = embed(docs, is_train)
        mats = [_gaz_matrix(d, ops, n_bits) for d in docs]
        lengths = [m.shape[0] for m in mats]
        G, bp_proj = proj(ops.xp.concatenate(mats) if mats else ops.alloc2f(0, n_bits + 2), is_train)
        out, start = [], 0
        for Y, n in zip(Ys, lengths):
            out.append(Y + G[start:start + n])
            start += n

        def backprop(dYs: list):
            dX = bp_embed(dYs)
            if dYs:
                bp_proj(ops.xp.concatenate(dYs))
            return dX

        return out, backprop

    def init(model, X=None, Y=None):
        embed.initialize(X=X)
        proj.initialize()

    return Model("lagebild_gazetteer_embed", forward, init=init, layers=[embed, proj], dims={"nO": width})


def add_gazetteer(path: str) -> Callable[[Language], Language]:
    """Return an [initialize.before_init] callback that puts the gazetteer JSON at `path`
    into nlp.vocab.lookups (replacing an older table)."""

    def before_init(nlp: Language) -> Language:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if nlp.vocab.lookups.has_table(GAZ_TABLE):
            nlp.vocab.lookups.remove_table(GAZ_TABLE)
        nlp.vocab.lookups.add_table(GAZ_TABLE, data)
        return nlp

    return before_init


def known_only_as(vocab: Vocab, lower: str, bits: int) -> bool:
    """Return True if the gazetteer gives the word one of the word classes in `bits` and never marks it
    as a name. Always False for pipelines whose gazetteer predates the word-class bits."""
    if not vocab.lookups.has_table(GAZ_TABLE):
        return False
    mask = vocab.lookups.get_table(GAZ_TABLE).get(lower, 0) or 0
    return bool(mask & bits) and not mask & NAME_BITS
