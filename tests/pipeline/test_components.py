"""The Lagebild spaCy components without the shipped model: registration under the names the
configs use, their rules over hand-set annotations, and a pipeline of them that survives
`nlp.to_disk` / `spacy.load`."""
from __future__ import annotations

import re
from pathlib import Path

import spacy
from spacy.util import import_file, registry

import workers.pipeline.components.factories  # noqa: F401
from workers.pipeline.components.gazetteer_embed import GAZ_TABLE
from workers.pipeline.components.lemma_lookup import LEMMA_TABLE

REPO = Path(__file__).resolve().parents[2]
CONFIGS = [REPO / "models" / "de_lagebild" / "config.cfg", *sorted((REPO / "training" / "configs").glob("*.cfg"))]


def test_every_lagebild_name_of_the_configs_is_registered():
    names = set()
    for config in CONFIGS:
        text = config.read_text(encoding="utf-8")
        names |= {("factories", n) for n in re.findall(r'^factory = "(lagebild_\w+)"', text, re.MULTILINE)}
        names |= {(kind, n) for kind, n in re.findall(r'^@(\w+) = "(lagebild\.[\w.]+)"', text, re.MULTILINE)}
    assert ("factories", "lagebild_lemma_lookup") in names and ("architectures", "lagebild.GazetteerEmbed.v1") in names
    for kind, name in sorted(names):
        assert getattr(registry, kind).get(name), (kind, name)


def test_the_registration_file_may_run_a_second_time_as_spacy_code_runs_it():
    # `spacy train --code` and model packages import factories.py by path, next to the module
    import_file("lagebild_factories_by_path", str(REPO / "workers" / "pipeline" / "components" / "factories.py"))
    assert spacy.blank("de").add_pipe("lagebild_lemma_lookup").overwrite is True


def blank_with_rules(overwrite: bool = True):
    """A blank German pipeline: attribute and entity rulers stand in for the statistical
    components, followed by every Lagebild rule component in the shipped order."""
    nlp = spacy.blank("de")
    nlp.vocab.lookups.add_table(LEMMA_TABLE, {"VERB|sagte": "sagen", "NOUN|Minister": "Minister"})
    nlp.vocab.lookups.add_table(GAZ_TABLE, {"belousov": 1 << 10, "teilnahme": 1 << 11})
    ruler = nlp.add_pipe("attribute_ruler")
    for words, attrs in ((["Minister", "Teilnahme"], {"POS": "NOUN"}), (["sagte"], {"POS": "VERB"}),
                         (["Montag", "Teilnahme"], {"POS": "PROPN"}), (["sei", "habe"], {"POS": "VERB"}),
                         (["ist"], {"POS": "AUX"})):
        ruler.add([[{"ORTH": w}] for w in words], attrs)
    nlp.add_pipe("lagebild_sentence_rules")
    nlp.add_pipe("lagebild_upos_rules")
    nlp.add_pipe("lagebild_lemma_lookup", config={"overwrite": overwrite})
    nlp.add_pipe("lagebild_morph_rules")
    nlp.add_pipe("lagebild_ud_conventions")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PER", "pattern": "Andrey Belousov"}])
    nlp.add_pipe("lagebild_name_propagation")
    nlp.add_pipe("lagebild_per_propn")
    return nlp


TEXT = ("Der Minister sagte am Montag, er sei bereit. Das ist gut.\nAndrey Belousov kam im Jahr 5. Die "
        "Teilnahme war offen. „Wir kommen.“ Belousov habe nichts gesagt.")


def annotations(doc):
    return ([s.text for s in doc.sents], [t.pos_ for t in doc], [t.lemma_ for t in doc],
            [str(t.morph) for t in doc], [(e.start, e.end, e.label_) for e in doc.ents])


def test_rule_components_annotate_a_blank_pipeline():
    doc = blank_with_rules()(TEXT)
    sents = annotations(doc)[0]
    assert sents == ["Der Minister sagte am Montag, er sei bereit.", "Das ist gut.\n",
                     "Andrey Belousov kam im Jahr 5.", "Die Teilnahme war offen.", "„Wir kommen.“",
                     "Belousov habe nichts gesagt."]
    by_text = {t.text: t for t in doc}
    assert by_text["sagte"].lemma_ == "sagen"  # from the vocab's lemma table
    assert by_text["Montag"].pos_ == "NOUN"  # months and weekdays are nouns (PUD)
    assert by_text["ist"].pos_ == "VERB"  # AUX without an aux/cop relation
    assert by_text["Teilnahme"].pos_ == "NOUN"  # PROPN known only as a common noun
    assert (by_text["sei"].lemma_, by_text["sei"].morph.get("Mood")) == ("sein", ["Sub"])
    assert (by_text["habe"].lemma_, str(by_text["habe"].morph)) == (
        "haben", "Mood=Sub|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin")
    assert [e.text for e in doc.ents] == ["Andrey Belousov", "Belousov"]


def test_konjunktiv_after_ich_is_left_to_the_morphologizer_except_for_sei():
    nlp = blank_with_rules()
    doc = nlp("Ich habe Zeit, sagte er. Ich sei krank, sagte er.")
    assert [(t.text, t.morph.get("Mood")) for t in doc if t.lower_ in ("habe", "sei")] == [("habe", []), ("sei", ["Sub"])]


def test_blank_pipeline_with_the_rule_components_survives_to_disk_and_load(tmp_path):
    nlp = blank_with_rules(overwrite=False)
    before = annotations(nlp(TEXT))
    nlp.to_disk(tmp_path / "rules")
    loaded = spacy.load(tmp_path / "rules")
    assert loaded.pipe_names == nlp.pipe_names
    assert loaded.get_pipe("lagebild_lemma_lookup").overwrite is False  # the setting travels in the config
    assert annotations(loaded(TEXT)) == before
    assert "sagen" in before[2]  # the lemma table travels in the vocab


def test_without_the_vocab_the_lemma_table_is_lost(tmp_path):
    nlp = blank_with_rules()
    nlp.to_disk(tmp_path / "rules", exclude=["vocab"])
    loaded = spacy.load(tmp_path / "rules")
    assert [t.lemma_ for t in loaded(TEXT)][2] != "sagen"
