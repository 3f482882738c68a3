"""What the actor registry and the actor step know about people: role nouns and the offices they
name, well-known office holders, family names written first (lexicons/actors/).

Every function returns read-only data loaded once from the data files; nothing here needs spaCy.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lagebild_core.lexicon import Suffixes, read_table, read_words

DATA_DIR = Path(__file__).with_name("lexicons") / "actors"

# inflection endings removed before a noun is compared with a stem, longest first
NOUN_ENDINGS = ("innen", "es", "en", "s", "n")


@lru_cache(maxsize=1)
def role_stems() -> dict[str, str]:
    """Return {stem: type} for role nouns; type is function, title, generic or relational."""
    return {r["stem"]: r["type"] for r in read_table(DATA_DIR / "roles.tsv")}


@lru_cache(maxsize=1)
def _role_suffixes() -> Suffixes:
    return Suffixes(role_stems())


def noun_forms(word: str) -> list[str]:
    """Return the lower-cased word and its forms without one inflection ending."""
    low = word.lower()
    forms = [low]
    for ending in NOUN_ENDINGS:
        if low.endswith(ending) and len(low) > len(ending) + 2:
            forms.append(low[: -len(ending)])
    return forms


@lru_cache(maxsize=8192)
def role_of(word: str) -> tuple[str, str, str] | None:
    """Return (head, stem, type) when `word` is a capitalised role noun, else None.

    head is the word's lower-cased uninflected form ("verteidigungsminister" for
    "Verteidigungsministers"), stem the lexicon entry it ends in ("minister").
    """
    if not word[:1].isupper() or not word.replace("-", "").isalpha():
        return None
    for form in noun_forms(word):
        stem = _role_suffixes().longest(form, min_rest=3)
        if stem is not None:
            return form, stem, role_stems()[stem]
    return None


def role_gender(roles: list[str]) -> str | None:
    """Return "f" or "m" when the role nouns of a person's roles agree on a grammatical gender
    ("Außenministerin" f, "Außenminister" m), else None. Adjectival nouns ("Vorsitzende",
    "Abgeordnete") tell nothing."""
    found = set()
    for text in roles:
        for word in text.split():
            hit = role_of(word)
            if not hit:
                continue
            head, stem, _kind = hit
            if stem.endswith("e") or stem.endswith("er") and head.endswith("e"):
                break  # "Vorsitzende", "Gesandte", "Beamte": either gender
            female = stem.endswith("in") and stem[:-2] in role_stems() or word.lower().endswith("innen")
            found.add("f" if female else "m")
            break
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1)
def synonym_sets() -> tuple[frozenset[str], ...]:
    """Return the sets of role heads that name the same office."""
    return tuple(frozenset([r["office"], *r["synonyms"].split("|")])
                 for r in read_table(DATA_DIR / "role_synonyms.tsv"))


def same_office(head: str, other: str) -> bool:
    """Return True when two role heads can name the same office.

    Equal heads, a compound ending in the other ("verteidigungsminister" / "minister"), or
    heads listed as synonyms ("verteidigungschef" / "verteidigungsminister").
    """
    if head == other or head.endswith(other) or other.endswith(head):
        return True
    return any(head in s and other in s for s in synonym_sets())


# cached here too: asked for every person matched against the registry, where building and
# hashing the path for read_words' cache cost more than the lookup
@lru_cache(maxsize=1)
def east_asian_surnames() -> frozenset[str]:
    """Return family names written first (Chinese, Korean, Vietnamese): "Zhang", "Li", "Xi"."""
    return read_words(DATA_DIR / "east_asian_surnames.tsv", lower=False)


@lru_cache(maxsize=1)
def known_persons() -> dict[str, tuple[str, str]]:
    """Return {any spelling: (canonical name, alpha-3)} for well-known office holders."""
    found: dict[str, tuple[str, str]] = {}
    for row in read_table(DATA_DIR / "persons.tsv"):
        for form in [row["name"]] + [v for v in row["variants"].split("|") if v != "-"]:
            found[form] = (row["name"], row["country"])
    return found
