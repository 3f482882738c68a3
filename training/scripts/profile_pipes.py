"""Per-component time of a pipeline on 10kGNAD test articles (unlabelled benchmark text only).
Usage: python training/scripts/profile_pipes.py MODEL [--limit 150]"""
import argparse, csv, lzma, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import spacy
import workers.pipeline.components.factories  # noqa
from spacy.util import minibatch

ap = argparse.ArgumentParser(); ap.add_argument("model"); ap.add_argument("--limit", type=int, default=150)
a = ap.parse_args()
nlp = spacy.load(a.model)
with lzma.open(Path(__file__).resolve().parents[3] / "shared/data/10kgnad/test.csv.xz", "rt", encoding="utf-8") as f:
    texts = [r[1] for r in csv.reader(f, delimiter=";", quotechar="'") if len(r) >= 2][: a.limit]
tt = {"tokenizer": 0.0}; words = 0
for batch in minibatch(texts, 64):
    t0 = time.process_time(); docs = [nlp.make_doc(t) for t in batch]; tt["tokenizer"] += time.process_time() - t0
    for name, proc in nlp.pipeline:
        t0 = time.process_time()
        docs = list(proc.pipe(docs, batch_size=64)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        tt[name] = tt.get(name, 0) + time.process_time() - t0
    words += sum(1 for d in docs for t in d if not t.is_space and not t.is_punct)
tot = sum(tt.values())
for k, v in tt.items(): print(f"{k:28s} {v:7.2f}s {100*v/tot:5.1f}%")
print(f"total {tot:.2f}s  words {words}  words/CPU-s {words/tot:,.0f}")
