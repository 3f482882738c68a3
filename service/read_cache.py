"""The bytes and ETag of stored extraction versions, kept in each API process.

A numbered version never changes (a re-run makes a new one), so its canonical JSON is serialised
once and served from memory afterwards, `If-None-Match` answered with a 304 from memory as well.
Entries are keyed by (tenant, article, version) and filled only after the database returned the
version for that tenant: one tenant can never be given another's bytes.

What can change is whether the article still exists. A DELETE forgets the article's entries in
the process that ran it at once; every other API process (gunicorn runs several, maybe on several
hosts) cannot hear of it without a query, so an entry is served from memory only while its
article was seen to exist within `LAGEBILD_READ_CACHE_SECONDS` (default 1); after that, one small
query (`domain.latest_version`) confirms it — or forgets the entry and answers 404. So a deleted
article is gone everywhere at most that long (and one query's time) after its DELETE answered, like a revoked key
(service/auth.py); 0 checks on every request, which still saves loading and serialising the
document. (HTTP caches may keep a numbered version far longer: it is served `immutable`.)

`latest` is not immutable: it costs that small query every time, then takes the bytes of the
version it names from here.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app

from lagebild_core import domain
from service.http import db, tenant

Key = tuple[str, str, int]  # tenant, article id, version


@dataclass(frozen=True)
class Entry:
    body: bytes
    etag: str


class _Article:
    """When an article was last seen to exist, and which of its versions are kept."""

    __slots__ = ("seen", "versions")

    def __init__(self, seen: float):
        self.seen, self.versions = seen, set()


class VersionCache:
    """Least recently read entries are dropped beyond `max_bytes`; each article remembers when it
    was last seen to exist (a re-check confirms all its versions)."""

    def __init__(self, max_bytes: int, recheck_seconds: float, clock=time.monotonic):
        self.max_bytes, self.recheck_seconds, self.clock = max_bytes, recheck_seconds, clock
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._articles: dict[tuple[str, str], _Article] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Key) -> tuple[Entry | None, bool]:
        """(the entry or None, whether its article was seen to exist recently enough to skip a check).

        The first reader that finds the article due for a check is told so and takes the check on
        itself: the article counts as seen from then on, so that the readers arriving while its
        query runs are served from memory instead of each sending the same query (under load,
        dozens at every window's end)."""
        now = self.clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None, False
            self._entries.move_to_end(key)
            article = self._articles[key[:2]]
            if now - article.seen < self.recheck_seconds:
                return entry, True
            article.seen = now
        return entry, False

    def put(self, key: Key, entry: Entry) -> None:
        """Keep `entry`, read from the database just now (so its article exists)."""
        if len(entry.body) > self.max_bytes:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = entry
            self._bytes += len(entry.body)
            article = self._articles.setdefault(key[:2], _Article(0.0))
            article.seen = self.clock()
            article.versions.add(key[2])
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def seen(self, tenant: str, article_id: str) -> None:
        """The article was just seen to exist."""
        with self._lock:
            article = self._articles.get((tenant, article_id))
            if article is not None:
                article.seen = self.clock()

    def forget(self, tenant: str, article_id: str) -> None:
        """The article is gone: drop its versions."""
        with self._lock:
            article = self._articles.get((tenant, article_id))
            for version in list(article.versions if article else ()):
                self._drop((tenant, article_id, version))

    def _drop(self, key: Key) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self._bytes -= len(entry.body)
        article = self._articles[key[:2]]
        article.versions.discard(key[2])
        if not article.versions:
            del self._articles[key[:2]]


def stored_version(article_id: str, number: int, *, checked: bool = False) -> Entry:
    """Version `number` of the current tenant's article: from this process's cache while its
    article was seen recently (`checked`: the caller just saw it), else from the database."""
    cache: VersionCache = current_app.extensions["lagebild_versions"]
    key = (tenant(), article_id, number)
    entry, fresh = cache.get(key)
    if entry is not None and not (fresh or checked):
        try:
            domain.latest_version(db().session, article_id, tenant=tenant())
        except domain.NotFound:
            cache.forget(tenant(), article_id)
            raise
        checked = True
    if entry is not None:
        if checked:
            cache.seen(tenant(), article_id)
        return entry
    extraction = domain.get_extraction(db().session, article_id, number, tenant=tenant())
    entry = Entry(domain.canonical_json(extraction.document).encode("utf-8"), extraction.etag)
    cache.put(key, entry)
    return entry


def init_app(app) -> None:
    settings = app.config["LAGEBILD"]
    app.extensions["lagebild_versions"] = VersionCache(settings.read_cache_mb * 1024 * 1024,
                                                       settings.read_cache_seconds)
