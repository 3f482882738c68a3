"""Keeping what an API process remembers from the database confirmed, off the request path.

Two per-process caches hold things read from the database that may change elsewhere: API keys
(service/auth.py, revoked by `lagebild keys revoke`) and whether an article still exists
(service/read_cache.py, deleted by another process or host). Each entry counts as confirmed for
its cache's period (`LAGEBILD_API_KEY_CACHE_SECONDS`, `LAGEBILD_READ_CACHE_SECONDS`); a request
that finds its entry older than that confirms it itself, synchronously — one query in the request.

Under load such a query costs a request 20-150 ms (each round trip under gevent waits a turn of the
event loop), which was the whole p99 of a cached read. So each API process also runs one
`Refresher`: a daemon thread (a greenlet under gevent's monkey patching) started after the fork,
which every tenth of a period confirms, per cache and in one query, all entries whose confirmation
is 0.2 of a period old, on its own database session, and drops those that are gone. Requests then find
their entries fresh and never query. The synchronous check stays as the fallback for an entry
older than the period (a stalled refresher, a database that was down), so the guarantee holds
either way: a deleted article or revoked key is gone from every process at most about one period
(plus one query) after the change.

`Confirmed` is the one piece of code for the rules both caches share: fresh for a period, the
first reader after it takes the check on itself, due for the refresher after 0.2 of it.
"""
from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, Protocol, TypeVar

log = logging.getLogger(__name__)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
# an entry is due at DUE_SHARE of its period and the refresher looks every TURN_SHARE of it, so it
# is confirmed at 0.2-0.3 of the period, leaving 0.7 of it for a turn's queries before a request
# would find it stale: under wrk's load a turn took 0.2-0.6 s (each round trip waits for the busy
# event loop), and with 0.4 left, requests still checked themselves (p99 64 ms in one round)
DUE_SHARE, TURN_SHARE = 0.2, 0.1
WARN_EVERY = 60.0  # seconds between warnings of a slow turn
MAX_BATCH = 1000  # ids per refresh query (SQLite allows 32,766 parameters, PostgreSQL 65,535)


class Confirmed(Generic[K, V]):
    """Values by key, each with the time it was last confirmed in the database, least recently
    used first. Not locked itself: its owner calls it under the owner's lock."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._items: OrderedDict[K, list] = OrderedDict()  # key -> [confirmed at, value]

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K, now: float) -> tuple[V | None, bool]:
        """(the value or None, whether it was confirmed within the period).

        The first reader that finds it older is told so and takes the check on itself: it counts as
        confirmed from then on, so that the readers arriving while that query runs keep the old
        value instead of each sending the same query."""
        item = self._items.get(key)
        if item is None:
            return None, False
        self._items.move_to_end(key)
        if now - item[0] < self.seconds:
            return item[1], True
        item[0] = now
        return item[1], False

    def put(self, key: K, value: V, now: float) -> None:
        """Keep `value`, read from the database at `now`."""
        self._items[key] = [now, value]
        self._items.move_to_end(key)

    def value(self, key: K) -> V | None:
        item = self._items.get(key)
        return None if item is None else item[1]

    def confirm(self, key: K, at: float, value: V | None = None) -> None:
        """`key` was seen in the database at `at` (with `value`, when given). A key forgotten
        meanwhile is not brought back."""
        item = self._items.get(key)
        if item is not None:
            item[0] = max(item[0], at)
            if value is not None:
                item[1] = value

    def pop(self, key: K) -> V | None:
        item = self._items.pop(key, None)
        return None if item is None else item[1]

    def oldest(self) -> K:
        return next(iter(self._items))

    def due(self, now: float) -> list[K]:
        """The keys confirmed DUE_SHARE of a period ago or earlier: the refresher confirms them now,
        so that no reader finds them older than the period."""
        return [key for key, (at, _value) in self._items.items() if now - at >= self.seconds * DUE_SHARE]


def batches(keys: list[K]) -> list[list[K]]:
    """`keys` in lists of at most MAX_BATCH: one query each."""
    return [keys[i:i + MAX_BATCH] for i in range(0, len(keys), MAX_BATCH)]


def refresh_due(entries: Confirmed[K, V], lock, clock, look_up, forget) -> int:
    """Confirm the entries that are due, one query per MAX_BATCH: `look_up(keys)` maps the ones that
    still exist to their new values (None keeps the value); each other one is handed to `forget`
    (under `lock`, as every change of `entries`). Returns how many were due."""
    with lock:
        at = clock()
        due = entries.due(at)
    for batch in batches(due):
        found = look_up(batch)
        with lock:
            for key in batch:
                if key in found:
                    entries.confirm(key, at, found[key])
                else:
                    forget(key)
    return len(due)


class Refreshable(Protocol):
    seconds: float

    def refresh(self, session) -> int:
        """Confirm the entries that are due in one query (or a few); return how many were due."""


class Refresher:
    """One daemon thread per process that calls `refresh` of each cache every TURN_SHARE of the
    shortest period, on a session of its own from `database` (never a request's)."""

    def __init__(self, database, caches: list[Refreshable]):
        self.database, self.caches = database, [c for c in caches if c.seconds > 0]
        self.period = min((c.seconds for c in self.caches), default=0) * TURN_SHARE
        self._pid = 0
        self._stop = threading.Event()

    def start(self) -> bool:
        """Start the thread in this process unless it runs already (after a fork it does not:
        threads do not survive one) or there is nothing to refresh; whether it was started."""
        if not self.caches or self._pid == os.getpid():
            return False
        self._pid = os.getpid()
        self._stop = threading.Event()
        thread = threading.Thread(target=_loop, args=(weakref.ref(self), self._stop, self.period),
                                  name="lagebild-refresher", daemon=True)
        thread.start()
        return True

    def stop(self) -> None:
        self._stop.set()
        self._pid = 0

    def run_once(self) -> int:
        """Refresh every cache once, on one session (one connection checkout: each round trip waits
        a turn of the event loop under load); how many entries were due. A failing cache (the
        database down) is logged and left to the next turn or the requests' own check."""
        due = 0
        with self.database.sessions() as session:
            for cache in self.caches:
                try:
                    due += cache.refresh(session)
                except Exception:  # the thread must outlive any error
                    log.exception("refresher: %s failed; requests check their entries themselves meanwhile",
                                  type(cache).__name__)
                    session.rollback()
        return due


def _loop(owner: weakref.ref, stop: threading.Event, period: float) -> None:
    """Refresh every `period` until stopped or the refresher (its app) is gone; holds the
    refresher only weakly, so an app that is dropped (tests create many) takes its thread along."""
    warned = -WARN_EVERY
    while not stop.wait(period):
        refresher = owner()
        if refresher is None:
            return
        started = time.monotonic()
        refresher.run_once()
        del refresher
        took = time.monotonic() - started
        if took > period and started - warned >= WARN_EVERY:  # once a minute: it says "overloaded"
            warned = started
            log.warning("refresher: a turn took %.2f s, longer than its interval (%.2f s); requests may "
                        "check their entries themselves", took, period)


def init_app(app) -> None:
    """One refresher for the app's key and version caches; service/gunicorn_conf.py starts it in
    each process after the fork (a test or another server may call `start` itself)."""
    app.extensions["lagebild_refresher"] = Refresher(
        app.extensions["lagebild_db"], [app.extensions["lagebild_keys"], app.extensions["lagebild_versions"]])
