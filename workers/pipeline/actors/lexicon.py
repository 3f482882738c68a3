"""The actor lexicons: role nouns, pronouns, institutions, known persons (lexicons/actors/).

Every function returns read-only data loaded once from the data files; nothing here needs spaCy.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lagebild_core.people import (  # noqa: F401 - role nouns and known persons are shared with the registry
    NOUN_ENDINGS, east_asian_surnames, known_persons, role_of, role_stems, same_office, synonym_sets,
)
from lagebild_core.people import noun_forms as _candidates

DATA_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "actors"


def _rows(name: str) -> list[dict[str, str]]:
    """Return the rows of a TSV data file (comments skipped) as dicts keyed by its header."""
    lines = [line for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def _lines(name: str) -> list[str]:
    """Return the non-comment lines of a plain list file."""
    return [line.strip() for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def pronouns() -> dict[str, tuple[str, str]]:
    """Return {pronoun: (gender, number)} for the pronouns that can stand for a named person."""
    return {r["form"]: (r["gender"], r["number"]) for r in _rows("pronouns.tsv")}


@lru_cache(maxsize=1)
def institutions() -> dict[str, str]:
    """Return {stem: display name} for national institutions ("verteidigungsministerium")."""
    return {r["stem"]: r["name"] for r in _rows("institutions.tsv")}


@lru_cache(maxsize=8192)
def institution_of(word: str) -> str | None:
    """Return the institution stem a capitalised word ends in ("Verteidigungsministeriums"), else None."""
    if not word[:1].isupper():
        return None
    for form in _candidates(word):
        for stem in sorted(institutions(), key=len, reverse=True):
            if form.endswith(stem):
                return stem
    return None


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def subdivision_names() -> frozenset[str]:
    """Return the names of states, provinces and regions below the country level (pycountry):
    a one-word "person" the recognizer finds there ("Alaska") is a place, not a person."""
    import pycountry
    return frozenset(sub.name for sub in pycountry.subdivisions)


def not_actors() -> frozenset[str]:
    """Return entity texts that are never actors ("Kalten Krieges")."""
    return frozenset(_lines("not_actors.txt"))
