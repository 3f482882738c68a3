"""Real server processes for integration and end-to-end tests.

`LiveService` starts `lagebild` commands as subprocesses (gunicorn, Celery workers) with a
given environment, waits until /readyz answers, and stops them again. Nothing is faked:
these are the processes production runs.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import redis
import requests

ROOT = Path(__file__).resolve().parents[2]
LAGEBILD = [sys.executable, "-m", "service.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveService:
    """A set of `lagebild` processes sharing one environment, plus an HTTP client for them."""

    def __init__(self, env: dict[str, str], log_dir: Path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env, "LAGEBILD_BIND": f"127.0.0.1:{self.port}", "PYTHONUNBUFFERED": "1"}
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen] = {}
        self.http = requests.Session()

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run a `lagebild` command to completion; raise with its output when it fails."""
        result = subprocess.run([*LAGEBILD, *args], env=self.env, cwd=ROOT, capture_output=True,
                                text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"lagebild {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def create_key(self, tenant: str, scope: str = "write") -> str:
        """Create an API key with `lagebild keys create` and return it (its output's last line)."""
        return self.run("keys", "create", "--tenant", tenant, "--scope", scope).stdout.strip().splitlines()[-1]

    def use_key(self, tenant: str = "tests") -> str:
        """Create a write key for `tenant` and send it with every request of `self.http` and of
        the `lagebild` commands this service runs (LAGEBILD_API_KEY); return it."""
        self.api_key = self.create_key(tenant)
        self.http.headers["Authorization"] = f"Bearer {self.api_key}"
        self.env["LAGEBILD_API_KEY"] = self.api_key
        return self.api_key

    def start(self, name: str, *args: str) -> subprocess.Popen:
        """Start a long-running `lagebild` command in its own process group."""
        log = open(self.log_dir / f"{name}.log", "w")
        process = subprocess.Popen([*LAGEBILD, *args], env=self.env, cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        return process

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log(name)}")
            try:
                if self.http.get(f"{self.base_url}/readyz", timeout=2).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"service not ready after {timeout} s:\n" +
                           "\n".join(self.log(name) for name in self.processes))

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def json_lines(self, name: str) -> list[dict]:
        """The JSON records of a process's whole log, in order (the lines that are not JSON, such
        as Celery's banner, left out)."""
        text = (self.log_dir / f"{name}.log").read_text(errors="replace")
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    def stop(self, name: str | None = None, sig: int = signal.SIGTERM, timeout: float = 40) -> None:
        names = [name] if name else list(self.processes)
        for each in names:
            process = self.processes[each]
            if process.poll() is None:
                os.killpg(process.pid, sig)
        for each in names:
            process = self.processes.pop(each)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    # --- HTTP helpers ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url(path), timeout=30, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.http.post(self.url(path), timeout=30, **kwargs)

    def wait_job(self, job_url: str, timeout: float = 180) -> dict:
        """Long-poll a job monitor (`Prefer: wait`) until the job is finished; return the job."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(job_url, headers={"Prefer": "wait=10"}).json()
            if job["status"] in ("succeeded", "failed"):
                return job
        raise AssertionError(f"job {job_url} not finished after {timeout} s: {job}\n"
                             + "\n".join(self.log(name) for name in self.processes))


def seed_files() -> list[Path]:
    return sorted((ROOT / "seeds").glob("*.txt"))


def assert_schema_v1(document: dict, text: str) -> None:
    """Assert the document has the schema-v1 shape and every offset indexes `text`."""
    assert document["schema_version"] == "1"
    for key in ("article_id", "version", "created_at", "pipeline", "language", "published_at",
                "actors", "events", "quotes"):
        assert key in document, key
    assert set(document["pipeline"]) >= {"name", "version", "model"}
    spans = []
    for actor in document["actors"]:
        spans += actor["mentions"]
    for quote in document["quotes"]:
        spans.append(quote)
        spans += [s for s in (quote["speaker"], quote["cue"]) if s]
    for event in document["events"]:
        spans += [event["trigger"], event["evidence"], *event["mentions"]]
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"], span


PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def private_postgres_database(prefix: str):
    """Yield the URL of a new PostgreSQL database on the shared server, dropped afterwards; fail
    (not skip) when PostgreSQL is not running."""
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not running at 127.0.0.1:5432 ({error}); run scripts/ensure-services.sh")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def flushed_redis_database(url: str):
    """Yield `url` (a database number of the shared Redis), flushed before and after; fail (not
    skip) when Redis is not running."""
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is not running at 127.0.0.1:6379 ({error}); run scripts/ensure-services.sh")
    client.flushdb()
    yield url
    client.flushdb()


def running_stack(tmp_path_factory, name: str, database_url: str, broker_url: str, env: dict[str, str] | None = None,
                  *, worker: tuple[str, ...] = (), key: str | None = None):
    """Yield a LiveService on `database_url` + `broker_url`: migrated, with the API key `key` when
    given, a Celery worker started with the arguments `worker` (none: the test starts its own),
    then gunicorn (`serve --no-worker`); its data and logs in temporary folders named after `name`,
    `env` added to its environment. Everything is stopped afterwards."""
    service = LiveService({"LAGEBILD_DATABASE_URL": database_url, "LAGEBILD_BROKER_URL": broker_url,
                           "LAGEBILD_DATA_DIR": str(tmp_path_factory.mktemp(name)), **(env or {})},
                          tmp_path_factory.mktemp(f"{name}-logs"))
    service.run("db", "upgrade")
    if key:
        service.use_key(key)
    if worker:
        service.start("worker", *worker)
    service.start("api", "serve", "--no-worker")
    try:
        service.wait_ready()
        yield service
    finally:
        service.stop()
