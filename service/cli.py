"""The `lagebild` command: serve, worker, beat, extract, submit, keys, db, openapi, settings."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

from lagebild_core import metrics
from lagebild_core.settings import Settings, settings_table
from lagebild_core.queue import QUEUE, SWEEP_QUEUE, WEBHOOK_QUEUE
from service.cli_articles import extract, submit


class Lagebild(click.Group):
    """The command group: an error nobody foresaw still ends the command with one line on stderr
    and exit status 1 (LAGEBILD_DEBUG=1 shows the traceback instead)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit,
                KeyboardInterrupt):
            raise
        except Exception as error:
            if os.environ.get("LAGEBILD_DEBUG"):
                raise
            first = (str(error).strip().splitlines() or [""])[0]
            raise click.ClickException(f"{type(error).__name__}: {first} (LAGEBILD_DEBUG=1 shows the traceback)") \
                from None


@click.group(cls=Lagebild)
def main() -> None:
    """Lagebild: German news articles in, actors, events and quotes out.

    \b
    Example (after `make start`, with `. .venv/bin/activate`):
      export LAGEBILD_API_KEY=$(cat var/api-key)
      lagebild submit --wait seeds/000_49e7588e5b29a721.txt
    """


main.add_command(extract)
main.add_command(submit)


# --- running the service ------------------------------------------------------------------

@main.command()
@click.option("--bind", default=None, help="host:port (default LAGEBILD_BIND).")
@click.option("--workers", "api_workers", type=int, default=None, help="gunicorn processes.")
@click.option("--worker/--no-worker", "with_worker", default=None,
              help="Also run a Celery worker (default: yes on the embedded queue, no with a broker URL).")
def serve(bind, api_workers, with_worker) -> None:
    """Run the API under gunicorn (and, on the embedded default, a worker beside it).

    \b
    Example:
      LAGEBILD_BIND=127.0.0.1:8001 lagebild serve     # `make start` runs this in the background
    """
    settings = Settings.from_env()
    _upgrade(settings)
    if with_worker is None:
        with_worker = not settings.broker_url
    # the metrics folder is this command's own when it runs the worker too: start it from zero
    metrics.prepare(settings, fresh=with_worker)
    commands = [gunicorn_command(bind or settings.bind, api_workers or settings.api_workers)]
    if with_worker:
        commands.append(_worker_command(settings, beat=True))
    _supervise(commands)


@main.command()
@click.option("--concurrency", type=int, default=None, help="Worker processes (default LAGEBILD_WORKER_CONCURRENCY).")
@click.option("--beat/--no-beat", default=None,
              help="Run the periodic sweep in this worker (default: yes on the embedded queue).")
def worker(concurrency, beat) -> None:
    """Run a Celery worker that loads the spaCy pipeline once per process.

    \b
    Example:
      LAGEBILD_BROKER_URL=redis://127.0.0.1:6379/0 lagebild worker --concurrency 4
    """
    settings = Settings.from_env()
    _upgrade(settings)
    beat = (not settings.broker_url) if beat is None else beat
    metrics.prepare(settings, fresh=False)
    os.execv(sys.executable, _worker_command(settings, beat=beat, concurrency=concurrency))


@main.command()
def beat() -> None:
    """Run the Celery beat scheduler alone (the sweep that republishes stalled jobs).

    \b
    Example:
      LAGEBILD_BROKER_URL=redis://127.0.0.1:6379/0 lagebild beat
    """
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
               "--queues", f"{QUEUE},{WEBHOOK_QUEUE},{SWEEP_QUEUE}", "--hostname", f"lagebild-{os.getpid()}@%h",
               # nothing here listens to worker events: no heartbeat published every 2 s, no gossip
               # subscription to the other workers' events, no start-up exchange of revoked tasks
               # (Lagebild never revokes); `celery control ping` (the compose health check) still answers
               "--without-heartbeat", "--without-gossip", "--without-mingle"]
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
    """Database schema commands.

    \b
    Example:
      lagebild db upgrade
    """


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema.

    \b
    Example:
      LAGEBILD_DATABASE_URL=postgresql+psycopg://lagebild@127.0.0.1/lagebild lagebild db upgrade
    """
    _upgrade(Settings.from_env())
    click.echo("database is at the newest revision", err=True)


def _upgrade(settings: Settings) -> None:
    """Bring the schema to the newest revision, then give indexed events without a story one
    (events indexed before stories existed: once, after migration 0007)."""
    from lagebild_core import stories
    from lagebild_core.store import Database
    database = Database(settings.effective_database_url)
    database.upgrade()
    with database.transaction() as session:
        stories.group_unassigned(session)
    database.engine.dispose()


# --- API keys ----------------------------------------------------------------------------

@main.group()
def keys() -> None:
    """API keys: each names a tenant and a scope (read or write).

    \b
    Example:
      lagebild keys create --tenant acme --scope read
    """


@keys.command("create")
@click.option("--tenant", required=True, help="The tenant whose data the key reads and writes.")
@click.option("--scope", type=click.Choice(["read", "write"]), default="write", show_default=True)
def keys_create(tenant, scope) -> None:
    """Create a key; it is printed as the last line, once: only its hash is stored.

    \b
    Example:
      lagebild keys create --tenant acme --scope write | tail -n 1 > acme.key
    """
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
    """List the keys (id, tenant, scope, created, revoked); never the keys themselves.

    \b
    Example:
      lagebild keys list
    """
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
    """Revoke a key by its id: requests with it are refused within LAGEBILD_API_KEY_CACHE_SECONDS.

    \b
    Example:
      lagebild keys revoke 5f2a9c01     # the id from `lagebild keys list`
    """
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
    """Print the OpenAPI contract generated from the marshmallow schemas.

    \b
    Example:
      lagebild openapi -o openapi.yaml
    """
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
    """Print the table of LAGEBILD_* variables.

    \b
    Example:
      lagebild settings
    """
    click.echo(settings_table())


if __name__ == "__main__":  # pragma: no cover
    main()
