"""Speaker resolution on constructions of unseen news (issue 12): the owner named after a source
noun ("nach Angaben aus Moskau", "laut Ankündigungen aus Regierungskreisen")."""
from __future__ import annotations

import pytest

from tests.support.quotes import MODEL, blank_nlp, one, run


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


# -- "Wie X mitteilte, …": the reporting clause frames the main clause -------------------------
def test_long_wie_frame_names_the_speaker(nlp):
    # eleven words between "Wie" and the verb: the frame is the whole clause up to its comma
    text = ("Wie Bundeskanzlerin Angela Merkel nach einem langen Treffen mit den Regierungschefs der Länder "
            "am Mittwoch mitteilte, wird die Regel bis zum Frühjahr verlängert.")
    q = one(run(nlp, text, people=["Angela Merkel"]))
    assert q["text"] == "wird die Regel bis zum Frühjahr verlängert"
    assert q["speaker_name"] == "Angela Merkel"


@pytest.mark.model
@pytest.mark.skipif(not MODEL.exists(), reason="models/de_lagebild is not there (trained model missing)")
def test_wie_frame_subject_from_the_parse():
    from workers.pipeline import load

    # "die in Genf ansässige …": no surface noun phrase after "Wie"; the parse's subject speaks
    text = ("Wie die in Genf ansässige Internationale Organisation für Migration am Montag mitteilte, "
            "erreichten in der vergangenen Woche mehr als tausend Menschen die Küste.")
    result = load().extract(text)
    q = one(result["quotes"])
    assert q["text"].startswith("erreichten in der vergangenen Woche")
    assert "Organisation für Migration" in q["speaker"]["text"]


# -- a definite description takes up the organisation named before ----------------------------
def test_description_takes_up_the_organisation_with_that_noun(nlp):
    text = ("Die Bürgerrechtsbewegung Freie Stimme darf bei der Wahl im Herbst nicht antreten. "
            "Die Bewegung kritisierte, dass die Wahlgesetze gegen die Verfassung verstießen.")
    q = one(run(nlp, text, orgs=["Freie Stimme"]))
    assert q["speaker"]["text"] == "Die Bewegung" and q["speaker_name"] == "Freie Stimme"


def test_description_picks_the_organisation_whose_noun_it_repeats(nlp):
    text = ("Die Gewerkschaft Verdi und die Umweltorganisation Greenpeace haben gemeinsam protestiert. "
            "Die Gewerkschaft sagte, die Beschäftigten würden nicht gehört.")
    q = one(run(nlp, text, orgs=["Greenpeace", "Verdi"]))
    assert q["speaker_name"] == "Verdi"


def test_description_with_another_ending_of_the_same_stem(nlp):
    # "die Menschenrechtler" are the people of "die Liga für Menschenrechte"
    text = ("Die Liga für Menschenrechte hat den Prozess beobachtet. "
            "Die Menschenrechtler erklärten, das Urteil sei politisch motiviert.")
    q = one(run(nlp, text, orgs=["Liga für Menschenrechte"]))
    assert q["speaker_name"] == "Liga für Menschenrechte"


# -- the last speaker is the last one before the quote in the text ----------------------------
def test_elided_speaker_is_never_one_named_later_in_the_text(nlp):
    # the cue-noun pass runs after the cue-verb pass: the speaker resolved last (Huber) stands after
    # the quote and may not be taken for it
    text = ("Die Regierung hatte sich der Bitte, weitere Soldaten in den Süden zu schicken, lange widersetzt. "
            "Am Montag sagte der Minister Karl Huber, die Lage habe sich geändert.")
    quotes = run(nlp, text, people=["Karl Huber"])
    assert [q["text"] for q in quotes] == ["weitere Soldaten in den Süden zu schicken", "die Lage habe sich geändert"]
    assert quotes[0]["speaker_name"] is None and quotes[1]["speaker_name"] == "Karl Huber"


# -- a participle without "ge-" closing its clause: the auxiliary is the finite verb -----------
def test_subject_between_auxiliary_and_participle_in_ieren(nlp):
    text = ("Der Präsident wies auf Fehler der Lotsen hin. Im Dezember hatten polnische Experten kritisiert, "
            "Berichte über die Fehler seien zurückgehalten worden.")
    quotes = run(nlp, text)
    assert quotes[-1]["text"] == "Berichte über die Fehler seien zurückgehalten worden"
    assert quotes[-1]["speaker"]["text"] == "polnische Experten"


# -- the document of an impersonal report, named after the marker ------------------------------
def test_document_after_heisst_es_is_the_source(nlp):
    text = "Die Truppen hätten den Ort bereits verlassen, heißt es in dem Bericht der Kommission."
    q = one(run(nlp, text))
    assert q["text"] == "Die Truppen hätten den Ort bereits verlassen"
    assert q["speaker"]["text"] == "dem Bericht der Kommission"


def test_document_before_heisst_es_is_the_source(nlp):
    q = one(run(nlp, "In der Erklärung des Verbandes heißt es weiter, die Gespräche seien gescheitert."))
    assert q["text"] == "die Gespräche seien gescheitert"
    assert q["speaker"]["text"] == "der Erklärung des Verbandes"


def test_a_pronoun_skips_a_person_whose_role_shows_the_other_gender(nlp):
    people = ("Annalena Baerbock", "Sergej Lawrow")
    text = ("Außenministerin Annalena Baerbock traf den russischen Außenminister Sergej Lawrow. "
            "Sie sagte danach, die Gespräche seien schwierig gewesen.")
    assert one(run(nlp, text, people))["speaker_name"] == "Annalena Baerbock"
    text = ("Der russische Außenminister Sergej Lawrow traf Außenministerin Annalena Baerbock. "
            "Er sagte danach, die Gespräche seien schwierig gewesen.")
    assert one(run(nlp, text, people))["speaker_name"] == "Sergej Lawrow"



def test_adjectival_role_nouns_tell_no_gender():
    from lagebild_core.people import role_gender

    assert role_gender(["Außenministerin"]) == "f" and role_gender(["russischen Außenminister"]) == "m"
    assert role_gender(["Vorsitzende des Komitees"]) is None and role_gender(["Kanzlerin", "Minister"]) is None
