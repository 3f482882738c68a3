"""Roles, countries and stand-ins attached to the named persons of one article (`core.Builder`):
the role phrases written before or after (apposition, a copula) a name; the country of a
party in brackets or a demonym before a name; role nouns ("der Minister", "dem Regierungschef")
and pronouns ("er") that stand for a person named before.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from lagebild_core import gazetteer
from lagebild_core.people import role_gender
from workers.pipeline.actors import lexicon, names
from workers.pipeline.actors.roles import RolePhrase
from workers.pipeline.document import token_table

if TYPE_CHECKING:
    from workers.pipeline.actors.clusters import Cluster, ClusterSet

PRONOUN_WINDOW_SENTENCES = 2
GENERIC_WINDOW_SENTENCES = 2


def attach_roles(b: ClusterSet, phrases: list[RolePhrase]) -> set[int]:
    """Give persons the roles written before, after (apposition) or as predicate of their
    names; return the head tokens of the phrases used this way."""
    by_end: dict[int, list[RolePhrase]] = {}
    by_start: dict[int, RolePhrase] = {}
    for p in phrases:
        by_end.setdefault(p.end, []).append(p)
        by_start[p.det if p.det is not None else p.start] = p
        by_start.setdefault(p.start, p)
    attached: set[int] = set()
    for cluster in b.persons():
        for start, end in list(cluster.spans):
            used = _phrases_around(b, start, end, by_end, by_start)
            for p in used:
                attached.add(p.head)
                if p not in b.predicates:  # "der Sprecher des …, Tan Kefei": a mention too
                    cluster.spans.append((p.det if p.det is not None else p.start, p.end))
                if p.type != "relational":
                    cluster.roles.append((p.text, p.type))
                    cluster.role_keys.add(p.key)
                if p.country:
                    cluster.countries.append(p.country)
    return attached


def countries_around_names(b: ClusterSet) -> None:
    """Give persons the country of a national party or organisation in brackets after their
    name ("Peer Steinbrück (SPD)") and of a demonym right before it ("der Nigerianer Abdul …")."""
    doc = b.doc
    for cluster in b.persons():
        for start, end in list(cluster.spans):
            if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
                org = gazetteer.organization(doc[end + 1].text)
                if org and org.country:
                    cluster.countries.append(org.country)
            if start > 0 and doc[start - 1].text[:1].isupper():
                code = gazetteer.country_of_demonym(doc[start - 1].text)
                if code:
                    cluster.countries.append(code)


def _phrases_around(b: ClusterSet, start: int, end: int, by_end, by_start) -> list[RolePhrase]:
    """Return the role phrases that describe the name at tokens [start, end)."""
    doc, used = b.doc, []
    i = start
    while by_end.get(i):  # "der Sprecher Oberst Wu Qian"
        chain = by_end[i]
        used.extend(chain)
        i = min(p.det if p.det is not None else p.start for p in chain)
        if not by_end.get(i):
            break
    if used and i > 1 and doc[i - 1].lower_ == "und":
        # "des früheren Präsidenten und Friedensnobelpreisträgers Nelson Mandela": both roles
        used.extend(p for p in by_end.get(i - 1, ()) if p.singular)
    if not used and start > 0 and doc[start - 1].text == "," and by_end.get(start - 1):
        used.extend(p for p in by_end[start - 1] if p.det is not None or p.end > p.head + 1)
    if end < len(doc) and doc[end].text == "," and by_start.get(end + 1):
        used.append(by_start[end + 1])
    if end + 1 < len(doc) and doc[end].text.lower() in lexicon.word_class("copula") and by_start.get(end + 1):
        p = by_start[end + 1]
        if p.det is not None:
            used.append(p)
            b.predicates.append(p)
    return used


def role_noun_mentions(b: ClusterSet, phrases: list[RolePhrase], attached: set[int]) -> None:
    """Join role phrases standing for a person ("der russische Präsident", "der Minister",
    "Der Diplomat") to the person whose roles name the same office and country."""
    people = b.persons()
    for p in phrases:
        if p.head in attached or not p.singular or p.type == "relational" or p.head in b.taken:
            continue
        if p.det is not None and b.doc[p.det].lower_ in lexicon.word_class("indefinite_article"):
            continue  # "ein Diplomat": someone new, not the person named before (unnamed.py)
        if p.det is None and (p.start == p.head and not p.country or p.type == "generic"):
            continue  # a bare noun ("Sprecher", "russische Verteidigungsbeamte"): too vague
        start = p.det if p.det is not None else p.start
        if p.type != "generic" and p.head + 1 < len(b.doc) and names.is_name_token(b.doc[p.head + 1], b.use_pos):
            continue  # an unknown name follows: not a stand-in
        target = _person_for_role(b, p, people)
        if target is None and p.det is not None and p.type == "function" and p.end == p.head + 1:
            target = _only_person_without_office(b, p, people)
            if target is not None:
                target.roles.append((p.text, p.type))
                target.role_keys.add(p.key)
        if target is not None:
            b.add(target, start, p.head + 1)
            if p.country:  # "Der russische Außenminister" after "Außenminister Sergej Lawrow"
                target.countries.append(p.country)


def _only_person_without_office(b: ClusterSet, p: RolePhrase, people: list[Cluster]) -> Cluster | None:
    """Return the one person named before a definite office noun that no person holds ("Die
    Regierung von Matteo Renzi …; verleihe die Reform dem Regierungschef zu viel Macht"):
    the only person named so far with no office, when every other person has one."""
    before = [c for c in people if any(s < p.head for s, _ in c.spans)]
    free = [c for c in before if not any(t == "function" for _r, t in c.roles)]
    return free[0] if len(free) == 1 and len(before) == 1 else None


def _person_for_role(b: ClusterSet, p: RolePhrase, people: list[Cluster]) -> Cluster | None:
    """Return the person a role-noun phrase stands for, or None.

    Persons with the same office and no other country; the nearest named before it, else the
    nearest named after it (headlines name the office before the person). A generic noun
    ("der Diplomat") without such a match is the person named last within two sentences.
    """
    fits = [c for c in people
            if any(lexicon.same_office(p.key, k) for k in c.role_keys)
            and not (p.country and _country(b, c) and p.country != _country(b, c))]
    if fits:
        before = [(max(s for s, _ in c.spans if s < p.head), c) for c in fits if any(s < p.head for s, _ in c.spans)]
        if before:
            return max(before, key=lambda x: x[0])[1]
        return min(fits, key=lambda c: min(s for s, _ in c.spans))
    if p.type == "generic":
        return _last_person_before(b, p.head, GENERIC_WINDOW_SENTENCES)
    return None


def _last_person_before(b: ClusterSet, i: int, window: int, gender: str | None = None) -> Cluster | None:
    """Return the person with the last mention before token i within `window` sentences; with a
    `gender` ("m" for "er"), not one whose roles show the other ("Außenministerin Baerbock")."""
    best, best_pos = None, -1
    for c in b.persons():
        if gender in ("m", "f") and role_gender([text for text, _kind in c.roles]) not in (None, gender):
            continue
        for s, e in c.spans:
            if e <= i and s > best_pos and b.sent_of[i] - b.sent_of[s] <= window:
                best, best_pos = c, s
    return best


def pronoun_mentions(b: ClusterSet) -> None:
    """Join "er", "ihm", "ihn" to the person named last before them (same or two sentences back)."""
    forms = lexicon.pronouns()
    for i, word in enumerate(token_table(b.doc).words):
        if word.lower() not in forms or i in b.taken:
            continue
        target = _last_person_before(b, i, PRONOUN_WINDOW_SENTENCES, forms[word.lower()][0])
        if target is not None:
            b.add(target, i, i + 1)


def _country(b: ClusterSet, c: Cluster) -> str | None:
    if c.country:
        return c.country
    if c.countries:
        return c.countries[0]
    known = lexicon.known_persons().get(c.name)
    return known[1] if known else None
