"""Pass 4, continuations: a following Konjunktiv sentence without its own cue continues the
last speaker's quote.
"""
from __future__ import annotations

from dataclasses import replace

from workers.pipeline.quotes import lexicon
from workers.pipeline.quotes.candidates import Accepted, Candidate
from workers.pipeline.quotes.context import Context
from workers.pipeline.quotes.phrases import subject_of_cue


def pass_continuation(ctx: Context, prior: tuple[Candidate, ...]) -> list[Candidate]:
    """Return the continuation quotes: one per run of such sentences after a quote or after a sentence
    in which a named speaker speaks without reported content ("Röttgen mahnte zur
    Zurückhaltung. Die Bekanntgabe … solle … vorbehalten bleiben."); a run of several such
    sentences extends the one candidate."""
    acc = Accepted(prior)
    doc = ctx.doc
    by_sent: dict[int, list[Candidate]] = {}
    for f in prior:
        by_sent.setdefault(f.sent, []).append(f)
    last: Candidate | None = None
    for sent_i, (s0, s1) in enumerate(ctx.sents):
        if sent_i in by_sent:
            last = max(by_sent[sent_i], key=lambda f: f.toks[1])
            continue
        end = s1 - 1 if doc[s1 - 1].is_punct else s1
        cues = [k for k in range(s0, s1) if ctx.cue_at(k, s1)]
        if cues or doc[s1 - 1].text == "?":
            last = _speaker_sentence(ctx, cues[0], sent_i) if cues and doc[s1 - 1].text != "?" else None
            continue
        if last is None or sent_i - last.sent > 1:
            last = None
            continue
        if not any(ctx.is_konj(k, first=True) or _plural_stand_in(ctx, k, last) for k in range(s0, end)
                   if ctx.in_quote[k] is None):
            last = None
            continue
        if last.speaker is None:
            last = None
            continue
        span = ctx.content_span(s0, end)
        if span is None:
            continue
        a, b, sc, ec = span
        if "continuation" in last.tags and last.kind != "direct":  # (always this pass's own, the last added)
            last = acc.replace_last(replace(last, end=ec, toks=(last.toks[0], b), sent=sent_i,
                                            kind="mixed" if ctx.quotes_within(a, b) else last.kind))
            continue
        kind = "mixed" if ctx.quotes_within(a, b) else "indirect"
        f = Candidate(kind, sc, ec, dict(last.speaker), None, None, (a, b), sent_i, frozenset({"continuation"}))
        acc.add(f)
        last = f
    return acc.new


def _plural_stand_in(ctx: Context, k: int, last: Candidate) -> bool:
    """Return True when token k is a plural Konjunktiv II that stands in for a Konjunktiv I looking
    like the indicative ("würden", "hätten", "müssten"; konjunktiv_ii.tsv) right after reported
    speech ("…, berichtete X. Mitglieder, die daran teilnähmen, würden verwarnt."), not after a
    prepositional object ("sprechen von 850 Arbeitsplätzen"), which is no reported clause."""
    return (last.kind != "direct" and not last.tags & {"speaker-sentence", "object"}
            and ctx.lower[k] in lexicon.konjunktiv_ii_stand_ins())


def _speaker_sentence(ctx: Context, cue: int, sent_i: int) -> Candidate | None:
    """Return a stand-in for the last quote when sentence `sent_i` has a speech cue (not a
    thought verb) whose subject names a speaker but no reported content: a following
    Konjunktiv I sentence continues that speaker. None when the subject names nobody."""
    if any(f.verb.cls == "thought" for f in lexicon.cue_forms().get(ctx.lower[cue], ())):
        return None
    s0, s1 = ctx.sents[sent_i]
    np = subject_of_cue(ctx.doc, cue, (s0, s1), ctx.quoted_at)
    if np is None or ctx.lower[np[0]] in ctx.cw["not_speaker"]:
        return None
    speaker = ctx.make_speaker(np, ctx.doc[cue].idx)
    if not speaker or not speaker.get("actor"):
        return None
    return Candidate("indirect", 0, 0, speaker, (cue, cue + 1), None, (s0, s0), sent_i, frozenset({"speaker-sentence"}))
