"""UD evaluation on the 500 news sentences of UD German-PUD (sent_id n*; never trained/tuned on).

Multiword tokens (im = in + dem) are merged into their surface token exactly as in
training (see common.merge_mwt). The pipeline runs on the gold tokens, one sentence
per Doc. Reports UPOS, UAS, LAS (universal part of the relation, punctuation
included, CoNLL 2018 style), lemma accuracy, full FEATS accuracy, and Mood/Tense
accuracy on the tokens whose gold analysis has Mood/Tense.
Usage: python training/scripts/evaluate_ud.py MODEL [--data DIR] [--json out.json]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import spacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

import common  # noqa: E402
from common import merge_mwt, read_conllu, write_metrics  # noqa: E402


def feats_dict(s):
    return dict(kv.split("=", 1) for kv in s.split("|") if "=" in kv) if s else {}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--data", default=str(common.DATA))
    ap.add_argument("--prefix", default="n", help="sent_id prefix to evaluate (n = news)")
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    import workers.pipeline.components.factories  # noqa: F401
    nlp = spacy.load(a.model)
    gold = [merge_mwt(rows) for sid, rows in read_conllu(Path(a.data) / "ud_german_pud/de_pud-ud-test.conllu.xz")
            if sid.startswith(a.prefix)]
    docs = [Doc(nlp.vocab, words=[t["form"] for t in s], spaces=[t["space"] for t in s]) for s in gold]
    for d in docs:  # gold sentence = one Doc
        d[0].is_sent_start = True
    c = dict(n=0, upos=0, uas=0, las=0, lemma=0, feats=0, mood_n=0, mood=0, tense_n=0, tense=0,
             lemma_lower=0)
    t0 = time.time()
    for g, doc in zip(gold, nlp.pipe(docs, batch_size=64)):
        for t, tok in zip(g, doc):
            c["n"] += 1
            c["upos"] += tok.pos_ == t["upos"]
            ghead = t["head"] if t["head"] >= 0 else None
            phead = tok.head.i if tok.head.i != tok.i else None
            if ghead == phead:
                c["uas"] += 1
                if tok.dep_.split(":")[0].lower() == t["dep"].split(":")[0].lower() or (
                        ghead is None and tok.dep_ == "ROOT"):
                    c["las"] += 1
            c["lemma"] += tok.lemma_ == t["lemma"]
            c["lemma_lower"] += tok.lemma_.lower() == t["lemma"].lower()
            gf, pf = feats_dict(t["feats"]), tok.morph.to_dict()
            c["feats"] += gf == pf
            if "Mood" in gf:
                c["mood_n"] += 1
                c["mood"] += pf.get("Mood") == gf["Mood"]
            if "Tense" in gf:
                c["tense_n"] += 1
                c["tense"] += pf.get("Tense") == gf["Tense"]
    dt = time.time() - t0
    n = c["n"]
    res = {"tokens": n, "sentences": len(gold), "upos": c["upos"] / n, "uas": c["uas"] / n,
           "las": c["las"] / n, "lemma_acc": c["lemma"] / n, "lemma_acc_case_insensitive": c["lemma_lower"] / n,
           "feats_acc": c["feats"] / n, "mood_acc": c["mood"] / max(1, c["mood_n"]), "mood_n": c["mood_n"],
           "tense_acc": c["tense"] / max(1, c["tense_n"]), "tense_n": c["tense_n"], "seconds": dt}
    print(f"UD German-PUD news sentences ({len(gold)} sentences, {n} tokens, MWTs merged)")
    print("| metric | score |\n|---|---:|")
    for k in ("upos", "uas", "las", "lemma_acc", "lemma_acc_case_insensitive", "feats_acc", "mood_acc", "tense_acc"):
        print(f"| {k} | {res[k]:.4f} |")
    print(f"(Mood on {c['mood_n']} tokens, Tense on {c['tense_n']} tokens)")
    if a.json:
        write_metrics(a.json, res)


if __name__ == "__main__":
    main()
