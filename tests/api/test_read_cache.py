"""Stored versions served from memory (service/read_cache.py): no query while fresh, 304 from
memory, never another tenant's bytes, deleted articles gone, `latest` never stale."""
from __future__ import annotations

import contextlib
import time

import pytest
from sqlalchemy import event

from service.app import create_app
from service.read_cache import Entry, VersionCache
from tests.api.conftest import SAMPLE, keyed_client


@pytest.fixture
def done(api, run_job) -> dict:
    article = api.submit(SAMPLE, published_at="2024-10-16")
    assert run_job(article["job"]["id"]) == 1
    return article


@pytest.fixture
def clock(app, monkeypatch):
    """The version cache's clock, moved by hand (seconds)."""
    now = [5000.0]
    monkeypatch.setattr(app.extensions["lagebild_versions"], "clock", lambda: now[0])
    return now


@contextlib.contextmanager
def counted_queries(app):
    """The SQL statements the app sends while the block runs."""
    statements: list[str] = []
    engine = app.extensions["lagebild_db"].engine

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def version_url(article, version=1) -> str:
    return f"/v1/articles/{article['id']}/extractions/{version}"


def test_a_read_version_is_served_and_revalidated_without_a_query(app, client, done, clock):
    first = client.get(version_url(done))
    etag = first.headers["ETag"]
    with counted_queries(app) as statements:
        again = client.get(version_url(done))
        not_modified = client.get(version_url(done), headers={"If-None-Match": etag})
    assert statements == []
    assert again.status_code == 200 and again.data == first.data and again.headers["ETag"] == etag
    assert not_modified.status_code == 304 and not_modified.data == b"" and not_modified.headers["ETag"] == etag


def test_after_the_window_one_small_query_confirms_the_article(app, client, done, clock):
    etag = client.get(version_url(done)).headers["ETag"]
    clock[0] += app.config["LAGEBILD"].read_cache_seconds + 0.1
    with counted_queries(app) as statements:
        assert client.get(version_url(done), headers={"If-None-Match": etag}).status_code == 304
        assert client.get(version_url(done), headers={"If-None-Match": etag}).status_code == 304
    assert len(statements) == 1 and "extractions" not in statements[0]  # the article, not the document


def test_another_tenant_never_gets_the_cached_bytes(app, client, client_of, done, problem):
    etag = client.get(version_url(done)).headers["ETag"]
    other = client_of("tenant-b")
    problem(other.get(version_url(done)), 404, "not-found")
    problem(other.get(version_url(done), headers={"If-None-Match": etag}), 404, "not-found")
    problem(other.get(version_url(done, "latest")), 404, "not-found")
    assert client.get(version_url(done), headers={"If-None-Match": etag}).status_code == 304


def test_a_deleted_article_is_gone_at_once_in_the_deleting_process(client, done, problem, clock):
    etag = client.get(version_url(done)).headers["ETag"]
    assert client.delete(f"/v1/articles/{done['id']}").status_code == 204
    problem(client.get(version_url(done)), 404, "not-found")
    problem(client.get(version_url(done), headers={"If-None-Match": etag}), 404, "not-found")


def test_a_deleted_article_is_gone_from_other_processes_within_the_window(app, settings, client, done, problem,
                                                                          clock):
    """A second app on the same database stands for another gunicorn process."""
    etag = client.get(version_url(done)).headers["ETag"]
    other_process = create_app(settings)
    try:
        key = client.environ_base["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
        assert keyed_client(other_process, key).delete(f"/v1/articles/{done['id']}").status_code == 204
        clock[0] += app.config["LAGEBILD"].read_cache_seconds + 0.1
        problem(client.get(version_url(done), headers={"If-None-Match": etag}), 404, "not-found")
        problem(client.get(version_url(done)), 404, "not-found")
    finally:
        other_process.extensions["lagebild_db"].engine.dispose()


def test_latest_follows_a_new_version_at_once(app, client, done, run_job, clock):
    first = client.get(version_url(done, "latest"))
    assert first.headers["Content-Location"].endswith("/extractions/1")
    rerun = client.post(f"/v1/articles/{done['id']}/extractions").get_json()
    assert run_job(rerun["id"]) == 2
    latest = client.get(version_url(done, "latest"), headers={"If-None-Match": first.headers["ETag"]})
    assert latest.status_code == 200 and latest.get_json()["version"] == 2
    assert latest.headers["Content-Location"].endswith("/extractions/2")
    assert latest.headers["ETag"] == client.get(version_url(done, 2)).headers["ETag"] != first.headers["ETag"]
    assert client.get(version_url(done, 1)).get_json()["version"] == 1  # the old version is unchanged


def test_latest_before_the_first_version_is_still_409(api, client, problem):
    article = api.submit(SAMPLE)
    problem(client.get(version_url(article, "latest")), 409, "not-ready")


def test_an_unknown_version_is_404_and_not_kept(app, client, done, problem):
    problem(client.get(version_url(done, 7)), 404, "not-found")
    with counted_queries(app) as statements:
        problem(client.get(version_url(done, 7)), 404, "not-found")
    assert statements


def test_the_cache_keeps_at_most_its_bytes_least_recently_read_first():
    cache = VersionCache(max_bytes=10, recheck_seconds=1, clock=lambda: 0.0)
    for version in (1, 2, 3):
        cache.put(("t", "a", version), Entry(b"xxxx", f'"{version}"'))
    assert cache.get(("t", "a", 1)) == (None, False)  # 12 bytes > 10: the oldest went
    assert cache.get(("t", "a", 2))[0] is not None
    cache.put(("t", "b", 1), Entry(b"yyyy", '"b"'))  # 2 was read last, so 3 goes
    assert cache.get(("t", "a", 3)) == (None, False) and cache.get(("t", "a", 2))[1] is True
    cache.put(("t", "c", 1), Entry(b"z" * 11, '"big"'))  # larger than the whole cache: not kept
    assert cache.get(("t", "c", 1)) == (None, False)
    cache.forget("t", "a")
    assert cache.get(("t", "a", 2)) == (None, False) and cache.get(("t", "b", 1))[0] is not None


def test_only_the_first_reader_after_the_window_checks():
    now = [0.0]
    cache = VersionCache(max_bytes=100, recheck_seconds=1, clock=lambda: now[0])
    cache.put(("t", "a", 1), Entry(b"x", '"1"'))
    assert cache.get(("t", "a", 1))[1] is True
    now[0] = 1.5
    assert cache.get(("t", "a", 1))[1] is False  # this reader checks the article
    assert cache.get(("t", "a", 1))[1] is True  # readers meanwhile do not


def _half_period(app) -> float:
    return app.config["LAGEBILD"].read_cache_seconds / 2 + 0.01


def test_a_deleted_article_is_forgotten_by_the_refresher_and_live_ones_stay_fresh(
        app, settings, client, api, run_job, done, problem, clock):
    cache, refresher = app.extensions["lagebild_versions"], app.extensions["lagebild_refresher"]
    clock[0] += 1000  # the module shares the app: let the refresher drop earlier tests' articles
    refresher.run_once()
    clock[0] -= 1000
    other = api.submit("Der Bundestag tagte am Mittwoch in Berlin.", published_at="2024-10-16")
    assert run_job(other["job"]["id"]) == 1
    etag = client.get(version_url(done)).headers["ETag"]
    kept = client.get(version_url(other)).headers["ETag"]
    other_process = create_app(settings)
    try:
        key = client.environ_base["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
        assert keyed_client(other_process, key).delete(f"/v1/articles/{done['id']}").status_code == 204
    finally:
        other_process.extensions["lagebild_db"].engine.dispose()
    with counted_queries(app) as statements:
        refresher.run_once()
    assert not [s for s in statements if "articles" in s]  # nothing is due yet: no query
    clock[0] += _half_period(app)
    with counted_queries(app) as statements:
        refresher.run_once()
    assert len([s for s in statements if "articles" in s]) == 1  # both articles in one query
    assert [k for k in cache._entries if k[1] == done["id"]] == []  # gone before any request asked
    clock[0] += _half_period(app)  # the read of `other` is now older than the period, its check is not
    with counted_queries(app) as statements:
        assert client.get(version_url(other), headers={"If-None-Match": kept}).status_code == 304
    assert statements == []
    problem(client.get(version_url(done), headers={"If-None-Match": etag}), 404, "not-found")


def test_the_refresher_thread_drops_a_deleted_article_within_the_period(app, settings, client, done):
    """Real time, the real thread: no request is made after the DELETE in the other process."""
    client.get(version_url(done))
    cache, refresher = app.extensions["lagebild_versions"], app.extensions["lagebild_refresher"]
    other_process = create_app(settings)
    try:
        key = client.environ_base["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
        assert refresher.start() and not refresher.start()  # once per process
        assert keyed_client(other_process, key).delete(f"/v1/articles/{done['id']}").status_code == 204
        deleted = time.monotonic()
        while any(k[1] == done["id"] for k in list(cache._entries)) and time.monotonic() - deleted < 5:
            time.sleep(0.02)
        assert time.monotonic() - deleted <= app.config["LAGEBILD"].read_cache_seconds + 0.2
    finally:
        refresher.stop()
        other_process.extensions["lagebild_db"].engine.dispose()
