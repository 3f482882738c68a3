"""Tense and modality of a trigger's clause: asserted, planned, negated or hypothetical.

Rules (word lists in lexicons/events/word_classes.tsv and context.tsv):
- negated: "nicht"/"nie" in a verb trigger's clause, "kein…" right before a noun trigger or
  before the object of a verb trigger ("liefert keine Waffen");
- hypothetical: Konjunktiv II ("wäre", "würde", "könnte"), "falls"/"wenn", and the content of
  an attempt, a prevention or a request ("versucht, … zu isolieren", "forderten …, Russland
  nicht zu unterstützen": the requested support did not happen), and the deed of an accusation
  ("werfen Russland vor, … angegriffen zu haben": not established);
- planned: future "wird/werden" + infinitive, "soll", "will", "plant", "bereit", and nouns
  qualified as "geplant", "erwartet", "bevorstehend", "bald";
- otherwise asserted. Negation wins over the others, hypothetical over planned.
Tense (for time normalisation): "past" for past forms and perfect/pluperfect auxiliaries,
"future" for planned events, else None (present: the nearest date).
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from workers.pipeline.events import lexicon
from workers.pipeline.events.triggers import TriggerMatch



def _segment_before(found: TriggerMatch) -> Span | None:
    """Return the segment right before the trigger's segment in the same sentence, if any."""
    doc = found.token.doc
    start = found.segment.start - 1
    if start <= 0:
        return None
    i = start - 1
    while i > 0 and doc[i].text not in (",", ".", "!", "?", ";", ":", "\n") and "\n" not in doc[i].text:
        i -= 1
    return doc[i + 1:start] if i + 1 < start else None


def tense(found: TriggerMatch) -> str | None:
    """Return "past", "future" or None (present) for the trigger's clause."""
    token, segment = found.token, found.segment
    words = [t.lower_ for t in segment]
    future_aux = lexicon.word_class("future_aux")
    if any(w in future_aux for w in words) and not any(w in ("wurde", "wurden") for w in words):
        return "future"
    if found.entry.pos == "verb":
        if "Past" in token.morph.get("Tense"):
            return "past"
        low = token.lower_
        if low in found.entry.forms and not low.endswith(("t", "en")) or low.endswith(("te", "ten", "test")):
            return "past"
        if low in found.entry.forms and low.startswith(tuple(lexicon.word_class("strong_past_stem"))):
            return "past"
    past_aux = lexicon.word_class("past_aux")
    for tok in segment:
        if "Past" in tok.morph.get("Tense") and tok.pos_ in ("AUX", "VERB"):
            return "past"
        if tok.lower_ in past_aux and tok.lower_ not in ("ist", "sind"):
            return "past"
        if tok.lower_ in ("ist", "sind") and tok.i < len(tok.doc) - 1:
            # "ist … gereist": perfect with sein; a participle later in the clause
            if any(t.lower_.startswith("ge") and t.lower_.endswith(("t", "en")) and t.i > tok.i for t in segment):
                return "past"
    return None


def modality(found: TriggerMatch) -> str:
    """Return "negated", "hypothetical", "planned" or "asserted" for one trigger."""
    token, segment = found.token, found.segment
    words = [t.lower_ for t in segment]
    doc = token.doc
    word_class = lexicon.word_class
    negative_det = tuple(word_class("negative_determiner"))
    if found.entry.pos == "noun":
        for i in range(token.i - 1, max(segment.start, token.i - 3) - 1, -1):
            if doc[i].lower_.startswith(negative_det):
                return "negated"       # "keine Übungen", "keine gemeinsamen Übungen"
            if doc[i].text[:1].isupper():
                break                  # "keiner Seite im Krieg": the negation is another noun's
        near = [t.lower_ for t in doc[max(segment.start, token.i - 4):token.i]]
        if any(w.startswith(stem) for w in near for stem, effect, _ in lexicon.context() if effect == "planned"):
            return "planned"
        if _governed(found):
            return "asserted"  # "nach dem Treffen", "bei der Offensive": the clause's mood is not the noun's
    else:
        if any(w in word_class("negation") for w in words) or any(
                w.startswith(negative_det) for w in words[token.i - segment.start + 1:]):
            if not _content_of_attempt(found):
                return "negated"
    if any(w in word_class("hypothetical") for w in words) or _content_of_attempt(found) \
            or found.entry.pos == "verb" and _content_of_attempt(found, "accusation_stem"):
        return "hypothetical"
    if any(w in word_class("future_aux") for w in words) and not any(w in ("wurde", "wurden") for w in words):
        return "planned"
    if any(w in word_class("planned") and w not in found.entry.requires for w in words) or "bald" in words:
        return "planned"  # ("sich bereit erklärt" is the agreement itself, not a plan)
    previous = _segment_before(found)
    if previous is not None and _is_infinitive_clause(found) and any(
            t.lower_.startswith(tuple(word_class("planning_stem"))) for t in previous):
        return "planned"
    return "asserted"


def _governed(found: TriggerMatch) -> bool:
    """Return True if a preposition governs the noun trigger ("während des Treffens")."""
    doc = found.token.doc
    for i in range(found.token.i - 1, max(found.segment.start, found.token.i - 4) - 1, -1):
        word = doc[i].lower_
        if word in lexicon.word_class("governing_preposition"):
            return True
        if doc[i].text[:1].isupper() and i != found.segment.start and not doc[i].text.endswith("s"):
            return False  # a genitive name may stand between ("seit Putins Invasion")
    return False


def _is_infinitive_clause(found: TriggerMatch) -> bool:
    """Return True for a zu-infinitive clause ("…, Russland nicht zu unterstützen")."""
    token = found.token
    low = token.lower_
    if found.entry.pos == "verb" and (token.i > 0 and token.doc[token.i - 1].lower_ == "zu" or "zu" in low[2:-4]):
        return True
    return any(t.lower_ == "zu" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].text[:1].islower()
               for t in found.segment) or any(t.lower_ == "dass" for t in found.segment[:1])


def _content_of_attempt(found: TriggerMatch, stems_class: str = "attempt_stem") -> bool:
    """Return True if the trigger's clause is what someone tries, prevents or requests (or, with
    "accusation_stem", what someone is accused of)."""
    if not _is_infinitive_clause(found):
        return False
    previous = _segment_before(found)
    stems = tuple(lexicon.word_class(stems_class))
    return previous is not None and any(t.lower_.startswith(stems) for t in previous)


def context_mode(found: TriggerMatch, words: list[Token]) -> str | None:
    """Return the PLOVER mode that context words give an untyped trigger ("militärische
    Zusammenarbeit" → military), else None."""
    for tok in words:
        low = tok.lower_
        for stem, effect, value in lexicon.context():
            if effect == "mode" and low.startswith(stem):
                return value
    return None


def is_joint(found: TriggerMatch) -> bool:
    """Return True if "gemeinsam"/"zusammen"/"bilateral" qualifies the trigger's clause."""
    stems = [stem for stem, effect, _ in lexicon.context() if effect == "joint"]
    return any(t.lower_.startswith(tuple(stems)) for t in found.segment)


def is_separate(found: TriggerMatch) -> bool:
    """Return True if "separat"/"getrennt"/"jeweils" says the sides acted each on their own
    ("während beide Marinen separat … übten"): no joint happening."""
    stems = [stem for stem, effect, _ in lexicon.context() if effect == "separate"]
    return bool(stems) and any(t.lower_.startswith(tuple(stems)) for t in found.segment)
