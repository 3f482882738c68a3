"""Event times: which time expression belongs to which trigger, normalised with dates.py.

Each time expression of a sentence belongs to the nearest event noun before it in its phrase
(no verb between), else to the nearest trigger or event noun (a word in
-ung/-nahme, e.g. "nach seiner Ernennung im Mai" is the appointment's time, not the visit's)
in its clause segment; with none there, to the nearest trigger of the sentence. A trigger
takes the nearest expression it owns. The publication date is never an event's time by
default: a trigger without an expression has no time. Relative expressions count from the
publication date, "einen Tag zuvor" from the time of the event mentioned just before.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from spacy.tokens import Span

from lagebild_core import dates
from workers.pipeline.document import DocumentView
from workers.pipeline.events import lexicon
from workers.pipeline.events.triggers import TriggerMatch

EVENT_NOUN_ENDINGS = ("ung", "ungen", "nahme", "nahmen")


def assign_times(view: DocumentView, segments: dict[int, list[Span]],
                 triggers: list[TriggerMatch], actors=None) -> dict[int, dates.TimeExpression]:
    """Return {trigger token index: its time expression} for the triggers that have one.

    A word in -ung that names an actor ("Bundesregierung", "Führung") is no event noun: it does not
    take the time from the trigger ("Gestern hat die Bundesregierung … zugestimmt")."""
    doc = view.doc
    trigger_tokens = {f.token.i for f in triggers}

    def names_actor(t) -> bool:
        return actors is not None and actors.actor_at(t.idx, t.idx + len(t)) is not None
    owned: dict[int, list[tuple[int, dates.TimeExpression]]] = {}
    for expr in view.times:
        if names_a_thing(view, expr):
            continue
        first = view.token_at(expr.start)
        last = view.token_at(max(expr.start, expr.end - 1))
        sentence = view.sentence_at(first)
        if sentence is None:
            continue
        segment = next((g for g in segments.get(sentence.start, []) if g.start <= first < g.end), None)
        anchors: list[int] = []
        if segment is not None:
            # an event noun that is no trigger owns a time only from before it ("nach seiner Ernennung
            # im Mai"): a time in front of a noun is no part of its phrase ("hatte am Montag … die
            # Umstellung … gefordert": the demand's time)
            anchors = [t.i for t in segment if t.i in trigger_tokens or (
                t.text[:1].isupper() and t.lower_.endswith(EVENT_NOUN_ENDINGS) and t.i < first
                and not names_actor(t))]
        if not any(a in trigger_tokens for a in anchors):
            # another clause's trigger takes the time only when the time stands alone in its
            # segment ("…, nächste Woche, …"); "erklärte …, am Donnerstag" dates the statement
            if segment is not None and len(segment) - (last - first + 1) <= 2:
                speech = lexicon.speech_verb_forms()
                anchors = anchors + [i for i in trigger_tokens if sentence.start <= i < sentence.end
                                     and not any(t.lower_ in speech for t in doc[min(i, first):max(i, last)])]
        if not anchors:
            continue

        def distance(i: int) -> int:
            return first - i if i < first else i - last
        nouns_before = [i for i in anchors if i < first and first - i <= 8 and doc[i].text[:1].isupper()
                        and not any(t.pos_ in ("VERB", "AUX") for t in doc[i + 1:first])]
        # "seit dem Einmarsch … im Februar 2022 ausgebaut": a time right after a noun's phrase is the noun's
        owner = max(nouns_before) if nouns_before else min(anchors, key=lambda i: (distance(i), i))
        if owner in trigger_tokens:
            owned.setdefault(owner, []).append((distance(owner), expr))
    return {i: min(items, key=lambda item: item[0])[1] for i, items in owned.items()}


def names_a_thing(view: DocumentView, expr: dates.TimeExpression) -> bool:
    """Return True for a bare year right after a noun: part of a name ("des Haushaltsplans 2006",
    "die Agenda 2030"), not a time; "seit 2011", "bis 2024" keep theirs."""
    if expr.pattern != "year_bare":
        return False
    first = view.token_at(expr.start)
    sentence = view.sentence_at(first)
    if sentence is None or first <= sentence.start:
        return False
    before = view.doc[first - 1]
    return before.text[:1].isupper() and before.is_alpha and before.pos_ in ("NOUN", "PROPN", "")


def normalise(expr: dates.TimeExpression, anchor: dt.date | None, tense: str | None,
              reference: dict | None, sentence_year: int | None = None) -> dict:
    """Return the schema-v1 time of an expression with its character span.

    A month or season without a year takes `sentence_year` when the sentence names one
    ("im vergangenen Jahr … kurz vor der Invasion im Februar": February of that year)."""
    if sentence_year and expr.year is None and (expr.month or expr.season) and expr.day is None \
            and expr.unit is None and expr.relative_to == "anchor":
        expr = dataclasses.replace(expr, year=sentence_year, relative_to=None, step=None)
    value = dates.normalise(expr, anchor, tense, reference)
    return {**value, "start": expr.start, "end": expr.end}


def sentence_years(view: DocumentView, anchor: dt.date | None) -> dict[int, int]:
    """Return {sentence start: year} for sentences that name a whole year ("im vergangenen Jahr",
    "2022"), resolved against the anchor."""
    years: dict[int, int] = {}
    for expr in view.times:
        sentence = view.sentence_at(view.token_at(expr.start))
        if sentence is None or expr.end > sentence.end_char or names_a_thing(view, expr):
            continue
        item = dates.normalise(expr, anchor, "past")
        if item.get("granularity") == "year" and item.get("value"):
            years.setdefault(sentence.start, int(item["value"]))
    return years

