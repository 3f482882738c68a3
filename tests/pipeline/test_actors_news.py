"""Actors on unseen news (issue 12): names written in full and in short, media and agencies,
persons' countries from their organisation, office and other mentions."""
from __future__ import annotations

import pytest
import spacy

from tests.support.actors import actors_of, persons
from tests.support.quotes import MODEL


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("de")
    nlp.add_pipe("lagebild_sentence_rules")
    return nlp


def mention_texts(actor: dict) -> list[str]:
    return [m["text"] for m in actor["mentions"]]


def test_a_surname_the_recognizer_also_finds_alone_is_the_full_name(nlp):
    text = "Die Regierung von Matteo Renzi verspricht sich viel. Im Herbst will Renzi die Reform vorlegen."
    found = persons(actors_of(nlp, text, ["Matteo Renzi", "Renzi"]))
    assert list(found) == ["Matteo Renzi"]
    assert mention_texts(found["Matteo Renzi"]) == ["Matteo Renzi", "Renzi"]


def test_a_surname_shared_by_two_full_names_stays_apart(nlp):
    text = "Hans Schmidt traf Peter Schmidt. Später sprach Schmidt vor Soldaten."
    found = persons(actors_of(nlp, text, ["Hans Schmidt", "Peter Schmidt", "Schmidt"]))
    assert sorted(found) == ["Hans Schmidt", "Peter Schmidt", "Schmidt"]


def test_media_and_agencies_from_the_gazetteer_are_organisations_with_their_country(nlp):
    text = "Haaretz und Channel 10 berichteten, laut der Agentur Xinhua und CNN habe Yonhap geschwiegen."
    actors = actors_of(nlp, text, ["Haaretz", "Yonhap"])
    kinds = {a["name"]: (a["kind"], a["country"]) for a in actors}
    assert kinds["Haaretz"] == ("organization", "ISR")
    assert kinds["Channel 10"] == ("organization", "ISR")
    assert kinds["CNN"] == ("organization", "USA")
    assert kinds["Yonhap"] == ("organization", "KOR")
    assert not persons(actors)


def test_a_name_after_a_class_noun_is_an_organisation_everywhere(nlp):
    text = "Das berichtete die Zeitung Danas am Montag. Danas zufolge sei der Kandidat chancenlos."
    actors = actors_of(nlp, text, ["Danas", "Danas"])
    assert not persons(actors)
    danas = [a for a in actors if a["name"] == "Danas"]
    assert len(danas) == 1 and danas[0]["kind"] == "organization"
    assert mention_texts(danas[0]) == ["Zeitung Danas", "Danas"]


def test_compound_class_nouns_arabic_names_and_quoted_names(nlp):
    text = ("Der Ort war von der Islamistengruppe Ansar Dine angegriffen worden, sagte der Chef der Gruppe "
            "Fursan al-Hak dem Sender „Rossija 1“. Die russische Zeitung Wedomosti bestätigte das.")
    actors = actors_of(nlp, text, ["Ansar Dine", "Fursan al-Hak", "Wedomosti"])
    orgs = {a["name"]: a for a in actors if a["kind"] == "organization"}
    assert {"Ansar Dine", "Fursan al-Hak", "Rossija 1", "Wedomosti"} <= set(orgs)
    assert mention_texts(orgs["Rossija 1"]) == ["Sender „Rossija 1“"]
    assert orgs["Wedomosti"]["country"] == "RUS"
    assert not persons(actors)


def test_statements_of_an_institution_and_state_media_resolve_to_the_institution(nlp):
    text = "Nach israelischen Armeeangaben wurden drei Raketen abgefeuert. Laut russischen Staatsmedien sei alles ruhig."
    orgs = {a["name"]: a for a in actors_of(nlp, text) if a["kind"] == "organization"}
    assert orgs["Armee Israels"]["country"] == "ISR"
    assert mention_texts(orgs["Armee Israels"]) == ["israelischen Armeeangaben"]
    assert orgs["Staatsmedien Russlands"]["country"] == "RUS"


def test_country_from_the_state_or_party_a_role_compound_starts_with(nlp):
    text = "US-Präsident Barack Obama, CDU-Generalsekretär Volker Kauder und Kreml-Sprecher Dmitri Peskow trafen sich."
    found = persons(actors_of(nlp, text, ["Barack Obama", "Volker Kauder", "Dmitri Peskow"]))
    assert {n: a["country"] for n, a in found.items()} == {"Barack Obama": "USA", "Volker Kauder": "DEU",
                                                            "Dmitri Peskow": "RUS"}


def test_country_from_an_office_named_in_several_words(nlp):
    text = "Ein Sprecher des Weißen Hauses, Josh Earnest, sagte, man prüfe den Bericht."
    found = persons(actors_of(nlp, text, ["Josh Earnest"]))
    assert found["Josh Earnest"]["country"] == "USA"


def test_country_from_the_party_in_brackets_and_a_demonym_before_the_name(nlp):
    text = ("Finanzexperte Peer Steinbrück (SPD) widersprach. Der 23-jährige Nigerianer Abdul Mutallab "
            "wollte einen Brandsatz zünden. Mutallab schwieg. Ein Gast (Unicef) lachte.")
    found = persons(actors_of(nlp, text, ["Peer Steinbrück", "Abdul Mutallab"]))
    assert found["Peer Steinbrück"]["country"] == "DEU"
    assert found["Abdul Mutallab"]["country"] == "NGA"


# -- coordinated roles before a name, and a role phrase with a number-adjective ----------------
def test_coordinated_roles_before_a_name_both_belong_to_the_person(nlp):
    text = ("Zum Geburtstag des früheren brasilianischen Präsidenten und Literaturnobelpreisträgers "
            "Carlos Almeida spielten zahlreiche Musiker.")
    almeida = persons(actors_of(nlp, text, persons=["Carlos Almeida"]))["Carlos Almeida"]
    assert "früheren brasilianischen Präsidenten" in almeida["roles"]
    assert almeida["country"] == "BRA"


def test_role_phrase_with_a_number_adjective_takes_up_the_person_and_his_pronoun(nlp):
    text = ("Zum Geburtstag des früheren brasilianischen Präsidenten und Literaturnobelpreisträgers "
            "Carlos Almeida spielten zahlreiche Musiker, auch die Sängerin Maria Costa. Das Publikum jubelte "
            "dem 90-jährigen ehemaligen Präsidenten zu, als er die Bühne betrat.")
    found = persons(actors_of(nlp, text, persons=["Carlos Almeida", "Maria Costa"]))
    mentions = [m["text"] for m in found["Carlos Almeida"]["mentions"]]
    assert "dem 90-jährigen ehemaligen Präsidenten" in mentions and "er" in mentions
    assert "er" not in [m["text"] for m in found["Maria Costa"]["mentions"]]


@pytest.mark.model
@pytest.mark.skipif(not MODEL.exists(), reason="models/de_lagebild is not there (trained model missing)")
def test_singular_only_determiner_outweighs_a_plural_reading_of_the_noun():
    from workers.pipeline import load

    # the tagger reads "Präsidenten" as a plural; "des" and "dem" say it is one person
    text = ("Zum Geburtstag des früheren brasilianischen Präsidenten und Literaturnobelpreisträgers "
            "Carlos Almeida spielten zahlreiche Musiker. Das Publikum jubelte dem ehemaligen Präsidenten zu.")
    actors = load().extract(text)["actors"]
    almeida = persons(actors)["Carlos Almeida"]
    assert "dem ehemaligen Präsidenten" in mention_texts(almeida)
    assert not [a for a in actors if a["kind"] == "group"]


def test_a_place_adjective_before_a_noun_for_what_a_side_says_names_the_state(nlp):
    text = "Nach pakistanischer Darstellung sei das zu früh. Nach US-Angaben gab es Tote. Die Seite schwieg."
    actors = actors_of(nlp, text)
    mentions = {a["name"]: [m["text"] for m in a["mentions"]] for a in actors if a["kind"] == "state"}
    assert mentions == {"Pakistan": ["pakistanischer Darstellung"], "Vereinigte Staaten": ["US-Angaben"]}


def test_what_a_side_says_without_a_source_preposition_names_no_state(nlp):
    text = "Reuters konnte die ukrainischen Angaben nicht überprüfen."
    assert not [a for a in actors_of(nlp, text) if a["kind"] == "state"]


def test_an_institutions_account_without_adjective_takes_the_country_of_its_clause(nlp):
    text = "Nahe der Grenze haben malische Soldaten nach Armeeangaben zwei Lager zerstört."
    orgs = [a for a in actors_of(nlp, text) if a["kind"] == "organization"]
    assert [(a["country"], [m["text"] for m in a["mentions"]]) for a in orgs] == [("MLI", ["Armeeangaben"])]


def test_an_institutions_account_between_two_countries_adjectives_has_no_country(nlp):
    text = "Malische und französische Soldaten haben nach Armeeangaben zwei Lager zerstört."
    assert not [a for a in actors_of(nlp, text) if a["kind"] == "organization" and a["country"]]
