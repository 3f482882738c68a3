"""What the quote passes read about one article: `Context` (sentences, quoted spans, the speaker
resolver, and the token tests the passes share: cue verbs, Konjunktiv, clause signals, speakers
and addressees). What the passes find travels separately, as candidates (candidates.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only the interface is used: .actors, ._spans, .actor_at(start, end)
    from workers.pipeline.actors import ActorIndex
    from workers.pipeline.document import DocumentView
from workers.pipeline.document import token_table
from workers.pipeline.quoted import quote_pairs
from workers.pipeline.quotes import lexicon
from workers.pipeline.quotes.phrases import PERSON_LABELS, has_parse, np_at, parse_subject
from workers.pipeline.quotes.speakers import Resolver

class Context:
    """What every pass reads about one article: sentences, quoted spans, the speaker resolver and
    the token tests (cue verbs, Konjunktiv, clause signals). The passes' results are not here:
    they travel as `Candidate`s (candidates.py)."""

    def __init__(self, view: DocumentView, actors: ActorIndex):
        doc = self.doc = view.doc
        self.text = view.text
        self.lower = list(token_table(doc).lower)  # (token attributes are read many times per token)
        self.resolver = Resolver(doc, actors)
        self.sents = [(s.start, s.end) for s in view.sentences]
        self.sent_of = [0] * (len(doc) + 1)
        for n, (s, e) in enumerate(self.sents):
            for i in range(s, e):
                self.sent_of[i] = n
        self.quoted = []
        for q in view.quoted:
            ts, te = self.tok_range(q.start, q.end)
            if te > ts:
                self.quoted.append((q, ts, te))
        self.in_quote = [None] * len(doc)
        for n, (q, ts, te) in enumerate(self.quoted):
            for i in range(ts, te):
                self.in_quote[i] = n
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

    # -- tokens ---------------------------------------------------------------------------
    def cue_at(self, i: int, end: int) -> bool:
        """Return True when token i is a cue verb whose particle (if any) closes its clause."""
        forms = lexicon.cue_forms().get(self.lower[i])
        if not forms or self.in_quote[i] is not None:
            return False
        tok = self.doc[i]
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
            if self._present_subjunctive(tok):
                return True
            if first and "Past" in tok.morph.get("Tense"):
                return False
            return "Sub" in tok.morph.get("Mood")
        return False

    @staticmethod
    def _present_subjunctive(tok) -> bool:
        """Return True for a finite verb built as stem + "e" without a first-person subject
        ("Dieses Lager befinde sich", "die Lage entspreche"): Konjunktiv I, whatever the tagger's
        mood says (the indicative third person ends in "-t")."""
        lemma, low = tok.lemma_.lower(), tok.lower_
        if "Fin" not in tok.morph.get("VerbForm") or not lemma.endswith("en") or len(lemma) < 5:
            return False
        if low != lemma[:-2] + "e" or tok.text[:1].isupper():
            return False
        return not any(c.dep_.startswith("nsubj") and c.lower_ in ("ich", "wir") for c in tok.children)

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
            if lexicon.is_fused_zu_infinitive(tok.lower_) and (k + 1 >= b or self.doc[k + 1].is_punct):
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
        return {o for o, _, _ in quote_pairs()}

    def _closing(self) -> set[str]:
        return {c for _, c, _ in quote_pairs()}

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
            if self.in_quote[k] is None and doc[k].lower_ in self.cw["document_preposition"]:
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
