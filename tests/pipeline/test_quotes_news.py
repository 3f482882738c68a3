"""Quote extraction on constructions of unseen news (issue 12): unnamed sources as speakers, what is
not a quote, quoted fragments and reported speech the passes used to miss. Blank pipeline unless
marked `model`."""
from __future__ import annotations

import pytest

from tests.support.quotes import MODEL, blank_nlp, one, run


@pytest.fixture(scope="module")
def nlp():
    return blank_nlp()


def test_unnamed_source_speaks_and_her_pronoun_resolves_to_it(nlp):
    # issue 12: "sagte eine Armeesprecherin" and "Sie fügte hinzu" name one unnamed actor
    text = ("Die Armee habe das Feuer erwidert, sagte eine Armeesprecherin. "
            "Sie fügte hinzu, es gebe keine Verletzten.")
    quotes = run(nlp, text)
    assert [q["speaker_name"] for q in quotes] == ["Armeesprecherin", "Armeesprecherin"]


# -- issue 12: what is not a quote ------------------------------------------------------------
def test_laut_as_adjective_is_no_marker(nlp):
    # "Kritik wurde laut": the adjective, not the preposition "laut X"; no source, no quote
    text = "Auch von Seiten der Behörde wurde scharfe Kritik an dem Abkommen laut."
    assert run(nlp, text) == []


def test_wie_sich_herausstellte_is_the_narrator(nlp):
    text = "Wie sich bald herausstellte, handelte es sich um eine Falschmeldung von Unbekannten."
    assert run(nlp, text) == []


def test_scare_quote_in_genitive_attribute_is_no_quote(nlp):
    text = ("Der Wirtschaftsrat hatte am Montag die Umstellung der „maroden Sozialsysteme“ "
            "auf eine private Vorsorge gefordert.")
    assert run(nlp, text) == []


# -- issue 12: a quoted fragment after its cue verb is part of the reported content ------------
def test_fragment_after_cue_is_mixed_content(nlp):
    text = "Er sprach von einem tragischen „Versagen der politischen Führung“ in dem Nachbarland."
    q = one(run(nlp, text))
    assert q["kind"] == "mixed"
    assert q["text"] == "von einem tragischen „Versagen der politischen Führung“ in dem Nachbarland"
    assert q["cue"]["text"] == "sprach" and q["speaker"]["text"] == "Er"


def test_fragment_content_ends_before_coordinated_cue(nlp):
    text = ("Der Sprecher Werner Hoyer bewertete den Einsatz als „qualitative Veränderung im Engagement“ "
            "und unterstrich, dass es politisch „klüger“ sei, den Bundestag einzubeziehen.")
    quotes = run(nlp, text, people=["Werner Hoyer"])
    assert [q["text"] for q in quotes] == ["den Einsatz als „qualitative Veränderung im Engagement“",
                                           "dass es politisch „klüger“ sei, den Bundestag einzubeziehen"]
    assert all(q["speaker_name"] == "Werner Hoyer" for q in quotes)


def test_capitalised_fragment_after_indefinite_article_is_no_title(nlp):
    text = "Er nannte die Schlussfolgerungen des Berichts eine „Verhöhnung Polens“."
    q = one(run(nlp, text))
    assert q["kind"] == "mixed" and q["text"] == "die Schlussfolgerungen des Berichts eine „Verhöhnung Polens“"


def test_lowercase_fragment_after_noun_is_no_name(nlp):
    q = one(run(nlp, "Der Minister nannte die Zahlen „aus der Luft gegriffen“."))
    assert q["text"] == "die Zahlen „aus der Luft gegriffen“" and q["speaker"]["text"] == "Der Minister"


# -- issue 12: reported speech on unseen news --------------------------------------------------
def test_konjunktiv_after_a_speaker_sentence_without_content_continues_the_speaker(nlp):
    text = ("Der Geschäftsführer Norbert Röttgen mahnte zur Zurückhaltung in der Diskussion. "
            "Das Programm werde am 11. Juli vorgelegt. Die Gewerkschaften protestierten.")
    q = one(run(nlp, text, people=["Norbert Röttgen"]))
    assert q["kind"] == "indirect" and q["text"] == "Das Programm werde am 11. Juli vorgelegt"
    assert q["speaker_name"] == "Norbert Röttgen" and q["cue"] is None


@pytest.mark.model
@pytest.mark.skipif(not MODEL.exists(), reason="models/de_lagebild is not there (trained model missing)")
def test_unseen_reported_speech_with_model():
    from workers.pipeline import load

    pipeline = load()
    # a main clause opening with a prepositional phrase is reported content before ", berichtete X"
    text = ("Seit dem 1. Januar müssen Mitglieder mit ihrem Ausschluss rechnen, wenn sie Wahrsagerei "
            "praktizieren, berichtete die Nachrichtenagentur Xinhua.")
    q = one(pipeline.extract(text)["quotes"])
    assert q["text"].startswith("Seit dem 1. Januar müssen") and q["speaker"]["text"] == "die Nachrichtenagentur Xinhua"
    # stem + "e" is Konjunktiv I even where the tagger reads an indicative ("befinde")
    text = ("Ein Militärvertreter sagte, die Soldaten hätten Waffen beschlagnahmt. "
            "Dieses Lager befinde sich nahe der Grenzstadt Fakola. Die Gruppe plünderte dort Gebäude.")
    quotes = pipeline.extract(text)["quotes"]
    assert [q["text"] for q in quotes][1:] == ["Dieses Lager befinde sich nahe der Grenzstadt Fakola"]


# -- issue 12: content after a colon that has a speech frame of its own ------------------------
def test_colon_content_with_its_own_frame_belongs_to_that_speaker(nlp):
    text = ("Auch die Partei schloss sich dieser Meinung an: Der Sprecher der Fraktion, Werner Hoyer, "
            "bewertete den Einsatz als „qualitative Veränderung“ und unterstrich, dass es politisch "
            "„klüger“ sei, das Parlament einzubeziehen.")
    quotes = run(nlp, text, people=["Werner Hoyer"])
    assert [q["text"] for q in quotes] == ["den Einsatz als „qualitative Veränderung“",
                                           "dass es politisch „klüger“ sei, das Parlament einzubeziehen"]
    assert all(q["speaker_name"] == "Werner Hoyer" for q in quotes)


def test_colon_content_without_a_frame_stays_with_the_subject(nlp):
    q = one(run(nlp, "Der Minister äußerte sich deutlich: Die Reform sei gescheitert."))
    assert q["text"] == "Die Reform sei gescheitert" and q["speaker"]["text"] == "Der Minister"


# -- issue 12: a plural Konjunktiv II continues reported speech --------------------------------
def test_plural_konjunktiv_ii_after_reported_speech_continues_the_speaker(nlp):
    # "würden" stands in for "werden", whose Konjunktiv I looks like the indicative
    text = ("Die Behörden wollen gegen illegale Wettbüros vorgehen, berichtete die Nachrichtenagentur Xinhua. "
            "Betreiber, die sich weigerten, würden mit hohen Strafen belegt. Die Polizei kontrollierte am Abend.")
    quotes = run(nlp, text, orgs=["Xinhua"])
    assert [q["text"] for q in quotes] == ["Die Behörden wollen gegen illegale Wettbüros vorgehen",
                                           "Betreiber, die sich weigerten, würden mit hohen Strafen belegt"]
    assert quotes[1]["speaker_name"] == "Xinhua" and quotes[1]["cue"] is None


def test_narrator_hedge_in_konjunktiv_ii_continues_nobody(nlp):
    text = ("Die Behörden wollen gegen illegale Wettbüros vorgehen, berichtete die Nachrichtenagentur Xinhua. "
            "Tausende Betreiber könnten davon betroffen sein.")
    assert len(run(nlp, text, orgs=["Xinhua"])) == 1


# -- issue 12: a speech noun whose verb closes the clause before the dass-clause ---------------
def test_cue_noun_with_its_verb_before_the_dass_clause(nlp):
    text = "Die Kommission des Parlaments ist zu dem Ergebnis gekommen, dass eine neue Abstimmung nicht nötig sei."
    q = one(run(nlp, text, orgs=["Kommission des Parlaments"]))
    assert q["text"] == "dass eine neue Abstimmung nicht nötig sei"
    assert q["speaker_name"] == "Kommission des Parlaments" and q["cue"]["text"] == "Ergebnis"


def test_vorhalten_with_an_object_before_the_zu_infinitive(nlp):
    q = one(run(nlp, "Die Opposition hält der Regierung vor, die Ergebnisse der Wahl zu fälschen."))
    assert q["text"] == "die Ergebnisse der Wahl zu fälschen" and q["speaker"]["text"] == "Die Opposition"


@pytest.mark.model
@pytest.mark.skipif(not MODEL.exists(), reason="models/de_lagebild is not there (trained model missing)")
def test_an_expletive_es_of_an_impersonal_passive_is_no_speaker():
    from workers.pipeline import load

    text = ("Suu Kyi steht unter Hausarrest. Es wird davon ausgegangen, dass die Wahl lediglich das "
            "Ansehen der Regierung aufpolieren soll.")
    q = one(load().extract(text)["quotes"])
    assert q["text"].startswith("dass die Wahl") and q["speaker"] is None


@pytest.mark.model
@pytest.mark.skipif(not MODEL.exists(), reason="models/de_lagebild is not there (trained model missing)")
def test_a_plural_sie_speaks_for_the_group_named_before_not_for_a_person():
    from workers.pipeline import load

    text = ("Minister Peter Müller traf die Demonstranten. Die Demonstranten forderten am Montag Reformen. "
            "Sie sagten, die Regierung sei korrupt.")
    result = load().extract(text)
    names = {a["id"]: a["name"] for a in result["actors"]}
    assert names[one(result["quotes"])["speaker"]["actor"]] == "Demonstranten"
