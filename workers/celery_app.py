"""The workers' Celery app: the shared queue app (lagebild_core.queue) with the tasks registered
and the settings that only a consuming process needs.

Tasks are acknowledged late and rejected when their worker is lost, so a crash redelivers
instead of dropping an article; a periodic sweep republishes jobs whose message may have been
lost anyway (e.g. the broker was down when the API accepted the article). Only worker and beat
processes import this module: it sets their BLAS threads and creates the embedded queue's
folders, which the API process never does.
"""
from __future__ import annotations

import os

# One BLAS thread per worker process: the pipeline's matrix products go through numpy's OpenBLAS
# (lagebild.fast_ops.v1), and N prefork processes each starting one thread per core would fight
# over the cores. Set before numpy is first imported in the process; an explicit setting wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from celery import Celery  # noqa: E402
from celery.signals import setup_logging, worker_init  # noqa: E402
from kombu import Exchange, Queue  # noqa: E402

from lagebild_core import logs, metrics  # noqa: E402
from lagebild_core.queue import (  # noqa: E402
    QUEUE, SWEEP_QUEUE, SWEEP_TASK, WEBHOOK_QUEUE, create_celery, ensure_queue_folders, uses_folders,
)
from lagebild_core.settings import Settings  # noqa: E402

SWEEP_SECONDS = 10.0  # how often beat runs the sweep


def create_worker_app(settings: Settings) -> Celery:
    """Return the Celery app that consumes the Lagebild queue (workers.tasks) for `settings`."""
    app = create_celery(settings, include=("workers.tasks",))
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        # one message per process at a time, and one more for each on the file-system queue: there a
        # process that finishes waits for the next look at the folder (up to POLLING_SECONDS) unless
        # its next message is already here (66 -> 7 ms idle per article). A prefetched message is
        # unacknowledged like a running one: lost with the worker, the sweep publishes it again.
        worker_prefetch_multiplier=2 if uses_folders(settings) else 1,
        # a new pool process must report within this: the model is loaded before the pool forks
        # (workers/process.py), this is the margin for a slow host (Celery's default, 4 s, killed
        # replacements that loaded the model themselves in a storm of timeouts)
        worker_proc_alive_timeout=60,
        worker_hijack_root_logger=False,
        # a safety net for memory: spaCy's vocab no longer grows with every new word (each extraction
        # runs in nlp.memory_zone()), but a very long article leaves a large heap behind; Celery
        # checks after each task and replaces the process (in KiB; None: never)
        worker_max_memory_per_child=settings.worker_max_memory_mb * 1024 or None,
        task_soft_time_limit=settings.task_soft_time_limit,
        task_time_limit=settings.task_time_limit,
        # every 10 s: a lost message is found once its job's lease (30 s) has run out, and the
        # sweep's wait adds to that; at 30 s a Redis restart healed in 61 s (benchmarks/chaos.py).
        # Cheap (two indexed queries and a queue length); a job is republished at most once a lease.
        beat_schedule={"sweep-stalled-jobs": {"task": SWEEP_TASK, "schedule": SWEEP_SECONDS}},
        # a worker consumes both queues (taking from each in turn); only workers send deliveries
        task_queues=[Queue(name, Exchange(name), routing_key=name) for name in (QUEUE, WEBHOOK_QUEUE, SWEEP_QUEUE)],
    )
    ensure_queue_folders(settings)
    return app


celery = create_worker_app(Settings.from_env())


@setup_logging.connect
def _configure_logging(**_kwargs) -> None:
    """Celery leaves logging to us when this signal has a receiver: the same lines as the API's."""
    logs.configure(celery.conf.lagebild_settings)


@worker_init.connect
def _serve_metrics(**_kwargs) -> None:
    """With LAGEBILD_WORKER_METRICS_PORT, the worker's main process serves the metrics of its pool
    (every worker container of a scaled deployment is scraped on its own)."""
    port = celery.conf.lagebild_settings.worker_metrics_port
    if port:
        from prometheus_client import start_http_server
        start_http_server(port, registry=metrics.registry())
