"""Gazetteer: lookups of the forms news uses, data integrity, generator reproducibility."""
import importlib.util
from collections import Counter
from pathlib import Path

import pycountry
import pytest

from lagebild_core import gazetteer
from lagebild_core.gazetteer import (
    country_of, country_of_adjective, country_of_demonym, group, lookup, name_of, organization,
    state_for_capital, state_for_name, state_of,
)

ROOT = Path(__file__).resolve().parents[2]
UN_MEMBER_COUNT = 193


def load_generator():
    """Import scripts/build_gazetteers.py (not a package) as a module."""
    spec = importlib.util.spec_from_file_location("build_gazetteers", ROOT / "scripts" / "build_gazetteers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("form, alpha3", [
    ("Russland", "RUS"), ("Russische Föderation", "RUS"), ("Russlands", "RUS"),
    ("der Russischen Föderation", "RUS"),
    ("USA", "USA"), ("US", "USA"), ("Vereinigte Staaten", "USA"), ("Vereinigte Staaten von Amerika", "USA"),
    ("der USA", "USA"), ("der Vereinigten Staaten", "USA"), ("Amerika", "USA"),
    ("Weißrussland", "BLR"), ("Belarus", "BLR"), ("Weißrusslands", "BLR"),
    ("China", "CHN"), ("Chinas", "CHN"), ("Volksrepublik China", "CHN"), ("VR China", "CHN"),
    ("Nordkorea", "PRK"), ("Nordkoreas", "PRK"), ("Südkorea", "KOR"),
    ("Großbritannien", "GBR"), ("Vereinigtes Königreich", "GBR"), ("Großbritanniens", "GBR"),
    ("Taiwan", "TWN"), ("Ukraine", "UKR"), ("der Ukraine", "UKR"),
    ("Iran", "IRN"), ("des Iran", "IRN"), ("des Irans", "IRN"), ("der Türkei", "TUR"),
    ("der Schweiz", "CHE"), ("der Niederlande", "NLD"), ("Deutschlands", "DEU"),
    ("Frankreichs", "FRA"), ("Israels", "ISR"), ("Palästina", "PSE"),
    ("Elfenbeinküste", "CIV"), ("Grönland", "GRL"), ("Hongkong", "HKG"),
])
def test_state_names_and_genitives(form, alpha3):
    assert state_for_name(form) == alpha3


@pytest.mark.parametrize("form, alpha3", [
    *[(f"russisch{e}", "RUS") for e in ("", "e", "en", "er", "es", "em")],
    *[(f"chinesisch{e}", "CHN") for e in ("", "e", "en", "er", "es", "em")],
    *[(f"US-amerikanisch{e}", "USA") for e in ("", "e", "en", "er", "es", "em")],
    ("amerikanischen", "USA"),
    *[(f"belarussisch{e}", "BLR") for e in ("", "e", "en", "er", "es", "em")],
    *[(f"weißrussisch{e}", "BLR") for e in ("", "e", "en", "er", "es", "em")],
    *[(f"nordkoreanisch{e}", "PRK") for e in ("", "e", "en", "er", "es", "em")],
    *[(f"ukrainisch{e}", "UKR") for e in ("", "e", "en", "er", "es", "em")],
    ("Russische", "RUS"), ("britischen", "GBR"), ("deutschen", "DEU"), ("französische", "FRA"),
    ("israelischen", "ISR"), ("iranischer", "IRN"), ("südkoreanische", "KOR"), ("taiwanischen", "TWN"),
])
def test_adjectives(form, alpha3):
    assert country_of_adjective(form) == alpha3


@pytest.mark.parametrize("form", ["kongolesischen", "koreanische", "Russland", "schnell"])
def test_ambiguous_or_no_adjective(form):
    assert country_of_adjective(form) is None


@pytest.mark.parametrize("form, alpha3", [
    ("Russe", "RUS"), ("Russen", "RUS"), ("Russin", "RUS"), ("Chinese", "CHN"), ("Chinesen", "CHN"),
    ("Chinesin", "CHN"), ("Ukrainer", "UKR"), ("Ukrainern", "UKR"), ("Ukrainerin", "UKR"),
    ("Amerikaner", "USA"), ("US-Amerikaner", "USA"), ("Briten", "GBR"), ("Franzosen", "FRA"),
    ("Französin", "FRA"), ("Deutsche", "DEU"), ("Deutscher", "DEU"), ("Israelis", "ISR"),
    ("Belarussen", "BLR"), ("Weißrussen", "BLR"), ("Nordkoreaner", "PRK"), ("Jemeniten", "YEM"),
    ("Palästinenser", "PSE"), ("Türken", "TUR"), ("Polen", "POL"),
])
def test_demonyms(form, alpha3):
    assert country_of_demonym(form) == alpha3


@pytest.mark.parametrize("form, alpha3", [
    ("Moskau", "RUS"), ("Kreml", "RUS"), ("Peking", "CHN"), ("Beijing", "CHN"), ("Washington", "USA"),
    ("Weißes Haus", "USA"), ("Weißen Haus", "USA"), ("Kiew", "UKR"), ("Kyjiw", "UKR"),
    ("Downing Street", "GBR"), ("Élysée", "FRA"), ("Élysée-Palast", "FRA"), ("Berlin", "DEU"),
    ("Kanzleramt", "DEU"), ("Pjöngjang", "PRK"), ("Seoul", "KOR"), ("Taipeh", "TWN"), ("Minsk", "BLR"),
    ("Teheran", "IRN"), ("Jerusalem", "ISR"), ("Ankara", "TUR"), ("Den Haag", "NLD"), ("Bern", "CHE"),
    ("Tokio", "JPN"), ("Neu-Delhi", "IND"), ("Brasília", "BRA"), ("Canberra", "AUS"), ("Ottawa", "CAN"),
    ("Abuja", "NGA"), ("Pretoria", "ZAF"), ("Riad", "SAU"), ("Damaskus", "SYR"), ("Bagdad", "IRQ"),
    ("N’Djamena", "TCD"), ("N'Djamena", "TCD"), ("Luxemburg", "LUX"),
])
def test_capitals_and_seats(form, alpha3):
    assert state_for_capital(form) == alpha3
    assert state_of(form) == alpha3


@pytest.mark.parametrize("form, org_id, kind, country", [
    ("NATO", "NATO", "international", None), ("Nato", "NATO", "international", None),
    ("der Nato", "NATO", "international", None),
    ("EU", "EU", "international", None), ("Europäische Union", "EU", "international", None),
    ("UN", "UN", "international", None), ("UNO", "UN", "international", None),
    ("Vereinte Nationen", "UN", "international", None), ("Vereinten Nationen", "UN", "international", None),
    ("G7", "G7", "international", None), ("G20", "G20", "international", None),
    ("BRICS", "BRICS", "international", None), ("SOZ", "SCO", "international", None),
    ("Schanghaier Organisation für Zusammenarbeit", "SCO", "international", None),
    ("OSZE", "OSCE", "international", None), ("ASEAN", "ASEAN", "international", None),
    ("Afrikanische Union", "AU", "international", None), ("IAEA", "IAEA", "international", None),
    ("IAEO", "IAEA", "international", None), ("WHO", "WHO", "international", None),
    ("IWF", "IMF", "international", None), ("Weltbank", "WORLD_BANK", "international", None),
    ("WTO", "WTO", "international", None), ("OPEC", "OPEC", "international", None),
    ("Europarat", "COUNCIL_OF_EUROPE", "international", None),
    ("UN-Sicherheitsrat", "UNSC", "international", None), ("Sicherheitsrat", "UNSC", "international", None),
    ("Pentagon", "PENTAGON", "government", "USA"), ("Bundeswehr", "BUNDESWEHR", "military", "DEU"),
    ("Volksbefreiungsarmee", "PLA", "military", "CHN"), ("Zentrale Militärkommission", "CMC", "military", "CHN"),
    ("TASS", "TASS", "news_agency", "RUS"), ("Tass", "TASS", "news_agency", "RUS"),
    ("Xinhua", "XINHUA", "news_agency", "CHN"), ("Reuters", "REUTERS", "news_agency", "GBR"),
    ("AP", "AP", "news_agency", "USA"), ("dpa", "DPA", "news_agency", "DEU"), ("AFP", "AFP", "news_agency", "FRA"),
])
def test_organizations(form, org_id, kind, country):
    entry = organization(form)
    assert (entry.id, entry.kind, entry.country) == (org_id, kind, country)
    assert entry.actor_kind == "organization"


@pytest.mark.parametrize("form, alpha3", [("Pentagon", "USA"), ("TASS", "RUS"), ("Xinhua", "CHN"),
                                          ("russischen", "RUS"), ("Kreml", "RUS"), ("NATO", None)])
def test_country_of_any_entry(form, alpha3):
    assert country_of(form) == alpha3


@pytest.mark.parametrize("form, group_id", [
    ("der Westen", "WEST"), ("des Westens", "WEST"), ("westliche Staaten", "WEST"),
    ("westlichen Staaten", "WEST"), ("westliche Länder", "WEST"), ("die Verbündeten", "ALLIES"),
    ("Verbündeten", "ALLIES"), ("NATO-Staaten", "NATO_STATES"), ("Nato-Staaten", "NATO_STATES"),
    ("EU-Staaten", "EU_STATES"), ("Globalen Süden", "GLOBAL_SOUTH"),
])
def test_groups(form, group_id):
    entry = group(form)
    assert (entry.id, entry.actor_kind) == (group_id, "group")


def test_lookup_entry_shape():
    [entry] = [e for e in lookup("Kreml")]
    assert (entry.id, entry.actor_kind, entry.country, entry.type, entry.name) == (
        "RUS", "state", "RUS", "seat", "Russland")
    assert lookup("  Weißes   Haus ") and lookup("gibt es nicht") == []


def test_exact_case_wins_over_case_insensitive():
    assert {e.type for e in lookup("Russische")} == {"adjective"}
    assert [e.id for e in lookup("AP")] == ["AP"]


def test_territories_are_locations():
    assert {e.actor_kind for e in lookup("Grönland")} == {"location"}
    assert name_of("RUS") == "Russland" and name_of("usa") == "Vereinigte Staaten"


def test_every_alpha3_is_valid_in_pycountry():
    valid = {c.alpha_3 for c in pycountry.countries}
    used = {e.country for e in gazetteer.entries() if e.country}
    used |= {e.id for e in gazetteer.entries() if e.actor_kind in ("state", "location")}
    assert used - valid == set()


def test_all_sovereign_states_have_capital_adjective_and_name():
    states = {e.id for e in gazetteer.entries() if e.kind == "state" and e.type == "name"}
    assert len(states) == UN_MEMBER_COUNT + 3  # + Holy See, Palestine, Taiwan
    by_type = {t: {e.id for e in gazetteer.entries() if e.type == t} for t in ("capital", "adjective")}
    assert states - by_type["capital"] == set()
    assert states - by_type["adjective"] == set()


@pytest.mark.parametrize("name", ["states.tsv", "organizations.tsv", "media.tsv", "groups.tsv"])
def test_no_duplicate_rows(name):
    lines = [line for line in (gazetteer.DATA_DIR / name).read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    assert [line for line, n in Counter(lines).items() if n > 1] == []
    width = len(lines[0].split("\t"))
    assert all(len(line.split("\t")) == width and all(line.split("\t")[:2]) for line in lines)


def test_generator_output_equals_committed_files():
    for name, text in load_generator().build().items():
        assert (gazetteer.DATA_DIR / name).read_text(encoding="utf-8") == text, f"{name} is out of date"


def test_generator_inflections():
    generator = load_generator()
    assert generator.genitives("Russland", "") == ["Russlands"]
    assert generator.genitives("Belarus", "") == []
    assert generator.genitives("Iran", "der") == ["des Iran", "des Irans"]
    assert generator.genitives("Ukraine", "die") == ["der Ukraine"]
    assert generator.demonym_forms("Franzose:Französin") == ["Franzose", "Franzosen", "Französin", "Französinnen"]
    assert generator.demonym_forms("Deutsch*") == ["Deutscher", "Deutsche", "Deutschen", "Deutschem"]
