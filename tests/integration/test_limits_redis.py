"""The moving window in Redis (service/limits.py's script), against the real server."""
from __future__ import annotations

import time
import uuid

from service.limits import Budget, MemoryWindows, RedisWindows


def test_the_redis_window_counts_refuses_and_frees_requests(redis_url):
    windows, key = RedisWindows(redis_url, MemoryWindows()), f"test-limits:{uuid.uuid4().hex}"
    budget = Budget(3, 1)
    hits = [windows.hit(key, budget) for _ in range(4)]
    assert [h.allowed for h in hits] == [True, True, True, False]
    assert [h.remaining for h in hits] == [2, 1, 0, 0]
    assert 0 < hits[-1].reset <= 1
    assert windows.hit(f"{key}:other", budget).allowed  # another key has its own window
    time.sleep(1.05)  # the window has moved past all three
    assert windows.hit(key, budget).allowed and windows.fallback._hits == {}  # Redis answered, not memory


def test_a_flushed_redis_gets_the_script_again(redis_url):
    """Redis forgets loaded scripts on a restart or SCRIPT FLUSH: the next hit loads it again."""
    import redis
    windows, key = RedisWindows(redis_url, MemoryWindows()), f"test-limits:{uuid.uuid4().hex}"
    assert windows.hit(key, Budget(5, 60)).remaining == 4
    redis.Redis.from_url(redis_url).script_flush()
    assert windows.hit(key, Budget(5, 60)).remaining == 3 and windows.fallback._hits == {}
