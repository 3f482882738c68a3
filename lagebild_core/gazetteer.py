"""Gazetteer: states, international organisations and groups by the forms German news uses.

The data are the generated files in lexicons/gazetteer/ (states.tsv, organizations.tsv,
media.tsv: news agencies and media, groups.tsv; rebuild with `.venv/bin/python scripts/build_gazetteers.py`). Every function
takes a surface form as written ("russischen", "Peking", "der USA", "Nato") and answers from
those files; nothing here needs the spaCy model.

Lookups try the form exactly first and fall back to a case-insensitive match, so that
"Russische" at a sentence start still finds "russische" but "AP" is preferred to "ap".
Typographic apostrophes and runs of whitespace are normalised.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lagebild_core.lexicon import read_table

DATA_DIR = Path(__file__).with_name("lexicons") / "gazetteer"

# form types that stand for the state itself, as opposed to adjectives and people
STATE_TYPES = ("name", "official", "variant", "genitive", "capital", "seat")
CAPITAL_TYPES = ("capital", "seat")


@dataclass(frozen=True)
class Entry:
    """One surface form of one gazetteer item.

    actor_kind: the schema-v1 actor kind it denotes: "state", "location" (a dependent
    territory), "organization" or "group". id: the ISO alpha-3 code for states and
    territories, the curated id for organisations and groups ("NATO", "WEST").
    kind: state | territory | the organisation kind (international, news_agency, military, …)
    | group. country: the ISO alpha-3 affiliation (the state itself, or a national
    organisation's state), else None. type: what the form is (name, official, variant,
    genitive, adjective, demonym, capital, seat, abbreviation). name: the canonical German name.
    """

    form: str
    id: str
    actor_kind: str
    kind: str
    country: str | None
    type: str
    name: str


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """Return every gazetteer entry: states and territories, organisations, groups."""
    found = [Entry(r["form"], r["alpha3"], "state" if r["kind"] == "state" else "location",
                   r["kind"], r["alpha3"], r["type"], r["name"]) for r in read_table(DATA_DIR / "states.tsv")]
    found += [Entry(r["form"], r["id"], "organization", r["kind"], r["country"] or None, r["type"], r["name"])
              for name in ("organizations.tsv", "media.tsv") for r in read_table(DATA_DIR / name)]
    found += [Entry(r["form"], r["id"], "group", "group", None, r["type"], r["name"])
              for r in read_table(DATA_DIR / "groups.tsv")]
    return tuple(found)


def _normal(form: str) -> str:
    """Return `form` with typographic apostrophes straightened and whitespace collapsed."""
    return " ".join(form.replace("’", "'").replace("ʻ", "'").split())


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, tuple[Entry, ...]], dict[str, tuple[Entry, ...]]]:
    """Return (exact, case-folded) indexes from normalised form to entries."""
    exact: dict[str, list[Entry]] = {}
    folded: dict[str, list[Entry]] = {}
    for entry in entries():
        key = _normal(entry.form)
        exact.setdefault(key, []).append(entry)
        folded.setdefault(key.casefold(), []).append(entry)
    return ({k: tuple(v) for k, v in exact.items()}, {k: tuple(v) for k, v in folded.items()})


@lru_cache(maxsize=1)
def _beginnings() -> frozenset[str]:
    """Every beginning of every case-folded index key."""
    return frozenset(key[:k] for key in _indexes()[1] for k in range(1, len(key) + 1))


def begins_form(text: str) -> bool:
    """Return False when no form begins with `text` (after normalising and case-folding): then
    `lookup` finds nothing for `text` nor for any longer text that begins with it, so a scan
    for the longest form at a position can stop there."""
    return _normal(text).casefold() in _beginnings()


@lru_cache(maxsize=4096)
def lookup(form: str) -> list[Entry]:
    """Return the entries for a surface form: exact matches, else case-insensitive ones, else []."""
    exact, folded = _indexes()
    key = _normal(form)
    return list(exact.get(key) or folded.get(key.casefold(), ()))


@lru_cache(maxsize=8192)  # (asked for most capitalised words of every article)
def _unique_country(form: str, types: tuple[str, ...]) -> str | None:
    """Return the one alpha-3 that the form's entries of these types agree on, else None."""
    countries = {e.country for e in lookup(form) if e.type in types and e.country}
    return countries.pop() if len(countries) == 1 else None


def country_of_adjective(form: str) -> str | None:
    """Return the alpha-3 of a place adjective in any inflection ("russischen" → "RUS").

    None if the form is no such adjective or is ambiguous ("kongolesisch", "koreanisch").
    """
    return _unique_country(form, ("adjective",))


def country_of_demonym(form: str) -> str | None:
    """Return the alpha-3 of a demonym ("Chinesen" → "CHN", "Ukrainerin" → "UKR"), else None."""
    return _unique_country(form, ("demonym",))


def state_for_capital(form: str) -> str | None:
    """Return the alpha-3 of the state whose capital or seat this is ("Peking" → "CHN",
    "Kreml" → "RUS", "Den Haag" → "NLD"), else None."""
    return _unique_country(form, CAPITAL_TYPES)


def state_for_name(form: str) -> str | None:
    """Return the alpha-3 of a state or territory named by this form, a genitive included
    ("Russlands", "der USA", "Volksrepublik China"), else None."""
    return _unique_country(form, ("name", "official", "variant", "genitive"))


def state_of(form: str) -> str | None:
    """Return the alpha-3 of the state a form stands for as an actor: its name, genitive,
    capital or seat ("Moskau erklärte", "der Kreml"), else None."""
    return _unique_country(form, STATE_TYPES)


def country_of(form: str) -> str | None:
    """Return the alpha-3 affiliation of any entry for this form: a state's own code, a
    national organisation's country ("Pentagon" → "USA", "TASS" → "RUS"), an adjective's or
    demonym's state; None if unknown, international ("NATO") or ambiguous."""
    countries = {e.country for e in lookup(form) if e.country}
    return countries.pop() if len(countries) == 1 else None


def organization(form: str) -> Entry | None:
    """Return the organisation entry for a form ("Nato", "IAEO", "Tass"), else None."""
    found = [e for e in lookup(form) if e.actor_kind == "organization"]
    return found[0] if len({e.id for e in found}) == 1 else None


def group(form: str) -> Entry | None:
    """Return the group entry for a form ("der Westen", "westlichen Staaten"), else None."""
    found = [e for e in lookup(form) if e.actor_kind == "group"]
    return found[0] if found else None


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return {e.id: e.name for e in entries() if e.actor_kind in ("state", "location")}


def name_of(alpha3: str) -> str | None:
    """Return the German short name of a state or territory by its alpha-3 ("RUS" → "Russland")."""
    return _names().get(alpha3.upper())


def is_sovereign(alpha3: str) -> bool:
    """Return True for the states the gazetteer treats as sovereign (UN members, observers, Taiwan)."""
    return any(e.id == alpha3.upper() and e.kind == "state" for e in entries() if e.type == "name")
