"""The one German verb-inflection helper the quote and event lexicons share."""
import pytest

from workers.pipeline import inflection
from workers.pipeline.inflection import verb_forms, weak_forms


def test_weak_verb_paradigm():
    forms = weak_forms("sagen")
    assert forms.finite == ("sagen", "sage", "sagst", "sagt", "sagte", "sagten", "sagtest", "sagtet")
    assert forms.participle == "gesagt"
    assert forms.zu_infinitive == "zusagen"


@pytest.mark.parametrize("lemma, third, past, participle", [
    ("melden", "meldet", "meldete", "gemeldet"),      # stem in -d
    ("warten", "wartet", "wartete", "gewartet"),      # stem in -t
    ("rechnen", "rechnet", "rechnete", "gerechnet"),  # -n after a consonant
    ("atmen", "atmet", "atmete", "geatmet"),          # -m after a consonant
    ("lernen", "lernt", "lernte", "gelernt"),         # -n after r: no linking e
    ("wohnen", "wohnt", "wohnte", "gewohnt"),         # -n after a vowel's h
    ("stimmen", "stimmt", "stimmte", "gestimmt"),     # double m: no linking e
])
def test_linking_e(lemma, third, past, participle):
    forms = weak_forms(lemma)
    assert (forms.finite[3], forms.finite[4], forms.participle) == (third, past, participle)


@pytest.mark.parametrize("lemma, participle", [
    ("kritisieren", "kritisiert"), ("informieren", "informiert"),           # -ieren
    ("erklären", "erklärt"), ("betonen", "betont"), ("verurteilen", "verurteilt"),
    ("bezweifeln", "bezweifelt"), ("zerstören", "zerstört"), ("missbilligen", "missbilligt"),
])
def test_no_ge_after_inseparable_prefix_or_for_ieren(lemma, participle):
    assert not inflection.takes_ge(lemma)
    assert weak_forms(lemma).participle == participle


@pytest.mark.parametrize("lemma, stem, third, participle", [
    ("fordern", "forder", "fordert", "gefordert"),
    ("ändern", "änder", "ändert", "geändert"),
    ("handeln", "handel", "handelt", "gehandelt"),
    ("zweifeln", "zweifel", "zweifelt", "gezweifelt"),
])
def test_ern_eln_verbs_keep_their_e(lemma, stem, third, participle):
    forms = weak_forms(lemma)
    assert inflection.verb_stem(lemma) == stem
    assert forms.finite[1] == stem + "e"
    assert forms.finite[3] == third and forms.participle == participle


def test_particle_verb_separated_and_fused_forms():
    separated, fused = verb_forms("teilen", "mit")
    assert {"teilt", "teilte", "teilten"} <= separated
    assert not any(f.startswith("mit") for f in separated)
    assert {"mitteilen", "mitteilte", "mitgeteilt", "mitzuteilen"} <= fused


def test_particle_verb_with_irregular_forms():
    separated, fused = verb_forms("treffen", "zusammen", ("traf", "trafen", "getroffen", "zusammentrafen"))
    assert {"traf", "trafen", "getroffen"} <= separated
    assert "zusammentrafen" not in separated  # a listed form with the particle is fused only
    assert {"zusammentraf", "zusammengetroffen", "zusammenzutreffen", "zusammentrafen"} <= fused


def test_verb_without_particle_has_all_forms_in_one_set():
    separated, fused = verb_forms("kritisieren")
    assert fused == set()
    assert {"kritisiert", "kritisierte", "zukritisieren"} <= separated


def test_forms_are_lower_case():
    separated, fused = verb_forms("Sagen", "Zu", ("Sagte",))
    assert all(f == f.lower() for f in separated | fused)


@pytest.mark.parametrize("lemma, strict_only, loose_only", [
    ("rechnen", {"rechnet", "gerechnet"}, {"rechnt", "gerechnt"}),      # "ch" before n
    ("kommen", {"kommt"}, {"kommet"}),                                  # double m
    ("fordern", set(), {"forderen"}),                                    # stem + "en"
    ("sein", {"set"}, {"seit", "seite"}),                                # a lemma without "-en"
])
def test_loose_rule_is_the_event_lexicons_old_rule(lemma, strict_only, loose_only):
    strict, loose = verb_forms(lemma)[0], verb_forms(lemma, loose=True)[0]
    assert strict_only <= strict - loose
    assert loose_only <= loose - strict


def test_both_rules_agree_on_ordinary_verbs():
    for lemma in ("sagen", "melden", "erklären", "kritisieren", "lernen", "warnen", "atmen"):
        for particle in (None, "an"):
            assert verb_forms(lemma, particle) == verb_forms(lemma, particle, loose=True)
