"""The shipped pipeline survives `nlp.to_disk` / `spacy.load`: the Lagebild components keep their
tables in the vocab's lookups and their settings in the config, so the copy annotates alike."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

REPO = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("LAGEBILD_TEST_MODEL", REPO / "models" / "de_lagebild"))
SEED = REPO / "seeds" / "001_c1f2e177fa7f3201.txt"

pytestmark = pytest.mark.model


def annotations(doc):
    return ([s.text for s in doc.sents], [t.pos_ for t in doc], [t.lemma_ for t in doc],
            [str(t.morph) for t in doc], [(e.start, e.end, e.label_) for e in doc.ents])


def test_the_shipped_model_annotates_alike_after_to_disk_and_load(tmp_path):
    if not (MODEL / "config.cfg").exists():
        pytest.skip("models/de_lagebild not built")
    import workers.pipeline.components.factories  # noqa: F401

    nlp = spacy.load(MODEL)
    text = SEED.read_text(encoding="utf-8")
    before = annotations(nlp(text))
    nlp.to_disk(tmp_path / "copy")
    copy = spacy.load(tmp_path / "copy")
    assert copy.pipe_names == nlp.pipe_names
    assert copy.vocab.lookups.tables == nlp.vocab.lookups.tables
    assert annotations(copy(text)) == before
    assert before[4]  # the sample has entities, so the comparison covers the recognizer
