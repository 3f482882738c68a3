"""The country of a person the text gives no place adjective for: from the role phrases, the
persons lexicon, the national organisation named before the role, or the state the article is
about (state offices only, and not when the person's sentences name another country's state).

Pure functions over the actor clusters of one article (`core.Cluster`) and the sentence number of
every token; a wrong country is worse than none, so each rule answers only when the text is clear.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from lagebild_core import gazetteer
from workers.pipeline.actors import lexicon

if TYPE_CHECKING:
    from workers.pipeline.actors.clusters import Cluster

DOMINANT_MIN = 2
DOMINANT_RATIO = 2


def person_country(c: Cluster, clusters: list[Cluster], sent_of: list[int], dominant: str | None) -> str | None:
    """Return a person's country: the one its role phrases name most often, else the persons
    lexicon's, else the country of the organisation its role belongs to, else — for a state
    office — the article's `dominant` state unless another country stands beside the person."""
    if c.countries:
        return max(set(c.countries), key=lambda k: (c.countries.count(k), -c.countries.index(k)))
    known = lexicon.known_persons().get(c.name)
    if known:
        return known[1]
    if not c.roles:
        return None
    found = organization_country(c, clusters, sent_of)
    if found:
        return found
    offices = lexicon.word_class("state_office")
    if not any(key.endswith(tuple(offices)) for key in c.role_keys):
        return None
    return dominant if dominant and not other_state_beside(c, clusters, sent_of, dominant) else None


def other_state_beside(c: Cluster, clusters: Iterable[Cluster], sent_of: list[int], country: str) -> bool:
    """Return True when a sentence naming person `c` also names a state, place or institution of
    another country than `country` ("Ljubljana nominierte …, Kroatien seine Außenministerin …")."""
    sentences = {sent_of[s] for s, _e in c.spans}
    for other in clusters:
        if other.kind in ("state", "location", "organization") and other.country and other.country != country \
                and any(sent_of[s] in sentences for s, _e in other.spans):
            return True
    return False


def dominant_state(clusters: Iterable[Cluster]) -> str | None:
    """Return the state an article is about: named (as a state, a capital, a place in it or one
    of its institutions) at least DOMINANT_MIN times and at least DOMINANT_RATIO times as often
    as any other state, else None. A person holding an office without a place adjective is
    taken to hold it there ("Präsident Xanana Gusmão" in an article about Timor-Leste)."""
    counts: dict[str, int] = {}
    for other in clusters:
        if other.kind == "organization" and _is_media(other.name):
            continue  # "die chinesische Nachrichtenagentur Xinhua": who reports, not what it is about
        if other.kind in ("state", "location", "organization") and other.country and other.named:
            counts[other.country] = counts.get(other.country, 0) + len(other.spans)
    ranked = sorted(counts.values(), reverse=True) + [0]
    top = max(counts, key=counts.get) if counts else ""
    return top if ranked[0] >= DOMINANT_MIN and ranked[0] >= DOMINANT_RATIO * ranked[1] else None


def _is_media(name: str) -> bool:
    """Return True for a news agency or medium of the gazetteer ("Xinhua", "AFP", "Haaretz")."""
    org = gazetteer.organization(name)
    return org is not None and org.kind in ("media", "news_agency")


def organization_country(c: Cluster, clusters: Iterable[Cluster], sent_of: list[int]) -> str | None:
    """Return the country of the national organisation named last before a person's role in the
    same sentence ("teilte das chinesische Verteidigungsministerium … unter Berufung auf den
    Sprecher Oberst Wu Qian mit" → CHN), else None."""
    first = min(s for s, _ in c.spans)
    best, best_pos = None, -1
    for other in clusters:
        if other.kind != "organization" or not other.country:
            continue
        for s, _e in other.spans:
            if s < first and s > best_pos and sent_of[s] == sent_of[first]:
                best, best_pos = other.country, s
    return best
