"""UPOS/LAS/lemma of a pipeline on the held-out UD training sentences (corpus/ud_dev.spacy: every 10th
sentence of GSD dev+test + PUD w*) — for model selection; never the PUD news test set.
Usage: python scripts/evaluate_ud_heldout.py MODEL [--add-pipe NAME:after]"""
import argparse, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import spacy
from spacy.tokens import Doc, DocBin
import workers.pipeline.components.factories  # noqa
ap = argparse.ArgumentParser(); ap.add_argument("model"); ap.add_argument("--gold", default="corpus/ud_dev.spacy")
ap.add_argument("--add-pipe", action="append", default=[])
a = ap.parse_args()
nlp = spacy.load(a.model)
for spec in a.add_pipe:
    name, after = spec.split(":"); nlp.add_pipe(name, after=after)
gold = list(DocBin().from_disk(a.gold).get_docs(nlp.vocab))
docs = []
for g in gold:
    d = Doc(nlp.vocab, words=[t.text for t in g], spaces=[bool(t.whitespace_) for t in g])
    for t, gt in zip(d, g): t.is_sent_start = gt.is_sent_start
    docs.append(d)
n = upos = las = lem = 0
for g, d in zip(gold, nlp.pipe(docs)):
    for gt, t in zip(g, d):
        n += 1; upos += gt.pos_ == t.pos_; lem += gt.lemma_ == t.lemma_
        gh = gt.head.i if gt.head.i != gt.i else None; ph = t.head.i if t.head.i != t.i else None
        las += gh == ph and (t.dep_.split(":")[0].lower() == gt.dep_.split(":")[0].lower() or (gh is None and t.dep_ == "ROOT"))
print(f"{a.model} {a.add_pipe}: tokens {n} UPOS {upos/n:.4f} LAS {las/n:.4f} lemma {lem/n:.4f}")
