"""The embedded queue's transport (lagebild_core/file_queue.py): a consumer never takes a message
that is still being written, and a message it cannot decode does not stop the worker."""
from __future__ import annotations

import os
from queue import Empty

import pytest

from lagebild_core import file_queue
from lagebild_core.queue import QUEUE, create_celery, ensure_queue_folders
from lagebild_core.settings import Settings


@pytest.fixture
def app(tmp_path):
    settings = Settings(data_dir=str(tmp_path / "var"), database_url="", broker_url="")
    ensure_queue_folders(settings)
    return create_celery(settings)


@pytest.fixture
def channel(app):
    with app.connection_for_write() as connection:
        yield connection.default_channel


def messages(channel) -> list[str]:
    return sorted(os.listdir(channel.data_folder_in))


def test_the_embedded_queue_uses_the_atomic_transport(app):
    with app.connection_for_write() as connection:
        assert isinstance(connection.default_channel, file_queue.Channel)


def test_a_message_appears_under_a_consumers_name_only_when_it_is_complete(channel, monkeypatch):
    seen_before_rename = []
    real_replace = os.replace

    def replace(source, target):
        seen_before_rename.extend(messages(channel))
        with open(source, "rb") as written:
            assert written.read().startswith(b"{")  # complete before it gets its name
        real_replace(source, target)
    monkeypatch.setattr(file_queue.os, "replace", replace)

    channel._put(QUEUE, {"body": "x"})

    assert [name.partition(".")[2] for name in seen_before_rename] == [f"{QUEUE}.msg{file_queue.PARTIAL}"]
    assert [name.partition(".")[2] for name in messages(channel)] == [f"{QUEUE}.msg"]
    assert channel._get(QUEUE) == {"body": "x"}


def test_a_consumer_leaves_a_message_being_written_alone(channel):
    with open(os.path.join(channel.data_folder_in, f"1_a.{QUEUE}.msg{file_queue.PARTIAL}"), "wb"):
        pass  # a writer between open and rename
    with pytest.raises(Empty):
        channel._get(QUEUE)
    assert len(messages(channel)) == 1


def test_an_undecodable_message_is_dropped_and_the_next_one_delivered(channel):
    # named to sort before every message kombu writes ("<monotonic ms>_<uuid>", never "0..."), so it is
    # taken first whatever the machine's uptime ("1_a" sorted after "1445542_..." at 1,000-1,999 s up)
    with open(os.path.join(channel.data_folder_in, f"0_a.{QUEUE}.msg"), "wb"):
        pass  # empty: what kombu's own writer left for a consumer that came too early
    channel._put(QUEUE, {"body": "next"})

    with pytest.raises(Empty):
        channel._get(QUEUE)
    assert channel._get(QUEUE) == {"body": "next"}
