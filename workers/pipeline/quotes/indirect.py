"""Pass 2, indirect speech: a cue verb with a dass/ob clause, a Konjunktiv clause or a
zu-infinitive, before or after the frame ("X sagte, …" / "…, sagte X"), and after a speech
noun ("die Forderung, …"); the reported clause's bounds, the test for reported content and
`reported_candidate`, which turns a message span into a `Candidate` (also used by the marker pass).
"""
from __future__ import annotations

from workers.pipeline.quotes import lexicon
from workers.pipeline.quotes.candidates import Accepted, Candidate
from workers.pipeline.quotes.context import Context
from workers.pipeline.quotes.direct import frame_in_next_sentence
from workers.pipeline.quotes.phrases import (
    apposition_end,
    finite_of,
    has_parse,
    np_after_verb,
    np_at,
    parse_subject,
    subject_of_cue,
)


def _parse_complement(ctx: Context, cue: int, a: int, b: int) -> bool:
    """Return True when the parse makes a verb in [a, b) the clausal complement of the cue.

    Reads an indicative reported clause ("hatte berichtet, 200 Mitarbeiter sollen entlassen
    werden"); only for speech and writing cues, never for thought verbs.
    """
    doc = ctx.doc
    if not has_parse(doc):
        return False
    forms = lexicon.cue_forms().get(doc[cue].lower_)
    if not forms or all(f.verb.cls == "thought" for f in forms):
        return False
    heads = {cue, doc[cue].head.i} if doc[cue].dep_ in ("conj", "xcomp") else {cue}
    for t in doc[a:b]:
        if t.dep_ in ("ccomp", "parataxis") and t.head.i in heads and t.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
            if any(c.dep_ == "nsubj" or c.dep_ == "nsubj:pass" for c in t.children):
                return True
    return False


def _message_after(ctx: Context, cue: int, s1: int, noun: bool = False) -> tuple[int, int] | None:
    """Return the token range of a reported clause after the cue at `cue`, or None.

    `noun`: the cue is a noun ("die Forderung, …"), whose genitive may come before the comma.
    """
    doc = ctx.doc
    k = cue + 1
    while k < s1 and k - cue <= 14:
        tok = doc[k]
        if tok.text in (";",):
            return None
        if ctx.in_quote[k] is not None:
            k = ctx.quoted[ctx.in_quote[k]][2]
            continue
        if tok.text == ":":
            return (k + 1, s1) if k + 1 < s1 and not _own_frame(ctx, k + 1, s1) else None
        if tok.text == ",":
            nxt = doc[k + 1] if k + 1 < s1 else None
            if nxt is None:
                return None
            app = apposition_end(doc, k, s1)
            if app > k + 1 and app < s1 and doc[app].text == "," and k - cue <= 8:
                k = app + 1  # ", Andreas Huber," names the speaker; the message comes after
                continue
            low = nxt.lower_
            if low in ctx.cw["complementizer"]:
                return (k + 1, message_end(ctx, k + 1, s1, cue))
            end = message_end(ctx, k + 1, s1, cue)
            if low in ctx.cw["relative"] and low not in ctx.cw["article"]:
                return None
            if low in ctx.cw["preposition"] and k + 2 < s1 and doc[k + 2].lower_ in ctx.cw["article_relative"] \
                    and _verb_final(ctx, k + 1, end):
                # "sprach von einer Schuldzuweisung, für die keine Beweise vorgelegt worden seien": a relative
                # clause (its verb last), not "…, an der Schließung halte man fest" (verb second)
                return None
            article = has_parse(doc) and nxt.dep_ == "det" and nxt.head.i > k + 1  # "beschloss am Sonntag, der Partei beizutreten"
            if noun:
                end = _zu_clause_end(ctx, k + 1, end)
            if not article and _ends_with_zu(ctx, k + 1, end):
                article = True  # "empfahl dem Gericht, der Klage stattzugeben": no relative clause
            if not article and low in ctx.cw["article_relative"] and k - 1 > cue and doc[k - 1].text[:1].isupper() and not ctx.is_konj(min(k + 2, s1 - 1)):
                # "sagte Putin, der …": a relative clause unless Konjunktiv shows reported speech early
                head_konj = any(ctx.is_konj(j) for j in range(k + 1, min(end, k + 5)))
                if not head_konj:
                    return None
            between = doc[cue + 1:k]
            zu_ok = (noun or not any(t.lower_ in ctx.cw["article"] for t in between)
                     or any(f.verb.lemma in lexicon.zu_object_verbs() for f in lexicon.cue_forms().get(doc[cue].lower_, ())))
            if ctx.clause_signal(k + 1, end, zu=zu_ok):
                return (k + 1, end)
            if not noun and _parse_complement(ctx, cue, k + 1, end):
                return (k + 1, end)
            return None
        if k > cue + 1 and ctx.cue_at(k, s1) and doc[k].text[:1].islower():
            return None
        k += 1
    return None


def _own_frame(ctx: Context, a: int, b: int) -> bool:
    """Return True when tokens [a, b) after a colon hold a speech frame of their own: a cue verb
    whose subject stands after the colon ("Die FDP schloss sich an: Ihr Sprecher X bewertete …
    und unterstrich, dass …"); what follows is that speaker's, not the pre-colon subject's."""
    doc = ctx.doc
    for k in range(a + 1, b):
        if doc[k].text[:1].islower() and ctx.cue_at(k, b):
            np = subject_of_cue(doc, k, (a, b), ctx.quoted_at)
            if np is not None and a <= np[0] < k:
                return True
    return False


def _verb_final(ctx: Context, a: int, b: int) -> bool:
    """Return True when the first Konjunktiv form in tokens [a, b) is their last word."""
    last = b - 1
    while last > a and ctx.doc[last].is_punct:
        last -= 1
    first = next((j for j in range(a, last + 1) if ctx.is_konj(j)), None)
    return first == last


def _ends_with_zu(ctx: Context, a: int, b: int) -> bool:
    """Return True when tokens [a, b) end in a zu-infinitive ("… zu erhöhen", "stattzugeben")."""
    doc = ctx.doc
    while b > a and doc[b - 1].is_punct:
        b -= 1
    if b - a < 2:
        return False
    last = doc[b - 1].lower_
    return lexicon.is_fused_zu_infinitive(last) or (doc[b - 2].lower_ == "zu" and last.endswith(("en", "ern", "eln")))


def _zu_clause_end(ctx: Context, a: int, end: int) -> int:
    """Return the end of a zu-infinitive after a speech noun: the comma after the infinitive
    ("Trotz der Forderung, die Löhne zu erhöhen, blieb …"), unless Konjunktiv comes first."""
    doc = ctx.doc
    for k in range(a, end):
        if ctx.is_konj(k):
            return end
        if doc[k].text == "," and ctx.in_quote[k] is None and _ends_with_zu(ctx, a, k):
            return k
    return end


def message_end(ctx: Context, a: int, s1: int, cue: int | None = None) -> int:
    """Return where a reported clause starting at token a ends: a semicolon, ", und <cue>", or a
    comma before a finite verb the parse coordinates with the cue ("erklärt, er sei unschuldig,
    erkannte … nicht an")."""
    doc = ctx.doc
    for k in range(a, s1):
        if doc[k].text == ";":
            return k
        if doc[k].text == "," and k + 2 < s1 and doc[k + 1].lower_ == "und" and ctx.cue_at(k + 2, s1):
            return k
        if (cue is not None and doc[k].text == "," and k + 1 < s1 and ctx.in_quote[k] is None
                and has_parse(doc) and doc[k + 1].text[:1].islower()
                and doc[k + 1].dep_ == "conj" and doc[k + 1].head.i == cue
                and "Fin" in doc[k + 1].morph.get("VerbForm") and not ctx.is_konj(k + 1)):
            return k
    return s1


def pass_indirect(ctx: Context, prior: tuple[Candidate, ...]) -> list[Candidate]:
    acc = Accepted(prior)
    doc = ctx.doc
    for sent_i, (s0, s1) in enumerate(ctx.sents):
        k = s0
        clause_start = s0
        while k < s1:
            if acc.cue_used(k) or not ctx.cue_at(k, s1):
                k += 1
                continue
            cue = k
            fin = finite_of(doc, cue, s0)
            msg = None
            kind_tag = ""
            # "wie X berichtete": a reporting clause framing the main clause
            wie = _wie_frame(ctx, fin, s0)
            if wie is not None:
                np = np_at(doc, wie + 1, fin)
                if np is None:  # "Wie die in London ansässige Beobachtungsstelle mitteilte": the parse's subject
                    np = subject_of_cue(doc, cue, (wie + 1, cue + 1), ctx.quoted_at) if has_parse(doc) else None
                if np is None and any(doc[j].lower_ == "sich" for j in range(wie + 1, cue)):
                    k = cue + 1  # "Wie sich bald herausstellte, …": the narrator's, nobody reports it
                    continue
                if wie == s0:
                    comma = next((j for j in range(cue, s1) if doc[j].text == ","), None)
                    msg = (comma + 1, s1) if comma else None
                else:
                    msg = (clause_start, wie)
                if msg and not acc.taken(*msg) and not any(f.sent == sent_i for f in acc.all):
                    acc.add(reported_candidate(ctx, msg, np, cue, sent_i, "wie"))
                k = cue + 1
                continue
            after_np = np_after_verb(doc, fin + 1, s1) if fin > s0 and doc[fin - 1].text == "," else None
            bare = fin + 1 < s1 and all(t.is_punct or t.lower_ in lexicon.speaker_stopwords() or
                                        t.lower_ in ctx.cw["preposition"] for t in doc[fin + 1:s1][:1])
            if fin > s0 and doc[fin - 1].text == "," and fin - 1 > clause_start and (after_np or bare and _message_after(ctx, cue, s1) is None):
                colon = max((j for j in range(clause_start, fin - 1) if doc[j].text == ":" and ctx.in_quote[j] is None),
                            default=None)
                msg = (clause_start if colon is None else colon + 1, fin - 1)  # "…: X, Y, sagte": not before the colon
                kind_tag = "frame-after"
                if not _reads_as_message(ctx, *msg, cue=cue):
                    msg = None
                if msg and len([t for t in doc[msg[0]:msg[1]] if not t.is_punct]) < 3:
                    msg = None
            if msg is None:
                msg = _message_after(ctx, cue, s1)
                kind_tag = "frame-before"
            if msg is None or acc.taken(*msg):
                k += 1
                continue
            np = subject_of_cue(doc, cue, (s0, s1), ctx.quoted_at)
            f = acc.add(reported_candidate(ctx, msg, np, cue, sent_i, kind_tag))
            if f and kind_tag == "frame-after":
                clause_start = cue + 1
            k = (f.toks[1] if f and kind_tag == "frame-before" else cue + 1)
    return acc.new


def _wie_frame(ctx: Context, fin: int, s0: int) -> int | None:
    """Return the "wie" opening the reporting clause whose finite verb is at `fin` ("Wie
    US-Präsident Barack Obama nach einem Treffen am Dienstag mitteilte, …"), or None: the word
    opens the sentence or follows a comma, with no other clause boundary up to the verb."""
    doc = ctx.doc
    for j in range(fin - 1, max(s0, fin - 20) - 1, -1):
        if doc[j].text in (",", ";", ":") or ctx.in_quote[j] is not None:
            return None
        if doc[j].lower_ == "wie" and (j == s0 or doc[j - 1].text == ","):
            return j
    return None


def pass_cue_nouns(ctx: Context, prior: tuple[Candidate, ...]) -> list[Candidate]:
    """Indirect speech after a speech noun: "die Forderung, …", "der Ansicht, dass …",
    "die Ankündigung, der Iran werde …" (nouns in `cue_nouns.tsv`).

    The speaker is the noun's genitive or "von" phrase ("die Forderung der Gewerkschaft"), else
    the subject of the noun (copula: "X ist der Ansicht") or of its verb ("X erhob die
    Forderung"), else the speaker in context.
    """
    acc = Accepted(prior)
    doc = ctx.doc
    for sent_i, (s0, s1) in enumerate(ctx.sents):
        for k in range(s0, s1):
            tok = doc[k]
            if ctx.in_quote[k] is not None or not tok.text[:1].isupper() or not lexicon.is_cue_noun(tok.lower_):
                continue
            # "ist zu dem Ergebnis gekommen, dass …", "stellten die Theorie auf, dass …": the verb (or its
            # particle) that closes the clause stands between the noun and the dass-clause
            verb_between = (k + 3 < s1 and doc[k + 1].is_alpha and doc[k + 1].text[:1].islower()
                            and doc[k + 2].text == "," and doc[k + 3].lower_ in ctx.cw["complementizer"])
            if k + 1 >= s1 or doc[k + 1].text not in (",",) and doc[k + 1].lower_ not in ctx.cw["genitive"] \
                    and not verb_between:
                continue
            msg = _message_after(ctx, k, s1, noun=True)
            if msg is None or acc.taken(*msg) or msg[1] - msg[0] < 3:
                continue
            np = None
            if doc[k + 1].lower_ in ctx.cw["genitive"]:
                np = np_at(doc, k + (2 if doc[k + 1].lower_ in ("von", "vom") else 1), msg[0])
            if np is None and verb_between:  # the subject of the verb closing the clause speaks
                np = subject_of_cue(doc, k + 1, (s0, k + 2), ctx.quoted_at)
            if np is None and has_parse(doc):
                np = parse_subject(doc, tok, (s0, s1), ctx.quoted_at)
                if np is None and tok.head.i != tok.i:
                    np = parse_subject(doc, tok.head, (s0, s1), ctx.quoted_at)
            if np is not None and np[0] <= k < np[1]:
                np = None
            acc.add(reported_candidate(ctx, msg, np, k, sent_i, "cue-noun"))
    return acc.new


def _reads_as_message(ctx: Context, a: int, b: int, cue: int | None = None) -> bool:
    """Return True when tokens [a, b) before a ", sagte X" frame can be reported content.

    Not content: a clause opening with a subordinator or a preposition without any Konjunktiv
    ("Da ein Rückflug nicht möglich war, …"), or a subject with its relative clause
    ("Der NDR, der … verantwortlich ist, sagte …").
    """
    doc = ctx.doc
    konj = any(ctx.is_konj(k) for k in range(a, b))
    first = doc[a].lower_
    if cue is not None and has_parse(doc) and not konj:
        # "Sadiq Khan, eines der Parlamentsmitglieder, die den Brief unterschrieben, verurteilte …":
        # the stretch is the cue's subject with its apposition and relative clause
        roots = [t for t in doc[a:b] if not a <= t.head.i < b and not t.is_punct]
        if roots and all(t.dep_ in ("nsubj", "nsubj:pass", "appos") and t.head.i == cue for t in roots):
            return False
        # content is a clause: a verb outside quotation marks, or a quote ("Die Sprecherin, Petra Pau, forderte")
        if not any(t.pos_ in ("VERB", "AUX") for t in doc[a:b]) and not ctx.quotes_within(a, b):
            return False
    else:
        np = np_at(doc, a, b)
        if np is not None and np[1] >= b:
            return False
    main = first in ctx.cw["preposition"] and _verb_second(ctx, a, b)  # "Seit dem 1. Januar müssen …"
    if first in ctx.cw["subordinator"] and not konj and not main:
        return False
    if first in ctx.cw["preposition"] and not konj and not ctx.quotes_within(a, b) and not main:
        return False
    np = np_at(doc, a, b)
    if np and np[1] < b - 1 and doc[np[1]].text == "," and doc[np[1] + 1].lower_ in ctx.cw["relative"]:
        if not konj:
            return False
    return True


def _verb_second(ctx: Context, a: int, b: int) -> bool:
    """Return True when tokens [a, b) open with a phrase and a finite verb before any comma: a
    main clause ("Seit dem 1. Januar müssen Mitglieder …, berichtete X"), not an adverbial
    phrase standing alone ("Nach dem Treffen mit X, sagte Y")."""
    doc = ctx.doc
    if not doc.has_annotation("MORPH"):
        return False
    for k in range(a + 1, b):
        if doc[k].text in (",", ";", ":") or ctx.in_quote[k] is not None:
            return False
        if doc[k].pos_ in ("VERB", "AUX") and "Fin" in doc[k].morph.get("VerbForm"):
            # the finite verb is second, with the clause going on after it (not "Seit er im Amt ist,")
            return k + 2 < b and not doc[k + 1].is_punct and not doc[k + 2].is_punct
    return False


def reported_candidate(ctx: Context, msg: tuple[int, int], np, cue: int | None, sent_i: int, tag: str,
                       speaker=None, cue_span: tuple[int, int] | None = None) -> Candidate | None:
    """Return the candidate for reported content in tokens `msg` (indirect, or mixed/direct when
    it holds quotation marks), or None when nothing but punctuation is left.

    The speaker is `speaker` when given, else the one phrase `np` names (or the elided subject
    at the cue); the cue span is `cue_span` when given (a marker such as "laut" or "zufolge"),
    else the cue verb's token.
    """
    span = ctx.content_span(*msg)
    if span is None:
        return None
    a, b, sc, ec = span
    inner = ctx.quotes_within(a, b)
    kind = "mixed" if inner else "indirect"
    if len(inner) == 1:
        q, qs, qe = ctx.quoted[inner[0]]
        if qs <= a and qe >= b:
            kind = "direct"
            sc, ec = q.inner_start, q.inner_end
    if speaker is None:
        at = ctx.doc[cue].idx if cue is not None else sc
        speaker = ctx.make_speaker(np, at) if (np or cue is not None) else None
    if cue_span is None and cue is not None:
        cue_span = (cue, cue + 1)
    s_start = ctx.sents[sent_i][0]
    return Candidate(kind, sc, ec, speaker, cue_span, ctx.addressee(s_start, ctx.sents[sent_i][1], cue, (a, b)),
                     (a, b), sent_i, frozenset({tag}))


def pass_referred_back(ctx: Context, prior: tuple[Candidate, ...]) -> list[Candidate]:
    """A sentence the next one takes up as what someone said ("Die FDP schließt eine Ampel aus. Dies
    teilte der Parteichef mit."): an indirect quote of the cue's subject. Only whole sentences of
    four words or more that end in punctuation and hold no quote yet."""
    acc = Accepted(prior)
    doc = ctx.doc
    for n in range(len(ctx.sents) - 1):
        s0, s1 = ctx.sents[n]
        words = [t for t in doc[s0:s1] if not t.is_punct]
        if len(words) < 4 or not doc[s1 - 1].is_punct or acc.taken(s0, s1) or ctx.quotes_within(s0, s1):
            continue
        frame = frame_in_next_sentence(ctx, s1)
        if frame is None:
            continue
        cue, np = frame
        acc.add(reported_candidate(ctx, (s0, s1), np, cue, n, "referred-back"))
    return acc.new
