"""Prometheus metrics that every API and worker process of a host writes into one folder.

prometheus-client's multiprocess mode: each process writes its counters and histograms to files
under PROMETHEUS_MULTIPROC_DIR, and `/metrics` adds them up. The variable must be set before the
first metric exists in a process, so `lagebild serve` and `lagebild worker` set it (`prepare`)
before they start gunicorn and Celery. Without it (tests, `flask run`) every metric lives in the
process and `/metrics` shows that one process.
"""
from __future__ import annotations

import os
import shutil

from lagebild_core.settings import Settings

ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare(settings: Settings, *, fresh: bool) -> None:
    """Point this process and its children at the shared folder; `fresh` empties it first (the
    service starts from zero: counters of processes that are gone would otherwise add up forever)."""
    folder = settings.effective_metrics_dir
    if fresh and folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[ENV] = str(folder)


def registry():
    """The registry to expose: every process's metrics in multiprocess mode, else this process's."""
    from prometheus_client import REGISTRY, CollectorRegistry, multiprocess
    if not os.environ.get(ENV):
        return REGISTRY
    collected = CollectorRegistry()
    multiprocess.MultiProcessCollector(collected)
    return collected


def process_exited(pid: int) -> None:
    """Forget the live gauges of a process that ended (its counters stay counted)."""
    if os.environ.get(ENV):
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(pid)
