"""Pass 3, verbless attributions: "laut X", "X zufolge", "nach Angaben von X", "Seiner
Meinung nach", "nach ersten Informationen", "…, hieß es", "…, so X".
"""
from __future__ import annotations

from workers.pipeline.quotes import lexicon
from workers.pipeline.quotes.candidates import Accepted, Candidate
from workers.pipeline.quotes.context import Context
from workers.pipeline.quotes.indirect import reported_candidate
from workers.pipeline.quotes.phrases import has_parse, np_after_verb, np_at, source_owner_end


def _match_words(ctx: Context, k: int, words: tuple[str, ...], s1: int) -> bool:
    if k + len(words) > s1 or ctx.lower[k] != words[0]:
        return False
    return all(ctx.lower[k + j] == w for j, w in enumerate(words))


def _np_before(ctx: Context, k: int, s0: int) -> tuple[int, int] | None:
    """Return the noun phrase that ends right before token k ("dem Bericht" zufolge)."""
    doc = ctx.doc
    for start in range(max(s0, k - 8), k):
        if doc[start].is_punct:
            continue
        np = np_at(doc, start, k)
        if np and np[1] == k:
            return np
    return None


def _marker_clause(ctx: Context, k: int, s0: int, end: int) -> tuple[int, int]:
    """Return the content around a marker inside a sentence: the clause the marker belongs to
    ("…, da nach Angaben der Fluggesellschaft die Genehmigung zu spät beantragt worden war"),
    read from the parse; the whole sentence when the marker is in the main clause."""
    doc = ctx.doc
    if not has_parse(doc):
        return (s0, end)
    tok = doc[k]
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ in ("advcl", "acl", "acl:relcl", "ccomp"):
            a, b = tok.left_edge.i, tok.right_edge.i + 1
            if s0 <= a < b <= end + 1 and b - a >= 3 and not a <= s0 + 1:
                return (a, min(b, end))
            return (s0, end)
        if tok.dep_ == "ROOT" or tok.head.i == tok.i:
            return (s0, end)
        tok = tok.head
    return (s0, end)


def pass_markers(ctx: Context, prior: tuple[Candidate, ...]) -> list[Candidate]:
    acc = Accepted(prior)
    doc = ctx.doc
    mk = lexicon.markers()
    first = lexicon.markers_by_first()  # (trying every pattern at every token was most of this pass)
    for sent_i, (s0, s1) in enumerate(ctx.sents):
        end = s1 - 1 if doc[s1 - 1].is_punct else s1
        done = doc[s1 - 1].text == "?"  # a question ("Welche … sind Ihrer Meinung nach …?") reports nothing
        for k in range(s0, s1):
            if done or ctx.in_quote[k] is not None:
                continue
            for words in first.get("before", {}).get(ctx.lower[k], ()):
                if not _match_words(ctx, k, words, s1):
                    continue
                j = k + len(words)
                if words[0] == "wonach":
                    np = _np_before(ctx, k - 1 if k > s0 and doc[k - 1].text == "," else k, s0)
                    msg = (j, end)
                else:
                    if j < s1 and doc[j].lower_ == "von" and words[-1] != "laut":
                        j += 1
                    owner_end = source_owner_end(doc, (k + 1, k + len(words)), s1) if len(words) > 1 else j
                    if "eigenen" in words:
                        np = np_at(doc, s0, k) if k > s0 else None
                    elif owner_end > j == k + len(words) and doc[j].lower_ not in ctx.cw["genitive"]:  # "nach Angaben aus Moskau"
                        np = (k + 1, owner_end)
                    else:
                        np = np_at(doc, j, s1) if doc[j].lower_ not in ("des", "der") else np_at(doc, j, s1)
                        if np is None and j < s1:
                            np = np_after_verb(doc, j, s1)
                        if np is None and len(words) == 1 and words[0] in ctx.cw["preposition"]:
                            continue  # "wurde Kritik laut.": an adjective, not the preposition "laut X"
                        if np is not None:  # "laut Angaben aus Moskau": the owner of the source speaks
                            np = (np[0], source_owner_end(doc, np, s1))
                    np_end = np[1] if np and (np[0] >= j or np[1] > j) else j
                    if k == s0 or (k == s0 + 1 and doc[s0].is_punct):
                        msg = (np_end, end)
                    elif np_end >= end - 0 or (np_end < s1 and doc[np_end].text in (",",) and np_end + 1 >= end):
                        msg = (s0, k)
                    else:
                        msg = _marker_clause(ctx, k, s0, end)
                if msg[1] - msg[0] < 3 or acc.taken(*msg):
                    continue
                if np:
                    spk = ctx.resolver.speaker(*np)
                else:  # "nach eigenen Angaben", "demnach": the marker phrase stands for the source
                    spk = ctx.resolver.elided(doc[k].idx)
                    phrase = doc[k + (1 if words[0] == "nach" and len(words) > 1 else 0):k + len(words)]
                    if spk is not None:
                        spk = dict(spk, text=phrase.text, start=phrase.start_char, end=phrase.end_char)
                    else:
                        spk = {"actor": None, "text": phrase.text, "start": phrase.start_char, "end": phrase.end_char}
                acc.add(reported_candidate(ctx, msg, None, None, sent_i, "marker", speaker=spk, cue_span=(k, k + len(words)) if words[0] != "nach" else (k, j)))
                done = True
                break
            if done:
                break
            for words in first.get("after", {}).get(ctx.lower[k], ()):
                if not _match_words(ctx, k, words, s1):
                    continue
                np = _np_before(ctx, k, s0)
                if np is None:
                    continue
                if np[0] <= s0 + 1:
                    msg = (k + len(words), end)
                elif k + len(words) >= end:
                    msg = (s0, np[0])
                else:
                    msg = _marker_clause(ctx, k, s0, end)
                if msg[1] - msg[0] < 3 or acc.taken(*msg):
                    continue
                spk = ctx.resolver.speaker(*np)
                acc.add(reported_candidate(ctx, msg, None, None, sent_i, "marker", speaker=spk, cue_span=(k, k + len(words))))
                done = True
                break
            if done:
                break
            if doc[k].lower_ == "nach" and k > s0 and doc[k - 1].lower_ in {w[0] for w in mk.get("postnach", ())}:
                head = k - 1
                np = (head - 1, head) if head - 1 >= s0 and doc[head - 1].lower_ in lexicon.pronouns() or (head - 1 >= s0 and doc[head - 1].lower_ in ctx.cw["possessor"]) else _np_before(ctx, head + 1, s0)
                if head - 1 >= s0 and doc[head - 1].lower_ in ctx.cw["possessor"]:
                    np = None  # "Seiner Meinung nach": the possessor is the last speaker
                start = np[0] if np else max(s0, head - 1)
                if start <= s0 + 1:
                    msg = (k + 1, end)
                elif k + 1 >= end:
                    msg = (s0, start)
                else:
                    msg = _marker_clause(ctx, k, s0, end)
                if msg[1] - msg[0] >= 3 and not acc.taken(*msg):
                    if np:
                        spk = ctx.resolver.speaker(*np)
                    else:  # "Seiner Meinung nach": the phrase names the source, the actor is in context
                        phrase = doc[max(s0, head - 1):head + 1]
                        spk = dict(ctx.resolver.elided(doc[k].idx) or {"actor": None},
                                   text=phrase.text, start=phrase.start_char, end=phrase.end_char)
                    acc.add(reported_candidate(ctx, msg, None, None, sent_i, "marker", speaker=spk, cue_span=(head, k + 1)))
                    done = True
                    break
            if doc[k].lower_ == "nach" and _nach_source(ctx, k, s1) is not None:
                src_end = _nach_source(ctx, k, s1)
                np = (k + 1, src_end)
                if k <= s0 + 1:
                    msg = (src_end, end)
                elif src_end >= end:
                    msg = (s0, k)
                else:
                    msg = _marker_clause(ctx, k, s0, end)
                if msg[1] - msg[0] >= 3 and not acc.taken(*msg):
                    acc.add(reported_candidate(ctx, msg, None, None, sent_i, "marker", speaker=ctx.resolver.speaker(*np), cue_span=(k, k + 1)))
                    done = True
                    break
            for words in first.get("impersonal", {}).get(ctx.lower[k], ()):
                if not _match_words(ctx, k, words, s1):
                    continue
                after = k + len(words)
                if k > s0 and doc[k - 1].text == ",":
                    msg = (s0, k - 1)
                elif after < s1 and doc[after].text == ",":
                    msg = (after + 1, end)
                else:
                    continue
                if msg[1] - msg[0] < 3 or acc.taken(*msg):
                    continue
                # the frame with the marker's own verb: "In dem Bericht heißt es, …", "…, heißt es in dem Bericht"
                frame = (s0, after) if msg[0] > k else (k, end)
                src = ctx.document_source(*frame)
                acc.add(reported_candidate(ctx, msg, None, None, sent_i, "impersonal",
                      speaker=ctx.resolver.speaker(*src) if src is not None else None, cue_span=(k, after)))
                done = True
                break
            if done:
                break
            for words in first.get("so", {}).get(ctx.lower[k], ()):
                if not (_match_words(ctx, k, words, s1) and k > s0 and doc[k - 1].text == ","):
                    continue
                np = np_at(doc, k + 1, s1)
                if np is None or np[1] < end - 0 and doc[np[1]].text not in (",", ".", "!", "?"):
                    # "…, so das Ergebnis einer gestern vorgestellten Studie": a source noun opens it
                    if not (np is not None and any(lexicon.is_source_noun(t.lower_) or t.lower_ in lexicon.cue_nouns()
                                                   for t in doc[np[0]:np[1]] if t.text[:1].isupper())):
                        continue
                msg = (s0, k - 1)
                if acc.taken(*msg):
                    continue
                acc.add(reported_candidate(ctx, msg, None, None, sent_i, "so", speaker=ctx.resolver.speaker(*np), cue_span=(k, k + 1)))
                done = True
                break
    return acc.new


def _nach_source(ctx: Context, k: int, s1: int) -> int | None:
    """Return the end of a source phrase after "nach" at k ("nach ersten Informationen",
    "Nach Schätzungen des Verbandes", "nach einer norwegischen Studie"), or None.

    The phrase is determiners and adjectives, then a noun ending in a source noun of
    `source_nouns.tsv` (compounds too: "Polizeiangaben"), then an optional genitive or
    "von" phrase.
    """
    doc = ctx.doc
    j = k + 1
    while j < s1 and j - k <= 4 and (doc[j].lower_ in ctx.cw["article"] or doc[j].text[:1].islower()
                                      and not doc[j].is_punct and doc[j].lower_ not in ctx.cw["preposition"]):
        j += 1
    if j >= s1 or not doc[j].text[:1].isupper() or not lexicon.is_source_noun(doc[j].lower_):
        return None
    return source_owner_end(doc, (k + 1, j + 1), s1)
