"""Write the extraction of every evaluation article as JSON Lines, to compare two versions byte for byte.

A refactoring must not change what the pipeline finds: run this before and after and compare the
files (`cmp`, or `--compare OLD` to list the articles that differ). The articles go through
`Pipeline.extract_many` (nlp.pipe batches); `--each` runs `Pipeline.extract` per article instead,
so that both paths can be compared with one snapshot. The articles: the seeds, SpkAtt
train, the 10kGNAD rows of the actor and event annotations and the unseen-news selection. The
output holds article text and lives outside the repository.

Usage (from the repository root):
    .venv/bin/python -m evaluation.snapshot OUT.jsonl [--data ../shared/data] [--model NAME] [--compare OLD.jsonl]
        [--each]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from evaluation.common import DEFAULT_DATA, ROOT, annotated_articles
from evaluation.spkatt import load_articles, rebuild
from evaluation.unseen_selection import selection


def articles(data: Path):
    """Yield (key, text, published_at) for every article of every evaluation set, in a fixed order."""
    annotated_seeds = set()
    for folder in ("actors", "events"):
        for _spec, _article, name, _text in annotated_articles(ROOT / "evaluation" / "annotations" / folder, data):
            annotated_seeds.add(name)
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        if f"seeds/{path.name}" not in annotated_seeds:
            yield f"seeds/{path.name}", path.read_text(encoding="utf-8"), None
    for i, raw in enumerate(load_articles(data)):
        yield f"spkatt-train/{i}", rebuild(raw)[0], None
    seen = set()  # (the seeds are annotated too: read them once, with the annotated date)
    for folder in ("actors", "events"):
        for _spec, article, name, text in annotated_articles(ROOT / "evaluation" / "annotations" / folder, data):
            if name not in seen:
                seen.add(name)
                yield name, text, article.get("published_at")
    for record in selection(data):
        yield f"unseen/{record['key']}", record["text"], record["published_at"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model")
    parser.add_argument("--compare", type=Path, help="an earlier snapshot: list the articles that differ")
    parser.add_argument("--each", action="store_true", help="Pipeline.extract per article, not extract_many")
    args = parser.parse_args(argv)
    from workers.pipeline.extractor import load
    pipeline = load(args.model)
    found = list(articles(args.data))
    if args.each:
        results = (pipeline.extract(text, published_at) for _key, text, published_at in found)
    else:
        results = pipeline.extract_many((text, published_at) for _key, text, published_at in found)
    with args.out.open("w", encoding="utf-8") as out:
        for (key, _text, _published_at), result in zip(found, results):
            result.pop("pipeline")
            out.write(json.dumps({"key": key, "result": result}, ensure_ascii=False, sort_keys=True) + "\n")
    if not args.compare:
        return 0
    old = {r["key"]: r for r in map(json.loads, args.compare.open(encoding="utf-8"))}
    new = {r["key"]: r for r in map(json.loads, args.out.open(encoding="utf-8"))}
    differ = [k for k in new if old.get(k) != new[k]]
    for key in differ:
        print(f"differs: {key}")
    print(f"{len(differ)} of {len(new)} articles differ", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
