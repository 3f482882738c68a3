"""The quote index: one row per quote of each article's latest extraction, for queries across
articles (`GET /v1/quotes`) and for the quote relations between actors (speaker → addressee).

The extraction document stays the source of truth; these rows are rebuilt from it whenever an
article gets a new version (lagebild_core.quotes.index_quotes) and go with the article (CASCADE).
Global ids are the tenant's registry ids (lagebild_core.actors), so every query filters by tenant.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lagebild_core.store.models import Base, tenant_column


class QuoteRecord(Base):
    __tablename__ = "quotes"
    __table_args__ = (
        # the list is newest first per tenant; the actor filters walk their own index in that order
        Index("ix_quotes_tenant_seq", "tenant", "seq"),
        Index("ix_quotes_speaker", "tenant", "speaker_global_id", "seq"),
        Index("ix_quotes_addressee", "tenant", "addressee_global_id", "seq"),
        Index("ix_quotes_published", "tenant", "published_at"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(32), ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    tenant: Mapped[str] = tenant_column(index=False)  # ix_quotes_tenant_seq
    version: Mapped[int] = mapped_column(Integer)
    quote_id: Mapped[str] = mapped_column(String(32))            # "Q1", local to the extraction
    kind: Mapped[str] = mapped_column(String(16))                # direct | indirect | mixed
    text: Mapped[str] = mapped_column(Text)
    text_start: Mapped[int] = mapped_column(Integer)
    text_end: Mapped[int] = mapped_column(Integer)
    search: Mapped[str] = mapped_column(Text)                    # the text folded (registry.ascii_fold)
    cue: Mapped[str | None] = mapped_column(Text)
    speaker_text: Mapped[str | None] = mapped_column(Text)       # the span naming the speaker here
    speaker_actor: Mapped[str | None] = mapped_column(String(32))       # local id ("A2")
    speaker_global_id: Mapped[str | None] = mapped_column(String(200))  # registry id
    addressee_actor: Mapped[str | None] = mapped_column(String(32))
    addressee_global_id: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[dt.date | None] = mapped_column(Date)
