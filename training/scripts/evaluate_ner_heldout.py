"""NER on the 500 held-out GermEval 2014 *test* sentences (corpus/ner_dev.spacy) — for model selection
(GermEval dev stays the untouched test set). Same scoring as evaluate_ner.py, plus an error breakdown.
Usage: python scripts/evaluate_ner_heldout.py MODEL [--errors]"""
import argparse, sys
from collections import Counter
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent)); sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import spacy
from spacy.tokens import Doc, DocBin
import workers.pipeline.components.factories  # noqa
from evaluate_ner import CORE, score
ap = argparse.ArgumentParser(); ap.add_argument("model"); ap.add_argument("--gold", default="corpus/ner_dev.spacy")
ap.add_argument("--errors", action="store_true"); ap.add_argument("--disable", action="append", default=[])
a = ap.parse_args()
nlp = spacy.load(a.model, exclude=a.disable)
gold_docs = list(DocBin().from_disk(a.gold).get_docs(nlp.vocab))
docs = [Doc(nlp.vocab, words=[t.text for t in g], spaces=[bool(t.whitespace_) for t in g]) for g in gold_docs]
gold = [{(e.start, e.end, e.label_) for e in g.ents} for g in gold_docs]
pred = [{(e.start, e.end, e.label_) for e in d.ents} for d in nlp.pipe(docs, batch_size=256)]
(p, r, f), per = score(gold, pred, CORE)
print(f"{a.model}: held-out PER/LOC/ORG/OTH P {p:.4f} R {r:.4f} F1 {f:.4f}")
for k, v in per.items(): print(f"  {k} n={v[3]} P {v[0]:.3f} R {v[1]:.3f} F {v[2]:.3f}")
if a.errors:
    kinds = Counter(); ex = Counter()
    for g, pr, d in zip(gold, pred, gold_docs):
        g = {x for x in g if x[2] in CORE}; pr = {x for x in pr if x[2] in CORE}
        for s, e, l in g - pr:
            over = [x for x in pr if x[0] < e and s < x[1]]
            if not over: kinds[f"missed {l}"] += 1; ex[("missed", l, d[s:e].text)] += 1
            elif any(x[0] == s and x[1] == e for x in over): kinds[f"label {l}->{over[0][2]}"] += 1
            else: kinds[f"boundary {l}"] += 1; ex[("boundary", l, d[s:e].text + " / " + d[over[0][0]:over[0][1]].text)] += 1
        for s, e, l in pr - g:
            if not any(x[0] < e and s < x[1] for x in g): kinds[f"spurious {l}"] += 1; ex[("spurious", l, d[s:e].text)] += 1
    for k, c in kinds.most_common(): print(f"  {k}: {c}")
    for (k, l, t), c in list(ex.items())[:120]: print("   ", k, l, t)
