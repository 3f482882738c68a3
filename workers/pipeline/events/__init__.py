"""Events: who did what to whom, where and when, typed with PLOVER.

`extract_events(view, actors, published_at)` returns schema-v1 event records. The steps are
small functions over the `Doc`, one module each:
  triggers.py   which words express an event and of which type (lexicons/events/triggers.tsv)
  arguments.py  source, target and location from the trigger's clause
  modality.py   asserted / planned / negated / hypothetical, and the clause's tense
  timing.py     which time expression is the event's, normalised with dates.py
  merge.py      one happening mentioned several times becomes one event with several mentions

What is an event and what is not (the rule the lexicon follows): a statement is a quote, so
speech verbs (sagen, erklären, betonen, mitteilen) are no triggers; verbs whose content is
itself a political act are events even though they are said: demanding (fordern, auffordern
→ REQUEST), accusing and condemning (vorwerfen, beschuldigen, kritisieren, verurteilen →
ACCUSE), threatening (drohen → THREATEN), rejecting (ablehnen, zurückweisen → REJECT),
agreeing (vereinbaren, zusagen, "sich bereit erklären" → AGREE). Triggers inside direct
quotes are not taken (the speaker's own words are the quote). Exercises and patrols are
COOPERATE (mode military) when joint ("gemeinsam", "mit X", two sources), otherwise MOBILIZE.
"""
from __future__ import annotations

import datetime as dt

from lagebild_core.dates import bounds
from workers.pipeline.actors import ActorIndex
from workers.pipeline.document import DocumentView
from workers.pipeline.events import arguments, clauses, lexicon, merge, modality, timing, triggers

CONTEXT_MODE_TYPES = {"COOPERATE", "AID", "SUPPORT"}

__all__ = ["extract_events"]


def _mention(span_or_token) -> dict:
    start = span_or_token.idx if hasattr(span_or_token, "idx") else span_or_token.start_char
    return {"text": span_or_token.text, "start": start, "end": start + len(span_or_token.text)}


def _evidence(sentence) -> dict:
    """The sentence as a mention, without surrounding whitespace."""
    text = sentence.text
    lead = len(text) - len(text.lstrip())
    body = text.strip()
    start = sentence.start_char + lead
    return {"text": body, "start": start, "end": start + len(body)}


def _indefinite(found: triggers.TriggerMatch) -> bool:
    """Return True if an indefinite article introduces the noun trigger, across its adjectives
    ("ein Bürgerkrieg", "bei einem überraschenden Besuch")."""
    doc = found.token.doc
    for i in range(found.token.i - 1, max(found.segment.start, found.token.i - 4) - 1, -1):
        word = doc[i].lower_
        if word in lexicon.word_class("indefinite_article"):
            return True
        if doc[i].text[:1].isupper() or not doc[i].is_alpha:
            return False
    return False


def _after_publication(event_modality: str, time: dict | None, published_at: dt.date | None) -> str:
    """Return "planned" for an asserted event dated to a day after the publication date ("Auf dem
    Treffen am 26. Januar werden … besprochen", published on the 21st): it has not happened yet.
    A later week or year may be the content's time ("fordert … bis 2024"), not the event's."""
    span = bounds(time) if published_at is not None and time and time.get("granularity") == "day" else None
    if event_modality == "asserted" and span is not None and span[0] > published_at:
        return "planned"
    return event_modality


def _confidence(found: triggers.TriggerMatch, args: arguments.Arguments, time: dict | None) -> float:
    score = 0.4 + (0.2 if args.source else 0.0) + (0.1 if args.target else 0.0)
    score += 0.1 if found.entry.pos == "verb" else 0.0
    score += 0.1 if time and time.get("value") else 0.0
    return round(min(score, 0.95), 2)


def extract_events(view: DocumentView, actors: ActorIndex, published_at: dt.date | None,
                   merge_mentions: bool = True) -> list[dict]:
    """Return schema-v1 event records for the article, one per happening, in order of first mention.

    `merge_mentions=False` returns one record per trigger (for evaluation and debugging).
    Triggers in headings and sublines (`view.headings`) make no second event: they are mentions
    of the body's event of the same kind when there is one.
    """
    sentences = view.sentences
    segments = {s.start: clauses.segments(s) for s in sentences}
    found_all = triggers.find_triggers(view)
    nouns = frozenset(f.token.i for f in found_all if f.is_noun)
    scene = arguments.Scene(actors=actors, countries=arguments.country_actors(actors), view=view,
                            noun_triggers=nouns)
    times = timing.assign_times(view, segments, found_all, actors)
    years = timing.sentence_years(view, published_at)
    drafts: list[merge.EventDraft] = []
    headings: list[merge.EventDraft] = []
    reference: dict | None = None
    for found in found_all:
        args = arguments.extract_arguments(found, scene)
        if found.entry.full_lemma.lower() in lexicon.word_class("needs_participant") and not (args.source or args.target):
            continue  # "die Waffenruhe droht zu scheitern", "der Kampf um den Senat"
        event_type, mode = found.entry.type, found.entry.mode
        if found.entry.lemma.lower() in lexicon.word_class("exercise") and (modality.is_separate(found) or not (
                modality.is_joint(found) or len(args.source) > 1 and not args.paired or args.target)):
            event_type = "MOBILIZE"
        if mode is None and event_type in CONTEXT_MODE_TYPES:
            mode = modality.context_mode(found, list(found.segment))
        event_modality = modality.modality(found)
        tense = "future" if event_modality == "planned" else modality.tense(found)
        time = None
        expr = times.get(found.token.i)
        sentence = view.sentence_at(found.token.i)
        if expr is not None:
            time = timing.normalise(expr, published_at, tense, reference, years.get(sentence.start))
            if time.get("value"):
                reference = {"value": time["value"], "granularity": time["granularity"]}
        event_modality = _after_publication(event_modality, time, published_at)
        trigger = _mention(found.token)
        (headings if view.is_heading(found.token.i) else drafts).append(merge.EventDraft(record={
            "id": "",
            "type": event_type,
            "mode": mode,
            "trigger": trigger,
            "evidence": _evidence(sentence),
            "mentions": [dict(trigger)],
            "source": args.source,
            "target": args.target,
            "location": args.location,
            "time": time,
            "modality": event_modality,
            "confidence": _confidence(found, args, time),
        }, family=lexicon.families().get(found.entry.lemma, f"{event_type}/{mode}"), lemma=found.entry.full_lemma,
            noun=found.is_noun, indefinite=found.is_noun and _indefinite(found)))
    if merge_mentions:
        events = merge.merge_events(drafts, actors.actors, headings)
    else:
        events = [draft.record for draft in sorted(drafts + headings, key=lambda d: d.record["trigger"]["start"])]
    for number, event in enumerate(events, start=1):
        event["id"] = f"E{number}"

    return events
