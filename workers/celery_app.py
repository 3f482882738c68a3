"""The Celery app, configured from the same Settings as the API.

The broker is Redis in production; the embedded default is kombu's file-system transport,
a real cross-process queue that needs no server. Tasks are acknowledged late and rejected
when their worker is lost, so a crash redelivers instead of dropping an article; a periodic
sweep republishes jobs whose message may have been lost anyway (e.g. the broker was down
when the API accepted the article).
"""
from __future__ import annotations

import os

# One BLAS thread per worker process: the pipeline's matrix products go through numpy's OpenBLAS
# (lagebild.fast_ops.v1), and N prefork processes each starting one thread per core would fight
# over the cores. Set before numpy is first imported in the process; an explicit setting wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from celery import Celery  # noqa: E402

from service.settings import Settings  # noqa: E402

EXTRACT_TASK = "lagebild.extract"
SWEEP_TASK = "lagebild.sweep"
QUEUE = "lagebild"


def create_celery(settings: Settings) -> Celery:
    """Return a Celery app for `settings` (used by workers to consume and by the API to send)."""
    app = Celery("lagebild", broker=settings.effective_broker_url, include=["workers.tasks"])
    transport_options: dict = {"visibility_timeout": settings.task_time_limit * 2 + 60}
    if settings.effective_broker_url.startswith("filesystem"):
        folder = settings.queue_dir
        for name in ("messages", "processed", "control"):
            (folder / name).mkdir(parents=True, exist_ok=True)
        transport_options = {
            "data_folder_in": str(folder / "messages"),
            "data_folder_out": str(folder / "messages"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
        }
    app.conf.update(
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=4,
        broker_transport_options=transport_options,
        task_soft_time_limit=settings.task_soft_time_limit,
        task_time_limit=settings.task_time_limit,
        beat_schedule={"sweep-stalled-jobs": {"task": SWEEP_TASK, "schedule": 30.0}},
        timezone="UTC",
    )
    app.conf.lagebild_settings = settings
    return app


def broker_reachable(app: Celery, timeout: float = 2.0) -> None:
    """Raise if the broker cannot be reached within `timeout` seconds."""
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)


celery = create_celery(Settings.from_env())
