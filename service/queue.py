"""Handing jobs to the workers through the broker.

The API commits an article and its job first and publishes afterwards: if the broker is
down, the job stays recorded as undispatched and the workers' sweep publishes it later,
so an accepted article is never lost.
"""
from __future__ import annotations

import logging

from flask import Flask, current_app

from lagebild_core import logs
from lagebild_core.queue import (
    EXTRACT_TASK, REQUEST_ID_HEADER, RedisPublisher, broker_reachable, create_celery, send_task, uses_redis,
)

log = logging.getLogger(__name__)


class TaskQueue:
    def init_app(self, app: Flask) -> None:
        celery = app.extensions["lagebild_queue"] = create_celery(app.config["LAGEBILD"])
        # Redis: straight into the workers' list; the file-system queue: through Celery
        app.extensions["lagebild_publisher"] = RedisPublisher(celery) if uses_redis(app.config["LAGEBILD"]) else None

    @property
    def celery(self):
        return current_app.extensions["lagebild_queue"]

    def publish(self, job_ids: list[str]) -> list[str]:
        """Publish an extraction message per job; return the ids that reached the broker."""
        published = []
        publisher = current_app.extensions["lagebild_publisher"]
        for job_id in job_ids:
            headers = {REQUEST_ID_HEADER: logs.current("request_id")}
            try:
                if publisher is not None:
                    publisher.publish([job_id], headers)
                else:
                    send_task(self.celery, EXTRACT_TASK, [job_id], retry=True, headers=headers,
                              retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5})
            except Exception:  # broker down: the sweep publishes it later
                log.warning("broker unavailable; job %s stays undispatched", job_id, exc_info=True)
                break
            published.append(job_id)
        return published

    def ping(self) -> None:
        """Raise if the broker cannot be reached."""
        broker_reachable(self.celery)


queue = TaskQueue()
