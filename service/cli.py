"""The `lagebild` command: serve, worker, beat, extract, submit, keys, db, openapi, settings."""
from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

from lagebild_core.settings import Settings, settings_table


@click.group()
def main() -> None:
    """Lagebild: German news articles in, actors, events and quotes out."""


# --- running the service ------------------------------------------------------------------

@main.command()
@click.option("--bind", default=None, help="host:port (default LAGEBILD_BIND).")
@click.option("--workers", "api_workers", type=int, default=None, help="gunicorn processes.")
@click.option("--worker/--no-worker", "with_worker", default=None,
              help="Also run a Celery worker (default: yes on the embedded queue, no with a broker URL).")
def serve(bind, api_workers, with_worker) -> None:
    """Run the API under gunicorn (and, on the embedded default, a worker beside it)."""
    settings = Settings.from_env()
    _upgrade(settings)
    if with_worker is None:
        with_worker = not settings.broker_url
    commands = [gunicorn_command(bind or settings.bind, api_workers or settings.api_workers)]
    if with_worker:
        commands.append(_worker_command(settings, beat=True))
    _supervise(commands)


@main.command()
@click.option("--concurrency", type=int, default=None, help="Worker processes (default LAGEBILD_WORKER_CONCURRENCY).")
@click.option("--beat/--no-beat", default=None,
              help="Run the periodic sweep in this worker (default: yes on the embedded queue).")
def worker(concurrency, beat) -> None:
    """Run a Celery worker that loads the spaCy pipeline once per process."""
    settings = Settings.from_env()
    _upgrade(settings)
    beat = (not settings.broker_url) if beat is None else beat
    os.execv(sys.executable, _worker_command(settings, beat=beat, concurrency=concurrency))


@main.command()
def beat() -> None:
    """Run the Celery beat scheduler alone (the sweep that republishes stalled jobs)."""
    settings = Settings.from_env()
    os.execv(sys.executable, [sys.executable, "-m", "celery", "-A", "workers.celery_app:celery", "beat",
                              "--loglevel", settings.log_level, "--schedule", _beat_schedule(settings)])


def gunicorn_command(bind: str, workers: int) -> list[str]:
    """gunicorn with the front door of service/gunicorn_conf.py (gevent workers, timeouts on
    request heads and bodies, problem+json error pages); only address and processes vary."""
    return [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf",
            "--bind", bind, "--workers", str(workers), "service.wsgi:app"]


def _worker_command(settings: Settings, *, beat: bool, concurrency: int | None = None) -> list[str]:
    command = [sys.executable, "-m", "celery", "-A", "workers.celery_app:celery", "worker",
               "--loglevel", settings.log_level, "--concurrency", str(concurrency or settings.worker_concurrency),
               "--queues", "lagebild", "--hostname", f"lagebild-{os.getpid()}@%h"]
    if beat:
        command += ["--beat", "--schedule", _beat_schedule(settings)]
    return command


def _beat_schedule(settings: Settings) -> str:
    """Path of the beat scheduler's state file under the data folder (created if missing)."""
    schedule = Path(settings.data_dir) / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    return str(schedule)


def _supervise(commands: list[list[str]]) -> None:
    """Run the processes; when one ends or a signal arrives, stop them all.

    Exits 0 after a requested stop (SIGTERM/SIGINT); when a process ends by itself, exits
    with its code so that a supervisor sees the failure."""
    processes = [subprocess.Popen(command) for command in commands]
    requested = []

    def stop(*_args):
        for process in processes:
            if process.poll() is None:
                process.terminate()

    def on_signal(signum, _frame):
        requested.append(signum)
        stop()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        while all(process.poll() is None for process in processes) and not requested:
            time.sleep(0.5)
        ended_by_itself = [p.returncode for p in processes if p.returncode is not None]
    finally:
        stop()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    if requested:
        sys.exit(0)
    sys.exit(next((code for code in ended_by_itself if code), 1))


# --- database and contract ---------------------------------------------------------------

@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    _upgrade(Settings.from_env())
    click.echo("database is at the newest revision", err=True)


def _upgrade(settings: Settings) -> None:
    from lagebild_core.store import Database
    Database(settings.effective_database_url).upgrade()


# --- API keys ----------------------------------------------------------------------------

@main.group()
def keys() -> None:
    """API keys: each names a tenant and a scope (read or write)."""


@keys.command("create")
@click.option("--tenant", required=True, help="The tenant whose data the key reads and writes.")
@click.option("--scope", type=click.Choice(["read", "write"]), default="write", show_default=True)
def keys_create(tenant, scope) -> None:
    """Create a key; it is printed as the last line, once: only its hash is stored."""
    from lagebild_core import domain, keys as api_keys
    settings = Settings.from_env()
    _upgrade(settings)
    try:
        with _database(settings).transaction() as session:
            row, key = api_keys.create_key(session, tenant, scope)
    except domain.Invalid as error:
        raise click.BadParameter(str(error), param_hint="--tenant") from None
    click.echo(f"created key {row.id} for tenant {row.tenant} ({row.scope}); it is shown only now:")
    click.echo(key)


@keys.command("list")
def keys_list() -> None:
    """List the keys (id, tenant, scope, created, revoked); never the keys themselves."""
    from lagebild_core import keys as api_keys
    settings = Settings.from_env()
    _upgrade(settings)
    with _database(settings).transaction() as session:
        rows = api_keys.list_keys(session)
        click.echo("id\ttenant\tscope\tcreated_at\trevoked_at")
        for row in rows:
            click.echo("\t".join([row.id, row.tenant, row.scope, row.created_at.isoformat(timespec="seconds"),
                                  row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else "-"]))


@keys.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id) -> None:
    """Revoke a key by its id: requests with it are refused from now on."""
    from lagebild_core import domain, keys as api_keys
    settings = Settings.from_env()
    _upgrade(settings)
    try:
        with _database(settings).transaction() as session:
            api_keys.revoke_key(session, key_id)
    except domain.NotFound as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"revoked key {key_id}")


def _database(settings: Settings):
    from lagebild_core.store import Database
    return Database(settings.effective_database_url)


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="File to write (default stdout).")
def openapi(output) -> None:
    """Print the OpenAPI contract generated from the marshmallow schemas."""
    from service.app import create_app
    from service.docs import openapi_yaml
    with create_app(Settings(data_dir=str(Path(os.environ.get("TMPDIR", "/tmp")) / "lagebild-openapi"))).app_context():
        text = openapi_yaml()
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@main.command("settings")
def show_settings() -> None:
    """Print the table of LAGEBILD_* variables."""
    click.echo(settings_table())


# --- extraction without servers ----------------------------------------------------------

@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--published-at", default=None, help="YYYY-MM-DD: anchors relative dates in every file.")
@click.option("--model", default=None, help="spaCy pipeline (default LAGEBILD_SPACY_MODEL or the shipped one).")
def extract(files, published_at, model) -> None:
    """Run the pipeline in this process; print one extraction JSON object per file (JSON Lines)."""
    load = _worker_code("workers.pipeline:load")
    anchor = _parse_date(published_at)
    pipeline = load(model or Settings.from_env().spacy_model or None)
    for name in files:
        text = _read_text(name)
        click.echo(json.dumps(pipeline.extract(text, anchor), ensure_ascii=False))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--server", default=lambda: os.environ.get("LAGEBILD_SERVER", "http://127.0.0.1:8000"),
              show_default="$LAGEBILD_SERVER or http://127.0.0.1:8000", help="Base URL of a running Lagebild.")
@click.option("--published-at", default=None, help="YYYY-MM-DD for every file.")
@click.option("--wait/--no-wait", default=False, help="Poll until every job is done and print the results.")
@click.option("--timeout", type=float, default=300.0, help="Seconds to wait for all results with --wait.")
@click.option("--api-key", default=lambda: os.environ.get("LAGEBILD_API_KEY", ""),
              show_default="$LAGEBILD_API_KEY", help="API key sent as 'Authorization: Bearer <key>'.")
def submit(files, server, published_at, wait, timeout, api_key) -> None:
    """Post files to a running server; print the accepted articles or, with --wait, the results."""
    from service.client import submit_files
    _parse_date(published_at)
    if not api_key:
        raise click.UsageError("No API key: set LAGEBILD_API_KEY or pass --api-key "
                               "(`lagebild keys create --tenant NAME` makes one).")
    ok = submit_files(server.rstrip("/"), files, published_at=published_at, wait=wait, timeout=timeout,
                      api_key=api_key)
    sys.exit(0 if ok else 1)


def _worker_code(name: str):
    """Return the worker object called "module:attribute". The command line starts worker code by
    name, as it starts `celery -A workers.celery_app:celery`: the service package never imports
    the workers (nor spaCy), so the API process stays light."""
    module, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _parse_date(value: str | None):
    import datetime as dt
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD).", param_hint="--published-at") from None


def _read_text(name: str) -> str:
    try:
        return Path(name).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{name} is not UTF-8 text (byte {error.start}).") from None


if __name__ == "__main__":  # pragma: no cover
    main()
