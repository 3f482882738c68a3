"""The task queue both sides share: a Celery app built from Settings, the task names, and the
broker's embedded default.

The broker is Redis in production; the embedded default is kombu's file-system transport, a
real cross-process queue that needs no server. `create_celery` has no side effects: the API
builds its sending app from it, the workers (workers/celery_app.py) their consuming one. The
file-system queue's folders are created by whoever first needs them (`ensure_queue_folders`):
the worker at its start, the API when it first sends a message.
"""
from __future__ import annotations

import base64
import json
import os
import uuid
from pathlib import Path

import redis
from celery import Celery
from celery.utils.nodenames import anon_nodename
from celery.utils.saferepr import saferepr
from redis.backoff import NoBackoff
from redis.retry import Retry

from lagebild_core.settings import Settings

EXTRACT_TASK = "lagebild.extract"
SWEEP_TASK = "lagebild.sweep"
DELIVER_WEBHOOK_TASK = "lagebild.deliver_webhook"
QUEUE = "lagebild"
# the sweep has a queue of its own: behind a backlog of extractions it would come minutes late,
# just when it is needed most (workers consume both; an idle process takes it within one task)
SWEEP_QUEUE = "lagebild.sweep"
REQUEST_ID_HEADER = "lagebild_request_id"  # message header: the API request that queued the job (logs)
# Webhook deliveries have their own queue, which workers consume beside QUEUE: a delivery is a
# short HTTP request and should not wait behind every extraction queued before it.
WEBHOOK_QUEUE = "lagebild.webhooks"
_FOLDERS = ("messages", "processed", "control", "finished")
# The file-system queue's consumer waits for a message file to be renamed into the folder
# (lagebild_core.file_queue, inotify) and looks at least this often: a finished process of the pool
# frees room for a message already waiting, which no file event announces; without inotify it is
# the only way to see a message (kombu's default, 1 s, left a worker idle for up to a second after
# every article: 1.9 articles/s instead of 6.4). A look costs an idle worker about 0.15 ms of CPU.
POLLING_SECONDS = 0.1


def uses_folders(settings: Settings) -> bool:
    """True for the embedded file-system queue."""
    return settings.effective_broker_url.startswith("filesystem")


def message_folder(settings: Settings) -> Path:
    """The folder of the file-system queue's waiting messages."""
    return settings.queue_dir / "messages"


def announcement_folder(settings: Settings) -> Path:
    """The folder of the file-system queue's announcements of finished jobs (lagebild_core.job_events)."""
    return settings.queue_dir / "finished"


def create_celery(settings: Settings, include: tuple[str, ...] = ()) -> Celery:
    """Return a Celery app for `settings` that can send to (and, with the tasks of `include`
    registered, consume from) the Lagebild queue; `app.conf.lagebild_settings` is `settings`."""
    app = Celery("lagebild", broker=settings.effective_broker_url, include=list(include))
    transport_options: dict = {"visibility_timeout": settings.task_time_limit * 2 + 60}
    if uses_folders(settings):
        folder = settings.queue_dir
        transport_options = {
            "data_folder_in": str(message_folder(settings)),
            "data_folder_out": str(message_folder(settings)),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
            "polling_interval": POLLING_SECONDS,
        }
        # kombu's, with messages written atomically (lagebild_core/file_queue.py)
        app.conf.broker_transport = "lagebild_core.file_queue:Transport"
    app.conf.update(
        task_default_queue=QUEUE,
        task_routes={SWEEP_TASK: {"queue": SWEEP_QUEUE}, DELIVER_WEBHOOK_TASK: {"queue": WEBHOOK_QUEUE}},
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=4,
        broker_transport_options=transport_options,
        timezone="UTC",
    )
    app.conf.lagebild_settings = settings
    return app


def ensure_queue_folders(settings: Settings) -> None:
    """Create the folders of the embedded file-system queue (nothing for a real broker)."""
    if uses_folders(settings):
        for name in _FOLDERS:
            (settings.queue_dir / name).mkdir(parents=True, exist_ok=True)


def send_task(app: Celery, name: str, args: list, **options) -> None:
    """Publish one message for the task called `name`; raise if the broker does not take it."""
    ensure_queue_folders(app.conf.lagebild_settings)
    app.send_task(name, args=args, **options)


def broker_reachable(app: Celery, timeout: float = 2.0) -> None:
    """Raise if the broker cannot be reached within `timeout` seconds."""
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)


def queue_depth(app: Celery, timeout: float = 2.0) -> int:
    """The number of messages waiting in the Lagebild queue (not those a worker holds)."""
    with app.connection_for_read() as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)
        # declaring is idempotent (the workers declare the same queue); a passive declaration
        # fails on Redis until a worker has bound the queue
        return connection.default_channel.queue_declare(queue=QUEUE, durable=True, auto_delete=False).message_count


def uses_redis(settings: Settings) -> bool:
    """True when the broker is Redis."""
    return settings.effective_broker_url.startswith(("redis://", "rediss://"))


# The messages of given jobs taken out of the queue (`RedisPublisher.unqueue`), looking only at its
# oldest end, the last ARGV[1] messages: a long backlog costs no more than a short one. ARGV[2] is
# the task's name, ARGV[3...] the job ids. A message names its job in the header `argsrepr`,
# "['<job id>']" (or "['<job id>', ...]"); JSON escapes every quote inside a header's value, so
# only that header itself matches. Each message matched is removed by value, once, searching from
# the tail (where it was just read). Plain finds, not string.match: 0.43 instead of 0.78 ms of
# Redis CPU for 15 jobs among 124 messages, most of which is LRANGE copying them.
_UNQUEUE_LUA = r"""
local wanted = {}
for i = 3, #ARGV do wanted[ARGV[i]] = true end
local header, task = '"argsrepr": "[\'', '"task": "' .. ARGV[2] .. '"'
local removed = 0
for _, message in ipairs(redis.call('LRANGE', KEYS[1], -tonumber(ARGV[1]), -1)) do
  local _, last = string.find(message, header, 1, true)
  local close = last and string.find(message, "'", last + 1, true)
  if close and wanted[string.sub(message, last + 1, close - 1)] and string.find(message, task, 1, true) then
    removed = removed + redis.call('LREM', KEYS[1], -1, message)
  end
end
return removed
"""


def unqueue_window(jobs: int) -> int:
    """How many messages at the queue's oldest end `RedisPublisher.unqueue` looks at for `jobs` ids:
    a batch's jobs are the oldest queued, their messages the last ones, among a few others'."""
    return 4 * jobs + 64


class RedisPublisher:
    """Extraction messages written straight into the Redis list the workers read, as Celery's
    `send_task` writes them there: task protocol 2 in kombu's Redis envelope, default routing and
    priority (tests/core/test_queue_messages.py compares the two). Through Celery and kombu a
    message cost the API 0.6 CPU ms (configuration look-ups, routing, a producer from the pool,
    copies of the queue's declarations, retry wrappers); the LPUSH alone 0.06. The queue's binding
    set is kombu's (the workers declare it); `reply_to` is the app's process-wide id, not one per
    thread (each request's greenlet would have made a new one; nothing reads it: no result backend).
    A connection error is retried once at once, as `send_task`'s retry policy did."""

    def __init__(self, app: Celery, timeout: float | None = None):
        timeout = timeout or app.conf.broker_connection_timeout
        self._app = app
        self._redis = redis.Redis.from_url(app.conf.broker_url, socket_connect_timeout=timeout,
                                           socket_timeout=timeout, retry=Retry(NoBackoff(), 1))
        self._pid, self._origin = None, ""
        self._unqueue = self._redis.register_script(_UNQUEUE_LUA)

    def ping(self) -> None:
        """Open the connection now (else the process's first publish does); raise if Redis does not answer."""
        self._redis.ping()

    def publish(self, args: list, headers: dict) -> None:
        """Publish one EXTRACT_TASK message; raise redis.RedisError if Redis does not take it."""
        self._redis.lpush(QUEUE, self.message(args, headers))

    def unqueue(self, job_ids: list[str]) -> int:
        """Remove the waiting EXTRACT_TASK messages of these jobs from the queue's oldest
        `unqueue_window(len(job_ids))` messages (a message further from the tail stays) in one
        script call; return how many were removed. Raise redis.RedisError if Redis does not answer.
        Messages a worker has already fetched are no longer in the list and stay where they are."""
        if not job_ids:
            return 0
        return int(self._unqueue(keys=[QUEUE], args=[unqueue_window(len(job_ids)), EXTRACT_TASK, *job_ids]))

    def message(self, args: list, headers: dict, task_id: str | None = None) -> str:
        """The message as kombu's Redis transport stores it (a JSON envelope, the body base64)."""
        if self._pid != os.getpid():  # the sender's node name, as Celery's: one per process
            self._pid, self._origin = os.getpid(), anon_nodename()
        task_id = task_id or str(uuid.uuid4())
        body = json.dumps([args, {}, {"callbacks": None, "errbacks": None, "chain": None, "chord": None}])
        return json.dumps({
            "body": base64.b64encode(body.encode()).decode(),
            "content-encoding": "utf-8", "content-type": "application/json",
            "headers": {
                "lang": "py", "task": EXTRACT_TASK, "id": task_id, "shadow": None, "eta": None,
                "expires": None, "group": None, "group_index": None, "retries": 0, "timelimit": [None, None],
                "root_id": task_id, "parent_id": None, "argsrepr": saferepr(args, self._app.amqp.argsrepr_maxsize),
                "kwargsrepr": "{}", "origin": self._origin, "ignore_result": None, "replaced_task_nesting": 0,
                "stamped_headers": None, "stamps": {}, **headers},
            "properties": {
                "correlation_id": task_id, "reply_to": self._app.oid, "delivery_mode": 2,
                "delivery_info": {"exchange": "", "routing_key": QUEUE}, "priority": 0,
                "body_encoding": "base64", "delivery_tag": str(uuid.uuid4())},
        })
