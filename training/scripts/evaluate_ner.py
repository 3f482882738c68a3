"""NER evaluation on GermEval 2014 *dev* (never trained or tuned on).

Runs the pipeline on the gold tokenization (Doc from the gold words) and reports
exact-match precision/recall/F1 on outer spans:
  * headline: PER/LOC/ORG/OTH (all deriv/part tags -> O in gold and prediction)
  * +LOCderiv: the same plus LOCderiv
  * per label
Usage: python training/scripts/evaluate_ner.py MODEL [--data DIR] [--json out.json]
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import spacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

import common  # noqa: E402
from common import bio_to_spans, guess_spaces, map_germeval_tag, read_germeval, write_metrics  # noqa: E402

CORE = ("PER", "LOC", "ORG", "OTH")


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(gold_sets, pred_sets, labels):
    tp = fp = fn = 0
    per = {l: Counter() for l in labels}
    for g, p in zip(gold_sets, pred_sets):
        g = {x for x in g if x[2] in labels}
        p = {x for x in p if x[2] in labels}
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        for x in g & p:
            per[x[2]]["tp"] += 1
        for x in p - g:
            per[x[2]]["fp"] += 1
        for x in g - p:
            per[x[2]]["fn"] += 1
    return prf(tp, fp, fn), {l: prf(c["tp"], c["fp"], c["fn"]) + (c["tp"] + c["fn"],) for l, c in per.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--data", default=str(common.DATA))
    ap.add_argument("--file", default="germeval2014/NER-de-dev.tsv.xz")
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    import workers.pipeline.components.factories  # noqa: F401  (registers lagebild_* factories)
    nlp = spacy.load(a.model)
    sents = list(read_germeval(Path(a.data) / a.file))
    gold, docs = [], []
    for words, tags, _ in sents:
        tags = [map_germeval_tag(t) for t in tags]
        gold.append({(s, e, l) for s, e, l in bio_to_spans(tags)})
        docs.append(Doc(nlp.vocab, words=words, spaces=guess_spaces(words)))
    t0 = time.time()
    pred = []
    for doc in nlp.pipe(docs, batch_size=256):
        pred.append({(e.start, e.end, e.label_) for e in doc.ents})
    dt = time.time() - t0
    (p, r, f), per = score(gold, pred, CORE)
    (p2, r2, f2), per2 = score(gold, pred, CORE + ("LOCderiv",))
    res = {"ents_p": p, "ents_r": r, "ents_f": f, "ents_f_with_LOCderiv": f2,
           "ents_p_with_LOCderiv": p2, "ents_r_with_LOCderiv": r2,
           "per_type": {k: {"p": v[0], "r": v[1], "f": v[2], "n": v[3]} for k, v in per2.items()},
           "sentences": len(sents), "seconds": dt}
    print(f"GermEval 2014 dev ({len(sents)} sentences), exact match, outer spans")
    print(f"| labels | P | R | F1 |\n|---|---:|---:|---:|")
    print(f"| PER/LOC/ORG/OTH (headline) | {p:.4f} | {r:.4f} | {f:.4f} |")
    print(f"| + LOCderiv | {p2:.4f} | {r2:.4f} | {f2:.4f} |")
    for k, v in per2.items():
        print(f"| {k} (n={v[3]}) | {v[0]:.4f} | {v[1]:.4f} | {v[2]:.4f} |")
    if a.json:
        write_metrics(a.json, res)


if __name__ == "__main__":
    main()
