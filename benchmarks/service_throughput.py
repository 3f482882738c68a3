"""End-to-end throughput: the service against the raw pipeline, side by side in one run.

On the same 10kGNAD International test articles (the first `--articles`), in this order:
raw (`Pipeline.extract` in two processes, each loading the model once, then taking the next
article as soon as it is free, timed from the first start to the last finish), then for each of
`--rounds` rounds: the embedded default (`lagebild serve`: SQLite, the file-system queue, worker
concurrency 2), raw again, PostgreSQL + Redis (`lagebild worker --concurrency 2 --beat`,
`lagebild serve --no-worker`, a fresh database on the shared server and a flushed Redis
database), raw again; then, unless `--sustained 0`, `--sustained-rounds` (3) rounds of the
same on the first `--sustained` articles of every section (400 by default): a burst of 80 is cut
into small batches at its start and end, each paying a batch's fixed cost, and the sustained
runs show what a steady load costs. A service run's ratio is to the mean of the raw runs just before and after
it, so that load that comes or goes hits both sides; a set-up's figure is the median of its
rounds (a run takes seconds, and a shared machine moved single runs by ±15-25 %: raw alone ranged
from 15 to 20 articles/s within one run on 2026-12-06).
The articles are POSTed one by one, then each job is awaited with long polling (`Prefer: wait=10`),
through one keep-alive connection of http.client (LeanClient: the client shares the two cores);
a set-up's time runs from the first POST to the last job seen finished. CPU seconds per article
are read from /proc for the worker processes, the API processes and (on PostgreSQL) the
database's server processes: what the service spends beyond the raw pipeline, by place; their
sum less the pipeline's own CPU (from the worker's log) is the service's own CPU per article,
reported per set-up (`own_cpu_ms`). RSS is per worker process (the pool's processes share the model pages they inherited: PSS says how much
each really costs).

    .venv/bin/python benchmarks/service_throughput.py [--articles 80] [--rounds 5] [--setups embedded,stack]
        [--sustained 400] [--sustained-rounds 3] [--no-write]

Writes the section between <!-- service:start --> and <!-- service:end --> of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.common import DEFAULT_DATA, load_gnad, write_section  # noqa: E402
from lagebild_core.settings import Settings  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
PUBLISHED = "2024-10-16"  # every article gets the same date, raw and through the service
TICK = os.sysconf("SC_CLK_TCK")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    memory = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) // 1024 ** 2
    return f"{cpu}, {os.cpu_count()} cores, {memory} GiB, Python {platform.python_version()}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def articles(count: int, data: Path = DEFAULT_DATA, section: str | None = "International") -> list[str]:
    """The first `count` articles of 10kGNAD's test split of `section` (None: of every section)."""
    texts = [text for label, text in load_gnad(data) if section is None or label == section][:count]
    if len(texts) < count:
        raise SystemExit(f"only {len(texts)} {section or 'all'} test articles in {data}")
    return texts


# --- /proc --------------------------------------------------------------------------------

def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()  # the fields after the command name


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (0 when it is gone)."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICK if fields else 0.0


def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MiB."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0.0, 0.0
    found = {line.split(":")[0]: int(line.split()[1]) for line in rollup[1:]}
    return found.get("Rss", 0) / 1024, found.get("Pss", 0) / 1024


def descendants(root: int) -> list[int]:
    """`root` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


# --- the raw pipeline ---------------------------------------------------------------------

def _raw_process(todo, done, texts: list[str], warm: int = 0) -> None:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as a worker process (workers/celery_app.py)
    from workers.pipeline import load
    from workers.warm_up import SAMPLE_DATE, SAMPLE_TEXT
    pipeline = load(None)
    # warmed up as a worker is before its pool forks (workers/warm_up.py): the first extraction of
    # a process builds spaCy's and the rules' lazy parts, which the service's processes inherit
    pipeline.extract(SAMPLE_TEXT, SAMPLE_DATE)
    done.put(("ready", os.getpid()))
    cpu = 0.0
    while (number := todo.get()) is not None:
        started = time.process_time()
        pipeline.extract(texts[number], dt.date.fromisoformat(PUBLISHED))
        if number >= warm:  # the first `warm` texts warm the process up, untimed
            cpu += time.process_time() - started
        done.put(("done", number))
    done.put(("cpu", cpu, *memory_mib(os.getpid())))


def raw(texts: list[str], processes: int = 2, warm: list[str] = ()) -> dict:
    """`Pipeline.extract` over `texts` in `processes` processes; time from first start to last
    finish. The `warm` texts go through the processes first, untimed."""
    context = multiprocessing.get_context("spawn")
    todo, done = context.Queue(), context.Queue()
    workers = [context.Process(target=_raw_process, args=(todo, done, [*warm, *texts], len(warm)))
               for _ in range(processes)]
    for worker in workers:
        worker.start()
    for _ in workers:
        assert done.get(timeout=300)[0] == "ready"
    for number in range(len(warm)):
        todo.put(number)
    for _ in warm:
        done.get(timeout=600)
    started = time.perf_counter()
    for number in range(len(warm), len(warm) + len(texts)):
        todo.put(number)
    for _ in range(len(texts)):
        done.get(timeout=600)
    elapsed = time.perf_counter() - started
    for _ in workers:
        todo.put(None)
    totals = [done.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join()
    return {"articles": len(texts), "articles_per_s": len(texts) / elapsed, "seconds": elapsed,
            "cpu_per_article": {"pipeline": sum(t[1] for t in totals) / len(texts)},
            "worker_memory": [(rss, pss) for _, _, rss, pss in totals]}


# --- the service --------------------------------------------------------------------------

class Accounting:
    """CPU seconds of the service's processes between `start()` and `stop()`, by place."""

    def __init__(self, service, database: str | None):
        self.service, self.database, self.before = service, database, {}

    def processes(self) -> dict[str, list[int]]:
        places: dict[str, list[int]] = {"worker": [], "api": [], "database": []}
        for process in self.service.processes.values():
            for pid in descendants(process.pid):
                line = command_line(pid)
                if "celery" in line:
                    places["worker"].append(pid)
                elif "gunicorn" in line:
                    places["api"].append(pid)
        if self.database:
            import psycopg
            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
                places["database"] = [pid for (pid,) in admin.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    [self.database])]
        return places

    def start(self) -> None:
        self.before = {pid: cpu_seconds(pid) for pids in self.processes().values() for pid in pids}

    def stop(self) -> dict[str, float]:
        return {place: sum(cpu_seconds(pid) - self.before.get(pid, 0.0) for pid in pids)
                for place, pids in self.processes().items()}

    def worker_memory(self) -> list[tuple[float, float]]:
        """(RSS, PSS) of every Celery process: the main process first, then the pool's."""
        return [memory_mib(pid) for pid in sorted(self.processes()["worker"])]


def service(texts: list[str], stack: bool, warm: list[str] = ()) -> dict:
    """The service over `texts` (see the report), after the `warm` texts went through it untimed."""
    from tests.support.live import LiveService, flushed_redis_database, private_postgres_database
    with tempfile.TemporaryDirectory() as folder:
        env = {"LAGEBILD_DATA_DIR": folder,
               "LAGEBILD_RATE_LIMIT_WRITE": "100000/minute", "LAGEBILD_RATE_LIMIT_READ": "100000/minute"}
        cleanups = []
        database = None
        if stack:
            make_database = private_postgres_database("lagebild_bench")
            make_broker = flushed_redis_database(os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13"))
            env |= {"LAGEBILD_DATABASE_URL": next(make_database), "LAGEBILD_BROKER_URL": next(make_broker)}
            cleanups = [make_database, make_broker]
            database = env["LAGEBILD_DATABASE_URL"].rsplit("/", 1)[1]
        live = LiveService(env, Path(folder))
        try:
            live.run("db", "upgrade")
            live.use_key("bench")
            if stack:
                live.start("worker", "worker", "--concurrency", "2", "--beat")
                live.start("api", "serve", "--no-worker")
            else:
                live.start("serve", "serve")
            live.wait_ready(timeout=300)
            time.sleep(3)  # the pool's processes are up and idle
            client = LeanClient(live.base_url, live.http.headers["Authorization"])
            warm_monitors = [client.request("POST", "/v1/articles", {"text": text, "published_at": PUBLISHED})[1]
                             ["operation-location"] for text in warm]
            for monitor in warm_monitors:
                client.wait_job(monitor)
            if warm:
                time.sleep(1)
            log_name = "worker" if stack else "serve"
            warm_records = len(live.json_lines(log_name))
            accounting = Accounting(live, database)
            accounting.start()
            posts, monitors = [], []
            started = time.perf_counter()
            for text in texts:
                t0 = time.perf_counter()
                status, headers, _ = client.request("POST", "/v1/articles", {"text": text, "published_at": PUBLISHED})
                assert status == 202, status
                posts.append(time.perf_counter() - t0)
                monitors.append(headers["operation-location"])
            accepted = time.perf_counter() - started
            jobs = [client.wait_job(monitor) for monitor in monitors]
            elapsed = time.perf_counter() - started
            cpu = accounting.stop()
            memory = accounting.worker_memory()
            phases = worker_phases(live.json_lines(log_name)[warm_records:])
        finally:
            live.stop()
            for cleanup in cleanups:
                next(cleanup, None)  # past the yield: drops the database, flushes Redis
    return {"articles": len(texts), "articles_per_s": len(texts) / elapsed, "seconds": elapsed,
            "accept_per_s": len(texts) / accepted,
            # per article and worker process: the task's phases, and the rest (waiting for the next task)
            "phases_ms": {name: 1000 * total / len(texts) for name, total in phases.items()},
            "between_tasks_ms": 1000 * (2 * elapsed - phases["task"]) / len(texts),
            "retries": phases["retries"], "batches": phases["batches"],
            "failed": sum(job["status"] != "succeeded" for job in jobs),
            "post_p50_ms": 1000 * statistics.median(posts), "post_p95_ms": 1000 * percentile(posts, 0.95),
            "cpu_per_article": {place: seconds / len(texts) for place, seconds in cpu.items()},
            "worker_memory": memory}


class LeanClient:
    """The benchmark's HTTP client: one keep-alive connection through http.client. The client runs on
    the same two cores as the service, and `requests` took 1.5-2.9 CPU ms per request of them (this
    one about a third of that), which the raw pipeline's side of the comparison does not pay."""

    def __init__(self, base_url: str, authorization: str):
        self.connection = http.client.HTTPConnection(urllib.parse.urlsplit(base_url).netloc, timeout=60)
        self.headers = {"Authorization": authorization, "Content-Type": "application/json"}

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict | None = None) -> tuple[int, dict[str, str], dict]:
        """(status, headers with lower-case names, JSON body) of one request."""
        self.connection.request(method, urllib.parse.urlsplit(path).path, body=json.dumps(body) if body else None,
                                headers=self.headers | (headers or {}))
        response = self.connection.getresponse()
        payload = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, json.loads(payload or b"{}")

    def wait_job(self, monitor: str, timeout: float = 1800) -> dict:
        """Long-poll a job (`Prefer: wait=10`) until it is finished; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _, job = self.request("GET", monitor, headers={"Prefer": "wait=10"})
            if status == 200 and job["status"] in ("succeeded", "failed"):
                return job
        raise AssertionError(f"job {monitor} not finished after {timeout} s")


def worker_phases(records: list[dict]) -> dict[str, float]:
    """Seconds the worker's extract tasks spent, summed from its log's JSON `records`: claim,
    pipeline and store, each also as CPU time of the process (its "extraction stored" lines, one
    per batch), the whole task as Celery timed it; and the numbers of retries and batches."""
    found = dict.fromkeys(("claim", "claim_cpu", "pipeline", "pipeline_cpu", "store", "store_cpu", "task", "retries",
                           "batches"), 0.0)
    for record in records:
        message = record.get("message", "")
        if message == "extraction stored":
            found["batches"] += 1
            for name in ("claim", "claim_cpu", "pipeline", "pipeline_cpu", "store", "store_cpu"):
                found[name] += record.get(f"{name}_ms", 0) / 1000  # 0 from a worker that does not log them
        elif message.startswith("Task lagebild.extract[") and " succeeded in " in message:
            found["task"] += float(message.split(" succeeded in ")[1].split("s:")[0])
        elif message.startswith("Task lagebild.extract[") and " retry: " in message:
            found["retries"] += 1
    return found


# --- the report -----------------------------------------------------------------------------

def _memory(pairs: list[tuple[float, float]]) -> str:
    return ", ".join(f"{rss:.0f}/{pss:.0f}" for rss, pss in pairs)


def ratios(runs: list[tuple[str, dict]]) -> dict[str, float]:
    """{service run's name: its articles/s over the mean of the raw runs just before and after it}."""
    return {name: r["articles_per_s"] / statistics.mean([runs[i - 1][1]["articles_per_s"], runs[i + 1][1]["articles_per_s"]])
            for i, (name, r) in enumerate(runs) if "phases_ms" in r}


KINDS = {"round": "bursts", "warm round": "warm bursts", "sustained round": "sustained"}


def by_kind(values: dict[str, float]) -> dict[str, dict[str, list[float]]]:
    """{kind of run (KINDS' values): {set-up: its runs' values}}, from {service run's name: value}
    (names are "set-up, label number", the labels KINDS' keys)."""
    kinds: dict[str, dict[str, list[float]]] = {}
    for name, value in values.items():
        setup, label = name.split(", ", 1)
        kinds.setdefault(KINDS[label.rsplit(" ", 1)[0]], {}).setdefault(setup, []).append(value)
    return kinds


def medians(groups: dict[str, list[float]], form: str) -> str:
    """"set-up **median** (rounds: ...)" for each set-up, joined by semicolons."""
    return "; ".join(f"{setup} **{form.format(statistics.median(values))}** "
                     f"(rounds: {', '.join(form.format(v) for v in values)})" for setup, values in groups.items())


def own_cpu_ms(runs: list[tuple[str, dict]]) -> dict[str, float]:
    """{service run's name: CPU ms per article of its processes beyond the pipeline}: the worker
    processes' CPU without the pipeline's (claim, store, Celery, the main process and beat), the
    API's and PostgreSQL's (the benchmark's client is not counted)."""
    return {name: 1000 * (r["cpu_per_article"]["worker"] + r["cpu_per_article"]["api"]
                          + r["cpu_per_article"].get("database", 0.0)) - r["phases_ms"]["pipeline_cpu"]
            for name, r in runs if "phases_ms" in r}


def stolen_seconds() -> float:
    """CPU seconds the virtual machine's host has taken from this machine since boot (/proc/stat)."""
    with open("/proc/stat") as stat:
        fields = stat.readline().split()
    return int(fields[8]) / os.sysconf("SC_CLK_TCK") if len(fields) > 8 else 0.0


def report(count: int, command: str, runs: list[tuple[str, dict]], loads: tuple[float, float],
           stolen: float = 0.0, warm_count: int = 0) -> str:
    raw_cpu = statistics.mean(r["cpu_per_article"]["pipeline"] for name, r in runs if name.startswith("raw"))
    ratio = ratios(runs)
    kinds = by_kind(ratio)
    by_setup, warm, sustained = kinds.get("bursts", {}), kinds.get("warm bursts", {}), kinds.get("sustained", {})
    lines = [
        "## End-to-end throughput against the raw pipeline",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()} with `{command}`: the first {count} 10kGNAD "
        f"International test articles, the shipped model, two extracting processes everywhere, every set-up run "
        f"{max(1, sum(map(len, by_setup.values())) // max(1, len(by_setup)))} times"
        + (f", then {max(map(len, warm.values()))} times warm (after {warm_count} other articles, of the Wirtschaft "
           f"section, went through the service and through each raw run's processes untimed: the processes of "
           f"a service that has been running)" if warm else "")
        + (f", then {max(map(len, sustained.values()))} times on the first {runs[-1][1]['articles']} articles of every "
           f"section (sustained)" if sustained else "")
        + ". Raw: "
        f"`Pipeline.extract` in two processes, each warmed up with one extraction as a worker is, timed from the "
        f"first start to the last finish, before and after "
        f"each set-up of the service (a set-up's ratio is to the mean of the two). Service: worker "
        f"concurrency 2, gunicorn 2 processes, the articles POSTed one by one, then every job awaited with "
        f"`Prefer: wait=10` (one keep-alive connection of http.client); from the first POST to the last job seen finished. Load average at the start "
        f"{loads[0]:.1f}, at the end {loads[1]:.1f}; the host took {stolen:.1f} CPU s of the machine's during the "
        f"run (steal time) (2 cores shared with other work: the ratio is the figure that counts).",
        "",
        "| set-up | articles/s | ratio to raw | failed / retried | articles per batch | ms per article in a worker "
        "process: pipeline (its CPU) | claim + store (their CPU) | rest of the task | between tasks | CPU ms per article: workers | API | "
        "PostgreSQL | RSS/PSS MiB per worker process |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in runs:
        cpu = r["cpu_per_article"]
        if name.startswith("raw"):
            lines.append(f"| {name} | {r['articles_per_s']:.2f} | – | – | 1 | "
                         f"{2000 / r['articles_per_s']:.0f} ({1000 * cpu['pipeline']:.0f}) | – | – | – | "
                         f"{1000 * cpu['pipeline']:.0f} | – | – | "
                         f"{_memory(r['worker_memory'])} |")
        else:
            database = f"{1000 * cpu['database']:.0f}" if cpu.get("database") else "–"
            phases = r["phases_ms"]
            rest = phases["task"] - phases["claim"] - phases["pipeline"] - phases["store"]
            lines.append(f"| {name} | {r['articles_per_s']:.2f} | {ratio[name]:.2f} | "
                         f"{r['failed']} / {r['retries']:.0f} | {r['articles'] / max(1, r['batches']):.1f} | "
                         f"{phases['pipeline']:.0f} ({phases['pipeline_cpu']:.0f}) | "
                         f"{phases['claim'] + phases['store']:.0f} ({phases['claim_cpu'] + phases['store_cpu']:.1f}) | {rest:.0f} | {r['between_tasks_ms']:.0f} | "
                         f"{1000 * cpu['worker']:.0f} | {1000 * cpu['api']:.0f} | {database} | "
                         f"{_memory(r['worker_memory'])} |")
    lines += ["", "**Service / raw, median of the rounds:** " + medians(by_setup, "{:.2f}") + "."]
    if warm:
        lines += ["", f"**Warm (after {warm_count} other articles), median of the rounds:** "
                  + medians(warm, "{:.2f}") + "."]
    if sustained:
        lines += ["", f"**Sustained ({runs[-1][1]['articles']} articles), median of the rounds:** "
                  + medians(sustained, "{:.2f}") + "."]
    own = by_kind(own_cpu_ms(runs))
    lines += ["", "**The service's own CPU ms per article**, beyond the pipeline (the worker processes' CPU but "
              "the pipeline's, the API's and PostgreSQL's: what the service adds on the two cores, batching's "
              "gain not subtracted), median of the rounds: "
              + "; ".join(f"{kind} {medians(groups, '{:.1f}')}" for kind, groups in own.items()) + "."]
    lines += ["", f"Articles per batch: a task that finds more articles waiting extracts up to "
              f"`LAGEBILD_WORKER_BATCH_SIZE` ({Settings().worker_batch_size}) together (`nlp.pipe`, one store transaction); the messages of the "
              f"jobs it took are dropped by the worker's main process when they arrive (workers/copies.py). Raw runs `Pipeline.extract` one article at a time, as the "
              f"issue defines it. A worker process's time per article, from its log: the pipeline (in brackets its "
              f"CPU time: the rest of its wall time it waited for a core); claiming the "
              f"jobs and storing the versions (three transactions per batch); the rest of the tasks as Celery timed "
              f"them (the lease, logging, metrics); between tasks (Celery taking the next message and "
              f"handing it over, or nothing to do). For raw: two processes' time per article. CPU: of all processes of a kind, per article; "
              f"the raw pipeline's is {1000 * raw_cpu:.0f} ms, a worker's beyond it is what the service adds in "
              f"the worker processes, and the API's and PostgreSQL's come on top, on the same two cores. Worker "
              f"processes: the main one first (it loads the model and warms it and the database layer up before "
              f"the pool forks, and the pool shares them: workers/warm_up.py), then the pool's and beat's."]
    return "\n".join(lines)


ROUNDS = 5  # an odd number, for a median that is one of the runs
SUSTAINED = 400  # about 15 s of extraction for each set-up: a burst's start and end weigh a few per cent
SUSTAINED_ROUNDS = 3
# A fresh process's first batches cost more than its later ones (docs/benchmarks.md, "A fresh
# process's first batches"): the warm rounds measure processes that have been running, the raw
# ones warmed up on the same articles.
WARM = 70
WARM_ROUNDS = 3


def alternate(texts: list[str], setups: list[str], rounds: int, label: str,
              warm: list[str] = ()) -> list[tuple[str, dict]]:
    """`rounds` rounds of each set-up on `texts`, each followed by a raw run: every set-up sits
    between two raw runs (the one before is the caller's or the round's last), its ratio is to
    their mean, so load that comes or goes hits both."""
    runs = []
    for number in range(1, rounds + 1):
        for setup, name in (("embedded", "embedded (SQLite + file queue)"), ("stack", "PostgreSQL + Redis")):
            if setup in setups:
                runs.append((f"{name}, {label} {number}", service(texts, stack=setup == "stack", warm=warm)))
                runs.append((f"raw pipeline, after {setup} {label} {number}", raw(texts, warm=warm)))
                print(*runs[-2], flush=True)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=80)
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help="times each set-up runs (the ratio reported is the median; one run of 80 articles "
                             "takes seconds, and the load of a shared machine moves single runs by ±15-25 %%)")
    parser.add_argument("--setups", default="embedded,stack",
                        help="comma-separated: embedded (SQLite + file queue), stack (PostgreSQL + Redis)")
    parser.add_argument("--sustained", type=int, default=SUSTAINED,
                        help="articles of the sustained runs after the rounds (0: none), the first of every "
                             "section: the start and end of a burst weigh less than in a run of 80")
    parser.add_argument("--sustained-rounds", type=int, default=SUSTAINED_ROUNDS,
                        help="times each set-up runs on the sustained articles (the median is reported)")
    parser.add_argument("--warm-rounds", type=int, default=WARM_ROUNDS,
                        help="rounds after the first ones in which the service and the raw processes have extracted "
                             "--warm other articles before the timed ones (0: none)")
    parser.add_argument("--warm", type=int, default=WARM,
                        help="articles of the Wirtschaft section through the service and the raw processes, untimed, "
                             "before each warm round")
    parser.add_argument("--no-write", action="store_true", help="print the section, do not write docs/benchmarks.md")
    args = parser.parse_args()
    setups = args.setups.split(",")
    texts = articles(args.articles)
    load_before, stolen_before = os.getloadavg()[0], stolen_seconds()
    runs = [("raw pipeline, 2 processes", raw(texts))]
    runs += alternate(texts, setups, args.rounds, "round")
    if args.warm_rounds and args.warm:
        warm = articles(args.warm, section="Wirtschaft")
        runs.append((f"raw pipeline, after {args.warm} other articles", raw(texts, warm=warm)))
        runs += alternate(texts, setups, args.warm_rounds, "warm round", warm=warm)
    if args.sustained:
        long_texts = articles(args.sustained, section=None)
        runs.append((f"raw pipeline, {args.sustained} articles", raw(long_texts)))
        runs += alternate(long_texts, setups, args.sustained_rounds, "sustained round")
    command = ".venv/bin/python benchmarks/service_throughput.py" + \
        (f" --articles {args.articles}" if args.articles != 80 else "") + \
        (f" --rounds {args.rounds}" if args.rounds != ROUNDS else "") + \
        (f" --setups {args.setups}" if setups != ["embedded", "stack"] else "") + \
        (f" --warm-rounds {args.warm_rounds}" if args.warm_rounds != WARM_ROUNDS else "") + \
        (f" --warm {args.warm}" if args.warm_rounds and args.warm != WARM else "") + \
        (f" --sustained {args.sustained}" if args.sustained != SUSTAINED else "") + \
        (f" --sustained-rounds {args.sustained_rounds}" if args.sustained and args.sustained_rounds != SUSTAINED_ROUNDS
         else "")
    body = report(args.articles, command, runs, (load_before, os.getloadavg()[0]), stolen_seconds() - stolen_before,
                  warm_count=args.warm if args.warm_rounds else 0)
    if not args.no_write:
        write_section(DOCS, "service", body)
    print(body)


if __name__ == "__main__":
    main()
