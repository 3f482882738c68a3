"""The embedded queue's transport: kombu's file-system transport, with messages written atomically.

kombu writes a message straight into the folder its consumers read (open, lock, write), and a
consumer takes no lock: one that lists the folder between the open and the write moves the still
empty file away and cannot decode it. Celery then stops the worker ("Unrecoverable error:
JSONDecodeError"), `lagebild serve` stops with it, and the message is gone (seen once in a test
run on a loaded machine). Here a message is written under a name no consumer takes and renamed into
place when it is complete (a rename within a folder is atomic), and a message that still cannot be
decoded (a file left by hand, a disk error) is dropped with a warning instead of stopping the
worker: the sweep publishes its job or delivery again, as for any lost message.

`unqueue` takes the waiting messages of given jobs out of the folder, as
`RedisPublisher.unqueue` does for Redis (workers/tasks.py `_set_aside_messages`).
"""
from __future__ import annotations

import base64
import contextlib
import heapq
import json
import logging
import os
import uuid
from pathlib import Path
from queue import Empty
from time import monotonic, sleep

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

from lagebild_core.folder_watch import FolderWatch
from lagebild_core.queue import EXTRACT_TASK, QUEUE, unqueue_window

log = logging.getLogger(__name__)

PARTIAL = ".partial"  # a consumer takes "<ms>_<uuid>.<queue>.msg" only: this suffix hides a message being written


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put `payload` onto `queue`: written beside the folder's messages, then renamed into it."""
        complete = os.path.join(self.data_folder_out, f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg")
        partial = complete + PARTIAL
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, complete)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.remove(partial)
            raise ChannelError(f"Cannot add file {complete!r} to directory") from error

    def _get(self, queue):
        """The next message of `queue`; one that cannot be decoded is dropped (Empty until the next look)."""
        try:
            return super()._get(queue)
        except ValueError:  # json.JSONDecodeError: the file is gone already, its job is the sweep's
            log.warning("dropped a message of queue %s that could not be decoded", queue, exc_info=True)
            raise Empty() from None


class Transport(filesystem.Transport):
    """kombu's file-system transport whose consumer, finding no message, waits for one to be renamed
    into the folder (lagebild_core.folder_watch) instead of sleeping a polling interval: an idle
    worker took a new article 50 ms late on average. The interval stays the longest wait between
    looks: a process of the pool that finishes frees room for a message already waiting, which no
    file event announces."""

    Channel = Channel
    _watch: FolderWatch | None = None
    _watch_pid: int | None = None

    def drain_events(self, connection, timeout=None):
        # kombu's virtual.Transport.drain_events, waiting on the folder's watch where it sleeps
        started = monotonic()
        interval = self.polling_interval
        if timeout and interval and interval > timeout:
            interval = timeout
        watch = self._folder_watch()  # before the look: a message renamed in after it wakes the wait
        while True:
            try:
                self.cycle.get(self._deliver, timeout=timeout)
                return
            except Empty:
                if timeout is not None and monotonic() - started >= timeout:
                    raise TimeoutError() from None  # socket.timeout, which Celery and kombu expect
                if interval is None:
                    continue
                if watch is None:
                    sleep(interval)
                else:
                    watch.wait(interval)

    def _folder_watch(self) -> FolderWatch | None:
        """This process's watch of the folder messages arrive in (opened once; None without inotify)."""
        if self._watch_pid != os.getpid():
            self._watch_pid = os.getpid()
            self._watch = FolderWatch.open(self.client.transport_options["data_folder_in"])
        return self._watch

    def close_connection(self, connection):
        if self._watch is not None and self._watch_pid == os.getpid():
            self._watch.close()
        self._watch, self._watch_pid = None, None
        super().close_connection(connection)


def unqueue(folder: Path, job_ids: list[str]) -> int:
    """Remove the waiting EXTRACT_TASK messages of these jobs from the first
    `unqueue_window(len(job_ids))` messages of the queue in `folder`, in the order kombu's consumer
    takes them (by name, which starts with the time written); return how many were removed. A
    message a consumer takes first is its to deliver (the worker drops it as a copy): a file is
    taken by one of the two, never both."""
    if not job_ids:
        return 0
    wanted, queued = set(job_ids), f"{QUEUE}.msg"
    oldest = heapq.nsmallest(unqueue_window(len(job_ids)),
                             (name for name in os.listdir(folder) if name.partition(".")[2] == queued))
    removed = 0
    for name in oldest:
        path = folder / name
        try:
            if _job_of(path.read_bytes()) in wanted:
                path.unlink()
                removed += 1
        except OSError:  # taken by a consumer meanwhile
            continue
    return removed


def _job_of(payload: bytes) -> str | None:
    """The job an EXTRACT_TASK message names (its first argument); None for any other message."""
    try:
        message = json.loads(payload)
        if message["headers"]["task"] != EXTRACT_TASK:
            return None
        return str(json.loads(base64.b64decode(message["body"]))[0][0])
    except (ValueError, KeyError, IndexError, TypeError):  # not a message of ours: never a match
        return None
