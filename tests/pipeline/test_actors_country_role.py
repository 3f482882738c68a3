"""Actors on unseen news (issue 12): a person's country from the article's state, roles the text
gives in other constructions, and what is no person."""
from __future__ import annotations

import pytest
import spacy

from tests.support.actors import actors_of, persons


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("de")
    nlp.add_pipe("lagebild_sentence_rules")
    return nlp


def test_a_state_office_without_place_adjective_is_held_in_the_state_the_article_is_about(nlp):
    text = ("Russland lehnt die Partei ab. In Russland darf sie nicht antreten. Moskau bestätigte das. "
            "Die Partei sei nicht registriert, so Wahlleiter Wladimir Tschurow.")
    found = persons(actors_of(nlp, text, ["Wladimir Tschurow"]))
    assert found["Wladimir Tschurow"]["country"] == "RUS"


def test_no_country_from_the_article_for_other_roles_or_when_the_sentence_names_another_state(nlp):
    text = ("Russland lehnt die Partei ab. In Russland darf sie nicht antreten. Moskau bestätigte das. "
            "Sprecher Robert Gibbs widersprach. Kroatien nominierte Präsidentin Vesna Pusic.")
    found = persons(actors_of(nlp, text, ["Robert Gibbs", "Vesna Pusic"]))
    assert found["Robert Gibbs"]["country"] is None
    assert found["Vesna Pusic"]["country"] != "RUS"


def test_no_country_from_an_article_without_a_dominant_state(nlp):
    text = "Russland und China streiten. Präsident Xanana Gusmão schwieg."
    found = persons(actors_of(nlp, text, ["Xanana Gusmão"]))
    assert found["Xanana Gusmão"]["country"] is None


def test_experts_staff_prosecutors_candidates_and_prize_winners_are_roles(nlp):
    text = ("FDP-Finanzexperte Hermann Solms entgegnete. Ex-Schachweltmeister Garri Kasparow kritisierte. "
            "Der Chef-Ankläger Dschaarar al-Mussawi sagte das. Spitzenkandidatin Maria Lopez schwieg. "
            "Oppositionsführer Juan Guaidó sprach.")
    found = persons(actors_of(nlp, text, ["Hermann Solms", "Garri Kasparow", "Maria Lopez", "Juan Guaidó"]))
    assert found["Hermann Solms"]["roles"] == ["FDP-Finanzexperte"]
    assert found["Hermann Solms"]["country"] == "DEU"
    assert found["Garri Kasparow"]["roles"] == ["Ex-Schachweltmeister"]
    assert found["Dschaarar al-Mussawi"]["roles"] == ["Chef-Ankläger"]
    assert found["Maria Lopez"]["roles"] == ["Spitzenkandidatin"]
    assert found["Juan Guaidó"]["roles"] == ["Oppositionsführer"]


def test_a_plural_role_noun_introduces_no_name_the_recognizer_does_not_find(nlp):
    text = "Wie die Experten Senfgas nachwiesen, blieb unklar. Die Generalsekretäre Volker Kauder kamen."
    found = persons(actors_of(nlp, text, ["Volker Kauder"]))
    assert "Senfgas" not in found
    assert "Volker Kauder" in found


def test_a_later_role_mention_with_a_place_adjective_gives_the_country(nlp):
    text = "Außenminister Pjotr Iwanenko traf Kollegen. Der russische Außenminister machte sich für Gespräche stark."
    found = persons(actors_of(nlp, text, ["Pjotr Iwanenko"]))
    assert "Der russische Außenminister" in [m["text"] for m in found["Pjotr Iwanenko"]["mentions"]]
    assert found["Pjotr Iwanenko"]["country"] == "RUS"


def test_a_party_acronym_ends_the_genitive_of_a_role_and_the_name_follows(nlp):
    text = "Der parlamentarische Geschäftsführer der CDU/CSU Norbert Röttgen mahnte zur Zurückhaltung."
    found = persons(actors_of(nlp, text, []))
    assert list(found) == ["Norbert Röttgen"]
    assert found["Norbert Röttgen"]["roles"] == ["parlamentarische Geschäftsführer der CDU/CSU"]


def test_a_definite_office_no_one_holds_is_the_only_person_named_before(nlp):
    text = ("Die Regierung von Matteo Renzi verspricht sich viel. Kritiker sagen, die Reform verleihe "
            "dem Regierungschef zu viel Macht.")
    found = persons(actors_of(nlp, text, ["Matteo Renzi"]))
    assert found["Matteo Renzi"]["roles"] == ["Regierungschef"]
    assert "dem Regierungschef" in [m["text"] for m in found["Matteo Renzi"]["mentions"]]


def test_a_definite_office_is_no_one_s_when_two_persons_were_named(nlp):
    text = "Matteo Renzi traf Paolo Gentiloni. Die Reform verleihe dem Regierungschef zu viel Macht."
    found = persons(actors_of(nlp, text, ["Matteo Renzi", "Paolo Gentiloni"]))
    assert found["Matteo Renzi"]["roles"] == [] and found["Paolo Gentiloni"]["roles"] == []


def test_news_agencies_do_not_count_for_the_state_an_article_is_about(nlp):
    text = ("In Dili ist es ruhiger. In der Hauptstadt Dili gab es Schüsse. Gegenüber der chinesischen "
            "Nachrichtenagentur Xinhua bedankte sich die Regierung von Timor-Leste bei China. "
            "Die Krise um Premierminister Marí Alkatiri ist nicht bewältigt.")
    found = persons(actors_of(nlp, text, ["Marí Alkatiri"]))
    assert found["Marí Alkatiri"]["country"] == "TLS"
