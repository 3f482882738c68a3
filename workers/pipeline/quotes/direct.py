"""Pass 1, direct quotes: spans in quotation marks with a frame after them ("…“, sagte X"),
before them with a colon ("X sagte: „…“") or a comma, in the next sentence ("„…“ Das musste
X einräumen."), or none (continuing the last speaker); and quoted fragments in a clause with
a cue verb (`pass_fragments`).
"""
from __future__ import annotations

from workers.pipeline.document import entities
from workers.pipeline.quotes import lexicon
from workers.pipeline.quotes.candidates import Accepted, Candidate
from workers.pipeline.quotes.context import Context
from workers.pipeline.quotes.phrases import PERSON_LABELS, finite_of, np_after_verb, np_at, subject_of_cue

MIN_SENTENTIAL_WORDS = 4


def _after_frame(ctx: Context, te: int, whole: bool = False) -> tuple[int, int] | None:
    """Return (cue token, frame end) for a frame right after a quote ending at token te.

    `whole`: the quote opens its sentence, so a frame may follow even without the comma
    ("„… bei uns“ wird der Franzose zitiert")."""
    doc = ctx.doc
    k = te
    if k < len(doc) and doc[k].text == ",":
        k += 1
    elif whole and k < len(doc) and doc[k].text[:1].islower() and ctx.sent_of[k] == ctx.sent_of[te - 1] \
            and doc[k - 1].idx > 0 and ctx.text[doc[k - 1].idx - 1].isalnum() and ctx.quoted_at(te - 1):
        pass
    elif not (k < len(doc) and doc[k - 1].text in ctx._closing() and doc[k - 1].idx > 0
              and (ctx.text[doc[k - 1].idx - 1] in "?!"
                   # „…, “ betont sie. / „… .“ erklärte X.: the comma or stop inside the marks
                   or ctx.text[doc[k - 1].idx - 1] in ",." and doc[k].text[:1].islower()
                   and (doc[k].lower_ == "so" or ctx.cue_at(k, ctx.sents[ctx.sent_of[k]][1])))):
        return None
    if k >= len(doc):
        return None
    s0, s1 = ctx.sents[ctx.sent_of[k]]
    if doc[k].lower_ == "so" and k + 1 < s1:
        return (k, s1)
    if ctx.cue_at(k, s1):
        return (k, s1)
    if doc[k].lower_ in ctx.cw["aux"]:
        for j in range(k + 1, min(s1, k + 14)):
            if doc[j].text in (",", ";"):
                break
            if ctx.cue_at(j, s1):
                return (j, s1)
    return None


def _frame_end(ctx: Context, k: int, s1: int) -> int:
    """Return where a frame after a quote ends: the sentence end or the next opening mark."""
    for j in range(k, s1):
        if ctx.in_quote[j] is not None and ctx.quoted[ctx.in_quote[j]][1] == j and ctx.quoted_at(j):
            return j  # (a quoted name belongs to the frame: "schrieb „Die Zeit“")
    return s1


def frame_in_next_sentence(ctx: Context, te: int) -> tuple[int, tuple[int, int] | None] | None:
    """Return (cue, subject) when the sentence after a quote ending at token te refers back to it
    with a demonstrative and has a cue verb ("„…“ Das musste Steinbrück einräumen."), else None."""
    doc = ctx.doc
    n = ctx.sent_of[te - 1] + 1
    if n >= len(ctx.sents):
        return None
    s0, s1 = ctx.sents[n]
    if s0 < te or doc[s0].lower_ not in ctx.cw.get("anaphor", ()) or ctx.in_quote[s0] is not None:
        return None
    after = doc[s0 + 1] if s0 + 1 < s1 else None
    if after is None or not after.text[:1].islower() or doc.has_annotation("POS") and after.pos_ not in ("VERB", "AUX"):
        return None  # "Das (russische) Ministerium erklärte …": an article, not the pronoun taking the quote up
    for k in range(s0 + 1, s1):
        if ctx.in_quote[k] is not None or doc[k].text in (",", ";", ":"):
            return None
        if ctx.cue_at(k, s1):
            np = subject_of_cue(doc, k, (s0, s1), ctx.quoted_at)
            if np is None or np[0] == s0:  # the pronoun is the object: the subject follows the verb
                np = np_after_verb(doc, finite_of(doc, k, s0) + 1, s1)
            return (k, np)
    return None


def pass_fragments(ctx: Context, prior: tuple[Candidate, ...]) -> list[Candidate]:
    """Quoted fragments in a clause with a cue verb ("nannte die Zahlen „aus der Luft gegriffen“").

    A fragment becomes a direct quote of the cue's subject unless it is already part of a quote,
    reads as a title or name (right after a capitalised noun: das Raumschiff „Shenzhou 6“) or is
    marked as a term ("so genannte „…“"), or its clause has no cue verb.
    """
    acc = Accepted(prior)
    doc = ctx.doc
    for q, ts, te in ctx.quoted:
        if any(f.toks[0] <= ts and te <= f.toks[1] for f in acc.all):
            continue
        if acc.taken(ts, te):
            continue
        words = ctx.text[q.inner_start:q.inner_end].split()
        if not words:
            continue
        prev = doc[ts - 1] if ts > 0 else None
        if len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() for w in words) \
                and not (prev is not None and prev.lower_ in ctx.cw["indefinite_article"]):
            continue  # a name or title: „Berliner Zeitung“, „documenta 12“ (not "eine „Verhöhnung Polens“")
        s0, s1 = ctx.sents[ctx.sent_of[ts]]
        if prev is not None and prev.i > s0 and prev.text[:1].isupper() and not prev.is_punct and words[0][:1].isupper():
            continue  # a name after its noun: das Raumschiff „Shenzhou 6“ (not: nannte die Zahlen „aus der …“)
        if prev is not None and prev.lower_ in lexicon.term_markers():
            continue
        if len(words) <= 2 and prev is not None and prev.lower_ in ctx.cw["genitive_determiner"] and ts >= 2 \
                and doc[ts - 2].text[:1].isupper() and not doc[ts - 2].is_punct:
            continue  # a scare quote in a genitive attribute: "die Umstellung der „maroden Sozialsysteme“"
        if ts >= 2 and f"{doc[ts - 2].lower_} {doc[ts - 1].lower_}" in lexicon.term_markers():
            continue
        # the clause around the fragment: between the nearest commas/colons outside quotes
        a = ts
        while a > s0 and not (doc[a - 1].text in (",", ";", ":") and ctx.in_quote[a - 1] is None):
            a -= 1
        b = te
        while b < s1 and not (doc[b].text in (",", ";", ":") and ctx.in_quote[b] is None):
            b += 1
        cues = [k for k in range(a, b) if ctx.in_quote[k] is None and ctx.cue_at(k, s1)
                and lexicon.cue_forms()[doc[k].lower_][0].verb.cls != "thought"]
        if not cues:
            continue
        cue = cues[0]
        np = subject_of_cue(doc, cue, (s0, s1), ctx.quoted_at)
        if np is None or np[0] < te and ts < np[1]:
            continue  # (no speaker, or the fragment is the subject: "Die „…“ wird in Peking gelobt")
        kind, sc, ec, toks = "direct", q.inner_start, q.inner_end, (ts, te)
        content = _fragment_content(ctx, cue, np, (a, b), (ts, te))
        if content is not None:
            kind, toks, sc, ec = "mixed", content[:2], content[2], content[3]
        acc.add(Candidate(kind, sc, ec, ctx.resolver.speaker(*np), (cue, cue + 1),
                      None, toks, ctx.sent_of[ts], frozenset({"fragment"})))
    return acc.new


def _fragment_content(ctx: Context, cue: int, np: tuple[int, int], clause: tuple[int, int],
                      frag: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """Return the reported content around a quoted fragment in the clause of its cue verb, as
    (start token, end token, start char, end char), or None when it is the fragment alone.

    After the cue, the content is the rest of the clause without an inverted subject and before
    a coordinated cue ("bewertete den Einsatz als „…“ und unterstrich"; "Er sprach von einem
    „…“ in dem Nachbarland"). Before a clause-final cue the fragment stays alone ("hat die
    Beziehungen als „sehr beunruhigend“ bezeichnet": the words are the quote).
    """
    a, b = clause
    ts, te = frag
    if cue > ts:
        return None  # a clause-final cue labels the fragment: "als „sehr beunruhigend“ bezeichnet"
    start, end = cue + 1, b
    if cue + 1 <= np[0] <= cue + 2 and np[1] <= ts:
        start = np[1]  # "sagte der Minister …": the subject is not content
    for j in range(te, b):
        if ctx.in_quote[j] is None and ctx.lower[j] in ctx.cw["lead_conjunction"] \
                and any(ctx.cue_at(k, b) for k in range(j + 1, min(b, j + 3))):
            end = j
            break
    span = ctx.content_span(start, end)
    if span is None:
        return None
    s, e = span[0], span[1]
    if not (s <= ts and te <= e) or e - s - (te - ts) < 2:
        return None
    return span


def pass_direct(ctx: Context, prior: tuple[Candidate, ...]) -> list[Candidate]:
    acc = Accepted(prior)
    doc = ctx.doc
    prev_frame_end = -1
    for n, (q, ts, te) in enumerate(ctx.quoted):
        inner = ctx.text[q.inner_start:q.inner_end]
        words = [w for w in inner.split() if any(ch.isalnum() for ch in w)]
        if not words or ts < prev_frame_end:
            continue  # (a quoted name inside the frame of the quote before: "im Fachblatt „La Gazetta dello Sport“")
        sent_i = ctx.sent_of[ts]
        s0, _ = ctx.sents[sent_i]
        clause_start = max(s0, prev_frame_end)
        lead = [k for k in range(clause_start, ts) if not doc[k].is_punct and not doc[k].is_space]
        after_colon = bool(lead) and ts > 0 and doc[ts - 1].text == ":"
        frame = _after_frame(ctx, te, whole=not lead or after_colon)
        if frame:
            cue, end = frame
            end = _frame_end(ctx, cue, end)
            if doc[cue].lower_ == "so":
                np = np_at(doc, cue + 1, end)
            else:
                np = subject_of_cue(doc, cue, (te + (doc[te].text == ","), end), ctx.quoted_at)
            kind = "direct"
            start_tok = ts
            if lead and not after_colon and not (len(lead) == 1 and doc[lead[0]].lower_ in ctx.cw["lead_conjunction"]):
                kind, start_tok = "mixed", clause_start
            span = ctx.content_span(start_tok, te)
            if span is None:
                continue
            a, b, sc, ec = span
            if kind == "direct":
                sc, ec = q.inner_start, q.inner_end
            speaker = ctx.make_speaker(np, doc[cue].idx)
            acc.add(Candidate(kind, sc, ec, speaker, (cue, cue + 1), ctx.addressee(cue, end, cue), (a, b), sent_i, frozenset({"frame-after"})))
            prev_frame_end = end
            continue
        before = ts - 1
        if before >= 0 and doc[before].text == ":" and not lead[-1:] == [before]:
            fs = max(ctx.sents[ctx.sent_of[before]][0], prev_frame_end)
            cues = [k for k in range(fs, before) if ctx.cue_at(k, before + 1)]
            np = None
            cue_tok = None
            if cues and ctx.document_source(fs, before) is not None:
                cues = []  # "Auf der Homepage heißt es, warum man sich entschieden hat:": the document
            if cues:
                cue_tok = cues[-1]
                np = subject_of_cue(doc, cue_tok, (fs, before), ctx.quoted_at)
            elif ctx.document_source(fs, before) is not None:
                np = ctx.document_source(fs, before)  # "Auf der Homepage heißt es: „…“"
            else:
                np = ctx.clause_subject(fs, before, named=True)
                owner = np_at(doc, fs, before)
                if np is None and owner and ctx.owned_thing(owner):
                    np = owner  # "Seine Meinung zu Kirchhof: „…“"
                if np is None:  # "Den Unmut der CDU brachte die Sprecherin, Annette Widmann-Mauz, zum Ausdruck:"
                    ents = [e for e in entities(doc) if e.start >= fs and e.end <= before]
                    ents = [e for e in ents if e.label_ in PERSON_LABELS] or ents
                    np = (ents[0].start, ents[0].end) if ents else (np_at(doc, fs, before) or ctx.clause_subject(fs, before))
            if cues or np:
                speaker = ctx.make_speaker(np, q.start)
                acc.add(Candidate("direct", q.inner_start, q.inner_end, speaker,
                              (cue_tok, cue_tok + 1) if cue_tok is not None else None,
                              ctx.addressee(fs, before, cue_tok), (ts, te), ctx.sent_of[te - 1], frozenset({"frame-colon"})))
                prev_frame_end = te
                continue
        if before >= 1 and doc[before].text == "," and prev_frame_end == ts and acc.last is not None:
            # „A“, sagte X, „B“: the second part continues the frame of the first
            last = acc.last
            acc.add(Candidate("direct", q.inner_start, q.inner_end, dict(last.speaker) if last.speaker else None,
                          last.cue, last.addressee, (ts, te), ctx.sent_of[te - 1], frozenset({"frame-inside"})))
            prev_frame_end = te
            continue
        if before >= 1 and doc[before].text == "," and not any(f.toks[0] <= ts < f.toks[1] for f in acc.all):
            fs = max(ctx.sents[ctx.sent_of[before]][0], prev_frame_end)
            cues = [k for k in range(fs, before) if ctx.cue_at(k, before + 1)]
            if cues and before - cues[-1] <= 6:
                cue_tok = cues[-1]
                np = subject_of_cue(doc, cue_tok, (fs, before), ctx.quoted_at)
                acc.add(Candidate("direct", q.inner_start, q.inner_end, ctx.make_speaker(np, q.start), (cue_tok, cue_tok + 1),
                              ctx.addressee(fs, before, cue_tok), (ts, te), ctx.sent_of[te - 1], frozenset({"frame-comma"})))
                prev_frame_end = te
                continue
        # no frame: a whole sentence (or more) in quotation marks continues the last speaker
        sentential = (len(words) >= MIN_SENTENTIAL_WORDS and inner.lstrip()[:1].isupper()
                      and (inner.rstrip()[-1:] in ".!?…" or te >= ctx.sents[ctx.sent_of[te - 1]][1] - 1)
                      and not lead)
        if sentential and q.level == "double":
            frame = frame_in_next_sentence(ctx, te)
            if frame is not None:  # „…“ Das musste Steinbrück einräumen.
                cue, np = frame
                acc.add(Candidate("direct", q.inner_start, q.inner_end, ctx.make_speaker(np, doc[cue].idx), (cue, cue + 1),
                              None, (ts, te), ctx.sent_of[te - 1], frozenset({"frame-next"})))
                prev_frame_end = ctx.sents[ctx.sent_of[cue]][1]
                continue
            last = acc.last
            near = last is not None and ctx.sent_of[ts] - last.sent <= 2
            speaker = None
            prev = ctx.sent_of[ts] - 1
            if prev >= 0 and not any(f.sent == prev for f in acc.all) and (last is None or last.sent < prev):
                # the sentence before introduces the speaker without a cue: "X verurteilte die Haltung …"
                p0, p1 = ctx.sents[prev]
                np = ctx.clause_subject(p0, p1, named=True)
                if np is not None:
                    speaker = ctx.resolver.speaker(*np)
            if speaker is None:
                last_speaker = ctx.resolver.last_speaker(q.start)
                speaker = dict(last_speaker) if (near and last_speaker) else ctx.resolver.elided(q.start)
            acc.add(Candidate("direct", q.inner_start, q.inner_end, speaker, None, None, (ts, te), ctx.sent_of[te - 1], frozenset({"continued"})))
    return acc.new
