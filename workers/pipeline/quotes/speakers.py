"""Which actor a speaker phrase names: `Resolver` maps a phrase to an actor id — the actor
index first, then pronoun and description antecedents — remembering the speakers seen so far.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from lagebild_core.people import role_gender

if TYPE_CHECKING:  # only the interface is used: .actors, .actor_at(start, end)
    from workers.pipeline.actors import ActorIndex
from workers.pipeline.document import entities, token_table
from workers.pipeline.quotes import lexicon
from workers.pipeline.quotes.phrases import PERSON_LABELS, has_parse, np_at, word_class


class Resolver:
    """Resolves speaker phrases to actor ids, remembering the speakers seen so far."""

    def __init__(self, doc: Doc, actors: ActorIndex):
        self.doc = doc
        self.text = token_table(doc).text  # (Doc.text joins the tokens anew on every access)
        self.actors = actors
        self.kinds = {a["id"]: a["kind"] for a in actors.actors}
        self.roles = {a["id"]: [r.lower() for r in a.get("roles", [])] for a in actors.actors}
        self.role_texts = {a["id"]: a.get("roles", []) for a in actors.actors}
        self.seen: list[dict] = []  # every speaker record resolved, in the order the passes met them
        self.mention_spans = sorted((m["start"], m["end"], a["id"]) for a in actors.actors for m in a["mentions"])

    def last_speaker(self, char: int) -> dict | None:
        """Return the speaker record that stands last before character `char` in the text (the
        passes run one after another over the whole article, so the one resolved last may stand
        anywhere)."""
        before = [r for r in self.seen if r["start"] < char]
        return max(before, key=lambda r: r["start"]) if before else None

    def _person_before(self, char: int, prefer_speaker: bool = True, gender: str | None = None) -> str | None:
        """Return the last speaker's actor, else the person named last before `char`; with a
        pronoun's `gender` ("f" for "sie"), not a person whose roles show the other gender."""
        last = self.last_speaker(char) if prefer_speaker else None
        if last and last.get("actor") and self._gender_fits(last["actor"], gender):
            return last["actor"]
        best, best_start = None, -1
        for start, end, actor_id in self.mention_spans:
            if end <= char and start > best_start and self.kinds.get(actor_id) == "person" \
                    and self._gender_fits(actor_id, gender):
                best, best_start = actor_id, start
        if best is None:
            for ent in entities(self.doc):
                if ent.end_char <= char and ent.label_ in PERSON_LABELS and ent.start_char > best_start:
                    best_start = ent.start_char
        return best

    def _group_before(self, i: int, window: int = 2) -> str | None:
        """Return the group or organisation named last before token i within `window` sentences
        ("Die Demonstranten forderten Reformen. Sie sagten, …"), else None."""
        doc = self.doc
        if not doc.has_annotation("SENT_START"):
            return None
        sents = list(doc.sents)
        here = next(n for n, sent in enumerate(sents) if sent.start <= i < sent.end)
        first = sents[max(0, here - window)].start_char
        best, best_start = None, -1
        for start, end, actor_id in self.mention_spans:
            if first <= start and end <= doc[i].idx and start > best_start \
                    and self.kinds.get(actor_id) in ("group", "organization"):
                best, best_start = actor_id, start
        return best

    def _gender_fits(self, actor_id: str, gender: str | None) -> bool:
        """Return False only for a person whose roles show the other gender than `gender`."""
        if gender not in ("m", "f") or self.kinds.get(actor_id) != "person":
            return True
        return role_gender(self.role_texts.get(actor_id, [])) in (None, gender)

    def _role_match(self, span_text: str, char: int) -> str | None:
        low = span_text.lower()
        heads = [r for r in lexicon.role_nouns() if r in low]
        if not heads:
            return None
        for actor_id, roles in self.roles.items():
            if any(r.endswith(h) or h in r for r in roles for h in heads):
                return actor_id
        return self._person_before(char)

    def speaker(self, start_tok: int, end_tok: int) -> dict:
        """Return the schema speaker record for the token range, with its resolved actor."""
        span = self.doc[start_tok:end_tok]
        record = {"actor": None, "text": span.text, "start": span.start_char, "end": span.end_char}
        actor = self.actors.actor_at(span.start_char, span.end_char)
        if actor is None and end_tok - start_tok == 1:
            ante = self.antecedent(start_tok)
            if ante is not None:
                actor = self.actors.actor_at(self.doc[ante[0]].idx, self.doc[ante[1] - 1].idx + len(self.doc[ante[1] - 1].text))
                if actor is None:
                    actor = self.speaker(*ante)["actor"]
        if actor is None:
            low = span.text.lower()
            if end_tok - start_tok == 1 and low == "sie" and "Plur" in span[0].morph.get("Number"):
                actor = self._group_before(start_tok)  # "Sie sagten": a group, never one person
            elif end_tok - start_tok == 1 and low in lexicon.pronouns():
                actor = self._person_before(span.start_char, gender=lexicon.pronouns()[low][0])
            elif not any(t.text[:1].isupper() and t.i > start_tok for t in span) or any(r in low for r in lexicon.role_nouns()):
                if not any(e.start >= start_tok and e.end <= end_tok for e in entities(self.doc)):
                    actor = self._role_match(span.text, span.start_char)
        if actor is None:
            actor = self._described_actor(start_tok, end_tok)
        record["actor"] = actor
        self.seen.append(record)
        return record

    def _described_actor(self, start_tok: int, end_tok: int) -> str | None:
        """Return the organisation or group that a definite description takes up ("Die
        Oppositionspartei" after "die Oppositionspartei Drugaja Rossija", "die Menschenrechtler"
        after "die Beobachtungsstelle für Menschenrechte"): the actor named last before the phrase
        with a mention word that the head noun shares its stem with. None for other phrases."""
        doc = self.doc
        if doc[start_tok].lower_ not in word_class("article") or doc[start_tok].lower_ in word_class("indefinite_article"):
            return None
        head = doc[end_tok - 1]
        if end_tok - start_tok < 2 or not head.text[:1].isupper() or len(head.text) < 5 or head.ent_type_:
            return None
        best, best_start = None, -1
        for start, end, actor_id in self.mention_spans:
            if end > head.idx or start <= best_start or self.kinds.get(actor_id) not in ("organization", "group"):
                continue
            if any(same_stem(head.lower_, w.lower()) for w in self.text[start:end].split()):
                best, best_start = actor_id, start
        return best

    def possessor(self, i: int) -> dict:
        """Return the speaker record for the possessive at token i ("Seine Meinung …"): the
        possessive itself, resolved like a pronoun to the last speaker or person."""
        tok = self.doc[i]
        record = {"actor": self._person_before(tok.idx), "text": tok.text, "start": tok.idx,
                  "end": tok.idx + len(tok.text)}
        self.seen.append(record)
        return record

    def antecedent(self, i: int) -> tuple[int, int] | None:
        """Return the antecedent phrase of a relative pronoun at token i ("den USA, die … vorwerfen")."""
        doc = self.doc
        tok = doc[i]
        if tok.lower_ not in word_class("relative") or tok.lower_ not in word_class("article") and tok.lower_ not in ("welche", "welcher"):
            return None
        if i < 2 or doc[i - 1].text != ",":
            return None
        if has_parse(doc):
            verb = tok.head
            if verb.dep_ in ("acl", "acl:relcl") and verb.head.i < i:
                head = verb.head
                keep = [t.i for t in head.subtree if t.i < i - 1]
                if keep:
                    return (min(keep), max(keep) + 1)
        # surface: the phrase ending right before the comma
        for start in range(max(0, i - 9), i - 1):
            np = np_at(doc, start, i - 1)
            if np and np[1] == i - 1:
                return np
        return None

    def elided(self, char: int) -> dict | None:
        """Return the speaker record for a cue without its own subject: the last speaker, if any."""
        best = None
        for ent in entities(self.doc):
            if ent.end_char <= char and ent.label_ in PERSON_LABELS:
                best = (ent.start_char, ent.end_char)
        for start, end, actor_id in self.mention_spans:  # persons the actors step found (names, roles)
            if end <= char and self.kinds.get(actor_id) == "person" and (best is None or start > best[0]):
                if self.text[start:end].lower() not in lexicon.pronouns():
                    best = (start, end)
        last = self.last_speaker(char)
        if last and (best is None or best[0] < last["start"]):
            return dict(last)
        if best is None:
            return None
        return {"actor": self.actors.actor_at(*best), "text": self.text[best[0]:best[1]],
                "start": best[0], "end": best[1]}

    def actor_of_span(self, start_tok: int, end_tok: int) -> str | None:
        """Return the actor id for a token range (an addressee), or None."""
        span = self.doc[start_tok:end_tok]
        return self.actors.actor_at(span.start_char, span.end_char)


def same_stem(head: str, word: str) -> bool:
    """Return True when noun `head` takes up `word` of a name: the same word, the last part of a
    compound ("partei" in "oppositionspartei"), or one stem with another ending
    ("menschenrechtler", "menschenrechte"; at least eight letters in common)."""
    if head == word or len(head) >= 5 and word.endswith(head):
        return True
    common = 0
    for a, b in zip(head, word):
        if a != b:
            break
        common += 1
    return common >= 8 and common >= max(len(head), len(word)) - 3
