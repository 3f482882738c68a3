"""Rate limits per API key: a read budget and a write budget, each a moving window.

Every `/v1/` request of a key counts against its read budget (GET, HEAD) or its write budget
(POST, PUT, PATCH, DELETE), `LAGEBILD_RATE_LIMIT_READ` / `_WRITE` in the limits library's notation
("600/minute"): at most that many requests in any window of that length. Counters live in Redis
when the installation has one (shared by every gunicorn process and host), else in this process's
memory. Over budget: a 429 problem with `Retry-After`; every counted answer carries the RateLimit
headers of the IETF draft (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` in seconds).

Why not flask-limiter (used before): it asked the storage twice per request (the hit, then the
window for the headers), cost about a fifth of a bare request's time even for the open paths,
and its memory storage started a timer thread per hit. Here one Redis script call answers all
three: allowed, remaining, reset. If Redis fails, the process counts in memory for the next
`REDIS_RETRY_SECONDS` instead of refusing every request (as flask-limiter's in-memory fallback did).

Blocks: even one script call per request cost a read about a fifth of its throughput. So a process
claims a block of n units of a key's budget in one call and serves the key's next requests from it
in memory, claiming again when it is empty. n is 1 for a quiet key (its RateLimit-Remaining is
then exact, as before); it doubles while blocks are used up within `HOT_SECONDS`, shrinks to what
was used when a block expires with units left, and is at most a hundredth of the budget. The
headers come from the last claim minus the units served since. The trade-off: a process may hold
up to n unused units of a key (another process can be refused that many requests early, and the
units of a block nobody used count until they leave the window); in exchange a hot key costs one
call per block. Never more than the budget in any window, because a process serves a block's units
for at most `HOLD_SECONDS` after claiming it and Redis counts a block of more than one unit from
the end of that time: any claim sees every unit that can still be served in its window.

Authentication runs first (service.auth is initialised before this module), so requests
without a valid key are refused with 401 before they cost a counter.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import math
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

import redis
from flask import Flask, Response, current_app, g, request
from limits import parse

from lagebild_core.queue import uses_redis
from lagebild_core.settings import Settings
from service.auth import WRITE_METHODS
from service.errors import problem

log = logging.getLogger(__name__)
KEY_PREFIX = "lagebild-limits"
REDIS_RETRY_SECONDS = 5.0


def storage_uri(settings: Settings) -> str:
    """Where the counters live: the configured URI, else the broker's Redis, else this process's memory."""
    if settings.rate_limit_storage_url:
        return settings.rate_limit_storage_url
    if uses_redis(settings):
        return settings.broker_url
    return "memory://"


@dataclass(frozen=True)
class Budget:
    amount: int
    seconds: int

    @classmethod
    def parse(cls, setting: str, text: str) -> "Budget":
        try:
            item = parse(text)
        except ValueError:
            raise ValueError(f"LAGEBILD_{setting.upper()}={text!r} is not a rate limit such as '600/minute'.") from None
        return cls(item.amount, item.get_expiry())

    def __str__(self) -> str:
        return f"{self.amount} per {self.seconds} s"

    @functools.cached_property
    def limit_header(self) -> str:
        """The RateLimit-Limit value (written once per budget, not per request)."""
        return str(self.amount)

    @functools.cached_property
    def policy_header(self) -> str:
        """The RateLimit-Policy value."""
        return f"{self.amount};w={self.seconds}"


class Hit(NamedTuple):  # a tuple: made per request, in a third of a frozen dataclass's time
    allowed: bool
    remaining: int  # after this request
    reset: float  # seconds until the window frees a request


class MemoryWindows:
    """Moving windows in this process: per key, the times of its requests in the window, oldest
    first; old times are dropped when the key is hit again (no timer), idle keys now and then."""

    SWEEP_EVERY = 10_000

    def __init__(self, clock=time.time):
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._count = 0

    def hit(self, key: str, budget: Budget) -> Hit:
        now = self.clock()
        with self._lock:
            times = self._hits.setdefault(key, deque())
            while times and times[0] <= now - budget.seconds:
                times.popleft()
            allowed = len(times) < budget.amount
            if allowed:
                times.append(now)
            reset = times[0] + budget.seconds - now if times else float(budget.seconds)
            self._count += 1
            if self._count % self.SWEEP_EVERY == 0:
                self._sweep(now)
            return Hit(allowed, budget.amount - len(times), reset)

    def _sweep(self, now: float) -> None:
        """Forget keys without a request for a day (longer than any sensible window)."""
        for key in [k for k, times in self._hits.items() if not times or times[-1] < now - 86_400]:
            del self._hits[key]


# Per key a sorted set of blocks: member "<number>:<units>", score the time the block counts from
# (Redis's own clock, the same for every API host; a block of more than one unit counts from the
# end of the time a process may hold it, see the module docstring), and a hash with the running
# total of the units in the window. One call drops the blocks that left the window, grants up to
# the units asked for that fit, and returns (granted, remaining, seconds until the oldest block
# leaves the window).
_BLOCKS = """
local limit, window, wanted, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local function units(members)
  local sum = 0
  for _, member in ipairs(members) do sum = sum + tonumber(string.match(member, ':(%d+)$')) end
  return sum
end
local total = tonumber(redis.call('HGET', KEYS[2], 'total'))
if not total then total = units(redis.call('ZRANGE', KEYS[1], 0, -1)) end
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - window)
if #old > 0 then
  total = total - units(old)
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
end
local granted = math.max(math.min(wanted, limit - total), 0)
if granted > 0 then
  local at = now
  if granted > 1 then at = now + hold end
  redis.call('ZADD', KEYS[1], at, redis.call('HINCRBY', KEYS[2], 'n', 1) .. ':' .. granted)
  total = total + granted
end
redis.call('HSET', KEYS[2], 'total', total)
local ttl = math.ceil(window + hold)
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = window
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
return {granted, limit - total, tostring(reset)}
"""
HOT_SECONDS = 0.1  # a block used up faster than this: the next one is twice as large
HOLD_SECONDS = 0.5  # a process serves a block's units for at most this long after claiming it
BLOCK_SHARE = 100  # a block is at most 1/BLOCK_SHARE of the budget


@dataclass
class Block:
    """Units of a key's budget this process claimed in one call and serves from memory."""
    size: int  # units asked for
    left: int  # units not served yet
    used: int  # units served
    remaining: int  # the key's unclaimed units after the claim, plus this block's (RateLimit-Remaining)
    reset: float  # seconds until the window frees a unit, at the claim
    claimed: float  # this process's clock when the claim was sent

    def take(self, now: float) -> Hit | None:
        """A unit for one request while the block has one and may still be held, else None."""
        if self.left <= 0 or now - self.claimed >= HOLD_SECONDS:
            return None
        self.left -= 1
        self.used += 1
        return Hit(True, self.remaining - self.used, max(self.reset - (now - self.claimed), 0.0))


def next_size(block: Block | None, now: float, budget: Budget) -> int:
    """How many units to claim: twice the last block when it was used up within HOT_SECONDS (a hot
    key), as many as were used when it expired with units left (the key slowed down), else the
    same; 1 for a key without a recent block; at most 1/BLOCK_SHARE of the budget."""
    if block is None or now - block.claimed >= 2 * HOLD_SECONDS:
        size = 1
    elif block.left > 0:
        size = block.used
    elif now - block.claimed < HOT_SECONDS:
        size = 2 * block.size
    else:
        size = block.size
    return max(1, min(size, budget.amount // BLOCK_SHARE))


class RedisWindows:
    """Moving windows in Redis, claimed in blocks; in memory while Redis fails.

    The script is sent over redis-py's Connection objects (they connect, authenticate, select
    the database, speak TLS) kept in a list of idle ones, not through the Redis client: its
    command path (pool locks, health checks, observability hooks) cost three times the round
    trip itself under gevent (cProfile: ~130 µs against ~45 µs CPU per call)."""

    MAX_BLOCKS = 10_000

    def __init__(self, url: str, fallback: MemoryWindows, clock=time.monotonic):
        self.pool = redis.ConnectionPool.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.sha = hashlib.sha1(_BLOCKS.encode()).hexdigest()
        self.fallback, self.clock = fallback, clock
        self._idle: list = []  # list.pop/append are atomic: safe for threads and greenlets alike
        self._commands: dict[tuple, list[bytes]] = {}
        self._down_until = 0.0
        self._blocks: dict[str, Block] = {}
        self._lock = threading.Lock()  # taking a unit (threads; under gevent it never waits)
        self._claiming: dict[str, threading.Lock] = {}  # one claim per key at a time

    def hit(self, key: str, budget: Budget) -> Hit:
        if time.monotonic() >= self._down_until:
            try:
                return self._local(key) or self._claim(key, budget)
            except redis.RedisError as error:
                self._down_until = time.monotonic() + REDIS_RETRY_SECONDS
                log.warning("rate limits: Redis failed (%s); counting in memory for %.0f s",
                            error, REDIS_RETRY_SECONDS)
        return self.fallback.hit(key, budget)

    def _local(self, key: str) -> Hit | None:
        block = self._blocks.get(key)
        if block is None:
            return None
        with self._lock:
            return block.take(self.clock())

    def _claim(self, key: str, budget: Budget) -> Hit:
        """Claim a block in Redis; the requests that arrive meanwhile wait for it instead of each
        claiming their own (their units would be held unused)."""
        with self._claiming.setdefault(key, threading.Lock()):
            hit = self._local(key)  # another request's claim just landed
            if hit is not None:
                return hit
            started = self.clock()
            size = next_size(self._blocks.get(key), started, budget)
            granted, remaining, reset = self._script(
                [f"{key}:blocks", f"{key}:total"], [budget.amount, budget.seconds, size, HOLD_SECONDS])
            granted, remaining, reset = int(granted), int(remaining), float(reset)
            if len(self._blocks) >= self.MAX_BLOCKS:
                self._sweep(started)
            # a refused claim leaves an empty block of 1: the key does not grow while refused
            block = Block(size if granted else 1, granted, 0, remaining + granted, reset, started)
            with self._lock:
                hit = block.take(started)
            self._blocks[key] = block
            return hit or Hit(False, max(remaining, 0), reset)

    def _sweep(self, now: float) -> None:
        """Forget the blocks that can no longer be served (their units age out in Redis)."""
        for key in [k for k, block in self._blocks.items() if now - block.claimed >= 2 * HOLD_SECONDS]:
            del self._blocks[key]
            self._claiming.pop(key, None)

    def _script(self, keys: list[str], args: list):
        try:
            return self._call("EVALSHA", self.sha, len(keys), *keys, *args)
        except redis.exceptions.NoScriptError:  # a restarted or flushed Redis: EVAL loads it again
            return self._call("EVAL", _BLOCKS, len(keys), *keys, *args)

    def _packed(self, connection, command: tuple) -> list[bytes]:
        """The command in Redis's protocol; a key's command never changes, so it is packed once."""
        packed = self._commands.get(command)
        if packed is None:
            if len(self._commands) > 10_000:
                self._commands.clear()
            packed = self._commands[command] = connection.pack_command(*command)
        return packed

    def _call(self, *command):
        connection = self._idle.pop() if self._idle else self.pool.make_connection()
        try:
            connection.send_packed_command(self._packed(connection, command), check_health=False)
            reply = connection.read_response()
        except redis.ResponseError:  # an error reply: the connection itself is fine
            self._idle.append(connection)
            raise
        except BaseException:
            connection.disconnect()
            raise
        self._idle.append(connection)
        return reply


class RateLimited(Exception):
    pass


def _is_write() -> bool:
    return request.method in WRITE_METHODS


def _check(limiter: dict) -> None:
    """Count a keyed request (the open paths, probes and docs, are never counted)."""
    principal = g.get("principal")
    if principal is None:
        return
    kind = "write" if _is_write() else "read"
    budget = limiter["budgets"][kind]
    hit = limiter["windows"].hit(f"{KEY_PREFIX}:{principal.key_id}:{kind}", budget)
    g.rate_limit = (budget, hit)
    if not hit.allowed:
        raise RateLimited()


def _seconds(reset: float, budget: Budget, least: int) -> int:
    return min(max(math.ceil(reset), least), budget.seconds)


def _rate_limit_headers(response: Response) -> Response:
    counted = g.get("rate_limit")
    if counted is not None:
        budget, hit = counted
        # `add`, not `set`: nothing else writes these, and each `set` scans every header first
        add = response.headers.add
        add("RateLimit-Limit", budget.limit_header)
        add("RateLimit-Remaining", str(max(hit.remaining, 0)))
        add("RateLimit-Reset", str(_seconds(hit.reset, budget, 0)))
        add("RateLimit-Policy", budget.policy_header)
    return response


def _too_many_requests(_error: RateLimited) -> Response:
    budget, hit = g.rate_limit
    wait = _seconds(hit.reset, budget, 1)
    kind = "write" if _is_write() else "read"
    return problem(429, "too-many-requests", "Too many requests",
                   f"This key's {kind} budget ({budget}) is used up; retry in {wait} s.",
                   headers={"Retry-After": str(wait)})


def init_app(app: Flask) -> None:
    """Count every keyed request; the budgets are parsed here, so a typo fails at start."""
    settings: Settings = app.config["LAGEBILD"]
    budgets = {"read": Budget.parse("rate_limit_read", settings.rate_limit_read),
               "write": Budget.parse("rate_limit_write", settings.rate_limit_write)}
    uri = storage_uri(settings)
    memory = MemoryWindows()
    windows = memory if uri.startswith("memory://") else RedisWindows(uri, memory)
    limiter = app.extensions["lagebild_limits"] = {"budgets": budgets, "windows": windows}
    app.before_request(functools.partial(_check, limiter))  # bound here: no app look-up per request
    app.after_request(_rate_limit_headers)
    app.register_error_handler(RateLimited, _too_many_requests)
