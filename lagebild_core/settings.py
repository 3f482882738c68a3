"""One settings object, read from `LAGEBILD_*` environment variables.

Each field's metadata documents its variable; `settings_table()` prints them as the README's
configuration table (`lagebild settings`; tests/test_readme.py checks it), so the two cannot
drift apart.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


def _default_data_dir() -> str:
    return str(Path.cwd() / "var")


@dataclass(frozen=True)
class Settings:
    """Runtime configuration of the API, the workers and the command line."""

    data_dir: str = field(default_factory=_default_data_dir, metadata={
        "doc": "Folder for the embedded defaults: the SQLite database and the file-system queue."})
    database_url: str = field(default="", metadata={
        "doc": "SQLAlchemy URL of the database, e.g. `postgresql+psycopg://user@host/db`. "
               "Empty: SQLite at `<data_dir>/lagebild.sqlite3`."})
    broker_url: str = field(default="", metadata={
        "doc": "Celery broker URL, e.g. `redis://127.0.0.1:6379/0`. "
               "Empty: kombu's file-system transport under `<data_dir>/queue` (no server needed)."})
    spacy_model: str = field(default="", metadata={
        "doc": "spaCy pipeline the workers load: a package name or a path. Empty: the shipped "
               "`models/de_lagebild`; `blank:de` for a blank German pipeline."})
    max_text_bytes: int = field(default=1_000_000, metadata={
        "doc": "Largest accepted article text, in UTF-8 bytes (413 above it)."})
    max_request_bytes: int = field(default=20_000_000, metadata={
        "doc": "Largest accepted request body, in bytes (413 above it); bounds batch uploads."})
    batch_limit: int = field(default=100, metadata={
        "doc": "Most articles in one `POST /v1/articles:batch` (at most 100, the documented maximum; "
               "more is a 422)."})
    retry_after_seconds: int = field(default=2, metadata={
        "doc": "`Retry-After` sent with 202 answers and unfinished jobs."})
    task_soft_time_limit: int = field(default=120, metadata={
        "doc": "Seconds before an extraction task is asked to stop (soft time limit)."})
    task_time_limit: int = field(default=180, metadata={
        "doc": "Seconds before an extraction task is killed (hard time limit)."})
    task_max_retries: int = field(default=8, metadata={
        "doc": "Retries of a task after a transient error (database or broker), with backoff of 2, 4, 8, … "
               "up to 120 s (the default outlasts a 5-minute outage)."})
    requeue_after_seconds: int = field(default=600, metadata={
        "doc": "A job still queued or running after this long is published again by the sweeper."})
    job_lease_seconds: int = field(default=30, metadata={
        "doc": "A running job whose worker has not renewed its lease for this long is published again "
               "(the worker renews it every third of this)."})
    worker_concurrency: int = field(default=2, metadata={
        "doc": "Processes per `lagebild worker` (each loads the spaCy model once)."})
    worker_batch_size: int = field(default=16, metadata={
        "doc": "Articles a worker process extracts together when more are waiting (one message's job and up to "
               "this many minus one queued jobs): parsed with `nlp.pipe` (at most 40,000 characters at once) and "
               "stored in one transaction, which costs less per article (docs/benchmarks.md). 1: one article per "
               "task."})
    worker_batch_characters: int = field(default=40_000, metadata={
        "doc": "At most this many characters of text in one batch (about 1.6 s of extraction): a batch's first "
               "result waits for the whole batch, and a longer article runs alone. A batch's parsed texts are freed "
               "when it ends; the peak grows with the batch: 400 10kGNAD articles peaked at about 370 MB in "
               "batches of 16 / 40,000, 337 MB with 12 / 30,000, 311 MB with 8 / 20,000 (the issue's bound: "
               "400 MB per process; docs/benchmarks.md measures the default)."})
    worker_max_memory_mb: int = field(default=1000, metadata={
        "doc": "A worker process whose resident memory exceeds this many MB after a task is replaced by a "
               "fresh one (Celery's `worker_max_memory_per_child`; the model is loaded before the pool forks, "
               "so the replacement is ready at once). A process uses about 300 MB on ordinary articles "
               "(docs/benchmarks.md). 0: never."})
    api_workers: int = field(default=2, metadata={
        "doc": "gunicorn worker processes for `lagebild serve`."})
    bind: str = field(default="127.0.0.1:8000", metadata={
        "doc": "Address `lagebild serve` binds to."})
    log_level: str = field(default="INFO", metadata={
        "doc": "Log level of the API and the workers."})
    log_format: str = field(default="json", metadata={
        "doc": "`json`: one JSON object per line with `request_id`, `job_id` and `article_id` where known "
               "(docs/operations.md); `text`: plain lines for reading in a terminal."})
    worker_metrics_port: int = field(default=0, metadata={
        "doc": "Port on which `lagebild worker` serves its own `/metrics` (for workers on other hosts or "
               "containers, whose metrics folder the API cannot read). 0: none."})
    metrics_dir: str = field(default="", metadata={
        "doc": "Folder where every API and worker process of this host writes its Prometheus metrics, "
               "served together at `/metrics`. Empty: `<data_dir>/metrics`."})
    rate_limit_read: str = field(default="600/minute", metadata={
        "doc": "Reads (GET) one API key may make, in the limits notation (`600/minute`, `20/second`); "
               "429 above it."})
    rate_limit_write: str = field(default="120/minute", metadata={
        "doc": "Writes (POST, DELETE) one API key may make (a batch is one write); 429 above it."})
    rate_limit_storage_url: str = field(default="", metadata={
        "doc": "Where the rate-limit counters live, e.g. `redis://127.0.0.1:6379/1`. Empty: the "
               "broker's Redis when `LAGEBILD_BROKER_URL` is one, else memory (per API process)."})
    api_key_cache_seconds: int = field(default=5, metadata={
        "doc": "Seconds an API process keeps a key it looked up, so that a request costs no key query (a "
               "background refresher re-reads the kept keys in one query before they are this old); a "
               "revoked key is refused by every process at most this long after `lagebild keys revoke`. "
               "0: look the key up on every request."})
    read_cache_seconds: int = field(default=1, metadata={
        "doc": "Stored versions are kept per API process (their bytes and ETag) and served, 304 included, "
               "without a database query while the article was seen to exist within this many seconds (a "
               "background refresher confirms all kept articles in one query before that; a request re-checks "
               "itself only when it fell behind). A deleted article is gone at once in the process that deleted "
               "it and at most this long later in the others. 0: check on every request."})
    read_cache_mb: int = field(default=64, metadata={
        "doc": "Most megabytes of stored versions each API process keeps (least recently read dropped first); "
               "0: no cache."})
    max_pending_jobs: int = field(default=1000, metadata={
        "doc": "Most unfinished (queued or running) jobs one tenant may have; more submissions are a 429. "
               "Each API process counts them at most once a second and adds what it accepted since: "
               "submissions through other processes within that second can pass the limit by their number."})
    cors_origins: str = field(default="", metadata={
        "doc": "Comma-separated origins that browsers may call the API from (`https://app.example`). "
               "Empty: CORS is off."})
    public_base_url: str = field(default="", metadata={
        "doc": "Absolute URL clients reach the API at (`https://lagebild.example`); the links in webhook "
               "payloads start with it. Empty: the links are API paths (`/v1/jobs/…`)."})
    webhook_backoff_seconds: str = field(default="5,30,120,600,3600,14400", metadata={
        "doc": "Seconds between a failed webhook attempt (timeout, error, non-2xx) and the next, comma-separated; "
               "after the last one the event is given up."})
    webhook_timeout_seconds: int = field(default=5, metadata={
        "doc": "Timeout of one webhook attempt, for connecting and for each read, in seconds."})
    webhook_disable_after: int = field(default=5, metadata={
        "doc": "A webhook is disabled after this many consecutive events were given up (`status: disabled`)."})
    webhook_allow_private: bool = field(default=False, metadata={
        "doc": "`true`: webhooks may point at loopback, private, link-local and other non-public addresses "
               "(tests, a receiver on the same host). Otherwise they are refused, when subscribing and when sending."})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        """Return settings from `LAGEBILD_<NAME>` variables, then `overrides` on top."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f"LAGEBILD_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _parse(f.name, f.type, raw)
        values.update(overrides)
        return cls(**values)

    @property
    def webhook_backoff(self) -> tuple[float, ...]:
        """The delays of `webhook_backoff_seconds`, in seconds."""
        return parse_backoff(self.webhook_backoff_seconds)

    @property
    def effective_database_url(self) -> str:
        """The database URL in use: the configured one, or the embedded SQLite file."""
        return self.database_url or f"sqlite:///{Path(self.data_dir) / 'lagebild.sqlite3'}"

    @property
    def effective_broker_url(self) -> str:
        """The broker URL in use: the configured one, or the embedded file-system queue."""
        return self.broker_url or "filesystem://"

    @property
    def cors_origin_list(self) -> tuple[str, ...]:
        """The origins of `cors_origins`, without blanks."""
        return tuple(o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip())

    @property
    def effective_metrics_dir(self) -> Path:
        """The folder of the processes' shared Prometheus metrics."""
        return Path(self.metrics_dir) if self.metrics_dir else Path(self.data_dir) / "metrics"

    @property
    def queue_dir(self) -> Path:
        """Folder of the embedded file-system queue."""
        return Path(self.data_dir) / "queue"


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _parse(name: str, kind, raw: str):
    if kind in ("int", int):
        return int(raw)
    if kind in ("bool", bool):
        if raw.strip().lower() not in _TRUE + _FALSE:
            raise ValueError(f"LAGEBILD_{name.upper()} is true or false, not {raw!r}")
        return raw.strip().lower() in _TRUE
    return raw


def parse_backoff(text: str) -> tuple[float, ...]:
    """The delays of a comma list of seconds ("5,30,120"); raise ValueError unless each is a number >= 0."""
    delays = tuple(float(part) for part in text.split(",") if part.strip())
    if not delays or any(not 0 <= delay <= 86_400 * 7 for delay in delays):
        raise ValueError(f"LAGEBILD_WEBHOOK_BACKOFF_SECONDS: comma-separated seconds (0 to one week), not {text!r}")
    return delays


def settings_table() -> str:
    """Return the markdown table of every `LAGEBILD_*` variable with its default."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for f in fields(Settings):
        default = ("`./var`" if f.name == "data_dir" else f"`{str(f.default).lower()}`" if isinstance(f.default, bool)
                   else f"`{f.default}`" if f.default != "" else "(empty)")
        rows.append(f"| `LAGEBILD_{f.name.upper()}` | {default} | {f.metadata['doc']} |")
    return "\n".join(rows)
