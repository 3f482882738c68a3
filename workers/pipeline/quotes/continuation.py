"""Pass 4, continuations: a following Konjunktiv sentence without its own cue continues the
last speaker's quote.
"""
from __future__ import annotations

from workers.pipeline.quotes.context import Context, Found


def pass_continuation(ctx: Context) -> None:
    doc = ctx.doc
    by_sent = {}
    for f in ctx.found:
        by_sent.setdefault(f.sent, []).append(f)
    last: Found | None = None
    for sent_i, (s0, s1) in enumerate(ctx.sents):
        if sent_i in by_sent:
            last = max(by_sent[sent_i], key=lambda f: f.toks[1])
            continue
        if last is None or sent_i - last.sent > 1:
            last = None
            continue
        end = s1 - 1 if doc[s1 - 1].is_punct else s1
        if doc[s1 - 1].text == "?" or any(ctx.cue_at(k, s1) for k in range(s0, s1)):
            last = None
            continue
        if not any(ctx.is_konj(k, first=True) for k in range(s0, end) if ctx.in_quote[k] is None):
            last = None
            continue
        if last.speaker is None:
            last = None
            continue
        span = ctx.content_span(s0, end)
        if span is None:
            continue
        a, b, sc, ec = span
        if "continuation" in last.tags and last.kind != "direct":
            last.end, last.toks, last.sent = ec, (last.toks[0], b), sent_i
            if ctx.quotes_within(a, b):
                last.kind = "mixed"
            continue
        kind = "mixed" if ctx.quotes_within(a, b) else "indirect"
        f = Found(kind, sc, ec, dict(last.speaker), None, None, (a, b), sent_i, {"continuation"})
        ctx.found.append(f)
        last = f
