"""Pass: content in a prepositional object of a cue verb ("Er sprach von einer einseitigen
Schuldzuweisung", "Er wies auf Fehler der Fluglotsen hin", "Aktivisten berichteten von getöteten
Zivilisten"): the object up to the end of the clause is what the subject reported.
"""
from __future__ import annotations

from workers.pipeline.quotes import lexicon
from workers.pipeline.quotes.candidates import Accepted, Candidate
from workers.pipeline.quotes.context import Context
from workers.pipeline.quotes.indirect import reported_candidate
from workers.pipeline.quotes.phrases import has_pos, subject_of_cue

MIN_WORDS = 2


def _prepositions(ctx: Context, k: int) -> tuple[frozenset[str], tuple[str, ...]]:
    """Return the prepositions that open the content of the object cue at token k and the verb's
    particle; (empty, ()) when the token is no such cue."""
    table = lexicon.object_cues()
    for form in lexicon.cue_forms().get(ctx.lower[k], ()):
        preps = table.get((form.verb.lemma, form.verb.particle))
        if preps:
            return preps, () if form.fused else form.verb.particle
    return frozenset(), ()


def _first_comma(ctx: Context, a: int, b: int) -> int:
    """Return the first comma in tokens [a, b) (a relative clause on the object starts there), or b."""
    return next((i for i in range(a, b) if ctx.doc[i].text == ","), b)


def pass_prepositional_objects(ctx: Context, prior: tuple[Candidate, ...]) -> list[Candidate]:
    acc = Accepted(prior)
    doc = ctx.doc
    for sent_i, (s0, s1) in enumerate(ctx.sents):
        if doc[s1 - 1].text == "?":
            continue
        for k in range(s0, s1):
            if acc.cue_used(k) or not ctx.cue_at(k, s1):
                continue
            preps, particle = _prepositions(ctx, k)
            if not preps or has_pos(doc) and doc[k].pos_ not in ("VERB", "AUX"):
                continue  # ("Hinweise auf …" opening a sentence is the noun)
            j = k + 1
            while j < s1 and j - k <= 3 and doc[j].lower_ not in preps and doc[j].is_alpha and doc[j].text[:1].islower() \
                    and doc[j].lower_ not in ctx.cw["preposition"] and doc[j].lower_ not in ctx.cw["article"]:
                j += 1  # "berichteten mehrfach von …" (not "berichtet in ihrer Nachricht von …": the noun's)
            if j >= s1 or doc[j].lower_ not in preps or ctx.in_quote[j] is not None:
                continue
            end = j + 1
            while end < s1 and doc[end].text not in (";", ":") and not (
                    doc[end].text == "," and end + 1 < s1 and (doc[end + 1].lower_ in ctx.cw["lead_conjunction"]
                                                               or ctx.cue_at(end + 1, s1))):
                end += 1
            while end > j and doc[end - 1].is_punct:
                end -= 1
            if particle:  # the closing particle ("hin") is the verb's, not the content's
                if doc[end - 1].lower_ != particle[-1]:
                    continue  # "wies Vorwürfe auf … zurück": another verb of the same stem
                end -= 1
            if len([t for t in doc[j + 1:end] if not t.is_punct]) < MIN_WORDS or acc.taken(j, end):
                continue
            if has_pos(doc) and any(t.pos_ in ("VERB", "AUX") for t in doc[j + 1:end] if t.i < _first_comma(ctx, j, end)):
                continue  # "von den Einsatzkräften bestätigt werden": an agent, no object of the cue
            np = subject_of_cue(doc, k, (s0, s1), ctx.quoted_at)
            acc.add(reported_candidate(ctx, (j, end), np, k, sent_i, "object"))
    return acc.new
