"""Webhook benchmark: how long after a job finished its receiver gets the `extraction.created`
event, on the embedded default (SQLite + file-system queue, `lagebild serve`).

    .venv/bin/python benchmarks/webhook_latency.py [--jobs 30] [--model blank:de]

Latency = the receiver's clock when the signed POST arrived − the job's `finished_at` (the same
machine's clock). Two loads: one article at a time (the next is submitted once the previous
event arrived), and all articles at once (deliveries queue behind the extractions still waiting).
Writes the section between <!-- webhooks:start --> and <!-- webhooks:end --> of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.service_throughput import machine, percentile  # noqa: E402
from evaluation.common import write_section  # noqa: E402
from tests.support.live import LiveService, seed_files  # noqa: E402
from tests.support.webhooks import Receiver  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"


def finished_at(job: dict) -> float:
    return dt.datetime.fromisoformat(job["finished_at"].replace("Z", "+00:00")).timestamp()


def latencies(service: LiveService, receiver: Receiver, texts: list[str], jobs: int, burst: bool) -> list[float]:
    """Submit `jobs` articles (all at once when `burst`, else one after the other's event) and
    return the seconds from each job's finish to its event's arrival."""
    def submit(number: int) -> str:
        response = service.post("/v1/articles", json={"text": texts[number % len(texts)]})
        assert response.status_code == 202, response.text
        return response.json()["job"]["id"]

    def arrival(job_id: str) -> float:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            for request in list(receiver.requests):
                if job_id.encode() in request["body"]:
                    return request["received"]
            time.sleep(0.02)
        raise AssertionError(f"no event for job {job_id}:\n{service.log('serve')}")

    seen = []
    if burst:
        job_ids = [submit(n) for n in range(jobs)]
    for number in range(jobs):
        job_id = job_ids[number] if burst else submit(number)
        received = arrival(job_id)
        seen.append(received - finished_at(service.get(f"/v1/jobs/{job_id}").json()))
    return seen


def run(jobs: int, model: str) -> dict:
    texts = [p.read_text(encoding="utf-8") for p in seed_files()]
    receiver = Receiver()
    with tempfile.TemporaryDirectory() as folder:
        env = {"LAGEBILD_DATA_DIR": folder, "LAGEBILD_WEBHOOK_ALLOW_PRIVATE": "true",
               "LAGEBILD_RATE_LIMIT_WRITE": "100000/minute", "LAGEBILD_RATE_LIMIT_READ": "100000/minute"}
        if model:
            env["LAGEBILD_SPACY_MODEL"] = model
        service = LiveService(env, Path(folder))
        service.start("serve", "serve")
        try:
            service.wait_ready(timeout=180)
            service.use_key("bench")
            response = service.post("/v1/webhooks", json={"url": receiver.url, "events": ["extraction.created"]})
            assert response.status_code == 201, response.text
            results = {"one at a time": latencies(service, receiver, texts, jobs, burst=False),
                       f"{jobs} at once": latencies(service, receiver, texts, jobs, burst=True)}
        finally:
            service.stop()
            receiver.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=30)
    parser.add_argument("--model", default="", help="LAGEBILD_SPACY_MODEL (default: the shipped model)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    results = run(args.jobs, args.model)
    command = f"`.venv/bin/python benchmarks/webhook_latency.py --jobs {args.jobs}" + (
        f" --model {args.model}`" if args.model else "`")
    lines = [
        "## Webhook delivery latency",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()} with {command} on the embedded default "
        f"(`lagebild serve`: SQLite, the file-system queue, one worker with concurrency 2; the "
        f"{'`' + args.model + '`' if args.model else 'shipped'} model; a receiver on 127.0.0.1 answering 200 at once). "
        f"Latency: the job's `finished_at` to the signed `extraction.created` POST arriving. "
        f"Load average when it started: {load_before:.1f}.",
        "",
        "| load | events | p50 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for load, values in results.items():
        lines.append(f"| {load} | {len(values)} | {1000 * percentile(values, 0.5):.0f} | "
                     f"{1000 * percentile(values, 0.99):.0f} | {1000 * max(values):.0f} |")
    lines += ["", "Deliveries have their own queue (`lagebild.webhooks`), so with all articles at once an event "
              "waits for a free worker process, not for the extractions queued before it; kombu's file-system "
              "transport polls its folders every 0.1 s here (`polling_interval`, lagebild_core/queue.py)."]
    text = "\n".join(lines)
    if not args.no_write:
        write_section(DOCS, "webhooks", text)
    print(text)


if __name__ == "__main__":
    main()
