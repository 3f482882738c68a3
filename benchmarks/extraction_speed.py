"""Speed of the extraction steps (actors, quotes, events) against an earlier revision, side by side.

Both trees run in fresh processes, alternately, over the same articles (the 10kGNAD test rows of
the evaluation sets, as unlabelled text): each round parses every article once with the shipped
model and then times `Pipeline.extract` (parse + steps) over the same texts, so the steps' own
time is the difference. The figures that count are the ratios (this tree / the baseline) of one
run: whatever else the machine is doing slows both sides alike.

Usage (from the repository root):
    .venv/bin/python benchmarks/extraction_speed.py [--baseline REV] [--articles 60] [--rounds 3]
        [--data ../shared/data] [--write docs/benchmarks.md]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROUND = r"""
import csv, io, json, lzma, sys, time
from workers.pipeline.extractor import load
pipeline = load()
data, count = sys.argv[1], int(sys.argv[2])
with lzma.open(data + "/10kgnad/test.csv.xz", "rt", encoding="utf-8") as f:
    rows = list(csv.reader(io.StringIO(f.read()), delimiter=";", quotechar="'"))
texts = [text for label, text in rows if label == "International"][:count]
pipeline.extract(texts[0])  # warm the lexicon caches
t0 = time.process_time()
for text in texts:
    pipeline.parse(text)
parse = time.process_time() - t0
t0 = time.process_time()
for text in texts:
    pipeline.extract(text)
total = time.process_time() - t0
print(json.dumps({"parse": parse, "total": total, "words": sum(len(t.split()) for t in texts)}))
"""


def run_round(tree: Path, data: Path, articles: int) -> dict:
    """Run one timing round in a fresh interpreter whose imports come from `tree`."""
    env = dict(os.environ, PYTHONPATH=str(tree), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", ROUND, str(data), str(articles)], cwd=tree, env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="7916ecc", help="the revision to compare with")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args(argv)
    data = args.data.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.baseline], cwd=REPO, check=True,
                       capture_output=True)
        try:
            results: dict[str, list[dict]] = {"this tree": [], f"baseline {args.baseline}": []}
            started = time.time()
            for _ in range(args.rounds):  # alternately, so that load on the machine hits both
                results["this tree"].append(run_round(REPO, data, args.articles))
                results[f"baseline {args.baseline}"].append(run_round(base, data, args.articles))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=REPO, check=False,
                           capture_output=True)
    rows, steps = [], {}
    for name, rounds in results.items():
        parse = min(r["parse"] for r in rounds)
        total = min(r["total"] for r in rounds)
        steps[name] = total - parse
        words = rounds[0]["words"]
        rows.append(f"| {name} | {words / total:,.0f} | {parse:.2f} | {total - parse:.2f} |")
    mine, theirs = steps["this tree"], steps[f"baseline {args.baseline}"]
    load = os.getloadavg()[0]
    body = "\n".join([
        "## Extraction steps against an earlier revision",
        "",
        f"Measured {dt.date.today().isoformat()} with `.venv/bin/python benchmarks/extraction_speed.py "
        f"--baseline {args.baseline} --articles {args.articles} --rounds {args.rounds}` "
        f"({os.cpu_count()} cores, load average {load:.1f} at the end, {time.time() - started:.0f} s): the first "
        f"{args.articles} 10kGNAD International test articles, CPU seconds, best of {args.rounds} alternating rounds.",
        "",
        "| tree | words/s (parse + steps) | parse s | steps s |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        f"Steps this tree / baseline: **{mine / theirs:.2f}** (below 1 is faster).",
    ])
    print(body)
    if args.write:
        sys.path.insert(0, str(REPO))
        from evaluation.common import write_section
        write_section(args.write, "extraction-speed", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
