"""Convert the corpora in ../shared/data into spaCy DocBin files (training/corpus/).

Only licence-compatible data (CC BY / CC BY-SA / CC0) goes into the training files.
Evaluation-only files: GermEval 2014 dev (NER), UD German-PUD news sentences (n*).
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

sys.path.insert(0, str(Path(__file__).parent))
from common import (DATA, bio_to_spans, guess_spaces, map_germeval_tag, merge_mwt,  # noqa: E402
                    read_conllu, read_germeval, xopen)

SEED = 0
nlp = spacy.blank("de")


def ner_doc(words, tags):
    doc = Doc(nlp.vocab, words=words, spaces=guess_spaces(words))
    ents = []
    for s, e, label in bio_to_spans(tags):
        ents.append(doc.char_span(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), label=label))
    doc.ents = [x for x in ents if x is not None]
    return doc


def save(docs, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    print(f"{path}: {len(docs)} docs, {sum(len(d) for d in docs)} tokens")


# ------------------------------------------------------------------ NER
def germeval(out: Path, raw):
    test = list(read_germeval(DATA / "germeval2014" / "NER-de-test.tsv.xz"))
    rng = random.Random(SEED)
    idx = list(range(len(test)))
    rng.shuffle(idx)
    held = set(idx[:500])  # tuning / early-stopping part of GermEval *test*
    train_docs, dev_docs = [], []
    for i, (w, t, _) in enumerate(test):
        doc = ner_doc(w, [map_germeval_tag(x) for x in t])
        (dev_docs if i in held else train_docs).append(doc)
        raw.append(" ".join(w))
    save(train_docs, out / "ner_train" / "germeval.spacy")
    save(train_docs, out / "ner_train_plus" / "germeval.spacy")
    save(dev_docs, out / "ner_dev.spacy")
    # evaluation only (never trained/tuned on)
    dev = [ner_doc(w, [map_germeval_tag(x) for x in t]) for w, t, _ in read_germeval(DATA / "germeval2014" / "NER-de-dev.tsv.xz")]
    save(dev, out / "ner_eval_germeval_dev.spacy")


LER_MAP = {"PER": "PER", "RR": "PER", "AN": "PER", "LD": "LOC", "ST": "LOC", "STR": "LOC", "LDS": "LOC",
           "ORG": "ORG", "UN": "ORG", "INN": "ORG", "GRT": "ORG", "MRK": "ORG"}


def read_conll_simple(path, col_tok=0, col_tag=-1, sep=None):
    words, tags = [], []
    with xopen(path) as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if line.startswith("-DOCSTART-"):
                continue
            if not line.strip():
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            cols = line.split(sep)
            if len(cols) < 2:
                continue
            words.append(cols[col_tok])
            tags.append(cols[col_tag])
    if words:
        yield words, tags


def remap(tags, mapping):
    out = []
    for t in tags:
        if t == "O" or "-" not in t:
            out.append("O")
            continue
        p, lab = t.split("-", 1)
        m = mapping.get(lab)
        out.append(f"{p}-{m}" if m else "O")
    # repair I- after O / label change
    fixed, prev = [], "O"
    for t in out:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        fixed.append(t)
        prev = t
    return fixed


def ler(out: Path, raw, n_max=3000):
    rng = random.Random(SEED)
    sents = []
    for p in sorted((DATA / "legal_ner" / "courts").glob("*.conll.xz")):
        for w, t in read_conll_simple(p):
            raw.append(" ".join(w))
            sents.append((w, t))
    rng.shuffle(sents)
    docs = []
    for w, t in sents:
        tags = remap(t, LER_MAP)
        if len(w) > 80:
            continue
        if any(x != "O" for x in tags) or rng.random() < 0.1:
            docs.append(ner_doc(w, tags))
        if len(docs) >= n_max:
            break
    save(docs, out / "ner_train_plus" / "ler.spacy")


MOBIE_MAP = {"person": "PER", "location": "LOC", "location-city": "LOC", "location-street": "LOC",
             "organization": "ORG", "organization-company": "ORG"}


def mobie(out: Path, raw):
    docs = []
    rng = random.Random(SEED)
    for split in ("train", "dev", "test"):
        for w, t in read_conll_simple(DATA / "mobie" / f"{split}.conll2003.xz"):
            raw.append(" ".join(w))
            tags = remap(t, MOBIE_MAP)
            if any(x != "O" for x in tags) and rng.random() < 0.3:
                docs.append(ner_doc(w, tags))
    save(docs, out / "ner_train_plus" / "mobie.spacy")


def hipe(out: Path, raw):
    """HIPE-2022 newseye + sonar (CC BY). hipe2020 files are NC and skipped."""
    docs = []
    for p in sorted((DATA / "hipe2022_de").glob("HIPE-2022-v2.1-*-de.tsv.xz")):
        if "hipe2020" in p.name:
            continue
        words, tags = [], []
        with xopen(p) as f:
            header = None
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.split("\t")
                if header is None:
                    header = cols
                    continue
                words.append(cols[0])
                tags.append(cols[1])
                if "EndOfSentence" in cols[-1] and words:
                    raw.append(" ".join(words))
                    docs.append(ner_doc(words, remap(tags, {"PER": "PER", "LOC": "LOC", "ORG": "ORG",
                                                             "pers": "PER", "loc": "LOC", "org": "ORG"})))
                    words, tags = [], []
    rng = random.Random(SEED)
    rng.shuffle(docs)
    docs = [d for d in docs if len(d.ents) > 0 and len(d) <= 80][:2000]
    save(docs, out / "ner_train_plus" / "hipe.spacy")


def europeana(out: Path, raw):
    for p in sorted((DATA / "europeana_ner_de").glob("*.bio.xz")):
        words = []
        with xopen(p) as f:
            for line in f:
                cols = line.split()
                if len(cols) == 2:
                    words.append(cols[0])
                    if cols[0] in (".", "!", "?") and len(words) > 3:
                        raw.append(" ".join(words))
                        words = []


# ------------------------------------------------------------------ UD
def ud_doc(sents):
    words, spaces, pos, morphs, lemmas, heads, deps, starts = [], [], [], [], [], [], [], []
    for toks in sents:
        off = len(words)
        for i, t in enumerate(toks):
            words.append(t["form"])
            spaces.append(t["space"])
            pos.append(t["upos"])
            morphs.append(t["feats"] or "")
            lemmas.append(t["lemma"])
            heads.append(off + (t["head"] if t["head"] >= 0 else i))
            deps.append(t["dep"])
            starts.append(i == 0)
        spaces[-1] = True
    spaces[-1] = False
    return Doc(nlp.vocab, words=words, spaces=spaces, pos=pos, morphs=morphs, lemmas=lemmas,
               heads=heads, deps=deps, sent_starts=starts)


# UD German-GSD and the PUD sentences (the evaluation target) follow different conventions for a few
# frequent cases; counted on GSD dev+test against PUD w* (training data only): months/weekdays are
# PROPN in GSD, NOUN in PUD; adverbially used adjectives are ADJ+advmod in GSD (400), ADV in PUD (ADJ+advmod: 1);
# comparative "als"/"wie" is ADP|CCONJ+case in GSD, CCONJ+cc in PUD; "um" (zu) is ADP+mark in GSD, SCONJ in PUD;
# "%" is X in GSD, SYM in PUD. harmonize_gsd() rewrites GSD to the PUD conventions.
_TIME_NOUNS = {"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
               "november", "dezember", "jänner", "montag", "dienstag", "mittwoch", "donnerstag", "freitag",
               "samstag", "sonnabend", "sonntag"}


def harmonize_gsd(toks):
    for t in toks:
        low = t["form"].lower()
        if t["upos"] == "PROPN" and low in _TIME_NOUNS:
            t["upos"] = "NOUN"
        elif t["upos"] == "ADJ" and t["dep"] == "advmod":
            t["upos"] = "ADV"
        elif low in ("als", "wie") and t["dep"] == "case" and t["upos"] in ("ADP", "CCONJ"):
            t["upos"], t["dep"] = "CCONJ", "cc"
        elif low == "um" and t["upos"] == "ADP" and t["dep"] == "mark":
            t["upos"] = "SCONJ"
        elif t["form"] == "%" and t["upos"] == "X":
            t["upos"] = "SYM"
    return toks


HARMONIZE = False  # --harmonize; the shipped recipe maps at inference time instead (lagebild_ud_conventions)


def ud(out: Path, raw, group=4):
    train, dev, test = [], [], []
    n = 0
    for f in ("ud_german_gsd/de_gsd-ud-dev.conllu.xz", "ud_german_gsd/de_gsd-ud-test.conllu.xz",
              "ud_german_pud/de_pud-ud-test.conllu.xz"):
        for sid, rows in read_conllu(DATA / f):
            toks = merge_mwt(rows)
            if "pud" in f and sid.startswith("n"):
                test.append(toks)  # the news test set: evaluation only
                continue
            raw.append(" ".join(t["form"] for t in toks))
            if HARMONIZE and "gsd" in f:
                toks = harmonize_gsd(toks)
            n += 1
            (dev if n % 10 == 0 else train).append(toks)
    def grouped(sents):
        return [ud_doc(sents[i:i + group]) for i in range(0, len(sents), group)]
    save(grouped(train), out / "ud_train.spacy")
    save(grouped(dev), out / "ud_dev.spacy")
    save([ud_doc([s]) for s in test], out / "ud_eval_pud_news.spacy")


def final_ner_corpus(out: Path):
    """corpus/ner_train_all: the NER training files plus the 500 held-out GermEval test sentences.
    The shipped NER is trained on it for the number of steps the held-out run selected."""
    import shutil

    final = out / "ner_train_all"
    final.mkdir(parents=True, exist_ok=True)
    for path in (out / "ner_train_plus").glob("*.spacy"):
        shutil.copy(path, final / path.name)
    shutil.copy(out / "ner_dev.spacy", final / "germeval_heldout.spacy")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "corpus"))
    ap.add_argument("--raw", default=str(Path(__file__).resolve().parents[1] / "assets" / "raw_allowed.txt"))
    ap.add_argument("--harmonize", action="store_true",
                    help="rewrite GSD to PUD's UPOS conventions (experiment ud_harm; default: keep GSD's)")
    ap.add_argument("--only-ud", action="store_true", help="rewrite the UD files only")
    a = ap.parse_args()
    global HARMONIZE
    HARMONIZE = a.harmonize
    out = Path(a.out)
    if a.only_ud:
        ud(out, [])
        return
    raw: list[str] = []
    germeval(out, raw)
    ud(out, raw)
    mobie(out, raw)
    hipe(out, raw)
    europeana(out, raw)
    ler(out, raw)
    final_ner_corpus(out)
    Path(a.raw).parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    rng.shuffle(raw)
    with open(a.raw, "w", encoding="utf-8") as f:
        for line in raw:
            f.write(line + "\n")
    print(f"{a.raw}: {len(raw)} lines, {sum(len(l.split()) for l in raw)} tokens (allowed text only)")


if __name__ == "__main__":
    main()
