"""Build the lemma lookup table (UPOS|form -> lemma) baked into the shipped vocab.

Sources (licence-compatible only):
  1. UD gold training sentences (GSD dev/test, PUD w*) -- highest priority
  2. HanTa (TIGER-trained lemmatizer, PyPI) run over the allowed raw text
     (assets/raw_allowed.txt), STTS mapped to UPOS, pronoun lemmas mapped to
     UD conventions ("mir" -> "ich"), majority vote per (UPOS, form).
Output: assets/lemma_table.json
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import DATA, merge_mwt, read_conllu  # noqa: E402

STTS2UPOS = {
    "ADJA": "ADJ", "ADJD": "ADJ", "ADV": "ADV", "APPR": "ADP", "APPRART": "ADP", "APPO": "ADP", "APZR": "ADP",
    "ART": "DET", "CARD": "NUM", "FM": "X", "ITJ": "INTJ", "KOUI": "SCONJ", "KOUS": "SCONJ", "KON": "CCONJ",
    "KOKOM": "CCONJ", "NN": "NOUN", "NE": "PROPN", "PDS": "PRON", "PDAT": "DET", "PIS": "PRON", "PIAT": "DET",
    "PIDAT": "DET", "PPER": "PRON", "PPOSS": "PRON", "PPOSAT": "DET", "PRELS": "PRON", "PRELAT": "DET",
    "PRF": "PRON", "PWS": "PRON", "PWAT": "DET", "PWAV": "ADV", "PAV": "ADV", "PROAV": "ADV", "PTKZU": "PART",
    "PTKNEG": "PART", "PTKVZ": "ADP", "PTKANT": "INTJ", "PTKA": "PART", "TRUNC": "X", "XY": "X",
    "VVFIN": "VERB", "VVIMP": "VERB", "VVINF": "VERB", "VVIZU": "VERB", "VVPP": "VERB",
    "VAFIN": "AUX", "VAIMP": "AUX", "VAINF": "AUX", "VAPP": "AUX", "VMFIN": "AUX", "VMINF": "AUX", "VMPP": "AUX",
}
PRON_FIX = {"mir": "ich", "mich": "ich", "meiner": "ich", "uns": "wir", "unser": "wir", "dir": "du", "dich": "du",
            "euch": "ihr", "ihn": "er", "ihm": "er", "ihnen": "sie", "Ihnen": "Sie"}


def upos_of(tag: str) -> str | None:
    t = tag.replace("(", "").replace(")", "")
    if t in STTS2UPOS:
        return STTS2UPOS[t]
    for k in ("VV", "VA", "VM"):
        if t.startswith(k):
            return STTS2UPOS[k + "FIN"]
    if t.startswith("ADJ"):
        return "ADJ"
    if t.startswith("$"):
        return "PUNCT"
    return None


def run_hanta(a):
    from HanTa import HanoverTagger as ht
    tagger = ht.HanoverTagger("morphmodel_ger.pgz")
    silver = defaultdict(Counter)
    n = 0
    with open(a.raw, encoding="utf-8") as f:
        for k, line in enumerate(f):
            if k >= a.max_lines:
                break
            words = line.split()
            if not words or len(words) > 100:
                continue
            for w, lemma, tag in tagger.tag_sent(words, taglevel=1):  # noqa
                up = upos_of(tag)
                if up is None or up in ("PUNCT", "X", "NUM"):
                    continue
                if up == "PRON" and lemma in ("sich",) and w.lower() in PRON_FIX:
                    lemma = PRON_FIX[w.lower()]
                if w in PRON_FIX and up == "PRON":
                    lemma = PRON_FIX[w]
                if up == "PROPN" and lemma != w:
                    lemma = w  # UD keeps names as they are
                silver[f"{up}|{w}"][lemma] += 1
                n += 1
    return silver, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", default=str(Path(__file__).resolve().parents[1] / "assets" / "raw_allowed.txt"))
    ap.add_argument("--max-lines", type=int, default=40000)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "assets" / "lemma_table.json"))
    ap.add_argument("--exclude-dev", action="store_true",
                    help="leave the UD held-out sentences (every 10th, as in convert.py) out of the gold part")
    ap.add_argument("--silver-cache", default=str(Path(__file__).resolve().parents[1] / "assets" / "lemma_silver.json"))
    a = ap.parse_args()

    gold = defaultdict(Counter)
    n_gold = 0
    k_sent = 0
    for f in ("ud_german_gsd/de_gsd-ud-dev.conllu.xz", "ud_german_gsd/de_gsd-ud-test.conllu.xz",
              "ud_german_pud/de_pud-ud-test.conllu.xz"):
        for i, (sid, rows) in enumerate(read_conllu(DATA / f)):
            if "pud" in f and sid.startswith("n"):
                continue  # test set
            k_sent += 1
            if a.exclude_dev and k_sent % 10 == 0:
                continue
            for t in merge_mwt(rows):
                gold[f"{t['upos']}|{t['form']}"][t["lemma"]] += 1
                n_gold += 1

    silver = defaultdict(Counter)
    n = 0
    cache = Path(a.silver_cache)
    if cache.exists():
        for k, c in json.loads(cache.read_text(encoding="utf-8")).items():
            silver[k].update(c)
        n = sum(sum(c.values()) for c in silver.values())
    else:
        silver, n = run_hanta(a)
        cache.write_text(json.dumps(silver, ensure_ascii=False), encoding="utf-8")
    table = {}
    for k, c in silver.items():
        lemma, cnt = c.most_common(1)[0]
        if cnt >= 1:
            table[k] = lemma
    for k, c in gold.items():
        table[k] = c.most_common(1)[0][0]
    Path(a.out).write_text(json.dumps(table, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(f"{a.out}: {len(table)} entries (gold tokens {n_gold}, silver tokens {n})")


if __name__ == "__main__":
    main()
