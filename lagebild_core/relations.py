"""Relations between actors: who acts towards whom in events, who speaks to whom in quotes.

Read from the event and quote indexes (each article's latest extraction), per tenant. An event
relates its sources and targets: the actor as source and the other as target is `outgoing`, the
reverse `incoming`, two sources of one event `joint` (they act together; two targets are not
related by being acted on together). A quote relates its speaker and its addressee: the actor
speaking to the other is `outgoing`, the other speaking to the actor `incoming`.

A relation is one (other actor, via, type, direction): its count of distinct events or quotes,
the first and last **publication date** of the articles they come from (the one date every
item has when the client gave it; an event's own time is often unknown), and the newest
EVIDENCE_PER_RELATION of them as evidence.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import String, and_, case, func, literal, not_, null, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from lagebild_core.store.events import EventParticipant, EventRecord
from lagebild_core.store.quotes import QuoteRecord

EVIDENCE_PER_RELATION = 5
VIAS = ("event", "quote")
SIDES = ("source", "target")


@dataclass
class Evidence:
    article_id: str
    version: int
    item_id: str            # the event's or quote's id in that version ("E7", "Q1")
    published_at: dt.date | None


@dataclass
class Relation:
    other: str              # the other actor's global id
    via: str                # event | quote
    type: str | None        # the PLOVER event type; None for quotes
    direction: str          # outgoing | incoming | joint
    count: int
    first_published_at: dt.date | None
    last_published_at: dt.date | None
    evidence: list[Evidence] = field(default_factory=list)


def _event_pairs(tenant: str, actor: str):
    """One row per (other actor, type, direction, event) the actor takes part in as source or target."""
    me, other = aliased(EventParticipant), aliased(EventParticipant)
    direction = case((and_(me.role == "source", other.role == "target"), "outgoing"),
                     (and_(me.role == "target", other.role == "source"), "incoming"), else_="joint")
    return (select(other.global_id.label("other"), literal("event").label("via"), EventRecord.type.label("type"),
                   direction.label("direction"), EventRecord.seq.label("seq"), EventRecord.article_id,
                   EventRecord.version, EventRecord.event_id.label("item_id"), EventRecord.published_at)
            .select_from(me)
            .join(other, other.event_seq == me.event_seq)
            .join(EventRecord, EventRecord.seq == me.event_seq)
            .where(me.global_id == actor, me.role.in_(SIDES), other.role.in_(SIDES),
                   other.global_id.is_not(None), other.global_id != actor, EventRecord.tenant == tenant,
                   not_(and_(me.role == "target", other.role == "target")))
            .distinct())


def _quote_pairs(tenant: str, actor: str):
    """One row per quote the actor speaks to another actor or is spoken to in."""
    outgoing = QuoteRecord.speaker_global_id == actor
    return (select(case((outgoing, QuoteRecord.addressee_global_id), else_=QuoteRecord.speaker_global_id).label("other"),
                   literal("quote").label("via"), null().cast(String).label("type"),
                   case((outgoing, "outgoing"), else_="incoming").label("direction"), QuoteRecord.seq.label("seq"),
                   QuoteRecord.article_id, QuoteRecord.version, QuoteRecord.quote_id.label("item_id"),
                   QuoteRecord.published_at)
            .where(QuoteRecord.tenant == tenant,
                   or_(and_(outgoing, QuoteRecord.addressee_global_id.is_not(None),
                            QuoteRecord.addressee_global_id != actor),
                       and_(QuoteRecord.addressee_global_id == actor, QuoteRecord.speaker_global_id.is_not(None),
                            QuoteRecord.speaker_global_id != actor))))


def relations(session: Session, actor: str, *, tenant: str, limit: int, via: str | None = None,
              type: str | None = None) -> tuple[list[Relation], bool]:
    """Return the actor's relations, most frequent first (at most `limit`), and whether there are more.

    `via` keeps only event or quote relations, `type` only event relations of that PLOVER type.
    The caller checks that the actor is the tenant's (lagebild_core.actors.get_actor)."""
    parts = []
    if via in (None, "event"):
        parts.append(_event_pairs(tenant, actor) if not type else
                     _event_pairs(tenant, actor).where(EventRecord.type == type))
    if via in (None, "quote") and not type:
        parts.append(_quote_pairs(tenant, actor))
    if not parts:
        return [], False
    pairs = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("pairs")
    key = (pairs.c.other, pairs.c.via, pairs.c.type, pairs.c.direction)
    groups = (select(*key, func.count().label("count"), func.min(pairs.c.published_at).label("first"),
                     func.max(pairs.c.published_at).label("last"))
              .group_by(*key)
              .order_by(func.count().desc(), pairs.c.other, pairs.c.via, pairs.c.type, pairs.c.direction)
              .limit(limit + 1))
    found = [Relation(r.other, r.via, r.type, r.direction, r.count, r.first, r.last) for r in session.execute(groups)]
    more, found = len(found) > limit, found[:limit]
    if found:
        _attach_evidence(session, pairs, key, found)
    return found, more


def _attach_evidence(session: Session, pairs, key, found: list[Relation]) -> None:
    """Give each relation its newest EVIDENCE_PER_RELATION events or quotes."""
    rank = func.row_number().over(partition_by=key, order_by=pairs.c.seq.desc()).label("rank")
    ranked = select(*key, pairs.c.article_id, pairs.c.version, pairs.c.item_id, pairs.c.published_at, rank) \
        .where(pairs.c.other.in_({r.other for r in found})).subquery("ranked")
    wanted = {(r.other, r.via, r.type, r.direction): r for r in found}
    rows = session.execute(select(ranked).where(ranked.c.rank <= EVIDENCE_PER_RELATION)
                           .order_by(ranked.c.rank))
    for row in rows:
        relation = wanted.get((row.other, row.via, row.type, row.direction))
        if relation is not None:
            relation.evidence.append(Evidence(row.article_id, row.version, row.item_id, row.published_at))
