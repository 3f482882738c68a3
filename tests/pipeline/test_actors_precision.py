"""What the recognizer calls a person and is none (issue 12): one-word "persons" that nothing but
the recognizer vouches for, and names written in short or in the genitive."""
from __future__ import annotations

import pytest
import spacy

from tests.support.actors import actors_of, persons
from tests.support.quotes import MODEL

needs_model = pytest.mark.skipif(not MODEL.exists(), reason="models/de_lagebild is not there (trained model missing)")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("de")
    nlp.add_pipe("lagebild_sentence_rules")
    return nlp


@pytest.fixture(scope="module")
def model():
    from workers.pipeline import load
    return load()


def _parsed(model, text: str, persons_: list[str]) -> list[dict]:
    """Run the actors step on the model's parse of `text` with hand-set PER entities."""
    from workers.pipeline.actors import extract_actors
    from workers.pipeline.document import DocumentView

    doc = model.nlp(text)
    ents = [doc.char_span(text.index(n), text.index(n) + len(n), label="PER") for n in persons_]
    doc.ents = ents
    return extract_actors(DocumentView.of(doc))


@pytest.mark.model
@needs_model
def test_a_lone_word_without_role_that_acts_as_no_subject_is_no_person(model):
    text = ("Bei Einsätzen seien 15 Kämpfer festgenommen und ihr Rückzugslager zerstört worden, sagte ein "
            "Offizier. Die Soldaten hätten Waffen und Motorräder beschlagnahmt.")
    found = persons(_parsed(model, text, ["Rückzugslager", "Motorräder"]))
    assert found == {}


@pytest.mark.model
@needs_model
def test_a_lone_word_that_speaks_or_has_a_role_stays_a_person(model):
    text = "Das sei ein Fehler, sagte Kowalczyk am Montag. Sprecher Nowak widersprach."
    found = persons(_parsed(model, text, ["Kowalczyk", "Nowak"]))
    assert sorted(found) == ["Kowalczyk", "Nowak"]


def test_without_a_parser_a_lone_word_stays_a_person(nlp):
    found = persons(actors_of(nlp, "Die Soldaten hätten Motorräder beschlagnahmt.", ["Motorräder"]))
    assert list(found) == ["Motorräder"]


def test_an_arabic_surname_is_also_written_without_its_article(nlp):
    text = "Präsident Baschar al-Assad schwieg. Die Opposition fordert Assads Rücktritt, Assad lehnt ab."
    found = persons(actors_of(nlp, text, ["Baschar al-Assad", "Assads"]))
    assert list(found) == ["Baschar al-Assad"]
    assert [m["text"] for m in found["Baschar al-Assad"]["mentions"]][-2:] == ["Assads", "Assad"]


@pytest.mark.model
@needs_model
def test_a_first_name_the_recognizer_left_out_joins_the_name(model):
    text = "Auf der Bühne standen unter anderem Annie Lennox und die Band Queen."
    found = persons(_parsed(model, text, ["Lennox"]))
    assert list(found) == ["Annie Lennox"]
