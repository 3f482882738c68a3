"""Quote extraction over a spaCy Doc: direct, indirect and mixed speech with speakers.

The passes run in order over the article, each returning its own candidates (`PASSES`):
1. direct quotes: spans in quotation marks with a frame after them ("…“, sagte X"), before
   them with a colon ("X sagte: „…“"), or none (continuing the last speaker);
2. indirect speech: a cue verb with a dass/ob clause, a Konjunktiv clause or a zu-infinitive,
   before or after the frame ("X sagte, …" / "…, sagte X"); quoted fragments inside make it mixed;
3. verbless attributions: "laut X", "X zufolge", "nach Angaben von X", "…, hieß es";
4. prepositional objects of a cue verb: "X sprach von …", "X wies auf … hin"; a dass-clause after
   an adjective of attitude: "X war sich sicher, dass …";
5. continuations: a following Konjunktiv sentence without its own cue continues the last speaker.

This module runs them (`extract_quotes`); the passes live in `direct`, `indirect`, `markers`,
`objects`, `attitudes` and `continuation`; what they read in `context` (`Context`), what they return in `candidates` (`Candidate`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only the interface is used: .actors, ._spans, .actor_at(start, end)
    from workers.pipeline.actors import ActorIndex
    from workers.pipeline.document import DocumentView
from workers.pipeline.quotes.attitudes import pass_attitudes
from workers.pipeline.quotes.candidates import Candidate
from workers.pipeline.quotes.context import Context
from workers.pipeline.quotes.continuation import pass_continuation
from workers.pipeline.quotes.direct import pass_direct, pass_fragments
from workers.pipeline.quotes.indirect import pass_cue_nouns, pass_indirect, pass_referred_back
from workers.pipeline.quotes.markers import pass_markers
from workers.pipeline.quotes.objects import pass_prepositional_objects
from workers.pipeline.quotes.phrases import word_class

# in this order: a later pass leaves alone what an earlier one took
PASSES = (pass_direct, pass_indirect, pass_markers, pass_cue_nouns, pass_referred_back, pass_fragments,
          pass_prepositional_objects, pass_attitudes, pass_continuation)


def extract_quotes(view: DocumentView, actors: ActorIndex) -> list[dict]:
    """Return schema-v1 quote records for the article, in text order, ids Q1, Q2, ….

    Each record: kind (direct | indirect | mixed), the content span (without quotation marks for
    direct quotes, without the framing clause otherwise), the speaker phrase and its actor, the
    cue (verb or marker) and the addressee actor where the text names one.
    """
    doc = view.doc
    if len(doc) == 0:
        return []
    ctx = Context(view, actors)
    accepted: tuple[Candidate, ...] = ()
    for find in PASSES:  # each pass reads what the earlier ones accepted and returns its own
        accepted += tuple(find(ctx, accepted))
    records = []
    # (Token.children of a Doc without a parse reads unset edges: it crashed the process)
    parsed = doc.has_annotation("DEP")
    for f in sorted(accepted, key=lambda f: f.start):
        if f.end <= f.start:
            continue
        cue = None
        if f.cue is not None:
            span = doc[f.cue[0]:f.cue[1]]
            cue = {"text": span.text, "start": span.start_char, "end": span.end_char}
        speaker = f.speaker
        if speaker and speaker["text"].lower() in word_class("not_speaker") and (
                speaker.get("actor") is None or f.cue is not None and parsed and any(
                    c.dep_ in ("expl", "aux:pass") for c in doc[f.cue[0]].children)):
            speaker = None  # "Es wird davon ausgegangen, dass …": an expletive names no speaker
        records.append({
            "id": f"Q{len(records) + 1}",
            "kind": f.kind,
            "text": ctx.text[f.start:f.end],
            "start": f.start,
            "end": f.end,
            "speaker": speaker,
            "cue": cue,
            "addressee": f.addressee,
        })
    return records
