"""Quotes whose content is a prepositional object of the cue verb ("sprach von …", "wies auf …
hin", "berichteten von …"; issue 12). Blank pipeline: token text alone."""
from __future__ import annotations

import pytest

from tests.support.quotes import blank_nlp, one, run


@pytest.fixture(scope="module")
def nlp():
    return blank_nlp()


def test_sprach_von_with_a_relative_clause_on_the_object(nlp):
    # the comma clause is a relative clause on the object, not the content of "sprach"
    text = "Die Ministerin sprach von schweren Versäumnissen der Behörden, für die keine Belege vorgelegt worden seien."
    q = one(run(nlp, text))
    assert q["text"] == "von schweren Versäumnissen der Behörden, für die keine Belege vorgelegt worden seien"
    assert q["speaker"]["text"] == "Die Ministerin" and q["cue"]["text"] == "sprach"


def test_object_before_the_closing_particle(nlp):
    q = one(run(nlp, "Der Gewerkschafter Paul Brandt wies auf Mängel bei der Wartung der Züge hin.", people=["Paul Brandt"]))
    assert q["text"] == "auf Mängel bei der Wartung der Züge" and q["speaker_name"] == "Paul Brandt"


def test_adverb_between_cue_and_object(nlp):
    q = one(run(nlp, "Anwohner berichteten mehrfach von nächtlichen Schüssen."))
    assert q["text"] == "von nächtlichen Schüssen" and q["speaker"]["text"] == "Anwohner"


def test_another_verb_of_the_same_stem_is_no_object_cue(nlp):
    # "wies … zurück" rejects; "auf" belongs to the noun "Vorwürfe"
    assert run(nlp, "Der Bürgermeister wies Vorwürfe auf bewusste Versäumnisse zurück.") == []


def test_a_prepositional_phrase_of_a_noun_is_no_object(nlp):
    # "von" belongs to "Nachricht", not to the verb
    assert run(nlp, "Der Sender berichtet in seiner Nachricht von zahlreichen Teilnehmern.") == []


def test_content_opening_with_a_prepositional_phrase_is_no_relative_clause(nlp):
    # verb second after "an der …": a main clause, the content of "teilte mit"
    text = "Der Sprecher Robert Gibbs teilte am Dienstag mit, an der geplanten Schließung des Lagers halte man aber fest."
    q = one(run(nlp, text, people=["Robert Gibbs"]))
    assert q["text"] == "an der geplanten Schließung des Lagers halte man aber fest" and q["speaker_name"] == "Robert Gibbs"
