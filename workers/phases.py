"""The phases of one extraction task, timed: wall and CPU milliseconds, for its log line.

A worker process's CPU time (its own thread's) against its wall time says, per phase, whether
the process worked or waited: for the database in claim and store, for a core in the pipeline.
benchmarks/service_throughput.py adds them up to account for what the service spends beyond
the pipeline.
"""
from __future__ import annotations

import time


class Phases:
    """Consecutive phases from the moment it is made: `end(name)` closes the running phase."""

    def __init__(self) -> None:
        self._last = (time.perf_counter(), time.thread_time())
        self.fields: dict[str, float] = {}

    def end(self, name: str) -> float:
        """Close the phase `name` (it ran since the previous one ended); return its wall seconds."""
        now = (time.perf_counter(), time.thread_time())
        wall, cpu = now[0] - self._last[0], now[1] - self._last[1]
        self.fields[f"{name}_ms"] = round(wall * 1000, 1)
        self.fields[f"{name}_cpu_ms"] = round(cpu * 1000, 1)
        self._last = now
        return wall
