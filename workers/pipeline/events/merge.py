"""One happening, one event: fold repeated mentions (headline, lead, body) together.

Two event records are the same happening when they have the same type, no conflicting mode,
compatible modality (equal, or planned and hypothetical), participants that are not disjoint
(when both name any: sources must share an actor if both have sources, and the participants
as a whole must share one), times that overlap (when both have one) and places that agree
(when both have one); mentions that share none of participants, time and place must use
the same word or words of one family in families.tsv ("Vorwurf" / "warf … vor"). Hosting and meeting are the same meeting ("empfing" / "Treffen"). A mention without participants joins the first compatible event.
"""
from __future__ import annotations

from dataclasses import dataclass

from lagebild_core import gazetteer
from lagebild_core.dates import bounds
from workers.pipeline.events import lexicon

GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4, None: 9}
SOFT_MODALITIES = {"planned", "hypothetical"}
GENERIC_FAMILIES = {"talk", "war"}  # "das Gespräch" may take up a call or a meeting, "der Krieg" an invasion
SAME_MODES = [{"meet", "host"}]  # "Putin empfing Zhang" and "das Treffen" are one meeting


@dataclass(frozen=True)
class EventDraft:
    """One trigger's event before merging: its schema-v1 `record`, the word `family` of its
    trigger (families.tsv, else "TYPE/mode") and the trigger's `lemma`."""

    record: dict
    family: str
    lemma: str
    noun: bool = False
    indefinite: bool = False  # "ein Bürgerkrieg": a new happening, unless its participants say otherwise


def _place_code(location: dict | None) -> str | None:
    if not location:
        return None
    text = location["text"].removeprefix("rund um ")
    return gazetteer.state_of(text) or gazetteer.state_of(text.split(",")[0]) or gazetteer.country_of(text)


def places_agree(a: dict | None, b: dict | None) -> bool:
    """Return True if two locations may be the same place (either missing counts as agreeing)."""
    if not a or not b:
        return True
    if a.get("actor") and a.get("actor") == b.get("actor"):
        return True
    ta, tb = a["text"].lower(), b["text"].lower()
    if ta in tb or tb in ta:
        return True
    ca, cb = _place_code(a), _place_code(b)
    if ca and cb:
        return ca == cb
    if not (ca or cb):
        return False
    # a town the gazetteer does not know may lie in the named state; a sea or region does not
    uncoded = tb if ca else ta
    return not uncoded.split()[-1].endswith(lexicon.words("places.tsv"))


def times_agree(a: dict | None, b: dict | None) -> bool:
    """Return True if two event times overlap (either without a value counts as agreeing)."""
    ba, bb = bounds(a), bounds(b)
    if ba is None or bb is None:
        return True
    return ba[0] <= bb[1] and bb[0] <= ba[1]


def _shares(a: list[str], b: list[str], states: dict[str, str], countries: dict[str, str]) -> bool:
    """Return True if two participant lists share an actor, or one names a state and the other
    that state or one of its people ("Russland" and "Putin" in "die russische Invasion")."""
    if set(a) & set(b):
        return True
    a_states = {states[x] for x in a if x in states}
    b_states = {states[x] for x in b if x in states}
    a_all = {countries[x] for x in a if x in countries}
    b_all = {countries[x] for x in b if x in countries}
    return bool(a_states & b_all or b_states & a_all)


def _taken_up(earlier: EventDraft, later: EventDraft) -> bool:
    """Return True if `later` names the asserted happening `earlier` again with a definite noun of the
    same word whose modality is only its frame's ("Israel begann eine Bodenoffensive … forderten Israel
    auf, die Bodenoffensive zu begrenzen": what is demanded is about that offensive, not a new one).
    Only a happening whose participants are known is taken up so: "sein fünftes Treffen mit Putin"
    after "während des Treffens" (no participants) may be another meeting."""
    return earlier.record["modality"] == "asserted" and later.noun and not later.indefinite \
        and later.lemma == earlier.lemma and later.record["modality"] in SOFT_MODALITIES \
        and bool(_participants(earlier))


def compatible(draft_a: EventDraft, draft_b: EventDraft, states: dict[str, str] | None = None,
               countries: dict[str, str] | None = None) -> bool:
    """Return True if two event drafts may describe the same happening.

    `states` maps the ids of state actors to their country, `countries` every actor with a
    country to it; with them a state and its people count as the same participant."""
    states, countries = states or {}, countries or {}
    a, b = draft_a.record, draft_b.record
    family_a, family_b = draft_a.family, draft_b.family
    if a["type"] != b["type"]:
        return False
    if family_a != family_b and not {family_a, family_b} & GENERIC_FAMILIES:
        return False
    if family_a != family_b and draft_a.indefinite and family_a in GENERIC_FAMILIES:
        return False  # "In Syrien tobt seit 2011 ein Bürgerkrieg" is the setting, not the later "Luftangriffe"
    if a["mode"] and b["mode"] and a["mode"] != b["mode"] and {a["mode"], b["mode"]} not in SAME_MODES:
        return False
    if a["modality"] != b["modality"] and not {a["modality"], b["modality"]} <= SOFT_MODALITIES \
            and not _taken_up(draft_a, draft_b):
        return False
    if a["source"] and b["source"] and not _shares(a["source"], b["source"], states, countries):
        if not _shares(a["source"], b["target"], states, countries) \
                or not _shares(a["target"], b["source"], states, countries):
            return False  # "X traf Y" and "Y traf X" are one meeting; other sources are others
    pa, pb = a["source"] + a["target"], b["source"] + b["target"]
    if pa and pb and not _shares(pa, pb, states, countries):
        return False
    if not (times_agree(a["time"], b["time"]) and places_agree(a["location"], b["location"])):
        return False
    # nothing in common but the type: only the same word names the same happening again
    # ("Treffen" … "Treffen"); "erklärt" and "vereinbarten" without participants stay apart
    shared = (pa and pb) or (bounds(a["time"]) and bounds(b["time"])) or (a["location"] and b["location"])
    same_word = draft_a.lemma == draft_b.lemma or family_a in lexicon.families().values() \
        and family_a == family_b or {family_a, family_b} & GENERIC_FAMILIES
    return bool(shared or same_word)


def _fold(into_draft: EventDraft, other_draft: EventDraft, states: dict[str, str] | None = None,
          countries: dict[str, str] | None = None) -> None:
    """Add `other`'s mentions and the details it knows better to `into`. A state is not added
    next to one of its own people in the same role ("Putins Invasion" … "Russlands Krieg")."""
    states, countries = states or {}, countries or {}
    into, other = into_draft.record, other_draft.record
    into["mentions"].extend(other["mentions"])
    for role in ("source", "target"):
        for actor in other[role]:
            if actor in into["source"] or actor in into["target"]:
                continue
            if actor in states and any(countries.get(a) == states[actor] for a in into[role]):
                continue
            into[role].append(actor)
    if into["mode"] is None:
        into["mode"] = other["mode"]
    if into["location"] is None:
        into["location"] = other["location"]
    if other["time"] and other["time"].get("value") and (
            not into["time"] or GRANULARITY_RANK[other["time"].get("granularity")]
            < GRANULARITY_RANK[into["time"].get("granularity")]):
        into["time"] = other["time"]
    elif into["time"] is None:
        into["time"] = other["time"]
    if {into["modality"], other["modality"]} == {"planned", "hypothetical"}:
        into["modality"] = "planned"  # an asserted happening stays asserted when taken up in a demand
    into["confidence"] = round(min(0.99, max(into["confidence"], other["confidence"]) + 0.05), 2)


def _participants(draft: EventDraft) -> list[str]:
    return draft.record["source"] + draft.record["target"]


def _score(draft_a: EventDraft, draft_b: EventDraft) -> int:
    a, b = draft_a.record, draft_b.record
    shared = len((set(a["source"]) | set(a["target"])) & (set(b["source"]) | set(b["target"])))
    same_time = int(bool(a["time"] and b["time"] and a["time"].get("value") == b["time"].get("value")))
    return 2 * shared + same_time + int(a["mode"] == b["mode"])


def heading_fits(event: EventDraft, heading: EventDraft, states: dict[str, str], countries: dict[str, str]) -> bool:
    """Return True if a heading's trigger may name a body event: the same type and mode, and
    participants that are not disjoint when both name any (the heading's word, time and
    modality are a headline's: "15 Festnahmen" for "… festgenommen")."""
    a, b = event.record, heading.record
    if a["type"] != b["type"] or a["mode"] and b["mode"] and a["mode"] != b["mode"] \
            and {a["mode"], b["mode"]} not in SAME_MODES:
        return False
    pa, pb = a["source"] + a["target"], b["source"] + b["target"]
    return not (pa and pb) or _shares(pa, pb, states, countries)


def _merge(drafts: list[EventDraft], states: dict[str, str], countries: dict[str, str]) -> list[EventDraft]:
    merged: list[EventDraft] = []
    for draft in drafts:
        candidates = [m for m in merged if compatible(m, draft, states, countries) and not (
            draft.indefinite and not _shares(_participants(m), _participants(draft), states, countries))]
        if candidates:
            # the best match; on a tie the latest ("die Übungen" takes up the exercise just named)
            best = max(range(len(candidates)), key=lambda i: (_score(candidates[i], draft), i))
            _fold(candidates[best], draft, states, countries)
        else:
            merged.append(draft)
    return merged


def merge_events(drafts: list[EventDraft], actors: list[dict] | None = None,
                 headings: list[EventDraft] | None = None) -> list[dict]:
    """Return the event records with mentions of one happening folded into its first mention's record.

    `actors` (the article's actor records) lets a state and its people count as one participant.
    `headings` are the drafts of triggers in headings: each is folded into the body event it
    fits best (`heading_fits`); only a happening that no body trigger names is the heading's own."""
    actors = actors or []
    countries = {a["id"]: a["country"] for a in actors if a.get("country")}
    states = {a["id"]: a["country"] for a in actors if a.get("country") and a.get("kind") == "state"}
    merged = _merge(drafts, states, countries)
    alone: list[EventDraft] = []
    for heading in headings or []:
        candidates = [m for m in merged if heading_fits(m, heading, states, countries)]
        if not candidates:
            alone.append(heading)  # a happening only the headline names
            continue
        best = max(range(len(candidates)), key=lambda i: (_score(candidates[i], heading), -i))
        record = candidates[best].record
        record["mentions"] = [*heading.record["mentions"], *record["mentions"]]
        for role in ("source", "target"):  # a headline names its actors in full
            record[role] += [a for a in heading.record[role] if a not in record["source"] + record["target"]]
    merged = _merge(alone, states, countries) + merged
    return [draft.record for draft in merged]
