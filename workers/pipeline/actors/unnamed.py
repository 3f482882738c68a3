"""Unnamed and descriptive sources: actors the article names by what they are, not who.

"eine Armeesprecherin", "ein Sprecher des Außenministeriums", "Diplomaten", "Augenzeugen",
"westliche Geheimdienste", "aus Regierungskreisen", "die Polizei": a role noun (roles.tsv) or a
source noun (lexicons/actors/group_nouns.tsv) that no named person took becomes an actor with
`named: False`: a person when the phrase is singular, a group when it is plural or a collective.
Its role is the phrase as written (with the organisation in its genitive complement), its country
the one its place adjectives, state genitives or organisation give. Later mentions with the same
noun ("Die Sprecherin" after "eine Armeesprecherin") join it, so that quotes, pronouns and event
participants resolve to it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from lagebild_core.lexicon import Suffixes, read_table
from lagebild_core.people import noun_forms
from workers.pipeline.actors import lexicon, names
from workers.pipeline.actors.roles import RolePhrase, noun_phrase
from workers.pipeline.document import token_table

if TYPE_CHECKING:
    from workers.pipeline.actors.clusters import Cluster, ClusterSet

DATA = Path(__file__).resolve().parents[1] / "lexicons" / "actors" / "group_nouns.tsv"


@lru_cache(maxsize=1)
def _group_nouns() -> dict[str, tuple[str, bool]]:
    """Return {stem: (kind, may end a compound)} of group_nouns.tsv."""
    return {r["stem"]: (r["kind"], r["compound"] != "no") for r in read_table(DATA)}


@lru_cache(maxsize=1)
def _group_noun_suffixes() -> Suffixes:
    return Suffixes(_group_nouns())


@lru_cache(maxsize=8192)
def group_noun_of(word: str) -> tuple[str, str] | None:
    """Return (head, kind) when a capitalised word is a source noun ("Augenzeugen" →
    ("augenzeuge", "person"), "Regierungskreisen" → ("regierungskreise", "group")), else None.
    A hyphenated word is read by its last part ("G8-Gegnern")."""
    last = word.rsplit("-", 1)[-1] if "-" in word else word
    if not word[:1].isupper() or not last[:1].isupper() or not last.isalpha():
        return None
    for form in noun_forms(word if word.replace("-", "").isalpha() else last):
        stem = _group_noun_suffixes().longest(form, min_rest=3, compound=lambda s: _group_nouns()[s][1])
        if stem is not None:
            return form, _group_nouns()[stem][0]
    return None


def _indefinite(builder: ClusterSet, p: RolePhrase) -> bool:
    return p.det is not None and builder.doc[p.det].lower_ in lexicon.word_class("indefinite_article")


def _plural(builder: ClusterSet, p: RolePhrase) -> bool:
    """Return True when the phrase names several: its determiner or the tagger says so, or a
    bare noun is inflected ("Diplomaten", "Beobachtern")."""
    if not p.singular:
        return True
    if p.det is None:
        word = builder.doc[p.head].text.lower()
        return word != p.key and not word.endswith("s")
    return False


def _phrases(builder: ClusterSet, role_phrases: list[RolePhrase]) -> list[RolePhrase]:
    """Return the role phrases and source-noun phrases of the document, in text order."""
    doc = builder.doc
    found = list(role_phrases)
    heads = {p.head for p in role_phrases}
    for i, word in enumerate(token_table(doc).words):  # (plain strings: a Token per token was slow)
        if i in heads or not word[:1].isupper():
            continue
        hit = group_noun_of(word)
        if hit:
            p = noun_phrase(doc, i, hit[0], "group" if hit[1] == "group" else "source")
            if p is not None:
                found.append(p)
    return sorted(found, key=lambda p: p.head)


def _same(a: str, b: str) -> bool:
    return a == b or a.endswith(b) or b.endswith(a)


def add_unnamed(builder: ClusterSet, role_phrases: list[RolePhrase], attached: set[int]) -> None:
    """Add an unnamed actor for every role or source phrase that no named actor took."""
    doc = builder.doc
    open_clusters: list[Cluster] = []  # unnamed actors so far, latest last
    for p in _phrases(builder, role_phrases):
        if p.head in attached or p.head in builder.taken or p.type == "relational":
            continue
        collective = p.type == "group"
        plural = collective or _plural(builder, p)
        start = p.det if p.det is not None else p.start
        if any(i in builder.taken for i in range(start, p.head)):
            continue
        if not plural and p.det is None and not p.country:
            continue  # a bare singular noun ("Sprecher Müller", "Sprecher"): too vague
        if not plural and p.head + 1 < len(doc) and names.is_name_token(doc[p.head + 1], builder.use_pos):
            continue  # an unknown name follows: a named person, not a source
        kind = "group" if plural else "person"
        country = p.country or _complement_country(builder, p)
        target = None
        if not _indefinite(builder, p):
            target = next((c for c in reversed(open_clusters)
                           if c.kind == kind and any(_same(p.key, k) for k in c.role_keys)
                           and not (country and c.country and country != c.country)), None)
        if target is None:
            name = doc[p.start:p.end].text
            target = builder.cluster(kind, ("unnamed", p.head), name, country)
            target.named = False
            open_clusters.append(target)
        target.roles.append((doc[p.start:p.end].text, "function"))
        target.role_keys.add(p.key)
        if country:
            target.countries.append(country)
            target.country = target.country or country
        builder.add(target, start, p.end)


def _complement_country(builder: ClusterSet, p: RolePhrase) -> str | None:
    """Return the country of an organisation named in the phrase's genitive complement ("ein
    Sprecher des Verteidigungsministeriums Chinas"), else None."""
    for cluster in builder.clusters.values():
        if cluster.country and cluster.kind in ("organization", "state") and any(
                p.head < s < p.end for s, _e in cluster.spans):
            return cluster.country
    return None
