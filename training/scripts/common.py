"""Shared readers for the corpora in ../shared/data (read-only, never copied)."""
from __future__ import annotations

import csv
import json
import lzma
import os
import random
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("LAGEBILD_DATA", REPO.parent / "shared" / "data"))

NO_SPACE_BEFORE = set(".,;:!?)]}“‘%…") | {"''", "'", "“", "»"}
NO_SPACE_AFTER = set("([{„‚«") | {"``"}


def guess_spaces(words: list[str]) -> list[bool]:
    """Whitespace heuristic for pre-tokenized text without SpaceAfter info."""
    spaces = []
    quote_open = False
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        sp = True
        if nxt is None:
            sp = False
        elif nxt in NO_SPACE_BEFORE:
            sp = False
        elif w in NO_SPACE_AFTER:
            sp = False
        elif w == '"':
            # straight quotes: opening quote has no space after
            quote_open = not quote_open
            sp = not quote_open
        elif nxt == '"' and quote_open:
            sp = False
        spaces.append(sp)
    return spaces


def xopen(path: Path):
    return lzma.open(path, "rt", encoding="utf-8")


# ---------------------------------------------------------------- GermEval 2014
def read_germeval(path: Path):
    """Yield (words, outer_tags, source_url) per sentence."""
    words, tags, src = [], [], None
    with xopen(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#\t"):
                src = line.split("\t")[1] if len(line.split("\t")) > 1 else None
                continue
            if not line.strip():
                if words:
                    yield words, tags, src
                words, tags = [], []
                continue
            cols = line.split("\t")
            words.append(cols[1])
            tags.append(cols[2])
    if words:
        yield words, tags, src


def map_germeval_tag(tag: str, keep=("PER", "LOC", "ORG", "OTH", "LOCderiv")) -> str:
    if tag == "O":
        return "O"
    prefix, label = tag.split("-", 1)
    return tag if label in keep else "O"


def bio_to_spans(tags: list[str]):
    spans, start, label = [], None, None
    for i, t in enumerate(tags + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and t[2:] != label):
            if start is not None:
                spans.append((start, i, label))
                start, label = None, None
            if t != "O":
                start, label = i, t[2:]
    return spans


# ---------------------------------------------------------------- CoNLL-U
def read_conllu(path: Path):
    """Yield (sent_id, rows) where rows are the 10-column lists, MWT ranges included."""
    sid, rows = None, []
    with xopen(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# sent_id"):
                sid = line.split("=", 1)[1].strip()
            elif line.startswith("#"):
                continue
            elif not line.strip():
                if rows:
                    yield sid, rows
                sid, rows = None, []
            else:
                rows.append(line.split("\t"))
    if rows:
        yield sid, rows


def merge_mwt(rows):
    """Collapse multiword tokens (im = in + dem) into one surface token.

    The merged token takes UPOS/lemma/deprel of the first part whose head lies
    outside the range (the ADP in 'im'), and the union of the parts' features.
    Returns a list of dicts with keys form, lemma, upos, feats, head (0-based,
    -1 for root), dep, space.
    """
    toks = []  # (form, lemma, upos, feats, head_word_id, dep, space, word_ids)
    word2tok = {}
    i = 0
    while i < len(rows):
        r = rows[i]
        if "." in r[0]:
            i += 1
            continue
        if "-" in r[0]:
            a, b = map(int, r[0].split("-"))
            parts = [x for x in rows[i + 1 : i + 1 + (b - a + 1)]]
            ids = [int(p[0]) for p in parts]
            main = next((p for p in parts if int(p[6]) not in ids), parts[0])
            feats = {}
            for p in parts:
                if p[5] != "_":
                    for kv in p[5].split("|"):
                        k, v = kv.split("=", 1)
                        feats.setdefault(k, v)
            space = "SpaceAfter=No" not in r[9]
            toks.append([r[1], main[2], main[3], feats, int(main[6]), main[7], space, ids])
            for wid in ids:
                word2tok[wid] = len(toks) - 1
            i += 1 + len(parts)
            continue
        feats = {}
        if r[5] != "_":
            for kv in r[5].split("|"):
                k, v = kv.split("=", 1)
                feats[k] = v
        space = "SpaceAfter=No" not in r[9]
        toks.append([r[1], r[2], r[3], feats, int(r[6]), r[7], space, [int(r[0])]])
        word2tok[int(r[0])] = len(toks) - 1
        i += 1
    out = []
    for t in toks:
        head = -1 if t[4] == 0 else word2tok[t[4]]
        out.append(dict(form=t[0], lemma=t[1], upos=t[2],
                        feats="|".join(f"{k}={v}" for k, v in sorted(t[3].items())),
                        head=head, dep=t[5], space=t[6]))
    # fix self-loops created by merging (head inside own MWT)
    for idx, t in enumerate(out):
        if t["head"] == idx:
            t["head"] = -1
            t["dep"] = "root"
    return out


# ---------------------------------------------------------------- 10kGNAD (non-commercial: benchmark/experiments only)
def read_10kgnad():
    with xopen(DATA / "10kgnad" / "test.csv.xz") as f:
        for row in csv.reader(f, delimiter=";", quotechar="'"):
            if len(row) >= 2:
                yield row[1]


def read_seeds():
    for p in sorted((REPO / "seeds").glob("*.txt")):
        yield p.name, p.read_text(encoding="utf-8")


def set_fast_ops_config(model_dir):
    """Set [nlp.after_pipeline_creation] of a saved pipeline to lagebild.fast_ops.v1
    (numpy's BLAS for the matrix products, workers/pipeline/components/fast_ops.py)."""
    from spacy.util import load_config
    path = Path(model_dir) / "config.cfg"
    cfg = load_config(path, interpolate=False)
    cfg["nlp"]["after_pipeline_creation"] = {"@callbacks": "lagebild.fast_ops.v1"}
    cfg.to_disk(path)


def write_metrics(path: str | Path, metrics: dict) -> None:
    """Write an evaluation's figures as indented JSON (training/metrics/*.json), creating the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(metrics, indent=2))
