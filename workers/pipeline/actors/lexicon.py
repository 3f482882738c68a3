"""The actor lexicons: role nouns, pronouns, institutions, known persons (lexicons/actors/).

Every function returns read-only data loaded once from the data files; nothing here needs spaCy.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lagebild_core.lexicon import Suffixes, read_table, read_words
from lagebild_core.people import (  # noqa: F401 - role nouns and known persons are shared with the registry
    NOUN_ENDINGS, east_asian_surnames, known_persons, role_of, role_stems, same_office, synonym_sets,
)
from lagebild_core.people import noun_forms as _candidates
from workers.pipeline.word_classes import word_classes

DATA_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "actors"


def _rows(name: str) -> tuple[dict[str, str], ...]:
    return read_table(DATA_DIR / name)


@lru_cache(maxsize=None)
def word_class(name: str) -> frozenset[str]:
    """Return the words of one class of word_classes.tsv ("determiner", "copula", ...), as
    written (the class "name_stop" is capitalised)."""
    return word_classes(DATA_DIR / "word_classes.tsv", lower=False)[name]


@lru_cache(maxsize=1)
def pronouns() -> dict[str, tuple[str, str]]:
    """Return {pronoun: (gender, number)} for the pronouns that can stand for a named person."""
    return {r["form"]: (r["gender"], r["number"]) for r in _rows("pronouns.tsv")}


@lru_cache(maxsize=1)
def institutions() -> dict[str, str]:
    """Return {stem: display name} for national institutions ("verteidigungsministerium")."""
    return {r["stem"]: r["name"] for r in _rows("institutions.tsv")}


@lru_cache(maxsize=1)
def _institution_suffixes() -> Suffixes:
    return Suffixes(institutions())


@lru_cache(maxsize=8192)
def institution_of(word: str) -> str | None:
    """Return the institution stem a capitalised word ends in ("Verteidigungsministeriums"), or
    that a word for its statements starts with ("Armeeangaben"), else None."""
    if not word[:1].isupper():
        return None
    for form in _candidates(word):
        stem = _institution_suffixes().longest(form)
        if stem is not None:
            return stem
    ending = source_endings().longest(word.lower(), min_rest=3)  # "Armeeangaben": what the army says
    return institution_of(word[: -len(ending)]) if ending else None


@lru_cache(maxsize=1)
def source_endings() -> Suffixes:
    """The endings of words for what an institution says ("Armee|angaben"): the class
    "institution_source" of word_classes.tsv."""
    return Suffixes(word_class("institution_source"))


@lru_cache(maxsize=1)
def _organisation_nouns() -> dict[str, str]:
    return {r["stem"]: r["kind"] for r in _rows("organisation_nouns.tsv")}


@lru_cache(maxsize=1)
def _organisation_noun_suffixes() -> Suffixes:
    return Suffixes(_organisation_nouns())


@lru_cache(maxsize=8192)
def organisation_noun(word: str) -> str | None:
    """Return the kind of a class noun that introduces an organisation's name ("Zeitung",
    "Fernsehsenders", "Islamistengruppe" → "media", "media", "group"), else None."""
    if not word[:1].isupper() or not word.replace("-", "").isalpha():
        return None
    for form in _candidates(word):
        stem = _organisation_noun_suffixes().longest(form)
        if stem is not None:
            return _organisation_nouns()[stem]
    return None


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
