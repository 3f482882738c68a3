"""Storing versions as a tenant grows: what a worker's store costs after 0 to N articles, against an earlier revision.

`service_throughput.py` starts every round on an empty database, where the cross-article indexes
(the actor registry, the stories) are empty. Here the first `--articles` 10kGNAD test articles of
every section are extracted once (this tree's pipeline, batches of 8) and then stored into one
tenant of a fresh PostgreSQL database, in batches of 8 as a worker stores them (claim, then
`store_extractions`), by this tree and by `--baseline`, each in a fresh process whose imports come
from its tree, alternately for `--rounds` rounds. Reported per block of 200 articles: the worker's
CPU ms per article for storing and PostgreSQL's (its server processes for the database). The
ratios of one run count: load on the machine hits both trees alike.

    .venv/bin/python benchmarks/store_growth.py [--baseline REV] [--articles 1000] [--rounds 2]
        [--write docs/benchmarks.md]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.service_throughput import machine  # noqa: E402
from evaluation.common import write_section  # noqa: E402

BLOCK = 200  # articles per reported block
BATCH = 8  # articles per store transaction, as a worker's batch under a backlog
PUBLISHED = dt.date(2024, 10, 16)

# one round in a fresh interpreter whose imports come from the tree it runs in
ROUND = r"""
import datetime as dt, json, pickle, sys, time
import psycopg
from benchmarks.service_throughput import cpu_seconds
from lagebild_core import domain
from lagebild_core.store import Database
from tests.support.live import private_postgres_database
texts, documents = pickle.load(open(sys.argv[1], "rb"))
block, batch = int(sys.argv[2]), int(sys.argv[3])
databases = private_postgres_database("lagebild_growth")
url = next(databases)
name = url.rsplit("/", 1)[1]
admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)

def server_cpu():
    return sum(cpu_seconds(pid) for (pid,) in admin.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]))

database = Database(url)
try:
    database.upgrade()
    with database.transaction() as session:
        pairs = domain.submit_articles(session, [domain.NewArticle(text=t, published_at=dt.date(2024, 10, 16))
                                                 for t in texts], tenant="growth")
    jobs = [job.id for _, job in pairs]
    blocks, store, server = [], 0.0, server_cpu()
    for start in range(0, len(jobs), batch):
        with database.transaction() as session:
            claims = [domain.start_job(session, job) for job in jobs[start:start + batch]]
        started = time.process_time()
        with database.transaction() as session:
            domain.store_extractions(session, [(c.job_id, d) for c, d in zip(claims, documents[start:start + batch])])
        store += time.process_time() - started
        if (start + batch) % block == 0 or start + batch >= len(jobs):
            now = server_cpu()
            blocks.append({"store": store, "server": now - server})
            store, server = 0.0, now
    print(json.dumps(blocks))
finally:
    database.engine.dispose()
    admin.close()
    next(databases, None)
"""


def extract(count: int) -> tuple[list[str], list[dict]]:
    """The first `count` test articles of every section and their documents (this tree's pipeline)."""
    from benchmarks.service_throughput import articles
    from workers.pipeline import load
    texts = articles(count, section=None)
    pipeline = load(None)
    return texts, list(pipeline.extract_many([(text, PUBLISHED) for text in texts], batch_size=BATCH))


def run_round(tree: Path, documents: Path) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(tree), OPENBLAS_NUM_THREADS="1")
    done = subprocess.run([sys.executable, "-c", ROUND, str(documents), str(BLOCK), str(BATCH)], cwd=tree, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"a round in {tree} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(args, results: dict[str, list[list[dict]]], seconds: float) -> str:
    """The section: per block and tree, the median over the rounds of CPU ms per article."""
    names = list(results)
    blocks = len(results[names[0]][0])
    rows = []
    for number in range(blocks):
        first, last = number * BLOCK, min((number + 1) * BLOCK, args.articles)
        cells = []
        for place in ("store", "server"):
            values = {name: statistics.median(r[number][place] for r in rounds) * 1000 / (last - first)
                      for name, rounds in results.items()}
            cells += [f"{values[name]:.2f}" for name in names] + [f"{values[names[0]] / values[names[1]]:.2f}"]
        rows.append(f"| {first}-{last} | " + " | ".join(cells) + " |")
    return "\n".join([
        "## Storing as a tenant grows, against an earlier revision",
        "",
        f"Measured {dt.date.today().isoformat()} with `.venv/bin/python benchmarks/store_growth.py --baseline "
        f"{args.baseline} --articles {args.articles} --rounds {args.rounds}` ({machine()}, load average {os.getloadavg()[0]:.1f} at the end, {seconds:.0f} s): the first "
        f"{args.articles} 10kGNAD test articles of every section, extracted once, stored into one tenant of a fresh "
        f"PostgreSQL database in batches of {BATCH} (claim, then `store_extractions`, as a worker), by each tree in a "
        f"fresh process, alternately; CPU ms per article, median of {args.rounds} rounds. The empty database of "
        "`service_throughput.py` is the first block; a tenant that has stored more has a larger actor registry "
        "and more events its stories are grouped among.",
        "",
        f"| articles stored before | store, this tree | store, {args.baseline} | ratio | PostgreSQL, this tree | "
        f"PostgreSQL, {args.baseline} | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="b1ee6f3", help="the revision to compare with (default: before "
                        "persons were looked up by name keys)")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args(argv)
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        documents = Path(tmp) / "documents.pickle"
        documents.write_bytes(pickle.dumps(extract(args.articles)))
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.baseline], cwd=REPO, check=True,
                       capture_output=True)
        try:
            results: dict[str, list[list[dict]]] = {"this tree": [], args.baseline: []}
            for _ in range(args.rounds):  # alternately, so that load on the machine hits both
                results["this tree"].append(run_round(REPO, documents))
                results[args.baseline].append(run_round(base, documents))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=REPO, check=False,
                           capture_output=True)
    body = report(args, results, time.time() - started)
    print(body)
    if args.write:
        write_section(args.write, "store-growth", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
