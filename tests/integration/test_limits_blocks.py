"""Blocks of a key's budget claimed in Redis (service/limits.py): hot keys claim growing blocks,
yet no window lets more than the budget through across processes; quiet keys count exactly."""
from __future__ import annotations

import uuid

import pytest
import redis

from service.limits import (
    HOLD_SECONDS,
    HOT_SECONDS,
    Block,
    Budget,
    MemoryWindows,
    RedisWindows,
    next_size,
)
from tests.support.live import flushed_redis_database

# db 14: the shared Redis's other numbers belong to the integration stack and to other work
URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(scope="module")
def redis14():
    yield from flushed_redis_database(URL)


def _key() -> str:
    return f"test-blocks:{uuid.uuid4().hex}"


def _windows(clock=None) -> RedisWindows:
    return RedisWindows(URL, MemoryWindows(), **({"clock": clock} if clock else {}))


def test_a_hot_key_never_gets_more_than_its_budget_across_two_processes(redis14):
    first, second, key, budget = _windows(), _windows(), _key(), Budget(1000, 60)
    calls = [0]
    for windows in (first, second):
        script = windows._script

        def counted(keys, args, script=script):
            calls[0] += 1
            return script(keys, args)
        windows._script = counted
    allowed, calls_until_refused = 0, None
    for _ in range(1500):
        for windows in (first, second):
            if windows.hit(key, budget).allowed:
                allowed += 1
            elif calls_until_refused is None:
                calls_until_refused = calls[0]
    assert allowed <= 1000  # never more than the budget ...
    assert allowed >= 1000 - 2 * budget.amount // 100  # ... and at most a block per process held unused
    assert calls_until_refused < 300, calls_until_refused  # blocks: far fewer script calls than the 1,000 allowed hits
    assert first.fallback._hits == second.fallback._hits == {}  # Redis answered, not memory
    refused = second.hit(key, budget)
    assert not refused.allowed and refused.remaining == 0
    assert 59 < refused.reset <= 60 + HOLD_SECONDS  # the oldest block leaves the window then


def test_a_quiet_key_is_counted_exactly_by_every_process(redis14):
    now = [100.0]
    first, second, key, budget = _windows(lambda: now[0]), _windows(lambda: now[0]), _key(), Budget(1000, 60)
    remaining = []
    for n in range(6):
        now[0] += HOT_SECONDS * 2  # slower than a hot key: blocks of one unit
        remaining.append((first if n % 2 else second).hit(key, budget).remaining)
    assert remaining == [999, 998, 997, 996, 995, 994]
    assert redis.Redis.from_url(URL).hget(f"{key}:total", "total") == b"6"


def test_the_units_of_a_block_are_not_served_after_it_may_be_held(redis14):
    now = [100.0]
    windows, key, budget = _windows(lambda: now[0]), _key(), Budget(1000, 60)
    for _ in range(20):  # no time passes: hot, the blocks grow
        windows.hit(key, budget)
    block = windows._blocks[key]
    assert block.size > 1 and block.left > 0
    total = int(redis.Redis.from_url(URL).hget(f"{key}:total", "total"))
    now[0] += HOLD_SECONDS
    hit = windows.hit(key, budget)  # a new claim in Redis, not the old block's units
    assert hit.allowed and int(redis.Redis.from_url(URL).hget(f"{key}:total", "total")) > total
    assert windows._blocks[key] is not block


def test_block_sizes_follow_the_key():
    budget = Budget(1000, 60)

    def block(size, left, used, claimed=0.0):
        return Block(size, left, used, 0, 60.0, claimed)
    assert next_size(None, 0.0, budget) == 1
    assert next_size(block(4, 0, 4), HOT_SECONDS / 2, budget) == 8  # used up fast: twice
    assert next_size(block(8, 0, 8), HOT_SECONDS / 2, budget) == 10  # at most a hundredth of the budget
    assert next_size(block(4, 0, 4), HOT_SECONDS * 2, budget) == 4  # used up, not fast: the same
    assert next_size(block(8, 5, 3), HOLD_SECONDS, budget) == 3  # expired half used: what was used
    assert next_size(block(8, 0, 8), 2 * HOLD_SECONDS, budget) == 1  # long ago: a quiet key
    assert next_size(block(8, 0, 8), 0.0, Budget(50, 60)) == 1  # a small budget: never blocks
