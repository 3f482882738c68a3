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

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from workers.pipeline import gazetteer
from workers.pipeline.actors import ActorIndex
from workers.pipeline.events import clauses, lexicon
from workers.pipeline.events.triggers import Found

CONTRACTIONS = {"im": "in", "ins": "in", "am": "an", "ans": "an", "beim": "bei", "zum": "zu", "zur": "zu",
                "vom": "von"}
PREPOSITIONS = {"mit", "gegen", "gegenüber", "an", "bei", "nach", "in", "zu", "von", "für", "auf", "aus",
                "zwischen", "unter", "vor", "über", "durch", "um", "wegen", "trotz",
                "angesichts", "laut", "zufolge", "innerhalb", "außerhalb", "nahe", "ohne"}
COORDINATORS = {"und", "sowie", "oder"}
GENITIVE_DETS = {"des", "der", "eines", "einer"}
TARGET_PREPS_BY_TYPE = {
    "CONSULT": {"mit"}, "COOPERATE": {"mit"}, "AGREE": {"mit"},
}
ALWAYS_TARGET = {"gegen", "gegenüber"}
LOCATION_PREPS = {"in", "nach", "um"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass", "sb"}
OBJECT_DEPS = {"obj", "iobj", "oa", "da", "dobj"}
WINDOW = 6
NOUN_REACH = 10
TIME_TOKENS = "lagebild_event_time_tokens"
TRIGGER_TOKENS = "lagebild_event_trigger_tokens"
FINITE_AUX = {"hat", "haben", "hatte", "hatten", "ist", "sind", "war", "waren", "wird", "werden", "wurde",
              "wurden"}


@dataclass
class ActorSpan:
    """Consecutive tokens of one actor, with the preposition that governs them (if any)."""

    actor: str
    start: int            # token indices [start, end)
    end: int
    marker: str | None = None
    fallback: bool = False
    deps: set[str] = field(default_factory=set)
    pair: int | None = None  # the token of "beide" when this span is one of "beide Länder"


@dataclass
class Arguments:
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    location: dict | None = None
    joint: bool = False
    paired: bool = False  # the sources are the two sides of "beide Länder" (not by themselves joint)


def _country_actors(index: ActorIndex) -> dict[str, str]:
    """Return {alpha3: actor id} for the state actors of the article (first one per country)."""
    found: dict[str, str] = {}
    states = sorted((a for a in index.actors if a.get("kind") == "state"),
                    key=lambda a: -len(a.get("mentions", [])))
    if len(states) >= 2:
        found["__both__"] = f"{states[0]['id']},{states[1]['id']}"
    for actor in index.actors:
        if actor.get("kind") not in ("state", "location"):
            continue
        code = actor.get("country") or gazetteer.state_of(actor.get("name") or "")
        if code and code not in found:
            found[code] = actor["id"]
    return found


def actor_spans(segment: Span, index: ActorIndex, countries: dict[str, str]) -> list[ActorSpan]:
    """Return the actor spans of a segment in order, each with its governing preposition."""
    spans: list[ActorSpan] = []
    for tok in segment:
        actor = index.actor_at(tok.idx, tok.idx + len(tok)) if tok.text.strip() else None
        fallback = False
        if actor is None and tok.text[:1].isupper() and tok.text.endswith("s") and len(tok.text) > 3:
            actor = _genitive_actor(index, tok.text)   # "Invasion Moskaus" when "Moskau" is a mention
        if actor is None and tok.text[:1].islower():
            code = gazetteer.country_of_adjective(tok.text)
            nearby = segment.doc[tok.i + 1:min(tok.i + 4, segment.end)]
            if code in countries and not any(index.actor_at(t.idx, t.idx + len(t)) for t in nearby):
                actor, fallback = countries[code], True
        if actor is None:
            continue
        if spans and spans[-1].actor == actor and spans[-1].end == tok.i and not spans[-1].fallback:
            spans[-1].end = tok.i + 1
            spans[-1].deps.add(tok.dep_)
            continue
        if spans and spans[-1].end == tok.i and not spans[-1].fallback and doc_text_is_genitive(segment, spans[-1]):
            spans.pop()                                  # "Chinas Verteidigungsminister": a modifier
        spans.append(ActorSpan(actor, tok.i, tok.i + 1, fallback=fallback, deps={tok.dep_}))
    doc = segment.doc
    kinds = {a["id"]: a.get("kind") for a in index.actors}
    # "beim Verbündeten Weißrussland": a group noun right before a name is the name's apposition
    spans = [s for n, s in enumerate(spans) if not (
        kinds.get(s.actor) == "group" and n + 1 < len(spans) and spans[n + 1].start == s.end
        and kinds.get(spans[n + 1].actor) != "group" and not spans[n + 1].fallback)]
    spans = _with_both(segment, spans, countries, index)
    time_tokens = doc.user_data.get(TIME_TOKENS, set())
    trigger_tokens = doc.user_data.get(TRIGGER_TOKENS, set())
    for number, span in enumerate(spans):
        previous = spans[number - 1] if number else None
        if previous is not None and previous.end == span.start:
            span.marker = previous.marker  # "beim Verbündeten Weißrussland", "(zwischen) den beiden Ländern"
            continue
        for i in range(span.start - 1, max(segment.start, span.start - WINDOW) - 1, -1):
            if i in trigger_tokens:
                break  # "Gipfeltreffen der BRICS-Staaten": the genitive of the trigger
            word = doc[i].lower_
            if doc[i].pos_ in ("VERB", "AUX") or i in time_tokens or word in FINITE_AUX:
                break
            if not doc.has_annotation("POS") and doc[i].text[:1].islower() and word.endswith(("t", "te")) \
                    and word not in PREPOSITIONS and len(word) > 3:
                break  # without tags: "lobte", "trifft" end a preposition's reach
            if word in COORDINATORS and previous is not None and previous.end == i:
                span.marker = previous.marker
                break
            if previous is not None and i < previous.end:
                break
            if word in PREPOSITIONS or word in CONTRACTIONS:
                span.marker = CONTRACTIONS.get(word, word)
                if word == "um" and i > segment.start and doc[i - 1].lower_ == "rund":
                    span.marker = "um"
                break
    return spans


BOTH = {"beide", "beiden"}
BOTH_PERSON_NOUNS = {"führer", "staatschefs", "präsidenten", "politiker", "minister", "außenminister",
                     "verteidigungsminister", "regierungschefs", "staatsoberhäupter", "männer", "spitzenpolitiker"}
BOTH_NOUNS = {"länder", "ländern", "staaten", "nationen", "seiten", "nachbarländer", "nachbarländern",
              "regierungen", "partner", "verbündeten", "nachbarn", "mächte", "großmächte", "atommächte",
              "marinen", "armeen", "streitkräfte", "militärs", "küstenwachen", "luftwaffen"}


def _recent_pair(doc, index: ActorIndex, before: int, kind: str = "state") -> str | None:
    """Return "A,B" for the last two actors of `kind` joined by "und"/"sowie" before token
    `before` ("China und Russland …. Beide Länder …", "Xi und Putin … Die beiden Führer"), or None."""
    kinds = {a["id"]: a.get("kind") for a in index.actors}

    def actor_at(i: int) -> str | None:
        tok = doc[i]
        actor = index.actor_at(tok.idx, tok.idx + len(tok)) if tok.text.strip() else None
        return actor if actor and kinds.get(actor) == kind else None

    for i in range(before - 1, max(-1, before - 400), -1):
        if doc[i].lower_ not in COORDINATORS or i == 0 or i + 1 >= len(doc):
            continue
        left, right = actor_at(i - 1), actor_at(i + 1)
        if left and right and left != right:
            return f"{left},{right}"
    return None


def _with_both(segment: Span, spans: list[ActorSpan], countries: dict[str, str],
               index: ActorIndex) -> list[ActorSpan]:
    """Add two states for "beide Länder" / "die beiden Nationen": the last two states named
    together before ("China und Russland"), else the two most mentioned states of the article."""
    doc = segment.doc
    kinds = {a["id"]: a.get("kind") for a in index.actors}
    added = list(spans)
    for tok in segment:
        if tok.lower_ in BOTH and tok.i + 1 < segment.end and doc[tok.i + 1].lower_ in BOTH_PERSON_NOUNS:
            pair = _recent_pair(doc, index, tok.i, "person")
            if pair and not any(s.start <= tok.i + 1 < s.end for s in spans):
                first, second = pair.split(",")
                deps = {doc[tok.i + 1].dep_}
                added.append(ActorSpan(first, tok.i, tok.i + 1, deps=set(deps), pair=tok.i))
                added.append(ActorSpan(second, tok.i + 1, tok.i + 2, deps=set(deps), pair=tok.i))
            continue
        if tok.lower_ in BOTH and tok.i + 1 < segment.end and doc[tok.i + 1].lower_ in BOTH_NOUNS:
            covering = [s for s in spans if s.start <= tok.i + 1 < s.end]
            if any(kinds.get(s.actor) != "group" for s in covering):
                continue  # (a group actor "die Verbündeten" gives way to the two sides)
            if tok.i + 2 < segment.end and doc[tok.i + 2].lower_ in ("der", "des"):
                continue  # "die Beziehungen beider Länder" is fine, "beide Seiten des Konflikts" is not ours
            pair = _recent_pair(doc, index, tok.i) or countries.get("__both__")
            if not pair:
                continue
            added = [s for s in added if s not in covering]
            first, second = pair.split(",")
            deps = {doc[tok.i + 1].dep_}  # both states fill the noun's slot ("Beide Länder hielten …")
            added.append(ActorSpan(first, tok.i, tok.i + 1, fallback=False, deps=set(deps), pair=tok.i))
            added.append(ActorSpan(second, tok.i + 1, tok.i + 2, fallback=False, deps=set(deps), pair=tok.i))
    return sorted(added, key=lambda s: s.start)


def doc_text_is_genitive(segment: Span, span: ActorSpan) -> bool:
    """Return True if an actor span is a name in the s-genitive ("Chinas", "Putins")."""
    last = segment.doc[span.end - 1]
    return span.end - span.start == 1 and last.text[:1].isupper() and last.text.endswith("s") \
        and not last.text.isupper()


def _genitive_actor(index: ActorIndex, form: str) -> str | None:
    """Return the actor that has a mention equal to `form` without its genitive -s."""
    stems = getattr(index, "_event_stems", None)
    if stems is None:
        stems = {}
        for actor in index.actors:
            for mention in actor.get("mentions", []):
                stems.setdefault(mention["text"], actor["id"])
        index._event_stems = stems
    return stems.get(form[:-1])


def _coordinated(spans: list[ActorSpan], first: ActorSpan, doc) -> list[ActorSpan]:
    """Return `first` and the spans joined to it by "und"/"sowie" ("China und Russland")."""
    group = [first]
    for span in spans[spans.index(first) + 1:]:
        between = doc[group[-1].end:span.start]
        if not between and doc[first.start].lower_ in BOTH:
            group.append(span)  # the two states of "beide Länder"
            continue
        if span.marker == first.marker and len(between) == 1 and between[0].lower_ in COORDINATORS:
            group.append(span)
        elif len(between) == 2 and between[0].lower_ in COORDINATORS and span.fallback:
            group.append(span)
        else:
            break
    return group


def _is_genitive_after(found: Found, span: ActorSpan) -> bool:
    """Return True if an actor right after a noun trigger is its genitive ("Invasion Moskaus",
    "Besuch des chinesischen Staatsoberhauptes Xi Jinping")."""
    doc = found.token.doc
    between = doc[found.token.i + 1:span.start]
    if span.marker is not None or len(between) > 4:
        return False
    if not between:
        return True
    return between[0].lower_ in GENITIVE_DETS and all(not t.is_punct for t in between)


def _antecedent(found: Found, index: ActorIndex, countries: dict[str, str]) -> list[str]:
    """Return the actors right before the comma that opens a relative clause, with those joined
    to the last by "und" ("der USA und ihrer Verbündeten, die Peking vorwerfen")."""
    doc = found.token.doc
    comma = found.segment.start - 1
    for sentence in clauses.sentences(doc):
        if sentence.start <= comma < sentence.end:
            before = clauses.segments(doc[sentence.start:comma])
            if before:
                spans = actor_spans(before[-1], index, countries)
                if spans and spans[-1].end >= before[-1].end - 2:
                    group = [spans[-1]]
                    for span in reversed(spans[:-1]):
                        between = doc[span.end:group[0].start]
                        if 1 <= len(between) <= 2 and between[0].lower_ in COORDINATORS:
                            group.insert(0, span)
                        else:
                            break
                    return [s.actor for s in group]
    return []


def _has_light_verb(segment: Span) -> bool:
    forms = lexicon.light_verbs()
    return any(tok.lower_ in forms for tok in segment)


def _blocked(position: int, start: int, end: int, others: set[int]) -> bool:
    """Return True if another noun trigger stands between a trigger and a phrase [start, end):
    a phrase attaches to the nearest event word ("Besuch … in Russland seit Putins Invasion")."""
    if start > position:
        return any(position < o < start for o in others)
    return any(end <= o < position for o in others)


def extract_arguments(found: Found, index: ActorIndex, countries: dict[str, str] | None = None,
                      others: set[int] | None = None) -> Arguments:
    """Return the source, target and location of one trigger, from its clause segment.

    `others` are the token indices of the other noun triggers of the document: phrases beyond
    one of them belong to it, not to this trigger.
    """
    countries = _country_actors(index) if countries is None else countries
    others = {o for o in (others or set()) if o != found.token.i}
    entry, token, segment = found.entry, found.token, found.segment
    doc = token.doc
    spans = actor_spans(segment, index, countries)
    light = found.is_noun and _marker_of_token(found) is None and _has_light_verb(segment)
    target_preps = set(entry.preps) | ALWAYS_TARGET | TARGET_PREPS_BY_TYPE.get(entry.type, set())
    args = Arguments()
    args.location = _location(found, spans, index, others, light)

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
        if _blocked(token.i, span.start, span.end, others):
            return False
        if found.is_noun and span.end <= token.i and not light:
            return False  # a phrase before a noun attaches to it only as its genitive or adjective
        return True

    bare = [s for s in spans if s.marker is None and (found.is_noun or not s.fallback)]
    marked = [s for s in spans if s.marker is not None and reachable(s) and not s.fallback]
    between_group = [s for s in marked if s.marker == "zwischen" and entry.type in TARGET_PREPS_BY_TYPE]
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
                (span.marker == "in" and "in" in entry.preps and entry.type == "ASSAULT"):
            add(args.target, span.actor)
    if between_group:
        add(args.source, between_group[0].actor)
        for span in between_group[1:]:
            add(args.target, span.actor)

    if found.is_noun:
        for span in spans:
            if span.end == token.i and (doc[span.end - 1].lower_.endswith("s") or span.fallback):
                add(args.source, span.actor)          # "Putins Invasion", "russische Offensive"
            elif span.fallback and 0 < token.i - span.end <= 3 and not _blocked(token.i, span.start, span.end, others):
                add(args.source, span.actor)          # "der chinesischen und russischen … Patrouille"
        for span in bare:
            if span.start > token.i and _is_genitive_after(found, span):
                # "Invasion Moskaus", "Besuch des Ministers"; with a source before the noun the
                # genitive is what is acted upon ("Putins Invasion der Ukraine")
                add(args.target if args.source else args.source, span.actor)
                break
        if not args.source and light:
            candidates = [s for s in bare if (s.end <= token.i or s.start > token.i) and reachable(s)]
            for span in _subject(found, candidates, doc):
                add(args.source, span.actor)
    else:
        relative = clauses.is_relative_clause(segment)
        subject: list[ActorSpan] = []
        verb_first = False
        if relative == "subject":
            for actor in _antecedent(found, index, countries):
                add(args.source, actor)
        elif _infinitive(found):
            for actor in _controller(found, index, countries):
                add(args.source, actor)   # an infinitive clause has no subject of its own
        elif _verb_first(found) and not any(s.start < token.i for s in bare):
            verb_first = True
            for actor in _sentence_subject(found, index, countries):
                add(args.source, actor)   # "China behauptet …, beschuldigt jedoch die USA"
        else:
            subject = _subject(found, bare, doc)
            for span in subject:
                add(args.source, span.actor)
        if entry.object_is_target:
            for span in bare:
                if span not in subject and (relative == "subject" or _infinitive(found) or verb_first
                                            or not span.deps & SUBJECT_DEPS):
                    add(args.target, span.actor)
    if found.is_noun and not args.source and entry.type == "CONSULT" and args.target:
        candidates = [s for s in bare if s.actor not in args.target and not s.fallback]
        for span in _subject(found, candidates, doc):
            add(args.source, span.actor)   # "bei einem Treffen mit Li … würdigte Putin"
    if found.is_noun and not args.source and entry.type in POSSESSIVE_TYPES and _possessive(found):
        candidates = [s for s in spans if s.marker is None and not s.fallback and s.actor not in args.target
                      and (s.end <= token.i or s.start > token.i)]
        for span in _subject(found, candidates, doc)[:1] or []:
            add(args.source, span.actor)   # "von seinem Besuch in Kairo": the subject's visit
        if not args.source:
            for actor in _sentence_subject(found, index, countries):
                add(args.source, actor)
                break
    if not args.source and _infinitive(found):
        for actor in _controller(found, index, countries):
            add(args.source, actor)        # "die beiden Nationen planen, … Patrouillen zu organisieren"
    if found.is_noun and not args.source and _jointly(found):
        for actor in _sentence_subject(found, index, countries):
            add(args.source, actor)        # "China und Russland haben …, darunter gemeinsame Militärübungen"
    args.paired = any(s.pair is not None and s.actor in args.source for s in spans)
    location = args.location
    if entry.type == "CONSULT" and entry.mode == "visit" and not args.target and location and location.get("actor"):
        host = next((a for a in index.actors if a["id"] == location["actor"]), {})
        if location["actor"] not in args.source and (host.get("kind") == "state" or gazetteer.state_for_capital(
                host.get("name") or "")):
            args.target.append(location["actor"])  # "Besuch in Russland": the host; not a town ("Kazan")
    return args


POSSESSIVES = ("sein", "seine", "seinem", "seinen", "seiner", "seines", "ihr", "ihre", "ihrem", "ihren", "ihrer",
               "ihres")
# "seinem Besuch", "seine Unterstützung": the subject's; not for attacks ("China hat Russland für seine
# Offensive nicht verurteilt": "seine" is the object's there)
POSSESSIVE_TYPES = {"CONSULT", "SUPPORT", "AID", "AGREE", "COOPERATE"}
VERB_FIRST_WORDS = {"und", "aber", "doch", "sondern", "jedoch"}


def _jointly(found: Found) -> bool:
    """Return True if the noun trigger is qualified as joint ("gemeinsamer Militärübungen")."""
    doc = found.token.doc
    before = doc[max(found.segment.start, found.token.i - 3):found.token.i]
    return any(t.lower_.startswith("gemeinsam") for t in before)


def _possessive(found: Found) -> bool:
    """Return True if a possessive determiner introduces the noun trigger ("seinem Besuch")."""
    doc = found.token.doc
    for i in range(found.token.i - 1, max(found.segment.start, found.token.i - 3) - 1, -1):
        if doc[i].lower_ in POSSESSIVES:
            return True
        if doc[i].text[:1].isupper():
            return False
    return False


def _verb_first(found: Found) -> bool:
    """Return True for a verb that opens its segment (the second verb of "X behauptet …, beschuldigt
    jedoch …"), where the subject stands before the comma."""
    seg, token = found.segment, found.token
    if found.is_noun or seg.start == 0 or clauses.is_relative_clause(seg):
        return False
    lead = [t for t in seg if t.i < token.i]
    return all(t.lower_ in VERB_FIRST_WORDS for t in lead)


def _sentence_subject(found: Found, index: ActorIndex, countries: dict[str, str]) -> list[str]:
    """Return the subject of the sentence's first segment (the first bare actor, with those
    joined to it by "und")."""
    doc = found.token.doc
    for sentence in clauses.sentences(doc):
        if sentence.start <= found.token.i < sentence.end:
            for seg in clauses.segments(sentence):
                if seg.start >= found.segment.start:
                    break
                bare = [s for s in actor_spans(seg, index, countries) if s.marker is None and not s.fallback]
                if bare:
                    return [s.actor for s in _coordinated(bare, bare[0], doc)]
    return []


def _infinitive(found: Found) -> bool:
    """Return True if a verb trigger (or a noun carried by a light verb) stands in a
    zu-infinitive clause ("…, Russland nicht zu unterstützen", "Patrouillen zu organisieren")."""
    seg = found.segment
    if found.is_noun and not _has_light_verb(seg):
        return False
    doc = seg.doc
    return any(t.lower_ == "zu" and t.i + 1 < seg.end and doc[t.i + 1].text[:1].islower()
               and doc[t.i + 1].lower_.endswith(("en", "ern", "eln")) and doc[t.i + 1].lower_ not in NOT_VERBS
               for t in seg) \
        or any(t.lower_.startswith(("zusammenzu", "auszu", "abzu", "aufzu")) for t in seg)


# verbs whose object does what the following infinitive says ("forderten China auf, …",
# "Peking vorwerfen, … zu unterstützen", "hat Russland dabei unterstützt, sich … zu widersetzen")
OBJECT_CONTROL = ("auf", "aufgefordert", "aufforder", "vorwerf", "vorgeworfen", "vor", "beschuldig", "dräng",
                  "unterstützt", "unterstützte", "half", "hilft", "geholfen", "bat", "bitte", "zwang", "zwingt")
NOT_VERBS = {"den", "einen", "keinen", "diesen", "jenen", "seinen", "ihren", "allen", "anderen", "beiden"}


def _controller(found: Found, index: ActorIndex, countries: dict[str, str]) -> list[str]:
    """Return the subject of the clause before a zu-infinitive ("China sei bereit, … zu verstärken")."""
    doc = found.token.doc
    end = found.segment.start - 1
    if end <= 0:
        return []
    for sentence in clauses.sentences(doc):
        if sentence.start <= end < sentence.end:
            before = clauses.segments(doc[sentence.start:end])
            for seg in reversed(before[-2:]):
                bare = [s for s in actor_spans(seg, index, countries) if s.marker is None and not s.fallback]
                if bare and any(t.lower_.startswith(OBJECT_CONTROL) for t in seg):
                    return [bare[-1].actor]  # "forderten China auf, … zu unterstützen": China
                if bare:
                    return [s.actor for s in _coordinated(bare, bare[0], doc)]
    return []


NOUN_PHRASE_POS = {"DET", "ADJ", "NUM", "PRON"}


def _marker_of_token(found: Found) -> str | None:
    """Return the preposition that governs a noun trigger ("während des Treffens"), else None."""
    doc = found.token.doc
    tagged = doc.has_annotation("POS")
    for i in range(found.token.i - 1, max(found.segment.start, found.token.i - 4) - 1, -1):
        word = doc[i].lower_
        if word in PREPOSITIONS or word in CONTRACTIONS:
            return CONTRACTIONS.get(word, word)
        if doc[i].text[:1].isupper() and i != found.segment.start:
            return None
        if tagged and doc[i].pos_ not in NOUN_PHRASE_POS:
            return None  # "hielten unter anderem mehrmals gemeinsame Übungen ab": not governed by "unter"
    return None


def _subject(found: Found, bare: list[ActorSpan], doc) -> list[ActorSpan]:
    """Return the subject spans among the bare noun phrases: parse labels first, else position."""
    if not bare:
        return []
    by_dep = [s for s in bare if s.deps & SUBJECT_DEPS]
    if by_dep and doc.has_annotation("DEP"):
        first = by_dep[0]
        left = [s for s in bare if s.end + 1 == first.start and doc[s.end].lower_ in COORDINATORS]
        group = left + [first]
        for s in bare:
            if s is first or s.start <= first.start:
                continue
            if first.pair is not None and s.pair == first.pair:
                group.append(s)
            elif any(t.dep_ == "conj" and first.start <= t.head.i < first.end for t in doc[s.start:s.end]) \
                    and all(t.lower_ in COORDINATORS or t.text == "," for t in doc[group[-1].end:s.start]):
                group.append(s)  # only a conjunct right after the subject ("Putin und Xi", not "… Nato und USA")
        return group
    return _coordinated(bare, bare[0], doc)


def _last(span: ActorSpan) -> int:
    return span.end


def _location(found: Found, spans: list[ActorSpan], index: ActorIndex, others: set[int] | None = None,
              light: bool = False) -> dict | None:
    """Return {"text", "actor", "start", "end"} of the place in the trigger's segment, or None.

    A place follows "in"/"im"/"nach"/"rund um"; it is an actor of kind state or location, a
    gazetteer form, a LOC entity or a phrase ending in a geographic word (places.txt). The
    place nearest the trigger wins; "nach" counts for travel only.
    """
    doc = found.token.doc
    segment = found.segment
    kinds = {a["id"]: a.get("kind") for a in index.actors}
    travel = found.entry.mode == "visit"
    places = lexicon.words("places.txt")
    candidates = []
    for i, tok in enumerate(segment):
        word = tok.lower_
        prep = CONTRACTIONS.get(word, word)
        if prep not in LOCATION_PREPS or (prep == "nach" and not travel):
            continue
        if prep == "um" and not (tok.i > segment.start and doc[tok.i - 1].lower_ == "rund"):
            continue
        start = tok.i + 1
        while start < segment.end and doc[start].lower_ in ("der", "die", "das", "dem", "den", "des"):
            start += 1
        end = start
        while end < segment.end and end - start < 4 and doc[end].text[:1].islower() \
                and doc[end].lower_.endswith(("e", "en", "er", "es", "em")):
            end += 1                                     # adjectives before the head: "im Arktischen Ozean"
        head_start = end
        head_actor = index.actor_at(doc[end].idx, doc[end].idx + len(doc[end])) if end < segment.end else None
        while end < segment.end and end - start < 5 and doc[end].text[:1].isupper():
            if head_actor is not None and index.actor_at(doc[end].idx, doc[end].idx + len(doc[end])) != head_actor:
                break                                    # "in Kazan Verträge": the place is the actor's words
            if end > head_start and doc[end].pos_ == "NOUN" and doc[end - 1].pos_ == "PROPN":
                break
            end += 1
            if gazetteer.lookup(doc[end - 1].text):
                break                                    # "in Moskau China will …": the place ends here
        if end == head_start:
            continue
        if end == start or _blocked(found.token.i, tok.i, end, others or set()):
            continue
        if any(0 < tok.i - o <= 3 for o in others or set()):
            continue  # "seit dem Einmarsch Russlands in die Ukraine … ausgebaut": the invasion's place
        if found.is_noun and not light and tok.i < found.token.i:
            continue
        phrase = doc[start:end]
        actor = index.actor_at(phrase.start_char, phrase.end_char)
        is_place = (actor is not None and kinds.get(actor) in ("state", "location")) \
            or any(gazetteer.lookup(t.text) for t in phrase) \
            or any(e.label_ in ("LOC", "GPE") for e in phrase.ents) \
            or any(t.lower_.endswith(places) for t in phrase)
        if not is_place:
            continue
        if actor is not None and kinds.get(actor) not in ("state", "location"):
            actor = None
        if prep == "um":
            phrase = doc[tok.i - 1:end]
        candidates.append((abs(phrase.start - found.token.i), phrase, actor))
    if not candidates:
        return None
    _, phrase, actor = min(candidates, key=lambda c: c[0])
    return {"text": phrase.text, "actor": actor, "start": phrase.start_char, "end": phrase.end_char}
