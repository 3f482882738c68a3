"""Actor phrases in a trigger's clause: which actor, where, and the preposition that governs it.

`actor_spans` turns a clause segment into `ActorSpan`s (an actor of the actors step, a state
named by a place adjective as a fallback, or the two sides of "beide Länder" / "die beiden
Führer"); `coordinated` groups "China und Russland"; `blocked` keeps a phrase with the nearest
event word. The argument rules (arguments.py) and the place rule (places.py) read these.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span

from lagebild_core import gazetteer
from workers.pipeline.actors import ActorIndex
from workers.pipeline.document import DocumentView
from workers.pipeline.events import lexicon

WINDOW = 6


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



@dataclass(frozen=True)
class Scene:
    """What argument finding reads about the whole article, built once per extraction: the
    actors, the state actor of each country, the document view (sentences, time expressions)
    and the noun triggers, which end a preposition's reach as time expressions do."""

    actors: ActorIndex
    countries: dict[str, str]
    view: DocumentView
    noun_triggers: frozenset[int] = frozenset()

    @property
    def time_tokens(self) -> frozenset[int]:
        """Return the indices of the tokens inside a time expression."""
        return self.view.time_tokens

    def sentence_at(self, i: int) -> Span | None:
        """Return the sentence that contains token i, or None."""
        return self.view.sentence_at(i)


def country_actors(index: ActorIndex) -> dict[str, str]:
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


def actor_spans(segment: Span, scene: Scene) -> list[ActorSpan]:
    """Return the actor spans of a segment in order, each with its governing preposition."""
    index, countries = scene.actors, scene.countries
    spans: list[ActorSpan] = []
    for tok in segment:
        actor = index.actor_at(tok.idx, tok.idx + len(tok)) if tok.text.strip() else None
        fallback = False
        if actor is None and tok.text[:1].isupper() and tok.text.endswith("s") and len(tok.text) > 3:
            actor = genitive_actor(index, tok.text)   # "Invasion Moskaus" when "Moskau" is a mention
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
    kinds = index.kinds
    # "beim Verbündeten Weißrussland": a group noun right before a name is the name's apposition
    spans = [s for n, s in enumerate(spans) if not (
        kinds.get(s.actor) == "group" and n + 1 < len(spans) and spans[n + 1].start == s.end
        and kinds.get(spans[n + 1].actor) != "group" and not spans[n + 1].fallback)]
    spans = _with_both(segment, spans, countries, index)
    time_tokens, trigger_tokens = scene.time_tokens, scene.noun_triggers
    for number, span in enumerate(spans):
        previous = spans[number - 1] if number else None
        if previous is not None and previous.end == span.start:
            span.marker = previous.marker  # "beim Verbündeten Weißrussland", "(zwischen) den beiden Ländern"
            continue
        for i in range(span.start - 1, max(segment.start, span.start - WINDOW) - 1, -1):
            if i in trigger_tokens:
                break  # "Gipfeltreffen der BRICS-Staaten": the genitive of the trigger
            word = doc[i].lower_
            if doc[i].pos_ in ("VERB", "AUX") or i in time_tokens or word in lexicon.word_class("finite_aux"):
                break
            if not doc.has_annotation("POS") and doc[i].text[:1].islower() and word.endswith(("t", "te")) \
                    and word not in lexicon.word_class("preposition") and len(word) > 3:
                break  # without tags: "lobte", "trifft" end a preposition's reach
            if word in lexicon.word_class("coordinator") and previous is not None and previous.end == i:
                span.marker = previous.marker
                break
            if previous is not None and i < previous.end:
                break
            if word in lexicon.word_class("preposition") or word in lexicon.contractions():
                span.marker = lexicon.contractions().get(word, word)
                if word == "um" and i > segment.start and doc[i - 1].lower_ == "rund":
                    span.marker = "um"
                break
    return spans


def _recent_pair(doc, index: ActorIndex, before: int, kind: str = "state") -> str | None:
    """Return "A,B" for the last two actors of `kind` joined by "und"/"sowie" before token
    `before` ("China und Russland …. Beide Länder …", "Xi und Putin … Die beiden Führer"), or None."""
    kinds = index.kinds

    def actor_at(i: int) -> str | None:
        tok = doc[i]
        actor = index.actor_at(tok.idx, tok.idx + len(tok)) if tok.text.strip() else None
        return actor if actor and kinds.get(actor) == kind else None

    for i in range(before - 1, max(-1, before - 400), -1):
        if doc[i].lower_ not in lexicon.word_class("coordinator") or i == 0 or i + 1 >= len(doc):
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
    kinds = index.kinds
    both = lexicon.word_class("both")
    added = list(spans)
    for tok in segment:
        nxt = doc[tok.i + 1].lower_ if tok.i + 1 < segment.end else None
        if tok.lower_ in both and nxt in lexicon.word_class("both_person_noun"):
            pair = _recent_pair(doc, index, tok.i, "person")
            if pair and not any(s.start <= tok.i + 1 < s.end for s in spans):
                first, second = pair.split(",")
                deps = {doc[tok.i + 1].dep_}
                added.append(ActorSpan(first, tok.i, tok.i + 1, deps=set(deps), pair=tok.i))
                added.append(ActorSpan(second, tok.i + 1, tok.i + 2, deps=set(deps), pair=tok.i))
            continue
        if tok.lower_ in both and nxt in lexicon.word_class("both_noun"):
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


def genitive_actor(index: ActorIndex, form: str) -> str | None:
    """Return the actor that has a mention equal to `form` without its genitive -s."""
    return index.mention_owner(form[:-1])


def coordinated(spans: list[ActorSpan], first: ActorSpan, doc) -> list[ActorSpan]:
    """Return `first` and the spans joined to it by "und"/"sowie" ("China und Russland")."""
    group = [first]
    for span in spans[spans.index(first) + 1:]:
        between = doc[group[-1].end:span.start]
        if not between and doc[first.start].lower_ in lexicon.word_class("both"):
            group.append(span)  # the two states of "beide Länder"
            continue
        joined = bool(between) and between[0].lower_ in lexicon.word_class("coordinator")
        if span.marker == first.marker and len(between) == 1 and joined:
            group.append(span)
        elif len(between) == 2 and joined and span.fallback:
            group.append(span)
        else:
            break
    return group


def blocked(position: int, start: int, end: int, others: set[int]) -> bool:
    """Return True if another noun trigger stands between a trigger and a phrase [start, end):
    a phrase attaches to the nearest event word ("Besuch … in Russland seit Putins Invasion")."""
    if start > position:
        return any(position < o < start for o in others)
    return any(end <= o < position for o in others)

@dataclass
class Arguments:
    """The participants and place of one event: what the argument rules fill in."""
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    location: dict | None = None
    joint: bool = False
    paired: bool = False  # the sources are the two sides of "beide Länder" (not by themselves joint)
