"""Waiting for files instead of looking for them (lagebild_core/folder_watch.py), and the two readers
of the embedded set-up that use it: the file-system queue's consumer (lagebild_core/file_queue.py)
wakes when a message arrives, and the announcements of finished jobs (lagebild_core/job_events.py
`FolderPublisher`, `listen_folder`) wake a long poll's watcher. Each wait below is long (its
reader's fallback look would come after 20-30 s): a test passes quickly only if the event woke it."""
from __future__ import annotations

import os
import struct
import threading
import time
import uuid

import pytest

from lagebild_core import file_queue, folder_watch, job_events
from lagebild_core.queue import QUEUE, announcement_folder, create_celery, ensure_queue_folders
from lagebild_core.settings import Settings
from service.longpoll import JobWatcher

pytestmark = pytest.mark.skipif(folder_watch.FolderWatch.open("/") is None, reason="no inotify on this host")


def _rename_in(folder, name: str, content: str = "", delay: float = 0.0) -> threading.Timer:
    def write():
        partial = folder / f"{name}.partial"
        partial.write_text(content)
        os.replace(partial, folder / name)
    timer = threading.Timer(delay, write)
    timer.start()
    return timer


def test_a_file_renamed_in_wakes_the_wait_with_its_name(tmp_path):
    watch = folder_watch.FolderWatch.open(tmp_path)
    _rename_in(tmp_path, "a.msg", delay=0.2)
    names, lost = watch.wait(30)
    assert (names, lost) == (["a.msg"], False)
    watch.close()


def test_files_renamed_in_before_the_wait_are_returned_at_once(tmp_path):
    watch = folder_watch.FolderWatch.open(tmp_path)
    _rename_in(tmp_path, "a.msg").join()
    _rename_in(tmp_path, "b.msg").join()
    assert watch.wait(30) == (["a.msg", "b.msg"], False)
    assert watch.wait(0.05) == ([], False)  # taken: nothing waits any more
    watch.close()


def test_a_file_written_in_place_is_not_reported(tmp_path):
    watch = folder_watch.FolderWatch.open(tmp_path)
    (tmp_path / "c.msg").write_text("x")  # only a rename puts a complete file in place
    assert watch.wait(0.1) == ([], False)
    watch.close()


def test_dropped_events_are_reported_so_that_the_reader_looks_at_everything():
    header = struct.Struct("iIII")
    moved = header.pack(1, folder_watch.IN_MOVED_TO, 0, 8) + b"x.msg\0\0\0"
    overflow = header.pack(-1, folder_watch.IN_Q_OVERFLOW, 0, 0)
    assert folder_watch.parse_events(moved + overflow) == (["x.msg"], True)
    assert folder_watch.parse_events(moved) == (["x.msg"], False)


def test_a_folder_that_cannot_be_watched_gives_no_watch(tmp_path):
    assert folder_watch.FolderWatch.open(tmp_path / "missing") is None


# --- the file-system queue's consumer ---------------------------------------------------------

def test_an_idle_consumer_takes_a_new_message_when_it_arrives_not_at_its_next_look(tmp_path):
    settings = Settings(data_dir=str(tmp_path / "var"), database_url="", broker_url="")
    ensure_queue_folders(settings)
    app = create_celery(settings)
    app.conf.broker_transport_options = {**app.conf.broker_transport_options, "polling_interval": 30}
    received = []
    with app.connection_for_read() as connection:
        assert isinstance(connection.transport, file_queue.Transport)
        # a name of its own: kombu remembers bindings per process, and one made by an earlier test in
        # another folder would keep this one from being written to this test's folder
        name = f"{QUEUE}-{uuid.uuid4().hex}"
        consumer = connection.SimpleQueue(name)
        threading.Timer(0.3, lambda: app.connection_for_write().SimpleQueue(name).put({"n": 1})).start()
        started = time.monotonic()
        try:
            received.append(consumer.get(timeout=20).payload)
        except (TimeoutError, consumer.Empty):
            pass
        waited = time.monotonic() - started
        consumer.close()
    assert received == [{"n": 1}]
    assert waited < 10  # without the watch it sleeps 20 s (the interval, capped by the timeout) before it looks again


# --- announcements of finished jobs -------------------------------------------------------------

def test_an_announcement_file_wakes_the_long_polls_waiter(tmp_path):
    folder = announcement_folder(Settings(data_dir=str(tmp_path / "var")))
    live, stopped = threading.Event(), threading.Event()

    def subscribe(on_finished, on_live):
        job_events.listen_folder(folder, on_finished, lambda is_live: (live.set() if is_live else None,
                                                                       on_live(is_live)), stop=stopped.is_set)
    watcher = JobWatcher(lambda ids: set(), interval=20, fallback=20, subscribe=subscribe)  # looks never help
    result = []
    waiting = threading.Thread(target=lambda: result.append(watcher.wait("job-1", 20)))
    waiting.start()
    assert live.wait(5)
    job_events.FolderPublisher(folder).publish(["job-0", "job-1"])
    waiting.join(10)
    stopped.set()
    assert result == [True]
    assert watcher.wait("job-0", 0) is True  # announced in the same file: remembered for a late request


def test_announcement_files_are_complete_when_named_and_removed_when_old(tmp_path):
    folder = tmp_path / "finished"
    folder.mkdir()
    old = folder / f"{int((time.time() - job_events.KEEP_SECONDS - 5) * 1000)}_old{job_events.ANNOUNCEMENT_SUFFIX}"
    old.write_text("job-9")
    recent = folder / f"{int(time.time() * 1000)}_recent{job_events.ANNOUNCEMENT_SUFFIX}"
    recent.write_text("job-8")
    watch = folder_watch.FolderWatch.open(folder)

    job_events.FolderPublisher(folder).publish(["job-1", "job-2"])

    names, _ = watch.wait(5)
    assert len(names) == 1 and names[0].endswith(job_events.ANNOUNCEMENT_SUFFIX)
    assert (folder / names[0]).read_text().split() == ["job-1", "job-2"]
    assert sorted(p.name for p in folder.iterdir()) == sorted([names[0], recent.name])  # the old one is gone
    watch.close()


def test_a_folder_that_cannot_be_written_loses_the_announcement_quietly(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    job_events.FolderPublisher(blocked / "finished").publish(["job-1"])  # logged, not raised: the work is committed
