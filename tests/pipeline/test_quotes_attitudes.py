"""A dass-clause after a predicative adjective of attitude is what the subject holds ("X war sich
sicher, dass …", "X hält es für möglich, dass …"). Blank pipeline: token text alone."""
from __future__ import annotations

import pytest

from tests.support.quotes import blank_nlp, one, run


@pytest.fixture(scope="module")
def nlp():
    return blank_nlp()


def test_attitude_adjective_before_dass(nlp):
    q = one(run(nlp, "Die Gewerkschaft zeigte sich zuversichtlich, dass der Streik bald beendet werde."))
    assert q["text"] == "dass der Streik bald beendet werde" and q["speaker"]["text"] == "Die Gewerkschaft"


def test_possibility_adjective_reports_only_after_fuer(nlp):
    q = one(run(nlp, "Der Ermittler hält es für möglich, dass der Vorstand nichts gewusst habe."))
    assert q["text"] == "dass der Vorstand nichts gewusst habe" and q["speaker"]["text"] == "Der Ermittler"


def test_impersonal_es_holds_nothing(nlp):
    assert run(nlp, "Es ist sicher, dass die Abstimmung verschoben wird.") == []
