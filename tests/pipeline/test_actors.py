"""Actors within one article: persons with all their mentions, roles, countries, kinds."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, Span

from workers.pipeline import clean
from workers.pipeline.actors import ActorIndex, extract_actors
from workers.pipeline.document import DocumentView

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("de")
    nlp.add_pipe("lagebild_sentence_rules")
    return nlp


def actors_of(nlp, text: str, persons: list[str] = ()) -> list[dict]:
    """Run the actors step on `text`; `persons` are entity texts labelled PER by hand."""
    doc = nlp(text)
    ents = []
    for name in persons:
        start = text.index(name)
        span = doc.char_span(start, start + len(name), label="PER")
        ents.append(span)
    doc.ents = ents
    return extract_actors(DocumentView.of(doc))


def person(actors: list[dict], name: str) -> dict:
    found = [a for a in actors if a["kind"] == "person" and a["name"] == name]
    assert len(found) == 1, [a["name"] for a in actors if a["kind"] == "person"]
    return found[0]


def mention_texts(actor: dict) -> list[str]:
    return [m["text"] for m in actor["mentions"]]


def test_full_name_surname_genitive_and_role_noun_are_one_actor(nlp):
    text = ("Der russische Präsident Wladimir Putin traf Xi Jinping. Putin lobte die Zusammenarbeit. "
            "Putins Sprecher schwieg. Danach sagte der russische Präsident, er sei zufrieden.")
    actors = actors_of(nlp, text, ["Xi Jinping"])
    putin = person(actors, "Wladimir Putin")
    assert mention_texts(putin) == ["Der russische Präsident", "Wladimir Putin", "Putin", "Putins", "der russische Präsident", "er"]
    assert putin["country"] == "RUS"
    assert putin["roles"] == ["russische Präsident"]
    assert len([a for a in actors if a["kind"] == "person"]) == 2


def test_family_name_first_short_form(nlp):
    text = ("Belousov traf Zhang Youxia, den stellvertretenden Vorsitzenden der Zentralen Militärkommission "
            "Chinas. Zhang forderte eine Vertiefung der Beziehungen.")
    actors = actors_of(nlp, text, ["Zhang Youxia"])
    zhang = person(actors, "Zhang Youxia")
    assert mention_texts(zhang) == [
        "Zhang Youxia", "den stellvertretenden Vorsitzenden der Zentralen Militärkommission Chinas", "Zhang"]
    assert zhang["roles"] == ["stellvertretenden Vorsitzenden der Zentralen Militärkommission Chinas"]
    assert zhang["country"] == "CHN"


def test_role_before_name_with_comma_and_pronoun(nlp):
    text = ("China sei bereit, erklärte der Sprecher des chinesischen Verteidigungsministeriums, Tan Kefei, "
            "am Donnerstag. Laut Tan ist das Ziel klar, fügte er hinzu. Der Diplomat erklärte mehr.")
    tan = person(actors_of(nlp, text), "Tan Kefei")
    assert tan["roles"] == ["Sprecher des chinesischen Verteidigungsministeriums"]
    assert tan["country"] == "CHN"
    assert mention_texts(tan) == [
        "der Sprecher des chinesischen Verteidigungsministeriums", "Tan Kefei", "Tan", "er", "Der Diplomat"]


def test_title_chain_and_country_from_the_organisation(nlp):
    text = ("Das teilte das chinesische Verteidigungsministerium unter Berufung auf den Sprecher "
            "Oberst Wu Qian mit.")
    actors = actors_of(nlp, text)
    wu = person(actors, "Wu Qian")
    assert wu["roles"] == ["Sprecher", "Oberst"]
    assert wu["country"] == "CHN"
    ministry = [a for a in actors if a["kind"] == "organization"]
    assert ministry and ministry[0]["country"] == "CHN"


def test_headline_role_noun_before_the_name_and_genitive_state_country(nlp):
    text = ("Chinas Verteidigungsminister besucht Russland\n\n"
            "Der chinesische Verteidigungsminister Li Shangfu besucht Russland. Lis Reise dauert sechs Tage.")
    li = person(actors_of(nlp, text), "Li Shangfu")
    assert mention_texts(li) == ["Chinas Verteidigungsminister", "Der chinesische Verteidigungsminister",
                                 "Li Shangfu", "Lis"]
    assert li["country"] == "CHN"


def test_same_surname_different_people_are_not_merged(nlp):
    text = "Wang Yi traf Wang Wenbin. Wang sagte nichts."
    actors = actors_of(nlp, text, ["Wang Yi", "Wang Wenbin"])
    people = [a for a in actors if a["kind"] == "person"]
    assert sorted(a["name"] for a in people) == ["Wang Wenbin", "Wang Yi"]
    assert all("Wang" not in mention_texts(a) for a in people)


def test_capital_acting_is_the_state_and_in_capital_is_a_location(nlp):
    text = "Peking erklärte, die Übungen in Peking seien normal. Der Kreml schwieg, Washington versuche es."
    actors = actors_of(nlp, text)
    china = [a for a in actors if a["kind"] == "state" and a["country"] == "CHN"]
    assert china and mention_texts(china[0]) == ["Peking"]
    assert china[0]["global_id"] == "state:CHN"
    places = [a for a in actors if a["kind"] == "location"]
    assert [m["start"] for m in places[0]["mentions"]] == [text.index("in Peking") + 3]
    assert any(a["country"] == "RUS" and a["kind"] == "state" for a in actors)
    assert any(a["country"] == "USA" and a["kind"] == "state" for a in actors)


def test_groups_and_organisations(nlp):
    text = "Der Westen und die Nato kritisieren Moskau. Westliche Staaten und die G7 fordern mehr."
    actors = actors_of(nlp, text)
    groups = [a for a in actors if a["kind"] == "group"]
    assert len(groups) == 1 and groups[0]["global_id"] == "group:WEST"
    assert len(groups[0]["mentions"]) == 2
    orgs = {a["global_id"] for a in actors if a["kind"] == "organization"}
    assert {"org:NATO", "org:G7"} <= orgs


def test_ids_keys_and_offsets_on_the_seeds(nlp):
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        actors = extract_actors(DocumentView.of(nlp(clean.mask_boilerplate(text))))
        assert [a["id"] for a in actors] == [f"A{n}" for n in range(1, len(actors) + 1)]
        for actor in actors:
            assert actor["kind"] in ("person", "organization", "state", "location", "group", "other")
            for m in actor["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]


def test_seed_persons_are_one_actor_each(nlp):
    text = (SEEDS / "000_49e7588e5b29a721.txt").read_text(encoding="utf-8")
    actors = extract_actors(DocumentView.of(nlp(clean.mask_boilerplate(text))))
    belousov = person(actors, "Andrey Belousov")
    assert belousov["country"] == "RUS"
    assert "Russlands Verteidigungschef" in mention_texts(belousov)
    assert mention_texts(belousov).count("Belousov") == 4
    assert person(actors, "Xi Jinping")["country"] == "CHN"


def test_actor_index_prefers_the_largest_overlap():
    actors = [{"id": "A1", "kind": "person", "mentions": [{"text": "Putin", "start": 0, "end": 5}]},
              {"id": "A2", "kind": "state", "mentions": [{"text": "Russland", "start": 10, "end": 18}]}]
    index = ActorIndex(actors)
    assert index.actor_at(0, 12) == "A1"
    assert index.actor_at(9, 30) == "A2"
    assert index.actor_at(6, 9) is None
    assert index.actor("A2")["kind"] == "state"
    assert [a["id"] for a in index.actors_of_kind("person")] == ["A1"]


def test_works_with_other_label_sets(nlp):
    doc = nlp("Joe Biden sprach mit der NATO.")
    doc.ents = [Span(doc, 0, 2, label="PERSON")]
    actors = extract_actors(DocumentView.of(doc))
    biden = person(actors, "Joe Biden")
    assert biden["country"] == "USA"
    assert biden["global_id"] == "person:joe-biden"


def test_hand_made_doc_with_parse_annotations():
    words = ["Der", "Minister", "Boris", "Pistorius", "sagte", ",", "er", "komme", "."]
    doc = Doc(spacy.blank("de").vocab, words=words,
              pos=["DET", "NOUN", "PROPN", "PROPN", "VERB", "PUNCT", "PRON", "VERB", "PUNCT"],
              sent_starts=[True] + [False] * 8)
    actors = extract_actors(DocumentView.of(doc))
    pistorius = person(actors, "Boris Pistorius")
    assert mention_texts(pistorius) == ["Der Minister", "Boris Pistorius", "er"]
    assert pistorius["roles"] == ["Minister"]


def test_a_capital_in_the_genitive_is_its_state(nlp):
    actors = actors_of(nlp, "Der Westen will die Verbündeten wegen der Invasion Moskaus isolieren.")
    russia = [a for a in actors if a["kind"] == "state"]
    assert [(a["name"], a["country"], mention_texts(a)) for a in russia] == [("Russland", "RUS", ["Moskaus"])]


def test_coordinated_place_adjectives_give_one_institution_each(nlp):
    actors = actors_of(nlp, "Die chinesischen und russischen Küstenwachen patrouillierten. "
                            "US- und kanadische Streitkräfte fingen Bomber ab.")
    orgs = {a["name"]: a["country"] for a in actors if a["kind"] == "organization"}
    assert orgs == {"Küstenwache Chinas": "CHN", "Küstenwache Russlands": "RUS",
                    "Streitkräfte der USA": "USA", "Streitkräfte Kanadas": "CAN"}


def test_an_institution_in_a_capital_belongs_to_its_state(nlp):
    actors = actors_of(nlp, "Das Verteidigungsministerium in Peking hat sich bereit erklärt, mit Moskau zu arbeiten.")
    orgs = [(a["name"], a["country"]) for a in actors if a["kind"] == "organization"]
    assert orgs == [("Verteidigungsministerium Chinas", "CHN")]


def test_a_bare_institution_belongs_to_the_one_state_its_sentence_names(nlp):
    actors = actors_of(nlp, "In Belgien hat die Polizei sechs Verdächtige festgenommen. "
                            "Die Polizei sprach von einem Erfolg.")
    police = [a for a in actors if a["kind"] == "organization"]
    assert [(a["name"], a["country"], mention_texts(a)) for a in police] == [
        ("Polizei Belgiens", "BEL", ["die Polizei", "Die Polizei"])]
    two_states = actors_of(nlp, "Frankreich und Deutschland lobten die Polizei.")
    assert [a for a in two_states if a["kind"] == "organization"] == []  # no guess


def test_a_dateline_capital_is_a_place_not_the_state_acting(nlp):
    actors = actors_of(nlp, "Teheran – Die Polizei hat am Montag 53 Menschen festgenommen.")
    assert [(a["name"], a["kind"]) for a in actors if a["name"] in ("Teheran", "Iran")] == [("Teheran", "location")]


def test_capital_in_the_genitive_is_the_state_even_when_the_recognizer_says_person(nlp):
    actors = actors_of(nlp, "Die Invasion Moskaus hat begonnen.", persons=["Moskaus"])
    assert [a["name"] for a in actors if a["kind"] == "person"] == []
    assert [(a["name"], mention_texts(a)) for a in actors if a["kind"] == "state"] == [("Russland", ["Moskaus"])]


# unnamed and descriptive sources (issue 12) ---------------------------------------------------

def unnamed_actors(actors: list[dict]) -> list[dict]:
    return [a for a in actors if a.get("named") is False]


def test_indefinite_role_phrase_is_an_unnamed_person_with_role_and_country(nlp):
    text = "Ein Sprecher des israelischen Außenministeriums sagte, man prüfe die Berichte."
    found = unnamed_actors(actors_of(nlp, text))
    assert len(found) == 1
    spokesman = found[0]
    assert spokesman["kind"] == "person" and spokesman["global_id"] is None
    assert spokesman["roles"] == ["Sprecher des israelischen Außenministeriums"]
    assert spokesman["country"] == "ISR"
    assert mention_texts(spokesman) == ["Ein Sprecher des israelischen Außenministeriums"]


def test_named_actors_say_so(nlp):
    actors = actors_of(nlp, "Der russische Präsident Wladimir Putin traf Xi Jinping.", ["Xi Jinping"])
    assert all(a["named"] is True for a in actors)


def test_later_definite_mention_joins_the_unnamed_person(nlp):
    text = "Eine Armeesprecherin bestätigte den Angriff. Die Sprecherin nannte keine Zahlen."
    found = unnamed_actors(actors_of(nlp, text))
    assert [mention_texts(a) for a in found] == [["Eine Armeesprecherin", "Die Sprecherin"]]


def test_indefinite_generic_noun_is_not_the_person_named_before(nlp):
    text = "Wladimir Putin traf Xi Jinping. Ein Diplomat sagte, das Treffen sei gut verlaufen."
    actors = actors_of(nlp, text, ["Wladimir Putin", "Xi Jinping"])
    assert "Ein Diplomat" not in mention_texts(person(actors, "Xi Jinping"))
    assert [mention_texts(a) for a in unnamed_actors(actors)] == [["Ein Diplomat"]]


def test_plural_source_nouns_and_circles_are_unnamed_groups(nlp):
    text = ("Augenzeugen berichteten von Explosionen. Aus serbischen Regierungskreisen hieß es, "
            "Diplomaten seien besorgt.")
    found = {a["name"]: a for a in unnamed_actors(actors_of(nlp, text))}
    assert set(found) == {"Augenzeugen", "serbischen Regierungskreisen", "Diplomaten"}
    assert all(a["kind"] == "group" for a in found.values())
    assert found["serbischen Regierungskreisen"]["country"] == "SRB"


def test_source_noun_inside_another_word_is_no_actor(nlp):
    text = "Die Flugzeuge landeten in zwei Landkreisen."
    assert unnamed_actors(actors_of(nlp, text)) == []


def test_bare_singular_role_noun_is_too_vague(nlp):
    assert unnamed_actors(actors_of(nlp, "Sprecher Müller kam nicht.", ["Müller"])) == []
