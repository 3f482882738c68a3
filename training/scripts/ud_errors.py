"""UPOS confusions and per-relation LAS errors of a pipeline on UD PUD sentences (analysis only).
Usage: python training/scripts/ud_errors.py MODEL [--prefix n|w]"""
import argparse, sys
from collections import Counter
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent)); sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import spacy
from spacy.tokens import Doc
import common
from common import merge_mwt, read_conllu
import workers.pipeline.components.factories  # noqa
ap = argparse.ArgumentParser(); ap.add_argument("model"); ap.add_argument("--prefix", default="n"); ap.add_argument("--examples", type=int, default=0)
a = ap.parse_args()
nlp = spacy.load(a.model)
gold = [merge_mwt(r) for sid, r in read_conllu(common.DATA / "ud_german_pud/de_pud-ud-test.conllu.xz") if sid.startswith(a.prefix)]
docs = [Doc(nlp.vocab, words=[t["form"] for t in s], spaces=[t["space"] for t in s]) for s in gold]
for d in docs: d[0].is_sent_start = True
conf = Counter(); words = Counter(); dep = Counter()
for g, doc in zip(gold, nlp.pipe(docs)):
    for t, tok in zip(g, doc):
        if tok.pos_ != t["upos"]:
            conf[(t["upos"], tok.pos_)] += 1; words[(t["upos"], tok.pos_, t["form"])] += 1
        gh = t["head"] if t["head"] >= 0 else None; ph = tok.head.i if tok.head.i != tok.i else None
        if not (gh == ph and (tok.dep_.split(":")[0].lower() == t["dep"].split(":")[0].lower() or (gh is None and tok.dep_ == "ROOT"))):
            dep[t["dep"].split(":")[0]] += 1
print("gold->pred UPOS confusions:")
for (gp, pp), c in conf.most_common(25):
    ex = [w for (g2, p2, w), _ in words.most_common() if g2 == gp and p2 == pp][:8]
    print(f"{gp:6s}->{pp:6s} {c:4d}  {ex}")
print("LAS errors by gold relation:", dep.most_common(20))
