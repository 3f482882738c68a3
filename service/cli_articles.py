"""`lagebild extract` and `lagebild submit`: article files in, one JSON record per file out.

Both print the same record, in the order the files were given:
`{"file": NAME, "extraction": {...}}`, or `{"file": NAME, "error": ...}` for a file that failed.
A file may have its article fields beside it: `NAME.meta.json` next to `NAME.txt`
(`published_at`, `external_id`, `title`, `url`, `source`, `language`, `metadata`), as the seeds do.
"""
from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import sys
from pathlib import Path

import click

from lagebild_core.settings import Settings

META_FIELDS = {"title", "url", "published_at", "language", "source", "external_id", "metadata"}


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--published-at", default=None,
              help="YYYY-MM-DD: anchors relative dates in every file (default: each file's NAME.meta.json).")
@click.option("--model", default=None, help="spaCy pipeline (default LAGEBILD_SPACY_MODEL or the shipped one).")
def extract(files, published_at, model) -> None:
    """Run the pipeline in this process, no servers; print one record per file (JSON Lines).

    \b
    Example:
      lagebild extract seeds/*.txt                        # dates from seeds/*.meta.json
      lagebild extract --published-at 2024-10-16 mein-artikel.txt
    """
    _parse_date(published_at)
    articles = read_articles(files, published_at)  # every file is read before the model loads
    load = _worker_code("workers.pipeline:load")
    pipeline = load(model or Settings.from_env().spacy_model or None)
    dates = [_parse_date(article.get("published_at"), name) for name, article in articles]
    extractions = pipeline.extract_many((article["text"], date) for (_, article), date in zip(articles, dates))
    for (name, _article), extraction in zip(articles, extractions):  # (nlp.pipe batches: faster than one by one)
        click.echo(json.dumps({"file": name, "extraction": extraction}, ensure_ascii=False))


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--server", default=lambda: os.environ.get("LAGEBILD_SERVER")
              or f"http://{os.environ.get('LAGEBILD_BIND') or '127.0.0.1:8000'}",
              show_default="$LAGEBILD_SERVER, else http://$LAGEBILD_BIND (127.0.0.1:8000)",
              help="Base URL of a running Lagebild.")
@click.option("--published-at", default=None, help="YYYY-MM-DD for every file (default: each file's NAME.meta.json).")
@click.option("--wait/--no-wait", default=False, help="Poll until every job is done and print the extractions.")
@click.option("--timeout", type=float, default=300.0, help="Seconds to wait for all results with --wait.")
@click.option("--api-key", default=lambda: os.environ.get("LAGEBILD_API_KEY", ""),
              show_default="$LAGEBILD_API_KEY", help="API key sent as 'Authorization: Bearer <key>'.")
def submit(files, server, published_at, wait, timeout, api_key) -> None:
    """Post files to a running server; print the accepted articles or, with --wait, the
    extractions (the records of `lagebild extract`). A file with an `external_id` in its
    NAME.meta.json is found again when submitted twice, not copied.

    \b
    Example:
      export LAGEBILD_API_KEY=$(cat var/api-key)
      lagebild submit --wait --published-at 2024-10-16 mein-artikel.txt
    """
    from service.client import submit_files
    _parse_date(published_at)
    if not api_key:
        raise click.ClickException("no API key: set LAGEBILD_API_KEY (`make start` keeps one in var/api-key) "
                                   "or pass --api-key")
    articles = read_articles(files, published_at)
    ok = submit_files(server, articles, wait=wait, timeout=timeout, api_key=api_key)
    sys.exit(0 if ok else 1)


def read_articles(files, published_at: str | None) -> list[tuple[str, dict]]:
    """(file name, article JSON) for every file, its NAME.meta.json merged in; the first file
    that cannot be read ends the command with one line."""
    articles = []
    for name in files:
        article = {"title": Path(name).stem, **_read_meta(name), "text": _read_text(name)}
        if published_at:
            article["published_at"] = published_at
        articles.append((name, article))
    return articles


def _read_text(name: str) -> str:
    try:
        return Path(name).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"cannot read {name}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise click.ClickException(f"cannot read {name}: {error.strerror or error}") from None


def _read_meta(name: str) -> dict:
    path = Path(name).with_suffix(".meta.json")
    if not path.is_file():
        return {}
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"cannot read {path}: {error}") from None
    if not isinstance(meta, dict) or set(meta) - META_FIELDS:
        raise click.ClickException(f"{path} must be a JSON object with only these fields: "
                                   f"{', '.join(sorted(META_FIELDS))}")
    _parse_date(meta.get("published_at"), str(path))
    return meta


def _parse_date(value: str | None, source: str | None = None):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        if source:
            raise click.ClickException(f"{source}: published_at '{value}' is not a date (YYYY-MM-DD)") from None
        raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD).", param_hint="--published-at") from None


def _worker_code(name: str):
    """Return the worker object called "module:attribute". The command line starts worker code by
    name, as it starts `celery -A workers.celery_app:celery`: the service package never imports
    the workers (nor spaCy), so the API process stays light."""
    module, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module), attribute)
