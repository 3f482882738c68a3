"""Rules that use the word classes of the gazetteer table (HanTa's lexicon): name propagation
(a surname named in full once is a person everywhere in the article, but a common noun caught in a
too-long person span is not) and the PROPN/NOUN repair after the NER."""
import spacy
from spacy.tokens import Span

from workers.pipeline.components.gazetteer_embed import GAZ_TABLE
from workers.pipeline.components.name_propagation import name_propagation
from workers.pipeline.components.per_propn import per_propn

NOUN, NAME = 1 << 11, 1 << 10  # gazetteer bits tiger_noun, tiger_name


def doc_with_persons(text, persons, table=None):
    nlp = spacy.blank("de")
    if table is not None:
        nlp.vocab.lookups.add_table(GAZ_TABLE, table)
    doc = nlp(text)
    spans = []
    for name in persons:
        start = next(i for i in range(len(doc)) if doc[i:i + len(name.split())].text == name)
        spans.append(Span(doc, start, start + len(name.split()), label="PER"))
    doc.ents = spans
    return name_propagation(doc)


def persons(doc):
    return [e.text for e in doc.ents if e.label_ == "PER"]


def test_surname_after_full_name_is_a_person():
    doc = doc_with_persons("Andrey Belousov reiste ab. Belousov sagte nichts.", ["Andrey Belousov"],
                           {"belousov": 0})
    assert persons(doc) == ["Andrey Belousov", "Belousov"]


def test_common_noun_in_a_wrong_person_span_is_not_propagated():
    doc = doc_with_persons("Lis Teilnahme wurde begrüßt. Zur Teilnahme sind alle eingeladen.", ["Lis Teilnahme"],
                           {"teilnahme": NOUN})
    assert persons(doc) == ["Lis Teilnahme"]


def test_surname_that_is_also_a_noun_but_known_as_name_is_propagated():
    doc = doc_with_persons("Joschka Fischer kam. Fischer sprach.", ["Joschka Fischer"], {"fischer": NOUN | NAME})
    assert persons(doc) == ["Joschka Fischer", "Fischer"]


def test_without_word_classes_everything_propagates():
    doc = doc_with_persons("Lis Teilnahme wurde begrüßt. Zur Teilnahme sind alle eingeladen.", ["Lis Teilnahme"])
    assert persons(doc) == ["Lis Teilnahme", "Teilnahme"]


def test_propn_outside_entities_known_only_as_common_noun_becomes_noun():
    nlp = spacy.blank("de")
    nlp.vocab.lookups.add_table(GAZ_TABLE, {"verhandlungen": NOUN, "genf": NAME, "fischer": NOUN | NAME})
    doc = nlp("Verhandlungen in Genf mit Fischer")
    for tok in doc:
        tok.pos_ = "PROPN" if tok.is_title else "ADP"
    doc.ents = [Span(doc, 4, 5, label="PER")]
    doc = per_propn(doc)
    assert [t.pos_ for t in doc] == ["NOUN", "ADP", "PROPN", "ADP", "PROPN"]
