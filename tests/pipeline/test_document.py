"""The document view's facts about the layout of an article: datelines and headings."""
from __future__ import annotations

import pytest
import spacy

from workers.pipeline.document import DocumentView


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("de")
    nlp.add_pipe("lagebild_sentence_rules")
    return nlp


def _headings(view: DocumentView) -> list[str]:
    return [view.sentences[n].text for n in sorted(view.headings)]


def test_a_dateline_in_the_opening_makes_the_sentences_before_it_headings(nlp):
    text = "15 Festnahmen nahe der Grenze. Bamako – Soldaten haben Kämpfer festgenommen. Sie sagten das."
    view = DocumentView.of(nlp(text))
    assert [text[a:b] for a, b in view.datelines] == ["Bamako – "]
    assert _headings(view) == ["15 Festnahmen nahe der Grenze."]


def test_a_dateline_with_an_agency_and_no_headline(nlp):
    text = "Washington (dpa) – Die USA haben Sanktionen verhängt. Moskau – das ist eine Antwort."
    view = DocumentView.of(nlp(text))
    assert [text[a:b] for a, b in view.datelines] == ["Washington (dpa) – "]
    assert view.headings == frozenset()


def test_short_lines_without_final_punctuation_are_headings(nlp):
    text = ("Russland\n\nRusslands Minister hebt Gemeinsamkeit hervor\n\n"
            "China und Russland haben ihre Zusammenarbeit verstärkt – ein Zeichen!\n\nIn dieser Woche war es so.")
    view = DocumentView.of(nlp(text))
    assert _headings(view) == ["Russland", "Russlands Minister hebt Gemeinsamkeit hervor"]
    assert view.datelines == ()


def test_narration_has_no_headings_or_datelines(nlp):
    view = DocumentView.of(nlp("Er kam. Sie ging. Dann kam er wieder. Berlin – nein, das war es nicht."))
    assert view.headings == frozenset() and view.datelines == ()
