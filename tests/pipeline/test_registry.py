"""The cross-article registry's pure part: canonical keys and matching."""
from __future__ import annotations

from lagebild_core import registry


def person(name, country=None, roles=()):
    return {"kind": "person", "name": name, "country": country, "roles": list(roles)}


def entry(key, name, country=None, roles=(), names=None):
    return {"key": key, "kind": "person", "name": name, "names": names or [name],
            "country": country, "roles": list(roles)}


def test_canonical_keys():
    assert registry.canonical_key({"kind": "state", "name": "Russland", "country": "RUS"}) == "state:RUS"
    assert registry.canonical_key({"kind": "state", "name": "Moskau"}) == "state:RUS"
    assert registry.canonical_key({"kind": "organization", "name": "Nato"}) == "org:NATO"
    assert registry.canonical_key({"kind": "organization", "name": "Verteidigungsministerium Chinas"}) == \
        "org:verteidigungsministerium-chinas"
    assert registry.canonical_key({"kind": "group", "name": "der Westen"}) == "group:WEST"
    assert registry.canonical_key({"kind": "location", "name": "Peking"}) == "location:peking"
    assert registry.canonical_key(person("Li Shangfu")) == "person:li-shangfu"
    assert registry.canonical_key(person("Belousov")) is None
    assert registry.canonical_key(person("Andrey Belousov")) == registry.canonical_key(person("Andrej Beloussow"))


def test_transliteration_variants_match():
    known = [entry("person:andrej-beloussow", "Andrej Beloussow", "RUS")]
    assert registry.match(person("Andrey Belousov", "RUS"), known) is known[0]
    shoigu = [entry("person:sergej-schoigu", "Sergej Schoigu", "RUS")]
    assert registry.match(person("Sergei Shoigu"), shoigu) is shoigu[0]
    assert registry.match(person("Sergej Lawrow"), shoigu) is None


def test_full_name_in_two_articles():
    known = [entry("person:li-shangfu", "Li Shangfu", "CHN", ["Verteidigungsminister"])]
    assert registry.match(person("Li Shangfu", "CHN"), known) is known[0]
    assert registry.match(person("Li Shangfu", "USA"), known) is None  # countries disagree


def test_surname_alone_needs_a_unique_compatible_entry():
    zhang = entry("person:zhang-youxia", "Zhang Youxia", "CHN", ["stellvertretende Vorsitzende", "General"])
    assert registry.match(person("Zhang", "CHN"), [zhang]) is zhang
    assert registry.match(person("Zhang", None, ["chinesische General"]), [zhang]) is zhang
    assert registry.match(person("Zhang"), [zhang]) is None  # no evidence
    assert registry.match(person("Zhang", "TWN"), [zhang]) is None
    wang = [entry("person:wang-yi", "Wang Yi", "CHN"), entry("person:wang-wenbin", "Wang Wenbin", "CHN")]
    assert registry.match(person("Wang", "CHN"), wang) is None  # two people share the surname


def test_states_and_organisations_match_by_key():
    entries = [{"key": "state:RUS", "kind": "state", "name": "Russland"},
               {"key": "org:NATO", "kind": "organization", "name": "NATO"}]
    assert registry.match({"kind": "state", "name": "Russland", "country": "RUS"}, entries) is entries[0]
    assert registry.match({"kind": "organization", "name": "Nato"}, entries) is entries[1]
    assert registry.match({"kind": "state", "name": "China", "country": "CHN"}, entries) is None


def test_new_keys_and_merging():
    taken = {"person:zhang"}
    assert registry.new_key(person("Zhang"), taken) == "person:zhang-2"
    merged = registry.merged(entry("person:x", "Zhang"), person("Zhang Youxia", "CHN", ["General"]))
    assert merged["name"] == "Zhang Youxia" and merged["country"] == "CHN"
    assert merged["names"] == ["Zhang", "Zhang Youxia"] and merged["roles"] == ["General"]


# the persons of the tests above, with those they must find and those they must not
KEYED = [
    (person("Andrey Belousov", "RUS"), entry("person:andrej-beloussow", "Andrej Beloussow", "RUS"), True),
    (person("Sergei Shoigu"), entry("person:sergej-schoigu", "Sergej Schoigu", "RUS"), True),
    (person("Yuri Sarenko"), entry("person:jurij-zarenko", "Jurij Zarenko"), True),  # no beginning in common
    (person("Li Shangfu", "CHN"), entry("person:li-shangfu", "Li Shangfu", "CHN"), True),
    (person("Zhang", "CHN"), entry("person:zhang-youxia", "Zhang Youxia", "CHN"), True),  # family name first
    (person("Beloussow", "RUS"), entry("person:andrej-beloussow", "Andrej Beloussow", "RUS"), True),
    (person("Zarenko"), entry("person:zarenko", "Zarenko"), True),  # a one-word entry, by its name
    (person("Sergej Lawrow"), entry("person:sergej-schoigu", "Sergej Schoigu", "RUS"), False),
    (person("Youxia", "CHN"), entry("person:zhang-youxia", "Zhang Youxia", "CHN"), False),
    (person("Yuri Petrow"), entry("person:jurij-zarenko", "Jurij Zarenko"), False),
]


def test_a_person_shares_a_key_with_every_entry_it_matches():
    """Linking reads only the entries that share a key with a person (actor_name_keys): every entry
    `match` takes shares one, and a different person with a name word in common does not."""
    for actor, known, matches in KEYED:
        shared = registry.person_lookup_keys(actor) & registry.person_keys(known)
        assert (registry.match(actor, [known]) is known) is matches, actor["name"]
        assert bool(shared) is matches, actor["name"]
    assert registry.person_lookup_keys(person("X")) == registry.person_lookup_keys(person("")) == set()


def test_the_stored_name_keys_are_these():
    """actor_name_keys holds these keys for stored persons (migration 0013 computed them for the
    rows before it): if the skeletons change, the stored keys must be computed again by a new
    migration, or stored persons are no longer found."""
    assert registry.person_keys(entry("person:andrej-beloussow", "Andrej Beloussow")) == \
        {"full:andry belousov", "short:belousov", "name:andry belousov"}
    assert registry.person_keys(entry("person:zhang-youxia", "Zhang Youxia")) == \
        {"full:zhang youxia", "short:shang", "name:zhang youxia"}
