"""The API's Redis publisher writes the messages Celery's `send_task` writes (lagebild_core/queue.py)."""
from __future__ import annotations

import json

from kombu.transport import memory

from lagebild_core.queue import EXTRACT_TASK, QUEUE, REQUEST_ID_HEADER, RedisPublisher, create_celery, send_task
from lagebild_core.settings import Settings

TASK_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def _sent_by_celery(app, monkeypatch) -> tuple[str, dict]:
    """(queue, message) as kombu hands them to its transport's `_put` (Redis LPUSHes the message's
    JSON to that list); the memory transport stands in for Redis, the envelope is the same."""
    put = []
    monkeypatch.setattr(memory.Channel, "_put", lambda _channel, queue, message, **_kw: put.append((queue, message)))
    with app.connection_for_write("memory://") as connection:
        send_task(app, EXTRACT_TASK, ["0123456789abcdef0123456789abcdef"], task_id=TASK_ID, connection=connection,
                  headers={REQUEST_ID_HEADER: "req-1"})
    (queue, message), = put
    return queue, json.loads(json.dumps(message))


def test_the_publisher_writes_what_celery_writes(tmp_path, monkeypatch):
    app = create_celery(Settings(data_dir=str(tmp_path), broker_url="redis://127.0.0.1:6379/15"))
    queue, celery_message = _sent_by_celery(app, monkeypatch)
    ours = json.loads(RedisPublisher(app).message(["0123456789abcdef0123456789abcdef"], {REQUEST_ID_HEADER: "req-1"},
                                                  task_id=TASK_ID))
    assert queue == QUEUE
    # random per message: the transport's delivery tag; per thread in Celery, per process here: reply_to
    for message in (celery_message, ours):
        assert message["properties"].pop("delivery_tag") and message["properties"].pop("reply_to")
    assert ours == celery_message
    assert list(ours) == list(celery_message) and list(ours["headers"]) == list(celery_message["headers"])
