"""Silver STTS tags for supervised tok2vec pretraining: HanTa (TIGER-trained, PyPI) tags the
allowed training sentences that are already converted to DocBins (GermEval test minus the NER
held-out part, UD training sentences, LER, MobIE). The tags teach the token-to-vector layer what
TIGER's 50,000 annotated news sentences know (a proper name vs a common noun, finite vs infinite
verbs, ...) before it is fine-tuned on the small gold UD and NER data.
With --raw-lines N, the first N lines of assets/raw_allowed.txt (allowed text, already shuffled,
mostly court decisions) are tagged as well.
Writes corpus/silver_tags/{train,dev}.spacy (every 20th doc is dev).
Usage: python scripts/make_silver_tags.py [--out corpus/silver_tags] [--raw-lines N]"""
from __future__ import annotations

import argparse
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

SOURCES = ["corpus/ner_train/germeval.spacy", "corpus/ud_train.spacy",
           "corpus/ner_train_plus/ler.spacy", "corpus/ner_train_plus/mobie.spacy"]


def silver_doc(nlp, tagger, words, spaces=None) -> Doc:
    """A Doc of `words` whose tag_ is HanTa's STTS tag."""
    tags = [tag for _, _, tag in tagger.tag_sent(words, taglevel=1)]
    return Doc(nlp.vocab, words=words, spaces=spaces, tags=tags)


def tagged_docs(nlp, paths, tagger):
    for path in paths:
        for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
            for sent in (doc.sents if doc.has_annotation("SENT_START") else [doc]):
                yield silver_doc(nlp, tagger, [t.text for t in sent], [bool(t.whitespace_) for t in sent])


def raw_docs(nlp, path, n_lines, tagger):
    with open(path, encoding="utf-8") as f:
        for k, line in enumerate(f):
            if k >= n_lines:
                break
            words = line.split()
            if 3 <= len(words) <= 100:
                yield silver_doc(nlp, tagger, words)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="corpus/silver_tags")
    ap.add_argument("--raw-lines", type=int, default=0)
    ap.add_argument("--raw", default="assets/raw_allowed.txt")
    a = ap.parse_args()
    from HanTa import HanoverTagger as ht

    nlp = spacy.blank("de")
    tagger = ht.HanoverTagger("morphmodel_ger.pgz")
    docs = list(tagged_docs(nlp, SOURCES, tagger))
    docs += list(raw_docs(nlp, a.raw, a.raw_lines, tagger))
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    train = [d for i, d in enumerate(docs) if i % 20]
    dev = [d for i, d in enumerate(docs) if i % 20 == 0]
    for name, part in (("train", train), ("dev", dev)):
        DocBin(docs=part, attrs=["ORTH", "TAG", "SPACY"]).to_disk(out / f"{name}.spacy")
        print(out / f"{name}.spacy", len(part), "docs", sum(len(d) for d in part), "tokens")


if __name__ == "__main__":
    main()
