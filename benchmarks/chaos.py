"""Faults and healing (issue 15): five faults against real processes, each on a fresh batch of
articles submitted just before it; asserts that nothing accepted is lost or duplicated and
measures how soon the service heals.

    .venv/bin/python benchmarks/chaos.py [--articles 30] [--faults child-kills,worker-kill,...]

A private Redis and PostgreSQL cluster (free ports, a temporary folder), `lagebild serve
--no-worker` and `lagebild worker --concurrency 2 --beat` with the shipped model and the default
settings; the shared servers on 6379/5432 are never touched. Healing time: from the fault's end
until the batch's last job finished. Writes the section between <!-- chaos:start --> and
<!-- chaos:end --> of docs/benchmarks.md; exits 1 when an article was lost or duplicated or a
fault took longer than 60 s to heal.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.service_throughput import machine  # noqa: E402
from evaluation.common import write_section  # noqa: E402
from tests.support import chaos  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
HEAL_LIMIT = 60.0  # seconds from the fault's end (issue 15)

FAULTS = {
    "child-kills": "15 SIGKILLs of pool processes over 20 s",
    "worker-kill": "SIGKILL of the worker's process group (pool, beat), restarted after 5 s",
    "redis-restart": "Redis SIGKILLed, started empty on the same port after 2 s (queued messages lost)",
    "postgres-restart": "PostgreSQL `pg_ctl stop -m fast`, started again after 15 s",
    "api-kill": "API (gunicorn and its supervisor) SIGKILLed after a third of the batch was accepted, "
                "restarted after 2 s; failed submissions retried with the same Idempotency-Key",
}


def inject(stack: chaos.ChaosStack, fault: str, batch: chaos.Batch) -> tuple[float, float]:
    """Submit the batch and run the fault on it; return (fault start, fault end) in epoch s."""
    if fault == "api-kill":
        started = time.time()
        return started, chaos.kill_api_during(stack, batch, after=max(1, len(batch.texts) // 3))
    chaos.submit(stack.service, batch)
    started = time.time()
    ended = {"child-kills": chaos.kill_pool_children, "worker-kill": chaos.kill_worker,
             "redis-restart": chaos.restart_redis_empty, "postgres-restart": chaos.restart_postgres}[fault](stack)
    return started, ended


def run_fault(stack: chaos.ChaosStack, fault: str | None, texts: list[str]) -> dict:
    """One batch with `fault` (None: the no-fault baseline); the row of the table."""
    batch = chaos.Batch(fault or "baseline", texts)
    if fault is None:
        chaos.submit(stack.service, batch)
        started = ended = batch.submitted_until
    else:
        started, ended = inject(stack, fault, batch)
    outcome = chaos.wait_and_check(stack.postgres.dsn, batch, timeout=240)
    done = outcome.last_finished
    healed = max(0.0, done - ended) if done is not None and not outcome.unfinished else None
    row = {"fault": fault or "none (baseline)", "submitted": len(texts), "outcome": outcome,
           "fault_s": ended - started, "healed_s": healed, "retried": batch.retried,
           "batch_s": done - batch.submitted_at if done is not None else None}
    row["ok"] = (not outcome.lost and not outcome.duplicated and not outcome.unfinished
                 and len(batch.accepted) == len(texts) and healed is not None
                 and (fault is None or healed <= HEAL_LIMIT))
    print(f"{row['fault']}: accepted {outcome.accepted}/{len(texts)}, lost {outcome.lost}, duplicated "
          f"{outcome.duplicated}, failed jobs {outcome.failed_jobs}, extra starts {outcome.extra_starts}, "
          f"fault {row['fault_s']:.1f} s, healed {_seconds(healed)} s, batch {_seconds(row['batch_s'])} s",
          flush=True)
    for line in outcome.details[:20]:
        print("   ", line)
    return row


def _ready_for_next(stack: chaos.ChaosStack) -> None:
    """Every process up again (the API answers, the pool has its two processes)."""
    stack.service.wait_ready(timeout=120)
    stack.wait_pool()


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def table(rows: list[dict], command: str, load: float, took: float) -> str:
    lines = [
        "## Faults and healing",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()} with `{command}` (`make chaos`) in "
        f"{took / 60:.0f} min; load average when it started: {load:.1f}. Real processes: a private Redis "
        "(no persistence) and PostgreSQL cluster on free ports, `lagebild serve --no-worker` (gunicorn, "
        "2 processes) and `lagebild worker --concurrency 2 --beat` with the shipped model and the default "
        "settings (job lease 30 s, sweep every 10 s). Each fault hits a fresh batch of 10kGNAD test "
        "articles submitted one by one just before it. **Lost**: an accepted (202) article without a "
        "succeeded job and a version. **Duplicated**: a second article for one submission, a second job "
        "or version for one article, a second extraction row for one job. **Healed**: from the fault's "
        "end to the batch's last job finishing (the limit is 60 s); the baseline row's batch time is "
        "what the batch takes without a fault. **Extra starts**: extractions begun again after being "
        "cut off.",
        "",
        "| fault | accepted | lost | duplicated | failed jobs | extra starts | submissions retried | "
        "fault lasted s | healed s | batch s | ok |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        outcome = row["outcome"]
        lines.append(f"| {row['fault']} | {outcome.accepted}/{row['submitted']} | {outcome.lost} | "
                     f"{outcome.duplicated} | {outcome.failed_jobs} | {outcome.extra_starts} | {row['retried']} | "
                     f"{row['fault_s']:.1f} | {_seconds(row['healed_s'])} | {_seconds(row['batch_s'])} | "
                     f"{'yes' if row['ok'] else '**no**'} |")
    lines += ["", "Faults: " + "; ".join(f"**{name}**: {what}" for name, what in FAULTS.items()) + "."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=30, help="articles per batch")
    parser.add_argument("--faults", default=",".join(FAULTS), help="comma-separated, of: " + ", ".join(FAULTS))
    parser.add_argument("--no-write", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--logs", type=Path, help="copy the processes' logs into this folder at the end")
    args = parser.parse_args()
    faults = [name for name in args.faults.split(",") if name]
    unknown = set(faults) - set(FAULTS)
    if unknown:
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")
    texts = chaos.article_texts(args.articles * (len(faults) + 1))
    load, began = os.getloadavg()[0], time.monotonic()
    rows = []
    with tempfile.TemporaryDirectory(prefix="lagebild-chaos-") as folder:
        stack = chaos.ChaosStack(Path(folder))
        print(f"logs: {folder}/logs (removed at the end)", flush=True)
        try:
            stack.start()
            for number, fault in enumerate([None, *faults]):
                rows.append(run_fault(stack, fault, texts[number * args.articles:(number + 1) * args.articles]))
                _ready_for_next(stack)
        finally:
            if not all(row["ok"] for row in rows):
                for name in ("worker", "api"):
                    print(f"--- {name} log (end) ---\n{stack.service.log(name)}")
            stack.stop()
            if args.logs:
                shutil.copytree(Path(folder) / "logs", args.logs, dirs_exist_ok=True)
    command = f".venv/bin/python benchmarks/chaos.py --articles {args.articles}" + (
        f" --faults {args.faults}" if args.faults != ",".join(FAULTS) else "")
    text = table(rows, command, load, time.monotonic() - began)
    print(text)
    if not args.no_write:
        write_section(DOCS, "chaos", text)
    return 0 if all(row["ok"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
