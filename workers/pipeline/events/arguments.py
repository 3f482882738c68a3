"""Participants and place of an event: source, target and location from the trigger's clause.

The rules, in order of trust:
- a participant is always an actor of the actors step (`ActorIndex.actor_at` on the words), or,
  as a small fallback, the state actor that a place adjective names ("russische Offensive");
- a prepositional phrase decides the role: "mit X" (meetings, cooperation, agreements),
  "gegen X", "gegenüber X", and the prepositions the trigger's entry lists give targets;
  "von X" / "durch X" / a genitive ("Putins Invasion", "Besuch des Ministers") give the source
  of a noun; "in"/"nach"/"rund um" + a place give the location;
- of the bare noun phrases, the subject is the source (from the parse: nsubj; without a usable
  parse: the first one in the clause, with those joined to it by "und"); the others are objects,
  and an object is a target only if the trigger's entry says so (`object` column) — "forderte
  eine Vertiefung" has no target, "kritisierte die Nato" has one;
- a relative clause ("Putin, der … empfing") takes its subject from the antecedent.
"""
from __future__ import annotations

from spacy.tokens import Span

from lagebild_core import gazetteer
from workers.pipeline.events import clauses, lexicon, owners
from workers.pipeline.events.places import event_location
from workers.pipeline.events.spans import (
    WINDOW,
    ActorSpan,
    Arguments,
    Scene,
    actor_spans,
    blocked,
    coordinated,
    country_actors,
)
from workers.pipeline.events.triggers import TriggerMatch

NOUN_REACH = 10

__all__ = ["Arguments", "Scene", "country_actors", "extract_arguments"]





def _is_genitive_after(found: TriggerMatch, span: ActorSpan) -> bool:
    """Return True if an actor right after a noun trigger is its genitive ("Invasion Moskaus",
    "Besuch des chinesischen Staatsoberhauptes Xi Jinping")."""
    doc = found.token.doc
    between = doc[found.token.i + 1:span.start]
    if span.marker is not None or len(between) > 4:
        return False
    if not between:
        return True
    return between[0].lower_ in lexicon.word_class("genitive_determiner") and all(not t.is_punct for t in between)


def _antecedent(found: TriggerMatch, scene: Scene) -> list[str]:
    """Return the actors right before the comma that opens a relative clause, with those joined
    to the last by "und" ("der USA und ihrer Verbündeten, die Peking vorwerfen")."""
    doc = found.token.doc
    comma = found.segment.start - 1
    sentence = scene.sentence_at(comma)
    if sentence is not None:
        before = clauses.segments(doc[sentence.start:comma])
        if before:
            spans = actor_spans(before[-1], scene)
            if spans and spans[-1].end >= before[-1].end - 2:
                group = [spans[-1]]
                for span in reversed(spans[:-1]):
                    between = doc[span.end:group[0].start]
                    if 1 <= len(between) <= 2 and between[0].lower_ in lexicon.word_class("coordinator"):
                        group.insert(0, span)
                    else:
                        break
                return [s.actor for s in group]
    return []


def _has_light_verb(segment: Span) -> bool:
    forms = lexicon.light_verbs()
    return any(tok.lower_ in forms for tok in segment)


def extract_arguments(found: TriggerMatch, scene: Scene) -> Arguments:
    """Return the source, target and location of one trigger, from its clause segment.

    The other noun triggers of the document (`scene.noun_triggers`) bound the reach: phrases
    beyond one of them belong to it, not to this trigger.
    """
    index = scene.actors
    others = {o for o in scene.noun_triggers if o != found.token.i}
    entry, token, segment = found.entry, found.token, found.segment
    doc = token.doc
    spans = actor_spans(segment, scene)
    light = found.is_noun and _marker_of_token(found) is None and _has_light_verb(segment)
    target_preps = set(entry.preps) | lexicon.word_class("target_preposition") \
        | lexicon.target_prepositions().get(entry.type, set())
    args = Arguments()
    args.location = event_location(found, spans, index, others, light)

    def add(role: list[str], actor: str) -> None:
        if actor not in args.source and actor not in args.target:
            role.append(actor)

    def reachable(span: ActorSpan) -> bool:
        if span.marker == "durch" and found.is_noun:
            earlier = [o for o in others if segment.start <= o < token.i and doc[o].lower_.endswith("ung")]
            if earlier:
                return False  # "Verurteilung der Invasion … durch die USA": the agent is the -ung noun's
            if token.lower_.endswith("ung") and span.start > token.i:
                return True
        if blocked(token.i, span.start, span.end, others):
            return False
        if found.is_noun and span.end <= token.i and not light:
            return False  # a phrase before a noun attaches to it only as its genitive or adjective
        return True

    kinds = {a["id"]: a.get("kind") for a in index.actors}
    bare = [s for s in spans if s.marker is None and (found.is_noun or not s.fallback)]
    marked = [s for s in spans if s.marker is not None and reachable(s) and not s.fallback]
    between_group = [s for s in marked if s.marker == "zwischen" and entry.type in lexicon.target_prepositions()]
    if found.is_noun:  # a phrase far behind a noun belongs to something else ("… Beziehungen zwischen …")
        marked = [s for s in marked if s.start < token.i or s.start - token.i <= NOUN_REACH]
        between_group = [s for s in between_group if s in marked]
    for span in marked:
        if span.marker == "zwischen":
            continue
        if span.marker in ("von", "durch") and found.is_noun and span.start > token.i:
            if span.start - token.i <= (NOUN_REACH if span.marker == "durch" else WINDOW):
                add(args.source, span.actor)
        elif span.marker in target_preps and span.marker != "in" or \
                (span.marker == "in" and "in" in entry.preps and entry.type == "ASSAULT"
                 and kinds.get(span.actor) != "location"):
            add(args.target, span.actor)  # "Offensive in die Ukraine"; "in Gaza" is the attack's place
    if between_group:
        add(args.source, between_group[0].actor)
        for span in between_group[1:]:
            add(args.target, span.actor)

    if found.is_noun:
        for span in spans:
            if span.end == token.i and (doc[span.end - 1].lower_.endswith("s") or span.fallback):
                add(args.source, span.actor)          # "Putins Invasion", "russische Offensive"
            elif span.fallback and 0 < token.i - span.end <= 3 and not blocked(token.i, span.start, span.end, others):
                add(args.source, span.actor)          # "der chinesischen und russischen … Patrouille"
        for span in bare:
            if span.start > token.i and _is_genitive_after(found, span):
                # "Invasion Moskaus", "Besuch des Ministers"; with a source before the noun the
                # genitive is what is acted upon ("Putins Invasion der Ukraine")
                add(args.target if args.source else args.source, span.actor)
                break
        if not args.source and light:
            candidates = [s for s in bare if (s.end <= token.i or s.start > token.i) and reachable(s)]
            for span in owners.subject(found, candidates, doc):
                add(args.source, span.actor)
    else:
        relative = clauses.is_relative_clause(segment)
        subject: list[ActorSpan] = []
        verb_first = False
        agents = _agents(found, marked) if _passive(found) else []
        if agents:
            # "wurde … von islamischen Gruppen verurteilt", "das … von Ansar Dine angegriffen worden
            # war": the agent is the source, the passive subject (or the antecedent) the target
            for span in agents:
                if span.actor in args.target:
                    args.target.remove(span.actor)
                add(args.source, span.actor)
            patients = _antecedent(found, scene) if relative == "subject" else \
                [s.actor for s in owners.subject(found, [s for s in bare if s.deps & owners.SUBJECT_DEPS], doc)]
            for actor in patients:
                add(args.target, actor)
        elif relative == "subject":
            for actor in _antecedent(found, scene):
                add(args.source, actor)
        elif _infinitive(found):
            for actor in _controller(found, scene):
                add(args.source, actor)   # an infinitive clause has no subject of its own
        elif _verb_first(found) and not any(s.start < token.i for s in bare):
            verb_first = True
            for actor in _sentence_subject(found, scene):
                add(args.source, actor)   # "China behauptet …, beschuldigt jedoch die USA"
        else:
            subject = owners.subject(found, bare, doc)
            for span in subject:
                add(args.source, span.actor)
        if entry.object_is_target and not agents:
            for span in bare:
                if span not in subject and (relative == "subject" or _infinitive(found) or verb_first
                                            or not span.deps & owners.SUBJECT_DEPS):
                    add(args.target, span.actor)
        elif not agents:
            for span in owners.object_owners(found, spans):
                if span.actor not in args.source:
                    add(args.target, span.actor)   # "fordern Assads Rücktritt", "russische Vorschläge abgelehnt"
    if found.is_noun and not args.source and entry.type == "CONSULT" and args.target:
        candidates = [s for s in bare if s.actor not in args.target and not s.fallback]
        for span in owners.subject(found, candidates, doc):
            add(args.source, span.actor)   # "bei einem Treffen mit Li … würdigte Putin"
    if found.is_noun and not args.source and entry.type in POSSESSIVE_TYPES and _possessive(found):
        candidates = [s for s in spans if s.marker is None and not s.fallback and s.actor not in args.target
                      and (s.end <= token.i or s.start > token.i)]
        for span in owners.subject(found, candidates, doc)[:1] or []:
            add(args.source, span.actor)   # "von seinem Besuch in Kairo": the subject's visit
        if not args.source:
            for actor in _sentence_subject(found, scene):
                add(args.source, actor)
                break
    if not args.source and _infinitive(found):
        for actor in _controller(found, scene):
            add(args.source, actor)        # "die beiden Nationen planen, … Patrouillen zu organisieren"
    if not found.is_noun and not args.source and _pronoun_subject(found, "es"):
        for actor in _sentence_subject(found, scene):
            add(args.source, actor)        # "China …, erklärt jedoch, dass es keine Waffen liefern werde"
    if found.is_noun and entry.type == "SANCTION" and not args.target and _marker_of_token(found) == "unter":
        sufferers = (_antecedent(found, scene) if clauses.is_relative_clause(segment) == "subject"
                     else _sentence_subject(found, scene))
        for actor in sufferers:
            add(args.target, actor)        # "Russland, das unter internationalen Sanktionen leidet"
    if found.is_noun and not args.source and _jointly(found):
        for actor in _sentence_subject(found, scene):
            add(args.source, actor)        # "China und Russland haben …, darunter gemeinsame Militärübungen"
    if not found.is_noun and not args.source:
        for actor in owners.previous_subject(found, scene):
            if actor not in args.target:
                args.source.append(actor)  # "Xi traf Putin. Während des Treffens unterzeichneten sie …"
    if entry.type == "ASSAULT":
        owners.target_area(args, spans, kinds, doc)
    args.paired = any(s.pair is not None and s.actor in args.source for s in spans)
    location = args.location
    if entry.type == "CONSULT" and entry.mode == "visit" and not args.target and location and location.get("actor"):
        host = next((a for a in index.actors if a["id"] == location["actor"]), {})
        if location["actor"] not in args.source and (host.get("kind") == "state" or gazetteer.state_for_capital(
                host.get("name") or "")):
            args.target.append(location["actor"])  # "Besuch in Russland": the host; not a town ("Kazan")
    return args


# "seinem Besuch", "seine Unterstützung": the subject's; not for attacks ("China hat Russland für seine
# Offensive nicht verurteilt": "seine" is the object's there)
POSSESSIVE_TYPES = {"CONSULT", "SUPPORT", "AID", "AGREE", "COOPERATE"}
def _passive(found: TriggerMatch) -> bool:
    """Return True if a verb trigger is a participle with a passive auxiliary: the parse's aux:pass,
    or without it a form of "werden" in the clause ("wurde … verurteilt", "angegriffen worden war")."""
    token = found.token
    if any(c.dep_ == "aux:pass" for c in token.children):
        return True
    forms = lexicon.word_class("passive_aux")
    return token.tag_ == "VVPP" and any(t.lower_ in forms for t in found.segment if t.i > token.i - 12)


def _agents(found: TriggerMatch, marked: list[ActorSpan]) -> list[ActorSpan]:
    """Return the agent phrase of a passive: "von X" / "durch X" before the participle that the parse
    calls the agent, else the nearest one ("Nach Informationen von Ha'aretz wurde … von islamischen
    Gruppen verurteilt": the groups), with those joined to it by "und"."""
    doc = found.token.doc
    agent = lexicon.word_class("agent_preposition")
    before = [s for s in marked if s.start < found.token.i and s.marker in agent]
    if not before:
        return []
    labelled = [s for s in before if "obl:agent" in s.deps]
    first = labelled[0] if labelled else before[-1]
    group = coordinated(before, first, doc)
    return group


def _pronoun_subject(found: TriggerMatch, pronoun: str) -> bool:
    """Return True if the parse gives the trigger verb (or its auxiliary) the subject `pronoun`."""
    token = found.token
    heads = [token] + [c for c in token.children if c.dep_.startswith("aux")]
    return any(c.dep_ in owners.SUBJECT_DEPS and c.lower_ == pronoun for h in heads for c in h.children)


def _jointly(found: TriggerMatch) -> bool:
    """Return True if a word of the "joint" context (context.tsv: "gemeinsamer", "bilaterale")
    stands right before the noun trigger ("gemeinsamer Militärübungen")."""
    doc = found.token.doc
    stems = tuple(stem for stem, effect, _ in lexicon.context() if effect == "joint")
    before = doc[max(found.segment.start, found.token.i - 3):found.token.i]
    return any(t.lower_.startswith(stems) for t in before)


def _possessive(found: TriggerMatch) -> bool:
    """Return True if a possessive determiner introduces the noun trigger ("seinem Besuch")."""
    doc = found.token.doc
    for i in range(found.token.i - 1, max(found.segment.start, found.token.i - 3) - 1, -1):
        if doc[i].lower_ in lexicon.word_class("possessive"):
            return True
        if doc[i].text[:1].isupper():
            return False
    return False


def _verb_first(found: TriggerMatch) -> bool:
    """Return True for a verb that opens its segment (the second verb of "X behauptet …, beschuldigt
    jedoch …"), where the subject stands before the comma."""
    seg, token = found.segment, found.token
    if found.is_noun or seg.start == 0 or clauses.is_relative_clause(seg):
        return False
    lead = [t for t in seg if t.i < token.i]
    return all(t.lower_ in lexicon.word_class("verb_first_word") for t in lead)


def _sentence_subject(found: TriggerMatch, scene: Scene) -> list[str]:
    """Return the subject of the sentence's first segment (the first bare actor, with those
    joined to it by "und")."""
    doc = found.token.doc
    sentence = scene.sentence_at(found.token.i)
    if sentence is not None:
        for seg in clauses.segments(sentence):
            if seg.start >= found.segment.start:
                break
            bare = [s for s in actor_spans(seg, scene) if s.marker is None and not s.fallback]
            if bare:
                return [s.actor for s in coordinated(bare, bare[0], doc)]
    return []


def _infinitive(found: TriggerMatch) -> bool:
    """Return True if a verb trigger (or a noun carried by a light verb) stands in a
    zu-infinitive clause ("…, Russland nicht zu unterstützen", "Patrouillen zu organisieren")."""
    seg = found.segment
    if found.is_noun and not _has_light_verb(seg):
        return False
    doc = seg.doc
    return any(t.lower_ == "zu" and t.i + 1 < seg.end and doc[t.i + 1].text[:1].islower()
               and doc[t.i + 1].lower_.endswith(("en", "ern", "eln"))
               and doc[t.i + 1].lower_ not in lexicon.word_class("not_verb")
               for t in seg) \
        or any(t.lower_.startswith(tuple(lexicon.word_class("fused_zu_prefix"))) for t in seg)


# verbs whose object does what the following infinitive says ("forderten China auf, …",
# "Peking vorwerfen, … zu unterstützen", "hat Russland dabei unterstützt, sich … zu widersetzen")
def _controller(found: TriggerMatch, scene: Scene) -> list[str]:
    """Return the subject of the clause before a zu-infinitive ("China sei bereit, … zu verstärken")."""
    doc = found.token.doc
    end = found.segment.start - 1
    if end <= 0:
        return []
    object_control = tuple(lexicon.word_class("object_control_stem"))
    sentence = scene.sentence_at(end)
    if sentence is not None:
        before = clauses.segments(doc[sentence.start:end])
        for seg in reversed(before[-2:]):
            bare = [s for s in actor_spans(seg, scene) if s.marker is None and not s.fallback]
            if bare and any(t.lower_.startswith(object_control) for t in seg):
                return [bare[-1].actor]  # "forderten China auf, … zu unterstützen": China
            if bare:
                return [s.actor for s in coordinated(bare, bare[0], doc)]
    return []


NOUN_PHRASE_POS = {"DET", "ADJ", "NUM", "PRON"}


def _marker_of_token(found: TriggerMatch) -> str | None:
    """Return the preposition that governs a noun trigger ("während des Treffens"), else None."""
    doc = found.token.doc
    tagged = doc.has_annotation("POS")
    for i in range(found.token.i - 1, max(found.segment.start, found.token.i - 4) - 1, -1):
        word = doc[i].lower_
        if word in lexicon.word_class("preposition") or word in lexicon.contractions():
            return lexicon.contractions().get(word, word)
        if doc[i].text[:1].isupper() and i != found.segment.start:
            return None
        if tagged and doc[i].pos_ not in NOUN_PHRASE_POS:
            return None  # "hielten unter anderem mehrmals gemeinsame Übungen ab": not governed by "unter"
    return None


def _last(span: ActorSpan) -> int:
    return span.end
