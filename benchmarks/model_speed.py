"""Throughput and memory of the shipped pipeline (models/de_lagebild).

Measures nlp.pipe words/s (one process) on the seed articles and on the 10kGNAD
test articles (used as unlabelled text for benchmarking only), and the RSS delta
of loading the pipeline. Prints a markdown table and writes/updates the section
"## Speed benchmark" in docs/model.md.

Usage: python benchmarks/model_speed.py [--model models/de_lagebild] [--data ../shared/data]
       [--limit N] [--no-write]
"""
from __future__ import annotations

import argparse
import csv
import lzma
import os
import platform
import re
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def bench(nlp, texts, batch_size=64):
    t0 = time.perf_counter()
    c0 = time.process_time()
    words = tokens = 0
    for doc in nlp.pipe(texts, batch_size=batch_size):
        words += sum(1 for t in doc if not t.is_space and not t.is_punct)
        tokens += sum(1 for t in doc if not t.is_space)
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return words, tokens, dt, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(REPO / "models" / "de_lagebild"))
    ap.add_argument("--data", default=os.environ.get("LAGEBILD_DATA", str(REPO.parent / "shared" / "data")))
    ap.add_argument("--limit", type=int, default=0, help="number of 10kGNAD articles (0 = all)")
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()

    import spacy

    import workers.pipeline.components.factories  # noqa: F401

    r0 = rss_mb()
    t0 = time.perf_counter()
    nlp = spacy.load(a.model)
    load_s = time.perf_counter() - t0
    nlp("Warmlauf: Der Minister sagte, er sei bereit.")
    r1 = rss_mb()

    seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    rows = []
    w, tk, dt, cpu = bench(nlp, seeds * 5)
    rows.append(("seeds (5 articles x 5)", len(seeds) * 5, w, tk, dt, cpu))
    gnad = Path(a.data) / "10kgnad" / "test.csv.xz"
    if gnad.exists():
        with lzma.open(gnad, "rt", encoding="utf-8") as f:
            texts = [r[1] for r in csv.reader(f, delimiter=";", quotechar="'") if len(r) >= 2]
        if a.limit:
            texts = texts[: a.limit]
        w, tk, dt, cpu = bench(nlp, texts)
        rows.append(("10kGNAD test articles", len(texts), w, tk, dt, cpu))
    r2 = rss_mb()

    lines = [
        f"Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"spaCy {spacy.__version__}; one process, `nlp.pipe(batch_size=64)`, all components enabled; "
        f"model `{Path(a.model).resolve().relative_to(REPO) if Path(a.model).resolve().is_relative_to(REPO) else a.model}`; "
        f"BLAS threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; "
        f"words = tokens that are neither punctuation nor whitespace.",
        "",
        "| text | docs | words | tokens | wall s | words/s (wall) | tokens/s (wall) | CPU s | words per CPU-s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, n, w, tk, dt, cpu in rows:
        lines.append(f"| {name} | {n} | {w:,} | {tk:,} | {dt:.1f} | {w / dt:,.0f} | {tk / dt:,.0f} | "
                     f"{cpu:.1f} | {w / cpu:,.0f} |")
    lines += [
        "",
        f"Memory: RSS before load {r0:.0f} MB, after load {r1:.0f} MB (pipeline: **+{r1 - r0:.0f} MB**), "
        f"after the benchmark {r2:.0f} MB; load time {load_s:.1f} s. "
        f"Load average at the start (the machine is shared): {os.getloadavg()[0]:.1f}.",
    ]
    table = "\n".join(lines)
    print(table)
    if not a.no_write:
        doc = REPO / "docs" / "model.md"
        text = doc.read_text(encoding="utf-8") if doc.exists() else "# de_lagebild\n"
        section = "## Speed benchmark\n\nCommand: `python benchmarks/model_speed.py`\n\n" + table + "\n"
        if "## Speed benchmark" in text:
            text = re.sub(r"## Speed benchmark\n.*?(?=\n## |\Z)", section.rstrip("\n") + "\n", text, flags=re.S)
        else:
            text = text.rstrip("\n") + "\n\n" + section
        doc.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
