"""Quotes across articles: the index of each article's latest extraction's quotes and its queries.

`index_quotes` is called by `domain.store_extraction` once a version is stored (after the actor
registry has given the document's actors their global ids); `list_quotes` answers
`GET /v1/quotes`. Like the domain functions, both take an open session and leave committing to
the caller.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lagebild_core import registry
from lagebild_core.pagination import check_date_range, decode_cursor, page
from lagebild_core.store.models import Extraction
from lagebild_core.store.quotes import QuoteRecord
from lagebild_core.store.registry import RegistryActor
from lagebild_core.text_search import contains

KINDS = ("direct", "indirect", "mixed")


def quote_rows(tenant: str, article_id: str, version: int, document: dict) -> list[dict]:
    """Return the index rows (column → value) of a stored document's quotes, in document order.

    Pure: the migration that indexes the versions stored before the index existed uses it too."""
    actors = {a["id"]: a for a in document.get("actors") or []}
    published = document.get("published_at")
    published_at = dt.date.fromisoformat(published[:10]) if published else None
    rows = []
    for quote in document.get("quotes") or []:
        speaker = quote.get("speaker") or {}
        addressee = quote.get("addressee")
        rows.append({
            "article_id": article_id, "tenant": tenant, "version": version, "quote_id": quote["id"],
            "kind": quote.get("kind") or "direct", "text": quote.get("text") or "",
            "text_start": quote.get("start") or 0, "text_end": quote.get("end") or 0,
            "search": registry.ascii_fold(quote.get("text") or ""),
            "cue": (quote.get("cue") or {}).get("text"),
            "speaker_text": speaker.get("text"),
            "speaker_actor": speaker.get("actor"),
            "speaker_global_id": (actors.get(speaker.get("actor")) or {}).get("global_id"),
            "addressee_actor": addressee,
            "addressee_global_id": (actors.get(addressee) or {}).get("global_id"),
            "published_at": published_at,
        })
    return rows


def superseded(session: Session, article_id: str, version: int) -> bool:
    """True when the article has a stored version newer than `version`: its index rows stay
    (also when that newer version has no quotes or relations at all)."""
    newest = session.scalar(select(func.max(Extraction.version)).where(Extraction.article_id == article_id))
    return newest is not None and newest > version


def index_quotes(session: Session, tenant: str, article_id: str, version: int, document: dict, *,
                 newest: bool = False, first: bool = False) -> int:
    """Make the index hold the quotes of `document` (version `version` of the article).

    Rows of older versions are replaced; a version older than the article's newest stored one
    leaves the index alone (also when the newest has no quotes; `newest`: the caller knows it is
    the newest; `first`: the article had no version before, so there is nothing to replace).
    Returns the number indexed."""
    if not newest and superseded(session, article_id, version):
        return 0
    if not first:
        session.execute(delete(QuoteRecord).where(QuoteRecord.article_id == article_id))
    return index_new_quotes(session, tenant, [(article_id, version, document)])


def index_new_quotes(session: Session, tenant: str, articles: list[tuple[str, int, dict]]) -> int:
    """Index the quotes of (article id, version, document) of articles that have no indexed quotes
    (a first version), in one statement; return the number indexed."""
    rows = [row for article_id, version, document in articles
            for row in quote_rows(tenant, article_id, version, document)]
    if rows:
        session.execute(QuoteRecord.__table__.insert(), rows)
    return len(rows)


def list_quotes(session: Session, *, tenant: str, limit: int, cursor: str | None = None, actor: str | None = None,
                addressee: str | None = None, speaker: str | None = None, q: str | None = None,
                kind: str | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None,
                article: str | None = None) -> tuple[list[QuoteRecord], str | None]:
    """Return one page of the tenant's indexed quotes, newest first, and the cursor of the next page.

    `actor`/`addressee`: global ids of the speaker / the actor spoken to. `speaker`: part of any
    spelling of the speaker's registry name or of the words naming the speaker in the article;
    `q`: part of the quote's text (both case- and accent-insensitive). `date_from`/`date_to`:
    the article's publication date (quotes of articles without one are left out by a range).
    """
    check_date_range(date_from, date_to)
    query = select(QuoteRecord).where(QuoteRecord.tenant == tenant).order_by(QuoteRecord.seq.desc()).limit(limit + 1)
    if cursor:
        query = query.where(QuoteRecord.seq < decode_cursor(cursor))
    if actor:
        query = query.where(QuoteRecord.speaker_global_id == actor)
    if addressee:
        query = query.where(QuoteRecord.addressee_global_id == addressee)
    if speaker:
        named = select(RegistryActor.id).where(RegistryActor.tenant == tenant,
                                               RegistryActor.search.like(contains(speaker), escape="\\"))
        query = query.where(QuoteRecord.speaker_global_id.in_(named))
    if q:
        query = query.where(QuoteRecord.search.like(contains(q), escape="\\"))
    if kind:
        query = query.where(QuoteRecord.kind == kind)
    if date_from:
        query = query.where(QuoteRecord.published_at >= date_from)
    if date_to:
        query = query.where(QuoteRecord.published_at <= date_to)
    if article:
        query = query.where(QuoteRecord.article_id == article)
    return page(list(session.scalars(query)), limit, lambda r: r.seq)

