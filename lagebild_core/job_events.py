"""Finished jobs announced on the broker's Redis, so that long-polling API processes answer at once.

The domain functions that set a job succeeded or failed record its id in the transaction
(`record_finished`); the worker publishes the ids a transaction recorded in one message once it
has committed (`Publisher`; never before: a woken client must find its job finished). Each API
process's long-poll watcher (service/longpoll.py) `listen`s. A message is a hint: one lost (Redis
restarting, no subscriber at the time) costs a waiting client the watcher's next periodic look.

With a Redis broker the message goes over pub/sub (`Publisher`, `listen`). The embedded
file-system queue has no channel: there a message is a file renamed into the queue's `finished`
folder (`FolderPublisher`), which each API process watches with inotify (`listen_folder`,
lagebild_core.folder_watch); without inotify its API looks every tenth of a second, as before.
"""
from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Callable

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy.orm import Session

from lagebild_core.folder_watch import FolderWatch

log = logging.getLogger(__name__)

CHANNEL = "lagebild.jobs.finished"  # a message: the ids of the jobs one transaction finished, space-separated
CLIENT_NAME = "lagebild-job-watcher"  # the subscriber's name in Redis's CLIENT LIST
_RECORDED = "lagebild_finished_jobs"  # session.info key: the jobs this transaction finished
TIMEOUT_SECONDS = 2.0  # a publish or a connect that takes longer fails (and is ignored)
HEALTH_CHECK_SECONDS = 15  # the subscriber PINGs while idle, so a connection gone silently is noticed
RECONNECT_SECONDS = (0.5, 1, 2, 5)  # the subscriber's backoff after consecutive failures, then the last
# the embedded queue's announcement files: "<ms since the epoch>_<random>.ids", the ids space-separated;
# a reader takes a file within milliseconds, and files older than KEEP_SECONDS are removed
ANNOUNCEMENT_SUFFIX = ".ids"
KEEP_SECONDS = 60


def record_finished(session: Session, job_id: str) -> None:
    """Record, in the caller's transaction, that it finishes the job (see `recorded_finished`)."""
    session.info.setdefault(_RECORDED, []).append(job_id)


def recorded_finished(session: Session) -> list[str]:
    """Ids of the jobs this session's transaction finished, to publish once it has committed."""
    return list(session.info.get(_RECORDED, ()))


def channel(url: str) -> str:
    """The channel of the broker at `url`: CHANNEL and the database number. Pub/sub channels are
    the same in every database of a server, and two deployments (or test runs) sharing a server
    with their own database numbers must not wake each other's watchers."""
    return f"{CHANNEL}:{redis.connection.parse_url(url).get('db', 0)}"


def _client(url: str, **options) -> redis.Redis:
    # no retries inside redis-py: a failure must reach us (the subscriber reconnects itself and
    # knows it may have missed messages meanwhile; a publish is not worth waiting for)
    return redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS,
                                socket_keepalive=True, retry=Retry(NoBackoff(), 0), **options)


class Publisher:
    """Publishes finished job ids on CHANNEL, over one connection per process (made after a fork)."""

    def __init__(self, url: str):
        self._url, self._channel = url, channel(url)
        self._pid, self._redis = None, None

    def publish(self, job_ids: list[str]) -> None:
        """One PUBLISH of all `job_ids` on the broker's `channel`; a failure is logged and ignored (the watchers' periodic
        look finds the jobs finished all the same)."""
        if not job_ids:
            return
        if self._pid != os.getpid():
            self._pid, self._redis = os.getpid(), _client(self._url)
        try:
            self._redis.publish(self._channel, " ".join(job_ids))
        except Exception as error:  # never fails the committed work: Redis away, a timeout, …
            log.warning("cannot announce %d finished job(s): %s", len(job_ids), error)


def listen(url: str, on_finished: Callable[[list[str]], None], on_live: Callable[[bool], None],
           stop: Callable[[], bool] = lambda: False) -> None:
    """Subscribe to the `channel` of `url` and call `on_finished(ids)` for every message, until `stop()` (checked
    every HEALTH_CHECK_SECONDS at least; the default never stops). `on_live(True)` once the
    subscription is confirmed (from then on no message is missed), `on_live(False)` when the
    connection is lost; then it reconnects, backing off after consecutive failures (Redis restarting)."""
    failures = 0
    while not stop():
        pubsub = _client(url, health_check_interval=HEALTH_CHECK_SECONDS, client_name=CLIENT_NAME).pubsub()
        try:
            pubsub.subscribe(channel(url))
            while not stop():
                message = pubsub.get_message(timeout=HEALTH_CHECK_SECONDS)  # blocks: no busy loop
                if message is None:
                    continue
                if message["type"] == "subscribe":
                    failures = 0
                    on_live(True)
                elif message["type"] == "message":
                    on_finished(message["data"].decode().split())
        except Exception as error:  # Redis away or restarting: the watcher polls meanwhile
            on_live(False)
            log.warning("finished-job announcements interrupted (%s); reconnecting", error)
            time.sleep(RECONNECT_SECONDS[min(failures, len(RECONNECT_SECONDS) - 1)])
            failures += 1
        finally:
            pubsub.close()
    on_live(False)


class FolderPublisher:
    """`Publisher` for the embedded queue: one file per message in `folder`, written beside it and
    renamed into place complete (what `listen_folder`'s watch sees); every tenth of KEEP_SECONDS
    it removes the files older than that."""

    def __init__(self, folder: Path | str):
        self._folder = Path(folder)
        self._swept = 0.0

    def publish(self, job_ids: list[str]) -> None:
        """One file naming all `job_ids`; a failure is logged and ignored, as `Publisher.publish`'s."""
        if not job_ids:
            return
        now = time.time()
        name = f"{int(now * 1000)}_{uuid.uuid4().hex}"
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            partial = self._folder / f"{name}.partial"
            partial.write_text(" ".join(job_ids))
            os.replace(partial, self._folder / f"{name}{ANNOUNCEMENT_SUFFIX}")
            if now - self._swept > KEEP_SECONDS / 10:
                self._swept = now
                self._remove_older_than(now - KEEP_SECONDS)
        except OSError as error:
            log.warning("cannot announce %d finished job(s): %s", len(job_ids), error)

    def _remove_older_than(self, moment: float) -> None:
        for entry in os.scandir(self._folder):
            written = entry.name.partition("_")[0]
            if written.isdigit() and int(written) < moment * 1000:
                with contextlib.suppress(OSError):  # another worker removed it first
                    os.remove(entry.path)


def listen_folder(folder: Path | str, on_finished: Callable[[list[str]], None], on_live: Callable[[bool], None],
                  stop: Callable[[], bool] = lambda: False) -> None:
    """`listen` for the embedded queue: call `on_finished(ids)` for every file `FolderPublisher`
    renames into `folder`, until `stop()` (checked every HEALTH_CHECK_SECONDS at least).
    `on_live(True)` once the watch is set (and again when the kernel dropped events: the caller
    looks at once), `on_live(False)` at the end. Without inotify it returns at once, never live."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    watch = FolderWatch.open(folder)
    if watch is None:
        return
    try:
        on_live(True)
        while not stop():
            names, lost = watch.wait(HEALTH_CHECK_SECONDS)
            if lost:
                on_live(True)
            job_ids: list[str] = []
            for name in names:
                if name.endswith(ANNOUNCEMENT_SUFFIX):
                    with contextlib.suppress(OSError):  # removed already: its jobs were answered long ago
                        job_ids += (folder / name).read_text().split()
            if job_ids:
                on_finished(job_ids)
    finally:
        watch.close()
        on_live(False)
