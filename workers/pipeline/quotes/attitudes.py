"""Pass: a dass/ob clause after a predicative adjective of attitude ("Die Staatsanwaltschaft war
sich sicher, dass …", "Die Aktivistin zeigte sich besorgt, dass …", "Er hält es für möglich,
dass …"): the clause is what the subject of the adjective's clause holds.
"""
from __future__ import annotations

from workers.pipeline.quotes import lexicon
from workers.pipeline.quotes.candidates import Accepted, Candidate
from workers.pipeline.quotes.context import Context
from workers.pipeline.quotes.indirect import message_end, reported_candidate
from workers.pipeline.quotes.phrases import has_parse, np_at, parse_subject


def _subject(ctx: Context, k: int, s0: int, s1: int) -> tuple[int, int] | None:
    """Return the subject of the clause of the adjective at k: from the parse (the adjective with a
    copula, or the verb it depends on), else the noun phrase opening the sentence."""
    doc = ctx.doc
    if has_parse(doc):
        tok = doc[k]
        np = parse_subject(doc, tok, (s0, s1), ctx.quoted_at)
        if np is None and tok.head.i != tok.i:
            np = parse_subject(doc, tok.head, (s0, s1), ctx.quoted_at)
        if np is not None:
            return np
    np = np_at(doc, s0, k)
    return np if np is not None and np[1] < k and doc[np[1]].text[:1].islower() else None


def pass_attitudes(ctx: Context, prior: tuple[Candidate, ...]) -> list[Candidate]:
    acc = Accepted(prior)
    doc = ctx.doc
    table = lexicon.cue_adjectives()
    for sent_i, (s0, s1) in enumerate(ctx.sents):
        for k in range(s0 + 1, s1 - 3):
            after_fuer = table.get(ctx.lower[k])
            if after_fuer is None or ctx.in_quote[k] is not None or not doc[k].text[:1].islower():
                continue
            if doc[k + 1].text != "," or ctx.lower[k + 2] not in ctx.cw["complementizer"]:
                continue
            if after_fuer and ctx.lower[k - 1] != "für":
                continue
            msg = (k + 2, message_end(ctx, k + 2, s1))
            if msg[1] - msg[0] < 3 or acc.taken(*msg):
                continue
            np = _subject(ctx, k, s0, s1)
            if np is None or np[1] - np[0] == 1 and ctx.lower[np[0]] in ctx.cw["not_speaker"]:
                continue  # "Es ist sicher, dass …": nobody holds it
            acc.add(reported_candidate(ctx, msg, np, k, sent_i, "attitude"))
    return acc.new
