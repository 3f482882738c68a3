"""The actor lexicons: role nouns, pronouns, institutions, known persons (lexicons/actors/).

Every function returns read-only data loaded once from the data files; nothing here needs spaCy.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lagebild_core.lexicon import read_table, read_words
from workers.pipeline.word_classes import word_classes

DATA_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "actors"

# inflection endings removed before a noun is compared with a stem, longest first
NOUN_ENDINGS = ("innen", "es", "en", "s", "n")


def _rows(name: str) -> tuple[dict[str, str], ...]:
    return read_table(DATA_DIR / name)


@lru_cache(maxsize=None)
def word_class(name: str) -> frozenset[str]:
    """Return the words of one class of word_classes.tsv ("determiner", "copula", ...), as
    written (the class "name_stop" is capitalised)."""
    return word_classes(DATA_DIR / "word_classes.tsv", lower=False)[name]


@lru_cache(maxsize=1)
def role_stems() -> dict[str, str]:
    """Return {stem: type} for role nouns; type is function, title, generic or relational."""
    return {r["stem"]: r["type"] for r in _rows("roles.tsv")}


@lru_cache(maxsize=1)
def _stems_by_length() -> tuple[str, ...]:
    return tuple(sorted(role_stems(), key=len, reverse=True))


def _candidates(word: str) -> list[str]:
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
    for form in _candidates(word):
        for stem in _stems_by_length():
            if form.endswith(stem) and (form == stem or len(form) - len(stem) >= 3):
                return form, stem, role_stems()[stem]
    return None


@lru_cache(maxsize=1)
def synonym_sets() -> tuple[frozenset[str], ...]:
    """Return the sets of role heads that name the same office."""
    return tuple(frozenset(row["heads"].split("|")) for row in _rows("role_synonyms.tsv"))


def same_office(head: str, other: str) -> bool:
    """Return True when two role heads can name the same office.

    Equal heads, a compound ending in the other ("verteidigungsminister" / "minister"), or
    heads listed as synonyms ("verteidigungschef" / "verteidigungsminister").
    """
    if head == other or head.endswith(other) or other.endswith(head):
        return True
    return any(head in s and other in s for s in synonym_sets())


@lru_cache(maxsize=1)
def pronouns() -> dict[str, tuple[str, str]]:
    """Return {pronoun: (gender, number)} for the pronouns that can stand for a named person."""
    return {r["form"]: (r["gender"], r["number"]) for r in _rows("pronouns.tsv")}


@lru_cache(maxsize=1)
def institutions() -> dict[str, str]:
    """Return {stem: display name} for national institutions ("verteidigungsministerium")."""
    return {r["stem"]: r["name"] for r in _rows("institutions.tsv")}


@lru_cache(maxsize=1)
def _institutions_by_length() -> tuple[str, ...]:
    return tuple(sorted(institutions(), key=len, reverse=True))


@lru_cache(maxsize=8192)
def institution_of(word: str) -> str | None:
    """Return the institution stem a capitalised word ends in ("Verteidigungsministeriums"), else None."""
    if not word[:1].isupper():
        return None
    for form in _candidates(word):
        for stem in _institutions_by_length():
            if form.endswith(stem):
                return stem
    return None


@lru_cache(maxsize=1)
def east_asian_surnames() -> frozenset[str]:
    """Return family names written first (Chinese, Korean, Vietnamese): "Zhang", "Li", "Xi"."""
    # east_asian_surnames.txt has no header row yet and belongs to the registry's move to
    # lagebild_core (issue 13): until then it is read here as a plain list, one name a line
    lines = (DATA_DIR / "east_asian_surnames.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def known_persons() -> dict[str, tuple[str, str]]:
    """Return {any spelling: (canonical name, alpha-3)} for well-known office holders."""
    found: dict[str, tuple[str, str]] = {}
    for row in _rows("persons.tsv"):
        for form in [row["name"]] + [v for v in row["variants"].split("|") if v != "-"]:
            found[form] = (row["name"], row["country"])
    return found


@lru_cache(maxsize=1)
def subdivision_names() -> frozenset[str]:
    """Return the names of states, provinces and regions below the country level (pycountry):
    a one-word "person" the recognizer finds there ("Alaska") is a place, not a person."""
    import pycountry
    return frozenset(sub.name for sub in pycountry.subdivisions)


@lru_cache(maxsize=1)
def not_actors() -> frozenset[str]:
    """Return entity texts that are never actors ("Kalten Krieges")."""
    return read_words(DATA_DIR / "not_actors.tsv", lower=False)
