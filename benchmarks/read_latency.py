"""Read and write latency of the production stack: GET of a stored version against /healthz, side
by side, with `wrk` at 16 connections, and POST /v1/articles from a small concurrent client.

    .venv/bin/python benchmarks/read_latency.py [--rounds 3] [--seconds 10] [--posts 300]

Starts what production runs (tests/support/live.py): `lagebild serve --no-worker` (gunicorn with
service/gunicorn_conf.py, 2 processes) and a Celery worker, on a private PostgreSQL database and a
Redis database number, with API keys on. Stores a few seed articles, stops the worker (its CPU
would otherwise compete with the API), then alternates wrk rounds over /healthz, a numbered
version (five articles in turn) and the same versions with `If-None-Match` (304), so that the
machine's load falls on all of them alike; the read budget is raised so that wrk measures the
rate limiter's cost, not its 429s. Then POSTs `--posts` articles from 4 client processes.

Writes the section between <!-- reads:start --> and <!-- reads:end --> of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.service_throughput import LeanClient, machine, percentile  # noqa: E402
from evaluation.common import write_section  # noqa: E402
from tests.support.live import (  # noqa: E402
    LiveService, flushed_redis_database, private_postgres_database, seed_files,
)

DOCS = ROOT / "docs" / "benchmarks.md"
CONNECTIONS = 16
POST_CLIENTS = 4
# wrk's `request` hook: the next path of `paths`, round robin (so several versions are read)
LUA = """
paths = {%s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""
_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def cpu_seconds(pattern: str) -> float:
    """User + system CPU seconds used so far by the processes whose command line matches."""
    total = 0
    for pid in subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / os.sysconf("SC_CLK_TCK")


def wrk(base_url: str, paths: list[str], headers: dict[str, str], seconds: int, folder: Path) -> dict:
    """One wrk run: requests/s, p50 and p99 in ms, the count of non-2xx/3xx answers and the API
    processes' CPU milliseconds per request (a figure the machine's other load hardly moves)."""
    script = folder / "paths.lua"
    script.write_text(LUA % ", ".join(f'"{p}"' for p in paths))
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    api = f"gunicorn .*--bind {base_url.removeprefix('http://')}"
    cpu_before = cpu_seconds(api)
    output = subprocess.run([*command, base_url], capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(api) - cpu_before
    requests_done = int(re.search(r"(\d+) requests in", output).group(1))
    latency = {share: float(value) * _UNIT[unit]
               for share, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": latency["50"], "p99": latency["99"], "errors": int(errors.group(1)) if errors else 0,
            "cpu_ms": 1000 * cpu / max(requests_done, 1)}


def _post_client(base_url: str, authorization: str, texts: list[str], numbers: range) -> list[float]:
    """One client process: POST the texts `numbers` names, one after the other, over one keep-alive
    connection; the latency of each, in s."""
    client = LeanClient(base_url, authorization)
    spent = []
    for n in numbers:
        started = time.perf_counter()
        status, _, body = client.request("POST", "/v1/articles", {"text": texts[n % len(texts)]})
        spent.append(time.perf_counter() - started)
        assert status == 202, body
    return spent


def post_latencies(service: LiveService, texts: list[str], posts: int) -> list[float]:
    """POST `posts` articles from POST_CLIENTS client processes; the latency of each, in s.

    Processes, not threads, as real clients are: four `requests` sessions in threads of one
    interpreter also timed their turn at its GIL, and `requests` takes about three times the CPU of
    http.client on the two cores the API needs. Side by side on 2026-12-06 (3 x 300 POSTs each, the
    same server): p50 10.3 ms with threads, 8.4 ms with processes; p99 20.9-24.0 against
    19.1-26.2, the same within the noise."""
    authorization = service.http.headers["Authorization"]
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(POST_CLIENTS, mp_context=context) as pool:
        futures = [pool.submit(_post_client, service.base_url, authorization, texts, range(number, posts, POST_CLIENTS))
                   for number in range(POST_CLIENTS)]
        return [s for future in futures for s in future.result()]


def run(rounds: int, seconds: int, posts: int, database_url: str, broker_url: str) -> dict:
    texts = [p.read_text(encoding="utf-8") for p in seed_files()]
    with tempfile.TemporaryDirectory() as folder:
        service = LiveService({
            "LAGEBILD_DATA_DIR": folder, "LAGEBILD_DATABASE_URL": database_url, "LAGEBILD_BROKER_URL": broker_url,
            "LAGEBILD_RATE_LIMIT_READ": "10000000/minute", "LAGEBILD_RATE_LIMIT_WRITE": "100000/minute",
        }, Path(folder))
        service.run("db", "upgrade")
        key = service.use_key("bench")
        service.start("worker", "worker", "--concurrency", "2")
        service.start("api", "serve", "--no-worker")
        try:
            service.wait_ready(timeout=180)
            monitors = [service.post("/v1/articles", json={"text": text, "published_at": "2024-10-16"})
                        .headers["Operation-Location"] for text in texts]
            versions = [service.wait_job(m, timeout=600)["links"]["result"] for m in monitors]
            service.stop("worker")
            etags = {service.get(v).headers["ETag"] for v in versions}
            auth = {"Authorization": f"Bearer {key}"}
            kinds = {"GET /healthz": (["/healthz"], {}),
                     "GET version (200)": (versions, auth),
                     "GET version, If-None-Match (304)": (versions, {**auth, "If-None-Match": ", ".join(etags)})}
            results: dict[str, list[dict]] = {name: [] for name in kinds}
            for name, (paths, headers) in kinds.items():  # warm-up: connections, caches, lazy imports
                wrk(service.base_url, paths, headers, 2, Path(folder))
            for _ in range(rounds):
                for name, (paths, headers) in kinds.items():
                    results[name].append(wrk(service.base_url, paths, headers, seconds, Path(folder)))
                    print(name, results[name][-1], flush=True)
            posted = post_latencies(service, texts, posts)
        finally:
            service.stop()
    return {"reads": results, "posts": posted}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10, help="length of one wrk run")
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("read_latency: wrk is not installed (apt-get install wrk; `make bench` tries to)")
    load_before = os.getloadavg()[0]
    database = private_postgres_database("lagebild_reads")
    redis_url = flushed_redis_database(os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/10"))
    try:
        result = run(args.rounds, args.seconds, args.posts, next(database), next(redis_url))
    finally:
        for resource in (database, redis_url):  # the code after their `yield`: drop, flush
            next(resource, None)
    load_after = os.getloadavg()[0]
    reads, posts = result["reads"], result["posts"]
    healthz = statistics.median(r["rps"] for r in reads["GET /healthz"])
    lines = [
        "## Reads and writes under load",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()} with `.venv/bin/python benchmarks/read_latency.py "
        f"--rounds {args.rounds} --seconds {args.seconds} --posts {args.posts}`: gunicorn (2 processes, "
        f"service/gunicorn_conf.py) on PostgreSQL + Redis, API keys and rate limits on (budgets raised above the "
        f"load), JSON access logs and metrics on; wrk with {CONNECTIONS} connections on the same machine, "
        f"{args.rounds} alternating rounds of {args.seconds} s each; five stored versions read in turn. "
        f"Load average: {load_before:.1f} at the start, {load_after:.1f} at the end (other work on the machine "
        "slows every figure; the ratio to /healthz of the same run is the figure to compare).",
        "",
        "| request | requests/s (median of rounds) | / healthz | p50 ms | p99 ms (worst round) | API CPU ms per request | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, runs in reads.items():
        rps = statistics.median(r["rps"] for r in runs)
        lines.append(f"| {name} | {rps:,.0f} | {rps / healthz:.2f} | {statistics.median(r['p50'] for r in runs):.1f} | "
                     f"{max(r['p99'] for r in runs):.1f} | {statistics.median(r['cpu_ms'] for r in runs):.2f} | "
                     f"{sum(r['errors'] for r in runs)} |")
    lines += ["", f"POST /v1/articles ({len(posts)} seed texts from {POST_CLIENTS} concurrent client processes (http.client, "
              "one keep-alive connection each), the worker "
              f"stopped): p50 {1000 * percentile(posts, 0.5):.1f} ms, p99 {1000 * percentile(posts, 0.99):.1f} ms, "
              f"max {1000 * max(posts):.1f} ms.",
              "", "What a read of a stored version costs: the key from the per-process key cache "
              "(`LAGEBILD_API_KEY_CACHE_SECONDS`), one Redis script call for the moving-window rate limit, the "
              "version's bytes and ETag from the per-process version cache (service/read_cache.py; a query only "
              "when its article was last seen more than `LAGEBILD_READ_CACHE_SECONDS` ago), the access log line and "
              "two metric updates. /healthz has no key, no rate limit and no cache. The API CPU column is the "
              "gunicorn processes' user + system time over the run divided by its requests: the machine's other "
              "load moves it much less than requests/s or latencies."]
    text = "\n".join(lines)
    if not args.no_write:
        write_section(DOCS, "reads", text)
    print(text)


if __name__ == "__main__":
    main()
