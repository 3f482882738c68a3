"""Long polling of jobs: `GET /v1/jobs/{id}` with `Prefer: wait=N` (RFC 7240).

A waiting request must not hold a server process or a database connection: under the gevent
front door it is a greenlet blocked on an Event, and it gives its connection back before it
waits. One watcher per API process wakes the requests whose job has finished:

- it subscribes to the workers' announcements of finished jobs (lagebild_core.job_events: Redis
  pub/sub, or files in the embedded queue's folder watched with inotify) and wakes the requests of
  the jobs a message names at once, without a query (the worker publishes after its commit, so the
  job the woken request reads is finished);
- besides, and alone without announcements or while the subscription is down, it checks every awaited job
  in one query each `interval` seconds (`fallback` while the subscription is live: it only covers a
  lost message), so a thousand waiting clients cost one query per interval, not a thousand.

(gevent patches `threading`, so the watcher and the subscriber are greenlets there and threads
under a plain WSGI server.)
"""
from __future__ import annotations

import functools
import logging
import re
import threading
import time
from collections import OrderedDict
from typing import Callable

from flask import current_app

from lagebild_core import domain, job_events
from lagebild_core.queue import announcement_folder, uses_folders, uses_redis

log = logging.getLogger(__name__)

MAX_WAIT_SECONDS = 30
# how often the watcher looks without announcements (no inotify for the embedded queue, or Redis away): a waiting
# client learns of its finished job this late at most. Measured in gunicorn (gevent, PostgreSQL):
# a look costs ~1.5 CPU ms, 15 ms a second at 0.1 s while requests wait; at 0.2 s a finished job
# was answered 0.1 s late on average (a tenth of an 8-article batch's time), at 0.05 s the looks
# cost twice what they save. With announcements a job is answered as soon as its message arrives.
CHECK_SECONDS = 0.1
# how often it looks while announcements arrive: only a message lost (Redis restarting between a
# commit and its publish) waits for this look
FALLBACK_SECONDS = 1.0
# how long an announced job is remembered: a request that read its job unfinished just before the
# message came must not wait for the fallback look
RECENT_SECONDS = 10.0
_WAIT = re.compile(r"^\s*wait\s*=\s*\"?(\d{1,9})\"?\s*$", re.IGNORECASE)


def requested_wait(prefer: str | None) -> int | None:
    """The seconds a `Prefer` header asks to wait (at most MAX_WAIT_SECONDS), or None when it asks
    for none. Preferences are comma-separated, parameters after `;` (ignored); a preference that
    cannot be read is ignored, as RFC 7240 asks."""
    for preference in (prefer or "").split(","):
        match = _WAIT.match(preference.split(";", 1)[0])
        if match:
            return min(int(match.group(1)), MAX_WAIT_SECONDS)
    return None


class JobWatcher:
    """Wakes waiting requests when their job finishes: `finished(ids)` says which ids have;
    `subscribe(on_finished, on_live)`, when given, runs for good delivering announcements
    (lagebild_core.job_events.listen) and is started with the first wait."""

    def __init__(self, finished: Callable[[set[str]], set[str]], interval: float = CHECK_SECONDS,
                 subscribe: Callable[[Callable, Callable], None] | None = None, fallback: float = FALLBACK_SECONDS):
        self._finished = finished
        self._interval, self._fallback = interval, fallback
        self._subscribe = subscribe
        self._waiting: dict[str, list[threading.Event]] = {}
        self._recent: OrderedDict[str, float] = OrderedDict()  # announced job id -> when
        self._lock = threading.Lock()
        self._running = self._subscribed = self._live = False
        self._look_now = threading.Event()

    def wait(self, job_id: str, timeout: float) -> bool:
        """Block until the job finishes or `timeout` seconds pass; return whether it finished."""
        event = threading.Event()
        with self._lock:
            if job_id in self._recent:
                return True
            self._waiting.setdefault(job_id, []).append(event)
            if not self._running:
                self._running = True
                threading.Thread(target=self._watch, name="job-watcher", daemon=True).start()
            if self._subscribe is not None and not self._subscribed:
                self._subscribed = True
                threading.Thread(target=self._subscribe, args=(self.announced, self._set_live),
                                 name="job-announcements", daemon=True).start()
        try:
            return event.wait(timeout)
        finally:
            with self._lock:
                events = self._waiting.get(job_id, [])
                if event in events:
                    events.remove(event)
                if not events:
                    self._waiting.pop(job_id, None)

    def announced(self, job_ids: list[str]) -> None:
        """Wake the requests waiting for these jobs, which a worker has finished and committed."""
        now = time.monotonic()
        with self._lock:
            while self._recent and next(iter(self._recent.values())) < now - RECENT_SECONDS:
                self._recent.popitem(last=False)
            for job_id in job_ids:
                self._recent.pop(job_id, None)  # re-announced: to the end, so the oldest stays first
                self._recent[job_id] = now
                self._wake(job_id)

    def _set_live(self, live: bool) -> None:
        """The subscription came up or went down: look at once (announcements may have been missed
        meanwhile), then at the interval that fits."""
        self._live = live
        self._look_now.set()

    def _watch(self) -> None:
        while True:
            self._look_now.wait(self._fallback if self._live else self._interval)
            self._look_now.clear()
            with self._lock:
                awaited = set(self._waiting)
                if not awaited:
                    self._running = False
                    return
            try:
                done = self._finished(awaited)
            except Exception:  # the database is away: the waiters time out and answer as they are
                log.exception("cannot check awaited jobs")
                continue
            with self._lock:
                for job_id in done:
                    self._wake(job_id)

    def _wake(self, job_id: str) -> None:
        for event in self._waiting.get(job_id, []):
            event.set()


class FinishedJobs:
    """`domain.finished_jobs` over a connection of the watcher's own, in autocommit: one round trip
    per look. Through a session each look checked a connection out of the pool, pinged it, began
    and committed: 2.1 CPU ms under gevent instead of 1.5. A connection that fails is dropped and
    the next look opens a new one (the database restarted)."""

    def __init__(self, engine):
        self._engine = engine
        self._connection = None

    def __call__(self, job_ids: set[str]) -> set[str]:
        try:
            if self._connection is None:
                self._connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            return domain.finished_jobs(self._connection, job_ids)
        except Exception:
            connection, self._connection = self._connection, None
            if connection is not None:
                connection.invalidate()
            raise


def init_app(app) -> None:
    settings = app.config["LAGEBILD"]
    subscribe = (functools.partial(job_events.listen, settings.effective_broker_url) if uses_redis(settings)
                 else functools.partial(job_events.listen_folder, announcement_folder(settings))
                 if uses_folders(settings) else None)
    app.extensions["lagebild_job_watcher"] = JobWatcher(FinishedJobs(app.extensions["lagebild_db"].engine),
                                                        subscribe=subscribe)


def wait_for_job(job_id: str, timeout: float) -> bool:
    """Wait (see JobWatcher.wait) in a request of the current app."""
    return current_app.extensions["lagebild_job_watcher"].wait(job_id, timeout)
