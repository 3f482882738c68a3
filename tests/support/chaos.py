"""Faults against real processes: a private Redis and PostgreSQL cluster (each on a free port,
in a temporary folder), the API and a worker with the shipped model, and the faults the service
must heal from (issue 15). Used by benchmarks/chaos.py (`make chaos`, all five faults, healing
times into docs/benchmarks.md) and tests/integration/test_chaos.py (the two cheapest).

A batch of articles is submitted just before each fault; afterwards `wait_and_check` waits
until every accepted article's job has finished and counts, in the database, what was lost
(no succeeded job with a version) and what was duplicated (a second article for one submission,
a second version or job for one article, a second extraction row for one job).
"""
from __future__ import annotations

import csv
import glob
import lzma
import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
import requests
from celery import Celery

from tests.support.live import ROOT, LiveService, free_port, seed_files

GNAD_TEST = ROOT.parent / "shared" / "data" / "10kgnad" / "test.csv.xz"
PUBLISHED_AT = "2024-10-16"


# --- private servers ----------------------------------------------------------------------

class PrivateRedis:
    """A redis-server of our own without persistence: killing it loses every message."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.folder / "redis.log", "a")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)], stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"private redis-server on {self.port} did not start")

    def kill(self) -> None:
        """SIGKILL: the server is gone with all its data (nothing is saved)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).parent
    raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) found")


class PrivatePostgres:
    """A PostgreSQL cluster of our own (initdb in a new folder under the temporary directory,
    trust authentication). As root, the server runs as the `postgres` user, which PostgreSQL
    demands (and the folder is its own: root's temporary folders are closed to it)."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="lagebild-chaos-pg-"))
        self.port, self.bin = free_port(), postgres_bin()
        self.data = self.folder / "pgdata"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self.dsn = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed:\n{result.stdout}\n{result.stderr}")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "postgres.log"), "-w", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, running transactions rolled back."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        """Stop the server if it runs and delete its folder."""
        try:
            self.stop()
        except RuntimeError:
            pass  # not running
        shutil.rmtree(self.folder, ignore_errors=True)


# --- the service --------------------------------------------------------------------------

class ChaosStack:
    """Private Redis + PostgreSQL, `lagebild serve --no-worker` and `lagebild worker
    --concurrency 2 --beat` with the default (shipped) model and default healing settings."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.beat_pid: int | None = None
        for name in ("redis", "data", "logs"):
            (folder / name).mkdir(parents=True, exist_ok=True)
        self.redis = PrivateRedis(folder / "redis")
        self.postgres = PrivatePostgres()
        self.service = LiveService({
            "LAGEBILD_DATABASE_URL": self.postgres.url,
            "LAGEBILD_BROKER_URL": self.redis.url,
            "LAGEBILD_DATA_DIR": str(folder / "data"),
            "LAGEBILD_RATE_LIMIT_READ": "100000/minute", "LAGEBILD_RATE_LIMIT_WRITE": "100000/minute",
        }, folder / "logs")

    def start(self) -> None:
        self.redis.start()
        self.postgres.start()
        self.service.run("db", "upgrade")
        self.service.use_key("chaos")
        self.start_worker()
        self.start_api()
        self.service.wait_ready(timeout=180)
        self.wait_pool()

    def start_worker(self) -> None:
        self._keep_log("worker")
        self.service.start("worker", "worker", "--concurrency", "2", "--beat")

    def start_api(self) -> None:
        self._keep_log("api")
        self.service.start("api", "serve", "--no-worker")

    def _keep_log(self, name: str) -> None:
        """A restarted process writes a new log: keep the old one beside it (name.1.log, ...)."""
        log = self.service.log_dir / f"{name}.log"
        if log.exists():
            log.rename(log.with_suffix(f".{len(list(self.service.log_dir.glob(name + '.*.log'))) + 1}.log"))

    def kill(self, name: str) -> None:
        """SIGKILL the whole process group of `name` (a worker: its pool and beat too)."""
        process = self.service.processes.pop(name)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def _children(self) -> set[int]:
        worker = self.service.processes["worker"].pid
        return {int(pid) for pid in subprocess.run(["pgrep", "-P", str(worker)], capture_output=True,
                                                   text=True).stdout.split()}

    def pool_processes(self) -> list[int]:
        """The worker's pool processes: its children except the embedded beat."""
        return sorted(self._children() - {self.beat_pid})

    def wait_pool(self, size: int = 2, timeout: float = 90) -> None:
        """Wait until the worker answers with `size` pool processes; remember its beat process
        (the other child, whose pid lasts as long as the worker)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:  # a new app each time: a connection from before a Redis restart is dead
                replies = Celery(broker=self.redis.url).control.inspect(timeout=2, limit=1).stats() or {}
            except Exception:  # the broker is still coming back
                replies = {}
            pool = {pid for stats in replies.values() for pid in stats["pool"]["processes"]}
            beat = self._children() - pool
            if len(pool) >= size and len(beat) == 1:
                self.beat_pid = beat.pop()
                return
            time.sleep(0.5)
        raise RuntimeError("the worker's pool did not come up:\n" + self.service.log("worker"))

    def stop(self) -> None:
        try:
            self.service.stop()
        finally:
            self.redis.kill()
            self.postgres.remove()


# --- batches ------------------------------------------------------------------------------

def article_texts(count: int) -> list[str]:
    """News texts: the 10kGNAD test articles (shared data, unlabelled use) when present, else the
    seeds repeated (the external ids keep the articles apart)."""
    texts: list[str] = []
    if GNAD_TEST.exists():
        with lzma.open(GNAD_TEST, "rt", encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter=";", quotechar="'"):
                if len(row) == 2 and 500 <= len(row[1]) <= 4000:
                    texts.append(row[1])
                if len(texts) >= count:
                    break
    seeds = [path.read_text(encoding="utf-8") for path in seed_files()]
    while len(texts) < count:
        texts.append(seeds[len(texts) % len(seeds)])
    return texts


@dataclass
class Batch:
    label: str
    texts: list[str]
    accepted: dict[str, str] = field(default_factory=dict)  # external id -> article id (202)
    retried: int = 0  # submissions repeated (same Idempotency-Key) after a connection error
    submitted_at: float = 0.0
    submitted_until: float = 0.0


def submit(service: LiveService, batch: Batch, *, give_up_after: float = 90,
           on_accepted=None) -> None:
    """POST every article with its own Idempotency-Key; a request that fails with a connection
    error or a 5xx is sent again with the same key until it is accepted (a client's retry)."""
    http = requests.Session()  # its own: the fault may run in another thread beside it
    http.headers.update(service.http.headers)
    batch.submitted_at = time.time()
    for number, text in enumerate(batch.texts):
        external_id = f"{batch.label}-{number}"
        body = {"text": text, "published_at": PUBLISHED_AT, "external_id": external_id}
        deadline = time.monotonic() + give_up_after
        while True:
            try:
                response = http.post(service.url("/v1/articles"), json=body, timeout=10,
                                     headers={"Idempotency-Key": external_id})
                if response.status_code == 202:
                    batch.accepted[external_id] = response.json()["id"]
                    break
                if response.status_code < 500:
                    raise AssertionError(f"{external_id}: {response.status_code} {response.text}")
            except (requests.ConnectionError, requests.Timeout):
                pass
            if time.monotonic() > deadline:
                break  # never accepted: not the service's to keep
            batch.retried += 1
            time.sleep(0.2)
        if on_accepted:
            on_accepted(len(batch.accepted))
    batch.submitted_until = time.time()


@dataclass
class Outcome:
    accepted: int
    lost: int
    duplicated: int
    failed_jobs: int
    extra_starts: int  # job starts beyond one per job: extractions begun again after a fault
    last_finished: float | None  # epoch seconds
    unfinished: int
    details: list[str]


_BATCH_STATE = """
select a.external_id, a.id, j.id, j.status, j.attempts, extract(epoch from j.finished_at),
       (select count(*) from extractions e where e.article_id = a.id),
       (select count(*) from extractions e where e.job_id = j.id)
from articles a left join jobs j on j.article_id = a.id
where a.external_id like %s
"""


def batch_state(dsn: str, label: str) -> list[tuple]:
    with psycopg.connect(dsn, connect_timeout=3) as connection:
        return connection.execute(_BATCH_STATE, (f"{label}-%",)).fetchall()


def wait_and_check(dsn: str, batch: Batch, *, timeout: float = 240) -> Outcome:
    """Wait (at most `timeout` s) until every job of the batch has finished, then count."""
    deadline = time.monotonic() + timeout
    rows: list[tuple] = []
    while time.monotonic() < deadline:
        try:
            rows = batch_state(dsn, batch.label)
        except psycopg.OperationalError:  # the database is restarting
            time.sleep(0.5)
            continue
        if len({r[0] for r in rows}) >= len(batch.accepted) and all(r[3] in ("succeeded", "failed") for r in rows):
            break
        time.sleep(0.5)
    return count(rows, batch)


def count(rows: list[tuple], batch: Batch) -> Outcome:
    articles: dict[str, set[str]] = {}
    jobs: dict[str, list[tuple]] = {}
    duplicated, details = 0, []
    for external_id, article_id, job_id, status, attempts, finished, versions, per_job in rows:
        articles.setdefault(external_id, set()).add(article_id)
        jobs.setdefault(article_id, []).append((job_id, status, attempts, finished, versions, per_job))
        if per_job > 1:
            duplicated += per_job - 1
            details.append(f"{external_id}: job {job_id} has {per_job} extraction rows")
    for external_id, ids in articles.items():
        if len(ids) > 1:
            duplicated += len(ids) - 1
            details.append(f"{external_id}: stored as {len(ids)} articles")
    for article_id, its_jobs in jobs.items():
        versions = its_jobs[0][4]
        if len(its_jobs) > 1 or versions > 1:
            duplicated += max(len(its_jobs), versions) - 1
            details.append(f"article {article_id}: {len(its_jobs)} jobs, {versions} versions")
    lost = 0
    for external_id, article_id in batch.accepted.items():
        its_jobs = jobs.get(article_id, [])
        if not any(status == "succeeded" and versions >= 1 for _, status, _, _, versions, _ in its_jobs):
            lost += 1
            details.append(f"{external_id} (article {article_id}) lost: jobs {its_jobs}")
    all_jobs = [job for its_jobs in jobs.values() for job in its_jobs]
    finished = [job[3] for job in all_jobs if job[3] is not None]
    return Outcome(
        accepted=len(batch.accepted), lost=lost, duplicated=duplicated,
        failed_jobs=sum(job[1] == "failed" for job in all_jobs),
        extra_starts=sum(max(0, (job[2] or 0) - 1) for job in all_jobs),
        last_finished=float(max(finished)) if finished else None,
        unfinished=sum(job[1] not in ("succeeded", "failed") for job in all_jobs), details=details)


# --- faults -------------------------------------------------------------------------------
# Each fault runs while its batch is being processed and returns the moment it ended (epoch s).

def kill_pool_children(stack: ChaosStack, kills: int = 15, over: float = 20) -> float:
    """SIGKILL a random pool process `kills` times, evenly over `over` seconds."""
    last = time.time()
    for _ in range(kills):
        pool = stack.pool_processes()
        if pool:
            try:
                os.kill(random.choice(pool), signal.SIGKILL)
                last = time.time()
            except ProcessLookupError:
                pass
        time.sleep(over / kills)
    return last


def kill_worker(stack: ChaosStack, down: float = 5) -> float:
    """SIGKILL the worker's whole process group (main process, pool, beat); start it again."""
    stack.kill("worker")
    time.sleep(down)
    stack.start_worker()
    return time.time()


def restart_redis_empty(stack: ChaosStack, down: float = 2) -> float:
    """SIGKILL Redis and start it again on the same port, empty: every queued message is gone."""
    stack.redis.kill()
    time.sleep(down)
    stack.redis.start()
    return time.time()


def restart_postgres(stack: ChaosStack, down: float = 15) -> float:
    """Stop PostgreSQL (fast: connections cut), start it again after `down` seconds."""
    stack.postgres.stop()
    time.sleep(down)
    stack.postgres.start()
    return time.time()


def kill_api_during(stack: ChaosStack, batch: Batch, after: int, down: float = 2) -> float:
    """Submit the batch; when `after` articles are accepted, SIGKILL the API (gunicorn and its
    supervisor) and start it again; the submitter retries with the same Idempotency-Key."""
    reached = threading.Event()
    submitter = threading.Thread(target=submit, args=(stack.service, batch), daemon=True,  # never outlives a ^C
                                 kwargs={"on_accepted": lambda n: n >= after and reached.set()})
    submitter.start()
    reached.wait(timeout=120)
    stack.kill("api")
    time.sleep(down)
    stack.start_api()
    stack.service.wait_ready(timeout=120)
    ended = time.time()
    submitter.join()
    return ended
