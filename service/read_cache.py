"""The bytes and ETag of stored extraction versions, kept in each API process.

A numbered version never changes (a re-run makes a new one), so its canonical JSON is serialised
once and served from memory afterwards, `If-None-Match` answered with a 304 from memory as well.
Entries are keyed by (tenant, article, version) and filled only after the database returned the
version for that tenant: one tenant can never be given another's bytes.

What can change is whether the article still exists. A DELETE forgets the article's entries in
the process that ran it at once; every other API process (gunicorn runs several, maybe on several
hosts) cannot hear of it without a query, so an entry is served from memory only while its
article was seen to exist within `LAGEBILD_READ_CACHE_SECONDS` (default 1). The process's refresher
(service/refresher.py) confirms all kept articles in one query before that period is over and
forgets the deleted ones, so requests find their article fresh and send no query. Only when the
refresher fell behind does a request confirm its article itself (`domain.latest_version`), or
forget the entry and answer 404. So a deleted article is gone everywhere at most that long (and
one query's time) after its DELETE answered, like a revoked key (service/auth.py); 0: a check on
every request, which still saves loading and serialising the document. (HTTP caches may keep a
numbered version far longer: it is served `immutable`.)

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
from service.refresher import Confirmed, refresh_due

Key = tuple[str, str, int]  # tenant, article id, version


@dataclass(frozen=True)
class Entry:
    body: bytes
    etag: str


class VersionCache:
    """Least recently read entries are dropped beyond `max_bytes`; each article remembers when it
    was last seen to exist and which of its versions are kept (a check confirms all of them)."""

    def __init__(self, max_bytes: int, recheck_seconds: float, clock=time.monotonic):
        self.max_bytes, self.seconds, self.clock = max_bytes, recheck_seconds, clock
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._articles: Confirmed[tuple[str, str], set[int]] = Confirmed(recheck_seconds)
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Key) -> tuple[Entry | None, bool]:
        """(the entry or None, whether its article was seen to exist recently enough to skip a
        check); of the readers that find it too old, only the first is told so
        (service/refresher.py's `Confirmed`)."""
        now = self.clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None, False
            self._entries.move_to_end(key)
            return entry, self._articles.get(key[:2], now)[1]

    def put(self, key: Key, entry: Entry) -> None:
        """Keep `entry`, read from the database just now (so its article exists)."""
        if len(entry.body) > self.max_bytes:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = entry
            self._bytes += len(entry.body)
            now = self.clock()
            versions = self._articles.value(key[:2])
            if versions is None:
                self._articles.put(key[:2], versions := set(), now)
            else:
                self._articles.confirm(key[:2], now)
            versions.add(key[2])
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def seen(self, tenant: str, article_id: str) -> None:
        """The article was just seen to exist."""
        with self._lock:
            self._articles.confirm((tenant, article_id), self.clock())

    def forget(self, tenant: str, article_id: str) -> None:
        """The article is gone: drop its versions."""
        with self._lock:
            self._forget((tenant, article_id))

    def refresh(self, session) -> int:
        """Confirm the articles due in one query (per MAX_BATCH); forget those that are gone."""
        return refresh_due(self._articles, self._lock, self.clock,
                           lambda batch: dict.fromkeys(domain.existing_articles(session, batch)), self._forget)

    def _forget(self, article: tuple[str, str]) -> None:
        for version in list(self._articles.value(article) or ()):
            self._drop((*article, version))

    def _drop(self, key: Key) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self._bytes -= len(entry.body)
        versions = self._articles.value(key[:2])
        versions.discard(key[2])
        if not versions:
            self._articles.pop(key[:2])


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
