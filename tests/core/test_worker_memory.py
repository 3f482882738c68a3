"""The worker's memory safety net: Celery replaces a pool process whose RSS exceeds the limit."""
from __future__ import annotations

from lagebild_core.settings import Settings
from workers.celery_app import create_worker_app


def test_a_worker_process_over_the_memory_limit_is_replaced(tmp_path):
    app = create_worker_app(Settings(data_dir=str(tmp_path), worker_max_memory_mb=800))
    assert app.conf.worker_max_memory_per_child == 800 * 1024  # Celery counts KiB


def test_a_limit_of_zero_never_replaces_a_process(tmp_path):
    app = create_worker_app(Settings.from_env({"LAGEBILD_WORKER_MAX_MEMORY_MB": "0",
                                               "LAGEBILD_DATA_DIR": str(tmp_path)}))
    assert app.conf.worker_max_memory_per_child is None
