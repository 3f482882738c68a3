"""Model-level spaCy components of the Lagebild German pipeline (models/de_lagebild).

Import this module before ``spacy.load("models/de_lagebild")``: it registers the
``lagebild_*`` factories that the shipped pipeline's config refers to. It depends on
spaCy only and is cheap to import.

Components
----------
``lagebild_sentence_rules`` (before the parser)
    A line break ends a sentence: the first token after a whitespace token that
    contains a newline starts a new sentence, so headlines, datelines and other
    lines without final punctuation are sentences of their own. The parser keeps
    these preset boundaries and only adds boundaries inside lines.
``lagebild_morph_rules`` (after the morphologizer)
    Konjunktiv-I fix-ups: unambiguous 3rd-person-singular Konjunktiv I forms of
    the frequent auxiliaries/modals ("sei", "habe", "werde", "wolle", "könne", ...)
    always get ``Mood=Sub``; the statistical morphologizer sees too few of them.
    Also fills a lemma for those forms.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, MorphAnalysis

# 3rd person singular Konjunktiv I forms that are never indicative
# (1st person "habe"/"werde"/"wolle" are ambiguous with the indicative; after
# "ich" the morphologizer decides, elsewhere they are subjunctive).
_KONJ1 = {
    "sei": "sein", "seien": "sein", "seiest": "sein", "seist": "sein", "seiet": "sein",
    "habe": "haben", "werde": "werden", "wolle": "wollen", "könne": "können",
    "müsse": "müssen", "solle": "sollen", "dürfe": "dürfen", "möge": "mögen",
    "wisse": "wissen", "gebe": "geben", "komme": "kommen", "gehe": "gehen", "stehe": "stehen",
    "liege": "liegen", "bleibe": "bleiben", "plane": "planen", "brauche": "brauchen",
    "arbeite": "arbeiten", "gelte": "gelten", "fehle": "fehlen", "handle": "handeln",
    "lasse": "lassen", "mache": "machen", "sehe": "sehen", "halte": "halten",
}
_FIRST_PERSON = {"ich"}
_AUX = {"sein", "haben", "werden"}
_MODAL = {"wollen", "können", "müssen", "sollen", "dürfen", "mögen"}


_FINAL = {".", "!", "?", "…", "?!", "!?", "..."}
_CLOSING = {"“", "\"", "»", "«", ")", "]", "'", "’", "‘"}
_OPENING = {"„", "\"", "»", "«", "(", "[", "‚", "'"}
# sentence starters that make "… im Jahr 5. Die …" a boundary after an ordinal-like token
_STARTERS = {"Der", "Die", "Das", "Er", "Sie", "Es", "Ich", "Wir", "In", "Am", "Im", "Auch", "Doch", "Aber",
             "Dies", "Diese", "Dieser", "Nach", "Laut", "Zudem", "Man", "Ein", "Eine", "Seit", "Bei", "Mit"}


@Language.component("lagebild_sentence_rules")
def sentence_rules(doc: Doc) -> Doc:
    """Rule-based sentence boundaries for news text; sets is_sent_start on every token,
    so the parser only attaches inside the sentences given here.

    * a line break ends a sentence (headlines, datelines, list items are sentences);
    * ., !, ?, … end a sentence (closing quotes/brackets stay with it) when the next
      word does not start with a lower-case letter;
    * abbreviations ("Dr.", "Nr.", "ca.") are single tokens, so they never end one.

    Works on the token attribute arrays (no Token objects): same output as the
    token-by-token version, about five times faster.
    """
    import numpy
    from spacy.attrs import IS_SPACE, ORTH, SENT_START, SPACY

    n = len(doc)
    if n == 0:
        return doc
    arr = doc.to_array([ORTH, SPACY, IS_SPACE])
    strings = doc.vocab.strings
    text = [strings[o] for o in arr[:, 0].tolist()]
    space_tok = arr[:, 2].tolist()
    # trailing whitespace of a token is "" or " " in spaCy, never a line break; line
    # breaks are whitespace tokens of their own
    starts = [False] * n
    starts[0] = True
    i = 0
    while i < n:
        t = text[i]
        boundary_after = None
        if space_tok[i] and "\n" in t:
            boundary_after = i
        elif t in _FINAL or (t.endswith(".") and t[:-1].isdigit()):
            j = i
            while j + 1 < n and (text[j + 1] in _CLOSING or text[j + 1] in _FINAL) and not (
                    text[j + 1] in _OPENING and arr[j, 1]):
                j += 1
            k = j + 1
            while k < n and space_tok[k]:
                k += 1
            if k < n:
                nxt = text[k]
                first = nxt[:1]
                if t not in _FINAL:  # ordinal-like "5."
                    ok = nxt in _STARTERS
                else:
                    ok = not first.islower() and first not in {",", ";", ":", ")", "-", "–"}
                if ok:
                    boundary_after = j
        if boundary_after is not None:
            k = boundary_after + 1
            while k < n and space_tok[k]:
                k += 1
            if k < n:
                starts[k] = True
            i = max(i + 1, k)
            continue
        i += 1
    values = numpy.asarray([1 if st else -1 for st in starts], dtype="int64").astype("uint64")
    doc.from_array([SENT_START], values.reshape(n, 1))
    return doc


@Language.component("lagebild_morph_rules")
def morph_rules(doc: Doc) -> Doc:
    for tok in doc:
        low = tok.lower_
        lemma = _KONJ1.get(low)
        if lemma is None:
            continue
        # "ich habe / ich werde / ich wolle": indicative and subjunctive coincide;
        # leave the statistical analysis alone after a first-person pronoun.
        if low not in ("sei", "seien", "seiest", "seist", "seiet") and any(
            t.lower_ in _FIRST_PERSON for t in doc[max(0, tok.i - 3): tok.i + 3]
        ):
            continue
        if tok.pos_ not in ("AUX", "VERB"):
            # a capitalised "Habe" noun etc.
            if tok.is_title and tok.i > 0 and not doc[tok.i - 1].is_sent_end:
                continue
            tok.pos_ = "AUX" if lemma in _AUX | _MODAL else "VERB"
        feats = tok.morph.to_dict()
        feats["Mood"] = "Sub"
        feats["VerbForm"] = "Fin"
        feats.setdefault("Tense", "Pres")
        feats.setdefault("Person", "3")
        feats.setdefault("Number", "Plur" if low == "seien" else "Sing")
        tok.set_morph(MorphAnalysis(doc.vocab, feats))
        tok.lemma_ = lemma
    return doc


# ---------------------------------------------------------------------------
# Gazetteer features for the NER token-to-vector layer
# ---------------------------------------------------------------------------
# The shipped vocab carries a lookups table "lagebild_gazetteer" (lower-cased
# word -> bit mask of classes: first name, country, city/region, organisation
# word, place-derived adjective, ...), generated at training time from
# Babel/pycountry/gender-guesser (training/scripts/gazetteers.py). The layer
# below turns the bits into a learned vector that is added to the usual
# MultiHashEmbed output, so the NER can weigh the lists itself.
from typing import List  # noqa: E402

from spacy.util import registry  # noqa: E402
from thinc.api import Model  # noqa: E402

GAZ_TABLE = "lagebild_gazetteer"
GAZ_BITS = 12


_MASK_CACHE: dict = {}


def _gaz_matrix(doc, ops, n_bits):
    """Per token: the gazetteer class bits, is_title, and is_title-not-after-punctuation."""
    import numpy
    from spacy.attrs import IS_PUNCT, IS_TITLE, LOWER

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


@registry.architectures("lagebild.GazetteerEmbed.v1")
def gazetteer_embed(embed: Model, width: int, n_bits: int = GAZ_BITS) -> Model:
    from thinc.api import Linear

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

        def backprop(dYs: List):
            dX = bp_embed(dYs)
            if dYs:
                bp_proj(ops.xp.concatenate(dYs))
            return dX

        return out, backprop

    def init(model, X=None, Y=None):
        embed.initialize(X=X)
        proj.initialize()

    return Model("lagebild_gazetteer_embed", forward, init=init, layers=[embed, proj], dims={"nO": width})


@registry.callbacks("lagebild.add_gazetteer.v1")
def add_gazetteer(path: str):
    """[initialize.before_init] callback: put the gazetteer JSON into nlp.vocab.lookups."""
    import json

    def before_init(nlp):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if nlp.vocab.lookups.has_table(GAZ_TABLE):
            nlp.vocab.lookups.remove_table(GAZ_TABLE)
        nlp.vocab.lookups.add_table(GAZ_TABLE, data)
        return nlp

    return before_init


# ---------------------------------------------------------------------------
# Lemma lookup (after the edit-tree lemmatizer)
# ---------------------------------------------------------------------------
LEMMA_TABLE = "lagebild_lemma"


@Language.factory("lagebild_lemma_lookup", default_config={"overwrite": True})
def make_lemma_lookup(nlp: Language, name: str, overwrite: bool):
    """Set token.lemma_ from the vocab lookups table "lagebild_lemma" (key "UPOS|form",
    built from the UD gold sentences and HanTa over allowed text); tokens not in the
    table keep the edit-tree lemmatizer's lemma."""
    return LemmaLookup(nlp, overwrite)


class LemmaLookup:
    def __init__(self, nlp: Language, overwrite: bool):
        self.vocab = nlp.vocab
        self.overwrite = overwrite

    def __call__(self, doc: Doc) -> Doc:
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

    def to_disk(self, path, exclude=tuple()):
        pass

    def from_disk(self, path, exclude=tuple()):
        return self


# Gazetteer bits of training/scripts/gazetteers.py (BITS) that the rules below read.
_NAME_BITS = (1 << 0) | (1 << 10)  # "first_name", "tiger_name"
_NOUN_BIT, _ADJ_BIT = 1 << 11, 1 << 12  # "tiger_noun", "tiger_adj"


def _known_only_as(vocab, lower: str, bits: int) -> bool:
    """True if the gazetteer gives the word one of the word classes in `bits` and never marks it
    as a name. Always False for pipelines whose gazetteer predates the word-class bits."""
    if not vocab.lookups.has_table(GAZ_TABLE):
        return False
    mask = vocab.lookups.get_table(GAZ_TABLE).get(lower, 0) or 0
    return bool(mask & bits) and not mask & _NAME_BITS


# ---------------------------------------------------------------------------
# Document-level name consistency (after the NER)
# ---------------------------------------------------------------------------
@Language.component("lagebild_name_propagation")
def name_propagation(doc: Doc) -> Doc:
    """Once a multi-word person name ("Andrey Belousov") is found, later or earlier
    single-token mentions of its last (or first, for Chinese-style names) part
    ("Belousov") are PER too, unless they are part of a longer entity.
    News articles name a person in full once and by surname afterwards."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    parts: dict[str, str] = {}
    for ent in doc.ents:
        if ent.label_ == "PER" and len(ent) >= 2:
            for t in (ent[-1], ent[0]):
                # a wrongly long span ("Lis Teilnahme") must not make every "Teilnahme" a person
                if t.is_title and len(t.text) > 2 and not _known_only_as(doc.vocab, t.lower_, _NOUN_BIT | _ADJ_BIT):
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


# ---------------------------------------------------------------------------
# UPOS consistency with the parse (after the parser)
# ---------------------------------------------------------------------------
_AUX_DEPS = {"aux", "aux:pass", "cop"}


@Language.component("lagebild_upos_rules")
def upos_rules(doc: Doc) -> Doc:
    """UD German: AUX only for tokens attached as aux/aux:pass/cop. A token the
    morphologizer tagged AUX that the parser attaches otherwise ("hat" as a main
    verb, root "ist") becomes VERB, and a VERB attached as aux/cop becomes AUX."""
    for tok in doc:
        pos = tok.pos_
        if pos == "AUX":
            if tok.dep_ not in _AUX_DEPS:
                tok.pos_ = "VERB"
        elif pos == "VERB" and tok.dep_ in _AUX_DEPS:
            tok.pos_ = "AUX"
    return doc


@Language.component("lagebild_per_propn")
def per_propn(doc: Doc) -> Doc:
    """After the NER: capitalised words inside a PER entity that the morphologizer tagged
    NOUN are PROPN (UD: parts of personal names are proper nouns); PROPN outside any entity
    that the lexicon knows only as a common noun is NOUN."""
    for ent in doc.ents:
        if ent.label_ == "PER":
            for tok in ent:
                if tok.pos_ == "NOUN" and tok.is_title:
                    tok.pos_ = "PROPN"
    for tok in doc:
        if tok.pos_ == "PROPN" and not tok.ent_type and _known_only_as(doc.vocab, tok.lower_, _NOUN_BIT):
            tok.pos_ = "NOUN"
    return doc


# UD German-GSD (the bulk of the UD training data) and UD German-PUD differ in a few
# conventions; the training data are harmonised to PUD's (training/scripts/convert.py,
# harmonize_gsd). A pipeline trained on GSD's conventions gets the same mapping here.
_TIME_NOUNS = {"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
               "november", "dezember", "jänner", "montag", "dienstag", "mittwoch", "donnerstag", "freitag",
               "samstag", "sonnabend", "sonntag"}


@Language.component("lagebild_ud_conventions")
def ud_conventions(doc: Doc) -> Doc:
    """After the parser: months/weekdays NOUN (not PROPN), adverbially used adjectives
    (ADJ attached as advmod) ADV, comparative "als"/"wie" CCONJ+cc, "um" (zu) SCONJ, "%" SYM."""
    for tok in doc:
        pos, dep = tok.pos_, tok.dep_
        low = tok.lower_
        if pos == "PROPN" and low in _TIME_NOUNS:
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



# ---------------------------------------------------------------------------
# Faster matrix products on CPU
# ---------------------------------------------------------------------------
# thinc's NumpyOps multiplies matrices with its bundled BLIS build; numpy's own BLAS
# (OpenBLAS in this environment) is 2-3x faster for the token-to-vector and parser
# layers here (measured: a (23000 x 480) x (480 x 288) product 0.09 s vs 0.25 s,
# one thread). LagebildNumpyOps only replaces gemm; the results are the same up to
# float rounding (identical tags, parses and entities on 150 10kGNAD articles).
# The shipped config sets [nlp.after_pipeline_creation] to "lagebild.fast_ops.v1",
# which gives every component model these ops; use_fast_ops(nlp) does the same for
# any loaded pipeline.
from thinc.api import NumpyOps  # noqa: E402


class LagebildNumpyOps(NumpyOps):
    name = "lagebild_numpy"

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        import numpy

        if not (isinstance(x, numpy.ndarray) and isinstance(y, numpy.ndarray)) or x.dtype != y.dtype:
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.dot(a, b)
        try:
            numpy.dot(a, b, out=out)
        except ValueError:  # out not C-contiguous / wrong dtype
            out[...] = numpy.dot(a, b)
        return out


_FAST_OPS = None


def use_fast_ops(nlp):
    """Give every component model of a CPU pipeline LagebildNumpyOps (numpy's BLAS for gemm)."""
    global _FAST_OPS
    if _FAST_OPS is None:
        _FAST_OPS = LagebildNumpyOps()
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:  # leave GPU or other custom ops alone
                node.ops = _FAST_OPS
    return nlp


@registry.callbacks("lagebild.fast_ops.v1")
def make_fast_ops_callback():
    """[nlp.after_pipeline_creation] callback: use_fast_ops on the new pipeline."""
    return use_fast_ops
