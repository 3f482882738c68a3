"""Trigger words: which tokens express an event, and which lexicon entry types them.

`find_triggers(doc)` returns `TriggerMatch` records in text order. A token is a trigger when its form
(or, with a lemmatising model, its lemma) is in lexicons/events/triggers.tsv: verbs in any
inflection, separable verbs only with their particle closing the clause ("traf … zusammen",
"warf … vor") or fused ("zusammentraf", "vorgeworfen"), nouns in any case and number and as
the last part of a compound ("Militärübungen" → Übung, "Luftpatrouillen" → Patrouille).
Triggers inside direct quotes are left out: what a speaker says is a quote; events are taken
from the narration and from indirect speech.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from workers.pipeline.document import DocumentView, token_table
from workers.pipeline.events import clauses, lexicon

MIN_COMPOUND_PREFIX = 3
SPEECH_PARTICLE_END = {".", ",", ";", ":", "!", "?", "–", "—", "“", "”", '"', "«", ")"}


@dataclass(frozen=True)
class TriggerMatch:
    """A trigger token, its lexicon entry, its clause segment and the particle token if any."""

    token: Token
    entry: lexicon.Trigger
    segment: Span
    particle: Token | None = None

    @property
    def is_noun(self) -> bool:
        return self.entry.pos == "noun"


def _closing_particle(segment: Span, verb: Token, particle: str) -> Token | None:
    """Return the particle token that closes the verb's clause ("zusammen" in "traf … zusammen")."""
    for tok in segment:
        if tok.i <= verb.i or tok.lower_ != particle:
            continue
        if tok.dep_ == "compound:prt":
            return tok
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is None or tok.i + 1 >= segment.end or nxt.text in SPEECH_PARTICLE_END or nxt.lower_ in ("und", "oder"):
            return tok
    return None


def _noun_entries(token: Token) -> list[lexicon.Trigger]:
    """Return the noun entries a capitalised token is a form or compound of."""
    index = lexicon.form_index()
    low = token.lower_
    if low in index["noun"]:
        return index["noun"][low]
    if token.lemma_ and token.lemma_.lower() in index["lemma"]:
        found = [e for e in index["lemma"][token.lemma_.lower()] if e.pos == "noun"]
        if found:
            return found
    if low.startswith(lexicon.words("stop_compounds.tsv")):
        return []
    for cut in range(MIN_COMPOUND_PREFIX, len(low) - 3):
        tail = low[cut:].lstrip("-")
        if tail in index["noun"]:
            return index["noun"][tail]
    return []


def _verb_entries(token: Token, segment: Span) -> tuple[list[lexicon.Trigger], Token | None]:
    """Return the verb entries a token is a form of, and the closing particle that selects one."""
    index = lexicon.form_index()
    low = token.lower_
    candidates = list(index["fused"].get(low, []))
    if candidates:
        return candidates, None
    lemma = token.lemma_.lower() if token.lemma_ else ""
    by_lemma = [e for e in index["lemma"].get(lemma, []) if e.pos == "verb"] if lemma and lemma != low else []
    separated = list(index["separated"].get(low, []))
    for entry in separated + by_lemma:
        if entry.particle:
            particle = _closing_particle(segment, token, entry.particle)
            if particle is not None:
                return [e for e in separated + by_lemma if e.particle == entry.particle], particle
    plain = [e for e in separated + by_lemma if not e.particle]
    if plain and any(_closing_particle(segment, token, p) for p in _other_particles(low)):
        return [], None  # "sagte … zu" of an entry-less particle verb is not the base verb
    return plain, None


def _other_particles(form: str) -> tuple[str, ...]:
    """Separable particles that turn a base verb into another verb ("treffen" → "eintreffen")."""
    return tuple(lexicon.word_class("separable_particle"))


def _excluded(entry: lexicon.Trigger, token: Token, segment: Span) -> bool:
    """Return True if exclusions.tsv says this use of the word is no event."""
    stems, before = lexicon.exclusions().get(entry.full_lemma, ((), ()))
    if not stems and not before:
        stems, before = lexicon.exclusions().get(entry.lemma, ((), ()))
    if before and token.i > segment.start and token.doc[token.i - 1].lower_ in before:
        return True
    return bool(stems) and any(t.lower_.startswith(stems) for t in segment)


def _requirements_met(entry: lexicon.Trigger, segment: Span) -> bool:
    """Return True if the entry needs no context word or one of its stems is in the segment."""
    if not entry.requires:
        return True
    text = segment.text.lower()
    return any(stem in text for stem in entry.requires)


def _attributive(token: Token, segment: Span) -> bool:
    """Return True for a participle used as an adjective ("die von den USA unterstützte Gruppe",
    "dem erwarteten Besuch"): an inflected -t-/-en- form between a determiner or preposition
    earlier in the phrase and the capitalised noun it qualifies."""
    if token.pos_ == "ADJ":
        return True
    doc = token.doc
    nxt = doc[token.i + 1] if token.i + 1 < segment.end else None
    if nxt is not None and nxt.text[:1].islower() and nxt.lower_.endswith(("e", "en", "er", "es", "em")) \
            and token.i + 2 < segment.end and doc[token.i + 2].text[:1].isupper():
        nxt = doc[token.i + 2]  # "die verstärkte sicherheitspolitische Koordination"
    if nxt is None or not nxt.text[:1].isupper() or token.i == segment.start:
        return False
    low = token.lower_
    if not low.endswith(("te", "ten", "tes", "tem", "ter", "ene", "enen", "enes", "enem", "ener")):
        return False
    before = doc[token.i - 1]
    if before.lower_ in lexicon.word_class("article"):
        return True
    agent = [t.lower_ for t in doc[max(segment.start, token.i - 4):token.i]]
    return before.text[:1].isupper() and any(w in lexicon.word_class("agent_preposition") for w in agent)


def find_triggers(view: DocumentView) -> list[TriggerMatch]:
    """Return every trigger of the article outside quoted speech, in text order, one entry each.

    With several entries for one form (rare), the first in the lexicon wins. Nouns must be
    capitalised; with POS tags, verbs must be tagged VERB/AUX and nouns NOUN/PROPN.
    """
    has_pos = view.doc.has_annotation("POS")
    found: list[TriggerMatch] = []
    doc, words = view.doc, token_table(view.doc).words
    for sentence in view.sentences:
        for segment in clauses.segments(sentence):
            for i in range(segment.start, segment.end):
                # (Token.is_alpha is str.isalpha of its text: no Token for punctuation and numbers)
                if not words[i].isalpha():
                    continue
                token = doc[i]
                if view.in_speech_quote(token.idx, token.idx + len(token)):
                    continue
                match, particle = None, None
                if token.text[0].isupper() and (not has_pos or token.pos_ in ("NOUN", "PROPN", "X", "")):
                    nouns = _noun_entries(token)
                    match = nouns[0] if nouns else None
                if match is None and (token.text[0].islower() or token.i == segment.start) \
                        and (not has_pos or token.pos_ in ("VERB", "AUX", "NOUN", "")):
                    if _attributive(token, segment):
                        continue
                    verbs, particle = _verb_entries(token, segment)
                    verbs = [v for v in verbs if _requirements_met(v, segment)]
                    match = verbs[0] if verbs else None
                if match is not None and match.lemma == "Krieg" and token.i > 0 \
                        and token.doc[token.i - 1].lower_ == "kalten":
                    continue  # "im Stil des Kalten Krieges": an era, not a war
                if match is not None and _excluded(match, token, segment):
                    continue
                if match is not None and _requirements_met(match, segment):
                    found.append(TriggerMatch(token=token, entry=match, segment=segment, particle=particle))
    return found
