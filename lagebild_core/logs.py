"""Logging for the API and the workers: JSON lines that carry the request and the job.

`configure(settings)` sets up the root logger once per process. `context(**fields)` binds fields
(`request_id`, `job_id`, `article_id`, `tenant`) for the code running inside it — the API binds the
request id for a request, the worker the job and article for a task, and the API sends its request
id with each job's message — so one `grep` for a job id or request id follows an article from its
POST to its stored version across processes.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
from typing import Iterator

from lagebild_core.settings import Settings

_FIELDS: contextvars.ContextVar[dict] = contextvars.ContextVar("lagebild_log_fields", default={})
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


@contextlib.contextmanager
def context(**fields) -> Iterator[None]:
    """Add `fields` (None values left out) to every log record written inside the block."""
    token = _FIELDS.set({**_FIELDS.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _FIELDS.reset(token)


def current(name: str):
    """The bound value of one context field, or None."""
    return _FIELDS.get().get(name)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the bound context, the record's
    `extra` fields and, for an exception, its type and traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_FIELDS.get(),
            **{k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")},
        }
        if record.exc_info:
            entry["error"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Plain lines, with the bound context appended as key=value."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        bound = " ".join(f"{k}={v}" for k, v in _FIELDS.get().items())
        return f"{line} [{bound}]" if bound else line


def formatter(settings: Settings) -> logging.Formatter:
    return JsonFormatter() if settings.log_format.lower() == "json" else TextFormatter()


def configure(settings: Settings) -> None:
    """Send every log record of this process to stderr in the configured format (once: a second
    call replaces the handler it installed, and leaves other handlers, e.g. pytest's, alone)."""
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(settings))
    handler.lagebild = True
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not getattr(h, "lagebild", False)] + [handler]
    root.setLevel(settings.log_level.upper())
