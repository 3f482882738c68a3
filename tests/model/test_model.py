"""Behaviour tests of the shipped spaCy pipeline models/de_lagebild."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

REPO = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("LAGEBILD_TEST_MODEL", REPO / "models" / "de_lagebild"))
SEEDS = sorted((REPO / "seeds").glob("*.txt"))

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    if not (MODEL / "config.cfg").exists():
        pytest.skip("models/de_lagebild not built")
    import workers.pipeline.components.factories  # noqa: F401  (registers lagebild_* components)

    return spacy.load(MODEL)


@pytest.fixture(scope="module")
def seed_docs(nlp):
    return {p.name[:3]: nlp(p.read_text(encoding="utf-8")) for p in SEEDS}


def sents(doc):
    return [s.text.strip() for s in doc.sents if s.text.strip()]


def ents(doc):
    return {(e.text, e.label_) for e in doc.ents}


# ------------------------------------------------------------------ pipeline shape
def test_pipeline_components_and_labels(nlp):
    for name in ("tok2vec", "morphologizer", "parser", "ner", "lagebild_sentence_rules"):
        assert name in nlp.pipe_names
    assert {"PER", "LOC", "ORG", "OTH", "LOCderiv"} <= set(nlp.get_pipe("ner").labels)
    assert nlp.meta["license"] == "CC BY-SA 4.0"


def test_model_size_under_50mb():
    size = sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file())
    assert size < 50 * 1024 * 1024


# ------------------------------------------------------------------ sentences
def test_seed_headlines_are_own_sentences(seed_docs):
    s = sents(seed_docs["000"])
    assert s[0] == "Russland"
    assert s[1] == "Russlands Verteidigungschef hebt Gemeinsamkeit mit China in Peking hervor"
    assert s[2].startswith("China und Russland haben in Peking")
    assert s[2].endswith("reist!")
    assert "Gemeinsame strategische Ziele" in s


def test_seed_headline_without_punctuation_ends_at_newline(seed_docs):
    s = sents(seed_docs["001"])
    assert s[0] == ("Das Verteidigungsministerium in Peking hat sich bereit erklärt, mit Moskau an der "
                    "Stärkung der strategischen Koordination zu arbeiten")
    assert s[1].startswith("China sei bereit, die Zusammenarbeit")


def test_seed_sentence_inside_paragraph_split(seed_docs):
    s = sents(seed_docs["000"])
    i = next(k for k, x in enumerate(s) if x.startswith("In dieser Woche haben chinesische"))
    assert s[i].endswith("angekündigt.")
    assert s[i + 1].startswith("Dies ist ein weiteres Zeichen")


def test_quote_sentence_not_split_at_closing_quote(seed_docs):
    s = sents(seed_docs["000"])
    assert any(x.startswith("„Wir teilen gemeinsame Ansichten") and "erklärte der russische" in x for x in s)


def test_no_sentence_crosses_a_newline(seed_docs):
    for doc in seed_docs.values():
        for s in doc.sents:
            assert "\n" not in s.text.strip()


# ------------------------------------------------------------------ entities
def test_person_names(seed_docs):
    e0, e1, e2 = ents(seed_docs["000"]), ents(seed_docs["001"]), ents(seed_docs["002"])
    assert ("Belousov", "PER") in e0
    assert ("Zhang Youxia", "PER") in e0 | e2
    assert ("Tan Kefei", "PER") in e1


def test_gazetteer_word_classes_in_vocab(nlp):
    from workers.pipeline.components.gazetteer_embed import GAZ_TABLE

    table = nlp.vocab.lookups.get_table(GAZ_TABLE)
    name, noun = 1 << 10, 1 << 11
    assert table["merkel"] & name and not table["merkel"] & noun
    assert table["konzern"] & noun and not table["konzern"] & name
    assert table["moskau"] & (1 << 2)  # a town (GeoNames exonym)


def test_peking_is_loc(seed_docs):
    assert ("Peking", "LOC") in ents(seed_docs["000"])
    assert ("Peking", "LOC") in ents(seed_docs["001"])


def test_place_derived_adjective(nlp):
    doc = nlp("Der russische Verteidigungsminister traf den chinesischen General in Moskau.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("russische") == "LOCderiv"
    assert labels.get("chinesischen") == "LOCderiv"
    assert labels.get("Moskau") == "LOC"


def test_locderiv_in_seed(seed_docs):
    assert ("russische", "LOCderiv") in ents(seed_docs["000"])


# ------------------------------------------------------------------ morphology / lemmas
@pytest.mark.parametrize("text,word", [
    ("Das Ziel sei es, die Partnerschaft zu stärken.", "sei"),
    ("Er sagte, China habe kein Interesse an dem Krieg.", "habe"),
    ("Sie erklärte, man wolle die Zusammenarbeit ausbauen.", "wolle"),
    ("Der Minister sagte, er werde nach Moskau reisen.", "werde"),
])
def test_konjunktiv_i_mood_sub(nlp, text, word):
    tok = next(t for t in nlp(text) if t.text == word)
    assert tok.morph.get("Mood") == ["Sub"]


def test_indicative_stays_indicative(nlp):
    tok = next(t for t in nlp("Ich habe das Buch gelesen und er ist müde.") if t.text == "ist")
    assert tok.morph.get("Mood") == ["Ind"]


def test_upos_and_lemmas(nlp):
    doc = nlp("Die russischen Soldaten waren in Peking.")
    by = {t.text: t for t in doc}
    assert by["Soldaten"].pos_ == "NOUN"
    assert by["Soldaten"].lemma_ == "Soldat"
    assert by["waren"].lemma_ == "sein"
    assert by["Peking"].pos_ == "PROPN"


def test_dependency_root_is_verb(nlp):
    doc = nlp("Der Minister besuchte gestern die Hauptstadt.")
    root = [t for t in doc if t.dep_ == "ROOT"]
    assert len(root) == 1 and root[0].text == "besuchte"
    assert next(t for t in doc if t.text == "Minister").dep_ == "nsubj"


# ------------------------------------------------------------------ tokenizer
def test_tokenizer_quotes_abbreviations_dates(nlp):
    doc = nlp("„Wir sind bereit“, sagte Oberst Dr. Müller am 16.10.2024 zu Nr. 5 der Liste.")
    words = [t.text for t in doc]
    assert words[0] == "„" and words[1] == "Wir"
    assert "“" in words
    assert "Dr." in words and "Nr." in words and "Oberst" in words
    assert "16.10.2024" in words
    assert len(list(doc.sents)) == 1


def test_abbreviation_does_not_end_sentence(nlp):
    doc = nlp("Laut Dr. Müller kostet das Projekt ca. 5 Mio. Euro. Das ist viel.")
    assert len(list(doc.sents)) == 2


# ------------------------------------------------------------------ session 2 rule components (0.3.0)
def test_ud_conventions_if_present(nlp):
    if "lagebild_ud_conventions" not in nlp.pipe_names:
        pytest.skip("pipeline without lagebild_ud_conventions (0.2.0)")
    doc = nlp("Am 3. Oktober war der Umsatz höher als im Juli, sagte Müller am Dienstag.")
    by = {t.text: t for t in doc}
    for month in ("Oktober", "Juli", "Dienstag"):
        assert by[month].pos_ == "NOUN", month
    for tok in doc:
        if tok.pos_ == "AUX":
            assert tok.dep_ in ("aux", "aux:pass", "cop"), (tok.text, tok.dep_)


def test_fast_ops_if_configured(nlp):
    if nlp.config["nlp"].get("after_pipeline_creation") is None:
        pytest.skip("pipeline without the lagebild.fast_ops.v1 callback")
    from workers.pipeline.components.fast_ops import LagebildNumpyOps

    for name in ("tok2vec", "parser", "ner"):
        assert isinstance(nlp.get_pipe(name).model.ops, LagebildNumpyOps), name


def test_fast_ops_gemm_matches_numpy():
    import numpy

    from workers.pipeline.components.fast_ops import LagebildNumpyOps

    ops = LagebildNumpyOps()
    rng = numpy.random.default_rng(0)
    a = rng.random((7, 5), dtype="float32")
    b = rng.random((3, 5), dtype="float32")
    assert numpy.allclose(ops.gemm(a, b, trans2=True), a @ b.T, atol=1e-5)
    out = numpy.zeros((5, 5), dtype="float32")
    assert numpy.allclose(ops.gemm(a, a, trans1=True, out=out), a.T @ a, atol=1e-5)
