"""The refresher (service/refresher.py) itself: errors neither stop it nor keep a process alive,
and the rules of `Confirmed`. What it does for the caches is tested beside them
(tests/api/test_read_cache.py, tests/api/test_api_auth.py)."""
from __future__ import annotations

import gc
import threading
import time

import pytest

from service.refresher import Confirmed, Refresher


class _Cache:
    def __init__(self, seconds, fail=False):
        self.seconds, self.fail, self.turns = seconds, fail, 0

    def refresh(self, session) -> int:
        self.turns += 1
        if self.fail:
            raise RuntimeError("database down")
        return 1


class _Database:
    class sessions:  # stands for a sessionmaker
        rollbacks = 0

        def __enter__(self):
            return self

        def rollback(self):
            _Database.sessions.rollbacks += 1

        def __exit__(self, *exc):
            return False


def test_a_failing_cache_is_logged_and_the_others_still_refreshed(caplog):
    broken, working = _Cache(1, fail=True), _Cache(1)
    refresher = Refresher(_Database(), [broken, working])
    assert refresher.run_once() == 1 and refresher.run_once() == 1
    assert broken.turns == working.turns == 2 and _Database.sessions.rollbacks >= 2
    assert "database down" in caplog.text


def test_the_thread_is_a_daemon_and_ends_with_its_refresher():
    cache = _Cache(0.04)
    refresher = Refresher(_Database(), [cache, _Cache(0)])  # a cache without a period is not refreshed
    assert refresher.period == pytest.approx(0.004) and refresher.start()  # a tenth of the shortest period
    thread = next(t for t in threading.enumerate() if t.name == "lagebild-refresher" and t.is_alive())
    assert thread.daemon
    deadline = time.monotonic() + 2
    while cache.turns < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.turns >= 2
    del refresher
    gc.collect()
    thread.join(timeout=2)
    assert not thread.is_alive()


def test_confirmed_entries_are_due_after_a_fifth_of_the_period_and_stale_after_it():
    entries: Confirmed[str, int] = Confirmed(1.0)
    entries.put("a", 1, 0.0)
    entries.put("b", 2, 0.4)
    assert entries.due(0.5) == ["a"] and entries.due(0.7) == ["a", "b"] and entries.get("a", 0.9) == (1, True)
    entries.confirm("a", 0.6, 10)
    entries.confirm("gone", 0.6, 3)  # forgotten meanwhile: not brought back
    assert entries.get("a", 1.5) == (10, True) and entries.value("gone") is None
    assert entries.get("b", 1.5) == (2, False)  # the first reader after the period checks
    assert entries.get("b", 1.5) == (2, True)  # the others meanwhile do not
