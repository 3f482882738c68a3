"""Speaker resolution on constructions of unseen news (issue 12): the owner named after a source
noun ("nach Angaben aus Moskau", "laut Ankündigungen aus Regierungskreisen")."""
from __future__ import annotations

import pytest

from tests.support.quotes import blank_nlp, one, run


@pytest.fixture(scope="module")
def nlp():
    return blank_nlp()


def test_source_noun_with_aus_phrase_names_its_owner(nlp):
    # "nach Angaben aus Moskau": the place the information comes from speaks, not "Angaben"
    q = one(run(nlp, "Nach Angaben aus Moskau sprachen die Minister über die Einbindung weiterer Akteure.",
                orgs=("Moskau",)))
    assert q["speaker"]["text"] == "Angaben aus Moskau" and q["speaker_name"] == "Moskau"
    assert q["text"].startswith("sprachen die Minister")


def test_laut_source_noun_with_aus_phrase(nlp):
    text = "Laut früheren Ankündigungen aus serbischen Regierungskreisen will Belgrad keinen Kandidaten unterstützen."
    q = one(run(nlp, text))
    assert q["speaker"]["text"] == "früheren Ankündigungen aus serbischen Regierungskreisen"
    assert q["text"].startswith("will Belgrad")
