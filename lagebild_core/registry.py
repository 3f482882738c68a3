"""The cross-article actor registry, the pure part: canonical keys and matching rules.

`canonical_key(actor)` gives the deterministic key of an actor when it has one: "state:RUS",
"org:NATO", "group:WEST", "location:peking", "person:andrey-belousov" (persons only with a full
name: a surname alone is no identity). `match(actor, entries)` decides which of the registry
entries already known (plain records, see `Entry`) an actor of a new article is, or None.

Rules: states, gazetteer organisations and groups match by key. A person with a full name
matches an entry one of whose names has the same spelling skeleton (transliterations:
"Belousov" / "Beloussow", "Schoigu" / "Shoigu", "Wladimir" / "Vladimir"), unless their
countries differ. A person named by one word ("Zhang") matches only when exactly one known person
has that surname (or family name) and country or role agree; different people sharing a surname
never merge without such evidence.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Iterable, TypedDict

from lagebild_core import gazetteer, people


class Entry(TypedDict, total=False):
    """A registry entry as plain data: key (the global id), kind, name, names (all spellings
    seen), country (alpha-3 or None), roles (as written)."""

    key: str
    kind: str
    name: str
    names: list[str]
    country: str | None
    roles: list[str]


class _KeepAllButCombiningMarks(dict):
    """A `str.translate` table that drops combining marks (the accents NFKD splits off) and keeps
    every other character, filled in as characters are first seen: the translation runs in C,
    where a generator over every character of a quote asked `unicodedata.combining` once each."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_COMBINING_MARKS = _KeepAllButCombiningMarks()


@functools.lru_cache(maxsize=65_536)
def ascii_fold(text: str) -> str:
    """Return `text` lower-cased with umlauts spelled out and accents removed ("Erdoğan" → "erdogan").

    Kept for the most recent names: linking one article's actors folds every spelling of every
    candidate registry row again (about 130 calls per article, the same names over and over).
    Quotes and story words are folded too (their search columns), most of them ASCII once the
    umlauts are spelled out: NFKD leaves ASCII as it is."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).translate(_WITHOUT_COMBINING_MARKS)


def slug(text: str) -> str:
    """Return a lower-case ASCII slug with hyphens ("Andrey Belousov" → "andrey-belousov")."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text)).strip("-")


def _is_east_asian(words: list[str]) -> bool:
    return len(words) >= 2 and words[0] in people.east_asian_surnames()


def word_skeleton(word: str) -> str:
    """Return a spelling skeleton of one name word that German and English transliterations of
    Russian and Ukrainian names share ("Beloussow" and "Belousov" → "belusov"-like forms)."""
    w = ascii_fold(word)
    w = w.replace("tsch", "ch").replace("sch", "sh").replace("w", "v").replace("j", "y").replace("ks", "x")
    w = re.sub(r"^z", "s", w)
    w = re.sub(r"(.)\1+", r"\1", w)
    w = re.sub(r"(ey|ei|iy|yi|yy|ii)$", "y", w)
    w = re.sub(r"i$", "y", w)
    return w


@functools.lru_cache(maxsize=65_536)  # asked for each registry candidate of each person linked, mostly the same names
def name_skeleton(name: str) -> str:
    """Return the skeleton of a full name; East Asian names are compared as folded text."""
    words = name.replace("-", " ").split()
    if _is_east_asian(name.split()):
        return " ".join(ascii_fold(w) for w in words)
    return " ".join(word_skeleton(w) for w in words)


def short_form(name: str) -> str | None:
    """Return the word that names a person alone: the surname, or the family name of a
    family-name-first name ("Zhang Youxia" → "Zhang"); None for one-word names."""
    words = name.split()
    if len(words) < 2:
        return None
    return words[0] if _is_east_asian(words) else words[-1]


def _org_id(name: str) -> str | None:
    entry = gazetteer.organization(name)
    return entry.id if entry else None


def canonical_key(actor: dict) -> str | None:
    """Return the deterministic key of an actor record, or None when it has none.

    state → "state:RUS"; organisation in the gazetteer → "org:NATO", other organisations →
    "org:<slug of name>"; group → "group:WEST"; location → "location:<slug>"; person with at least
    two name words → "person:<slug>" (the canonical spelling of a well-known person when the
    persons lexicon knows the name: "Andrey Belousov" and "Andrej Beloussow" give one key).
    """
    return _canonical_key(actor.get("kind"), (actor.get("name") or "").strip(), actor.get("country"))


@functools.lru_cache(maxsize=65536)  # asked several times for each actor of every stored version
def _canonical_key(kind: str | None, name: str, country: str | None) -> str | None:
    if not name:
        return None
    if kind == "state":
        code = country or gazetteer.state_of(name)
        return f"state:{code}" if code else None
    if kind == "organization":
        ident = _org_id(name)
        return f"org:{ident}" if ident else f"org:{slug(name)}"
    if kind == "group":
        entry = gazetteer.group(name)
        return f"group:{entry.id}" if entry else f"group:{slug(name)}"
    if kind == "location":
        return f"location:{slug(name)}"
    if kind == "person":
        if len(name.split()) < 2:
            return None
        known = people.known_persons().get(name)
        return f"person:{slug(known[0] if known else name)}"
    return None


def role_heads(roles: Iterable[str]) -> set[str]:
    """Return the uninflected role nouns in role texts ("russische Verteidigungsminister" → {"verteidigungsminister"})."""
    heads = set()
    for role in roles:
        for word in role.split():
            found = people.role_of(word)
            if found and found[2] != "relational":
                heads.add(found[0])
    return heads


def roles_agree(roles: Iterable[str], other: Iterable[str]) -> bool:
    """Return True when two role lists share an office ("Minister" / "Verteidigungsminister")."""
    mine, theirs = role_heads(roles), role_heads(other)
    return any(people.same_office(a, b) for a in mine for b in theirs)


def _countries_conflict(a: str | None, b: str | None) -> bool:
    return bool(a and b and a != b)


def _match_person(actor: dict, persons: list[Entry]) -> Entry | None:
    """Return the person entry that a person actor is, or None (see the module docstring)."""
    name = actor.get("name") or ""
    country = actor.get("country")
    if len(name.split()) >= 2:
        skeleton = name_skeleton(name)
        hits = [e for e in persons if any(name_skeleton(n) == skeleton for n in e.get("names") or [e["name"]])
                and not _countries_conflict(country, e.get("country"))]
        return hits[0] if len(hits) == 1 else None
    word = name_skeleton(name)
    hits = [e for e in persons
            if any(short_form(n) and name_skeleton(short_form(n)) == word for n in e.get("names") or [e["name"]])
            and not _countries_conflict(country, e.get("country"))]
    if len(hits) != 1:
        same = [e for e in persons if name_skeleton(e["name"]) == word
                and not _countries_conflict(country, e.get("country"))]
        return same[0] if len(same) == 1 else None
    hit = hits[0]
    evidence = (country and country == hit.get("country")) or roles_agree(actor.get("roles") or [],
                                                                          hit.get("roles") or [])
    return hit if evidence else None


def person_keys(entry: Entry) -> set[str]:
    """The keys a person entry can be found by: for each of its spellings the skeleton of the full
    name ("full:…") and of its short form ("short:…"), and the skeleton of its name ("name:…").
    `_match_person` compares an actor's name with exactly these, so an actor can only be an entry
    that shares a key with it (`person_lookup_keys`)."""
    names = entry.get("names") or [entry.get("name") or ""]
    keys = {"full:" + name_skeleton(n) for n in names if n}
    keys |= {"short:" + name_skeleton(short) for n in names if (short := short_form(n))}
    if entry.get("name"):
        keys.add("name:" + name_skeleton(entry["name"]))
    return keys


def person_lookup_keys(actor: dict) -> set[str]:
    """The keys of the entries a person actor may be (`person_keys`): its full name's skeleton,
    or for a name of one word that word's skeleton as a short form and as a name. None for a
    name without a word of two letters or more: such a name matches nobody."""
    name = actor.get("name") or ""
    if not any(len(word) > 1 for word in name.split()):
        return set()
    skeleton = name_skeleton(name)
    if len(name.split()) >= 2:
        return {"full:" + skeleton}
    return {"short:" + skeleton, "name:" + skeleton}


def match(actor: dict, entries: list[Entry]) -> Entry | None:
    """Return the registry entry that `actor` is, or None when it is new or undecidable."""
    kind = actor.get("kind")
    if kind == "person":
        return _match_person(actor, [e for e in entries if e.get("kind") == "person"])
    key = canonical_key(actor)
    if key is None:
        return None
    return next((e for e in entries if e.get("key") == key), None)


def new_key(actor: dict, taken: set[str]) -> str:
    """Return a key for a new registry entry: the canonical key, or a numbered slug when that is
    missing or already belongs to someone else ("person:zhang", "person:zhang-2")."""
    base = canonical_key(actor) or f"{actor.get('kind') or 'other'}:{slug(actor.get('name') or 'unknown') or 'unknown'}"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def merged(entry: Entry, actor: dict) -> Entry:
    """Return `entry` updated with what the actor adds: its name when fuller, new spellings and
    roles, a country when the entry had none."""
    names = list(entry.get("names") or [entry["name"]])
    if actor.get("name") and actor["name"] not in names:
        names.append(actor["name"])
    roles = list(entry.get("roles") or [])
    roles += [r for r in actor.get("roles") or [] if r not in roles]
    name = entry["name"]
    if len((actor.get("name") or "").split()) > len(name.split()):
        name = actor["name"]
    return {**entry, "name": name, "names": names, "roles": roles[:20],
            "country": entry.get("country") or actor.get("country")}
