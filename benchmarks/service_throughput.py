"""Service benchmark: articles per second through the whole service, request latencies and
process memory, on the embedded default and (with --stack) on PostgreSQL + Redis.

    .venv/bin/python benchmarks/service_throughput.py [--articles 60] [--stack]

Writes the section between <!-- service:start --> and <!-- service:end --> of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.common import write_section  # noqa: E402
from tests.support.live import LiveService, seed_files  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    memory = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) // 1024 ** 2
    return f"{cpu}, {os.cpu_count()} cores, {memory} GiB, Python {platform.python_version()}"


def rss_mib(pattern: str) -> float:
    pids = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in pids:
        try:
            total += int(next(line.split()[1] for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS")))
        except (FileNotFoundError, StopIteration):
            pass
    return total / 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(articles: int, stack: bool) -> dict:
    texts = [p.read_text(encoding="utf-8") for p in seed_files()]
    with tempfile.TemporaryDirectory() as folder:
        env = {"LAGEBILD_DATA_DIR": folder}
        if stack:
            env |= {"LAGEBILD_DATABASE_URL": os.environ.get(
                        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
                    "LAGEBILD_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")}
        service = LiveService(env, Path(folder))
        if stack:
            service.run("db", "upgrade")
            service.start("worker", "worker", "--concurrency", "2")
            service.start("api", "serve", "--no-worker")
        else:
            service.start("serve", "serve")
        try:
            service.wait_ready(timeout=180)
            posts, monitors = [], []
            started = time.perf_counter()
            for number in range(articles):
                t0 = time.perf_counter()
                response = service.post("/v1/articles", json={"text": texts[number % len(texts)],
                                                              "published_at": "2024-10-16"})
                posts.append(time.perf_counter() - t0)
                monitors.append(response.headers["Operation-Location"])
            accepted = time.perf_counter() - started
            results = [service.wait_job(m, timeout=1800) for m in monitors]
            done = time.perf_counter() - started
            gets = []
            for job in results:
                t0 = time.perf_counter()
                service.get(job["links"]["result"])
                gets.append(time.perf_counter() - t0)
            memory = {"api (all gunicorn processes)": rss_mib(f"gunicorn --bind {service.env['LAGEBILD_BIND']}"),
                      "worker (all celery processes)": rss_mib("workers.celery_app:celery worker")}
        finally:
            service.stop()
    words = sum(len(texts[n % len(texts)].split()) for n in range(articles))
    return {"articles": articles, "failed": sum(j["status"] != "succeeded" for j in results),
            "accept_per_s": articles / accepted, "articles_per_s": articles / done, "words_per_s": words / done,
            "post_p50_ms": 1000 * statistics.median(posts), "post_p95_ms": 1000 * percentile(posts, 0.95),
            "get_p50_ms": 1000 * statistics.median(gets), "get_p95_ms": 1000 * percentile(gets, 0.95),
            "memory": memory}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--stack", action="store_true", help="PostgreSQL + Redis instead of the embedded default")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rows = []
    load_before = os.getloadavg()[0]
    for stack in ([False, True] if args.stack else [False]):
        result = run(args.articles, stack)
        name = "PostgreSQL + Redis, worker concurrency 2" if stack else "embedded (SQLite + file queue), worker concurrency 2"
        rows.append((name, result))
        print(name, result)
    lines = [
        "## Service throughput",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()} with "
        f"`.venv/bin/python benchmarks/service_throughput.py --articles {args.articles}"
        f"{' --stack' if args.stack else ''}` (the five seeds, repeated; the shipped model; gunicorn 2 processes). "
        f"Load average when it started: {load_before:.1f} (other work on the machine slows every figure).",
        "",
        "| set-up | articles | failed | accepted/s | extracted articles/s | words/s | POST p50/p95 ms | GET version p50/p95 ms | RSS API MiB | RSS worker MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        lines.append(f"| {name} | {r['articles']} | {r['failed']} | {r['accept_per_s']:.1f} | {r['articles_per_s']:.2f} | "
                     f"{r['words_per_s']:.0f} | {r['post_p50_ms']:.0f}/{r['post_p95_ms']:.0f} | "
                     f"{r['get_p50_ms']:.0f}/{r['get_p95_ms']:.0f} | {r['memory']['api (all gunicorn processes)']:.0f} | "
                     f"{r['memory']['worker (all celery processes)']:.0f} |")
    if not args.no_write:
        write_section(DOCS, "service", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
