"""Messages of jobs taken into another task's batch, dropped before they reach the pool.

A task that finds more articles waiting takes their jobs into its batch (workers/tasks.py
`_claim`) and takes their messages out of the queue at once (`_set_aside_messages`: one Redis
script call, or the files of the embedded queue). Those the worker's main process has already
fetched are no longer in the queue, and a message published only after the batch took its job
arrives late: they still reach the main process. Each cost the worker about 4 CPU ms for nothing
(measured: the main process hands it to a pool process, which looks the job up, finds it running
and returns, and the answer travels back).

So a pool process notes the jobs it took into a batch here, in memory it shares with the
worker's main process (created before the pool forks), and the main process drops a message
whose job is noted, as Celery drops a revoked task: acknowledged, never run (`DropsTakenCopies`).
That is safe because the pool's own look would do nothing either: a noted job was started by a
live process of this worker less than `hold_seconds` ago, which is less than the job's lease (the
process renews the lease while it works; only a lease that ran out makes a job free). A process
that gives a job back with a new message removes its note first (`forget`), and anything not
noted, or noted longer ago, goes to the pool as before, where `domain.start_job` decides.
"""
from __future__ import annotations

import hashlib
import logging
import time
from multiprocessing.sharedctypes import RawArray

import numpy as np
from billiard.process import current_process
from celery.worker.request import Request
from celery.worker.state import task_ready

log = logging.getLogger(__name__)

SLOTS_PER_PROCESS = 256  # notes a process keeps: far more than the jobs it takes within hold_seconds


def _key(job_id: str) -> int:
    """A job id as a non-zero 64-bit number (0 marks an empty slot)."""
    return int.from_bytes(hashlib.blake2b(job_id.encode(), digest_size=8).digest(), "little") | 1


class TakenJobs:
    """Jobs the pool's processes took into their batches lately: each process writes its own
    region of slots (billiard's process index), the main process reads them all. A note is
    (key, time it expires); it is written expiry-last, so that a reader never pairs a new key
    with an old slot's expiry."""

    def __init__(self, processes: int, hold_seconds: float, clock=time.monotonic):
        self.processes, self.hold_seconds, self.clock = processes, hold_seconds, clock
        self._keys = np.frombuffer(RawArray("Q", processes * SLOTS_PER_PROCESS), dtype=np.uint64)
        self._until = np.frombuffer(RawArray("d", processes * SLOTS_PER_PROCESS), dtype=np.float64)
        self._cursor = 0  # the writing process's own (a forked process starts from its parent's 0)

    def note(self, job_ids: list[str], index: int) -> None:
        """Note the jobs that the process with pool index `index` has just started."""
        if not 0 <= index < self.processes:  # a process beyond the regions (autoscaling): no notes
            return
        until = self.clock() + self.hold_seconds
        for job_id in job_ids:
            slot = index * SLOTS_PER_PROCESS + self._cursor
            self._cursor = (self._cursor + 1) % SLOTS_PER_PROCESS
            self._until[slot] = 0.0
            self._keys[slot] = _key(job_id)
            self._until[slot] = until

    def forget(self, job_ids: list[str], index: int) -> None:
        """Remove the notes of the process with pool index `index` for these jobs."""
        if not 0 <= index < self.processes:
            return
        region = slice(index * SLOTS_PER_PROCESS, (index + 1) * SLOTS_PER_PROCESS)
        for job_id in job_ids:
            self._until[region][self._keys[region] == _key(job_id)] = 0.0

    def holds(self, job_id: str) -> bool:
        """Whether a live note names the job."""
        return bool(np.any((self._keys == _key(job_id)) & (self._until > self.clock())))


_table: TakenJobs | None = None


def share(processes: int, hold_seconds: float) -> None:
    """Create the table in the worker's main process, before the pool forks."""
    global _table
    _table = TakenJobs(processes, hold_seconds)


def note_taken(job_ids: list[str]) -> None:
    """In a pool process: these jobs were just started in its batch."""
    if _table is not None and job_ids:
        _table.note(job_ids, _index())


def forget(job_ids: list[str]) -> None:
    """In a pool process: these jobs are given back; their next message must run."""
    if _table is not None and job_ids:
        _table.forget(job_ids, _index())


def _index() -> int:
    """The pool index of this process (billiard numbers a pool's processes from 0, and a
    replacement takes the index of the process it replaces); 0 where tasks run in the main
    process (`--pool solo`). Writers sharing a region can only lose each other's notes, and a
    lost note only sends a copy to the pool as before."""
    return getattr(current_process(), "index", 0)


class DropsTakenCopies(Request):
    """The extraction task's request in the worker's main process: a message whose job is noted
    is acknowledged and dropped the way Celery drops a revoked task, before it goes to the pool."""

    def revoked(self) -> bool:
        if not self._already_revoked and _table is not None and self.args and _table.holds(str(self.args[0])):
            log.info("copy dropped: its job runs in a batch of this worker", extra={"job_id": self.args[0]})
            task_ready(self)
            self.acknowledge()
            self._already_revoked = True
            return True
        return super().revoked()
