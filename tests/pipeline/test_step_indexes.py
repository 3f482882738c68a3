"""The facts the rule steps read once per article instead of once per token or candidate (speed,
issue 15): they must say exactly what the slow reads said."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span

from lagebild_core import gazetteer
from workers.pipeline.document import entities, entity_starts, token_table
from workers.pipeline.quotes import lexicon as quote_lexicon
from workers.pipeline.quotes.candidates import Accepted, Candidate

SEED = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("de")
    nlp.add_pipe("lagebild_sentence_rules")
    return nlp


def test_the_token_table_reads_as_the_doc(nlp):
    doc = nlp("Titel ohne Punkt\n\n  Moskau –  Der Sprecher sagte: „Wir sind bereit.“\tEnde\n")
    table = token_table(doc)
    assert table is token_table(doc)  # built once
    assert table.text == doc.text
    assert table.words == [t.text for t in doc] and table.lower == [t.lower_ for t in doc]
    assert table.is_space == [t.is_space for t in doc] and table.idx == [t.idx for t in doc]
    assert table.whitespace == [t.whitespace_ for t in doc]
    for start in range(len(doc)):
        for end in range(start, min(len(doc), start + 8) + 1):
            assert table.span_text(start, end) == doc[start:end].text


def test_a_seed_article_reads_the_same(nlp):
    doc = nlp(SEED)
    table = token_table(doc)
    assert table.text == SEED
    assert all(table.span_text(i, i + 3) == doc[i:i + 3].text for i in range(len(doc) - 3))


def test_entities_are_the_docs_and_indexed_by_start(nlp):
    doc = nlp("Wang Yi traf Annalena Baerbock in Berlin.")
    doc.ents = [Span(doc, 0, 2, "PER"), Span(doc, 3, 5, "PER"), Span(doc, 6, 7, "LOC")]
    assert [(e.start, e.end, e.label_) for e in entities(doc)] == [(e.start, e.end, e.label_) for e in doc.ents]
    assert {i: (e.end, e.label_) for i, e in entity_starts(doc).items()} == {0: (2, "PER"), 3: (5, "PER"), 6: (7, "LOC")}


def test_every_beginning_of_a_gazetteer_form_is_a_beginning():
    """The gazetteer scan stops at a text no form begins with; it must never stop too early."""
    for entry in gazetteer.entries()[::7]:
        form = entry.form
        assert all(gazetteer.begins_form(form[:k]) for k in range(1, len(form) + 1)), form


@pytest.mark.parametrize("text", ["der  USA", "DER usa", "Vereinigte", "Vereinigte Staaten von", "Côte d’"])
def test_beginnings_are_normalised_as_lookups_are(text):
    assert gazetteer.begins_form(text)


@pytest.mark.parametrize("text", ["Xylophonbauer", "Berlin Xy", "der USA und"])
def test_a_text_no_form_begins_with(text):
    assert not gazetteer.begins_form(text) and not gazetteer.lookup(text)


def test_markers_by_first_word_keep_the_order_of_the_lexicon():
    by_first = quote_lexicon.markers_by_first()
    for kind, patterns in quote_lexicon.markers().items():
        for first in {words[0] for words in patterns}:
            assert list(by_first[kind][first]) == [words for words in patterns if words[0] == first]
    assert sum(len(p) for kinds in by_first.values() for p in kinds.values()) == \
        sum(len(p) for p in quote_lexicon.markers().values())


def _candidate(a: int, b: int, cue: int | None = None) -> Candidate:
    return Candidate("indirect", a * 10, b * 10, None, (cue, cue + 1) if cue is not None else None, toks=(a, b))


def _taken_by_scan(candidates: list[Candidate], ts: int, te: int) -> bool:
    """What `Accepted.taken` said when it scanned every candidate."""
    for c in candidates:
        a, b = c.toks
        overlap = min(b, te) - max(a, ts)
        if overlap > 0 and overlap * 2 >= min(b - a, te - ts):
            return True
    return False


def test_accepted_answers_as_a_scan_of_every_candidate():
    acc = Accepted((_candidate(0, 40, cue=3), _candidate(100, 104)))
    acc.add(_candidate(50, 52, cue=51))
    acc.add(_candidate(60, 63, cue=61))
    acc.replace_last(_candidate(60, 90, cue=62))  # a quote that goes on
    every = list(acc.all)
    for ts in range(0, 110, 3):
        for length in (1, 2, 5, 17, 60):
            assert acc.taken(ts, ts + length) == _taken_by_scan(every, ts, ts + length), (ts, length)
    assert [i for i in range(110) if acc.cue_used(i)] == [3, 51, 62]


def test_in_speech_quote_answers_as_a_scan_of_the_quotes(nlp):
    from workers.pipeline.document import DocumentView
    text = ("Er sagte: „Wir werden das nicht hinnehmen.“ Sie nannte es „Unsinn“. "
            "Dann: „Das ist ein langer Satz mit Worten.“ Ende.")
    view = DocumentView.of(nlp(text))
    assert len(view.speech_quotes) == 2
    for start in range(len(text)):
        for end in range(start, min(len(text), start + 50) + 1):
            assert view.in_speech_quote(start, end) == any(s <= start and end <= e for s, e in view.speech_quotes)
