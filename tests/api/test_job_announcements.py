"""Finished jobs announced on Redis (lagebild_core.job_events): the worker publishes the ids a
transaction finished once it has committed, one message per transaction; a long poll's watcher
subscribed to them wakes its requests at once instead of at its next periodic look, and gets its
subscription back after the connection is lost. Real Redis (database 14 of the shared server).
On the embedded queue the message is a file (the watch itself: tests/core/test_folder_watch.py)."""
from __future__ import annotations

import dataclasses
import threading
import time

import pytest
import redis

import workers.tasks as tasks
from lagebild_core import domain, job_events
from lagebild_core.queue import announcement_folder
from service.longpoll import JobWatcher
from workers import process

URL = "redis://127.0.0.1:6379/14"
TEXTS = [f"Artikel {n}: Der Minister traf am Dienstag in Berlin seinen Amtskollegen." for n in range(4)]


@pytest.fixture
def channel():
    """Messages on the finished-jobs channel of URL, as a list of id lists (read with `drain`)."""
    pubsub = redis.Redis.from_url(URL).pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(job_events.channel(URL))
    assert pubsub.get_message(timeout=2) is None  # the confirmation, ignored: subscribed from here

    def drain(wait: float = 0.5) -> list[list[str]]:
        messages, deadline = [], time.monotonic() + wait
        while (message := pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))) is not None \
                or time.monotonic() < deadline:
            if message:
                messages.append(message["data"].decode().split())
        return messages
    yield drain
    pubsub.close()


@pytest.fixture
def worker(run_job, settings):
    """Tasks run in this process with a Redis broker at URL (only the announcements use it) and
    batches of 3."""
    tasks.celery.conf.lagebild_settings = dataclasses.replace(settings, broker_url=URL, worker_batch_size=3,
                                                              worker_concurrency=1)
    process.state.pop("announcer", None)
    yield run_job
    process.state.pop("announcer", None)


def _states_when_published(api, monkeypatch, publisher) -> list[str]:
    """The states of the jobs a `publisher` class's messages name, read by another connection
    when each message goes out (filled as they go)."""
    seen: list[str] = []
    real = publisher.publish

    def publish(self, job_ids):
        seen.extend(api.db_job(job_id).status for job_id in job_ids)
        real(self, job_ids)
    monkeypatch.setattr(publisher, "publish", publish)
    return seen


def test_a_batch_is_announced_in_one_message_after_its_commit(api, worker, channel, monkeypatch):
    jobs = [api.submit(text)["job"]["id"] for text in TEXTS]
    seen = _states_when_published(api, monkeypatch, job_events.Publisher)
    assert worker(jobs[1]) == 1
    assert [sorted(ids) for ids in channel()] == [sorted(jobs[:3])]  # its own and the 2 oldest waiting
    assert seen == ["succeeded"] * 3  # committed: another connection finds them finished


def test_on_the_embedded_queue_a_batch_is_announced_in_one_file_after_its_commit(api, run_job, settings,
                                                                                 monkeypatch):
    tasks.celery.conf.lagebild_settings = dataclasses.replace(settings, worker_batch_size=3, worker_concurrency=1)
    jobs = [api.submit(text)["job"]["id"] for text in TEXTS]
    seen = _states_when_published(api, monkeypatch, job_events.FolderPublisher)
    assert run_job(jobs[1]) == 1
    files = list(announcement_folder(settings).glob(f"*{job_events.ANNOUNCEMENT_SUFFIX}"))
    assert [sorted(file.read_text().split()) for file in files] == [sorted(jobs[:3])]
    assert seen == ["succeeded"] * 3


def test_failed_jobs_are_announced(api, worker, channel):
    job_id = api.submit(TEXTS[0])["job"]["id"]
    with tasks._transaction() as session:
        domain.fail_job(session, job_id, "extraction-failed", "broken")
    with tasks._transaction() as session:  # an unreadable job, failed without loading its article
        domain.fail_unreadable_job(session, api.submit(TEXTS[1])["job"]["id"], "unreadable")
    assert len(channel()) == 2 and api.job(job_id)["status"] == "failed"


def test_nothing_is_announced_when_the_transaction_rolls_back(api, worker, channel):
    job_id = api.submit(TEXTS[0])["job"]["id"]
    with pytest.raises(RuntimeError), tasks._transaction() as session:
        domain.fail_job(session, job_id, "extraction-failed", "broken")
        raise RuntimeError("the commit never comes")
    assert channel() == [] and api.job(job_id)["status"] == "queued"


def test_an_announcement_that_redis_does_not_take_is_ignored(api, worker, settings):
    tasks.celery.conf.lagebild_settings = dataclasses.replace(settings, broker_url="redis://127.0.0.1:1/14")
    job_id = api.submit(TEXTS[0])["job"]["id"]
    assert worker(job_id) == 1 and api.job(job_id)["status"] == "succeeded"


@pytest.fixture
def watcher():
    """A watcher whose periodic look comes every 5 s and never finds anything finished, subscribed
    to URL; `watcher.live` is set while the subscription is, `watcher.changes` lists its changes."""
    live, stopped, changes = threading.Event(), threading.Event(), []

    def subscribe(on_finished, on_live):
        def seen(is_live):
            changes.append(is_live)
            live.set() if is_live else live.clear()
            on_live(is_live)
        job_events.listen(URL, on_finished, seen, stop=stopped.is_set)
    watcher = JobWatcher(lambda ids: set(), interval=5, fallback=5, subscribe=subscribe)
    watcher.live, watcher.changes = live, changes
    yield watcher
    stopped.set()


def _waiting(watcher, job_id: str) -> tuple[threading.Thread, list]:
    result: list = []
    thread = threading.Thread(target=lambda: result.append((watcher.wait(job_id, 20), time.monotonic())))
    thread.start()
    return thread, result


def test_a_published_message_wakes_the_waiter_long_before_the_periodic_look(watcher):
    thread, result = _waiting(watcher, "job-1")  # the first wait starts the subscription
    assert watcher.live.wait(5)
    job_events.Publisher(URL).publish(["job-0", "job-1"])
    published = time.monotonic()
    thread.join(10)
    assert result and result[0][0] is True and result[0][1] - published < 2  # the look would come after 5 s


def test_a_job_announced_just_before_the_request_waits_is_answered_at_once(watcher):
    watcher.announced(["job-2"])  # the request read its job unfinished, then the message came
    started = time.monotonic()
    assert watcher.wait("job-2", 5) is True and time.monotonic() - started < 1


def test_the_subscriber_reconnects_when_its_connection_is_lost(watcher):
    thread, result = _waiting(watcher, "job-3")
    assert watcher.live.wait(5)
    admin = redis.Redis.from_url(URL)
    ours = [c["id"] for c in admin.client_list(_type="pubsub")
            if c["name"] == job_events.CLIENT_NAME and c["db"] == "14"]
    assert ours and all(admin.client_kill_filter(_id=client_id) for client_id in ours)
    deadline = time.monotonic() + 10
    while watcher.changes != [True, False, True] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert watcher.changes == [True, False, True]  # noticed the loss and subscribed again
    job_events.Publisher(URL).publish(["job-3"])
    thread.join(10)
    assert result and result[0][0] is True


def test_without_a_subscription_the_periodic_look_still_wakes_waiters():
    finished: set[str] = set()
    watcher = JobWatcher(lambda ids: ids & finished, interval=0.02)
    threading.Timer(0.2, finished.add, args=["job-4"]).start()
    assert watcher.wait("job-4", 5) is True


def test_the_channel_is_one_per_redis_database():
    assert job_events.channel("redis://h:6379/14") != job_events.channel("redis://h:6379/11")
    assert job_events.channel("redis://h:6379") == job_events.channel("redis://h:6379/0")



def test_a_job_announced_again_is_remembered_from_its_last_announcement(monkeypatch):
    """The remembered ids expire oldest first; one announced again moves to the end, so the
    expiry neither keeps a stale entry nor drops a fresh one."""
    import service.longpoll as longpoll
    now = [1000.0]
    monkeypatch.setattr(longpoll.time, "monotonic", lambda: now[0])
    watcher = JobWatcher(lambda ids: set(), interval=5)
    watcher.announced(["job-a"])
    now[0] += 1
    watcher.announced(["job-b"])
    now[0] += 1
    watcher.announced(["job-a"])
    now[0] += longpoll.RECENT_SECONDS - 0.5  # job-b is past its time, job-a's second announcement is not
    watcher.announced(["job-c"])
    assert list(watcher._recent) == ["job-a", "job-c"]
