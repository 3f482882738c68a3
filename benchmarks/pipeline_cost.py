"""What the pipeline costs per process: words/s with and without the rules, memory after many
articles, and time and memory against article length (1 KB to 1 MB).

Every measurement runs in a fresh interpreter of its own, one process on one BLAS thread, as a
worker process runs:
- speed: the first N 10kGNAD International test articles (unlabelled text) parsed only, and
  parsed and extracted, with one `nlp(text)` per article and with `nlp.pipe` batches
  (`Pipeline.extract_many`); CPU seconds, so that other load on the machine counts less;
- memory: RSS of a process that has loaded the pipeline and extracted M articles one by one
  (`extract`, as a worker does), with the memory zone and, for comparison, without it;
- length: one text of 1, 10, 100 and 1000 KB made by joining real articles, extracted once in a
  fresh process: CPU seconds, seconds per KB (constant when the cost is linear) and peak RSS.

Words are the tokens that are neither punctuation nor whitespace (as in docs/model.md).

Usage (from the repository root):
    .venv/bin/python benchmarks/pipeline_cost.py [--articles 200] [--memory-articles 400]
        [--sizes 1,10,100,1000] [--data ../shared/data] [--write docs/benchmarks.md]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import contextlib, csv, io, json, lzma, resource, sys, time
from workers.pipeline import extractor
from workers.pipeline.extractor import load

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

mode, data, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with lzma.open(data + "/10kgnad/test.csv.xz", "rt", encoding="utf-8") as f:
    rows = list(csv.reader(io.StringIO(f.read()), delimiter=";", quotechar="'"))
international = [text for label, text in rows if label == "International"]
everything = [text for _label, text in rows]
loaded_at = rss_mb()
pipeline = load()
pipeline.extract(international[0])  # warm the lexicon caches
out = {"rss_loaded": rss_mb(), "rss_start": loaded_at}
if mode == "speed":
    texts = international[:count]
    out["words"] = sum(1 for doc in pipeline.parse_many(texts) for t in doc if not t.is_space and not t.is_punct)
    for name, run in (("parse, nlp() per article", lambda: [pipeline.parse(t) for t in texts]),
                      ("parse, nlp.pipe", lambda: pipeline.parse_many(texts)),
                      ("parse + rules, extract() per article", lambda: [pipeline.extract(t) for t in texts]),
                      ("parse + rules, extract_many (nlp.pipe)", lambda: list(pipeline.extract_many((t, None) for t in texts)))):
        started = time.process_time()
        run()
        out[name] = time.process_time() - started
elif mode in ("memory", "memory-without-zone", "memory-batches"):
    if mode == "memory-without-zone":
        extractor._memory_zone = lambda nlp: contextlib.nullcontext()
    strings = len(pipeline.nlp.vocab.strings)
    if mode == "memory-batches":  # as a worker takes them: up to the batch size and characters, in order
        from lagebild_core.settings import Settings
        settings, todo = Settings.from_env(), everything[:count]
        while todo:
            batch = [todo.pop(0)]
            while todo and len(batch) < settings.worker_batch_size and \
                    sum(map(len, batch)) + len(todo[0]) <= settings.worker_batch_characters:
                batch.append(todo.pop(0))
            list(pipeline.extract_many([(text, None) for text in batch], batch_size=len(batch)))
    else:
        for text in everything[:count]:
            pipeline.extract(text)
    out.update(rss_after=rss_mb(), strings_added=len(pipeline.nlp.vocab.strings) - strings,
               peak=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
else:  # mode "length": one text of `count` KB, real articles joined by blank lines
    text, i = "", 0
    while len(text.encode("utf-8")) < count * 1024:
        text += everything[i % len(everything)] + "\n\n"
        i += 1
    text = text.encode("utf-8")[:count * 1024].decode("utf-8", "ignore")
    text = text[:text.rfind(" ")] if count > 1 else text
    started, wall = time.process_time(), time.perf_counter()
    result = pipeline.extract(text)
    out.update(cpu=time.process_time() - started, wall=time.perf_counter() - wall, kb=len(text.encode("utf-8")) / 1024,
               peak=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, actors=len(result["actors"]))
print(json.dumps(out))
"""


def child(mode: str, data: Path, count: int) -> dict:
    """Run one measurement in a fresh interpreter (one BLAS thread, this tree's code)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(data), str(count)], cwd=REPO, env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="articles for the words/s figures")
    parser.add_argument("--memory-articles", type=int, default=400, help="articles before RSS is read")
    parser.add_argument("--sizes", default="1,10,100,1000", help="text sizes in KB")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args(argv)
    data = args.data.resolve()
    started, load_start = time.time(), os.getloadavg()[0]

    speed = child("speed", data, args.articles)
    words = speed["words"]
    rows = [f"| {name} | {speed[name]:.1f} | {words / speed[name]:,.0f} |"
            for name in ("parse, nlp() per article", "parse, nlp.pipe", "parse + rules, extract() per article",
                         "parse + rules, extract_many (nlp.pipe)")]
    rules = speed["parse + rules, extract() per article"] - speed["parse, nlp() per article"]
    sys.path.insert(0, str(REPO))
    from lagebild_core.settings import Settings
    defaults = Settings.from_env()  # LAGEBILD_WORKER_BATCH_SIZE and _CHARACTERS: as shipped unless set
    memory = {mode: child(mode, data, args.memory_articles)
              for mode in ("memory", "memory-without-zone", "memory-batches")}
    ways = {"memory": "one by one, with the memory zone", "memory-without-zone": "one by one, without the memory zone",
            "memory-batches": f"in a worker's batches ({defaults.worker_batch_size} articles, "
                              f"{defaults.worker_batch_characters:,} characters at most; `extract_many`)"}
    lengths = [child("length", data, int(kb)) for kb in args.sizes.split(",")]
    curve = [f"| {r['kb']:,.0f} | {r['cpu']:.2f} | {r['wall']:.2f} | {1000 * r['cpu'] / r['kb']:.1f} | {r['peak']:,.0f} |"
             for r in lengths]
    command = "benchmarks/pipeline_cost.py" + "".join(
        f" {flag} {value}" for flag, value in (("--articles", args.articles), ("--memory-articles", args.memory_articles),
                                               ("--sizes", args.sizes)))
    body = "\n".join([
        "## Pipeline cost per process: speed, memory, article length",
        "",
        f"Measured {dt.date.today().isoformat()} with `.venv/bin/python {command}` ({machine()}; load average "
        f"{load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; {time.time() - started:.0f} s). "
        "Each figure comes from a fresh process with one BLAS thread, as a worker process runs.",
        "",
        f"**Speed** over the first {args.articles} 10kGNAD International test articles ({words:,} words = tokens "
        "that are neither punctuation nor whitespace), CPU seconds of one process:",
        "",
        "| what | CPU s | words/s |",
        "|---|---:|---:|",
        *rows,
        "",
        f"The rules (actors, events, quotes) take {rules:.1f} CPU s of these articles ({words / rules:,.0f} words/s "
        "on their own); the rest is spaCy.",
        "",
        f"**Memory** of one process that loaded the pipeline and extracted {args.memory_articles} 10kGNAD test "
        "articles (a worker process extracts one at a time when nothing else waits, in batches under a backlog):",
        "",
        "| extracted | RSS loaded MB | RSS after MB | peak RSS MB | strings added to the vocab |",
        "|---|---:|---:|---:|---:|",
        *[f"| {ways[mode]} | {r['rss_loaded']:,.0f} | {r['rss_after']:,.0f} | {r['peak']:,.0f} | "
          f"{r['strings_added']:,} |" for mode, r in memory.items()],
        "",
        "**Article length**: one text made of real articles joined by blank lines, extracted once in a fresh "
        "process (linear cost: CPU ms per KB about constant):",
        "",
        "| KB | CPU s | wall s | CPU ms per KB | peak RSS MB |",
        "|---:|---:|---:|---:|---:|",
        *curve,
    ])
    print(body)
    if args.write:
        sys.path.insert(0, str(REPO))
        from evaluation.common import write_section
        write_section(args.write, "pipeline-cost", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
