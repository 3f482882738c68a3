"""Quote extraction over a spaCy Doc: direct, indirect and mixed speech with speakers.

The passes run in order over the article, each returning schema-v1 quote records:
1. direct quotes: spans in quotation marks with a frame after them ("…“, sagte X"), before
   them with a colon ("X sagte: „…“"), or none (continuing the last speaker);
2. indirect speech: a cue verb with a dass/ob clause, a Konjunktiv clause or a zu-infinitive,
   before or after the frame ("X sagte, …" / "…, sagte X"); quoted fragments inside make it mixed;
3. verbless attributions: "laut X", "X zufolge", "nach Angaben von X", "…, hieß es";
4. continuations: a following Konjunktiv sentence without its own cue continues the last speaker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only the interface is used: .actors, ._spans, .actor_at(start, end)
    from workers.pipeline.actors import ActorIndex
from workers.pipeline.quotes import lexicon, segment
from workers.pipeline.quotes.speakers import (
    PERSON_LABELS,
    Resolver, apposition_end, finite_of, has_parse, np_after_verb, np_at, parse_subject, subject_of_cue,
)

FUSED_ZU = re.compile(r"^(ab|an|auf|aus|bei|ein|mit|nach|vor|weg|zurück|zusammen|hin|her|fort|fest|frei|dar|um|durch|hinzu|voran|heraus|herbei|vorbei|weiter|wieder|entgegen|bereit|sicher|zu|über|unter|fern|statt|teil|los|kennen)zu[a-zäöüß]+(en|ern|eln)$")
MIN_SENTENTIAL_WORDS = 4


@dataclass
class Found:
    """A quote found by one pass, in token offsets, before it becomes a schema record."""

    kind: str
    start: int  # char offsets of the content
    end: int
    speaker: dict | None
    cue: tuple[int, int] | None  # token range
    addressee: str | None = None
    toks: tuple[int, int] = (0, 0)  # token range of the content
    sent: int = -1
    tags: set = field(default_factory=set)


class Context:
    """Everything the passes share for one Doc: sentences, quoted spans, cues, taken ranges."""

    def __init__(self, doc: Doc, actors: ActorIndex):
        self.doc = doc
        self.text = doc.text
        self.resolver = Resolver(doc, actors)
        self.sents = segment.sentences(doc)
        self.sent_of = [0] * (len(doc) + 1)
        for n, (s, e) in enumerate(self.sents):
            for i in range(s, e):
                self.sent_of[i] = n
        self.quoted = []
        for q in segment.quoted_spans(self.text):
            ts, te = self.tok_range(q.start, q.end)
            if te > ts:
                self.quoted.append((q, ts, te))
        self.in_quote = [None] * len(doc)
        for n, (q, ts, te) in enumerate(self.quoted):
            for i in range(ts, te):
                self.in_quote[i] = n
        self.found: list[Found] = []
        self.used_cues: set[int] = set()
        self.konj = lexicon.konjunktiv_forms()
        self.cw = lexicon.clause_words()

    def quoted_at(self, i: int) -> bool:
        """Return True when token i lies inside (or is) a quotation mark span that is not a name
        or title ("schrieb die „Zeit“": a quoted name can be the speaker)."""
        n = self.in_quote[i]
        if n is None:
            return False
        q = self.quoted[n][0]
        words = self.text[q.inner_start:q.inner_end].split()
        return not (0 < len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() for w in words))

    def clause_subject(self, a: int, b: int, named: bool = False) -> tuple[int, int] | None:
        """Return the parse subject of the main verb in tokens [a, b) outside quotes, or None.

        `named`: only a subject naming a person or organisation (an entity, an actor or a role
        noun), so that "Das Wetter war schlecht." introduces no speaker.
        """
        doc = self.doc
        if not has_parse(doc):
            return None
        roots = [t for t in doc[a:b] if self.in_quote[t.i] is None and t.pos_ in ("VERB", "AUX", "ADJ", "NOUN")
                 and (t.dep_ == "ROOT" or not a <= t.head.i < b)]
        for root in roots:
            np = parse_subject(doc, root, (a, b), self.quoted_at)
            if np is None:
                continue
            if named:
                head = doc[np[0]:np[1]].root
                if any(t.ent_type_ in ("PER", "ORG") for t in doc[np[0]:min(np[1], np[0] + 4)]):
                    return np  # "Sadiq Khan, eines der …": a name opens the subject
                if not (head.ent_type_ in ("PER", "ORG") or head.pos_ == "PROPN" and not head.ent_type_
                        or self.resolver.actors.actor_at(head.idx, head.idx + len(head.text))
                        or any(r in head.lower_ for r in lexicon.role_nouns())
                        or head.lower_ in lexicon.pronouns()):
                    continue
            return np
        return None

    def tok_range(self, start: int, end: int) -> tuple[int, int]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return (0, 0)
        return (span.start, span.end)

    def taken(self, ts: int, te: int) -> bool:
        for f in self.found:
            a, b = f.toks
            ov = min(b, te) - max(a, ts)
            if ov > 0 and ov * 2 >= min(b - a, te - ts):
                return True
        return False

    def add(self, f: Found) -> None:
        self.found.append(f)

    # -- tokens ---------------------------------------------------------------------------
    def cue_at(self, i: int, end: int) -> bool:
        """Return True when token i is a cue verb whose particle (if any) closes its clause."""
        tok = self.doc[i]
        forms = lexicon.cue_forms().get(tok.lower_)
        if not forms or self.in_quote[i] is not None:
            return False
        if tok.text[:1].isupper() and i != self.sents[self.sent_of[i]][0]:
            return False  # a noun ("Sagen", "Melden") inside a sentence
        for form in forms:
            if form.fused or not form.verb.particle:
                return True
            # the particle closes the clause: before punctuation or the sentence end; commas of an
            # apposition may come between ("gab der Leiter, Andreas Huber, bekannt, dass …")
            words = list(form.verb.particle)
            k = i + 1
            in_apposition = False
            while k < end and words and self.doc[k].text not in (";", ":") and k - i <= 25:
                if self.in_quote[k] is not None or self.doc[k].lower_ in self.cw["complementizer"]:
                    break
                if self.doc[k].lower_ == words[0] and (len(words) > 1 or k + 1 >= end or self.doc[k + 1].is_punct):
                    words.pop(0)
                elif self.doc[k].text == ",":
                    if in_apposition:
                        in_apposition = False  # the comma closing ", Andreas Huber,"
                    elif k + 1 < end and self.doc[k + 1].text[:1].isupper():
                        in_apposition = True
                    else:
                        break  # a comma not around an apposition ends the clause
                k += 1
            if not words:
                return True
        return False

    def is_konj(self, i: int, first: bool = False) -> bool:
        """Return True when token i is a Konjunktiv form; `first`: Konjunktiv I only (sei, habe, werde)."""
        tok = self.doc[i]
        if first and tok.lower_ in lexicon.konjunktiv_ii():
            return False
        if tok.lower_ in self.konj and tok.text[:1].islower():
            return True
        if self.doc.has_annotation("MORPH") and tok.pos_ in ("VERB", "AUX"):
            if first and "Past" in tok.morph.get("Tense"):
                return False
            return "Sub" in tok.morph.get("Mood")
        return False

    def clause_signal(self, a: int, b: int, zu: bool = True) -> bool:
        """Return True when tokens [a, b) read as reported content: Konjunktiv or zu-infinitive."""
        for k in range(a, b):
            tok = self.doc[k]
            if self.in_quote[k] is not None and self.quoted[self.in_quote[k]][0].level == "double":
                if self.is_konj(k):
                    return True
                continue
            if self.is_konj(k):
                return True
            if not zu:
                continue
            if tok.lower_ == "zu" and k + 1 < b and self.doc[k + 1].text[:1].islower() and self.doc[k + 1].lower_.endswith(("en", "ern", "eln")) and (k + 2 >= b or self.doc[k + 2].is_punct):
                return True
            if FUSED_ZU.match(tok.lower_) and (k + 1 >= b or self.doc[k + 1].is_punct):
                return True
        return False

    def content_span(self, ts: int, te: int) -> tuple[int, int, int, int] | None:
        """Trim punctuation from both ends of [ts, te); return (ts, te, start_char, end_char)."""
        doc = self.doc
        while ts < te and (doc[ts].is_punct and doc[ts].text not in self._opening() or doc[ts].is_space):
            ts += 1
        while te > ts and (doc[te - 1].is_punct and doc[te - 1].text not in self._closing() or doc[te - 1].is_space):
            te -= 1
        if te <= ts:
            return None
        return ts, te, doc[ts].idx, doc[te - 1].idx + len(doc[te - 1].text)

    def _opening(self) -> set[str]:
        return {o for o, _, _ in lexicon.quote_pairs()}

    def _closing(self) -> set[str]:
        return {c for _, c, _ in lexicon.quote_pairs()}

    def quotes_within(self, ts: int, te: int) -> list[int]:
        return [n for n, (_, a, b) in enumerate(self.quoted) if a >= ts and b <= te]

    def document_source(self, a: int, b: int) -> tuple[int, int] | None:
        """Return the document named as the place of an impersonal report in tokens [a, b):
        "In dem Bericht heißt es", "Auf der Homepage heißt es:", "Im Gesetzentwurf steht:";
        None unless the stretch holds an impersonal verb (heißt/hieß/steht/stand es)."""
        doc = self.doc
        words = [t.lower_ for t in doc[a:b] if self.in_quote[t.i] is None]
        if not any(w in lexicon.document_verbs() for w in words):
            return None
        for k in range(a, b - 1):
            if self.in_quote[k] is None and doc[k].lower_ in ("in", "im", "auf", "aus"):
                np = np_at(doc, k + 1, b)
                if np is not None and any(t.text[:1].isupper() or t.pos_ in ("NOUN", "PROPN")
                                          for t in doc[np[0]:np[1]] if not t.is_punct):
                    return np
        return None

    def addressee(self, a: int, b: int, cue: int | None, content: tuple[int, int] | None = None) -> str | None:
        """Return the actor addressed in tokens [a, b) ("gegenüber X", a dative object of the
        cue), never inside the reported `content`."""
        doc = self.doc
        inside = (lambda k: content[0] <= k < content[1]) if content else (lambda k: False)
        for k in range(a, b):
            if inside(k):
                continue
            if doc[k].lower_ == "gegenüber" and self.in_quote[k] is None:
                np = np_at(doc, k + 1, b)
                if np:
                    return self.resolver.actor_of_span(*np)
        if cue is not None and has_parse(doc):
            for child in doc[cue].children:
                if inside(child.i) or self.in_quote[child.i] is not None:
                    continue
                if child.dep_ in ("iobj",) or (child.dep_ == "obj" and "Case=Dat" in str(child.morph)):
                    return self.resolver.actor_of_span(child.left_edge.i, child.right_edge.i + 1)
        return None

    def trimmed(self, np: tuple[int, int]) -> tuple[int, int] | None:
        """Return the speaker phrase without leading adverbs, subordinators or a preposition
        ("Auch der Sprecher" → "der Sprecher", "Falls Demjanjuk" → "Demjanjuk"), or None when
        nothing naming a speaker is left ("Aktuell", "Ab 1939")."""
        doc = self.doc
        a, b = np
        pos = doc.has_annotation("POS")
        while a < b:
            tok = doc[a]
            low = tok.lower_
            if tok.ent_type_ or low in self.cw["article"]:
                break
            if (low in self.cw["subordinator"] or low in lexicon.speaker_stopwords()
                    or pos and tok.pos_ in ("ADV", "ADP", "SCONJ", "PUNCT")):
                a += 1
                continue
            break
        if b - a > 2 and doc[b - 1].lower_ == "zufolge":
            # "sagte der Minister dem Bericht zufolge": the postposition phrase names the medium
            j = b - 2
            while j > a + 1 and doc[j].lower_ not in self.cw["article"]:
                j -= 1
            if doc[j].lower_ in self.cw["article"]:
                b = j
        while pos and b - a > 1 and doc[b - 1].pos_ == "NOUN" and "Dat" in doc[b - 1].morph.get("Case") \
                and doc[b - 2].pos_ == "PROPN":
            b -= 1  # "sagte Wang Reportern": the dative is the addressee, not part of the name
        if a >= b:
            return None
        if a > np[0] and pos and not any(t.pos_ in ("NOUN", "PROPN", "PRON", "X") or t.ent_type_ for t in doc[a:b]):
            return None
        return (a, b)

    def owned_thing(self, np: tuple[int, int]) -> bool:
        """Return True when phrase `np` opens with a possessive and names no speaker itself
        ("Seine Meinung zu Kirchhof", not "sein Sprecher")."""
        doc = self.doc
        a, b = np
        if doc[a].lower_ not in self.cw.get("possessive", ()) or b - a < 2:
            return False
        span = doc[a:b]
        if any(t.ent_type_ in PERSON_LABELS or t.ent_type_ == "ORG" for t in span):
            return False
        if self.resolver.actors.actor_at(span.start_char, span.end_char):
            return False
        return not any(r in t.lower_ for t in span[1:] for r in lexicon.role_nouns())

    def make_speaker(self, np: tuple[int, int] | None, at_char: int) -> dict | None:
        """Return the speaker record for phrase `np`; without one (an elided subject: "…“, sagte
        während des Treffens."), the person the sentence before names as its subject, else the
        last speaker or person mentioned."""
        if np:
            np = self.trimmed(np) or np
            if self.owned_thing(np):  # "Seine Zuversicht gründet sich auf …: „…“" → the owner speaks
                return self.resolver.possessor(np[0])
            return self.resolver.speaker(*np)
        tok = self.doc.char_span(at_char, at_char + 1, alignment_mode="expand")
        sent_i = self.sent_of[tok.start] if tok is not None else 0
        if sent_i > 0:
            p0, p1 = self.sents[sent_i - 1]
            prev = self.clause_subject(p0, p1, named=True)
            if prev is not None:
                head = self.doc[prev[0]:prev[1]].root
                actor = self.resolver.actors.actor_at(head.idx, head.idx + len(head.text))
                if head.ent_type_ in PERSON_LABELS or actor and self.resolver.kinds.get(actor) == "person":
                    return self.resolver.speaker(*prev)
        return self.resolver.elided(at_char)


# -- pass 1: direct quotes -------------------------------------------------------------------
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


def _frame_in_next_sentence(ctx: Context, te: int) -> tuple[int, tuple[int, int] | None] | None:
    """Return (cue, subject) when the sentence after a quote ending at token te refers back to it
    with a demonstrative and has a cue verb ("„…“ Das musste Steinbrück einräumen."), else None."""
    doc = ctx.doc
    n = ctx.sent_of[te - 1] + 1
    if n >= len(ctx.sents):
        return None
    s0, s1 = ctx.sents[n]
    if s0 < te or doc[s0].lower_ not in ctx.cw.get("anaphor", ()) or ctx.in_quote[s0] is not None:
        return None
    for k in range(s0 + 1, s1):
        if ctx.in_quote[k] is not None or doc[k].text in (",", ";", ":"):
            return None
        if ctx.cue_at(k, s1):
            return (k, subject_of_cue(doc, k, (s0, s1), ctx.quoted_at))
    return None


def pass_fragments(ctx: Context) -> None:
    """Quoted fragments in a clause with a cue verb ("nannte die Zahlen „aus der Luft gegriffen“").

    A fragment becomes a direct quote of the cue's subject unless it is already part of a quote,
    reads as a title or name (right after a capitalised noun: das Raumschiff „Shenzhou 6“) or is
    marked as a term ("so genannte „…“"), or its clause has no cue verb.
    """
    doc = ctx.doc
    for q, ts, te in ctx.quoted:
        if any(f.toks[0] <= ts and te <= f.toks[1] for f in ctx.found):
            continue
        if ctx.taken(ts, te):
            continue
        words = ctx.text[q.inner_start:q.inner_end].split()
        if not words:
            continue
        if len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() for w in words):
            continue  # a name or title: „Berliner Zeitung“, „documenta 12“
        prev = doc[ts - 1] if ts > 0 else None
        s0, s1 = ctx.sents[ctx.sent_of[ts]]
        if prev is not None and prev.i > s0 and prev.text[:1].isupper() and not prev.is_punct:
            continue
        if prev is not None and prev.lower_ in lexicon.term_markers():
            continue
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
        ctx.add(Found("direct", q.inner_start, q.inner_end, ctx.resolver.speaker(*np), (cue, cue + 1),
                      None, (ts, te), ctx.sent_of[ts], {"fragment"}))


def pass_direct(ctx: Context) -> None:
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
            if lead and not after_colon and not (len(lead) == 1 and doc[lead[0]].lower_ in ("und", "aber", "doch")):
                kind, start_tok = "mixed", clause_start
            span = ctx.content_span(start_tok, te)
            if span is None:
                continue
            a, b, sc, ec = span
            if kind == "direct":
                sc, ec = q.inner_start, q.inner_end
            speaker = ctx.make_speaker(np, doc[cue].idx)
            ctx.add(Found(kind, sc, ec, speaker, (cue, cue + 1), ctx.addressee(cue, end, cue), (a, b), sent_i, {"frame-after"}))
            ctx.used_cues.add(cue)
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
                ctx.used_cues.add(cue_tok)
            elif ctx.document_source(fs, before) is not None:
                np = ctx.document_source(fs, before)  # "Auf der Homepage heißt es: „…“"
            else:
                np = ctx.clause_subject(fs, before, named=True)
                owner = np_at(doc, fs, before)
                if np is None and owner and ctx.owned_thing(owner):
                    np = owner  # "Seine Meinung zu Kirchhof: „…“"
                if np is None:  # "Den Unmut der CDU brachte die Sprecherin, Annette Widmann-Mauz, zum Ausdruck:"
                    ents = [e for e in doc.ents if e.start >= fs and e.end <= before]
                    ents = [e for e in ents if e.label_ in PERSON_LABELS] or ents
                    np = (ents[0].start, ents[0].end) if ents else (np_at(doc, fs, before) or ctx.clause_subject(fs, before))
            if cues or np:
                speaker = ctx.make_speaker(np, q.start)
                ctx.add(Found("direct", q.inner_start, q.inner_end, speaker,
                              (cue_tok, cue_tok + 1) if cue_tok is not None else None,
                              ctx.addressee(fs, before, cue_tok), (ts, te), ctx.sent_of[te - 1], {"frame-colon"}))
                prev_frame_end = te
                continue
        if before >= 1 and doc[before].text == "," and prev_frame_end == ts and ctx.found:
            # „A“, sagte X, „B“: the second part continues the frame of the first
            last = ctx.found[-1]
            ctx.add(Found("direct", q.inner_start, q.inner_end, dict(last.speaker) if last.speaker else None,
                          last.cue, last.addressee, (ts, te), ctx.sent_of[te - 1], {"frame-inside"}))
            prev_frame_end = te
            continue
        if before >= 1 and doc[before].text == "," and not any(f.toks[0] <= ts < f.toks[1] for f in ctx.found):
            fs = max(ctx.sents[ctx.sent_of[before]][0], prev_frame_end)
            cues = [k for k in range(fs, before) if ctx.cue_at(k, before + 1)]
            if cues and before - cues[-1] <= 6:
                cue_tok = cues[-1]
                np = subject_of_cue(doc, cue_tok, (fs, before), ctx.quoted_at)
                ctx.used_cues.add(cue_tok)
                ctx.add(Found("direct", q.inner_start, q.inner_end, ctx.make_speaker(np, q.start), (cue_tok, cue_tok + 1),
                              ctx.addressee(fs, before, cue_tok), (ts, te), ctx.sent_of[te - 1], {"frame-comma"}))
                prev_frame_end = te
                continue
        # no frame: a whole sentence (or more) in quotation marks continues the last speaker
        sentential = (len(words) >= MIN_SENTENTIAL_WORDS and inner.lstrip()[:1].isupper()
                      and (inner.rstrip()[-1:] in ".!?…" or te >= ctx.sents[ctx.sent_of[te - 1]][1] - 1)
                      and not lead)
        if sentential and q.level == "double":
            frame = _frame_in_next_sentence(ctx, te)
            if frame is not None:  # „…“ Das musste Steinbrück einräumen.
                cue, np = frame
                ctx.add(Found("direct", q.inner_start, q.inner_end, ctx.make_speaker(np, doc[cue].idx), (cue, cue + 1),
                              None, (ts, te), ctx.sent_of[te - 1], {"frame-next"}))
                ctx.used_cues.add(cue)
                prev_frame_end = ctx.sents[ctx.sent_of[cue]][1]
                continue
            last = ctx.found[-1] if ctx.found else None
            near = last is not None and ctx.sent_of[ts] - last.sent <= 2
            speaker = None
            prev = ctx.sent_of[ts] - 1
            if prev >= 0 and not any(f.sent == prev for f in ctx.found) and (last is None or last.sent < prev):
                # the sentence before introduces the speaker without a cue: "X verurteilte die Haltung …"
                p0, p1 = ctx.sents[prev]
                np = ctx.clause_subject(p0, p1, named=True)
                if np is not None:
                    speaker = ctx.resolver.speaker(*np)
            if speaker is None:
                speaker = dict(ctx.resolver.last_speaker) if (near and ctx.resolver.last_speaker) else ctx.resolver.elided(q.start)
            ctx.add(Found("direct", q.inner_start, q.inner_end, speaker, None, None, (ts, te), ctx.sent_of[te - 1], {"continued"}))


# -- pass 2: indirect speech with a cue verb --------------------------------------------------
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
            return (k + 1, s1) if k + 1 < s1 else None
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
                return (k + 1, _message_end(ctx, k + 1, s1, cue))
            end = _message_end(ctx, k + 1, s1, cue)
            if low in ctx.cw["relative"] and low not in ("der", "die", "das") and low not in ctx.cw["article"]:
                return None
            article = has_parse(doc) and nxt.dep_ == "det" and nxt.head.i > k + 1  # "beschloss am Sonntag, der Partei beizutreten"
            if noun:
                end = _zu_clause_end(ctx, k + 1, end)
            if not article and _ends_with_zu(ctx, k + 1, end):
                article = True  # "empfahl dem Gericht, der Klage stattzugeben": no relative clause
            if not article and low in ("der", "die", "das", "dem", "den") and k - 1 > cue and doc[k - 1].text[:1].isupper() and not ctx.is_konj(min(k + 2, s1 - 1)):
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


def _ends_with_zu(ctx: Context, a: int, b: int) -> bool:
    """Return True when tokens [a, b) end in a zu-infinitive ("… zu erhöhen", "stattzugeben")."""
    doc = ctx.doc
    while b > a and doc[b - 1].is_punct:
        b -= 1
    if b - a < 2:
        return False
    last = doc[b - 1].lower_
    return bool(FUSED_ZU.match(last)) or (doc[b - 2].lower_ == "zu" and last.endswith(("en", "ern", "eln")))


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


def _message_end(ctx: Context, a: int, s1: int, cue: int | None = None) -> int:
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


def pass_indirect(ctx: Context) -> None:
    doc = ctx.doc
    for sent_i, (s0, s1) in enumerate(ctx.sents):
        k = s0
        clause_start = s0
        while k < s1:
            if k in ctx.used_cues or not ctx.cue_at(k, s1):
                k += 1
                continue
            cue = k
            fin = finite_of(doc, cue, s0)
            msg = None
            kind_tag = ""
            # "wie X berichtete": a reporting clause framing the main clause
            wie = next((j for j in range(fin - 1, max(s0, fin - 10) - 1, -1) if doc[j].lower_ == "wie" and (j == s0 or doc[j - 1].text == ",")), None)
            if wie is not None:
                np = np_at(doc, wie + 1, fin)
                if wie == s0:
                    comma = next((j for j in range(cue, s1) if doc[j].text == ","), None)
                    msg = (comma + 1, s1) if comma else None
                else:
                    msg = (clause_start, wie)
                if msg and not ctx.taken(*msg) and not any(f.sent == sent_i for f in ctx.found):
                    _emit(ctx, msg, np, cue, sent_i, "wie")
                k = cue + 1
                continue
            after_np = np_after_verb(doc, fin + 1, s1) if fin > s0 and doc[fin - 1].text == "," else None
            bare = fin + 1 < s1 and all(t.is_punct or t.lower_ in lexicon.speaker_stopwords() or
                                        t.lower_ in ctx.cw["preposition"] for t in doc[fin + 1:s1][:1])
            if fin > s0 and doc[fin - 1].text == "," and fin - 1 > clause_start and (after_np or bare and _message_after(ctx, cue, s1) is None):
                msg = (clause_start, fin - 1)
                kind_tag = "frame-after"
                if not _reads_as_message(ctx, *msg, cue=cue):
                    msg = None
                if msg and len([t for t in doc[msg[0]:msg[1]] if not t.is_punct]) < 3:
                    msg = None
            if msg is None:
                msg = _message_after(ctx, cue, s1)
                kind_tag = "frame-before"
            if msg is None or ctx.taken(*msg):
                k += 1
                continue
            np = subject_of_cue(doc, cue, (s0, s1), ctx.quoted_at)
            f = _emit(ctx, msg, np, cue, sent_i, kind_tag)
            if f and kind_tag == "frame-after":
                clause_start = cue + 1
            k = (f.toks[1] if f and kind_tag == "frame-before" else cue + 1)


def pass_cue_nouns(ctx: Context) -> None:
    """Indirect speech after a speech noun: "die Forderung, …", "der Ansicht, dass …",
    "die Ankündigung, der Iran werde …" (nouns in `cue_nouns.txt`).

    The speaker is the noun's genitive or "von" phrase ("die Forderung der Gewerkschaft"), else
    the subject of the noun (copula: "X ist der Ansicht") or of its verb ("X erhob die
    Forderung"), else the speaker in context.
    """
    doc = ctx.doc
    for sent_i, (s0, s1) in enumerate(ctx.sents):
        for k in range(s0, s1):
            tok = doc[k]
            if ctx.in_quote[k] is not None or not tok.text[:1].isupper() or not lexicon.is_cue_noun(tok.lower_):
                continue
            if k + 1 >= s1 or doc[k + 1].text not in (",",) and doc[k + 1].lower_ not in ("des", "der", "eines", "einer", "von", "vom"):
                continue
            msg = _message_after(ctx, k, s1, noun=True)
            if msg is None or ctx.taken(*msg) or msg[1] - msg[0] < 3:
                continue
            np = None
            if doc[k + 1].lower_ in ("des", "der", "eines", "einer", "von", "vom"):
                np = np_at(doc, k + (2 if doc[k + 1].lower_ in ("von", "vom") else 1), msg[0])
            if np is None and has_parse(doc):
                np = parse_subject(doc, tok, (s0, s1), ctx.quoted_at)
                if np is None and tok.head.i != tok.i:
                    np = parse_subject(doc, tok.head, (s0, s1), ctx.quoted_at)
            if np is not None and np[0] <= k < np[1]:
                np = None
            f = _emit(ctx, msg, np, k, sent_i, "cue-noun")
            if f is not None:
                f.cue = (k, k + 1)


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
    if first in ctx.cw["subordinator"] and not konj:
        return False
    if first in ctx.cw["preposition"] and not konj and not ctx.quotes_within(a, b):
        return False
    np = np_at(doc, a, b)
    if np and np[1] < b - 1 and doc[np[1]].text == "," and doc[np[1] + 1].lower_ in ctx.cw["relative"]:
        if not konj:
            return False
    return True


def _emit(ctx: Context, msg: tuple[int, int], np, cue: int | None, sent_i: int, tag: str, speaker=None) -> Found | None:
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
    s_start = ctx.sents[sent_i][0]
    f = Found(kind, sc, ec, speaker, (cue, cue + 1) if cue is not None else None,
              ctx.addressee(s_start, ctx.sents[sent_i][1], cue, (a, b)), (a, b), sent_i, {tag})
    if cue is not None:
        ctx.used_cues.add(cue)
    ctx.add(f)
    return f


# -- pass 3: verbless attributions ------------------------------------------------------------
def _match_words(ctx: Context, k: int, words: tuple[str, ...], s1: int) -> bool:
    if k + len(words) > s1:
        return False
    return all(ctx.doc[k + j].lower_ == w for j, w in enumerate(words))


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


def pass_markers(ctx: Context) -> None:
    doc = ctx.doc
    mk = lexicon.markers()
    for sent_i, (s0, s1) in enumerate(ctx.sents):
        end = s1 - 1 if doc[s1 - 1].is_punct else s1
        done = doc[s1 - 1].text == "?"  # a question ("Welche … sind Ihrer Meinung nach …?") reports nothing
        for k in range(s0, s1):
            if done or ctx.in_quote[k] is not None:
                continue
            for words in mk.get("before", ()):
                if not _match_words(ctx, k, words, s1):
                    continue
                j = k + len(words)
                if words[0] == "wonach":
                    np = _np_before(ctx, k - 1 if k > s0 and doc[k - 1].text == "," else k, s0)
                    msg = (j, end)
                else:
                    if j < s1 and doc[j].lower_ in ("von", "des", "der") and words[-1] != "laut":
                        j += 1 if doc[j].lower_ == "von" else 0
                    if "eigenen" in words:
                        np = np_at(doc, s0, k) if k > s0 else None
                    else:
                        np = np_at(doc, j, s1) if doc[j].lower_ not in ("des", "der") else np_at(doc, j, s1)
                        if np is None and j < s1:
                            np = np_after_verb(doc, j, s1)
                    np_end = np[1] if np and np[0] >= j else j
                    if k == s0 or (k == s0 + 1 and doc[s0].is_punct):
                        msg = (np_end, end)
                    elif np_end >= end - 0 or (np_end < s1 and doc[np_end].text in (",",) and np_end + 1 >= end):
                        msg = (s0, k)
                    else:
                        msg = _marker_clause(ctx, k, s0, end)
                if msg[1] - msg[0] < 3 or ctx.taken(*msg):
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
                _emit(ctx, msg, None, None, sent_i, "marker", speaker=spk)
                ctx.found[-1].cue = (k, k + len(words)) if words[0] != "nach" else (k, j)
                done = True
                break
            if done:
                break
            for words in mk.get("after", ()):
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
                if msg[1] - msg[0] < 3 or ctx.taken(*msg):
                    continue
                spk = ctx.resolver.speaker(*np)
                _emit(ctx, msg, None, None, sent_i, "marker", speaker=spk)
                ctx.found[-1].cue = (k, k + len(words))
                done = True
                break
            if done:
                break
            if doc[k].lower_ == "nach" and k > s0 and doc[k - 1].lower_ in {w[0] for w in mk.get("postnach", ())}:
                head = k - 1
                np = (head - 1, head) if head - 1 >= s0 and doc[head - 1].lower_ in lexicon.pronouns() or (head - 1 >= s0 and doc[head - 1].lower_ in ("seiner", "ihrer", "dessen", "deren")) else _np_before(ctx, head + 1, s0)
                if head - 1 >= s0 and doc[head - 1].lower_ in ("seiner", "ihrer", "dessen", "deren", "seinen", "ihren"):
                    np = None  # "Seiner Meinung nach": the possessor is the last speaker
                start = np[0] if np else max(s0, head - 1)
                if start <= s0 + 1:
                    msg = (k + 1, end)
                elif k + 1 >= end:
                    msg = (s0, start)
                else:
                    msg = _marker_clause(ctx, k, s0, end)
                if msg[1] - msg[0] >= 3 and not ctx.taken(*msg):
                    if np:
                        spk = ctx.resolver.speaker(*np)
                    else:  # "Seiner Meinung nach": the phrase names the source, the actor is in context
                        phrase = doc[max(s0, head - 1):head + 1]
                        spk = dict(ctx.resolver.elided(doc[k].idx) or {"actor": None},
                                   text=phrase.text, start=phrase.start_char, end=phrase.end_char)
                    _emit(ctx, msg, None, None, sent_i, "marker", speaker=spk)
                    ctx.found[-1].cue = (head, k + 1)
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
                if msg[1] - msg[0] >= 3 and not ctx.taken(*msg):
                    _emit(ctx, msg, None, None, sent_i, "marker", speaker=ctx.resolver.speaker(*np))
                    ctx.found[-1].cue = (k, k + 1)
                    done = True
                    break
            for words in mk.get("impersonal", ()):
                if not _match_words(ctx, k, words, s1):
                    continue
                after = k + len(words)
                if k > s0 and doc[k - 1].text == ",":
                    msg = (s0, k - 1)
                elif after < s1 and doc[after].text == ",":
                    msg = (after + 1, end)
                else:
                    continue
                if msg[1] - msg[0] < 3 or ctx.taken(*msg):
                    continue
                frame = (s0, k) if msg[0] > k else (after, end)
                src = ctx.document_source(*frame)  # "In dem Bericht heißt es, …"
                _emit(ctx, msg, None, None, sent_i, "impersonal",
                      speaker=ctx.resolver.speaker(*src) if src is not None else None)
                ctx.found[-1].cue = (k, after)
                done = True
                break
            if done:
                break
            for words in mk.get("so", ()):
                if not (_match_words(ctx, k, words, s1) and k > s0 and doc[k - 1].text == ","):
                    continue
                np = np_at(doc, k + 1, s1)
                if np is None or np[1] < end - 0 and doc[np[1]].text not in (",", ".", "!", "?"):
                    # "…, so das Ergebnis einer gestern vorgestellten Studie": a source noun opens it
                    if not (np is not None and any(lexicon.is_source_noun(t.lower_) or t.lower_ in lexicon.cue_nouns()
                                                   for t in doc[np[0]:np[1]] if t.text[:1].isupper())):
                        continue
                msg = (s0, k - 1)
                if ctx.taken(*msg):
                    continue
                _emit(ctx, msg, None, None, sent_i, "so", speaker=ctx.resolver.speaker(*np))
                ctx.found[-1].cue = (k, k + 1)
                done = True
                break


def _nach_source(ctx: Context, k: int, s1: int) -> int | None:
    """Return the end of a source phrase after "nach" at k ("nach ersten Informationen",
    "Nach Schätzungen des Verbandes", "nach einer norwegischen Studie"), or None.

    The phrase is determiners and adjectives, then a noun ending in a source noun of
    `source_nouns.txt` (compounds too: "Polizeiangaben"), then an optional genitive or
    "von" phrase.
    """
    doc = ctx.doc
    j = k + 1
    while j < s1 and j - k <= 4 and (doc[j].lower_ in ctx.cw["article"] or doc[j].text[:1].islower()
                                      and not doc[j].is_punct and doc[j].lower_ not in ctx.cw["preposition"]):
        j += 1
    if j >= s1 or not doc[j].text[:1].isupper() or not lexicon.is_source_noun(doc[j].lower_):
        return None
    j += 1
    if j < s1 and doc[j].lower_ in ("des", "der", "eines", "einer", "von", "vom"):
        np = np_at(doc, j + (1 if doc[j].lower_ in ("von", "vom") else 0), s1)
        if np is not None:
            j = np[1]
    return j


# -- pass 4: continuations -------------------------------------------------------------------
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


def extract_quotes(doc: Doc, actors: ActorIndex) -> list[dict]:
    """Return schema-v1 quote records for `doc`, in text order, ids Q1, Q2, ….

    Each record: kind (direct | indirect | mixed), the content span (without quotation marks for
    direct quotes, without the framing clause otherwise), the speaker phrase and its actor, the
    cue (verb or marker) and the addressee actor where the text names one.
    """
    if len(doc) == 0:
        return []
    ctx = Context(doc, actors)
    pass_direct(ctx)
    pass_indirect(ctx)
    pass_markers(ctx)
    pass_cue_nouns(ctx)
    pass_fragments(ctx)
    pass_continuation(ctx)
    records = []
    for f in sorted(ctx.found, key=lambda f: f.start):
        if f.end <= f.start:
            continue
        cue = None
        if f.cue is not None:
            span = doc[f.cue[0]:f.cue[1]]
            cue = {"text": span.text, "start": span.start_char, "end": span.end_char}
        records.append({
            "id": f"Q{len(records) + 1}",
            "kind": f.kind,
            "text": doc.text[f.start:f.end],
            "start": f.start,
            "end": f.end,
            "speaker": f.speaker,
            "cue": cue,
            "addressee": f.addressee,
        })
    return records
