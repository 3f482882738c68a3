"""What one worker process holds, and when it gets it: the settings, the database handle and the
pipeline (`state`), loaded in the main process and warmed up before the pool forks, so that the
pool's processes inherit them (workers.warm_up); after a fork a process opens its own database
connections and reports its stages to its own metrics. The tasks (workers.tasks) ask for them here.
"""
from __future__ import annotations

import gc
import logging
import os

from celery.signals import worker_init, worker_process_init, worker_process_shutdown, worker_ready

from lagebild_core import metrics as lagebild_metrics
from lagebild_core.store import Database
from workers import copies, metrics
from workers.celery_app import celery

log = logging.getLogger(__name__)

state: dict = {}  # "db", "pipeline", "announcer", "queue", "warm_up_ms": created once per process


def settings():
    """The worker's settings (LAGEBILD_*), those the Celery app was built with."""
    return celery.conf.lagebild_settings


def database() -> Database:
    """The process's database handle, created after the fork."""
    if "db" not in state:
        state["db"] = Database(settings().effective_database_url)
    return state["db"]


def pipeline():
    """The process's extraction pipeline, loaded once (at worker process start)."""
    if "pipeline" not in state:
        from workers.pipeline import load
        state["pipeline"] = load(settings().spacy_model or None)
    return state["pipeline"]


@worker_init.connect
def _load_before_the_pool_forks(sender=None, **_kwargs) -> None:
    """The main process loads the model once and warms it and the database layer up (workers.warm_up);
    the pool's processes inherit both when they fork, so a replacement process is up at once (loading
    took 3.7 s, more than Celery's 4 s wait for a new process, which then killed its replacements in a
    storm), shares the model's memory and runs its first task as fast as the next ones."""
    from workers.warm_up import warm_up
    processes = getattr(sender, "concurrency", None)
    copies.share(processes if isinstance(processes, int) else settings().worker_concurrency,
                 hold_seconds=settings().job_lease_seconds / 3)
    state["warm_up_ms"] = warm_up(pipeline(), database())
    gc.collect()
    gc.freeze()


@worker_ready.connect
def _report_warm_up(**_kwargs) -> None:
    """Logged once logging is set up (it is not yet when the pool is about to fork)."""
    log.info("warmed up before the pool forked",
             extra={f"warm_up_{step}_ms": round(ms, 1) for step, ms in state.get("warm_up_ms", {}).items()})


@worker_process_init.connect
def _load_in_worker_process(**_kwargs) -> None:
    if "db" in state:  # never share a connection pool across a fork (the compiled statements are kept)
        state["db"].engine.dispose(close=False)
    pipeline().observe_stage = metrics.observe_stage


@worker_process_shutdown.connect
def _forget_process_metrics(pid=None, **_kwargs) -> None:
    lagebild_metrics.process_exited(pid or os.getpid())
