"""A worker that finds more articles waiting extracts them together (workers/tasks.py: the
message's job plus queued ones, parsed with `nlp.pipe`, stored in one transaction), and the
batch never costs an article: a failing article fails alone, a batch at the time limit gives
every job back to run alone, and the other jobs' own messages become harmless copies."""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import update
from celery.exceptions import SoftTimeLimitExceeded

import workers.tasks as tasks
from workers import copies
from lagebild_core import domain, file_queue
from lagebild_core.queue import message_folder
from tests.support.documents import fixed_pipeline, global_ids  # noqa: F401 - a fixture
from workers.pipeline import extractor

TEXTS = [f"Artikel {n}: Der Minister traf am Dienstag in Berlin seinen Amtskollegen." for n in range(4)]


@pytest.fixture
def batches(run_job, settings):
    """Run jobs with LAGEBILD_WORKER_BATCH_SIZE=3, as the only extracting process (run_job itself
    runs one job per call)."""
    tasks.celery.conf.lagebild_settings = dataclasses.replace(settings, worker_batch_size=3, worker_concurrency=1)
    return run_job


@pytest.fixture
def published(monkeypatch):
    """The messages the worker publishes again: (job id, kwargs)."""
    sent = []
    monkeypatch.setattr(tasks.extract, "apply_async", lambda args, kwargs=None, **_: sent.append((args[0], kwargs)))
    return sent


@pytest.fixture
def noted():
    """The table of jobs taken into batches, as a worker's main process shares it (workers/copies.py)."""
    copies.share(1, hold_seconds=30)
    yield copies._table
    copies._table = None


def _submit_all(api) -> list[str]:
    return [api.submit(text)["job"]["id"] for text in TEXTS]


def _break(monkeypatch, broken: str) -> None:
    """Make the pipeline fail on the text `broken`: a batch with it fails, `extract` of it fails."""
    real = extractor.Pipeline.extract

    def extract(self, text, published_at=None):
        if text == broken:
            raise ValueError("broken article")
        return real(self, text, published_at)

    def extract_many(self, items, batch_size=32):
        if any(text == broken for text, _ in items):
            raise ValueError("one article of the batch is broken")
        return [real(self, text, published_at) for text, published_at in items]
    monkeypatch.setattr(extractor.Pipeline, "extract", extract)
    monkeypatch.setattr(extractor.Pipeline, "extract_many", extract_many)


def test_one_task_extracts_the_waiting_articles_and_their_messages_do_nothing(api, batches, noted):
    jobs = _submit_all(api)
    assert batches(jobs[1]) == 1
    # the batch-mates' messages are dropped before a pool process sees them (workers/copies.py)
    assert [noted.holds(job_id) for job_id in jobs] == [True, False, True, False]
    states = [api.job(job_id)["status"] for job_id in jobs]
    assert states == ["succeeded", "succeeded", "succeeded", "queued"]  # its own and the 2 oldest waiting
    assert api.counts()["extractions"] == 3 and api.db_job(jobs[0]).extraction_version == 1
    assert batches(jobs[0]) is None  # the copy: finished, nothing stored again
    assert batches(jobs[3]) == 1 and [api.job(j)["status"] for j in jobs] == ["succeeded"] * 4
    assert api.counts()["extractions"] == 4
    for job_id in jobs:  # each job stored its own article's document
        job = api.job(job_id)
        assert api.get_json(job["links"]["result"])["article_id"] == job["article_id"]


def test_the_batch_keeps_to_the_character_budget(api, batches, settings):
    tasks.celery.conf.lagebild_settings = dataclasses.replace(settings, worker_batch_size=8, worker_concurrency=1,
                                                              worker_batch_characters=2 * len(TEXTS[0]) + 1)
    jobs = _submit_all(api)
    batches(jobs[0])
    assert [api.job(job_id)["status"] for job_id in jobs] == ["succeeded", "succeeded", "queued", "queued"]


def test_an_article_the_pipeline_cannot_process_fails_alone(api, batches, monkeypatch):
    _break(monkeypatch, TEXTS[1])
    jobs = _submit_all(api)
    assert batches(jobs[0]) == 1
    assert [api.job(job_id)["status"] for job_id in jobs[:3]] == ["succeeded", "failed", "succeeded"]
    failed = api.job(jobs[1])
    assert failed["error"]["type"].endswith("extraction-failed") and "broken article" in failed["error"]["detail"]


def test_a_batch_at_the_time_limit_gives_every_job_back_to_run_alone(api, batches, published, monkeypatch, noted):
    def extract_many(self, items, batch_size=32):
        raise SoftTimeLimitExceeded()
    monkeypatch.setattr(extractor.Pipeline, "extract_many", extract_many)
    jobs = _submit_all(api)
    assert batches(jobs[0]) is None
    assert [api.job(job_id)["status"] for job_id in jobs[:3]] == ["queued"] * 3
    assert [api.db_job(job_id).attempts for job_id in jobs[:3]] == [0, 0, 0]  # the start is not counted
    assert published == [(job_id, {"alone": True}) for job_id in jobs[:3]]
    assert not any(noted.holds(job_id) for job_id in jobs)  # the new messages reach the pool
    assert tasks.extract.run(jobs[1], alone=True) == 1  # alone: the others stay queued
    assert [api.job(job_id)["status"] for job_id in jobs] == ["queued", "succeeded", "queued", "queued"]


def test_a_batch_mate_that_cannot_be_stored_is_queued_again_with_a_new_message(api, batches, published, monkeypatch,
                                                                             noted):
    from sqlalchemy.exc import OperationalError
    jobs = _submit_all(api)

    def store_extractions(session, results):
        raise OperationalError("INSERT", {}, Exception("connection lost"))
    real_store = domain.store_extraction

    def store_extraction(session, job_id, document):
        if job_id == jobs[2]:
            raise OperationalError("INSERT", {}, Exception("connection lost"))
        return real_store(session, job_id, document)
    monkeypatch.setattr(tasks.domain, "store_extractions", store_extractions)
    monkeypatch.setattr(tasks.domain, "store_extraction", store_extraction)
    assert batches(jobs[0]) == 1
    assert [api.job(job_id)["status"] for job_id in jobs[:3]] == ["succeeded", "succeeded", "queued"]
    assert published == [(jobs[2], {"alone": False})]
    assert noted.holds(jobs[1]) and not noted.holds(jobs[2])  # its new message reaches the pool


def test_the_messages_own_job_raises_for_a_retry_when_the_batch_cannot_be_stored(api, batches, published, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def fail(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("database away"))
    monkeypatch.setattr(tasks.domain, "store_extractions", fail)
    monkeypatch.setattr(tasks.domain, "store_extraction", fail)
    jobs = _submit_all(api)
    with pytest.raises(OperationalError):
        tasks._extract(jobs[0])
    assert [api.job(job_id)["status"] for job_id in jobs[:3]] == ["queued"] * 3  # none stuck under a lease
    assert published == [(jobs[1], {"alone": False}), (jobs[2], {"alone": False})]  # its own: the task's retry


def test_articles_of_one_batch_share_their_new_actors_and_stories(api, batches, fixed_pipeline, monkeypatch):
    """The batch links its documents against one registry and regroups once: an actor new to the
    registry that two articles of the batch name is one registry actor, as when they come one by
    one, and the dated meeting the articles report is one story."""
    monkeypatch.setattr(extractor.Pipeline, "extract_many",
                        lambda self, items, batch_size=32: [self.extract(text, day) for text, day in items])
    jobs = _submit_all(api)
    assert batches(jobs[0]) == 1
    articles = [api.job(job_id)["article_id"] for job_id in jobs[:3]]
    linked = [global_ids(api, {"id": article}) for article in articles]
    assert linked[0] == linked[1] == linked[2] and len(set(linked[0].values())) == 6
    assert api.get_json("/v1/actors?limit=100")["items"].__len__() == 6
    stories = api.get_json("/v1/stories?limit=100")["items"]
    assert [story["type"] for story in stories if story["article_count"] == 3] == ["CONSULT"]  # the dated meeting


def test_jobs_whose_worker_was_lost_run_alone_and_are_not_batched(api, batches, settings):
    """A batch whose worker died (a text that crashes the parser, say) must not take the other
    articles' attempts with it again: after the lease runs out, each of its jobs runs alone."""
    jobs = _submit_all(api)
    with api.session() as session:  # a worker took jobs 0 and 1 and died (no heartbeat since long ago)
        session.execute(update(domain.Job).where(domain.Job.id.in_(jobs[:2])).values(attempts=1))
        session.commit()
    assert batches(jobs[0]) == 1
    assert [api.job(job_id)["status"] for job_id in jobs] == ["succeeded", "queued", "queued", "queued"]
    assert batches(jobs[2]) == 1  # a fresh job batches, but not with job 1, started before
    assert [api.job(job_id)["status"] for job_id in jobs] == ["succeeded", "queued", "succeeded", "succeeded"]


@pytest.mark.parametrize("processes, taken", [(1, 3), (2, 1), (3, 1), (4, 0)])
def test_a_batch_takes_only_its_process_share_of_what_waits(api, batches, settings, processes, taken):
    """With N extracting processes a batch takes at most 1/N of the waiting jobs: when the backlog
    runs out, the last articles spread over the processes instead of waiting behind one batch."""
    tasks.celery.conf.lagebild_settings = dataclasses.replace(settings, worker_batch_size=8,
                                                              worker_concurrency=processes)
    jobs = _submit_all(api)  # its own and 3 waiting
    batches(jobs[0])
    assert [api.job(job_id)["status"] for job_id in jobs].count("succeeded") == 1 + taken


def test_a_lone_batch_mate_that_cannot_be_stored_gets_a_new_message(api, batches, published, monkeypatch):
    """The message's own article failed in the pipeline and the one batch-mate left cannot be
    stored: the mate is queued again with a message of its own (its first one was taken as a copy),
    and the task does not raise (a retry would find its own job failed and do nothing)."""
    from sqlalchemy.exc import OperationalError
    _break(monkeypatch, TEXTS[0])

    def store_extraction(session, job_id, document):
        raise OperationalError("INSERT", {}, Exception("connection lost"))
    monkeypatch.setattr(tasks.domain, "store_extraction", store_extraction)
    jobs = api.submit(TEXTS[0])["job"]["id"], api.submit(TEXTS[1])["job"]["id"]
    assert tasks._extract(jobs[0]) is None
    assert [api.job(job_id)["status"] for job_id in jobs] == ["failed", "queued"]
    assert published == [(jobs[1], {"alone": False})]


def test_a_batch_with_two_jobs_of_one_article_stores_two_versions_and_indexes_the_newer(api, batches, client,
                                                                                        fixed_pipeline, monkeypatch):
    """An article whose re-run was queued before its first job ran has both jobs in one batch: the
    versions are 1 and 2 in the order of the jobs, and the event and quote indexes hold only the
    rows of version 2 (the first version's rows are replaced, not written beside them), while the
    batch's other article is indexed as a first version."""
    from lagebild_core.store.events import EventRecord
    from lagebild_core.store.quotes import QuoteRecord
    from sqlalchemy import func, select

    monkeypatch.setattr(extractor.Pipeline, "extract_many",
                        lambda self, items, batch_size=32: [self.extract(text, day) for text, day in items])
    text = "Der Minister traf am Dienstag in Berlin seinen Amtskollegen."
    first = api.submit(text, published_at="2024-10-16")
    rerun = client.post(f"/v1/articles/{first['id']}/extractions")
    assert rerun.status_code == 202, rerun.get_json()
    other = api.submit(text + " Am Mittwoch reiste er ab.", published_at="2024-10-16")
    assert batches(first["job"]["id"]) == 1
    assert api.job(rerun.get_json()["id"])["extraction_version"] == 2
    assert api.article(first["id"])["latest_version"] == 2
    with api.session() as session:
        def rows(table, article_id):
            return session.execute(select(table.version, func.count()).where(table.article_id == article_id)
                                   .group_by(table.version)).all()
        for table, key in ((EventRecord, "events"), (QuoteRecord, "quotes")):
            newest = api.get_json(f"/v1/articles/{first['id']}/extractions/2")[key]
            assert newest  # the fixed documents have events and quotes
            assert rows(table, first["id"]) == [(2, len(newest))]
            others = api.get_json(f"/v1/articles/{other['id']}/extractions/1")[key]
            assert rows(table, other["id"]) == [(1, len(others))]


class _Queue:
    """Stands in for the worker's Redis queue client (RedisPublisher): records what it is asked to
    take out, after checking that those jobs' starts are committed; or fails like a Redis away."""

    def __init__(self, api, fails: bool = False):
        self.api, self.fails, self.asked = api, fails, []

    def unqueue(self, job_ids):
        assert [self.api.job(job_id)["status"] for job_id in job_ids] == ["running"] * len(job_ids)
        self.asked.append(list(job_ids))
        if self.fails:
            import redis
            raise redis.ConnectionError("Redis away")
        return len(job_ids)


@pytest.fixture
def on_redis(batches):
    """The worker's settings name a Redis broker."""
    tasks.celery.conf.lagebild_settings = dataclasses.replace(tasks.settings(), broker_url="redis://127.0.0.1:6379/14")
    return batches


@pytest.mark.parametrize("fails", [False, True])
def test_a_batch_takes_its_mates_messages_out_of_a_redis_queue(api, on_redis, noted, monkeypatch, fails):
    """Once their starts are committed; a Redis that does not answer costs nothing but the copies."""
    queue = _Queue(api, fails=fails)
    monkeypatch.setattr(tasks, "_queue", lambda: queue)
    jobs = _submit_all(api)
    assert on_redis(jobs[1]) == 1
    assert queue.asked == [[jobs[0], jobs[2]]]  # the batch-mates, never the message's own job
    assert [noted.holds(job_id) for job_id in jobs] == [True, False, True, False]  # fetched copies are dropped
    assert [api.job(job_id)["status"] for job_id in jobs] == ["succeeded", "succeeded", "succeeded", "queued"]
    assert on_redis(jobs[3]) == 1 and queue.asked == [[jobs[0], jobs[2]]]  # alone: nothing to take out


def test_a_batch_takes_its_mates_messages_out_of_the_file_system_queue(api, batches, settings, noted):
    """The embedded queue: the batch-mates' message files are removed, the others stay."""
    folder = message_folder(settings)
    jobs = _submit_all(api)

    def waiting() -> list[str]:  # (the folder is the module's: earlier tests' messages wait there too)
        named = {file_queue._job_of(path.read_bytes()) for path in folder.iterdir()}
        return [job_id for job_id in jobs if job_id in named]
    assert waiting() == jobs
    assert batches(jobs[1]) == 1
    assert waiting() == [jobs[1], jobs[3]]  # its own message is the one this run stands for
    assert [noted.holds(job_id) for job_id in jobs] == [True, False, True, False]
