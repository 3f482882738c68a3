"""Which articles form the "unseen news" evaluation set, and which half each belongs to.

The rule was fixed before any of the articles was read or the extractor run on them:

- SpkAtt blind test (German Wikinews, `spkatt/test_blind_unannotated.jsonl.xz`): walk the file in
  order and take the first 30 articles that have 5–25 sentences and whose title or first sentence
  contains one of `TOPIC_WORDS` (political and security news, the service's first users).
- 10kGNAD test (`10kgnad/test.csv.xz`): walk the rows from row 22 upwards (the earlier held-out
  extension ended at row 21) and take the first 10 rows labelled `International` that no earlier
  annotation file names and that have 120–700 words.
- Split by position in the selection: even positions → development, odd → held-out. Held-out
  articles are never opened while rules are changed.

Usage: `python -m evaluation.unseen_selection [--data ../shared/data] [--texts DIR]` lists the
selection; `--texts DIR` writes each article's rebuilt text to DIR (outside the repository:
the texts are non-commercial data and are never committed).
"""
from __future__ import annotations

import argparse
import json
import lzma
import re
from pathlib import Path

from evaluation.common import DEFAULT_DATA, ROOT, load_gnad
from evaluation.spkatt import rebuild

TOPIC_WORDS = (
    "regierung", "minister", "präsident", "kanzler", "parlament", "wahl", "partei", "krieg",
    "armee", "militär", "soldat", "truppen", "polizei", "anschlag", "angriff", "terror", "rebellen",
    "gipfel", "treffen", "verhandl", "sanktion", "konflikt", "protest", "demonstr", "botschaft",
    "diplomat", "außen", "uno", "nato", "eu-", "geisel", "bomb", "festgenommen", "verhaftet",
)
SPKATT_COUNT, GNAD_COUNT, GNAD_START = 30, 10, 22
ANNOTATIONS = ROOT / "evaluation" / "annotations"


def _topical(text: str) -> bool:
    words = re.findall(r"[\w-]+", text.lower())
    return any(w.startswith(t) or t in w for w in words for t in TOPIC_WORDS)


def spkatt_selection(data: Path) -> list[dict]:
    """Return the selected SpkAtt blind articles (raw records) in file order."""
    with lzma.open(data / "spkatt" / "test_blind_unannotated.jsonl.xz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    chosen = []
    for row in rows:
        first = " ".join(row["Sentences"][0]["Tokens"]) if row["Sentences"] else ""
        if 5 <= len(row["Sentences"]) <= 25 and _topical(row["title"] + " " + first):
            chosen.append(row)
        if len(chosen) == SPKATT_COUNT:
            break
    return chosen


def _annotated_gnad_rows() -> set[int]:
    rows = set()
    for path in ANNOTATIONS.glob("*/10kgnad*.json"):
        rows |= {a["row"] for a in json.loads(path.read_text(encoding="utf-8"))["articles"]}
    return rows


def gnad_selection(data: Path) -> list[int]:
    """Return the selected 10kGNAD test rows in walking order."""
    rows, taken = load_gnad(data), _annotated_gnad_rows()
    chosen = []
    for i in range(GNAD_START, len(rows)):
        label, text = rows[i][0], rows[i][1]
        if label == "International" and i not in taken and 120 <= len(text.split()) <= 700:
            chosen.append(i)
        if len(chosen) == GNAD_COUNT:
            break
    return chosen


def selection(data: Path = DEFAULT_DATA) -> list[dict]:
    """Return one record per selected article: key, dataset, locator, split, published_at, text."""
    out = []
    for pos, row in enumerate(spkatt_selection(data)):
        out.append({"key": f"spkatt-blind-{row['id']}", "dataset": "spkatt_blind", "id": row["id"],
                    "split": "development" if pos % 2 == 0 else "held-out",
                    "published_at": row["date"], "title": row["title"], "text": rebuild(row)[0]})
    for pos, row in enumerate(gnad_selection(data)):
        out.append({"key": f"10kgnad-{row}", "dataset": "10kgnad", "row": row,
                    "split": "development" if pos % 2 == 0 else "held-out",
                    "published_at": None, "title": None, "text": load_gnad(data)[row][1]})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--texts", type=Path, help="write each article's text to this folder")
    args = parser.parse_args()
    for record in selection(args.data):
        locator = record.get("id", record.get("row"))
        print(f"{record['key']}\t{record['split']}\t{record['published_at']}\t{locator}")
        if args.texts:
            args.texts.mkdir(parents=True, exist_ok=True)
            (args.texts / f"{record['key']}.txt").write_text(record["text"], encoding="utf-8")


if __name__ == "__main__":
    main()
