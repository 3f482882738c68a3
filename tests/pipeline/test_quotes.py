"""Quote extraction, one test per construction of the quotes issue.

Most tests run on the blank German pipeline (tokenizer + our sentence rules, no model): the rules read
quotation marks, cue verbs, Konjunktiv forms and markers from the surface. Speaker resolution to
actors is tested with entities set by hand. Tests marked `model` need models/de_lagebild.
"""
from __future__ import annotations


import pytest

from tests.support.quotes import MODEL, ROOT, blank_nlp, one, run
from workers.pipeline.quoted import quoted_spans



@pytest.fixture(scope="module")
def nlp():
    return blank_nlp()


# -- direct quotes in every style ---------------------------------------------------------------
@pytest.mark.parametrize("opening, closing", [("„", "“"), ("»", "«"), ("«", "»"), ('"', '"'), ("‚", "‘")])
def test_direct_every_quotation_style(nlp, opening, closing):
    text = f"{opening}Wir werden die Zusammenarbeit weiter vertiefen{closing}, sagte der Minister am Montag."
    q = one(run(nlp, text))
    assert q["kind"] == "direct"
    assert q["text"] == "Wir werden die Zusammenarbeit weiter vertiefen"
    assert q["speaker"]["text"] == "der Minister"
    assert q["cue"]["text"] == "sagte"


def test_direct_multi_sentence(nlp):
    text = "„Wir sind bereit. Die Gespräche gehen weiter. Niemand wird zurückweichen“, sagte Putin."
    q = one(run(nlp, text, people=["Putin"]))
    assert q["text"] == "Wir sind bereit. Die Gespräche gehen weiter. Niemand wird zurückweichen"
    assert q["speaker"]["text"] == "Putin" and q["speaker_name"] == "Putin"


def test_direct_split_by_frame(nlp):
    text = ("„Unsere Kontakte werden immer wichtiger“, sagte Putin. "
            "„Wir reagieren mit unseren Freunden ruhig und sorgfältig.“ Danach ging er.")
    quotes = run(nlp, text, people=["Putin"])
    assert [q["text"] for q in quotes] == ["Unsere Kontakte werden immer wichtiger",
                                           "Wir reagieren mit unseren Freunden ruhig und sorgfältig."]
    assert all(q["kind"] == "direct" for q in quotes)
    assert [q["speaker_name"] for q in quotes] == ["Putin", "Putin"]


def test_direct_colon_frame_before(nlp):
    text = "Der Sprecher Wang Wenbin sagte: „Die beiden Seiten hatten einen geordneten Austausch.“"
    q = one(run(nlp, text, people=["Wang Wenbin"]))
    assert q["kind"] == "direct"
    assert q["text"] == "Die beiden Seiten hatten einen geordneten Austausch."
    assert "Wang Wenbin" in q["speaker"]["text"]
    assert q["speaker_name"] == "Wang Wenbin"


def test_direct_frame_inside(nlp):
    text = "„Das ist ein Erfolg“, sagte Merkel, „aber die Arbeit beginnt erst.“"
    quotes = run(nlp, text, people=["Merkel"])
    assert [q["text"] for q in quotes] == ["Das ist ein Erfolg", "aber die Arbeit beginnt erst."]
    assert [q["speaker_name"] for q in quotes] == ["Merkel", "Merkel"]


def test_direct_frame_with_so(nlp):
    q = one(run(nlp, "„Die Lage ist sehr ernst“, so der Sprecher der Polizei."))
    assert q["text"] == "Die Lage ist sehr ernst"
    assert q["speaker"]["text"] == "der Sprecher der Polizei"
    assert q["cue"]["text"] == "so"


def test_direct_after_comma_frame_before(nlp):
    q = one(run(nlp, "Die Polizei bekräftigt auch, „Huchting ist nicht Paris.“"))
    assert q["kind"] == "direct" and q["text"] == "Huchting ist nicht Paris."
    assert q["speaker"]["text"] == "Die Polizei"


def test_direct_frame_in_next_sentence_refers_back(nlp):
    text = "„Ja, es gibt Zumutungen.“ Das musste Finanzminister Peer Steinbrück am Dienstag einräumen."
    q = one(run(nlp, text, people=["Peer Steinbrück"]))
    assert q["kind"] == "direct" and q["text"] == "Ja, es gibt Zumutungen."
    assert q["speaker_name"] == "Peer Steinbrück"
    assert q["cue"]["text"] == "einräumen"


def test_direct_frame_after_without_comma(nlp):
    text = ("Der Teamchef Jean Todt stellt sich vor seinen Fahrer: „Die Schuld liegt allein bei uns“ "
            "wird Todt im Fachblatt „La Gazzetta dello Sport“ zitiert.")
    quotes = run(nlp, text, people=["Jean Todt", "Todt"])
    q = one(quotes)  # the newspaper's name in the frame is no quote
    assert q["kind"] == "direct" and q["text"] == "Die Schuld liegt allein bei uns"
    assert q["cue"]["text"] == "zitiert"
    assert q["speaker_name"] == "Jean Todt"


def test_direct_colon_frame_with_possessive_names_the_owner(nlp):
    text = ("Der Außenbeauftragte Javier Solana äußerte sich zuversichtlich. "
            "Seine Zuversicht gründet sich auf die Erfahrung: „Entscheidungen fallen immer in letzter Minute.“")
    q = one(run(nlp, text, people=["Javier Solana"]))
    assert q["speaker"]["text"] == "Seine"
    assert q["speaker_name"] == "Javier Solana"


@pytest.mark.model
@pytest.mark.skipif(not MODEL.exists(), reason="models/de_lagebild is not there (trained model missing)")
def test_speaker_without_the_medium_it_is_reported_by():
    from workers.pipeline import load

    text = ("Li Shangfu ist in Moskau. „China ist bereit, mit Russland zusammenzuarbeiten, um neue Beiträge "
            "zur Sicherheit zu leisten“, sagte der Minister dem Bericht zufolge.")
    q = one(load().extract(text)["quotes"])
    assert q["speaker"]["text"] == "der Minister"


def test_indirect_sentence_taken_up_by_the_next_one(nlp):
    text = ("Die Freien Demokraten schließen eine Ampelkoalition mit SPD und Grünen aus. "
            "Dies bestätigte der Parteivorsitzende Guido Westerwelle am Montag in Berlin.")
    q = one(run(nlp, text, people=["Guido Westerwelle"]))
    assert q["kind"] == "indirect"
    assert q["text"].startswith("Die Freien Demokraten schließen")
    assert q["cue"]["text"] == "bestätigte" and q["speaker_name"] == "Guido Westerwelle"


def test_a_sentence_opening_with_an_article_takes_nothing_up(nlp):
    text = ("Die Freien Demokraten schließen eine Ampelkoalition mit SPD und Grünen aus. "
            "Das Ministerium erklärte am Montag seinen Rücktritt.")
    assert run(nlp, text) == []


@pytest.mark.model
@pytest.mark.skipif(not MODEL.exists(), reason="models/de_lagebild is not there (trained model missing)")
def test_a_sentence_opening_with_article_and_adjective_takes_nothing_up():
    from workers.pipeline import load

    text = ("Rice forderte China zum Dialog mit dem Dalai Lama auf. Dieser sei eine Autoritätsperson. "
            "Das russische Außenministerium erklärte, ein solcher Dialog sei eine innere Angelegenheit Chinas.")
    quotes = load().extract(text)["quotes"]
    assert not any(q["text"].startswith("Dieser sei") and q["cue"] and q["cue"]["text"] == "erklärte" for q in quotes)


def test_scare_quote_followed_by_verb_is_no_quote(nlp):
    assert run(nlp, "Die „grenzenlose Freundschaft“ wird in Peking gelobt.") == []


# -- indirect speech ------------------------------------------------------------------------
def test_indirect_dass_clause(nlp):
    text = "Der Diplomat erklärte, dass die beiden Nationen regelmäßig Patrouillen organisieren."
    q = one(run(nlp, text))
    assert q["kind"] == "indirect"
    assert q["text"] == "dass die beiden Nationen regelmäßig Patrouillen organisieren"
    assert q["speaker"]["text"] == "Der Diplomat"
    assert q["cue"]["text"] == "erklärte"


def test_indirect_konjunktiv_frame_after(nlp):
    text = ("China sei bereit, die Zusammenarbeit zu verstärken, erklärte der Sprecher des "
            "chinesischen Verteidigungsministeriums, Tan Kefei, am Donnerstag.")
    q = one(run(nlp, text, people=["Tan Kefei"]))
    assert q["kind"] == "indirect"
    assert q["text"] == "China sei bereit, die Zusammenarbeit zu verstärken"
    assert q["speaker"]["text"] == "der Sprecher des chinesischen Verteidigungsministeriums, Tan Kefei"
    assert q["speaker_name"] == "Tan Kefei"


def test_indirect_konjunktiv_frame_before(nlp):
    q = one(run(nlp, "Putin sagte, die NATO wolle ihren Rahmen überschreiten.", people=["Putin"]))
    assert q["text"] == "die NATO wolle ihren Rahmen überschreiten"
    assert q["speaker_name"] == "Putin"


def test_indirect_zu_infinitive(nlp):
    q = one(run(nlp, "Peking behauptet, in dem Konflikt Neutralität zu wahren."))
    assert q["kind"] == "indirect"
    assert q["text"] == "in dem Konflikt Neutralität zu wahren"
    assert q["speaker"]["text"] == "Peking"


def test_indirect_separable_cue(nlp):
    text = "Dazu gehöre die Stärkung der Kommunikation, fügte er hinzu."
    q = one(run(nlp, text))
    assert q["text"] == "Dazu gehöre die Stärkung der Kommunikation"
    assert q["cue"]["text"] == "fügte" and q["speaker"]["text"] == "er"


def test_indirect_participle_with_auxiliary(nlp):
    text = "Am Freitag hatte indes ein ukrainischer Beamter gesagt, die Streitkräfte würden Bauteile finden."
    q = one(run(nlp, text))
    assert q["text"] == "die Streitkräfte würden Bauteile finden"
    assert q["speaker"]["text"] == "ein ukrainischer Beamter"


def test_relative_clause_is_not_a_message(nlp):
    assert run(nlp, "Das sagte Putin, der am Mittwoch den General empfing.", people=["Putin"]) == []


# -- verbless attributions --------------------------------------------------------------------
def test_laut(nlp):
    q = one(run(nlp, "Laut Tan ist das Ziel eine Vertiefung des Vertrauens.", people=["Tan"]))
    assert q["text"] == "ist das Ziel eine Vertiefung des Vertrauens"
    assert q["cue"]["text"] == "Laut" and q["speaker_name"] == "Tan"


def test_zufolge(nlp):
    q = one(run(nlp, "Dem Bericht zufolge wurden drei Soldaten verletzt."))
    assert q["text"] == "wurden drei Soldaten verletzt"
    assert q["speaker"]["text"] == "Dem Bericht" and q["cue"]["text"] == "zufolge"


def test_nach_angaben_von(nlp):
    q = one(run(nlp, "Nach Angaben der Polizei habe der Mann Flugblätter verteilt."))
    assert q["text"] == "habe der Mann Flugblätter verteilt"
    assert q["speaker"]["text"] == "der Polizei"


def test_wie_x_berichtete(nlp):
    text = "Wie der staatliche Sender CCTV berichtete, soll die Zusammenarbeit enger werden."
    q = one(run(nlp, text, orgs=["CCTV"]))
    assert q["text"] == "soll die Zusammenarbeit enger werden"
    assert q["speaker"]["text"] == "der staatliche Sender CCTV"
    assert q["cue"]["text"] == "berichtete"


def test_hiess_es(nlp):
    text = "Zur Teilnahme seien Vertreter aus hundert Ländern eingeladen worden, hieß es."
    q = one(run(nlp, text))
    assert q["text"] == "Zur Teilnahme seien Vertreter aus hundert Ländern eingeladen worden"
    assert q["cue"]["text"] == "hieß es" and q["speaker"] is None


def test_unter_berufung_auf(nlp):
    text = "Unter Berufung auf Regierungskreise sollen die Gespräche im Mai beginnen."
    q = one(run(nlp, text))
    assert q["text"] == "sollen die Gespräche im Mai beginnen"
    assert q["speaker"]["text"] == "Regierungskreise"


# -- mixed and continuation -------------------------------------------------------------------
def test_mixed_is_one_quote(nlp):
    text = ("Das Ziel sei es, die strategische Partnerschaft zu „stärken und auszubauen“, "
            "fügte Belousov hinzu.")
    q = one(run(nlp, text, people=["Belousov"]))
    assert q["kind"] == "mixed"
    assert q["text"] == "Das Ziel sei es, die strategische Partnerschaft zu „stärken und auszubauen“"
    assert q["speaker_name"] == "Belousov"


def test_continuation_in_konjunktiv(nlp):
    text = ("Putin sagte, die Lage sei ernst. Die Zusammenarbeit sei ein wichtiger Faktor. "
            "Das Wetter war gut.")
    quotes = run(nlp, text, people=["Putin"])
    assert [q["text"] for q in quotes] == ["die Lage sei ernst", "Die Zusammenarbeit sei ein wichtiger Faktor"]
    assert quotes[1]["kind"] == "indirect" and quotes[1]["cue"] is None
    assert quotes[1]["speaker_name"] == "Putin"


# -- not quotes -------------------------------------------------------------------------------
def test_names_and_titles_are_not_quotes(nlp):
    assert run(nlp, "Das Raumschiff „Shenzhou 6“ landete am Montag in der Mongolei.") == []


def test_scare_quotes_without_speaker_are_not_quotes(nlp):
    text = "Beide Länder pflegen eine „grenzenlose Freundschaft“ seit vielen Jahren."
    assert run(nlp, text) == []


def test_so_called_term_is_not_a_quote(nlp):
    assert run(nlp, "Die Armee lieferte so genannte „Einmannpackungen“ in das Gebiet.") == []


# -- speakers ---------------------------------------------------------------------------------
def test_pronoun_speaker_resolves_to_last_speaker(nlp):
    text = ("„Die beiden Seiten hatten einen Austausch“, sagte Wang Wenbin. "
            "„Die beiden Länder werden die Partnerschaft vorantreiben“, sagte er.")
    quotes = run(nlp, text, people=["Wang Wenbin"])
    assert quotes[1]["speaker"]["text"] == "er"
    assert quotes[1]["speaker_name"] == "Wang Wenbin"


def test_description_resolves_to_person(nlp):
    text = ("Tan Kefei sprach am Donnerstag in Peking. Der Diplomat erklärte, dass die "
            "Nationen gemeinsame Patrouillen planen.")
    q = one(run(nlp, text, people=["Tan Kefei"]))
    assert q["speaker"]["text"] == "Der Diplomat"
    assert q["speaker_name"] == "Tan Kefei"


def test_institution_speaker(nlp):
    q = one(run(nlp, "Peking erklärte, die Übungen seien als Warnung zu verstehen.", orgs=["Peking"]))
    # the capital speaks for the state: the speaker span is "Peking", its actor the Chinese state
    assert q["speaker"]["text"] == "Peking" and q["speaker_name"] == "China"


def test_elided_subject_takes_the_person_in_context(nlp):
    text = ("Am Sonntag hatte Wladimir Putin die Zusammenarbeit gewürdigt. „Unsere Abteilungen "
            "arbeiten aktiv zusammen“, sagte während des Treffens in Moskau.")
    q = one(run(nlp, text, people=["Wladimir Putin"]))
    assert q["speaker_name"] == "Wladimir Putin"
    assert q["cue"]["text"] == "sagte"


def test_addressee_gegenueber(nlp):
    text = ("„Wir teilen gemeinsame Ansichten“, erklärte Andrey Belousov gegenüber Zhang Youxia, "
            "dem Vizechef der Kommission.")
    q = one(run(nlp, text, people=["Andrey Belousov", "Zhang Youxia"]))
    assert q["speaker_name"] == "Andrey Belousov"
    assert q["addressee_name"] == "Zhang Youxia"


# -- building blocks --------------------------------------------------------------------------
def test_quoted_spans_ignore_apostrophes():
    text = "Tan’s Wort: ‚Nein‘ und „Ja“."
    assert [text[q.inner_start:q.inner_end] for q in quoted_spans(text)] == ["Nein", "Ja"]


# -- constructions added with the trained model (they hold on the blank pipeline too) ---------
def test_labelling_fragment_with_als(nlp):
    # weak verbs in -nen take "-et" (bezeichnet): the fragment is the subject's words
    text = "Die USA haben die wachsenden Beziehungen als „sehr beunruhigend“ bezeichnet."
    q = one(run(nlp, text, orgs=["USA"]))
    assert q["kind"] == "direct" and q["text"] == "sehr beunruhigend"
    assert q["speaker"]["text"] == "Die USA" and q["cue"]["text"] == "bezeichnet"


def test_separable_cue_across_apposition(nlp):
    text = ("Jetzt gab der Leiter der Kriminalpolizei, Andreas Huber, bekannt, dass das Handy "
            "im italienischen Netz eingeloggt war.")
    q = one(run(nlp, text, people=["Andreas Huber"]))
    assert q["text"] == "dass das Handy im italienischen Netz eingeloggt war"
    assert q["speaker_name"] == "Andreas Huber"


def test_fused_separable_cue_in_verb_final_clause(nlp):
    q = one(run(nlp, "Wie der Bundeswahlleiter mitteilte, lag die Wahlbeteiligung bei 41,9 Prozent."))
    assert q["text"] == "lag die Wahlbeteiligung bei 41,9 Prozent"
    assert q["speaker"]["text"] == "der Bundeswahlleiter" and q["cue"]["text"] == "mitteilte"


def test_nach_source_noun(nlp):
    q = one(run(nlp, "Nach ersten Informationen wurden keine Menschen verletzt."))
    assert q["text"] == "wurden keine Menschen verletzt"
    assert q["speaker"]["text"] == "ersten Informationen"
    q = one(run(nlp, "Nach Schätzungen des Verbandes sind bereits 10.000 Tonnen Reis vom Markt genommen worden."))
    assert q["speaker"]["text"] == "Schätzungen des Verbandes"


def test_cue_noun_with_reported_clause(nlp):
    text = "Die erste Reaktion bestand in der Ankündigung, der Iran werde sofort Uran anreichern."
    q = one(run(nlp, text))
    assert q["kind"] == "indirect" and q["text"] == "der Iran werde sofort Uran anreichern"
    assert q["cue"]["text"] == "Ankündigung"
    text = "Trotz der Forderung der Gewerkschaft, die Löhne zu erhöhen, blieb der Vorstand hart."
    q = one(run(nlp, text, orgs=["Gewerkschaft"]))
    assert q["text"] == "die Löhne zu erhöhen" and q["speaker"]["text"] == "der Gewerkschaft"


def test_zu_infinitive_after_an_object(nlp):
    text = "Colomer empfahl dem Gericht, der Klage der Kommission stattzugeben."
    q = one(run(nlp, text, people=["Colomer"]))
    assert q["text"] == "der Klage der Kommission stattzugeben" and q["speaker_name"] == "Colomer"


def test_relative_pronoun_speaker(nlp):
    text = ("Die Pläne stehen unter Beobachtung der USA, die Peking vorwerfen, Russlands Krieg "
            "zu unterstützen.")
    q = one(run(nlp, text, orgs=["USA", "Peking"]))
    assert q["text"] == "Russlands Krieg zu unterstützen"
    assert q["speaker"]["text"] == "die" and q["speaker_name"] == "Vereinigte Staaten"


def test_frame_after_comma_inside_the_marks(nlp):
    text = "„Frauen haben sich gegen den Diktator gestellt,“ betont sie."
    q = one(run(nlp, text))
    assert q["kind"] == "direct" and q["speaker"]["text"] == "sie" and q["cue"]["text"] == "betont"


def test_continuation_needs_konjunktiv_one(nlp):
    text = "Putin sagte, die Lage sei ernst. Kinofans könnten bereits mit Ligeti zu tun gehabt haben."
    quotes = run(nlp, text, people=["Putin"])
    assert [q["text"] for q in quotes] == ["die Lage sei ernst"]


# -- with the trained model -------------------------------------------------------------------
@pytest.mark.model
@pytest.mark.skipif(not MODEL.exists(), reason="models/de_lagebild is not there (trained model missing)")
def test_seed_quotes_with_model():
    from workers.pipeline import load

    pipeline = load()
    text = (ROOT / "seeds" / "001_c1f2e177fa7f3201.txt").read_text(encoding="utf-8")
    result = pipeline.extract(text)
    quotes = result["quotes"]
    names = {a["id"]: a["name"] for a in result["actors"]}
    assert len(quotes) >= 8
    for q in quotes:
        assert text[q["start"]:q["end"]] == q["text"]
    first = next(q for q in quotes if q["text"].startswith("China sei bereit"))
    assert first["kind"] == "indirect"
    assert "Tan Kefei" in first["speaker"]["text"]
    assert "Tan" in names.get(first["speaker"]["actor"], "")
    # "als „…“ bezeichnet": the labelling fragments of the seed are quotes of their subject
    usa = next(q for q in quotes if q["text"] == "sehr beunruhigend")
    assert usa["kind"] == "direct" and usa["speaker"]["text"] == "Die USA"


@pytest.mark.model
@pytest.mark.skipif(not MODEL.exists(), reason="models/de_lagebild is not there (trained model missing)")
def test_seed_speakers_from_context_with_model():
    from workers.pipeline import load

    pipeline = load()
    found = {}
    for name in ("000_49e7588e5b29a721.txt", "004_0ff2ce53a4a392e5.txt"):
        text = (ROOT / "seeds" / name).read_text(encoding="utf-8")
        result = pipeline.extract(text)
        names = {a["id"]: a["name"] for a in result["actors"]}
        for q in result["quotes"]:
            found[q["text"][:40]] = (q, names.get((q["speaker"] or {}).get("actor")) or "")
    # "…“, sagte während des Treffens in Moskau." continues Putin, named as subject just before
    q, actor = found["Unsere militärischen Abteilungen arbeite"]
    assert "Putin" in actor
    # "der USA und ihrer Verbündeten, die Peking vorwerfen, …": the relative pronoun speaks
    q, actor = found["Russlands Krieg durch die Lieferung von "]
    assert q["speaker"]["text"] == "die" and "Putin" not in actor and "Belousov" not in actor
